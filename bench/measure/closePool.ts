import type { BenchPool } from '../peers/Peer.js';
import { withTimeout } from './withTimeout.js';

/**
 * Closes a pool after its sample, untimed; a close that fails or hangs (10 s) is reported through
 * `note` rather than thrown, so the sample's number stands and the report still says what went wrong.
 */
export async function closePool(pool: BenchPool, what: string, note: (line: string) => void): Promise<void> {
  const t0 = Date.now();
  try {
    await withTimeout(pool.close(), 10_000, `${what}: close()`);
  } catch (err) {
    note(`${(err as Error).message.split('\n')[0]} (after ${((Date.now() - t0) / 1000).toFixed(1)} s)`);
  }
}
