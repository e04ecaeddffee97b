import { pin } from '../affinity.js';
import type { CpuSet } from '../cpuset/CpuSet.js';
import { readTopology } from '../topology/readTopology.js';
import { bindingCpus } from './bindingCpus.js';
import { fail, maybeFinishClosing, resolveGone, setRef } from './closing.js';
import { dispatch, onDone, rejectUnknownQueued, settleUnanswered } from './dispatch.js';
import { ExportNotFoundError, WorkerStartupError } from './errors.js';
import type { PoolCore } from './PoolCore.js';
import type { WorkerExitReason } from './PoolOptions.js';
import { PoolWorker } from './PoolWorker.js';
import { CRASH, DONE, EXIT, FAIL, PROGRESS, READY, STOPPED, isPoolTagged, parseWorkerMessage } from './protocol.js';
import { deliverProgress } from './deliverProgress.js';
import { fromRemoteError, type RemoteError } from './remoteError.js';
import { replanSlots, type SlotMove } from './replanSlots.js';
import { resolvePlacement } from '../placement/resolve.js';
import type { Slot } from './Slot.js';
import { verifyBinding } from './verifyBinding.js';

// Workers' lives: start, ready (pinned and checked), exit, retire, replan when the usable CPUs
// change, and the start-up retry with backoff.

/** A worker asked to exit that is still there after this long is killed (its task module keeps it busy, or its initializer never finishes). */
export const EXIT_GRACE_MS = 5000;
// Restarts after a start-up death nobody explained: 10 ms, doubling, at most 2 s.
const STARTUP_RETRY_FIRST_MS = 10;
const STARTUP_RETRY_MAX_MS = 2000;

/** Starts the slot's worker, pinned to the slot's CPUs before the task module loads. */
export function startWorker(core: PoolCore, slot: Slot): void {
  const w = new PoolWorker(slot);
  slot.current = w;
  slot.workers.add(w);
  core.live++;
  try {
    w.handle = core.runtime.start(
      { slot: slot.index, cpus: pinSetOf(core, slot), own: slot.cpus, init: core.init },
      {
        message: (m) => onMessage(core, w, m),
        exit: (code, signal, err) => onExit(core, w, code, signal, err),
        drained: () => {
          if (core.queued > 0) dispatch(core);
        },
        unreadable: (detail) => protocolError(core, w, detail),
      },
    );
  } catch (err) {
    // Could not even be created (EAGAIN, cpuset changed): report as an exit, asynchronously.
    w.handle = { pid: 0, writing: false, send() {}, kill() {}, ref() {}, unref() {} };
    w.startupFailure = { what: 'the worker could not be created', error: err, reported: false };
    // Its CPUs may have just left the usable set: place again, so the restart lands inside it.
    replan(core);
    setImmediate(() => onExit(core, w, null, null, err));
    return;
  }
  if (core.reffed) w.handle.ref();
  else w.handle.unref();
}

/** One message from a worker: results, READY, FAIL, last words; anything malformed and tagged as ours kills it. */
export function onMessage(core: PoolCore, w: PoolWorker, raw: unknown): void {
  if (w.state === 'gone' || w.exitReason === 'protocol') return;
  const m = parseWorkerMessage(raw);
  if (typeof m === 'string') {
    core.events.emit('protocolError', { slot: w.slot.index, pid: w.handle.pid, detail: m });
    // Ours but malformed: the worker's state can no longer be trusted. Foreign (user code's own
    // process.send / parentPort.postMessage): ignored.
    if (isPoolTagged(raw)) kill(core, w, 'protocol');
    return;
  }
  switch (m.type) {
    case DONE:
      w.stoppedAt = null; // last words come after the last results: that was no last word
      return onDone(core, w, m.busyMs, m.data);
    case READY:
      if (w.state !== 'starting') return protocolError(core, w, 'READY from a worker that had started already');
      return onReady(core, w, m.pid, m.tid, m.exports);
    case FAIL:
      if (w.state !== 'starting') return protocolError(core, w, 'FAIL from a worker that had started already');
      return onStartFailed(core, w, m.phase, m.error);
    case CRASH:
      w.crashCause = fromRemoteError(m.error);
      return;
    case STOPPED:
      w.stoppedAt = { running: m.running };
      return;
    case PROGRESS:
      return deliverProgress(core, w, m.id, m.value);
  }
}

