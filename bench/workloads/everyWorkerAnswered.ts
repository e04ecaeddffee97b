import type { BenchPool } from '../peers/Peer.js';

/** Bursts tried before giving up (a note then says a start-up may be inside the timed window). */
const MAX_BURSTS = 50;

/**
 * Sends small bursts until `workers` different threads (pid/tid) have answered, so that no worker of
 * any peer is still starting when a timed burst begins: a pool that returns before its workers are up
 * would otherwise serve the warm-up from its first worker and meet the timed burst with a cold one
 * (seen for corepin's process pools under load, bench/history/burst2.md). Every peer gets the same
 * loop; it returns how many different threads answered.
 *
 * @example
 * const seen = await everyWorkerAnswered(pool, 2);
 * if (seen < 2) note('a worker was still starting after the warm-up');
 */
export async function everyWorkerAnswered(pool: BenchPool, workers: number): Promise<number> {
  const seen = new Set<string>();
  for (let b = 0; b < MAX_BURSTS && seen.size < workers; b++) {
    const burst = Array.from({ length: workers * 4 }, () => pool.apply('whoami', null));
    for (const r of await Promise.all(burst)) seen.add(String(r));
    if (seen.size < workers) await new Promise((resolve) => setTimeout(resolve, 10));
  }
  return seen.size;
}
