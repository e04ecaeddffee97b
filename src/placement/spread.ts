import { CpuSet } from '../cpuset/CpuSet.js';
import type { TopoObject } from '../topology/Topology.js';
import type { Place } from './Place.js';
import type { PlanView, ViewCore } from './PlanView.js';

/**
 * One PU per slot, as far apart as possible (hwloc-distrib, OpenMP `spread`). Slots are handed out
 * in rounds: round r gives thread r of each core, so no two slots share a core while a core is
 * free. When a round cannot serve every core, its slots are divided down the tree (packages, NUMA
 * nodes, L3, L2) in proportion to how many cores each part still offers, evenly spaced
 * (3 slots over 8 cores → cores 0, 2, 5): deterministic, and balanced.
 *
 * Returns min(workers, usable PUs) places; `plan()` wraps beyond that.
 */
export function spread(view: PlanView, workers: number): Place[] {
  const total = view.cores.reduce((n, c) => n + c.pus.length, 0);
  let remaining = Math.min(workers, total);
  const places: Place[] = [];
  for (let round = 0; remaining > 0; round++) {
    const eligible = view.cores.filter((c) => c.pus.length > round);
    let chosen: ViewCore[] = eligible;
    if (remaining < eligible.length) {
      const want = new Set(eligible.map((c) => c.core.index));
      const picked = new Set<number>();
      distribute(view.topology.machine, want, remaining, picked, new Map());
      chosen = eligible.filter((c) => picked.has(c.core.index));
    }
    for (const { core, pus } of chosen) {
      const cpu = pus[round]!;
      places.push({
        cpus: CpuSet.of(cpu),
        object: { type: 'pu', index: view.topology.pu(cpu)!.index },
        reason:
          round === 0
            ? `spread: first thread of core ${core.index}; ${remaining < eligible.length ? 'cores chosen in proportion down the tree' : 'every core gets one'}`
            : `spread: thread ${round} of core ${core.index}, every core already has ${round}`,
      });
    }
    remaining -= chosen.length;
  }
  return places;
}

function distribute(node: TopoObject, want: Set<number>, k: number, picked: Set<number>, memo: Map<TopoObject, number>): void {
  if (k <= 0) return;
  if (node.type === 'core') {
    if (want.has(node.index)) picked.add(node.index);
    return;
  }
  const kids = node.children.map((child) => ({ child, w: weight(child, want, memo) })).filter((x) => x.w > 0);
  const sum = kids.reduce((n, x) => n + x.w, 0);
  // Child i gets ceil(k·C_i/W) − ceil(k·C_(i−1)/W), C = cumulative weight: proportional, never more
  // than its weight when k ≤ W, and the picks are evenly spaced (3 of 8 cores → 0, 2, 5).
  let before = 0;
  let cumulative = 0;
  const shares = kids.map((x) => {
    cumulative += x.w;
    const upTo = Math.ceil((k * cumulative) / sum);
    const share = upTo - before;
    before = upTo;
    return share;
  });
  kids.forEach((x, i) => distribute(x.child, want, shares[i]!, picked, memo));
}

/** How many wanted cores lie below `node`. */
function weight(node: TopoObject, want: Set<number>, memo: Map<TopoObject, number>): number {
  if (node.type === 'core') return want.has(node.index) ? 1 : 0;
  const known = memo.get(node);
  if (known !== undefined) return known;
  const w = node.children.reduce((n, c) => n + weight(c, want, memo), 0);
  memo.set(node, w);
  return w;
}
