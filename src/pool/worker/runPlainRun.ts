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
}

/** A fresh state. */
export function plainState(): PlainState {
  return { current: null, ran: 0, thenable: undefined, runOut: null, runCount: 0, runNext: 0 };
}

/**
 * Runs, from `k`, at most `budget` tasks of `batch` (a RUN message) while each is Apply with one
 * inline argument, or in a Mode.Plain group, with no export name (the same export as the task before
 * it: `fn`), appending their results to `out` as drain would (plain values as Status.OkRun groups).
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

// Up to `budget` tasks of the Plain group at `g`; the rest, if any, is written back as a group
// starting where the tasks taken were (header and taken arguments are free: 4 places fit).
function runGroup(batch: unknown[], g: number, budget: number, fn: TaskFn, out: unknown[], s: PlainState): number {
  const first = batch[g] as number;
  const n = batch[g + 3] as number;
  const stop = Math.min(n, budget);
  let j = 0;
  while (j < stop) {
    const at = g + 4 + j;
    const arg = batch[at];
    batch[at] = undefined;
    if (runOne(first + j++, arg, fn, out, s)) break;
  }
  s.ran = j;
  if (j === n) return g + 4 + n;
  const h = g + j;
  putPlainHeader(batch, h, first + j, null, n - j);
  return h;
}

// One task; true when its result is a thenable (left in s for the caller).
function runOne(id: number, arg: unknown, fn: TaskFn, out: unknown[], s: PlainState): boolean {
  s.current = id;
  let value: unknown;
  try {
    value = fn(arg);
  } catch (err) {
    pushThrown(out, id, err);
    s.current = null;
    return false;
  }
  if (isThenable(value)) {
    s.thenable = value;
    return true;
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
