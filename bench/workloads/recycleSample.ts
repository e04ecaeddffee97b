import { performance } from 'node:perf_hooks';
import type { Peer } from '../peers/Peer.js';
import { withTimeout } from '../measure/withTimeout.js';
import { closePool } from '../measure/closePool.js';

/**
 * Tasks per second with a fresh worker for every task (`maxTasksPerChild: 1`, tinypool's
 * `isolateWorkers`): `tasks` trivial tasks in a burst, after one task per worker has run so that the
 * pool is up. Workers are pinned where the peer can pin, as a user of corepin would have them.
 */
export async function recycleSample(peer: Peer, workers: number, tasks: number, timeoutMs: number, note: (line: string) => void): Promise<number> {
  const pool = await peer.create({ workers, pinned: true, maxTasksPerChild: 1 });
  try {
    await withTimeout(Promise.all(Array.from({ length: workers }, (_, i) => pool.apply('noop', i))), timeoutMs, `${peer.id} recycle warm-up`);
    const t0 = performance.now();
    await withTimeout(Promise.all(Array.from({ length: tasks }, (_, i) => pool.apply('noop', i))), timeoutMs, `${peer.id} recycle`);
    return tasks / ((performance.now() - t0) / 1000);
  } finally {
    await closePool(pool, `${peer.id} recycle`, note);
  }
}
