import { Deque } from './Deque.js';
import type { Slot } from './Slot.js';
import type { Task } from './Task.js';
import type { WorkerHandle } from './runtime/WorkerRuntime.js';
import type { WorkerExitReason } from './PoolOptions.js';

/** Life of a worker, as the pool sees it. */
export type PoolWorkerState = 'starting' | 'ready' | 'retiring' | 'stopping' | 'gone';

// Enough work in flight per worker to hide a round trip (two batches or more: one running, others on
// their way), little enough that the batch a crash takes with it is about a millisecond of work and
// at most MAX_BATCH tasks. Tasks this long or longer go one at a time, so no worker hoards work
// another one could start. Tiny tasks: up to MAX_WINDOW in flight (a burst keeps both sides busy).
const TARGET_QUEUED_MS = 2;
const MAX_WINDOW = 2048;
const MAX_BATCH = 256;
const ONE_AT_A_TIME_MS = 50;

/**
 * The pool's side of one worker: what it was sent and has not answered (in order — a worker runs
 * its tasks one after another), how many tasks it may hold, and how it ended.
 */
export class PoolWorker {
  state: PoolWorkerState = 'starting';
  handle!: WorkerHandle;
  /** OS thread id, from READY. */
  tid: number | null = null;
  /** Tasks ever sent (for maxTasksPerChild). */
  handed = 0;
  /** Running an interruptible task alone. */
  exclusive = false;
  /** Whether it was read back from /proc inside its slot's CPUs when it started. */
  verified = false;
  /** Set when the pool stopped it on purpose. */
  exitReason: WorkerExitReason | null = null;
  /** The error that killed it, as the worker reported it. */
  crashCause: unknown = undefined;
  /** Its last words, when it died on its own: the task it was running (null: none). */
  stoppedAt: { running: number | null } | null = null;
  /**
   * Why it failed to start, when known: `reported` when the worker itself said so (a deterministic
   * failure that counts toward maxStartupFailures), false when the pool gave up on it (could not be
   * created, or not found on its slot's CPUs), which is retried like a kill from outside.
   */
  startupFailure: { what: string; error: unknown; reported: boolean } | null = null;
  /** The pool asked it to exit while it was starting (a kill follows after the grace period). */
  exitAsked = false;
  /** How many tasks it may hold at once; grows once tasks prove short. */
  window = 1;
  /** RUN messages sent so far (numbers the batches). */
  batches = 0;
  #perTaskMs: number | undefined;
  readonly #inflight = new Deque<Task>();

  constructor(readonly slot: Slot) {}

  /** Tasks sent and not answered. */
  get inflightCount(): number {
    return this.#inflight.length;
  }

  /** Sent tasks in order. */
  inflight(): IterableIterator<Task> {
    return this.#inflight[Symbol.iterator]();
  }

  pushInflight(task: Task): void {
    this.#inflight.push(task);
  }

  /** The oldest unanswered task, left in place. */
  peekInflight(): Task | undefined {
    return this.#inflight.peek();
  }

  /** Removes and returns the oldest unanswered task (the one running). */
  shiftInflight(): Task | undefined {
    return this.#inflight.shift();
  }

  /**
   * How many more tasks to send now. Half a window (at most MAX_BATCH) per message, so at least two
   * batches are in flight: one running, one on its way; a new batch goes once a whole one fits, so
   * batches stay big.
   */
  room(maxTasksPerChild: number, deepQueue: boolean): number {
    if (this.exclusive || this.state !== 'ready' || this.handle.writing) return 0;
    // Before the first answer the task length is unknown: one at a time, unless so much is queued
    // (a map's chunks) that a second one waiting costs no balance and saves a round trip.
    const w = this.#perTaskMs === undefined && deepQueue ? 2 : this.window;
    const window = Math.min(w, maxTasksPerChild - this.handed);
    const batch = Math.min(Math.ceil(window / 2), MAX_BATCH);
    if (this.inflightCount > window - batch) return 0;
    return Math.min(window - this.inflightCount, batch);
  }

  /** Learns from a batch of results how long tasks take, and sizes the window to it. */
  noteBusy(busyMs: number, tasks: number): void {
    const per = busyMs / tasks;
    this.#perTaskMs = this.#perTaskMs === undefined ? per : this.#perTaskMs * 0.7 + per * 0.3;
    const p = this.#perTaskMs;
    this.window = p >= ONE_AT_A_TIME_MS ? 1 : p <= 0 ? MAX_WINDOW : Math.max(2, Math.min(MAX_WINDOW, Math.floor(TARGET_QUEUED_MS / p)));
  }
}
