import type { CpuSet } from '../cpuset/CpuSet.js';
import { NoSuchProcessError } from './errors.js';
import type { clockTicks } from '../os/clockTicks.js';
import { UnsupportedPlatformError } from '../os/errors.js';
import { validId } from '../os/validId.js';
import { allowedCpus, migrations, taskIds, threadName, threadStat } from '../os/procfs.js';

/**
 * One thread of a process, as `/proc` shows it.
 *
 * @example
 * ```ts
 * import { threadsOf, type ThreadInfo } from 'corepin';
 * const busy: ThreadInfo[] = threadsOf(process.pid).filter((t) => (t.migrations ?? 0) > 100);
 * for (const t of busy) console.log(t.tid, t.name, t.cpus.toList(), t.lastCpu);
 * ```
 */
export interface ThreadInfo {
  /** OS thread id. */
  readonly tid: number;
  /** Thread name (`comm`), e.g. `node`, `V8Worker`, `libuv-worker`. */
  readonly name: string;
  /** CPUs the thread may run on (`Cpus_allowed_list`). */
  readonly cpus: CpuSet;
  /** CPU it last ran on (`/proc/…/stat` field 39). */
  readonly lastCpu: number | null;
  /** How often the scheduler moved it between CPUs (`se.nr_migrations`), or null where not shown. */
  readonly migrations: number | null;
  /**
   * CPU time it has used, user + system, in clock ticks (`/proc/…/stat` fields 14 and 15; divide by
   * {@link clockTicks} for seconds), or null where not shown.
   */
  readonly cpuTicks: number | null;
  /** Its state letter (`/proc/…/stat` field 3): `R` running, `S` sleeping, `D` in I/O, `T` stopped, `Z` zombie …; null when unknown. */
  readonly state: string | null;
}

/**
 * Every thread of `pid` with its name, allowed CPUs, last CPU and migrations. @throws {InvalidIdError | NoSuchProcessError}
 *
 * @example
 * ```ts
 * import { threadsOf } from 'corepin';
 * for (const t of threadsOf(process.pid)) console.log(t.tid, t.name, t.cpus.toList(), t.lastCpu, t.migrations);
 * ```
 */
export function threadsOf(pid: number): ThreadInfo[] {
  validId(pid, 'pid');
  if (process.platform !== 'linux') throw new UnsupportedPlatformError('threadsOf');
  const tids = taskIds(pid);
  if (tids === null) throw new NoSuchProcessError(`pid ${pid}`);
  const out: ThreadInfo[] = [];
  for (const tid of tids.sort((a, b) => a - b)) {
    const thread = readThread(pid, tid);
    if (thread !== null) out.push(thread); // null: exited while we looked
  }
  return out;
}

/**
 * One thread of `pid`, as {@link threadsOf} gives it; null when it does not exist (or has exited).
 * @throws {InvalidIdError} for a pid or tid that is not a positive integer below the kernel's pid_max.
 *
 * @example
 * ```ts
 * import { threadOf, currentThreadId } from 'corepin';
 * const me = threadOf(process.pid, currentThreadId());
 * console.log(me?.name, me?.cpus.toList(), me?.lastCpu, me?.state); // 'node' '0-7' 3 'R'
 * ```
 */
export function threadOf(pid: number, tid: number): ThreadInfo | null {
  validId(pid, 'pid');
  validId(tid, 'tid');
  if (process.platform !== 'linux') throw new UnsupportedPlatformError('threadOf');
  return readThread(pid, tid);
}

function readThread(pid: number, tid: number): ThreadInfo | null {
  const cpus = allowedCpus(pid, tid);
  if (cpus === null) return null;
  const stat = threadStat(pid, tid);
  return { tid, name: threadName(pid, tid) ?? '?', cpus, lastCpu: stat?.lastCpu ?? null, migrations: migrations(pid, tid), cpuTicks: stat?.cpuTicks ?? null, state: stat?.state ?? null };
}
