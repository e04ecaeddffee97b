import type { MessagePort } from 'node:worker_threads';
import type { MemoryPlan } from '../launch/memoryPlan.js';
import { isRemoteError, type RemoteError } from './remoteError.js';

// The messages between the pool and its workers. Flat arrays with a tag first: many small tasks
// travel in one message (a batch), and flat arrays are the cheapest shape to clone or JSON-encode.
// Everything a worker sends is checked by parseWorkerMessage before the pool acts on it.

/**
 * Pool → worker: run tasks. Then one group per task (see {@link writeRunTask}): `id, fn, mode`, and
 * for Apply/Reporting the argument count and the arguments inline, for Map/Star the chunk.
 */
export const RUN = 'cp:run';
/** Pool → worker: exit now (the worker is idle). */
export const EXIT = 'cp:exit';
/** Pool → process worker: what to load; first message on the channel. */
export const INIT = 'cp:init';
/** Worker → pool: pinned, module loaded, initializer done. `[READY, pid, tid, exportNames]`. */
export const READY = 'cp:ready';
/** Worker → pool: start-up failed. `[FAIL, phase, error]`. */
export const FAIL = 'cp:fail';
/**
 * Worker → pool: results. `[DONE, busyMs]` then `id, status, value` repeated, in the order the tasks
 * were sent; a run of plain results as one group `id, Status.OkRun, count, value…`, or as
 * `id, Status.OkList, [value…]` (the same three places as one result).
 */
export const DONE = 'cp:done';
/** Worker → pool: the error that is about to kill the worker (an uncaught exception). `[CRASH, error]`. */
export const CRASH = 'cp:crash';
/**
 * Worker → pool, last words of a dying worker (process.exit, uncaught exception): `[STOPPED, id]` —
 * it was running task `id` (or null: none), and no task sent after it has started.
 */
export const STOPPED = 'cp:stopped';

/**
 * Worker → pool: `[PROGRESS, id, value]` — task `id` (sent as Mode.Reporting) reported `value`.
 * Sent at once, so it may pass results still buffered; the pool drops it once the task settled.
 */
export const PROGRESS = 'cp:progress';

/** Fields per result in a DONE message. */
export const DONE_STRIDE = 3;

/** How a task's payload is applied to the export. */
export const enum Mode {
  /** `fn(...payload)`; one result. */
  Apply = 0,
  /**
   * `payload.map(x => fn(x))`, one after another; an array of results (a `map`/`imap` chunk). A
   * thread pool's `map` sends a chunk of numbers as a Float64Array, answered by a Float64Array while
   * every result is a number (worker/runChunk.ts).
   */
  Map = 1,
  /** `payload.map(args => fn(...args))`; an array of results (a `starmap` chunk). */
  Star = 2,
  /** Like Apply, and the caller listens: the task may send PROGRESS messages. */
  Reporting = 3,
  /**
   * A run of Apply tasks of one argument each, ids `id, id + 1, …`: the group is `id, fn, Plain,
   * count, arg…` (count ≥ 1), where each task is otherwise `id, fn, Apply, 1, arg`. A burst of
   * `apply(fn, [x])` is such a run; its message carries a fifth of the values to clone on each side
   * (bench/history/burst4.md). Thread pools write it; any worker reads it.
   */
  Plain = 4,
}

/** How a result came out. */
export const enum Status {
  /** Returned `value`. */
  Ok = 0,
  /** Returned undefined (JSON has no undefined). */
  Undefined = 1,
  /** Threw an Error; `value` is a RemoteError. */
  Threw = 2,
  /** Threw something that is not an Error; `value` is what was thrown. */
  ThrewValue = 3,
  /** Returned a value that could not be sent; `value` is a RemoteError describing why. */
  Unsendable = 4,
  /**
   * Not one result but a run of them: `id, OkRun, count, value…` (count ≥ 1) — tasks `id, id + 1, …`
   * returned these values (none undefined). What a worker answers a run of plain applies with.
   */
  OkRun = 5,
  /**
   * A run of results as one array: `id, OkList, [value…]` (at least one value) — tasks `id, id + 1,
   * …` returned these values (none undefined). A worker answers a Mode.Plain group with it: each
   * result is written over its argument in the RUN message and the run is cut out with one `slice`,
   * so its hot loop stays small (bench/history/burst5.md).
   */
  OkList = 6,
}

// Arguments inline, not an array per task: an array per task costs a clone of its own on each side
// (measured ~3× the serializing cost of the inline form for `apply(fn, [i])`). Longer argument
// lists (and holey giants like `new Array(1e9)`) go as their array, after the count -1.
const INLINE_ARGS = 8;

/**
 * Appends one task to a RUN message being built: `id, fn, mode`, then for Apply/Reporting `n` and
 * the `n` arguments (n ≤ 8) or `-1` and the arguments' array; for Map/Star the chunk's items.
 * `fn` null: the same export as the task before it in this message (one string per batch, not per
 * task). Reads the arguments: a Proxy's traps run here, and may throw (the caller sends one by one).
 */
