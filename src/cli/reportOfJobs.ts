import type { BindingEntry, BindingReport } from './report/BindingReport.js';
import { machineLayout } from './machineLayout.js';
import type { JobResult } from './run/runJobs.js';
import type { SlotPlan } from './SlotPlan.js';
import type { SlotSettings } from '../launch/SlotSettings.js';
import { describeMemoryPlan } from '../launch/memoryPlan.js';

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
