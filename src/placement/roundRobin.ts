import { CpuSet } from '../cpuset/CpuSet.js';
import type { Place } from './Place.js';
import type { PlanView } from './PlanView.js';

/** The classic recipe done right: slot i → the i-th usable CPU in CPU-number order. */
export function roundRobin(view: PlanView): Place[] {
  return view.usable.toArray().map((cpu, i) => ({
    cpus: CpuSet.of(cpu),
    object: { type: 'pu', index: view.topology.pu(cpu)!.index },
    reason: `round-robin: usable CPU #${i} in number order`,
  }));
}
