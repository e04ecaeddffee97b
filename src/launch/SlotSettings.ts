import type { CpuSet } from '../cpuset/CpuSet.js';
import type { Topology } from '../topology/Topology.js';
import type { LaunchSettings } from './LaunchSettings.js';
import { memoryPlan, type MemoryPlan } from './memoryPlan.js';
import { allowedMemNodes } from './memoryPolicy.js';

/**
 * The memory plan of each slot of a run, from its settings: the topology and cpuset.mems are read
 * once, on first use (a run without a memory setting never reads them).
 */
export class SlotSettings {
  #topology: Topology | undefined;
  #mems: number[] | undefined;
  constructor(
    readonly settings: LaunchSettings,
    private readonly topology: () => Topology,
    private readonly mems: () => number[] = () => allowedMemNodes('self'),
  ) {}

  /** The memory plan for a slot on `cpus` (null: no memory setting; unpinned slots use every usable CPU). */
  memoryFor(cpus: CpuSet | null): MemoryPlan | null {
    if (this.settings.memory === null) return null;
    this.#topology ??= this.topology();
    this.#mems ??= this.mems();
    return memoryPlan(this.settings.memory, cpus ?? this.#topology.usable, this.#topology, this.#mems);
  }
}