export function writeRunTask(msg: unknown[], id: number, fn: string | null, mode: Mode, payload: unknown): void {
  msg.push(id, fn, mode);
  if (mode !== Mode.Apply && mode !== Mode.Reporting) {
    msg.push(payload);
    return;
  }
  const args = payload as readonly unknown[];
  const n = args.length;
  if (n > INLINE_ARGS) {
    msg.push(-1, args);
    return;
  }
  msg.push(n);
  for (let i = 0; i < n; i++) msg.push(args[i]);
}

/**
 * How many places {@link writeRunTask} takes for one task: `id, fn, mode` and the count and inline
 * arguments (Apply/Reporting with up to 8), or `-1` and the arguments' array, or the chunk.
 */
export function runTaskSize(mode: Mode, payload: unknown): number {
  if (mode !== Mode.Apply && mode !== Mode.Reporting) return 4;
  const n = (payload as readonly unknown[]).length;
  return n > INLINE_ARGS ? 5 : 4 + n;
}

/**
 * {@link writeRunTask} into places `at` onward of a message already long enough (see
 * {@link runTaskSize}), written in place instead of pushed; returns where the next task goes.
 */
export function putRunTask(msg: unknown[], at: number, id: number, fn: string | null, mode: Mode, payload: unknown): number {
  msg[at] = id;
  msg[at + 1] = fn;
  msg[at + 2] = mode;
  if (mode !== Mode.Apply && mode !== Mode.Reporting) {
    msg[at + 3] = payload;
    return at + 4;
  }
  const args = payload as readonly unknown[];
  const n = args.length;
  if (n > INLINE_ARGS) {
    msg[at + 3] = -1;
    msg[at + 4] = args;
    return at + 5;
  }
  msg[at + 3] = n;
  for (let i = 0; i < n; i++) msg[at + 4 + i] = args[i];
  return at + 4 + n;
}

/**
 * Writes the header of a Mode.Plain group (`id, fn, Plain, count`) at `at`; its `count` arguments
 * follow. The pool writes whole groups; a worker rewrites what is left of one in place.
 */
export function putPlainHeader(msg: unknown[], at: number, id: number, fn: string | null, count: number): void {
  msg[at] = id;
  msg[at + 1] = fn;
  msg[at + 2] = Mode.Plain;
  msg[at + 3] = count;
}

/** Whether a RUN message is well formed (see {@link writeRunTask}); the worker ignores any other. */
export function isRunMessage(m: readonly unknown[]): boolean {
  if (m.length < 5 || m[2] === null) return false;
  let k = 1;
  while (k < m.length) {
    const fn = m[k + 1];
    const mode = m[k + 2];
    if (!Number.isInteger(m[k]) || (fn !== null && typeof fn !== 'string')) return false;
    if (mode === Mode.Apply || mode === Mode.Reporting) {
      const n = m[k + 3];
      if (n === -1) {
        if (!Array.isArray(m[k + 4])) return false;
        k += 5;
      } else if (typeof n === 'number' && Number.isInteger(n) && n >= 0 && n <= INLINE_ARGS) k += 4 + n;
      else return false;
    } else if (mode === Mode.Plain) {
      const n = m[k + 3];
      if (typeof n !== 'number' || !Number.isInteger(n) || n < 1 || k + 4 + n > m.length || !Number.isSafeInteger((m[k] as number) + n)) return false;
      k += 4 + n;
    } else if (mode === Mode.Map || mode === Mode.Star) {
      // A thread pool's map sends a chunk of numbers as a Float64Array (see Mode.Map).
      const items = m[k + 3];
      if (!Array.isArray(items) && !(mode === Mode.Map && items instanceof Float64Array)) return false;
      k += 4;
    } else return false;
  }
  return k === m.length;
}

/** What the worker needs to start (for processes it arrives as the INIT message, for threads in workerData). */
export interface WorkerInit {
  /** file: URL of the task module. */
  readonly module: string;
  /** Its path when it is CommonJS and is loaded with require() (pool/commonJsTaskModule.ts), else null: import(). */
  readonly require?: string | null;
  /** Initializer export, or null. */
  readonly initializer: string | null;
  readonly initargs: readonly unknown[];
}

/** Where start-up failed. */
export type FailPhase = 'import' | 'export' | 'initializer' | 'pin';

/** A message from a worker after checking. */
export type WorkerMessage =
  | { readonly type: typeof READY; readonly pid: number; readonly tid: number; readonly exports: readonly string[] }
  | { readonly type: typeof FAIL; readonly phase: FailPhase; readonly error: RemoteError }
  | { readonly type: typeof DONE; readonly busyMs: number; readonly data: readonly unknown[] }
  | { readonly type: typeof CRASH; readonly error: RemoteError }
  | { readonly type: typeof STOPPED; readonly running: number | null }
  | { readonly type: typeof PROGRESS; readonly id: number; readonly value: unknown };

