import { PoolClosedError } from './errors.js';
import { settle } from './dispatch.js';
import { EXIT_GRACE_MS, maybeStop } from './lifecycle.js';
import type { PoolCore } from './PoolCore.js';
import type { WorkerExitReason } from './PoolOptions.js';
import { EXIT } from './protocol.js';

// Ending a pool: closing once the work is done, stopping everything (terminate, start-up failure),
// and whether its workers keep the process alive.

/** Closing: once no task and no stream is left, asks every worker to exit; closed when none is left. */
export function maybeFinishClosing(core: PoolCore): void {
  if (core.state !== 'closing') return;
  // A stream whose loop ended by a task's error, and that nobody reads any more, is done.
  for (const e of [...core.streams]) {
    const stream = e.ref.deref();
    if (stream === undefined) core.streams.delete(e);
    else if (stream.idleAfterError) stream.fail(new PoolClosedError(), false);
  }
  if (core.pending > 0 || core.streams.size > 0) return;
  for (const s of core.slots) {
    if (s.retryTimer !== null) {
      clearTimeout(s.retryTimer);
      s.retryTimer = null;
    }
    for (const w of s.workers) {
      if (w.state === 'ready' || w.state === 'retiring') maybeStop(core, w);
      else if (w.state === 'starting' && !w.exitAsked) {
        // Let it finish starting (its initializer may be running), then exit; killed if it
        // has not after the grace period (an initializer that never finishes).
        w.exitAsked = true;
        w.exitReason ??= 'closed';
        w.handle.send([EXIT]);
        setTimeout(() => {
          if (w.state !== 'gone') w.handle.kill();
        }, EXIT_GRACE_MS).unref();
      }
    }
  }
  if (core.live === 0) {
    core.state = 'closed';
    resolveGone(core);
  }
}

/** The pool cannot go on (terminate or start-up failure): every task rejects with `error`, every worker is killed. */
export function stopEverything(core: PoolCore, error: Error, reason: WorkerExitReason): void {
  core.cpuWatch?.stop();
  for (const t of core.queue) settle(core, t, false, error, false);
  for (const s of core.slots) {
    for (const w of s.workers) for (const t of w.inflight()) settle(core, t, false, error, false);
  }
  for (const e of [...core.streams]) e.ref.deref()?.fail(error, false);
  for (const s of core.slots) {
    if (s.retryTimer !== null) clearTimeout(s.retryTimer);
    s.retryTimer = null;
  }
  // Emptied in place, never replaced: see PoolCore.readyWaiters.
  for (const r of core.readyWaiters.splice(0)) r.reject(error);
  for (const s of core.slots) {
    for (const w of [...s.workers]) {
      w.exitReason ??= reason;
      if (w.state !== 'gone') {
        w.state = 'stopping';
        w.handle.kill();
      }
    }
    s.current = null;
  }
  setRef(core, true);
  if (core.live === 0) resolveGone(core);
}

/** The pool failed (a start-up failure repeated): it stops, and every later call rejects with `error`. */
export function fail(core: PoolCore, error: Error): void {
  if (core.state === 'failed' || core.state === 'terminated' || core.state === 'closed') return;
  core.state = 'failed';
  core.failure = error;
  stopEverything(core, error, 'startup-failed');
}

/** Resolves once the pool is over (closed, terminated or failed) and every worker has exited. */
export function whenGone(core: PoolCore): Promise<void> {
  if (core.live === 0 && core.state !== 'running' && core.state !== 'closing') return Promise.resolve();
  return new Promise((resolve) => core.goneWaiters.push(resolve));
}

/** The pool is over and its last worker gone: rejects pending ready() calls, resolves whenGone(). */
export function resolveGone(core: PoolCore): void {
  core.cpuWatch?.stop();
  if (core.state === 'closing') core.state = 'closed';
  for (const r of core.readyWaiters.splice(0)) r.reject(core.failure ?? new PoolClosedError());
  const waiters = core.goneWaiters;
  core.goneWaiters = [];
  for (const r of waiters) r();
}

/** Workers keep this process alive only while the pool has work (or is shutting down). */
export function setRef(core: PoolCore, on: boolean): void {
  if (core.reffed === on) return;
  core.reffed = on;
  for (const s of core.slots) {
    for (const w of s.workers) if (w.state !== 'gone') (on ? w.handle.ref() : w.handle.unref());
    if (s.retryTimer !== null) (on ? s.retryTimer.ref() : s.retryTimer.unref());
  }
}
