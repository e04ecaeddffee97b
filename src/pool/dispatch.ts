import { AbortError, ExportNotFoundError, PoolClosedError, PoolOptionsError, PoolTerminatedError, QueueFullError, TaskDataError, TaskTimeoutError, WorkerCrashedError, taskErrorFrom } from './errors.js';
import { maybeFinishClosing, setRef } from './closing.js';
import { kill, maybeStop, protocolError, slotIsFree } from './lifecycle.js';
import type { CallOptions } from './PoolOptions.js';
import type { PoolCore } from './PoolCore.js';
import type { PoolWorker } from './PoolWorker.js';
import { DONE_STRIDE, Mode, Status } from './protocol.js';
import { fromRemoteError, type RemoteError } from './remoteError.js';
import { sendBatch } from './sendBatch.js';
import { Task, TaskMore, TaskState } from './Task.js';

// Dispatch: admitting calls, the queue, batching tasks to workers, settling each task exactly once
// (results, timeouts, aborts, and the tasks a dead worker had not answered).

/** A call's timeout and signal, checked. */
export interface CallSettings {
  signal: AbortSignal | undefined;
  timeout: number | undefined;
}

/** A call's timeout (its own, else the pool's taskTimeout) and signal, or the error that refuses it. */
export function callSettings(core: PoolCore, options: CallOptions | undefined): CallSettings | Error {
  if (options === undefined && core.taskTimeout === undefined) return NO_SETTINGS;
  const signal = options?.signal;
  const timeout = options?.timeout ?? core.taskTimeout;
  if (timeout !== undefined && !(typeof timeout === 'number' && timeout > 0 && timeout !== Infinity)) {
    return new PoolOptionsError(`timeout must be a positive number of milliseconds, got ${String(timeout)}`);
  }
  if (signal?.aborted) return new AbortError(signal.reason);
  return { signal, timeout };
}

const NO_SETTINGS: CallSettings = Object.freeze({ signal: undefined, timeout: undefined });
// The resolve/reject of the promise being made: a module-level executor hands them over without a
// closure per call.
let madeResolve: ((value: unknown) => void) | undefined;
let madeReject: ((reason: unknown) => void) | undefined;
function capture(resolve: (value: unknown) => void, reject: (reason: unknown) => void): void {
  madeResolve = resolve;
  madeReject = reject;
}

/**
 * apply's hot path (no options, no pool task timeout): one promise and one Task, settled directly
 * by `settle`; everything else (refusals, queueing, dispatch) as `enqueue`.
 */
export function enqueueApply(core: PoolCore, fn: string, args: readonly unknown[]): Promise<unknown> {
  const promise = new Promise<unknown>(capture);
  const task = new Task(core.nextId++, fn, Mode.Apply, args, null);
  task.resolve = madeResolve;
  task.reject = madeReject;
  madeResolve = madeReject = undefined;
  core.queue.push(task);
  if (core.pending++ === 0) setRef(core, true);
  // A burst: every EAGER_EVERY calls, hand out what the workers have room for now, so they start
  // while the caller is still queueing (on 2 CPUs the second one idles otherwise); the rest after it.
  if ((++core.queued & (EAGER_EVERY - 1)) === 0 && !dispatching) dispatch(core);
  schedule(core);
  return promise;
}

const EAGER_EVERY = 1024;
// Set while dispatch runs: a call made from inside it (an event listener's) waits for the next dispatch.
let dispatching = false;

/** Why a call cannot be accepted now, or null. */
export function admit(core: PoolCore, fn: string, tasks: number, stream: boolean): Error | null {
  if (core.state !== 'running') {
    if (stream && core.state === 'closing') return null;
    return core.failure ?? (core.state === 'terminated' ? new PoolTerminatedError() : new PoolClosedError());
  }
  if (core.exports !== null && !core.exports.has(fn)) return new ExportNotFoundError(fn, core.modulePath, [...core.exports]);
  // An imap's read-ahead is the pool's own buffering, bounded apart: it never refuses a call.
  if (!stream && core.queued - core.streamQueued + tasks > core.maxQueue) return new QueueFullError(core.maxQueue, tasks);
  return null;
}

