import { CorepinError } from '../errors.js';

// The pool's errors: every way a task or the pool itself can fail, each with a stable code.

/** `close()` was called: the pool accepts no more tasks. */
export class PoolClosedError extends CorepinError {
  constructor() {
    super('ERR_POOL_CLOSED', 'the pool is closed (close() was called) and accepts no more tasks; create a new Pool to run more');
  }
}

/** `terminate()` was called (or the pool was disposed): queued and running tasks were stopped. */
export class PoolTerminatedError extends CorepinError {
  constructor() {
    super('ERR_POOL_TERMINATED', 'the pool was terminated before this task finished; await your tasks or use close() to let them finish');
  }
}

/**
 * A worker died (exit, uncaught exception, signal, out of memory) while this task was handed to it
 * and unanswered. The task ran at most once and was not retried: `mayNotHaveStarted` says whether
 * the pool knows it was running (false: the worker said so) or only that it may have been (true:
 * e.g. a SIGKILL, which leaves no last words, or a task sent just as the worker died).
 */
export class WorkerCrashedError extends CorepinError {
  /** Slot of the worker. */
  readonly slot: number;
  /** Process id of the worker (for thread workers, this process). */
  readonly pid: number;
  /** OS thread id of the worker, when it had reported it. */
  readonly tid: number | null;
  /** Exit code, or null when it was killed by a signal. */
  readonly exitCode: number | null;
  /** Signal that killed it (`SIGKILL` …), or null. */
  readonly signal: string | null;
  /** True when the task may have run (partly or wholly) or may not have started at all. */
  readonly mayNotHaveStarted: boolean;
  constructor(slot: number, pid: number, tid: number | null, exitCode: number | null, signal: string | null, cause?: unknown, detail?: string, mayNotHaveStarted = false) {
    const how = signal !== null ? `was killed by ${signal}` : `exited with code ${exitCode ?? 'unknown'}`;
    const why = detail ?? (cause instanceof Error ? `: ${cause.name}: ${cause.message}` : '');
    const when = mayNotHaveStarted ? 'before answering this task, which may have run or may not have started (it was not run again)' : 'while running this task';
    super(
      'ERR_WORKER_CRASHED',
      `the worker in slot ${slot} (pid ${pid}${tid !== null && tid !== pid ? `, tid ${tid}` : ''}) ${how} ${when}${why}; ` +
        'the slot has a fresh worker, retry the task if it is safe to run again',
      cause === undefined ? undefined : { cause },
    );
    this.slot = slot;
    this.pid = pid;
    this.tid = tid;
    this.exitCode = exitCode;
    this.signal = signal;
    this.mayNotHaveStarted = mayNotHaveStarted;
  }
}

/** A task ran longer than its `timeout` (counted from when it started); its worker was replaced. */
export class TaskTimeoutError extends CorepinError {
  /** The timeout in milliseconds. */
  readonly timeout: number;
  /** Slot whose worker ran it. */
  readonly slot: number;
  constructor(timeout: number, slot: number, fn: string) {
    super(
      'ERR_TASK_TIMEOUT',
      `task ${JSON.stringify(fn)} ran longer than its timeout of ${timeout} ms on slot ${slot}; its worker was stopped and replaced. ` +
        'Raise `timeout` (per call) or `taskTimeout` (pool) if it needs longer',
    );
    this.timeout = timeout;
    this.slot = slot;
  }
}

/** The call's AbortSignal fired before the task finished. Same `name` and `code` as Node's own AbortError. */
export class AbortError extends CorepinError {
  constructor(reason?: unknown) {
    super('ABORT_ERR', 'the task was aborted by its signal before it finished', reason === undefined ? undefined : { cause: reason });
  }
}

/** The queue already holds `maxQueue` tasks waiting for a worker. */
export class QueueFullError extends CorepinError {
  /** The pool's `maxQueue`. */
  readonly maxQueue: number;
  constructor(maxQueue: number, adding: number) {
    super(
      'ERR_POOL_QUEUE_FULL',
      `the pool's queue is full (maxQueue ${maxQueue}${adding > 1 ? `, this call needs room for ${adding} tasks` : ''}); ` +
        'wait for results before submitting more, raise maxQueue, or use imap() which streams',
    );
    this.maxQueue = maxQueue;
  }
}

/** A slot's worker kept failing while starting (import, initializer, or dying before ready): the pool stopped. */
export class WorkerStartupError extends CorepinError {
  /** The slot whose worker could not start. */
  readonly slot: number;
  /** How many starts were tried in a row. */
  readonly attempts: number;
  constructor(slot: number, attempts: number, what: string, cause?: unknown) {
    const detail = cause instanceof Error ? `: ${cause.name}: ${cause.message}` : '';
    super(
      'ERR_WORKER_STARTUP',
      `the worker for slot ${slot} could not start (${what}${attempts > 1 ? `, ${attempts} attempts in a row` : ''})${detail}; ` +
        'the pool has stopped. Fix the task module or initializer and create a new Pool',
      cause === undefined ? undefined : { cause },
    );
    this.slot = slot;
    this.attempts = attempts;
  }
}

/** The task module given as `module` does not exist or is not a file. */
export class TaskModuleNotFoundError extends CorepinError {
  /** The path that was looked for. */
  readonly path: string;
  constructor(given: string, path: string) {
    super(
      'ERR_POOL_MODULE_NOT_FOUND',
      `task module ${JSON.stringify(given)} was not found (looked for the file ${path}); ` +
        'give an absolute path, a path relative to the working directory, or a file: URL',
    );
    this.path = path;
  }
}

/** A task (or the initializer) names an export the task module does not have, or that is not a function. */
export class ExportNotFoundError extends CorepinError {
  /** The export that was asked for. */
  readonly exportName: string;
  constructor(name: string, module: string, available: readonly string[]) {
    super(
      'ERR_POOL_EXPORT_NOT_FOUND',
      `task module ${module} has no function export ${JSON.stringify(name)}; ` +
        (available.length > 0 ? `its function exports are ${available.map((a) => JSON.stringify(a)).join(', ')}` : 'it exports no functions'),
    );
    this.exportName = name;
  }
}

/** A pool option is invalid. */
export class PoolOptionsError extends CorepinError {
  constructor(message: string) {
    super('ERR_POOL_OPTIONS', message);
  }
}

/** A task's arguments or result could not be sent between threads or processes. */
export class TaskDataError extends CorepinError {
  constructor(what: string, cause: unknown) {
    const detail = cause instanceof Error ? cause.message : String(cause);
    super(
      'ERR_POOL_DATA_CLONE',
      `${what} could not be sent to or from the worker (${detail}); pass plain data (for kind 'process' with ` +
        "serialization 'json': JSON values; otherwise anything structuredClone accepts)",
      { cause },
    );
  }
}
