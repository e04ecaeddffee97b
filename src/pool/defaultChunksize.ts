/**
 * Python's `Pool.map` chunk size for `length` inputs on `workers` workers: about four chunks per
 * worker, `ceil(length / (4 × workers))` (at least 1).
 */
export function defaultChunksize(length: number, workers: number): number {
  const per = workers * 4;
  const chunksize = Math.floor(length / per) + (length % per ? 1 : 0);
  return Math.max(1, chunksize);
}
