import { CpuSet } from '../cpuset/CpuSet.js';
import { cpuKinds } from './cpuKinds.js';
import { LEVELS, chooseTreeLevels, groups, isDieOfPackage, levelKeys } from './levelKeys.js';
import type { Level } from './levelKeys.js';
import { Topology } from './Topology.js';
import type { NumaNode, ObjectType, Pu, TopoObject } from './Topology.js';

/** A cache domain as one PU sees it. */
export interface CacheFact {
  /** `shared_cpu_map` / `shared_cpu_list`: the PUs sharing this cache. */
  readonly cpus: CpuSet;
  /** Size in bytes, null when unknown. */
  readonly size: number | null;
  /** The kernel's cache `id`, null when absent. */
  readonly id: number | null;
}

/** What a source (sysfs or a synthetic spec) knows about one PU; null (or absent) means unknown. */
export interface PuFacts {
  readonly cpu: number;
  readonly online: boolean;
  readonly allowed: boolean;
  readonly isolated: boolean;
  /** `physical_package_id` (null when absent or -1). */
  readonly package: number | null;
  /** `package_cpus` / `core_siblings`: the PUs of its package; decides packages when known. */
  readonly packageCpus?: CpuSet | null;
  /** `die_id` (null when absent or -1). */
  readonly die: number | null;
  /** `die_cpus`: the PUs of its die; decides dies when known. */
  readonly dieCpus?: CpuSet | null;
  /** `cluster_cpus`: the PUs of its cluster (null when absent or just this PU). */
  readonly clusterCpus?: CpuSet | null;
  /** `cluster_id`. */
  readonly clusterId?: number | null;
  /** s390 `book_siblings` / `drawer_siblings` and their ids. */
  readonly bookCpus?: CpuSet | null;
  readonly bookId?: number | null;
  readonly drawerCpus?: CpuSet | null;
  readonly drawerId?: number | null;
  /** `core_id`: repeats across packages, so only a fallback when siblings are unknown. */
  readonly coreId: number | null;
  /** `core_cpus` / `thread_siblings`: the PUs of its core. */
  readonly siblings: CpuSet | null;
  /** NUMA node id. */
  readonly numa: number | null;
  readonly l3: CacheFact | null;
  readonly l2: CacheFact | null;
  /** `cpu_capacity`. */
  readonly capacity: number | null;
  /** Hybrid kind named by the kernel (`cpu_core` → performance, `cpu_atom` → efficiency). */
  readonly kind: string | null;
  /**
   * cpufreq maximum and base frequency in kHz (see `readCpuFrequencies`); read only where neither
   * `kind` nor `capacity` tell kinds apart.
   */
  readonly frequency?: { readonly maxKhz: number; readonly baseKhz: number | null } | null;
}

/**
 * Everything needed to assemble a {@link Topology}.
 *
 * @example
 * ```ts
 * import { buildTopology, CpuSet, type TopologyFacts } from 'corepin';
 * const pu = { cpu: 0, online: true, allowed: true, isolated: false, package: 0, die: null, coreId: 0, siblings: CpuSet.of(0), numa: null, l3: null, l2: null, capacity: null, kind: null };
 * const facts: TopologyFacts = { source: 'hand-made', pus: [pu], numaNodes: [], warnings: [] };
 * buildTopology(facts).objects('core').length; // 1
 * ```
 */
export interface TopologyFacts {
  /** Where the facts come from (e.g. `sysfs:/`, `synthetic:…`). */
  readonly source: string;
  /** One entry per PU (CPU number) the machine has. */
  readonly pus: readonly PuFacts[];
  /** The NUMA nodes, including memory-only ones. */
  readonly numaNodes: readonly NumaNode[];
  /** What the reader could not read or trust. */
  readonly warnings: readonly string[];
}


interface MutableObject {
  type: ObjectType;
  index: number;
  osIndex: number | null;
  cpus: CpuSet;
  size: number | null;
  kind: string | null;
  children: MutableObject[];
}


/**
 * Assembles a topology from per-PU facts. Levels that are unknown for some PU, that split a core,
 * or that cross the boundaries of an outer level are left out of the tree (with a warning) rather
 * than guessed: the tree is never wrong, only less detailed. Levels nest by containment: they are
 * taken from the fewest objects to the most, so an L3 shared by two NUMA nodes sits above them.
 *
 * @example
 * ```ts
 * import { buildTopology, CpuSet } from 'corepin';
 * const pus = [0, 1].map((cpu) => ({ cpu, online: true, allowed: true, isolated: false, package: 0, die: null, coreId: cpu, siblings: CpuSet.of(cpu), numa: null, l3: null, l2: null, capacity: null, kind: null }));
 * buildTopology({ source: 'hand-made', pus, numaNodes: [], warnings: [] }).usable.toList(); // '0-1'
 * ```
 */
