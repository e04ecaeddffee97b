import { CorepinError } from '../CorepinError.js';
import { fromRemoteError, type RemoteError } from './remoteError.js';

// The pool's errors: every way a task or the pool itself can fail, each with a stable code.

/**
 * `close()` was called: the pool accepts no more tasks.
 *
 * @example
 * ```ts
 * import { Pool, PoolClosedError } from 'corepin';
 * const pool = new Pool({ module: new URL('./work.js', import.meta.url) });
 * pool.close();
 * await pool.apply([1]).catch((err) => console.log(err instanceof PoolClosedError)); // true
 * ```
 */
export class PoolClosedError extends CorepinError<'ERR_POOL_CLOSED'> {
  constructor() {
    super('ERR_POOL_CLOSED', 'the pool is closed (close() was called) and accepts no more tasks; create a new Pool to run more');
  }
}

/**
 * `terminate()` was called (or the pool was disposed): queued and running tasks were stopped.
 *
 * @example
 * ```ts
 * import { Pool, PoolTerminatedError } from 'corepin';
 * const pool = new Pool({ module: new URL('./work.js', import.meta.url) });
 * const running = pool.apply('slow', []);
 * await pool.terminate();
 * await running.catch((err) => console.log(err instanceof PoolTerminatedError)); // true
 * ```
 */
export class PoolTerminatedError extends CorepinError<'ERR_POOL_TERMINATED'> {
  constructor() {
    super('ERR_POOL_TERMINATED', 'the pool was terminated before this task finished; await your tasks or use close() to let them finish');
  }
}

/**
 * A worker died (exit, uncaught exception, signal, out of memory) while this task was handed to it
 * and unanswered. The task ran at most once and was not retried: `mayNotHaveStarted` says whether
 * the pool knows it was running (false: the worker said so) or only that it may have been (true:
 * e.g. a SIGKILL, which leaves no last words, or a task sent just as the worker died).
 *
 * @example
 * ```ts
 * import { Pool, WorkerCrashedError } from 'corepin';
 * await using pool = new Pool({ module: new URL('./work.js', import.meta.url) });
 * try {
 *   await pool.apply('exitsTheProcess', []);
 * } catch (err) {
 *   if (err instanceof WorkerCrashedError) console.error(err.message); // the slot gets a new, pinned worker
 * }
 * ```
 */
export class WorkerCrashedError extends CorepinError<'ERR_WORKER_CRASHED'> {
  /** True when the task may have run (partly or wholly) or may not have started at all. */
  readonly mayNotHaveStarted: boolean;
  constructor(
    /** Slot of the worker. */
    readonly slot: number,
    /** Process id of the worker (for thread workers, this process). */
    readonly pid: number,
    /** OS thread id of the worker, when it had reported it. */
    readonly tid: number | null,
    /** Exit code, or null when it was killed by a signal. */
    readonly exitCode: number | null,
    /** Signal that killed it (`SIGKILL` …), or null. */
    readonly signal: string | null,
    cause?: unknown,
    detail?: string,
    mayNotHaveStarted = false,
  ) {
    const how = signal !== null ? `was killed by ${signal}` : `exited with code ${exitCode ?? 'unknown'}`;
    const why = detail ?? (cause instanceof Error ? `: ${cause.name}: ${cause.message}` : '');
    const when = mayNotHaveStarted ? 'before answering this task, which may have run or may not have started (it was not run again)' : 'while running this task';
    super(
      'ERR_WORKER_CRASHED',
      `the worker in slot ${slot} (pid ${pid}${tid !== null && tid !== pid ? `, tid ${tid}` : ''}) ${how} ${when}${why}; ` +
        'the slot has a fresh worker, retry the task if it is safe to run again',
      cause === undefined ? undefined : { cause },
    );
    this.mayNotHaveStarted = mayNotHaveStarted;
  }
}

/**
 * A task ran longer than its `timeout` (counted from when it started); its worker was replaced.
 *
 * @example
 * ```ts
 * import { Pool, TaskTimeoutError } from 'corepin';
 * await using pool = new Pool({ module: new URL('./work.js', import.meta.url) });
 * await pool.apply('slow', [], { timeout: 100 }).catch((err) => console.log(err instanceof TaskTimeoutError));
 * ```
 */
export class TaskTimeoutError extends CorepinError<'ERR_TASK_TIMEOUT'> {
  constructor(
    /** The timeout in milliseconds. */
    readonly timeout: number,
    /** Slot whose worker ran it. */
    readonly slot: number,
    fn: string,
  ) {
    super(
      'ERR_TASK_TIMEOUT',
      `task ${JSON.stringify(fn)} ran longer than its timeout of ${timeout} ms on slot ${slot}; its worker was stopped and replaced. ` +
        'Raise `timeout` (per call) or `taskTimeout` (pool) if it needs longer',
    );
  }
}

/**
 * The call's AbortSignal fired before the task finished. Same `name` and `code` as Node's own AbortError.
 *
 * @example
 * ```ts
 * import { Pool, AbortError } from 'corepin';
 * await using pool = new Pool({ module: new URL('./work.js', import.meta.url) });
 * const signal = AbortSignal.timeout(50);
 * await pool.apply('slow', [], { signal }).catch((err) => console.log(err instanceof AbortError, err.code)); // true 'ABORT_ERR'
 * ```
 */
export class AbortError extends CorepinError<'ABORT_ERR'> {
  constructor(reason?: unknown) {
    super('ABORT_ERR', 'the task was aborted by its signal before it finished', reason === undefined ? undefined : { cause: reason });
  }
}