/** The worker broke the protocol: reported, and the worker is killed. */
export function protocolError(core: PoolCore, w: PoolWorker, detail: string): void {
  core.events.emit('protocolError', { slot: w.slot.index, pid: w.handle.pid, detail });
  kill(core, w, 'protocol');
}

/** READY: the worker is checked on its CPUs from /proc (re-pinned or replaced if not), then gets work. */
export function onReady(core: PoolCore, w: PoolWorker, pid: number, tid: number, exports: readonly string[]): void {
  if (core.kind === 'process' && pid !== w.handle.pid) return protocolError(core, w, `READY with pid ${pid}, expected ${w.handle.pid}`);
  w.tid = tid;
  const cpus = pinSetOf(core, w.slot);
  if (cpus !== null) {
    let found = verifyOrRepin(core, w, cpus);
    // The usable CPUs may have changed since it was born (the watch polls): place again, check again.
    if (found === 'outside' && replan(core).length > 0 && w.slot.cpus !== null) found = verifyOrRepin(core, w, w.slot.cpus);
    w.verified = found === 'inside';
    // 'gone': it exited right after saying ready (asked to stop while starting); nothing ran on it.
    if (found === 'outside') {
      // Never run tasks off the slot's CPUs. Not the worker's fault: retried like a kill from outside.
      w.startupFailure = { what: `its threads could not be confirmed on CPUs ${w.slot.cpus?.toList() ?? ''} from /proc`, error: undefined, reported: false };
      return kill(core, w, null);
    }
  }
  w.state = 'ready';
  w.slot.startupRetries = 0;
  if (core.exports === null) {
    core.exports = new Set(exports);
    rejectUnknownQueued(core);
  }
  // Stopped while it was starting (pool shutting down, or replaced): it gets no work.
  if ((core.state !== 'running' && core.state !== 'closing') || w.slot.current !== w) return;
  core.events.emit('workerStart', { slot: w.slot.index, pid: w.handle.pid, tid, cpus: w.slot.cpus, verified: w.verified });
  if (core.readyWaiters.length > 0 && core.slots.every((s) => s.current?.state === 'ready')) {
    for (const r of core.readyWaiters.splice(0)) r.resolve();
    if (core.pending === 0 && core.state === 'running') setRef(core, false);
  }
  if (core.state === 'closing') maybeFinishClosing(core);
  dispatch(core);
}

/**
 * The usable CPUs changed: the pool's topology is read again (same root) and its request resolved
 * again on it; slots take the places of that placement with the fewest moves, and get their first
 * CPUs back when those return (replanSlots). Live workers of a moved slot are re-pinned, or — if
 * that fails — replaced once their tasks are done, so no task is lost.
 */
export function replan(core: PoolCore): SlotMove[] {
  if (core.state !== 'running' && core.state !== 'closing') return [];
  if (core.topologyRoot === null) return []; // a synthetic topology never changes
  let topology;
  try {
    topology = readTopology(core.topologyRoot);
  } catch {
    return [];
  }
  // The same request, resolved again: a policy stays that policy, `within` stays within.
  let fresh: readonly (CpuSet | null)[] | null;
  try {
    const resolved = resolvePlacement(core.placement, topology, core.size);
    fresh = resolved.slots;
    core.usable = resolved.usable;
  } catch {
    fresh = null; // e.g. an explicit list that names an offline CPU: replanSlots falls back per slot
    core.usable = topology.usable;
  }
  const moves = replanSlots(core.ownCpus, core.slots.map((s) => s.cpus), fresh, topology.usable);
  for (const m of moves) {
    const slot = core.slots[m.slot]!;
    slot.cpus = m.to;
    for (const w of [...slot.workers]) {
      // A worker still starting is checked against the new set when it reports READY.
      if (w.state === 'gone' || w.tid === null) continue;
      if (verifyOrRepin(core, w, pinSetOf(core, slot) ?? m.to) !== 'outside') continue;
      if (w.state === 'ready') retire(core, w);
    }
  }
  if (moves.length > 0) core.events.emit('placementChange', { usable: topology.usable, moves });
  return moves;
}

