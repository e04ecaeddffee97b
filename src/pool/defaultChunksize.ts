/**
 * Largest automatic chunk of `map`/`starmap`. A chunk of 8,192 items keeps every array the chunk
 * travels as (the input slice, the copy a worker receives, its results, the copy the pool receives)
 * at 64 KiB of slots, under V8's 128 KiB limit for ordinary heap objects: a larger array goes to the
 * large-object space, fresh pages the kernel must fault in (measured: 1,000,000 items cut in chunks
 * of 125,000 cost the calling thread ~1.7× the CPU time of chunks of 8,192; bench/history/map.md).
 */
export const MAX_AUTO_CHUNKSIZE = 8192;

/**
 * The automatic chunk size of `map`/`starmap` for `length` inputs on `workers` workers: Python's
 * `Pool.map` rule, about four chunks per worker, `ceil(length / (4 × workers))` (at least 1), capped
 * at {@link MAX_AUTO_CHUNKSIZE} (Python has no cap).
 */
export function defaultChunksize(length: number, workers: number): number {
  const per = workers * 4;
  const chunksize = Math.floor(length / per) + (length % per ? 1 : 0);
  return Math.min(MAX_AUTO_CHUNKSIZE, Math.max(1, chunksize));
}
