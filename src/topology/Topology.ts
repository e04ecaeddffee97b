import { CpuSet } from '../cpuset/CpuSet.js';

/**
 * Kinds of objects in a topology, from the whole machine down to one hardware thread (PU).
 *
 * @example
 * ```ts
 * import { readTopology, type ObjectType } from 'corepin';
 * const level: ObjectType = 'core';
 * readTopology().objects(level).length; // how many cores
 * ```
 */
export type ObjectType = 'machine' | 'drawer' | 'book' | 'package' | 'die' | 'numa' | 'l3' | 'cluster' | 'l2' | 'core' | 'pu';

/**
 * All object types, outermost first (the usual nesting; the tree orders levels by what contains what).
 *
 * @example
 * ```ts
 * import { readTopology, OBJECT_TYPES } from 'corepin';
 * const topo = readTopology();
 * for (const type of OBJECT_TYPES) if (topo.has(type)) console.log(type, topo.objects(type).length);
 * ```
 */
export const OBJECT_TYPES: readonly ObjectType[] = ['machine', 'drawer', 'book', 'package', 'die', 'numa', 'l3', 'cluster', 'l2', 'core', 'pu'];

/**
 * One object of the tree Machine → (Drawer → Book) → Package → (Die) → NUMA node → L3 → (Cluster) →
 * L2 → Core → PU. Levels the machine does not describe (no cache info, no NUMA, …) are simply absent;
 * a level that contains another sits above it (an L3 spanning two NUMA nodes goes above them).
 * Drawers and books are s390's; clusters are groups of cores the kernel reports in `cluster_cpus`
 * (ARM, Intel E-core modules), shown only where they differ from every core, L2, L3, die and package.
 *
 * @example
 * ```ts
 * import { readTopology, type TopoObject } from 'corepin';
 * const l3: readonly TopoObject[] = readTopology().objects('l3');
 * for (const o of l3) console.log(o.index, o.cpus.toList(), o.size);
 * ```
 */
export interface TopoObject {
  /** What the object is. */
  readonly type: ObjectType;
  /** Logical index: position among all objects of this type, in tree order (0, 1, 2 …). */
  readonly index: number;
  /**
   * The kernel's number when it has one: package id, die id, NUMA node id, cache id, core_id,
   * CPU number. Null when unknown.
   */
  readonly osIndex: number | null;
  /** Every PU below the object, whatever its state. */
  readonly cpus: CpuSet;
  /** Cache size in bytes (l2/l3), when known. */
  readonly size: number | null;
  /** Hybrid core kind of a core or PU (`performance`, `efficiency` …), null when not hybrid. */
  readonly kind: string | null;
  /** Children in tree order (ascending first CPU). */
  readonly children: readonly TopoObject[];
}

/**
 * Everything corepin knows about one PU (hardware thread, "CPU" in Linux's words).
 *
 * @example
 * ```ts
 * import { readTopology, type Pu } from 'corepin';
 * const pu: Pu | undefined = readTopology().pu(0);
 * console.log(pu?.core, pu?.package, pu?.online, pu?.usable);
 * ```
 */
export interface Pu {
  /** The OS CPU number. */
  readonly cpu: number;
  /** Logical index of the PU in tree order. */
  readonly index: number;
  /** Logical index of its package, null when unknown. */
  readonly package: number | null;
  /** Logical (machine-wide) index of its die, null when unknown. */
  readonly die: number | null;
  /** Logical index of its cluster, null when the machine shows none. */
  readonly cluster: number | null;
  /** Logical (machine-wide) index of its core, shared by SMT siblings; null when unknown. */
  readonly core: number | null;
  /** NUMA node id (the kernel's), null when unknown. */
  readonly numa: number | null;
  /** Logical index of its L3 domain, null when unknown. */
  readonly l3: number | null;
  /** Logical index of its L2 domain, null when unknown. */
  readonly l2: number | null;
  /** Hybrid kind, null when the machine is not hybrid. */
  readonly kind: string | null;
  /** `cpu_capacity` as the kernel reports it (ARM, hybrid x86), null when absent. */
  readonly capacity: number | null;
  /** The CPU is online. */
  readonly online: boolean;
  /** This process may run on it: its affinity ∩ its cgroup cpuset. */
  readonly allowed: boolean;
  /** Listed in `isolated` (isolcpus). */
  readonly isolated: boolean;
  /** Online and allowed: placement may use it. */
  readonly usable: boolean;
}

/**
 * A NUMA node, including nodes that have memory but no CPU.
 *
 * @example
 * ```ts
 * import { readTopology, type NumaNode } from 'corepin';
 * const nodes: readonly NumaNode[] = readTopology().numaNodes;
 * for (const n of nodes) console.log(n.id, n.cpus.toList(), n.distances.get(0));
 * ```
 */
