import type { CpuSet } from '../cpuset/CpuSet.js';
import type { BindingMode } from '../launch/LaunchSettings.js';
import type { Slot } from './Slot.js';

/**
 * The CPUs a slot's worker is pinned to: with binding `'slot'` the slot's own set (hard binding);
 * with `'pool'` the union of every slot's set (soft binding: the scheduler balances the workers
 * over the pool's CPUs, which the pool still owns). Null when the slot is unpinned.
 */
export function bindingCpus(binding: BindingMode, slot: Slot, slots: readonly Slot[]): CpuSet | null {
  if (binding === 'slot' || slot.cpus === null) return slot.cpus;
  let union = slot.cpus;
  for (const s of slots) if (s.cpus !== null) union = union.union(s.cpus);
  return union;
}
