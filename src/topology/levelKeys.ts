import { CpuSet } from '../cpuset/CpuSet.js';
import type { PuFacts } from './buildTopology.js';
import type { ObjectType } from './Topology.js';

/** A level above the core: what a PU's key is computed for. */
export type Level = Exclude<ObjectType, 'machine' | 'pu'>;
/** CPU → the key of its object at one level (PUs with the same key share the object). */
export type Keyed = Map<number, string>;

/** Levels above the core, in the usual outer-to-inner order (the tie-break when two levels group alike). */
export const LEVELS: readonly Level[] = ['drawer', 'book', 'package', 'die', 'numa', 'l3', 'cluster', 'l2'];
const SOLID: readonly Level[] = ['package', 'die', 'l3', 'l2', 'core'];

/** The key of every level (and of cores) for each PU that has one. */
export function levelKeys(all: readonly PuFacts[], placed: readonly PuFacts[], placedSet: CpuSet, byCpu: Map<number, PuFacts>, warnings: string[]): Map<Level, Keyed> {
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
export function chooseTreeLevels(placed: readonly PuFacts[], keys: Map<Level, Keyed>, warnings: string[]): Level[] {
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

export function isDieOfPackage(pus: readonly PuFacts[], keys: Map<Level, Keyed>): boolean {
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
export function groups(members: readonly PuFacts[], keys: Keyed): PuFacts[][] {
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
export function determines(pus: readonly PuFacts[], inner: Keyed, outer: Keyed): boolean {
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

