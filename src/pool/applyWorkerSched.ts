import type { SchedClass } from '../launch/LaunchSettings.js';
import { applySchedToProcess, applySchedToThread } from '../launch/schedClass.js';

/**
 * A worker's nice value and scheduling class, from the pool's `nice:sched` argument (`-` or absent:
 * nothing to do): a process worker gives them to every thread it has, a thread worker to its own
 * thread. Returns the error to report as the worker's start-up failure, or null.
 */
export function applyWorkerSched(kind: 'process' | 'thread', arg: string | undefined): unknown {
  if (arg === undefined || arg === '-' || arg === '') return null;
  const [niceText, schedText] = arg.split(':');
  const req = { nice: niceText ? Number(niceText) : null, sched: schedText ? (schedText as SchedClass) : null };
  try {
    if (kind === 'process') applySchedToProcess(req);
    else applySchedToThread(0, req);
    return null;
  } catch (err) {
    return err;
  }
}
