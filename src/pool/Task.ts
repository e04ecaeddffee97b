import type { Mode } from './protocol.js';
import type { PoolWorker } from './PoolWorker.js';

/** Where a task is. */
export const enum TaskState {
  Queued = 0,
  Sent = 1,
  Settled = 2,
}

/**
 * What only some tasks carry: a timeout or signal, a place in an imap's read-ahead, a callback.
 * Every task but a plain `apply` has one (map chunks, imap chunks, apply with options); a plain
 * apply has none, so its Task stays small: the calling thread's allocations bound the apply rate
 * (bench/history/burst3.md).
 */
export class TaskMore {
  /** Timeout timer, armed when the task is sent (it starts at once: such tasks go to idle workers). */
  timer: NodeJS.Timeout | undefined = undefined;

  constructor(
    /** Timeout in ms, or undefined. */
    readonly timeout: number | undefined,
    /** Has a timeout or signal: runs alone on an idle worker, so stopping it touches nothing else. */
    readonly interruptible: boolean,
    /** A chunk an imap read ahead (bounded by maxQueue apart from calls). */
    readonly stream: boolean,
    /** Called exactly once, when the task settles. */
    readonly done: (ok: boolean, value: unknown) => void,
    /** ArrayBuffers of the payload to move to a thread worker (apply's `transfer`), checked. */
    readonly transfer: readonly ArrayBuffer[] | undefined = undefined,
  ) {}
}

/**
 * One unit of work as the pool tracks it: an `apply`, or one chunk of a `map`/`imap`/`starmap`.
 * A plain apply (no options) settles its promise directly through `resolve`/`reject` (no closure per
 * call); every other task has a {@link TaskMore}, whose `done` is called exactly once when it settles.
 */
export class Task {
  state: TaskState = TaskState.Queued;
  /** The worker it was sent to. */
  worker: PoolWorker | null = null;
  /** Which of its worker's batches (RUN messages) it went in. */
  batch = 0;
  resolve: ((value: unknown) => void) | undefined = undefined;
  reject: ((reason: unknown) => void) | undefined = undefined;

  constructor(
    readonly id: number,
    /** Export name. */
    readonly fn: string,
    readonly mode: Mode,
    /** Arguments (Apply) or chunk items; kept until settled, since a crash may send it again. */
    public payload: unknown,
    /** Null for a plain apply. */
    readonly more: TaskMore | null,
  ) {}

  /** A chunk an imap read ahead. */
  get stream(): boolean {
    return this.more !== null && this.more.stream;
  }

  /** Has a timeout or signal (runs alone on an idle worker). */
  get interruptible(): boolean {
    return this.more !== null && this.more.interruptible;
  }

  /** Timeout in ms, or undefined. */
  get timeout(): number | undefined {
    return this.more === null ? undefined : this.more.timeout;
  }
}
