import { join } from 'node:path';
import { CpuSet } from '../cpuset/CpuSet.js';
import { readCgroupCpuset } from '../os/cgroupCpuset.js';
import { readCpuListFile, readText } from '../os/procfs.js';
import { readTopology } from './readTopology.js';

/**
 * The usable view of the topology under `root` — online ∩ this process's affinity
 * (`proc/self/status`) ∩ its cgroup cpuset, exactly `readTopology(root).usable` — without reading the
 * rest of the machine: a few small files, cheap enough to poll. `Pool` polls it to notice a cpuset
 * change, then reads the topology again and resolves its placement request against that.
 * Where `online` is missing or `Cpus_allowed_list` unreadable it reads the whole topology instead,
 * so the answer is always the topology's.
 *
 * @example
 * ```ts
 * import { readUsableCpus } from 'corepin';
 * readUsableCpus().toList(); // '0-7', like readTopology().usable
 * ```
 */
export function readUsableCpus(root = '/'): CpuSet {
  const online = readCpuListFile(join(root, 'sys/devices/system/cpu/online'));
  if (online === null) return readTopology(root).usable;
  let affinity = online;
  const line = readText(join(root, 'proc/self/status'))?.split('\n').find((l) => l.startsWith('Cpus_allowed_list:'));
  if (line !== undefined) {
    try {
      affinity = CpuSet.parse(line.slice(line.indexOf(':') + 1).trim(), 'list');
    } catch {
      return readTopology(root).usable;
    }
  }
  const cgroup = readCgroupCpuset(root)?.cpus ?? null;
  const allowed = cgroup ? affinity.intersect(cgroup) : affinity;
  return online.intersect(allowed);
}
