import { CpuSet } from '../cpuset/CpuSet.js';
import type { Place } from './Place.js';
import type { PlanView } from './PlanView.js';

/**
 * One PU per slot, best cores first: the first thread of every core by kind rank (performance,
 * then efficiency), then second threads. SMT siblings come last because a P-core's second thread
 * is usually slower than an idle E-core. On a machine without kinds this is cores-first compact.
 */
export function performanceFirst(view: PlanView): Place[] {
  const { topology } = view;
  const rank = new Map<string, number>(topology.kinds.map((k) => [k.name, k.rank]));
  const ordered = [...view.cores].sort((a, b) => rankOf(rank, a.core.kind) - rankOf(rank, b.core.kind) || a.core.index - b.core.index);
  const depth = Math.max(...view.cores.map((c) => c.pus.length));
  const places: Place[] = [];
  for (let t = 0; t < depth; t++) {
    for (const { core, pus } of ordered) {
      const cpu = pus[t];
      if (cpu === undefined) continue;
      places.push({
        cpus: CpuSet.of(cpu),
        object: { type: 'pu', index: topology.pu(cpu)!.index },
        reason: `performance-first: ${core.kind ?? 'core'} ${core.index}, thread ${t}` + (topology.kinds.length === 0 ? ' (no hybrid kinds: cores in order)' : ''),
      });
    }
  }
  return places;
}

function rankOf(rank: Map<string, number>, kind: string | null): number {
  return kind === null ? Number.MAX_SAFE_INTEGER : rank.get(kind) ?? Number.MAX_SAFE_INTEGER;
}
