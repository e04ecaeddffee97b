import type * as ChildProcessModule from 'node:child_process';
import { createRequire } from 'node:module';
import { BadBackendError, NativeUnavailableError, UnsupportedPlatformError } from './errors.js';
import type { AffinityBackend } from './AffinityBackend.js';
import { loadNativeAddon, nativeAddonLoadError } from './nativeAddon.js';
import { nativeBackend } from './nativeBackend.js';
import { tasksetBackend } from './tasksetBackend.js';

let chosen: AffinityBackend | undefined;

/**
 * The backend in use: `COREPIN_BACKEND=native|taskset` decides; by default the native addon, or
 * taskset with a one-line warning where the addon cannot load.
 *
 * @throws {UnsupportedPlatformError} off Linux, or when neither backend is available.
 * @throws {BadBackendError | NativeUnavailableError} for a `COREPIN_BACKEND` that names no backend, or `native` without the addon.
 *
 * @example
 * ```ts
 * import { currentBackend } from 'corepin';
 * const backend = currentBackend();
 * console.log(backend.name, backend.get(0).toList()); // 'native' '0-7'
 * ```
 */
export function currentBackend(): AffinityBackend {
  if (chosen) return chosen;
  if (process.platform !== 'linux') throw new UnsupportedPlatformError('CPU affinity');
  const wanted = process.env['COREPIN_BACKEND'];
  if (wanted !== undefined && wanted !== '' && wanted !== 'native' && wanted !== 'taskset') {
    throw new BadBackendError(wanted);
  }
  if (wanted === 'taskset') return (chosen = requireTaskset());
  const addon = loadNativeAddon();
  if (addon) return (chosen = nativeBackend(addon));
  if (wanted === 'native') {
    throw new NativeUnavailableError(nativeAddonLoadError());
  }
  // One line, not emitWarning's two: the fallback works, the user only needs to know.
  process.stderr.write(`corepin: warning: native addon unavailable (${nativeAddonLoadError()}); using the taskset backend\n`);
  return (chosen = requireTaskset());
}

/**
 * Chooses the backend for this process (the same as setting `COREPIN_BACKEND` before start);
 * returns it. Benchmarks and tests use it to run the same code on both.
 *
 * @example
 * ```ts
 * import { selectBackend, pin } from 'corepin';
 * selectBackend('taskset'); // the classic recipe, e.g. to compare it with the addon
 * pin('self', '0');
 * ```
 */
export function selectBackend(name: 'native' | 'taskset'): AffinityBackend {
  chosen = undefined;
  const saved = process.env['COREPIN_BACKEND'];
  process.env['COREPIN_BACKEND'] = name;
  try {
    return currentBackend();
  } finally {
    if (saved === undefined) delete process.env['COREPIN_BACKEND'];
    else process.env['COREPIN_BACKEND'] = saved;
  }
}

/** Whether the taskset command is on PATH. */
export function hasTaskset(): boolean {
  const r = childProcess().spawnSync('taskset', ['--version'], { stdio: 'ignore' });
  return !r.error && r.status === 0;
}

function requireTaskset(): AffinityBackend {
  if (!hasTaskset()) {
    throw new UnsupportedPlatformError('CPU affinity without the native addon (util-linux taskset is not installed)');
  }
  return tasksetBackend();
}

// node:child_process is loaded on first use only: only the taskset backend needs it, and every
// worker that imports this file would otherwise pay for loading it.
function childProcess(): typeof ChildProcessModule {
  return createRequire(import.meta.url)('node:child_process') as typeof ChildProcessModule;
}
