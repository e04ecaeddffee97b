import type { Mode } from './protocol.js';
import type { PoolWorker } from './PoolWorker.js';

/** Where a task is. */
export const enum TaskState {
  Queued = 0,
  Sent = 1,
  Settled = 2,
}

/**
 * One unit of work as the pool tracks it: an `apply`, or one chunk of a `map`/`imap`/`starmap`.
 * `done` is called exactly once, when the task settles.
 */
export class Task {
  state: TaskState = TaskState.Queued;
  /** The worker it was sent to. */
  worker: PoolWorker | null = null;
  /** Which of its worker's batches (RUN messages) it went in. */
  batch = 0;
  /** A chunk an imap read ahead (bounded by maxQueue apart from calls). */
  stream = false;
  /** Timeout timer, armed when the task is sent (it starts at once: such tasks go to idle workers). */
  timer: NodeJS.Timeout | undefined = undefined;
  /**
   * An apply without options settles its promise directly through these (no `done` closure per
   * call: the calling thread's allocations bound the apply rate); `done` is then not called.
   */
  resolve: ((value: unknown) => void) | undefined = undefined;
  reject: ((reason: unknown) => void) | undefined = undefined;

  constructor(
    readonly id: number,
    /** Export name. */
    readonly fn: string,
    readonly mode: Mode,
    /** Arguments (Apply) or chunk items; kept until settled, since a crash may send it again. */
    public payload: unknown,
    /** Timeout in ms, or undefined. */
    readonly timeout: number | undefined,
    /** Has a timeout or signal: runs alone on an idle worker, so stopping it touches nothing else. */
    readonly interruptible: boolean,
    readonly done: (ok: boolean, value: unknown) => void,
  ) {}
}
