// The one fast pin path for pool workers, and the hand-off of the addon's path from the pool to its
// workers. Small on purpose, importing only the addon loader: every import is start-up time of
// every worker, and a worker takes this path before it loads anything else.
import { ADDON_PATH_ENV, loadNativeAddon, nativeAddonPath } from './nativeAddon.js';

const MAX_CPU = 65535;

/**
 * The kernel mask bytes (CPU n is bit n % 8 of byte n / 8) of a plain CPU list such as `0-3,8`, as
 * the pool writes it for its workers; null for anything else (the caller then takes the full path,
 * which parses and reports errors properly).
 */
export function cpuListBytes(list: string): Uint8Array | null {
  const ranges: number[] = [];
  let last = -1;
  for (const part of list.split(',')) {
    const m = /^(\d+)(?:-(\d+))?$/.exec(part);
    if (m === null) return null;
    const a = Number(m[1]);
    const b = m[2] === undefined ? a : Number(m[2]);
    if (b < a || b > MAX_CPU) return null;
    ranges.push(a, b);
    if (b > last) last = b;
  }
  if (last < 0) return null;
  const out = new Uint8Array((last >> 3) + 1);
  for (let i = 0; i < ranges.length; i += 2) for (let c = ranges[i]!; c <= ranges[i + 1]!; c++) out[c >> 3]! |= 1 << (c & 7);
  return out;
}

/** Whether two masks name the same CPUs (lengths may differ: missing bytes count as zero). */
export function sameCpuBytes(a: Uint8Array, b: Uint8Array): boolean {
  const n = Math.max(a.length, b.length);
  for (let i = 0; i < n; i++) if ((a[i] ?? 0) !== (b[i] ?? 0)) return false;
  return true;
}

/**
 * Puts the calling worker on `cpus` (a plain CPU list the pool chose inside the usable CPUs) through
 * the addon directly, with no validation, and reads the result back. A thread worker sets its own
 * thread; a process worker — born inside its CPUs — only checks (reaching its other threads needs the
 * full pin, which walks /proc/<pid>/task). Returns true when the worker is now on exactly `cpus`;
 * false when this path cannot tell (no addon, `COREPIN_BACKEND=taskset`, a list it does not read, a
 * different result): the caller then takes the full `pin`, which says precisely why.
 */
export function fastPin(kind: 'thread' | 'process', cpus: string): boolean {
  const bytes = cpuListBytes(cpus);
  const addon = bytes === null || process.env['COREPIN_BACKEND'] === 'taskset' ? null : loadNativeAddon();
  if (addon === null || bytes === null) return false;
  try {
    const on = (): boolean => sameCpuBytes(addon.getAffinity(0), bytes);
    if (kind === 'process') return on();
    addon.setAffinity(0, bytes);
    return on();
  } catch {
    return false;
  }
}

/**
 * Pool side of the hand-off: loads the addon and returns the file it came from (undefined: it did not
 * load), so workers can require that file instead of searching for it (a few ms each).
 */
export function addonPathForWorkers(): string | undefined {
  loadNativeAddon();
  return nativeAddonPath();
}

/** `env` with the addon's path for a process worker, unless it already names one or there is none. */
export function envWithAddonPath(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const path = addonPathForWorkers();
  return path === undefined || env[ADDON_PATH_ENV] !== undefined ? env : { ...env, [ADDON_PATH_ENV]: path };
}

/**
 * Worker side of the hand-off: loads the addon from the path the pool found (a thread worker's
 * workerData; a process worker's environment when `path` is undefined). Returns whether it loaded.
 */
export function loadWorkerAddon(path?: string): boolean {
  return loadNativeAddon(path) !== null;
}

/**
 * Asks the kernel to send `signal` to this process when the thread that forked it dies
 * (prctl PR_SET_PDEATHSIG). Returns false without the addon; throws when the kernel refuses.
 */
export function dieWithParent(signal: number): boolean {
  const addon = loadNativeAddon();
  if (addon === null) return false;
  addon.setParentDeathSignal(signal);
  return true;
}

/** The calling thread's kernel id (gettid), or undefined without the addon. */
export function callingThreadId(): number | undefined {
  return loadNativeAddon()?.gettid();
}