/** Tags a pool message can have (to tell a malformed protocol message from a foreign one). */
const WORKER_TAGS = new Set<unknown>([READY, FAIL, DONE, CRASH, STOPPED, PROGRESS]);

/**
 * Checks a message from a worker. Returns the typed message, or a string saying what is wrong.
 * Result ids are checked by the pool (against the tasks it sent); here only the shape.
 */
export function parseWorkerMessage(m: unknown): WorkerMessage | string {
  if (!Array.isArray(m) || m.length === 0) return 'not a pool message (expected a tagged array)';
  const tag: unknown = m[0];
  // Describe only strings: String() of a foreign object can run its code, or throw.
  if (!WORKER_TAGS.has(tag)) return `unknown message tag ${typeof tag === 'string' ? JSON.stringify(tag.slice(0, 40)) : `of type ${typeof tag}`}`;
  switch (tag) {
    case DONE: {
      const busy: unknown = m[1];
      if (typeof busy !== 'number' || !(busy >= 0)) return 'DONE without a busy time';
      if (m.length === 2) return 'DONE with a partial result';
      for (let i = 2; i < m.length; ) {
        const why = badResult(m, i);
        if (why !== null) return why;
        i += m[i + 1] === Status.OkRun ? 3 + (m[i + 2] as number) : DONE_STRIDE;
      }
      return { type: DONE, busyMs: busy, data: m };
    }
    case READY: {
      const [, pid, tid, exports] = m as unknown[];
      if (!isPositiveInt(pid) || !isPositiveInt(tid)) return 'READY without pid and tid';
      if (!Array.isArray(exports) || !exports.every((e) => typeof e === 'string')) return 'READY without export names';
      return { type: READY, pid, tid, exports: exports as string[] };
    }
    case FAIL: {
      const [, phase, error] = m as unknown[];
      if (phase !== 'import' && phase !== 'export' && phase !== 'initializer' && phase !== 'pin') return 'FAIL with an unknown phase';
      if (!isRemoteError(error)) return 'FAIL without an error';
      return { type: FAIL, phase, error };
    }
    case PROGRESS: {
      const id: unknown = m[1];
      if (typeof id !== 'number' || !Number.isInteger(id) || m.length !== 3) return 'PROGRESS without a task id and one value';
      return { type: PROGRESS, id, value: m[2] };
    }
    case STOPPED: {
      const running: unknown = m[1];
      if (running !== null && !(typeof running === 'number' && Number.isInteger(running))) return 'STOPPED without a task id';
      return { type: STOPPED, running };
    }
    default: {
      const error: unknown = m[1];
      if (!isRemoteError(error)) return 'CRASH without an error';
      return { type: CRASH, error };
    }
  }
}

/** What is wrong with the DONE group at `i` (one result, or a run of them), or null. */
function badResult(m: readonly unknown[], i: number): string | null {
  const id: unknown = m[i];
  const status: unknown = m[i + 1];
  if (i + DONE_STRIDE > m.length) return 'DONE with a partial result';
  if (typeof id !== 'number' || !Number.isInteger(id)) return 'DONE with a non-integer task id';
  if (typeof status !== 'number' || !Number.isInteger(status) || status < 0 || status > Status.OkList) return 'DONE with an unknown status';
  if ((status === Status.Threw || status === Status.Unsendable) && !isRemoteError(m[i + 2])) return 'DONE with a malformed error';
  if (status === Status.OkRun) {
    const n: unknown = m[i + 2];
    if (typeof n !== 'number' || !Number.isInteger(n) || n < 1 || i + 3 + n > m.length) return 'DONE with a partial result';
  }
  if (status === Status.OkList) {
    const list: unknown = m[i + 2];
    if (!Array.isArray(list) || list.length === 0) return 'DONE with an empty or malformed result list';
  }
  return null;
}

/** Whether a message claims to be from the pool protocol (tagged), valid or not. */
export function isPoolTagged(m: unknown): boolean {
  return Array.isArray(m) && WORKER_TAGS.has(m[0]);
}

function isPositiveInt(v: unknown): v is number {
  return typeof v === 'number' && Number.isInteger(v) && v > 0;
}

/** What the pool passes a thread worker as workerData (process workers get argv and an INIT message). */
export interface ThreadWorkerData {
  /** The slot's CPU list, or null for no pinning. */
  readonly cpus: string | null;
  readonly init: WorkerInit;
  /** Where the pool loaded the addon from, so the worker need not search for it. */
  readonly addonPath?: string | undefined;
  /** The slot's memory policy, set on this thread only (null: unchanged). */
  readonly memory?: MemoryPlan | null;
  /** `nice:sched` for this thread, or null. */
  readonly sched?: string | null;
  /**
   * The pool's own channel (transferred): the task module can reach `parentPort` but not this, so
   * nothing task code posts can pass for a pool message.
   */
  readonly port: MessagePort;
}
