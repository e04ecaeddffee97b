import { performance } from 'node:perf_hooks';
import type { Peer } from '../peers/Peer.js';
import { withTimeout } from '../measure/withTimeout.js';
import { closePool } from '../measure/closePool.js';

/**
 * Milliseconds from the pool constructor to the first result of a trivial task, on a fresh pool
 * (the pool is closed afterwards, untimed). `pinned` only matters to peers that can pin.
 */
export async function startupSample(peer: Peer, workers: number, pinned: boolean, timeoutMs: number, note: (line: string) => void): Promise<number> {
  const t0 = performance.now();
  const pool = await peer.create({ workers, pinned });
  try {
    await withTimeout(pool.apply('noop', 0), timeoutMs, `${peer.id} start-up`);
    return performance.now() - t0;
  } finally {
    await closePool(pool, `${peer.id} start-up`, note);
  }
}
