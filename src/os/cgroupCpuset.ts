import { join } from 'node:path';
import { CpuSet } from '../cpuset/CpuSet.js';
import { cgroupAncestors, readCgroupMembership, readCgroupMounts } from './cgroupMounts.js';
import type { CgroupMount } from './cgroupMounts.js';
import { readText } from './procfs.js';

/** Where a process's cgroup cpuset was found, and what it allows. */
export interface CgroupCpuset {
  /** `v1` (cpuset controller hierarchy), `v2` (unified) or `cpuset` (the pre-cgroup cpuset filesystem). */
  readonly version: 'v1' | 'v2' | 'cpuset';
  /** Directory of the cgroup (under `root`). */
  readonly dir: string;
  /** The CPUs the cgroup lets its processes use (`cpuset.effective_cpus` / `cpuset.cpus.effective`). */
  readonly cpus: CpuSet;
  /** The NUMA node ids it lets them allocate from (`cpuset.mems` …), null when not shown. */
  readonly mems: CpuSet | null;
}

/**
 * Finds the cgroup cpuset of a process the way Kubernetes and Slurm set it: through
 * `/proc/<pid>/cgroup` (or the legacy `/proc/<pid>/cpuset`) and `/proc/<pid>/mountinfo` (or
 * `/proc/mounts`): cgroup v1 `cpuset.cpus` first, then v2 `cpuset.cpus.effective`, then the
 * legacy cpuset filesystem's `cpus`, each walking up to the first ancestor that has the file.
 * `root` prefixes every path, so a fixture tree can stand in for `/`.
 * Returns null when no cpuset is visible (no cgroup, not Linux, unreadable files).
 */
export function readCgroupCpuset(root = '/', pid: number | 'self' = 'self'): CgroupCpuset | null {
  const mounts = readCgroupMounts(root, pid);
  const lines = readCgroupMembership(root, pid);
  const legacyName = readText(join(root, 'proc', String(pid), 'cpuset'))?.trim() || null;

  const v1 = lines.find((l) => l.controllers.includes('cpuset'));
  const v1Mount = mounts.find((m) => m.fstype === 'cgroup' && m.options.includes('cpuset'));
  if (v1Mount) {
    // `noprefix` mounts (cgroup v1 emulating cpusets) drop the `cpuset.` prefix of file names.
    const p = v1Mount.options.includes('noprefix') ? '' : 'cpuset.';
    // `cpus` before `effective_cpus`, as hwloc reads them: in v1 they differ only by offline CPUs
    // (removed later anyway) or in dumps edited by hand, where `cpus` is what was meant.
    const found = walkUp(root, v1Mount, v1?.path ?? legacyName, [`${p}cpus`, `${p}effective_cpus`], [`${p}mems`, `${p}effective_mems`]);
    if (found) return { version: 'v1', ...found };
  }
  const v2 = lines.find((l) => l.hierarchy === '0' && l.controllers.length === 0);
  const v2Mount = mounts.find((m) => m.fstype === 'cgroup2');
  if (v2 && v2Mount) {
    const found = walkUp(root, v2Mount, v2.path, ['cpuset.cpus.effective'], ['cpuset.mems.effective']);
    if (found) return { version: 'v2', ...found };
  }
  const legacy = mounts.find((m) => m.fstype === 'cpuset');
  if (legacy) {
    const found = walkUp(root, legacy, legacyName, ['cpus'], ['mems']);
    if (found) return { version: 'cpuset', ...found };
  }
  return null;
}

function walkUp(root: string, mount: CgroupMount, path: string | null | undefined, cpuFiles: string[], memFiles: string[]): Omit<CgroupCpuset, 'version'> | null {
  if (path === null || path === undefined) return null;
  for (const { dir } of cgroupAncestors(root, mount, path)) {
    for (const f of cpuFiles) {
      const text = readText(join(dir, f));
      if (text === null || text.trim() === '') continue;
      try {
        return { dir, cpus: CpuSet.parse(text.trim(), 'list'), mems: readMems(dir, memFiles) };
      } catch {
        return null;
      }
    }
  }
  return null;
}

function readMems(dir: string, files: string[]): CpuSet | null {
  for (const f of files) {
    const text = readText(join(dir, f))?.trim();
    if (!text) continue;
    try {
      return CpuSet.parse(text, 'list');
    } catch {
      return null;
    }
  }
  return null;
}
