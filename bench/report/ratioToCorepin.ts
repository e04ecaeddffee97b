import type { BenchResults, PeerInfo } from '../BenchResults.js';
import { workload, type WorkloadId } from '../workloads/Workload.js';

/** The median of a (workload, peer) pair in a finished run, or null. */
export function medianOf(results: BenchResults, id: WorkloadId, peer: string): number | null {
  return results.series.find((s) => s.workload === id && s.peer === peer)?.summary?.median ?? null;
}

/** The corepin pool of the same kind as `peer` (Python's Pool counts as a process pool). */
export function corepinOf(peer: PeerInfo): string {
  return `corepin-${peer.kind}`;
}

/**
 * How many times better corepin (same kind) is than `peer` on `id`: corepin ÷ peer for throughputs,
 * peer ÷ corepin for times, so >1 always means corepin leads. Null when either number is missing.
 */
export function ratioToCorepin(results: BenchResults, id: WorkloadId, peer: PeerInfo): number | null {
  const mine = medianOf(results, id, peer.id);
  const ref = medianOf(results, id, corepinOf(peer));
  if (mine === null || ref === null || mine === 0 || ref === 0) return null;
  return workload(id).higherIsBetter ? ref / mine : mine / ref;
}