/** The CPUs a slot's worker is pinned to (see bindingCpus). */
export function pinSetOf(core: PoolCore, slot: Slot): CpuSet | null {
  return bindingCpus(core.binding, slot, core.slots);
}

/** Reads the worker's threads back from /proc; if any is outside `cpus`, pins again and reads again. */
export function verifyOrRepin(core: PoolCore, w: PoolWorker, cpus: CpuSet): 'inside' | 'outside' | 'gone' {
  const pid = w.handle.pid;
  const found = verifyBinding(core.kind, pid, w.tid!, cpus);
  if (found !== 'outside') return found;
  // Born inside, yet a thread is outside (e.g. the cpuset changed meanwhile): pin from here, read again.
  try {
    pin(core.kind === 'process' ? pid : { tid: w.tid! }, cpus);
  } catch {
    return 'outside';
  }
  return verifyBinding(core.kind, pid, w.tid!, cpus);
}

/** FAIL: the worker says it could not start (import, export, initializer, pin). */
export function onStartFailed(core: PoolCore, w: PoolWorker, phase: string, error: RemoteError): void {
  const err = fromRemoteError(error);
  if (phase === 'import' || phase === 'export') {
    // Deterministic: every new worker would fail the same way.
    const what = phase === 'import' ? `importing ${core.modulePath} failed` : `the initializer ${JSON.stringify(core.init.initializer)} is not a function export`;
    const listed: unknown = (err as Error & { exports?: unknown }).exports;
    const names = typeof listed === 'string' ? listed.split(',').filter(Boolean) : [];
    fail(core, new WorkerStartupError(w.slot.index, 1, what, phase === 'export' ? new ExportNotFoundError(core.init.initializer ?? '', core.modulePath, names) : err));
    return;
  }
  w.startupFailure = { what: phase === 'pin' ? 'pinning failed' : `the initializer ${JSON.stringify(core.init.initializer)} threw`, error: err, reported: true };
  kill(core, w, null);
}

/** A worker that has been handed its quota: a fresh one takes its place now, it finishes what it has. */
export function retire(core: PoolCore, w: PoolWorker): void {
  w.state = 'retiring';
  if (w.slot.current === w) {
    w.slot.current = null;
    // Its successor starts now, so the start overlaps the last tasks — unless an older worker of the
    // slot is still there: then when that one exits (onExit), so a slot never has more than two.
    if (wantsWorkers(core) && w.slot.workers.size === 1) startWorker(core, w.slot);
  }
  if (w.inflightCount === 0) maybeStop(core, w);
}

/**
 * Whether a slot's ready worker may be given tasks: not while a retiring predecessor of the same slot
 * still runs some (the successor started early only to hide its start-up, not to add a worker).
 */
export function slotIsFree(w: PoolWorker): boolean {
  for (const other of w.slot.workers) if (other !== w && other.inflightCount > 0) return false;
  return true;
}

/** Asks an idle worker to exit. */
export function maybeStop(core: PoolCore, w: PoolWorker): void {
  if (w.state === 'stopping' || w.state === 'gone' || w.inflightCount > 0) return;
  // Only a worker that leaves when asked was recycled or closed; one that dies first crashed.
  w.exitReason ??= w.state === 'retiring' ? 'recycled' : 'closed';
  w.state = 'stopping';
  w.handle.send([EXIT]);
  setTimeout(() => {
    if (w.state !== 'gone') w.handle.kill();
  }, EXIT_GRACE_MS).unref();
}

