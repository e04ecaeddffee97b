import type { CpuSet } from '../cpuset/CpuSet.js';
import { plan, isPolicyName } from '../placement/plan.js';
import { PlacementError } from '../placement/errors.js';
import { placementView } from '../placement/PlacementView.js';
import { readTopology } from '../topology/readTopology.js';
import { resolveLocation } from '../topology/resolveLocation.js';
import type { AdapterPlacement } from './PinnedPool.js';

/**
 * The CPUs of each of `workers` slots (default: one slot per place the placement has) on this
 * machine's usable CPUs, through the same placement layer as `Pool`.
 *
 * @throws {PlacementError | LocationError | CpuSetSyntaxError}
 */
export function resolveAdapterSlots(placement: AdapterPlacement, workers: number | undefined): CpuSet[] {
  if (workers !== undefined && (!Number.isInteger(workers) || workers < 1)) {
    throw new PlacementError(`maxThreads must be a whole number of at least 1 to pin a pool, got ${String(workers)}`);
  }
  const topology = readTopology();
  if (Array.isArray(placement)) {
    const list = placement as readonly (CpuSet | string)[];
    if (list.length === 0) throw new PlacementError('placement list is empty; give one CPU set or location per slot, e.g. ["0", "1"]');
    return plan(topology, workers ?? list.length, 'list', { list }).slots.map((s) => s.cpus);
  }
  if (typeof placement === 'object') {
    const p = placement as Exclude<AdapterPlacement, string | readonly unknown[]>;
    const options = { ...(p.reserve !== undefined ? { reserve: p.reserve } : {}), ...(p.smt !== undefined ? { smt: p.smt } : {}) };
    return plan(topology, workers ?? placementView(topology, options).usable.size, p.policy, options).slots.map((s) => s.cpus);
  }
  if (isPolicyName(placement)) return plan(topology, workers ?? topology.usable.size, placement).slots.map((s) => s.cpus);
  // A location or CPU list: the slots stay within it, one per CPU by default, spread.
  const within = resolveLocation(placement, topology).intersect(topology.usable);
  if (within.isEmpty) throw new PlacementError(`placement ${JSON.stringify(placement)} names no usable CPU; usable CPUs are ${topology.usable.toList()}`);
  return plan(topology, workers ?? within.size, 'spread', { reserve: topology.usable.difference(within) }).slots.map((s) => s.cpus);
}
