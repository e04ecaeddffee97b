import { PoolOptionsError } from '../pool/errors.js';
import { resolveTaskModule, type TaskModule } from '../pool/resolveTaskModule.js';
import { QueueOptionsError } from './errors.js';

/**
 * The host's task module (path, path relative to the working directory, or file: URL) as a file path
 * and the file: URL its workers import; checked to exist before anything starts. The pool's own
 * resolver does the work; a bad option is reported as the queue's, naming `pool.module`.
 *
 * @throws {TaskModuleNotFoundError | QueueOptionsError}
 */
export function resolveHostModule(module: string | URL): TaskModule {
  if (!(module instanceof URL) && (typeof module !== 'string' || module === '')) throw new QueueOptionsError('QueueWorker: `pool.module` (the task module: a path or file: URL) is required');
  try {
    return resolveTaskModule(module);
  } catch (err) {
    if (err instanceof PoolOptionsError) throw new QueueOptionsError(`pool.module: ${err.message}`);
    throw err;
  }
}
