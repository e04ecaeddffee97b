import type { CpuSet } from '../cpuset/CpuSet.js';
import { PlacementError } from '../placement/errors.js';
import { resolvePlacement } from '../placement/resolve.js';
import { readTopology } from '../topology/readTopology.js';
import type { AdapterPlacement } from './PinnedPool.js';

/**
 * The CPUs of each of `workers` slots (default: one slot per place the placement has) on this
 * machine's usable CPUs, through the placement resolver `Pool` uses.
 *
 * @throws {PlacementError | LocationError | CpuSetSyntaxError}
 */
export function resolveAdapterSlots(placement: AdapterPlacement, workers: number | undefined): CpuSet[] {
  if (workers !== undefined && (!Number.isInteger(workers) || workers < 1)) {
    throw new PlacementError(`maxThreads must be a whole number of at least 1 to pin a pool, got ${String(workers)}`);
  }
  if (placement === 'none' || (typeof placement === 'object' && !Array.isArray(placement) && (placement as { policy: string }).policy === 'none')) {
    throw new PlacementError("placement 'none' cannot pin a pool; leave the pool unadapted instead");
  }
  // Every other form is a policy, a location or a list: every slot has CPUs.
  return resolvePlacement(placement, readTopology(), workers).slots.map((s) => s!);
}
