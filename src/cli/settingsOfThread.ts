import { memPolicyOfThread } from '../launch/memoryPolicy.js';
import { schedOfThread } from '../launch/schedClass.js';
import type { BindingEntry } from './report/BindingReport.js';

/** Memory policy, nice and class of a live thread, read from /proc, as binding-report fields. */
export function settingsOfThread(pid: number, tid: number): Pick<BindingEntry, 'memory' | 'nice' | 'sched'> {
  const s = schedOfThread(pid, tid);
  const memory = memPolicyOfThread(pid, tid);
  return { ...(memory !== null ? { memory } : {}), ...(s !== null ? { nice: s.nice, sched: s.sched } : {}) };
}
