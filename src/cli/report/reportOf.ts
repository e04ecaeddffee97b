import type { CpuSet } from '../../cpuset/CpuSet.js';
import { pinnableCpus, threadOf, threadsOf } from '../../affinity.js';
import type { Binding } from '../../pool/PoolOptions.js';
import { describeMemoryPlan } from '../../launch/memoryPlan.js';
import { memPolicyOfThread } from '../../launch/memoryPolicy.js';
import { schedOfThread } from '../../launch/schedClass.js';
import type { SlotSettings } from '../../launch/SlotSettings.js';
import type { JobResult } from '../run/runJobs.js';
import type { SlotPlan } from '../SlotPlan.js';
import type { BindingEntry, BindingReport } from './BindingReport.js';
import { machineLayout } from './CpuLayout.js';

// The three kinds of binding report: a running process (one entry per thread), a pool (one per
// slot, taken while its workers are alive) and an `exec` run (one per job slot).

/** The binding report of a running process: one entry per thread. @throws {NoSuchProcessError} */
export function reportOfProcess(pid: number): BindingReport {
  const threads = threadsOf(pid);
  return {
    corepinReport: 1,
    subject: `pid ${pid} (${threads.find((t) => t.tid === pid)?.name ?? '?'})`,
    usable: pinnableCpus(pid).cpus.toList(),
    layout: machineLayout(),
    entries: threads.map((t) => ({
      slot: null,
      pid,
      tid: t.tid,
      name: t.name,
      cpus: t.cpus.toList(),
      lastCpu: t.lastCpu,
      migrations: t.migrations,
      verified: null,
      ...settingsOfThread(pid, t.tid),
    })),
  };
}

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
      const thread = b.pid !== null && tid !== null ? threadOf(b.pid, tid) : null;
      return {
        slot: b.slot,
        pid: b.pid ?? 0,
        tid: b.tid,
        name: b.pid !== null && tid !== null ? (thread?.name ?? 'worker') : '(none)',
        cpus: (b.cpus ?? usable).toList(),
        lastCpu: thread?.lastCpu ?? null,
        migrations: thread?.migrations ?? null,
        verified: b.cpus === null ? null : b.verified,
        // Read from /proc; a memory fallback's note comes from the pool's plan.
        ...(b.pid !== null && tid !== null ? settingsOfThread(b.pid, tid) : {}),
        ...(b.memory?.note ? { memoryNote: `${describeMemoryPlan(b.memory)}: ${b.memory.note}` } : {}),
        ...(b.binding !== undefined ? { binding: b.binding } : {}),
      };
    }),
  };
}

/**
 * The binding report of an `exec` run: one entry per slot with its CPUs, the pid of its last job,
 * how many jobs it ran, and whether every job checked was found inside the slot's CPUs.
 */
export function reportOfJobs(template: readonly string[], plan: SlotPlan, results: readonly JobResult[], settings?: SlotSettings): BindingReport {
  const s = settings?.settings;
  const entries: BindingEntry[] = plan.slots.map((cpus, slot) => {
    const mine = results.filter((r) => r.slot === slot);
    const checked = mine.filter((r) => r.verified !== null);
    return {
      slot,
      pid: mine.at(-1)?.pid ?? 0,
      tid: null,
      name: template[0] ?? '?',
      cpus: (cpus ?? plan.usable).toList(),
      lastCpu: null,
      migrations: null,
      verified: cpus === null || checked.length === 0 ? null : checked.every((r) => r.verified === true),
      tasks: mine.length,
      ...memoryFields(settings?.memoryFor(cpus) ?? null),
      ...(s?.nice != null ? { nice: s.nice } : {}),
      ...(s?.sched != null ? { sched: s.sched } : {}),
    };
  });
  return { corepinReport: 1, subject: `exec ${template.join(' ')}`, usable: plan.usable.toList(), layout: machineLayout(), entries };
}

function memoryFields(plan: ReturnType<SlotSettings['memoryFor']>): { memory?: string; memoryNote?: string } {
  if (plan === null) return {};
  return { memory: describeMemoryPlan(plan), ...(plan.note !== null ? { memoryNote: plan.note } : {}) };
}

/** Memory policy, nice and class of a live thread, read from /proc, as binding-report fields. */
function settingsOfThread(pid: number, tid: number): Pick<BindingEntry, 'memory' | 'nice' | 'sched'> {
  const s = schedOfThread(pid, tid);
  const memory = memPolicyOfThread(pid, tid);
  return { ...(memory !== null ? { memory } : {}), ...(s !== null ? { nice: s.nice, sched: s.sched } : {}) };
}
