import { Mode } from '../protocol.js';

/** Chunks of at least this many items are run in one Array.prototype.map pass (see runChunk). */
export const MAP_IN_ONE_PASS = 8192;

/**
 * Runs one map/starmap chunk; the results come out packed, in input order. Synchronous (an array)
 * unless an item returns a thenable: then the rest runs one by one, awaited, and a promise of the
 * array is returned (`flush` sends the results so far before each wait). A chunk of numbers sent as
 * a Float64Array (see the pool's mapAll) answers with that same Float64Array, its items replaced by
 * their results, when every result is a number (the worker then transfers its buffer back).
 */
export function runChunk(fn: (...args: unknown[]) => unknown, mode: Mode, items: unknown[] | Float64Array, flush: () => void): unknown[] | Float64Array | Promise<unknown[]> {
  if (items instanceof Float64Array) return runNumbers(fn, items, flush);
  const call = (x: unknown): unknown => (mode === Mode.Map ? fn(x) : fn(...(x as unknown[])));
  // Results must come out packed: V8 serializes packed arrays many times faster than holey
  // ones. Small chunks: push. Large chunks: push's regrowing copies cost more than the
  // work (measured ~2× slower at 125,000 items), and Array.prototype.map, which builds the
  // result at its final size and packed, is faster. map stops calling at an async result
  // or a hole (map skips holes); from there the items run one by one, awaited, in order.
  let next = 0;
  let stop = -1;
  let results: unknown[];
  if (items.length < MAP_IN_ONE_PASS) {
    results = [];
    stop = 0;
  } else {
    results = items.map((x, i) => {
      if (stop >= 0) return undefined;
      if (i !== next) {
        stop = next;
        return undefined;
      }
      next = i + 1;
      const r = call(x);
      if (isThenable(r)) stop = i;
      return r;
    });
    if (stop < 0 && next < items.length) stop = next;
  }
  if (stop < 0) return results;
  return runFrom(call, items, results, stop, next, flush);
}

/**
 * The chunk from item `from` on, one by one (results before `next` are already computed); from the
 * first thenable on, asynchronously (see {@link awaitRest}).
 */
function runFrom(call: (x: unknown) => unknown, items: ArrayLike<unknown>, results: unknown[], from: number, next: number, flush: () => void): unknown[] | Promise<unknown[]> {
  for (let i = from; i < items.length; i++) {
    const r = i < next ? results[i] : call(items[i]);
    if (isThenable(r)) {
      flush();
      return awaitRest(call, items, results, i, next, r, flush);
    }
    // Writing at i === length is a push: the array stays packed.
    results[i] = r;
  }
  return results;
}

/**
 * A chunk of numbers: each result replaces its item in the chunk's own Float64Array while they are
 * numbers (the array is the worker's alone, never shown to task code: no allocation, and its buffer
 * goes back as raw bytes); from the first one that is not, the rest runs as any chunk, reading the
 * items after it, which are still untouched.
 */
function runNumbers(fn: (...args: unknown[]) => unknown, items: Float64Array, flush: () => void): Float64Array | unknown[] | Promise<unknown[]> {
  const n = items.length;
  for (let i = 0; i < n; i++) {
    const r = fn(items[i]);
    if (typeof r === 'number') {
      items[i] = r;
      continue;
    }
    // The numbers so far, then this result (already computed), then the rest as any chunk runs.
    const results: unknown[] = Array.from(items.subarray(0, i));
    results.push(r);
    return runFrom(fn, items, results, i, i + 1, flush);
  }
  return items;
}

/** The rest of a chunk from item `at`, whose result `first` is a thenable: each item awaited in turn. */
async function awaitRest(call: (x: unknown) => unknown, items: ArrayLike<unknown>, results: unknown[], at: number, next: number, first: PromiseLike<unknown>, flush: () => void): Promise<unknown[]> {
  results[at] = await first;
  for (let i = at + 1; i < items.length; i++) {
    let r = i < next ? results[i] : call(items[i]);
    if (isThenable(r)) {
      flush();
      r = await r;
    }
    results[i] = r;
  }
  return results;
}

/** Whether `v` is a promise or another thenable (its result must be awaited). */
export function isThenable(v: unknown): v is PromiseLike<unknown> {
  return v !== null && (typeof v === 'object' || typeof v === 'function') && typeof (v as { then?: unknown }).then === 'function';
}
