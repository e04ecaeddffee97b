import { CpuSet } from '../cpuset/CpuSet.js';
import type { Place } from './Place.js';
import type { PlanView } from './PlanView.js';

/** One PU per slot in tree order: a core's threads, then the next core of the same L2/L3/NUMA/package. */
export function compact(view: PlanView): Place[] {
  const places: Place[] = [];
  for (const { core, pus } of view.cores) {
    pus.forEach((cpu, t) => {
      places.push({
        cpus: CpuSet.of(cpu),
        object: { type: 'pu', index: view.topology.pu(cpu)!.index },
        reason: `compact: next PU in tree order (core ${core.index}, thread ${t})`,
      });
    });
  }
  return places;
}
