import { CorepinError } from '../../errors.js';
import { PROGRESS_REPORTER, type ProgressReporter } from './runReporting.js';

// The user's side of progress reports. It finds the worker's reporter through a global symbol, not
// a shared module, so a task module that resolves its own copy of corepin still reaches the pool.

/**
 * What a task may report: what BullMQ's `job.updateProgress` takes (a number, string, boolean, or a JSON object/array).
 *
 * @example
 * ```ts
 * import { reportProgress, type ProgressValue } from 'corepin/worker';
 * const step: ProgressValue = { done: 3, of: 10 };
 * reportProgress(step);
 * ```
 */
export type ProgressValue = number | string | boolean | object;

/**
 * `reportProgress` was given something that is not a progress value (a function, undefined, a
 * symbol, a bigint, NaN or ±Infinity), or a value that cannot be sent to the pool (e.g. a cycle).
 *
 * @example
 * ```ts
 * import { reportProgress, ProgressValueError } from 'corepin/worker';
 * try {
 *   reportProgress(Number.NaN);
 * } catch (err) {
 *   if (err instanceof ProgressValueError) console.log(err.code); // 'ERR_PROGRESS_VALUE'
 * }
 * ```
 */
export class ProgressValueError extends CorepinError<'ERR_PROGRESS_VALUE'> {
  constructor(what: string, options?: { cause?: unknown }) {
    super('ERR_PROGRESS_VALUE', `reportProgress(${what}): report a number, string, boolean or JSON object (e.g. reportProgress(42) or reportProgress({ done: 3, of: 10 }))`, options);
  }
}

/**
 * Inside a pool task: sends `value` to the task's `onProgress` listener in the parent (`pool.apply(fn,
 * args, { onProgress })`; a corepin queue host passes it to BullMQ's `job.updateProgress`). Values
 * arrive in the order they were reported, always before the task's result; a report made after the
 * task settled (from a timer it left behind) is dropped. Each call is one message: report at a
 * human rate (per step or percent), not per item of a hot loop.
 *
 * @returns true when the value was sent; false when no one listens (no `onProgress` on the call, a
 * `map`/`imap` task, or code running outside a pool task) — then the call costs one lookup.
 * @throws {ProgressValueError} for a value that is not progress (checked whether or not anyone listens).
 *
 * @example
 * ```ts
 * // tasks.mjs, run by a Pool or a corepin queue host
 * import { reportProgress } from 'corepin/worker';
 * export async function render(scene) {
 *   for (let frame = 1; frame <= scene.frames; frame++) {
 *     await drawFrame(scene, frame);
 *     reportProgress({ frame, of: scene.frames });
 *   }
 *   return 'done';
 * }
 * ```
 */
export function reportProgress(value: ProgressValue): boolean {
  const what = notProgress(value);
  if (what !== null) throw new ProgressValueError(what);
  const reporter = (globalThis as Record<symbol, ProgressReporter | undefined>)[PROGRESS_REPORTER];
  if (reporter === undefined) return false;
  try {
    return reporter(value);
  } catch (err) {
    throw new ProgressValueError('a value that cannot be sent to the pool', { cause: err });
  }
}

/** How `value` fails to be a progress value, or null. */
function notProgress(value: unknown): string | null {
  switch (typeof value) {
    case 'number':
      return Number.isFinite(value) ? null : String(value);
    case 'string':
    case 'boolean':
      return null;
    case 'object':
      return value === null ? 'null' : null; // any object or array: JSON (a cycle fails when it is sent)
    case 'function':
      return 'a function';
    case 'bigint':
      return 'a bigint';
    default:
      return typeof value === 'symbol' ? 'a symbol' : 'undefined';
  }
}
