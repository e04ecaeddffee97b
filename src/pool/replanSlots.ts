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
 * - A slot whose own CPUs — those of the pool's first placement — are all usable has them: it keeps
 *   them, or gets them back when they return (so CPUs that come back are used again).
 * - Any other slot takes its entry of `fresh`, the same placement made again over the usable CPUs;
 *   when there is none (the placement cannot be made now, e.g. an explicit list naming an offline
 *   CPU), what is left of its current CPUs, else what is left of its own, else every usable CPU.
 * - Unpinned slots (null) never move; with no usable CPU at all nothing moves (nothing could run).
 */
export function replanSlots(
  original: readonly (CpuSet | null)[],
  current: readonly (CpuSet | null)[],
  fresh: readonly (CpuSet | null)[] | null,
  usable: CpuSet,
): SlotMove[] {
  if (usable.isEmpty) return [];
  const moves: SlotMove[] = [];
  original.forEach((own, slot) => {
    const now = current[slot] ?? null;
    if (own === null || now === null) return;
    const to = target(own, now, fresh?.[slot] ?? null, usable);
    if (!to.equals(now)) moves.push({ slot, from: now, to });
  });
  return moves;
}

function target(own: CpuSet, now: CpuSet, fresh: CpuSet | null, usable: CpuSet): CpuSet {
  if (!own.isEmpty && own.isSubsetOf(usable)) return own;
  if (fresh !== null && !fresh.isEmpty && fresh.isSubsetOf(usable)) return fresh;
  for (const left of [now.intersect(usable), own.intersect(usable)]) if (!left.isEmpty) return left;
  return usable;
}
