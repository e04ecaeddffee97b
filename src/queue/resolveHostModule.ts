import { statSync } from 'node:fs';
import { resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { TaskModuleNotFoundError } from '../pool/errors.js';
import { QueueOptionsError } from './errors.js';

/**
 * The host's task module (path, path relative to the working directory, or file: URL) as a file path
 * and the file: URL its workers import; checked to exist before anything starts.
 *
 * @throws {TaskModuleNotFoundError | QueueOptionsError}
 */
export function resolveHostModule(module: string | URL): { path: string; href: string } {
  if (!(module instanceof URL) && (typeof module !== 'string' || module === '')) throw new QueueOptionsError('QueueWorker: `pool.module` (the task module: a path or file: URL) is required');
  let path: string;
  try {
    path = module instanceof URL || module.startsWith('file:') ? fileURLToPath(module) : resolve(module);
  } catch (err) {
    throw new QueueOptionsError(`pool.module ${JSON.stringify(String(module))} is not a file path or file: URL (${(err as Error).message})`);
  }
  let isFile = false;
  try {
    isFile = statSync(path).isFile();
  } catch {
    // not there
  }
  if (!isFile) throw new TaskModuleNotFoundError(String(module), path);
  return { path, href: pathToFileURL(path).href };
}