export interface NumaNode {
  /** Node id. */
  readonly id: number;
  /** Its CPUs, as the kernel lists them (`cpumap`/`cpulist`); empty for a memory-only node. */
  readonly cpus: CpuSet;
  /**
   * The CPUs this memory is local to: `cpus` when it has some; for a memory-only node (memory tier,
   * CXL, GPU memory) the CPUs of its `access1`/`access0` initiators, else of its nearest nodes by
   * distance, else of the GPU it belongs to; empty when nothing says.
   */
  readonly local: CpuSet;
  /** This process may allocate from it (the cgroup cpuset's `mems`; true when no cpuset says). */
  readonly allowed: boolean;
  /** `MemTotal` of the node in bytes, null when unknown. */
  readonly memory: number | null;
  /** `gpu` for NVIDIA GPU memory exposed as a node, null otherwise. */
  readonly kind: string | null;
  /** Distances to every node id, as in the node directory's `distance` file; empty when unknown. */
  readonly distances: ReadonlyMap<number, number>;
}

/**
 * A class of cores on a hybrid machine, best first (rank 0).
 *
 * @example
 * ```ts
 * import { readTopology, type CpuKind } from 'corepin';
 * const [best]: readonly CpuKind[] = readTopology().kinds; // hybrid machines: performance cores first
 * console.log(best?.name, best?.cpus.toList());
 * ```
 */
export interface CpuKind {
  /** `performance`, `efficiency`, or `middle-<n>` for an intermediate kind (`<n>` its capacity, or its frequency as `<MHz>MHz`). */
  readonly name: string;
  /** 0 for the fastest kind. */
  readonly rank: number;
  /**
   * What told the kinds apart: `pmu` (the kernel's `cpu_core` / `cpu_atom` lists), `capacity`
   * (`cpu_capacity`) or `frequency` (cpufreq base and maximum frequencies). The first that exists wins.
   */
  readonly source: 'pmu' | 'capacity' | 'frequency';
  /** PUs of this kind. */
  readonly cpus: CpuSet;
}

/** Construction data for {@link Topology}; made by the sysfs reader and the synthetic builder. */
export interface TopologyParts {
  readonly source: string;
  readonly machine: TopoObject;
  readonly pus: readonly Pu[];
  readonly levels: ReadonlyMap<ObjectType, readonly TopoObject[]>;
  readonly numaNodes: readonly NumaNode[];
  readonly kinds: readonly CpuKind[];
  readonly warnings: readonly string[];
}

/**
 * A machine as corepin sees it: the object tree, every PU with its state, and the usable view
 * (online ∩ allowed). Immutable. Get one with `readTopology()` or `syntheticTopology()`.
 *
 * @example
 * ```ts
 * import { readTopology } from 'corepin';
 * const topo = readTopology();
 * console.log(topo.objects('core').length, topo.usable.toList(), topo.pu(0)?.core);
 * ```
 */
export class Topology {
  /** Where it came from: `sysfs:/`, `sysfs:/some/root` or `synthetic:<spec>`. */
  readonly source: string;
  /** The root of the tree. */
  readonly machine: TopoObject;
  /** Every PU, by ascending CPU number. */
  readonly pus: readonly Pu[];
  /** NUMA nodes by id (empty when the machine shows none). */
  readonly numaNodes: readonly NumaNode[];
  /** Hybrid kinds, best first (empty when all cores are alike). */
  readonly kinds: readonly CpuKind[];
  /** What was odd or missing and how it was degraded. */
  readonly warnings: readonly string[];
  /** All PUs. */
  readonly cpus: CpuSet;
  /** Online PUs. */
  readonly online: CpuSet;
  /** PUs this process may use (affinity ∩ cgroup cpuset). */
  readonly allowed: CpuSet;
  /** Isolated PUs. */
  readonly isolated: CpuSet;
  /** Online and allowed PUs: what placement uses. */
  readonly usable: CpuSet;
  readonly #levels: ReadonlyMap<ObjectType, readonly TopoObject[]>;
  readonly #byCpu: ReadonlyMap<number, Pu>;

  /** Prefer `readTopology()` / `syntheticTopology()`; this assembles already-built parts. */
  constructor(parts: TopologyParts) {
    this.source = parts.source;
    this.machine = parts.machine;
    this.pus = parts.pus;
    this.numaNodes = parts.numaNodes;
    this.kinds = parts.kinds;
    this.warnings = parts.warnings;
    this.#levels = parts.levels;
    this.#byCpu = new Map(parts.pus.map((p) => [p.cpu, p]));
    this.cpus = CpuSet.from(parts.pus.map((p) => p.cpu));
    this.online = CpuSet.from(parts.pus.filter((p) => p.online).map((p) => p.cpu));
    this.allowed = CpuSet.from(parts.pus.filter((p) => p.allowed).map((p) => p.cpu));
    this.isolated = CpuSet.from(parts.pus.filter((p) => p.isolated).map((p) => p.cpu));
    this.usable = CpuSet.from(parts.pus.filter((p) => p.usable).map((p) => p.cpu));
  }

  /** Objects of one type in logical order; empty when the machine does not describe that level. */
  objects(type: ObjectType): readonly TopoObject[] {
    return this.#levels.get(type) ?? [];
  }

  /** Whether the machine describes this level (e.g. false for `l3` on a VM without cache info). */
  has(type: ObjectType): boolean {
    return this.objects(type).length > 0;
  }

  /** The PU with this OS number. */
  pu(cpu: number): Pu | undefined {
    return this.#byCpu.get(cpu);
  }

  /** PUs in logical (tree) order: SMT siblings next to each other, cores of one L3 together. */
  pusInTreeOrder(): Pu[] {
    return [...this.pus].sort((a, b) => a.index - b.index);
  }
}
