import type { CpuSet } from '../cpuset/CpuSet.js';
import { allowedCpus, taskIds } from '../os/procfs.js';

/**
 * Reads a worker back from /proc: for a process worker every thread of `pid`, for a thread worker
 * its own thread `tid` of this process, must be on exactly `cpus` (`'inside'`) — a thread on only
 * part of them is `'outside'`, so a slot that grew back re-pins it. `'gone'` when it has exited.
 */
export function verifyBinding(kind: 'process' | 'thread', pid: number, tid: number, cpus: CpuSet): 'inside' | 'outside' | 'gone' {
  const tids = kind === 'process' ? taskIds(pid) : [tid];
  if (tids === null || tids.length === 0) return 'gone';
  let seen = 0;
  for (const t of tids) {
    const allowed = allowedCpus(pid, t);
    if (allowed === null) continue; // a thread that exited while we looked
    if (!allowed.equals(cpus)) return 'outside';
    seen++;
  }
  return seen > 0 ? 'inside' : 'gone';
}
