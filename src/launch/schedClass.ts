import { readdirSync } from 'node:fs';
import { loadNativeAddon, nativeAddonLoadError } from '../os/nativeAddon.js';
import { readText } from '../os/procfs.js';
import type { SchedClass } from './LaunchSettings.js';
import { LaunchSettingsError, SchedPermissionError } from './errors.js';

// Kept free of heavy imports: process workers load this before their task module.

/** The kernel's SCHED_* numbers. */
export const SCHED_POLICY: Readonly<Record<SchedClass, number>> = { other: 0, batch: 3, idle: 5 };
const NAMES: Readonly<Record<number, string>> = { 0: 'other', 1: 'fifo', 2: 'rr', 3: 'batch', 5: 'idle', 6: 'deadline' };

/** Nice value and scheduling class to give threads; null fields are left as they are. */
export interface SchedRequest {
  readonly nice: number | null;
  readonly sched: SchedClass | null;
}

function addonOrThrow(): NonNullable<ReturnType<typeof loadNativeAddon>> {
  const addon = loadNativeAddon();
  if (addon === null) throw new LaunchSettingsError(`nice/sched need corepin's native addon, which did not load (${nativeAddonLoadError() ?? 'unknown reason'}); rebuild it with npm run build`);
  return addon;
}

function describe(req: SchedRequest): string {
  return [req.nice !== null ? `nice ${req.nice}` : '', req.sched !== null ? `scheduling class ${req.sched}` : ''].filter(Boolean).join(' and ');
}

/**
 * Asks the kernel, on a throwaway thread that starts like a worker forked from the calling thread
 * would, whether `req` is allowed. @throws {SchedPermissionError} when it is not.
 */
export function checkSchedAllowed(req: SchedRequest): void {
  if (req.nice === null && req.sched === null) return;
  const e = addonOrThrow().probeSched(req.nice, req.sched === null ? -1 : SCHED_POLICY[req.sched]);
  if (e === 1 || e === 13) throw new SchedPermissionError(describe(req));
  if (e !== 0) throw new LaunchSettingsError(`the kernel refused ${describe(req)} (errno ${e})`);
}

/** Gives thread `tid` (0: the calling thread) the nice value and class. @throws {SchedPermissionError} */
export function applySchedToThread(tid: number, req: SchedRequest): void {
  if (req.nice === null && req.sched === null) return;
  const addon = addonOrThrow();
  try {
    // Class first: leaving SCHED_IDLE is judged against the nice value, which is then set.
    if (req.sched !== null) addon.setScheduler(tid, SCHED_POLICY[req.sched]);
    if (req.nice !== null) addon.setNice(tid, req.nice);
  } catch (err) {
    const code = (err as { code?: string }).code;
    if (code === 'EPERM' || code === 'EACCES') throw new SchedPermissionError(`${describe(req)}${tid === 0 ? '' : ` on thread ${tid}`}`);
    if (code === 'ESRCH') return; // the thread exited meanwhile
    throw err;
  }
}

/**
 * Gives every thread of this process the nice value and class; /proc/self/task is read again until
 * no new thread appears (threads started later inherit from their creator, already done).
 */
export function applySchedToProcess(req: SchedRequest): void {
  if (req.nice === null && req.sched === null) return;
  const done = new Set<number>();
  for (;;) {
    const tids = readdirSync('/proc/self/task').map(Number).filter((t) => !done.has(t));
    if (tids.length === 0) return;
    for (const tid of tids) {
      done.add(tid);
      applySchedToThread(tid, req);
    }
  }
}

/** A thread's nice value (stat field 19) and class (`policy` in /proc/…/sched), or null when it has gone. */
export function schedOfThread(pid: number, tid: number): { nice: number; sched: string } | null {
  const stat = readText(`/proc/${pid}/task/${tid}/stat`);
  const sched = readText(`/proc/${pid}/task/${tid}/sched`);
  if (stat === null) return null;
  const fields = stat.slice(stat.lastIndexOf(')') + 2).trim().split(' ');
  const nice = Number(fields[19 - 3]);
  const m = sched === null ? null : /^policy\s*:\s*(\d+)/m.exec(sched);
  const policy = m ? Number(m[1]) : null;
  return { nice, sched: policy === null ? '?' : (NAMES[policy] ?? String(policy)) };
}