export function buildTopology(facts: TopologyFacts): Topology {
  const warnings = [...facts.warnings];
  const all = [...facts.pus].sort((a, b) => a.cpu - b.cpu);
  const byCpu = new Map(all.map((p) => [p.cpu, p]));
  // A PU is placed in the tree when something says where it is; offline CPUs whose topology
  // files are gone hang directly off the machine.
  const placed = all.filter((p) => p.online || p.package !== null || p.coreId !== null || p.siblings !== null);
  const unplaced = all.filter((p) => !placed.includes(p));
  const placedSet = CpuSet.from(placed.map((p) => p.cpu));

  const keys = levelKeys(all, placed, placedSet, byCpu, warnings);
  const coreKey = keys.get('core')!;
  const treeLevels = chooseTreeLevels(placed, keys, warnings);

  const kinds = cpuKinds(placed, warnings);
  const kindOf = new Map<number, string>();
  for (const k of kinds) for (const c of k.cpus) kindOf.set(c, k.name);

  const { levels, record, next, puObject, levelObject } = objectMaker(kindOf);

  const build = (depth: number, members: PuFacts[]): MutableObject[] => {
    const level = treeLevels[depth]!;
    return groups(members, keys.get(level)!).map((group) => {
      const obj = levelObject(level, group);
      obj.children = level === 'core' ? group.map(puObject) : build(depth + 1, group);
      return obj;
    });
  };

  const machine = record({ type: 'machine', index: next('machine'), osIndex: null, cpus: CpuSet.from(all.map((p) => p.cpu)), size: null, kind: null, children: [] });
  machine.children = [...build(0, placed), ...unplaced.map(puObject)];

  // Levels the tree could not hold still exist as flat lists (by first CPU), so `numa:1` or the
  // `l3` policy work even when, say, L3 domains cross NUMA nodes.
  for (const level of LEVELS) {
    if (levels.has(level) || !keys.has(level)) continue;
    if (level === 'die' && isDieOfPackage(placed, keys)) continue; // ids stay on PUs and in JSON
    const k = keys.get(level)!;
    const members = all.filter((p) => k.has(p.cpu));
    for (const group of groups(members, k)) levelObject(level, group);
  }

  const pus = puRecords(all, levels, keys.get('die')!, coreKey, kindOf);

  return new Topology({
    source: facts.source,
    machine: machine as TopoObject,
    pus,
    levels: levels as Map<ObjectType, readonly TopoObject[]>,
    numaNodes: facts.numaNodes,
    kinds,
    warnings,
  });
}

/** Makes the tree's objects: logical indices counted per type, every object recorded by type. */
function objectMaker(kindOf: ReadonlyMap<number, string>) {
  const counters = new Map<ObjectType, number>();
  const next = (t: ObjectType): number => {
    const n = counters.get(t) ?? 0;
    counters.set(t, n + 1);
    return n;
  };
  const levels = new Map<ObjectType, MutableObject[]>();
  const record = (o: MutableObject): MutableObject => {
    const list = levels.get(o.type) ?? [];
    list.push(o);
    levels.set(o.type, list);
    return o;
  };
  const puObject = (p: PuFacts): MutableObject =>
    record({ type: 'pu', index: next('pu'), osIndex: p.cpu, cpus: CpuSet.of(p.cpu), size: null, kind: kindOf.get(p.cpu) ?? null, children: [] });
  const levelObject = (level: Level, group: PuFacts[]): MutableObject => {
    const first = group[0]!;
    const cache = level === 'l3' || level === 'l2' ? first[level] : null;
    return record({
      type: level,
      index: next(level),
      // Ids are read from the first CPU that read each set, which may not be the lowest (offline CPU 0).
      osIndex: group.map((p) => osIndexOf(level, p, level === 'l3' || level === 'l2' ? p[level] : null)).find((id) => id !== null) ?? null,
      cpus: CpuSet.from(group.map((p) => p.cpu)),
      size: cache?.size ?? null,
      kind: level === 'core' ? kindOf.get(first.cpu) ?? null : null,
      children: [],
    });
  };
  return { levels, record, next, puObject, levelObject };
}

/** Each PU with the logical index of its object at every level. */
function puRecords(all: readonly PuFacts[], levels: Map<ObjectType, MutableObject[]>, dieKeys: Map<number, string>, coreKey: Map<number, string>, kindOf: Map<number, string>): Pu[] {
  // cpu → object index per level, built once (a scan per PU is quadratic on 8k-CPU machines).
  const indexMaps = new Map<ObjectType, Map<number, number>>();
  const indexOf = (type: ObjectType, cpu: number): number | null => {
    let map = indexMaps.get(type);
    if (!map) {
      map = new Map();
      for (const o of levels.get(type) ?? []) for (const c of o.cpus) if (!map.has(c)) map.set(c, o.index);
      indexMaps.set(type, map);
    }
    return map.get(cpu) ?? null;
  };
  const puIndex = new Map((levels.get('pu') ?? []).map((o) => [o.osIndex!, o.index]));
  // Dies not worth tree objects still get a machine-wide index, in order of first CPU.
  const dieIds = [...new Set(all.filter((p) => dieKeys.has(p.cpu)).map((p) => dieKeys.get(p.cpu)!))];
  const dieIndex = (cpu: number): number | null => {
    if (!dieKeys.has(cpu)) return null;
    return indexOf('die', cpu) ?? dieIds.indexOf(dieKeys.get(cpu)!);
  };
  return all.map((p) => ({
    cpu: p.cpu,
    index: puIndex.get(p.cpu)!,
    package: indexOf('package', p.cpu),
    die: dieIndex(p.cpu),
    core: coreKey.has(p.cpu) ? indexOf('core', p.cpu) : null,
    numa: p.numa,
    l3: indexOf('l3', p.cpu),
    l2: indexOf('l2', p.cpu),
    cluster: indexOf('cluster', p.cpu),
    kind: kindOf.get(p.cpu) ?? null,
    capacity: p.capacity,
    online: p.online,
    allowed: p.allowed,
    isolated: p.isolated,
    usable: p.online && p.allowed,
  }));

}

function osIndexOf(level: Level, p: PuFacts, cache: CacheFact | null): number | null {
  switch (level) {
    case 'package':
      return p.package;
    case 'die':
      return p.die;
    case 'cluster':
      return p.clusterId ?? null;
    case 'book':
      return p.bookId ?? null;
    case 'drawer':
      return p.drawerId ?? null;
    case 'numa':
      return p.numa;
    case 'l3':
    case 'l2':
      return cache?.id ?? null;
    case 'core':
      return p.coreId;
  }
}