/** Queues one task (an apply, or one chunk) and schedules a dispatch. */
export function enqueue(core: PoolCore, fn: string, mode: Mode, payload: unknown, call: CallSettings, done: (ok: boolean, v: unknown) => void, stream = false, transfer?: readonly ArrayBuffer[]): Task {
  const interruptible = call.timeout !== undefined || call.signal !== undefined;
  const task = new Task(core.nextId++, fn, mode, payload, new TaskMore(call.timeout, interruptible, stream, done, transfer));
  core.queue.push(task);
  core.queued++;
  if (stream) core.streamQueued++;
  if (core.pending++ === 0) setRef(core, true);
  schedule(core);
  return task;
}

/** Dispatches once, after the current synchronous burst of calls. */
export function schedule(core: PoolCore): void {
  if (core.dispatchScheduled) return;
  core.dispatchScheduled = true;
  // After the caller's synchronous burst, so one message carries many tasks.
  queueMicrotask(() => {
    core.dispatchScheduled = false;
    dispatch(core);
  });
}

/** Hands queued tasks to ready workers, in batches sized by each worker's window. */
export function dispatch(core: PoolCore): void {
  if (core.queued === 0) return;
  dispatching = true;
  try {
    dispatchNow(core);
  } finally {
    dispatching = false;
  }
}

function dispatchNow(core: PoolCore): void {
  const ready: PoolWorker[] = [];
  for (const s of core.slots) if (s.current?.state === 'ready' && slotIsFree(s.current)) ready.push(s.current);
  if (ready.length === 0) return;
  let progress = true;
  while (core.queued > 0 && progress) {
    progress = false;
    const share = Math.ceil(core.queued / ready.length);
    const deep = core.queued >= 2 * ready.length;
    // An index, not for-of: leaving a for-of early looks up the iterator's `return`, a path a warm-up
    // rarely takes, so V8 deoptimized this function in a later burst to learn it.
    for (let i = 0; i < ready.length; i++) {
      const w = ready[i]!;
      if (core.queued === 0) break;
      const room = Math.min(w.room(core.maxTasksPerChild, deep), share);
      if (room <= 0) continue;
      const batch: Task[] = [];
      while (batch.length < room) {
        const t = core.queue.peek();
        if (t === undefined) break;
        if (t.state !== TaskState.Queued) {
          core.queue.shift();
          continue;
        }
        if (t.interruptible) {
          // Runs alone on an idle worker: stopping it (timeout, abort) then stops nothing else.
          if (batch.length === 0 && w.inflightCount === 0) {
            core.queue.shift();
            batch.push(t);
            w.exclusive = true;
          }
          break;
        }
        core.queue.shift();
        batch.push(t);
      }
      if (batch.length > 0) {
        sendBatch(core, w, batch);
        progress = true;
      }
      if (w.state !== 'ready') progress = true; // it retired: the ready list changed
    }
    if (progress) {
      ready.length = 0;
      for (const s of core.slots) if (s.current?.state === 'ready' && slotIsFree(s.current)) ready.push(s.current);
      if (ready.length === 0) return;
    }
  }
}

/** Moves a task from the queue to a worker's in-flight list and arms its timeout. */
export function markSent(core: PoolCore, w: PoolWorker, t: Task, batch: number): void {
  t.state = TaskState.Sent;
  t.worker = w;
  t.batch = batch;
  core.queued--;
  if (t.stream) streamLeftQueue(core);
  w.handed++;
  w.pushInflight(t);
  const more = t.more;
  if (more !== null && more.timeout !== undefined) {
    more.timer = setTimeout(() => onTimeout(core, t), more.timeout);
  }
  if (w.slot.startupAttempts !== 0) {
    w.slot.startupAttempts = 0;
    w.slot.startupFailures = 0;
  }
}

