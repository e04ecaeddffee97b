import { readlinkSync } from 'node:fs';
import { performance } from 'node:perf_hooks';

// A cache-hungry task: a pointer chase through a random cycle over a 1–4 MB array. Each step depends
// on the previous load, so the hardware prefetcher cannot hide misses and the time per step follows
// where the array lives (L1/L2 of this core, L3, or DRAM). A worker that stays on one core keeps its
// array warm in that core's caches; one that is moved pays to refill them.

/** What the cache walk is asked to do. */
export interface CacheWalkArgs {
  /** Dependent loads per task. */
  readonly steps: number;
  /** Size of the walked array in bytes (1–4 MB in the suite). */
  readonly bytes: number;
}

/** Where the task ran, so the parent can read `se.nr_migrations` of that very thread. */
export interface CacheWalkResult {
  readonly pid: number;
  readonly tid: number;
  /** The index reached; returned so the walk cannot be optimised away. */
  readonly end: number;
  /** Milliseconds the walk took inside the worker (the task's latency, without queueing or messaging). */
  readonly ms: number;
}

let ring: Int32Array | undefined;
let position = 0;
let where: { pid: number; tid: number } | undefined;

/** A single cycle through every slot (Sattolo's shuffle), with a fixed seed so every worker walks alike. */
function makeRing(length: number): Int32Array {
  const next = new Int32Array(length);
  for (let i = 0; i < length; i++) next[i] = i;
  let seed = 0x9e3779b9;
  for (let i = length - 1; i > 0; i--) {
    seed = (Math.imul(seed, 1664525) + 1013904223) >>> 0;
    const j = seed % i;
    const t = next[i]!;
    next[i] = next[j]!;
    next[j] = t;
  }
  return next;
}

/** Reads this OS thread's pid and tid from `/proc/thread-self` (a link to `<pid>/task/<tid>`). */
function thisThread(): { pid: number; tid: number } {
  const [pid, , tid] = readlinkSync('/proc/thread-self').split('/');
  return { pid: Number(pid), tid: Number(tid) };
}

/** Walks the worker's array for `steps` dependent loads; reports the thread it ran on. */
export function cacheWalk(args: CacheWalkArgs): CacheWalkResult {
  const length = args.bytes >> 2;
  if (!ring || ring.length !== length) {
    ring = makeRing(length);
    position = 0;
  }
  const t0 = performance.now();
  let p = position;
  const r = ring;
  for (let i = 0; i < args.steps; i++) p = r[p]!;
  position = p;
  where ??= thisThread();
  return { pid: where.pid, tid: where.tid, end: p, ms: performance.now() - t0 };
}

export default cacheWalk;
