import { defaultChunksize } from './defaultChunksize.js';
import { maybeFinishClosing } from './closing.js';
import { abortTask, admit, callSettings, dispatch, enqueue, settle } from './dispatch.js';
import { AbortError, PoolOptionsError } from './errors.js';
import { ImapIterator, type ChunkRunner } from './ImapIterator.js';
import type { PoolCore, StreamEntry } from './PoolCore.js';
import type { MapOptions } from './PoolOptions.js';
import { Mode } from './protocol.js';
import { TaskState, type Task } from './Task.js';
import { TransferListError } from './TransferListError.js';

// map/imap/starmap plumbing: argument forms, collecting inputs, joining chunk results, cutting a
// whole input into chunks (mapAll) and streaming one (openStream).

/** `(fn, iterable, options)` or `(iterable, options)` with fn `'default'`. */
export function splitArgs(
  a: string | Iterable<unknown> | AsyncIterable<unknown>,
  b: Iterable<unknown> | AsyncIterable<unknown> | MapOptions | undefined,
  c: MapOptions | undefined,
): [string, Iterable<unknown> | AsyncIterable<unknown>, MapOptions | undefined] {
  if (typeof a === 'string') return [a, b as Iterable<unknown> | AsyncIterable<unknown>, c];
  return ['default', a, b as MapOptions | undefined];
}

const UNSET = (): undefined => undefined;

/**
 * The array map's results are written into: packed (V8 copies packed arrays many times faster than
 * holey ones, e.g. when the caller posts the results on), `length` long. Made from the input when it
 * is still a plain array of that length (one pass, no regrowing); else a holey array.
 */
export function resultArray(items: readonly unknown[], length: number): unknown[] {
  if (items.length === length && Object.getPrototypeOf(items) === Array.prototype) return Array.prototype.map.call(items, UNSET) as unknown[];
  return new Array<unknown>(length);
}

/** `items[start..end)` as a Float64Array when every one is a number (a hole is not), else null. */
export function cutNumbers(items: readonly unknown[], start: number, end: number): Float64Array | null {
  const stop = Math.min(end, items.length);
  const out = new Float64Array(stop - start);
  for (let i = start; i < stop; i++) {
    const x = items[i];
    if (typeof x !== 'number') return null;
    out[i - start] = x;
  }
  return out;
}

/** The inputs as an array (an array is used as is: map only reads it, chunk by chunk). */
export async function collect(iterable: Iterable<unknown> | AsyncIterable<unknown>, what: string): Promise<readonly unknown[]> {
  if (Array.isArray(iterable)) return iterable;
  if (iterable !== null && typeof iterable === 'object') {
    if (Symbol.asyncIterator in iterable) {
      const out: unknown[] = [];
      for await (const x of iterable) out.push(x);
      return out;
    }
    if (Symbol.iterator in iterable) return Array.from(iterable);
  }
  throw new PoolOptionsError(`${what}: the input must be an iterable or an async iterable`);
}

/** map/starmap: every item in chunks; resolves with the results in input order, or rejects with the first failure. */
export function mapAll(core: PoolCore, fn: string, items: readonly unknown[], mode: Mode, options: MapOptions | undefined): Promise<unknown[]> {
  return new Promise((resolve, reject) => {
    const chunksize = options?.chunksize ?? defaultChunksize(items.length, core.size);
    if (!Number.isInteger(chunksize) || chunksize < 1) return reject(new PoolOptionsError(`chunksize must be a whole number of at least 1, got ${String(chunksize)}`));
    const chunks = Math.ceil(items.length / chunksize);
    const refused = noTransfer(mode === Mode.Star ? 'starmap' : 'map', options) ?? admit(core, fn, chunks, false);
    if (refused) return reject(refused);
    const call = callSettings(core, options);
    if (call instanceof Error) return reject(call);
    if (chunks === 0) return resolve([]);
    // Thread workers get a chunk of numbers as a Float64Array: structured clone copies its bytes at
    // once, where an array is written and read back value by value on both sides.
    const numbers = core.kind === 'thread' && mode === Mode.Map;
    // Results are copied into one array as chunks arrive, so no chunk's result outlives its message.
    let out: unknown[] | null = null;
    const n = items.length;
    const tasks: Task[] = [];
    let left = chunks;
    let over = false;
    const finish = (): void => {
      over = true;
      call.signal?.removeEventListener('abort', onAbort);
    };
    const onAbort = (): void => {
      for (const t of tasks) abortTask(core, t, call.signal!.reason);
    };
    // Before the loop: a chunk sent early (below) may fail at once, and finish() removes it then.
    call.signal?.addEventListener('abort', onAbort, { once: true });
    for (let start = 0, c = 0; start < items.length; start += chunksize, c++) {
      // Once every worker has a chunk, send them: the workers start while the rest are cut.
      if (c === core.size) dispatch(core);
      const chunk = numbers ? cutNumbers(items, start, start + chunksize) ?? items.slice(start, start + chunksize) : items.slice(start, start + chunksize);
      const size = chunk.length;
      const at = start;
      tasks.push(
        enqueue(core, fn, mode, chunk, call, (ok, v) => {
          if (over) return;
          const length = Array.isArray(v) || v instanceof Float64Array ? v.length : -1;
          if (ok && length !== size) {
            ok = false;
            v = new TypeError(`a worker answered a chunk of ${size} with ${length >= 0 ? `${length} results` : 'something that is not an array'}`);
          }
          if (!ok) {
            finish();
            return reject(v);
          }
          const part = v as unknown[] | Float64Array;
          if (chunks === 1 && Array.isArray(part)) out = part;
          else {
            // Allocated at the first answer, while the workers run: not before the first chunk goes out.
            out ??= resultArray(items, n);
            // Two loops: each sees one kind of array (one shape, one fast element load).
            if (Array.isArray(part)) for (let i = 0; i < size; i++) out[at + i] = part[i];
            else for (let i = 0; i < size; i++) out[at + i] = part[i];
          }
          if (--left === 0) {
            finish();
            resolve(out!);
          }
        }),
      );
    }
  });
}