/** A stream chunk left the queue: streams held back by maxQueue may read on. */
export function streamLeftQueue(core: PoolCore): void {
  if (core.streamQueued-- !== core.maxQueue || core.streamWakeScheduled) return;
  core.streamWakeScheduled = true;
  queueMicrotask(() => {
    core.streamWakeScheduled = false;
    for (const e of core.streams) e.ref.deref()?.poke();
  });
}

/** Settles a task exactly once. `quiet`: a cancelled stream chunk, whose callback is not called. */
export function settle(core: PoolCore, task: Task, ok: boolean, value: unknown, report: boolean, quiet = false): void {
  if (task.state === TaskState.Settled) return;
  if (task.state === TaskState.Queued) {
    core.queued--;
    if (task.stream) streamLeftQueue(core);
  }
  task.state = TaskState.Settled;
  task.payload = undefined;
  const more = task.more;
  if (more !== null && more.timer !== undefined) clearTimeout(more.timer);
  if (--core.pending === 0) {
    if (core.state === 'running' && core.readyWaiters.length === 0) setRef(core, false);
    // The last task may settle without a worker's help (aborted in the queue): closing goes on.
    else if (core.state === 'closing') queueMicrotask(() => maybeFinishClosing(core));
  }
  if (!ok && report) core.events.emit('taskError', { slot: task.worker?.slot.index ?? null, fn: task.fn, error: value });
  if (quiet) return;
  if (task.resolve !== undefined) {
    if (ok) task.resolve(value);
    else task.reject!(value);
    task.resolve = task.reject = undefined;
  } else if (more !== null) more.done(ok, value);
}

/** A task ran past its timeout: it fails and its worker is killed (a fresh one takes the slot). */
export function onTimeout(core: PoolCore, task: Task): void {
  const w = task.worker;
  if (task.state !== TaskState.Sent || w === null) return;
  settle(core, task, false, new TaskTimeoutError(task.timeout!, w.slot.index, task.fn), true);
  kill(core, w, 'timeout');
}

/** A task's signal fired: it rejects with AbortError; if it was running, its worker is killed. */
export function abortTask(core: PoolCore, task: Task, reason: unknown): void {
  if (task.state === TaskState.Settled) return;
  const w = task.state === TaskState.Sent ? task.worker : null;
  settle(core, task, false, new AbortError(reason), false);
  if (w !== null) kill(core, w, 'aborted');
}

/** Once the exports are known: queued tasks naming a missing export fail. */
export function rejectUnknownQueued(core: PoolCore): void {
  const exports = core.exports!;
  for (const t of core.queue) {
    if (t.state === TaskState.Queued && !exports.has(t.fn)) settle(core, t, false, new ExportNotFoundError(t.fn, core.modulePath, [...exports]), true);
  }
}

/** A DONE message: settles the answered tasks in order and sizes the worker's window. */
export function onDone(core: PoolCore, w: PoolWorker, busyMs: number, data: readonly unknown[]): void {
  let n = 0;
  for (let i = 2; i < data.length; ) {
    const status = data[i + 1] as Status;
    if (status === Status.OkRun || status === Status.OkList) {
      // A run of plain results (checked by parseWorkerMessage): tasks id, id + 1, … returned these,
      // inline after a count (OkRun) or as one array (OkList).
      const first = data[i] as number;
      const list = status === Status.OkList ? (data[i + 2] as readonly unknown[]) : null;
      const count = list === null ? (data[i + 2] as number) : list.length;
      for (let j = 0; j < count; j++) {
        const task = answered(core, w, first + j);
        if (task === null) return;
        if (task.state !== TaskState.Settled) settle(core, task, true, list === null ? data[i + 3 + j] : list[j], false);
      }
      i += list === null ? 3 + count : DONE_STRIDE;
      n += count;
      continue;
    }
    const task = answered(core, w, data[i]);
    if (task === null) return;
    const value = data[i + 2];
    i += DONE_STRIDE;
    n++;
    if (task.state === TaskState.Settled) continue; // timed out or aborted meanwhile
    switch (status) {
      case Status.Ok:
        settle(core, task, true, value, false);
        break;
      case Status.Undefined:
        settle(core, task, true, undefined, false);
        break;
      case Status.Threw:
        settle(core, task, false, taskErrorFrom(value as RemoteError, core.modulePath), true);
        break;
      case Status.ThrewValue:
        settle(core, task, false, value, true);
        break;
      default:
        settle(core, task, false, new TaskDataError(`the result of task ${JSON.stringify(task.fn)}`, fromRemoteError(value as RemoteError)), true);
    }
  }
  w.noteBusy(busyMs, n);
  if (w.inflightCount === 0 && w.state === 'retiring') maybeStop(core, w);
  if (core.state === 'closing') maybeFinishClosing(core);
  dispatch(core);
}

