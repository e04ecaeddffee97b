import { statSync } from 'node:fs';
import { resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { PoolOptionsError, TaskModuleNotFoundError } from './errors.js';

/** A task module that exists: its file path and the file: URL workers import. */
export interface TaskModule {
  readonly path: string;
  readonly href: string;
}

/**
 * Resolves `module` (absolute path, path relative to the working directory, or file: URL) and
 * checks that it is a file — before any worker starts, so a typo fails at `new Pool()`.
 *
 * @throws {TaskModuleNotFoundError | PoolOptionsError}
 */
export function resolveTaskModule(module: string | URL): TaskModule {
  let path: string;
  if (module instanceof URL || (typeof module === 'string' && module.startsWith('file:'))) {
    try {
      path = fileURLToPath(module);
    } catch (err) {
      throw new PoolOptionsError(`module ${JSON.stringify(String(module))} is not a valid file: URL (${(err as Error).message})`);
    }
  } else if (typeof module === 'string' && module !== '') {
    if (/^[a-z][a-z0-9+.-]*:/i.test(module) && !/^[a-z]:[\\/]/i.test(module)) {
      throw new PoolOptionsError(`module ${JSON.stringify(module)} must be a file path or a file: URL`);
    }
    path = resolve(module);
  } else {
    throw new PoolOptionsError('option `module` is required: the path or file: URL of the module whose exports the tasks run');
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
