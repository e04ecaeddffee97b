import { loadNativeAddon } from '../os/nativeAddon.js';
import { cpuListBytes, sameCpuBytes } from './cpuListBytes.js';

/**
 * A worker's first act: puts itself on `cpus` (a CPU list from the pool). A thread worker pins its
 * own thread; a process worker — born inside its CPUs — checks that and pins all its threads only
 * if not. Resolves to null, or to the error to report as the worker's 'pin' failure.
 *
 * Fast path: the addon directly (not even the CpuSet module is loaded), with no validation (the pool chose `cpus` inside the usable CPUs)
 * and the result read back. Only when that is not possible or does not give exactly `cpus`, the full
 * `pin` is loaded (with its /proc and cgroup checks, and its precise errors): importing it costs a
 * worker several ms of start-up.
 */
export async function pinWorker(kind: 'thread' | 'process', cpus: string): Promise<unknown> {
  const bytes = cpuListBytes(cpus);
  const addon = bytes === null || process.env['COREPIN_BACKEND'] === 'taskset' ? null : loadNativeAddon();
  if (addon !== null && bytes !== null) {
    try {
      const on = (): boolean => sameCpuBytes(addon.getAffinity(0), bytes);
      if (kind === 'process' && on()) return null;
      // Threads other than this one are only reached by the full pin (it walks /proc/<pid>/task).
      if (kind === 'thread') {
        addon.setAffinity(0, bytes);
        if (on()) return null;
      }
    } catch {
      // The full pin below says why, precisely.
    }
  }
  try {
    const [{ affinityOf, pin }, { CpuSet }] = await Promise.all([import('../affinity.js'), import('../cpuset/CpuSet.js')]);
    const want = CpuSet.parse(cpus, 'list');
    if (kind === 'process') {
      if (!affinityOf('thread').equals(want)) pin('self', want);
    } else {
      pin('thread', want);
    }
    return null;
  } catch (err) {
    return err;
  }
}
