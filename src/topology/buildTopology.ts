import { CpuSet } from '../cpuset/CpuSet.js';
import { Topology } from './Topology.js';
import type { CpuKind, NumaNode, ObjectType, Pu, TopoObject } from './Topology.js';

/** A cache domain as one PU sees it. */
export interface CacheFact {
  /** `shared_cpu_list`: the PUs sharing this cache. */
  readonly cpus: CpuSet;
  /** Size in bytes, null when unknown. */
  readonly size: number | null;
  /** The kernel's cache `id`, null when absent. */
  readonly id: number | null;
}

/** What a source (sysfs or a synthetic spec) knows about one PU; null means unknown. */
export interface PuFacts {
  readonly cpu: number;
  readonly online: boolean;
  readonly allowed: boolean;
  readonly isolated: boolean;
  /** `physical_package_id` (null when absent or -1). */
  readonly package: number | null;
  /** `die_id` (null when absent or -1). */
  readonly die: number | null;
  /** `core_id`: repeats across packages, so only a fallback when siblings are unknown. */
  readonly coreId: number | null;
  /** `core_cpus_list` / `thread_siblings_list`: the PUs of its core. */
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

/**
 * Assembles a topology from per-PU facts. Levels that are unknown for some PU, that split a core,
 * or that cross the boundaries of an outer level are left out of the tree (with a warning) rather
 * than guessed: the tree is never wrong, only less detailed.
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

  const keys = new Map<Level, Keyed>();
  keys.set('package', keyBy(placed, (p) => (p.package === null ? null : String(p.package))));
  keys.set('die', keyBy(placed, (p) => (p.package === null || p.die === null ? null : `${p.package}:${p.die}`)));
  keys.set('numa', keyBy(all, (p) => (p.numa === null ? null : String(p.numa))));
  keys.set('l3', cacheKeys(all, byCpu, 'l3', warnings));
  keys.set('l2', cacheKeys(all, byCpu, 'l2', warnings));
  keys.set('core', coreKeys(placed, placedSet, byCpu, warnings));

  const coreKey = keys.get('core')!;
  const treeLevels: Level[] = [];
  for (const level of ['package', 'die', 'numa', 'l3', 'l2'] as const) {
    const k = keys.get(level)!;
    if (!placed.every((p) => k.has(p.cpu))) {
      if (placed.some((p) => k.has(p.cpu))) warnings.push(`${level} is unknown for some CPUs: left out of the tree`);
      continue;
    }
    if (!determines(placed, coreKey, k)) {
      warnings.push(`${level} domains split cores: left out of the tree`);
      continue;
    }
    const parent = treeLevels[treeLevels.length - 1];
    if (level === 'die' && parent === 'package' && determines(placed, k, keys.get('package')!) && determines(placed, keys.get('package')!, k)) {
      continue; // one die per package says nothing new
    }
    if (parent === undefined || determines(placed, k, keys.get(parent)!)) {
      treeLevels.push(level);
    } else {
      const grand = treeLevels[treeLevels.length - 2];
      // Sub-NUMA clustering: the L3 spans several NUMA nodes, so the NUMA nodes go below it.
      if (determines(placed, keys.get(parent)!, k) && (grand === undefined || determines(placed, k, keys.get(grand)!))) {
        treeLevels.splice(treeLevels.length - 1, 0, level);
      } else {
        warnings.push(`${level} domains cross ${parent} boundaries: left out of the tree`);
      }
    }
  }
  treeLevels.push('core');

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

  const build = (depth: number, members: PuFacts[]): MutableObject[] => {
    const level = treeLevels[depth]!;
    const out: MutableObject[] = [];
    for (const group of groups(members, keys.get(level)!)) {
      const first = group[0]!;
      const cache = level === 'l3' || level === 'l2' ? first[level] : null;
      const obj = record({
        type: level,
        index: next(level),
        osIndex: osIndexOf(level, first, cache),
        cpus: CpuSet.from(group.map((p) => p.cpu)),
        size: cache?.size ?? null,
        kind: level === 'core' ? kindOf.get(first.cpu) ?? null : null,
        children: [],
      });
      obj.children = level === 'core' ? group.map(puObject) : build(depth + 1, group);
      out.push(obj);
    }
    return out;
  };

  const machine = record({ type: 'machine', index: next('machine'), osIndex: null, cpus: CpuSet.from(all.map((p) => p.cpu)), size: null, kind: null, children: [] });
  machine.children = [...build(0, placed), ...unplaced.map(puObject)];

  // Levels the tree could not hold still exist as flat lists (by first CPU), so `numa:1` or the
  // `l3` policy work even when, say, L3 domains cross NUMA nodes.
  for (const level of ['package', 'die', 'numa', 'l3', 'l2'] as const) {
    if (levels.has(level)) continue;
    const k = keys.get(level)!;
    const members = all.filter((p) => k.has(p.cpu));
    if (members.length === 0) continue;
    if (level === 'die' && !treeLevels.includes('die')) {
      // Dies equal to packages are not objects worth a location type; keep JSON ids only.
      if (determines(placed, k, keys.get('package')!) && determines(placed, keys.get('package')!, k)) continue;
    }
    for (const group of groups(members, k)) {
      const first = group[0]!;
      const cache = level === 'l3' || level === 'l2' ? first[level] : null;
      record({ type: level, index: next(level), osIndex: osIndexOf(level, first, cache), cpus: CpuSet.from(group.map((p) => p.cpu)), size: cache?.size ?? null, kind: null, children: [] });
    }
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
    case 'numa':
      return p.numa;
    case 'l3':
    case 'l2':
      return cache?.id ?? null;
    case 'core':
      return p.coreId;
  }
}

/** Kinds from the kernel's hybrid PMU lists, else from distinct `cpu_capacity` values. */
function cpuKinds(placed: readonly PuFacts[], warnings: string[]): CpuKind[] {
  const named = placed.filter((p) => p.kind !== null);
  if (named.length > 0) {
    const order = ['performance', 'efficiency'];
    const names = [...new Set(named.map((p) => p.kind!))].sort((a, b) => rankName(order, a) - rankName(order, b));
    if (named.length < placed.filter((p) => p.online).length) warnings.push('hybrid kind unknown for some CPUs');
    return names.map((name, rank) => ({ name, rank, cpus: CpuSet.from(named.filter((p) => p.kind === name).map((p) => p.cpu)) }));
  }
  const withCap = placed.filter((p) => p.capacity !== null);
  const caps = [...new Set(withCap.map((p) => p.capacity!))].sort((a, b) => b - a);
  if (caps.length < 2) return [];
  if (withCap.length < placed.length) {
    warnings.push('cpu_capacity missing for some CPUs: core kinds unknown');
    return [];
  }
  return caps.map((cap, rank) => ({
    name: rank === 0 ? 'performance' : rank === caps.length - 1 ? 'efficiency' : `middle-${cap}`,
    rank,
    cpus: CpuSet.from(withCap.filter((p) => p.capacity === cap).map((p) => p.cpu)),
  }));
}

function rankName(order: string[], name: string): number {
  const i = order.indexOf(name);
  return i < 0 ? order.length : i;
}
