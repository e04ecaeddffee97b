import { CpuSet } from '../cpuset/CpuSet.js';
import { cpuKinds } from './cpuKinds.js';
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

type Level = Exclude<ObjectType, 'machine' | 'pu'>;
type Keyed = Map<number, string>;

interface MutableObject {
  type: ObjectType;
  index: number;
  osIndex: number | null;
  cpus: CpuSet;
  size: number | null;
  kind: string | null;
  children: MutableObject[];
}

/** Levels above the core, in the usual outer-to-inner order (the tie-break when two levels group alike). */
const LEVELS: readonly Level[] = ['drawer', 'book', 'package', 'die', 'numa', 'l3', 'cluster', 'l2'];
/** Groups (not hardware objects of their own) that say nothing when they equal one of these. */
const GROUPS: readonly Level[] = ['drawer', 'book', 'cluster'];
const SOLID: readonly Level[] = ['package', 'die', 'l3', 'l2', 'core'];

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
  const dieKeys = keys.get('die')!;
  // Dies not worth tree objects still get a machine-wide index, in order of first CPU.
  const dieIds = [...new Set(all.filter((p) => dieKeys.has(p.cpu)).map((p) => dieKeys.get(p.cpu)!))];
  const dieIndex = (cpu: number): number | null => {
    if (!dieKeys.has(cpu)) return null;
    return indexOf('die', cpu) ?? dieIds.indexOf(dieKeys.get(cpu)!);
  };
  const pus: Pu[] = all.map((p) => ({
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

/** The key of every level (and of cores) for each PU that has one. */
function levelKeys(all: readonly PuFacts[], placed: readonly PuFacts[], placedSet: CpuSet, byCpu: Map<number, PuFacts>, warnings: string[]): Map<Level, Keyed> {
  const keys = new Map<Level, Keyed>();
  const sets = (name: string, get: (p: PuFacts) => CpuSet | null | undefined, minSize = 1): Keyed | null =>
    setKeys(placed, byCpu, placedSet, (p) => get(p) ?? null, name, minSize, warnings);
  // Packages: the package_cpus set when the kernel gives one (physical_package_id is -1 on some
  // POWER and ARM machines), else the id.
  const pkgSets = sets('package', (p) => p.packageCpus);
  const pkg = keyBy(placed, (p) => pkgSets?.get(p.cpu) ?? (p.package === null ? null : `id:${p.package}`));
  keys.set('package', pkg);
  // Dies of one PU are the kernel's default on arches without dies: ignored, as hwloc does.
  const dieSets = sets('die', (p) => p.dieCpus, 2);
  const anyDieSet = placed.some((p) => p.dieCpus);
  keys.set('die', keyBy(placed, (p) => dieSets?.get(p.cpu) ?? (anyDieSet || p.die === null || !pkg.has(p.cpu) ? null : `${pkg.get(p.cpu)}:${p.die}`)));
  keys.set('numa', keyBy(all, (p) => (p.numa === null ? null : String(p.numa))));
  keys.set('l3', cacheKeys(all, byCpu, 'l3', warnings));
  keys.set('l2', cacheKeys(all, byCpu, 'l2', warnings));
  keys.set('core', coreKeys(placed, placedSet, byCpu, warnings));
  const solid = new Set(SOLID.flatMap((l) => partition(placed, keys.get(l)!)));
  for (const [level, get] of [['cluster', (p: PuFacts) => p.clusterCpus], ['book', (p: PuFacts) => p.bookCpus], ['drawer', (p: PuFacts) => p.drawerCpus]] as const) {
    const k = sets(level, get, 2);
    // A group with the same PUs as a core, cache, die or package says nothing new (hwloc merges it).
    if (k !== null && k.size > 0 && !partition(placed, k).every((g) => solid.has(g))) keys.set(level, k);
  }
  return keys;
}

/** Keys from a set-valued fact (intersected with the placed PUs); null when the sets contradict each other. */
function setKeys(placed: readonly PuFacts[], byCpu: Map<number, PuFacts>, placedSet: CpuSet, get: (p: PuFacts) => CpuSet | null, name: string, minSize: number, warnings: string[]): Keyed | null {
  const cut = new Map<number, CpuSet>();
  for (const p of placed) {
    const s = get(p)?.intersect(placedSet);
    if (s !== undefined && s.size >= minSize) cut.set(p.cpu, s);
  }
  if (cut.size === 0) return new Map();
  if (!consistentSets(placed, byCpu, (p) => cut.get(p.cpu) ?? null)) {
    warnings.push(`${name} CPU sets contradict each other: ${name} found from ids instead`);
    return null;
  }
  return keyBy(placed, (p) => cut.get(p.cpu)?.toList() ?? null);
}

/** The groups of a keyed level as CPU list strings. */
function partition(pus: readonly PuFacts[], k: Keyed): string[] {
  return groups(pus.filter((p) => k.has(p.cpu)), k).map((g) => CpuSet.from(g.map((p) => p.cpu)).toList());
}

/** Which levels nest into the tree, outermost first; always ends with `core`. */
function chooseTreeLevels(placed: readonly PuFacts[], keys: Map<Level, Keyed>, warnings: string[]): Level[] {
  const coreKey = keys.get('core')!;
  const count = new Map<Level, number>();
  const candidates = LEVELS.filter((level) => {
    const k = keys.get(level);
    if (k === undefined || k.size === 0) return false;
    if (!placed.every((p) => k.has(p.cpu))) {
      if (placed.some((p) => k.has(p.cpu))) warnings.push(`${level} is unknown for some CPUs: left out of the tree`);
      return false;
    }
    if (!determines(placed, coreKey, k)) {
      warnings.push(`${level} domains split cores: left out of the tree`);
      return false;
    }
    count.set(level, new Set(placed.map((p) => k.get(p.cpu))).size);
    return true;
  });
  candidates.sort((a, b) => count.get(a)! - count.get(b)! || LEVELS.indexOf(a) - LEVELS.indexOf(b));
  const tree: Level[] = [];
  for (const level of candidates) {
    if (level === 'die' && isDieOfPackage(placed, keys)) continue; // one die per package says nothing new
    const parent = tree[tree.length - 1];
    if (parent === undefined || determines(placed, keys.get(level)!, keys.get(parent)!)) tree.push(level);
    else warnings.push(`${level} domains cross ${parent} boundaries: left out of the tree`);
  }
  tree.push('core');
  return tree;
}

function isDieOfPackage(pus: readonly PuFacts[], keys: Map<Level, Keyed>): boolean {
  const die = keys.get('die')!;
  const pkg = keys.get('package')!;
  return determines(pus, die, pkg) && determines(pus, pkg, die);
}

function keyBy(pus: readonly PuFacts[], key: (p: PuFacts) => string | null): Keyed {
  const out: Keyed = new Map();
  for (const p of pus) {
    const k = key(p);
    if (k !== null) out.set(p.cpu, k);
  }
  return out;
}

/** Groups by key, each group in ascending CPU order, groups by their first CPU. */
function groups(members: readonly PuFacts[], keys: Keyed): PuFacts[][] {
  const map = new Map<string, PuFacts[]>();
  for (const p of members) {
    const k = keys.get(p.cpu)!;
    const list = map.get(k) ?? [];
    list.push(p);
    map.set(k, list);
  }
  return [...map.values()].map((g) => g.sort((a, b) => a.cpu - b.cpu)).sort((a, b) => a[0]!.cpu - b[0]!.cpu);
}

/** True when the `inner` key of every PU decides its `outer` key (inner groups nest in outer). */
function determines(pus: readonly PuFacts[], inner: Keyed, outer: Keyed): boolean {
  const seen = new Map<string, string | undefined>();
  for (const p of pus) {
    const i = inner.get(p.cpu);
    if (i === undefined) continue;
    const o = outer.get(p.cpu);
    if (seen.has(i) && seen.get(i) !== o) return false;
    seen.set(i, o);
  }
  return true;
}

/**
 * A set-valued fact (siblings, shared_cpu_list) is trusted only if every PU it names that also has
 * the fact names the same set; otherwise the lists contradict each other and the level is unknown.
 */
function consistentSets(pus: readonly PuFacts[], byCpu: Map<number, PuFacts>, get: (p: PuFacts) => CpuSet | null): boolean {
  const listOf = new Map<number, string>();
  for (const p of pus) {
    const s = get(p);
    if (s !== null) listOf.set(p.cpu, s.toList());
  }
  // Each distinct set is checked once, so 8k CPUs sharing big L3s stay linear.
  const checked = new Set<string>();
  for (const p of pus) {
    const s = get(p);
    if (s === null) continue;
    if (!s.has(p.cpu)) return false;
    const list = listOf.get(p.cpu)!;
    if (checked.has(list)) continue;
    checked.add(list);
    for (const q of s) {
      if (!byCpu.has(q)) continue;
      const other = listOf.get(q);
      if (other !== undefined && other !== list) return false;
    }
  }
  return true;
}

function cacheKeys(pus: readonly PuFacts[], byCpu: Map<number, PuFacts>, level: 'l3' | 'l2', warnings: string[]): Keyed {
  if (!consistentSets(pus, byCpu, (p) => p[level]?.cpus ?? null)) {
    warnings.push(`${level} shared_cpu_list files contradict each other: ${level} treated as unknown`);
    return new Map();
  }
  return keyBy(pus, (p) => p[level]?.cpus.toList() ?? null);
}

function coreKeys(placed: readonly PuFacts[], placedSet: CpuSet, byCpu: Map<number, PuFacts>, warnings: string[]): Keyed {
  const siblingsOk = consistentSets(placed, byCpu, (p) => p.siblings);
  if (!siblingsOk) warnings.push('core sibling lists contradict each other: cores found from core_id instead');
  const guessed: number[] = [];
  const keys = keyBy(placed, (p) => {
    if (siblingsOk && p.siblings !== null) return `s:${p.siblings.intersect(placedSet).toList()}`;
    // core_id repeats across packages (and dies), so it only names a core together with them.
    if (p.coreId !== null && p.package !== null) return `id:${p.package}:${p.die ?? ''}:${p.coreId}`;
    guessed.push(p.cpu);
    return `pu:${p.cpu}`;
  });
  if (guessed.length > 0) warnings.push(`no core information for CPU ${CpuSet.from(guessed).toList()}: each counted as its own core`);
  return keys;
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

