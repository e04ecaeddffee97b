import { CpuSet } from '../cpuset/CpuSet.js';
import type { UnavailableReason } from './errors.js';
import { readCgroupCpuset } from './cgroupCpuset.js';
import { readCpuListFile } from './procfs.js';

/**
 * What a process may be pinned to, and why other CPUs are not.
 *
 * @example
 * ```ts
 * import { pinnableCpus, type PinnableCpus } from 'corepin';
 * const p: PinnableCpus = pinnableCpus(1234);
 * console.log(p.cpus.toList(), p.cpus.has(7) ? 'ok' : p.why(7)); // '0-3' 'not-in-cpuset'
 * ```
 */
export interface PinnableCpus {
  /** online ∩ the cgroup cpuset of the process. */
  readonly cpus: CpuSet;
  /** Explains a CPU outside `cpus`. */
  why(cpu: number): UnavailableReason;
}

/**
 * The CPUs a process can be pinned to: online CPUs inside its cgroup cpuset. Its current affinity
 * does not limit this (affinity can widen within the cpuset). Read afresh on every call.
 *
 * @example
 * ```ts
 * import { pinnableCpus, threadsOf } from 'corepin';
 * const usable = pinnableCpus(1234).cpus;
 * const pinned = threadsOf(1234).filter((t) => !usable.isSubsetOf(t.cpus)); // threads someone narrowed
 * ```
 */
export function pinnableCpus(pid: number | 'self' = 'self'): PinnableCpus {
  const present = readCpuListFile('/sys/devices/system/cpu/present') ?? readCpuListFile('/sys/devices/system/cpu/possible');
  const online = readCpuListFile('/sys/devices/system/cpu/online') ?? present ?? CpuSet.EMPTY;
  const cpuset = readCgroupCpuset('/', pid)?.cpus ?? null;
  const cpus = cpuset ? online.intersect(cpuset) : online;
  return {
    cpus,
    why(cpu) {
      if (present && !present.has(cpu) && !online.has(cpu)) return 'beyond-machine';
      if (!online.has(cpu)) return present ? 'offline' : 'beyond-machine';
      if (cpuset && !cpuset.has(cpu)) return 'not-in-cpuset';
      return 'not-allowed';
    },
  };
}