// The oldest task `w` has not answered, taken off its in-flight list, if it is task `id`; else the
// worker broke the protocol (it is replaced) and null.
function answered(core: PoolCore, w: PoolWorker, id: unknown): Task | null {
  const task = w.peekInflight();
  if (task === undefined || task.id !== id) {
    protocolError(core, w, `result for task ${String(id)}, which that worker was not running`);
    return null;
  }
  w.shiftInflight();
  if (task.interruptible) w.exclusive = false;
  return task;
}

/**
 * The tasks a dead worker had not answered. Those that may have started fail with
 * WorkerCrashedError (they ran at most once; never run again); only those it provably never
 * started go back to the front of the queue:
 * - killed for breaking the protocol: the pool stopped listening, so every one may have started;
 * - its own last words (it exited by itself, no signal): the task it was running, if any, failed;
 *   the rest never started;
 * - otherwise (SIGKILL, no last words) the batch rule: the first unanswered batch may have started,
 *   later batches never did (a worker starts a batch only after the previous one's results are out).
 */
export function settleUnanswered(core: PoolCore, w: PoolWorker, exitCode: number | null, signal: string | null, error: unknown, cause: unknown): void {
  const unanswered = [...w.inflight()].filter((t) => t.state !== TaskState.Settled);
  if (unanswered.length === 0) return;
  const oom = (error as { code?: unknown } | undefined)?.code === 'ERR_WORKER_OUT_OF_MEMORY';
  const said = w.exitReason === null && signal === null && !oom ? w.stoppedAt : null;
  const first = unanswered[0]!;
  let failed: (t: Task) => boolean;
  let certain = false;
  if (w.exitReason === 'protocol') failed = () => true;
  else if (said !== null && said.running === null) failed = () => false;
  else if (said !== null && said.running === first.id) {
    failed = (t) => t === first;
    certain = true;
  } else failed = (t) => t.batch === first.batch;
  const detail = w.exitReason === 'protocol' ? ': it broke the pool protocol' : undefined;
  const again: Task[] = [];
  const LOST = ': it had not started this task, but the ArrayBuffers moved to it (transfer) were lost with it, so it was not sent again';
  for (const t of unanswered) {
    // Buffers moved to the dead worker (apply's transfer) died with it: such a task cannot go again.
    const lost = core.kind === 'thread' && t.more !== null && t.more.transfer !== undefined;
    const ran = failed(t);
    if (!ran && !lost) again.push(t);
    else settle(core, t, false, new WorkerCrashedError(w.slot.index, w.handle.pid, w.tid, exitCode, signal, cause, ran ? detail : LOST, ran ? !certain : true), true);
  }
  if (again.length === 0) return;
  for (const t of again) {
    t.state = TaskState.Queued;
    t.worker = null;
    if (t.stream) core.streamQueued++;
  }
  core.queued += again.length;
  core.queue.unshiftAll(again);
}
