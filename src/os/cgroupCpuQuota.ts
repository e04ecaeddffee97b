import { join } from 'node:path';
import { cgroupAncestors, readCgroupMembership, readCgroupMounts } from './cgroupMounts.js';
import { readText } from './procfs.js';

/**
 * The tightest CPU bandwidth limit over a process's cgroup and its ancestors.
 *
 * @example
 * ```ts
 * import { readCgroupCpuQuota, type CpuQuota } from 'corepin';
 * const q: CpuQuota | null = readCgroupCpuQuota();
 * if (q) console.log(`${q.cpus} CPUs (${q.file} of ${q.cgroup})`);
 * ```
 */
export interface CpuQuota {
  /** Quota ÷ period: how many CPUs' worth of time the cgroup may use (e.g. 2.5). */
  readonly cpus: number;
  /** Quota in microseconds per period, as written in the file. */
  readonly quotaUs: number;
  /** Period in microseconds, as written in the file. */
  readonly periodUs: number;
  /** Which file set it: `cpu.max` (v2) or `cpu.cfs_quota_us` (v1). */
  readonly file: 'cpu.max' | 'cpu.cfs_quota_us';
  /** The cgroup that has it, as a hierarchy path (`/kubepods/pod1234`). */
  readonly cgroup: string;
}

/**
 * Reads the CPU quota of a process the way the scheduler applies it: every ancestor cgroup's limit
 * applies, so the tightest one wins. cgroup v2: `cpu.max` (`max 100000` = no limit, `200000 100000`
 * = 2 CPUs) in the unified hierarchy; cgroup v1: `cpu.cfs_quota_us` (-1 = no limit) ÷
 * `cpu.cfs_period_us` in the hierarchy that has the `cpu` controller. Both are read when both are
 * mounted. Where the process is comes from `/proc/<pid>/cgroup`, where the hierarchy is from
 * `/proc/<pid>/mountinfo` (or `/proc/mounts`); `root` prefixes every path, so a fixture tree can
 * stand in for `/`. Missing or unreadable files are no limit at that level.
 *
 * @returns the tightest limit, or null when no cgroup limits this process.
 *
 * @example
 * ```ts
 * import { readCgroupCpuQuota } from 'corepin';
 * readCgroupCpuQuota()?.cpus; // 2 inside a pod with limits.cpu: 2, undefined without a quota
 * ```
 */
export function readCgroupCpuQuota(root = '/', pid: number | 'self' = 'self'): CpuQuota | null {
  const mounts = readCgroupMounts(root, pid);
  const lines = readCgroupMembership(root, pid);
  const found: CpuQuota[] = [];
  const v2 = lines.find((l) => l.hierarchy === '0' && l.controllers.length === 0);
  const v2Mount = mounts.find((m) => m.fstype === 'cgroup2');
  if (v2 && v2Mount) {
    for (const { dir, path } of cgroupAncestors(root, v2Mount, v2.path)) {
      const f = readText(join(dir, 'cpu.max'))?.trim().split(/\s+/);
      if (!f || f[0] === 'max') continue;
      const quota = Number(f[0]);
      const period = f[1] === undefined ? 100000 : Number(f[1]);
      if (validPair(quota, period)) found.push({ cpus: quota / period, quotaUs: quota, periodUs: period, file: 'cpu.max', cgroup: path });
    }
  }
  const v1 = lines.find((l) => l.controllers.includes('cpu'));
  const v1Mount = mounts.find((m) => m.fstype === 'cgroup' && m.options.includes('cpu'));
  if (v1 && v1Mount) {
    for (const { dir, path } of cgroupAncestors(root, v1Mount, v1.path)) {
      const quota = Number(readText(join(dir, 'cpu.cfs_quota_us'))?.trim() ?? NaN);
      const period = Number(readText(join(dir, 'cpu.cfs_period_us'))?.trim() ?? NaN);
      if (validPair(quota, period)) found.push({ cpus: quota / period, quotaUs: quota, periodUs: period, file: 'cpu.cfs_quota_us', cgroup: path });
    }
  }
  return found.reduce<CpuQuota | null>((best, q) => (best === null || q.cpus < best.cpus ? q : best), null);
}

function validPair(quota: number, period: number): boolean {
  return Number.isInteger(quota) && Number.isInteger(period) && quota > 0 && period > 0;
}