/**
 * The queue already holds `maxQueue` tasks waiting for a worker.
 *
 * @example
 * ```ts
 * import { Pool, QueueFullError } from 'corepin';
 * await using pool = new Pool({ module: new URL('./work.js', import.meta.url), maxQueue: 10 });
 * try {
 *   await Promise.all(Array.from({ length: 100 }, (_, i) => pool.apply([i])));
 * } catch (err) {
 *   if (err instanceof QueueFullError) console.warn('back off and retry'); // code 'ERR_POOL_QUEUE_FULL'
 * }
 * ```
 */
export class QueueFullError extends CorepinError<'ERR_POOL_QUEUE_FULL'> {
  constructor(
    /** The pool's `maxQueue`. */
    readonly maxQueue: number,
    adding: number,
  ) {
    super(
      'ERR_POOL_QUEUE_FULL',
      `the pool's queue is full (maxQueue ${maxQueue}${adding > 1 ? `, this call needs room for ${adding} tasks` : ''}); ` +
        'wait for results before submitting more, raise maxQueue, or use imap() which streams',
    );
  }
}

/**
 * A slot's worker kept failing while starting (import, initializer, or dying before ready): the pool stopped.
 *
 * @example
 * ```ts
 * import { Pool, WorkerStartupError } from 'corepin';
 * const pool = new Pool({ module: new URL('./throws-on-import.js', import.meta.url) });
 * await pool.apply([1]).catch((err) => console.log(err instanceof WorkerStartupError)); // the pool stopped
 * ```
 */
export class WorkerStartupError extends CorepinError<'ERR_WORKER_STARTUP'> {
  constructor(
    /** The slot whose worker could not start. */
    readonly slot: number,
    /** How many starts were tried in a row. */
    readonly attempts: number,
    what: string,
    cause?: unknown,
  ) {
    const detail = cause instanceof Error ? `: ${cause.name}: ${cause.message}` : '';
    super(
      'ERR_WORKER_STARTUP',
      `the worker for slot ${slot} could not start (${what}${attempts > 1 ? `, ${attempts} attempts in a row` : ''})${detail}; ` +
        'the pool has stopped. Fix the task module or initializer and create a new Pool',
      cause === undefined ? undefined : { cause },
    );
  }
}

/**
 * The task module given as `module` does not exist or is not a file.
 *
 * @example
 * ```ts
 * import { Pool, TaskModuleNotFoundError } from 'corepin';
 * try {
 *   new Pool({ module: './missing.js' });
 * } catch (err) {
 *   if (err instanceof TaskModuleNotFoundError) console.error(err.message); // thrown by new Pool(), before any worker starts
 * }
 * ```
 */
export class TaskModuleNotFoundError extends CorepinError<'ERR_POOL_MODULE_NOT_FOUND'> {
  constructor(
    given: string,
    /** The path that was looked for. */
    readonly path: string,
  ) {
    super(
      'ERR_POOL_MODULE_NOT_FOUND',
      `task module ${JSON.stringify(given)} was not found (looked for the file ${path}); ` +
        'give an absolute path, a path relative to the working directory, or a file: URL',
    );
  }
}

/**
 * A task (or the initializer) names an export the task module does not have, or that is not a function.
 *
 * @example
 * ```ts
 * import { Pool, ExportNotFoundError } from 'corepin';
 * await using pool = new Pool({ module: new URL('./work.js', import.meta.url) });
 * await pool.apply('noSuchExport', []).catch((err) => console.log(err instanceof ExportNotFoundError)); // message lists the exports
 * ```
 */
export class ExportNotFoundError extends CorepinError<'ERR_POOL_EXPORT_NOT_FOUND'> {
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

/**
 * A pool option is invalid.
 *
 * @example
 * ```ts
 * import { Pool, PoolOptionsError } from 'corepin';
 * try {
 *   new Pool({ module: new URL('./work.js', import.meta.url), workers: 0 });
 * } catch (err) {
 *   if (err instanceof PoolOptionsError) console.error(err.message); // code 'ERR_POOL_OPTIONS'
 * }
 * ```
 */
export class PoolOptionsError extends CorepinError<'ERR_POOL_OPTIONS'> {
  constructor(message: string) {
    super('ERR_POOL_OPTIONS', message);
  }
}

/**
 * A task's arguments or result could not be sent between threads or processes.
 *
 * @example
 * ```ts
 * import { Pool, TaskDataError } from 'corepin';
 * await using pool = new Pool({ module: new URL('./work.js', import.meta.url), kind: 'thread' });
 * await pool.apply('echo', [() => 1]).catch((err) => console.log(err instanceof TaskDataError)); // a function cannot be cloned
 * ```
 */
export class TaskDataError extends CorepinError<'ERR_POOL_DATA_CLONE'> {
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

/**
 * Rebuilds the error of a task that threw in a worker. corepin's own worker-side errors get their
 * class back (a task naming an export that this worker's module lacks: {@link ExportNotFoundError});
 * a task's own error keeps its name, message, stack, code and properties.
 */
export function taskErrorFrom(data: RemoteError, modulePath: string): Error {
  if (data.name === 'ExportNotFoundError' && data.code === 'ERR_POOL_EXPORT_NOT_FOUND') {
    const props = data.props ?? {};
    const listed = typeof props['exports'] === 'string' ? props['exports'].split(',').filter(Boolean) : [];
    return new ExportNotFoundError(String(props['exportName'] ?? ''), modulePath, listed);
  }
  return fromRemoteError(data);
}
