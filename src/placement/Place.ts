import type { CpuSet } from '../cpuset/CpuSet.js';
import type { ObjectRef, PlanOptions } from './plan.js';
import type { PlanView } from './PlanView.js';

/**
 * One place a policy offers (OpenMP's sense: a set of CPUs); `plan()` gives slot i the place i mod
 * (number of places). Not to be confused with a placement, which is the request.
 */
export interface Place {
  readonly cpus: CpuSet;
  readonly object: ObjectRef;
  readonly reason: string;
}

/**
 * A policy: the ordered places for `workers` slots. Most policies ignore `workers` and return every
 * place they have; `spread` needs it to balance a partial fill.
 */
export type Policy = (view: PlanView, workers: number, options: PlanOptions) => Place[];
