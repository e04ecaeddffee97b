import type { CpuSet } from '../cpuset/CpuSet.js';

/**
 * A slot given other CPUs because the usable CPUs changed (cpuset rewritten, CPU offline or back).
 *
 * @example
 * ```ts
 * import { Pool, type SlotMove } from 'corepin';
 * await using pool = new Pool({ module: new URL('./work.js', import.meta.url) });
 * pool.on('placementChange', ({ moves }: { moves: readonly SlotMove[] }) => {
 *   for (const m of moves) console.log(`slot ${m.slot}: ${m.from.toList()} -> ${m.to.toList()}`);
 * });
 * ```
 */
export interface SlotMove {
  /** The slot that moved. */
  readonly slot: number;
  /** The CPUs it had. */
  readonly from: CpuSet;
  /** The CPUs it has now (all usable). */
  readonly to: CpuSet;
}

/**
 * Where each slot goes after the usable CPUs changed; returns only the slots that move.
 *
 * `fresh` is the pool's own request resolved again on the topology now (null when it cannot be made
 * now, e.g. an explicit list naming an offline CPU). Its places are the truth — so `cores` stays
 * `cores`: a core whose thread came back is given whole again — but they are handed out so that as
 * few slots as possible move (see {@link matchPlaces}); when every CPU is back, every slot is back
 * on its first CPUs.
 *
 * Without `fresh`: a slot whose own CPUs (those of the pool's first placement) are all usable has
 * them; any other keeps what is left of its current CPUs, else of its own, else gets every usable
 * CPU. Unpinned slots (null) never move; with no usable CPU at all nothing moves (nothing could run).
 */
export function replanSlots(
  original: readonly (CpuSet | null)[],
  current: readonly (CpuSet | null)[],
  fresh: readonly (CpuSet | null)[] | null,
  usable: CpuSet,
): SlotMove[] {
  if (usable.isEmpty) return [];
  const usableFresh = fresh !== null && fresh.length === current.length && fresh.every((f) => f === null || (!f.isEmpty && f.isSubsetOf(usable)));
  const targets = usableFresh ? matchPlaces(original, current, fresh) : null;
  const moves: SlotMove[] = [];
  original.forEach((own, slot) => {
    const now = current[slot] ?? null;
    if (own === null || now === null) return;
    const to = targets?.[slot] ?? fallback(own, now, usable);
    if (!to.equals(now)) moves.push({ slot, from: now, to });
  });
  return moves;
}

/**
 * Hands the places of `fresh` (one per slot, repeated when slots wrap) to the slots, in four passes:
 * 1. a slot whose first CPUs are a place gets them (back): home first;
 * 2. a slot whose current CPUs are its own entry of `fresh` keeps them;
 * 3. a slot whose current CPUs are a place still free keeps them;
 * 4. any other slot takes the free place that overlaps its current CPUs most (then its own entry,
 *    then the first free one).
 */
function matchPlaces(original: readonly (CpuSet | null)[], current: readonly (CpuSet | null)[], fresh: readonly (CpuSet | null)[]): (CpuSet | null)[] {
  const taken = fresh.map(() => false);
  const out: (CpuSet | null)[] = current.map(() => null);
  const give = (slot: number, j: number): void => {
    taken[j] = true;
    out[slot] = fresh[j]!;
  };
  const freeIndex = (slot: number, want: CpuSet | null): number => {
    if (want === null) return -1;
    if (!taken[slot] && fresh[slot]?.equals(want)) return slot;
    return fresh.findIndex((f, j) => !taken[j] && f !== null && f.equals(want));
  };
  const open = (): number[] => current.map((_, i) => i).filter((i) => out[i] === null && current[i] != null && fresh[i] != null);
  for (const i of open()) {
    const j = freeIndex(i, original[i] ?? null);
    if (j >= 0) give(i, j);
  }
  for (const i of open()) if (!taken[i] && current[i]!.equals(fresh[i]!)) give(i, i);
  for (const i of open()) {
    const j = freeIndex(i, current[i] ?? null);
    if (j >= 0) give(i, j);
  }
  for (const i of open()) {
    let best = -1;
    let bestOverlap = -1;
    fresh.forEach((f, j) => {
      if (taken[j] || f === null) return;
      const overlap = f.intersect(current[i]!).size;
      if (overlap > bestOverlap || (overlap === bestOverlap && j === i)) {
        best = j;
        bestOverlap = overlap;
      }
    });
    if (best >= 0) give(i, best);
  }
  return out;
}

function fallback(own: CpuSet, now: CpuSet, usable: CpuSet): CpuSet {
  if (!own.isEmpty && own.isSubsetOf(usable)) return own;
  for (const left of [now.intersect(usable), own.intersect(usable)]) if (!left.isEmpty) return left;
  return usable;
}
