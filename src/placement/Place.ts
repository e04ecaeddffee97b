import type { CpuSet } from '../cpuset/CpuSet.js';
import type { PlacedObject, PlacementOptions } from './Placement.js';
import type { PlacementView } from './PlacementView.js';

/** One place a policy offers; `plan()` gives slot i the place i mod (number of places). */
export interface Place {
  readonly cpus: CpuSet;
  readonly object: PlacedObject;
  readonly reason: string;
}

/**
 * A policy: the ordered places for `workers` slots. Most policies ignore `workers` and return every
 * place they have; `spread` needs it to balance a partial fill.
 */
export type Policy = (view: PlacementView, workers: number, options: PlacementOptions) => Place[];
