import { CorepinError } from '../errors.js';

/**
 * Pool options that a pinned pool cannot honour (e.g. no `filename`, or a child-process runtime).
 *
 * @example
 * ```ts
 * import { pinTinypool, PinnedPoolOptionsError } from 'corepin/tinypool';
 * try {
 *   pinTinypool({ filename: '/srv/task.js', runtime: 'child_process' });
 * } catch (err) {
 *   if (err instanceof PinnedPoolOptionsError) console.error(err.message); // code 'ERR_PINNED_POOL_OPTIONS'
 * }
 * ```
 */
export class PinnedPoolOptionsError extends CorepinError {
  constructor(message: string) {
    super('ERR_PINNED_POOL_OPTIONS', message);
  }
}
