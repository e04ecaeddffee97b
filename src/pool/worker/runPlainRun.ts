import { Mode, Status } from '../protocol.js';
import { toRemoteError } from '../remoteError.js';
import { isThenable } from './runChunk.js';

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
}

/** A fresh state. */
export function plainState(): PlainState {
  return { current: null, ran: 0, thenable: undefined };
}

/**
 * Runs, from `k`, at most `budget` tasks of `batch` (a RUN message) while each is Apply with one
 * inline argument and no export name (the same export as the task before it: `fn`), appending
 * `id, status, value` to `out` as drain would. Stops before any other task, and after a task whose
 * result is a thenable (left in `s.thenable`, `s.current` still naming that task: the caller awaits
 * and answers it). Returns where the next task starts; `s.ran` says how many ran.
 */
export function runPlainRun(batch: unknown[], k: number, budget: number, fn: TaskFn, out: unknown[], s: PlainState): number {
  let ran = 0;
  const end = batch.length;
  while (ran < budget && k < end && batch[k + 1] === null && batch[k + 2] === Mode.Apply && batch[k + 3] === 1) {
    const id = batch[k] as number;
    const arg = batch[k + 4];
    batch[k + 4] = undefined; // big inputs can be collected once done
    k += 5;
    ran++;
    s.current = id;
    let value: unknown;
    try {
      value = fn(arg);
    } catch (err) {
      pushThrown(out, id, err);
      s.current = null;
      continue;
    }
    if (isThenable(value)) {
      s.thenable = value;
      break;
    }
    if (value === undefined) out.push(id, Status.Undefined, null);
    else out.push(id, Status.Ok, value);
    s.current = null;
  }
  s.ran = ran;
  return k;
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
  if (value === undefined) out().push(id, Status.Undefined, null);
  else out().push(id, Status.Ok, value);
}

// As drain answers a task that threw: an Error (or one from another realm) as a RemoteError, anything else as thrown.
function pushThrown(out: unknown[], id: number, err: unknown): void {
  const errorLike = err instanceof Error || (typeof err === 'object' && err !== null && typeof (err as Error).message === 'string' && typeof (err as Error).name === 'string');
  if (errorLike) out.push(id, Status.Threw, toRemoteError(err as Error));
  else out.push(id, Status.ThrewValue, err === undefined ? null : err);
}
