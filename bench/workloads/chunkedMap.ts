import type { BenchPool } from '../peers/Peer.js';

/** Python's automatic `Pool.map` chunk size: ceil(len / (4 × workers)). */
export function pythonChunksize(length: number, workers: number): number {
  const c = Math.floor(length / (workers * 4));
  return length % (workers * 4) === 0 ? Math.max(c, 1) : c + 1;
}

/**
 * `map` for pools that have none: the items are cut into chunks of Python's automatic size and each
 * chunk is one `noopChunk` task — what a user of such a pool writes to get bulk throughput. The chunks
 * are joined with one `concat`, as corepin's own map joins them (`.flat()` is several times slower).
 */
export async function chunkedMap(pool: BenchPool, items: readonly unknown[], workers: number): Promise<unknown[]> {
  const size = pythonChunksize(items.length, workers);
  const parts: Promise<unknown>[] = [];
  for (let i = 0; i < items.length; i += size) parts.push(pool.apply('noopChunk', items.slice(i, i + size)));
  return ([] as unknown[]).concat(...((await Promise.all(parts)) as unknown[][]));
}
