import { Mode, Status, putPlainHeader } from '../protocol.js';
import { toRemoteError } from '../remoteError.js';
import { isThenable } from './runChunk.js';
import { moves, takeMoved } from './movedResults.js';

// The worker's fast lane (issue 16): a run of tasks in one RUN message that are each `apply(fn,
// [x])` of the export the task before named. Most of a fresh worker's cost in a burst was V8
// warming up its one big task loop (WorkerLoop.drain, an async function: tens of ms of TurboFan
// work per worker, while it ran unoptimized). This loop is small and synchronous: it is optimized
// early and cheaply, and drain runs only the other tasks.

type TaskFn = (...args: unknown[]) => unknown;

/** What a run left behind: the task running now (for the worker's last words), a thenable to await. */
export interface PlainState {
  /** The id of the task running now, or null. */
  current: number | null;
  /** Tasks run by the last call. */
  ran: number;
  /** A task's thenable result, left for the caller to await and answer (see {@link awaitOutcome}). */
  thenable: PromiseLike<unknown> | undefined;
  /** The results array holding the open Status.OkRun group, where its count is, and its next id. */
  runOut: unknown[] | null;
  runCount: number;
  runNext: number;
  /**
   * In a Plain group's loop (callEach): the place of the running task's argument (-1: none), the id
   * at place 0, and the array that loop writes its results into, from the task at place `from` on.
   */
  at: number;
  idAt0: number;
  group: unknown[] | null;
  from: number;
  /** What stopped callEach before its end: a throw (`threw`, the error in `value`), or undefined or a thenable in `value`. */
  threw: boolean;
  value: unknown;
}

/** A fresh state. */
export function plainState(): PlainState {
  return { current: null, ran: 0, thenable: undefined, runOut: null, runCount: 0, runNext: 0, at: -1, idAt0: 0, group: null, from: 0, threw: false, value: undefined };
}

/** The id of the task running in the fast lane now, or null (for the worker's last words). */
export function plainRunning(s: PlainState): number | null {
  return s.current ?? (s.at >= 0 ? s.idAt0 + s.at : null);
}

/**
 * For the worker's last words, while a task runs in callEach: appends to `out` the results of the
 * tasks that loop ran before it (written in place, not yet in `out`), so the pool knows them answered.
 */
export function plainUnsent(s: PlainState, out: unknown[]): void {
  if (s.at > s.from && s.group !== null) out.push(s.idAt0 + s.from, Status.OkList, s.group.slice(0, s.at - s.from));
}

/**
 * Runs, from `k`, at most `budget` tasks of `batch` (a RUN message) while each is Apply with one
 * inline argument, or in a Mode.Plain group, with no export name (the same export as the task before
 * it: `fn`), appending their results to `out` as drain would (plain values as Status.OkRun groups,
 * a Plain group's as Status.OkList arrays).
 * Stops before any other task, and after a task whose result is a thenable (left in `s.thenable`,
 * `s.current` still naming that task: the caller awaits and answers it). A group stopped part-way
 * is written back in place as the group of its remaining tasks. Returns where the next task
 * starts; `s.ran` says how many ran.
 */
export function runPlainRun(batch: unknown[], k: number, budget: number, fn: TaskFn, out: unknown[], s: PlainState): number {
  let ran = 0;
  const end = batch.length;
  while (ran < budget && k < end && batch[k + 1] === null) {
    if (batch[k + 2] === Mode.Plain) {
      k = runGroup(batch, k, budget - ran, fn, out, s);
      ran += s.ran;
      if (s.thenable !== undefined) break;
      continue;
    }
    if (batch[k + 2] !== Mode.Apply || batch[k + 3] !== 1) break;
    const id = batch[k] as number;
    const arg = batch[k + 4];
    batch[k + 4] = undefined; // big inputs can be collected once done
    k += 5;
    ran++;
    if (runOne(id, arg, fn, out, s)) break;
  }
  s.ran = ran;
  return k;
}

// A packed array of nulls: a run's results are written into a copy of it (`slice`). The RUN message
// itself came out of structured clone holey, and a holey array (or a slice of one) is cloned as a
// sparse one, property by property, several times slower.
const LIST: unknown[] = [];
while (LIST.length < 256) LIST.push(null);