/** Stops a worker at once; its slot gets a fresh one if the pool still wants workers. */
export function kill(core: PoolCore, w: PoolWorker, reason: WorkerExitReason | null): void {
  if (w.state === 'gone') return;
  if (reason !== null) w.exitReason ??= reason;
  if (w.state !== 'starting') w.state = 'stopping';
  if (w.slot.current === w) {
    w.slot.current = null;
    if (wantsWorkers(core) && reason !== null) startWorker(core, w.slot);
  }
  w.handle.kill();
}

/** A worker exited: its unanswered tasks are settled or queued again, its slot restarted (or retried later). */
export function onExit(core: PoolCore, w: PoolWorker, exitCode: number | null, signal: string | null, error: unknown): void {
  if (w.state === 'gone') return;
  const wasStarting = w.state === 'starting' || (w.handed === 0 && w.exitReason === null);
  w.state = 'gone';
  core.live--;
  const slot = w.slot;
  slot.workers.delete(w);
  if (slot.current === w) slot.current = null;
  const cause = w.crashCause ?? w.startupFailure?.error ?? error;
  const crashed = w.exitReason === null || w.exitReason === 'protocol';
  const reason: WorkerExitReason = w.exitReason ?? (wasStarting ? 'startup-failed' : 'crashed');
  settleUnanswered(core, w, exitCode, signal, error, cause);
  core.events.emit('workerExit', { slot: slot.index, pid: w.handle.pid, tid: w.tid, exitCode, signal, reason, error: crashed ? cause : undefined });
  let restartNow = true;
  if (crashed && wasStarting && (core.state === 'running' || core.state === 'closing')) restartNow = onStartupDeath(core, w, exitCode, signal, error, cause);
  if (restartNow && slot.current === null && slot.retryTimer === null && wantsWorkers(core)) startWorker(core, slot);
  maybeFinishClosing(core);
  dispatch(core);
  if (core.live === 0 && core.state !== 'running' && core.state !== 'closing') resolveGone(core);
}

/**
 * A worker died before running a task. Failures the worker itself reported (import, export,
 * initializer threw or exited, pin refused) are deterministic: `maxStartupFailures` in a row stop
 * the pool. A death nobody explained (a signal from outside, an exit without last words, a worker
 * that could not be created or confirmed on its CPUs) is not evidence that workers cannot start:
 * the slot retries after 10 ms, doubling up to 2 s, and says so with `startupRetry`; queued
 * tasks wait. Returns whether the slot may start a worker at once.
 */
export function onStartupDeath(core: PoolCore, w: PoolWorker, exitCode: number | null, signal: string | null, error: unknown, cause: unknown): boolean {
  const slot = w.slot;
  slot.startupAttempts++;
  // A thread worker cannot be killed from outside: its own error (an uncaught one) is its report.
  const reported =
    w.startupFailure !== null
      ? w.startupFailure.reported
      : signal === null && (w.stoppedAt !== null || w.crashCause !== undefined || (core.kind === 'thread' && error !== undefined));
  if (reported) {
    if (++slot.startupFailures >= core.maxStartupFailures) {
      const what = w.startupFailure?.what ?? `the worker ${signal !== null ? `was killed by ${signal}` : `exited with code ${exitCode ?? 'unknown'}`} before running a task`;
      fail(core, new WorkerStartupError(slot.index, slot.startupAttempts, what, cause));
      return false;
    }
    return true;
  }
  const delayMs = Math.min(STARTUP_RETRY_MAX_MS, STARTUP_RETRY_FIRST_MS * 2 ** slot.startupRetries);
  slot.startupRetries++;
  core.events.emit('startupRetry', { slot: slot.index, attempt: slot.startupRetries, delayMs, exitCode, signal });
  slot.retryTimer = setTimeout(() => {
    slot.retryTimer = null;
    if (slot.current === null && wantsWorkers(core)) {
      startWorker(core, slot);
      maybeFinishClosing(core);
    }
  }, delayMs);
  if (!core.reffed) slot.retryTimer.unref();
  return false;
}

/** Whether empty slots should get a worker: running, or closing with work left. */
export function wantsWorkers(core: PoolCore): boolean {
  return core.state === 'running' || (core.state === 'closing' && (core.queued > 0 || core.streams.size > 0));
}
