import { CpuSet } from '../cpuset/CpuSet.js';
import type { Place } from './Place.js';
import type { PlanView } from './PlanView.js';

/** One whole core per slot (all its usable threads), cores in tree order: slots never share a core. */
export function cores(view: PlanView): Place[] {
  return view.cores.map(({ core, pus }) => ({
    cpus: CpuSet.from(pus),
    object: { type: 'core', index: core.index },
    reason: `cores: whole core ${core.index} (${pus.length === 1 ? '1 thread' : `${pus.length} threads`})`,
  }));
}
