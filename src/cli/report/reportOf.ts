import type { CpuSet } from '../../cpuset/CpuSet.js';
import { lastCpu, migrations, threadName } from '../../os/procfs.js';
import type { Binding } from '../../pool/PoolOptions.js';
import type { BindingReport } from './BindingReport.js';
import { machineLayout } from '../machineLayout.js';
import { describeMemoryPlan } from '../../launch/memoryPlan.js';
import { settingsOfThread } from '../settingsOfThread.js';

/**
 * The binding report of a pool, taken while its workers are alive: the pool's own `bindings()`
 * (slot, pid, tid, CPUs, verified from /proc), plus where each worker's thread is now and how often
 * the kernel migrated it.
 */
export function reportOfPool(subject: string, bindings: readonly Binding[], usable: CpuSet): BindingReport {
  return {
    corepinReport: 1,
    subject,
    usable: usable.toList(),
    layout: machineLayout(),
    entries: bindings.map((b) => {
      const tid = b.tid ?? b.pid;
      return {
        slot: b.slot,
        pid: b.pid ?? 0,
        tid: b.tid,
        name: b.pid !== null && tid !== null ? (threadName(b.pid, tid) ?? 'worker') : '(none)',
        cpus: (b.cpus ?? usable).toList(),
        lastCpu: b.pid !== null && tid !== null ? lastCpu(b.pid, tid) : null,
        migrations: b.pid !== null && tid !== null ? migrations(b.pid, tid) : null,
        verified: b.cpus === null ? null : b.verified,
        // Read from /proc; a memory fallback's note comes from the pool's plan.
        ...(b.pid !== null && tid !== null ? settingsOfThread(b.pid, tid) : {}),
        ...(b.memory?.note ? { memoryNote: `${describeMemoryPlan(b.memory)}: ${b.memory.note}` } : {}),
        ...(b.binding !== undefined ? { binding: b.binding } : {}),
      };
    }),
  };
}
