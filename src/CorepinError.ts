// The root of corepin's errors and the list of their codes. Each layer keeps its own classes in its
// errors.ts (cpuset/, os/, affinity/, topology/, placement/, launch/, pool/, adapters/, queue/, cli/);
// docs/errors.md lists every code with its meaning and CLI exit code.

/**
 * Every `code` a corepin error can carry, one line per layer (cpuset and affinity; os; topology;
 * placement; launch; pool; adapters; queue; cli). A code never changes meaning; new ones are added.
 * docs/errors.md says what each means and the CLI's exit code for it.
 *
 * @example
 * ```ts
 * import { ERROR_CODES, type ErrorCode } from 'corepin';
 * const isCorepinCode = (code: unknown): code is ErrorCode => (ERROR_CODES as readonly unknown[]).includes(code);
 * isCorepinCode('ERR_CPUSET_SYNTAX'); // true
 * ```
 */
export const ERROR_CODES = [
  'ERR_CPUSET_SYNTAX', 'ERR_EMPTY_CPUSET', 'ERR_CPUS_UNAVAILABLE', 'ESRCH', 'EPERM', 'EINVAL', 'ERR_INVALID_ID',
  'ERR_UNSUPPORTED_PLATFORM', 'ERR_BAD_BACKEND', 'ERR_NATIVE_UNAVAILABLE',
  'ERR_NO_TOPOLOGY', 'ERR_SYNTHETIC_SPEC', 'ERR_LOCATION', 'ERR_WORKER_COUNT',
  'ERR_PLACEMENT',
  'ERR_LAUNCH_SETTING', 'ERR_SCHED_PERMISSION',
  'ERR_POOL_OPTIONS', 'ERR_POOL_MODULE_NOT_FOUND', 'ERR_POOL_EXPORT_NOT_FOUND', 'ERR_POOL_CLOSED', 'ERR_POOL_TERMINATED', 'ERR_POOL_QUEUE_FULL', 'ERR_POOL_DATA_CLONE', 'ERR_TASK_TIMEOUT', 'ABORT_ERR', 'ERR_WORKER_CRASHED', 'ERR_WORKER_STARTUP', 'ERR_PROGRESS_VALUE', 'ERR_POOL_TRANSFER_LIST',
  'ERR_PINNED_POOL_OPTIONS', 'ERR_NO_FREE_SLOT',
  'ERR_QUEUE_DEPENDENCY', 'ERR_REDIS_UNREACHABLE', 'ERR_QUEUE_OPTIONS', 'ERR_QUEUE_MODULE_MISMATCH', 'ERR_QUEUE_EXPORT_NOT_FOUND', 'ERR_QUEUE_JOB_FAILED',
  'ERR_USAGE', 'ERR_INPUT_FILE', 'ERR_OUTPUT_WRITE', 'ERR_INPUT_LINE', 'ERR_REPORT_FILE', 'ERR_TASK_FAILED',
] as const;

/**
 * The stable code of a corepin error (`err.code`): switch on it instead of on messages.
 *
 * @example
 * ```ts
 * import { pin, CorepinError, type ErrorCode } from 'corepin';
 * function exitCodeOf(code: ErrorCode): number {
 *   return code === 'ERR_USAGE' || code === 'ERR_INVALID_ID' ? 2 : 1;
 * }
 * try {
 *   pin('self', '0-3');
 * } catch (err) {
 *   if (err instanceof CorepinError) process.exitCode = exitCodeOf(err.code);
 * }
 * ```
 */
export type ErrorCode = (typeof ERROR_CODES)[number];

/** Whether `code` is one of corepin's codes (for errors that lost their class crossing a boundary). */
export function isErrorCode(code: unknown): code is ErrorCode {
  return (ERROR_CODES as readonly unknown[]).includes(code);
}

/**
 * Every failure a user can cause is one of these classes: a stable `code`, and a message that
 * names the offending input and says what to do. The CLI prints `message` on one line.
 *
 * @example
 * ```ts
 * import { pin, CorepinError } from 'corepin';
 * try {
 *   pin('self', '0-3');
 * } catch (err) {
 *   if (err instanceof CorepinError) console.error(`${err.code}: ${err.message}`); // one line, for the user
 *   else throw err;
 * }
 * ```
 */
export class CorepinError<C extends ErrorCode = ErrorCode> extends Error {
  /**
   * Stable machine-readable code, e.g. `ERR_CPUSET_SYNTAX`, `ESRCH`: always one of {@link ErrorCode}.
   * A foreign error (a task's own, with a code such as `ENOENT`) is never relabelled: it stays its
   * own error, or is the `cause` of the corepin error that reports it (`TaskFailedError`, …).
   */
  readonly code: C;
  constructor(code: C, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.code = code;
    this.name = new.target.name;
  }
}
