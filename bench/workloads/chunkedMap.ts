import { MAX_AUTO_CHUNKSIZE } from '../../src/pool/defaultChunksize.js';
import type { BenchPool } from '../peers/Peer.js';

/** Python's automatic `Pool.map` chunk size: ceil(len / (4 × workers)). */
export function pythonChunksize(length: number, workers: number): number {
  const c = Math.floor(length / (workers * 4));
  return length % (workers * 4) === 0 ? Math.max(c, 1) : c + 1;
}

/**
 * `map` for pools that have none: the items are cut into chunks of corepin's automatic size (Python's,
 * capped at 8,192 items, the cap that keeps V8's arrays out of the large-object space) and each chunk
 * is one `noopChunk` task — what a careful user of such a pool writes to get bulk throughput. Each
 * chunk's results are copied into one packed array as it answers, as corepin's map does (kept parts
 * joined by `concat` at the end cost the garbage collector more; `.flat()` is several times slower).
 */
export async function chunkedMap(pool: BenchPool, items: readonly unknown[], workers: number): Promise<unknown[]> {
  const size = Math.min(pythonChunksize(items.length, workers), MAX_AUTO_CHUNKSIZE);
  let out: unknown[] | null = null;
  const parts: Promise<void>[] = [];
  for (let i = 0; i < items.length; i += size) {
    const at = i;
    parts.push(
      pool.apply('noopChunk', items.slice(i, i + size)).then((part) => {
        const p = part as unknown[];
        out ??= items.map(() => undefined);
        for (let k = 0; k < p.length; k++) out[at + k] = p[k];
      }),
    );
  }
  await Promise.all(parts);
  return out ?? [];
}
