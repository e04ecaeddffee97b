// The trivial tasks every pool runs: they do nothing, so a benchmark on them measures the pool itself
// (queueing, messaging, scheduling), not the work. One module so that one pool can run all of them.

/** Returns its argument unchanged: the per-task round trip of a pool. */
export function noop(x: unknown): unknown {
  return x;
}

/** `noop` over a chunk: how pools without `map` are given a chunked map (one message per chunk). */
export function noopChunk(xs: readonly unknown[]): unknown[] {
  const out = new Array<unknown>(xs.length);
  for (let i = 0; i < xs.length; i++) out[i] = noop(xs[i]);
  return out;
}

export default noop;