// Up to `budget` tasks of the Plain group at `g`. A run of results goes out as one Status.OkList
// array, written in place: the loop a fresh worker must optimize is callEach's few lines, not a
// push per value (bench/history/burst5.md). The rest of the group, if any, is written back as a
// group starting where the tasks taken were (4 places are free there).
function runGroup(batch: unknown[], g: number, budget: number, fn: TaskFn, out: unknown[], s: PlainState): number {
  const first = batch[g] as number;
  const n = batch[g + 3] as number;
  const base = g + 4;
  const stop = base + Math.min(n, budget, LIST.length);
  s.idAt0 = first - base;
  let i = base;
  while (i < stop) {
    const list = LIST.slice(0, stop - i);
    s.group = list;
    s.from = i;
    const e = callEach(batch, i, stop, fn, s, list);
    if (e > i) {
      if (e < stop) list.length = e - i;
      // Values move() marked: their buffers go with the next results message (the values stay inline).
      if (moves.pending !== 0) takeMoved(list, true);
      out.push(first + (i - base), Status.OkList, list);
    }
    i = e;
    if (e === stop) break;
    // The task at e threw, returned undefined or a thenable.
    const id = first + (e - base);
    const v = s.value;
    s.value = undefined;
    i++;
    if (s.threw) {
      s.threw = false;
      s.at = -1;
      pushThrown(out, id, v);
    } else if (v === undefined) {
      s.at = -1;
      out.push(id, Status.Undefined, null);
    } else {
      // Still running until it settles (the last words name it): the caller awaits it.
      s.current = id;
      s.at = -1;
      s.thenable = v as PromiseLike<unknown>;
      break;
    }
  }
  s.group = null;
  const j = i - base;
  s.ran = j;
  if (j === n) return i;
  const h = g + j;
  putPlainHeader(batch, h, first + j, null, n - j);
  return h;
}

// Runs the tasks whose arguments are at places i…stop − 1 (each taken out, so big inputs can be
// collected once done), results into `list` from 0, until one throws or returns undefined or a
// thenable: returns its place (s.threw / s.value say what it did), or stop. `s.at` names the task
// running, for the last words.
function callEach(batch: unknown[], i: number, stop: number, fn: TaskFn, s: PlainState, list: unknown[]): number {
  const from = i;
  try {
    for (; i < stop; i++) {
      s.at = i;
      const arg = batch[i];
      batch[i] = undefined;
      const v = fn(arg);
      if (v === undefined || isThenable(v)) {
        s.value = v;
        return i;
      }
      list[i - from] = v;
    }
  } catch (err) {
    s.threw = true;
    s.value = err;
    return i;
  }
  s.at = -1;
  return i;
}

// One task; true when its result is a thenable (left in s for the caller).
function runOne(id: number, arg: unknown, fn: TaskFn, out: unknown[], s: PlainState): boolean {
  s.current = id;
  let value: unknown;
  try {
    value = fn(arg);
    // Inside the try: a `then` getter that throws fails the task, as in drain's general path.
    if (isThenable(value)) {
      s.thenable = value;
      return true;
    }
  } catch (err) {
    pushThrown(out, id, err);
    s.current = null;
    return false;
  }
  s.current = null;
  // A value move() marked: its buffers go with the next results message (the value stays inline).
  if (moves.pending !== 0) takeMoved(value, false);
  if (value === undefined) out.push(id, Status.Undefined, null);
  else if (s.runOut === out && s.runNext === id && out.length === s.runCount + 1 + (out[s.runCount] as number)) {
    // The open run goes on: one more value.
    out[s.runCount] = (out[s.runCount] as number) + 1;
    out.push(value);
    s.runNext = id + 1;
  } else {
    out.push(id, Status.OkRun, 1, value);
    s.runOut = out;
    s.runCount = out.length - 2;
    s.runNext = id + 1;
  }
  return false;
}

/** Awaits a task's thenable result and appends its answer to what `out()` is then (drain may have flushed meanwhile). */
export async function awaitOutcome(id: number, thenable: PromiseLike<unknown>, out: () => unknown[]): Promise<void> {
  let value: unknown;
  try {
    value = await thenable;
  } catch (err) {
    pushThrown(out(), id, err);
    return;
  }
  if (moves.pending !== 0) takeMoved(value, false);
  if (value === undefined) out().push(id, Status.Undefined, null);
  else out().push(id, Status.Ok, value);
}

// As drain answers a task that threw: an Error (or one from another realm) as a RemoteError, anything else as thrown.
function pushThrown(out: unknown[], id: number, err: unknown): void {
  const errorLike = err instanceof Error || (typeof err === 'object' && err !== null && typeof (err as Error).message === 'string' && typeof (err as Error).name === 'string');
  if (errorLike) out.push(id, Status.Threw, toRemoteError(err as Error));
  else out.push(id, Status.ThrewValue, err === undefined ? null : err);
}
