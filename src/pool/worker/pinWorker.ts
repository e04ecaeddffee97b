import { fastPin } from '../../os/fastPin.js';

/**
 * A worker's first act: puts itself on `cpus` (a CPU list from the pool). A thread worker pins its
 * own thread; a process worker — born inside its CPUs — checks that and pins all its threads only
 * if not. Resolves to null, or to the error to report as the worker's 'pin' failure.
 *
 * Fast path: {@link fastPin} (the addon directly; not even the CpuSet module is loaded). Only when
 * that does not give exactly `cpus` is the full `pin` loaded (with its /proc and cgroup checks, and
 * its precise errors): importing it costs a worker several ms of start-up.
 */
export async function pinWorker(kind: 'thread' | 'process', cpus: string): Promise<unknown> {
  if (fastPin(kind, cpus)) return null;
  try {
    const [{ affinityOf, pin }, { CpuSet }] = await Promise.all([import('../../affinity.js'), import('../../cpuset/CpuSet.js')]);
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
