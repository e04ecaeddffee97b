import { readlinkSync } from 'node:fs';
// The trivial tasks every pool runs: they do nothing, so a benchmark on them measures the pool itself
// (queueing, messaging, scheduling), not the work. One module so that one pool can run all of them.

/** Returns its argument unchanged: the per-task round trip of a pool. */
export function noop(x: unknown): unknown {
  return x;
}

/**
 * `noop` over a chunk: how pools without `map` are given a chunked map (one message per chunk). The
 * result is built with `Array.prototype.map`, as corepin's workers build large chunk results: packed
 * from the start (a `new Array(n)` filled by index is holey, which V8 clones about 2× slower).
 */
export function noopChunk(xs: readonly unknown[]): unknown[] {
  return xs.map(noop);
}

/**
 * The OS thread that ran the task, as `pid/tid` (from `/proc/thread-self`): how the harness knows
 * every worker is up before it times anything (bench/workloads/everyWorkerAnswered.ts).
 */
export function whoami(): string {
  return readlinkSync('/proc/thread-self').split('/task/').join('/');
}

export default noop;