/** imap/imapUnordered: a lazy stream over `iterable`, registered with the pool so close() waits for it. */
export function openStream<R>(core: PoolCore, ordered: boolean, fn: string, iterable: Iterable<unknown> | AsyncIterable<unknown>, options: MapOptions | undefined): ImapIterator<R> {
  const chunksize = options?.chunksize ?? 1;
  const isIterable = iterable !== null && typeof iterable === 'object' && (Symbol.iterator in iterable || Symbol.asyncIterator in iterable);
  let refused: Error | null = null;
  if (!isIterable && typeof iterable !== 'string') refused = new PoolOptionsError('imap: the input must be an iterable or an async iterable');
  else if (!Number.isInteger(chunksize) || chunksize < 1) refused = new PoolOptionsError(`chunksize must be a whole number of at least 1, got ${String(chunksize)}`);
  refused ??= noTransfer('imap', options) ?? admit(core, fn, 0, false);
  const call = refused ? null : callSettings(core, options);
  if (call instanceof Error) refused = call;
  // Enough chunks ahead to keep every worker's window full, never fewer than four per worker.
  const ahead = Math.max(4 * core.size, Math.ceil((core.size * 1024) / chunksize));
  const runner: ChunkRunner = {
    run: (items, done) => {
      const no = admit(core, fn, 1, true);
      return no ?? enqueue(core, fn, Mode.Map, items, call as Exclude<typeof call, Error | null>, done, true);
    },
    hasRoom: () => core.streamQueued < core.maxQueue,
    errored: () => {
      // Give the consumer a turn to go on iterating before close() takes the stream as abandoned.
      if (core.state === 'closing') setImmediate(() => maybeFinishClosing(core));
    },
    cancel: (task) => {
      if (task.state === TaskState.Queued) settle(core, task, false, undefined, false, true);
    },
    abort: (task, reason) => abortTask(core, task, reason),
    finished: (s) => {
      const entry = core.streamEntries.get(s);
      if (entry !== undefined) {
        core.streams.delete(entry);
        core.streamGone.unregister(entry);
      }
      if (call && !(call instanceof Error)) call.signal?.removeEventListener('abort', onAbort);
      maybeFinishClosing(core);
    },
  };
  const stream = new ImapIterator<R>(runner, refused ? [] : (iterable as Iterable<unknown>), ordered, chunksize, ahead);
  const onAbort = (): void => stream.fail(new AbortError((call as { signal: AbortSignal }).signal.reason), true);
  if (refused) {
    stream.fail(refused, false);
    return stream;
  }
  const entry: StreamEntry = { ref: new WeakRef(stream as ImapIterator<unknown>) };
  core.streams.add(entry);
  core.streamEntries.set(stream as ImapIterator<unknown>, entry);
  core.streamGone.register(stream, entry, entry);
  if (call && !(call instanceof Error)) call.signal?.addEventListener('abort', onAbort, { once: true });
  return stream;
}

// map/starmap/imap move nothing (decided: a chunk holds many items, and a crash sends a chunk again,
// which a moved buffer cannot be); a `transfer` given anyway (from JavaScript) is refused, not ignored.
function noTransfer(what: string, options: MapOptions | undefined): TransferListError | null {
  if ((options as { transfer?: unknown } | undefined)?.transfer === undefined) return null;
  return new TransferListError(-1, `${what}: takes no transfer list (its items are copied): to move ArrayBuffers, call apply(fn, [buf], { transfer: [buf] }) per item`);
}
