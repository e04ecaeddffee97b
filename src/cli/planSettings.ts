import { Option, type Command } from 'commander';
import { CpuSet } from '../cpuset/CpuSet.js';
import type { Plan } from '../placement/plan.js';
import { BINDING_MODES, checkBindingMode, type BindingMode, type LaunchSettings } from '../launch/LaunchSettings.js';
import { LaunchSettingsError } from '../launch/errors.js';
import { describeMemoryPlan, memoryPlan, type MemoryPlan } from '../launch/memoryPlan.js';
import { allowedMemNodes } from '../launch/memoryPolicy.js';
import type { Topology } from '../topology/Topology.js';
import { addLaunchFlags, launchSettingsOf, type LaunchFlags } from './args.js';
import { renderTable } from './render/renderTable.js';
import { UsageError } from './errors.js';

/** `plan`'s --mem, --nice, --sched, --binding and --mems flags. */
export interface PlanSettingFlags extends LaunchFlags {
  binding?: string;
  mems?: string;
}

/** What each slot of a plan would get besides its CPUs. */
export interface SlotSettingsPlan {
  readonly slot: number;
  /** CPUs the worker would be pinned to (the union of the slots with binding `pool`). */
  readonly cpus: CpuSet;
  readonly memory: MemoryPlan | null;
}

/** Adds the flags to `plan` (thread env has no effect on a plan: --no-thread-env is accepted and ignored). */
export function addPlanSettingFlags(cmd: Command): Command {
  return addLaunchFlags(cmd)
    .addOption(new Option('--binding <mode>', `slot: each worker on its slot's CPUs; pool: on the union of the slots (${BINDING_MODES.join(', ')})`))
    .option('--mems <list>', "NUMA nodes the cgroup allows (cpuset.mems) for --mem (default: this process's, or every node of --fsroot/--synthetic)");
}

/** The settings asked for, or null when none was (plan then shows placement only). */
export function planSettingsOf(flags: PlanSettingFlags): { settings: LaunchSettings; binding: BindingMode } | null {
  if (flags.mem === undefined && flags.nice === undefined && flags.sched === undefined && flags.binding === undefined) return null;
  try {
    return { settings: launchSettingsOf(flags), binding: checkBindingMode(flags.binding, '--binding') };
  } catch (err) {
    if (err instanceof LaunchSettingsError) throw new UsageError(err.message);
    throw err;
  }
}

/** Per slot: pinned CPUs and memory plan, with cpuset.mems from --mems, this process, or every node of a made-up machine. */
export function planSlotSettings(plan: Plan, topology: Topology, s: { settings: LaunchSettings; binding: BindingMode }, memsFlag?: string): SlotSettingsPlan[] {
  let mems: number[];
  if (memsFlag !== undefined) {
    try {
      mems = [...CpuSet.parse(memsFlag, 'list')];
    } catch {
      throw new UsageError(`--mems must be a node list like 0 or 0-1; got ${JSON.stringify(memsFlag)}`);
    }
  } else mems = topology.source === 'sysfs:/' ? allowedMemNodes('self') : topology.numaNodes.map((n) => n.id);
  const union = plan.slots.reduce((u, x) => u.union(x.cpus), CpuSet.EMPTY);
  return plan.slots.map((x) => {
    const cpus = s.binding === 'pool' ? union : x.cpus;
    return { slot: x.slot, cpus, memory: s.settings.memory === null ? null : memoryPlan(s.settings.memory, cpus, topology, mems) };
  });
}

/** The table of settings under the plan table, with memory notes below it. */
export function renderSlotSettings(rows: readonly SlotSettingsPlan[], s: { settings: LaunchSettings; binding: BindingMode }): string {
  const table = [
    ['SLOT', 'PINNED', 'MEMORY', 'NICE', 'SCHED', 'BINDING'],
    ...rows.map((r) => [String(r.slot), r.cpus.toList(), r.memory === null ? '-' : `${describeMemoryPlan(r.memory)}${r.memory.note ? '*' : ''}`, String(s.settings.nice ?? '-'), s.settings.sched ?? '-', s.binding]),
  ];
  const notes = rows.filter((r) => r.memory?.note).map((r) => `* slot ${r.slot}: ${r.memory!.note}`);
  return `\n${renderTable(table, [0])}\n${notes.map((n) => `${n}\n`).join('')}`;
}
