import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { CpuSet } from '../cpuset/CpuSet.js';
import { readCpuPair, readText } from '../os/procfs.js';
import type { CacheFact, PuFacts } from './buildTopology.js';

/** What one `cpuN` directory says about where the CPU sits. */
export type CpuDirFacts = Pick<
  PuFacts,
  'package' | 'packageCpus' | 'die' | 'dieCpus' | 'clusterCpus' | 'clusterId' | 'bookCpus' | 'bookId' | 'drawerCpus' | 'drawerId' | 'coreId' | 'siblings' | 'l3' | 'l2' | 'capacity'
>;

/**
 * Reads `cpuN/topology/*`, `cpuN/cache/index*` and `cpuN/cpu_capacity` for every CPU that has a
 * directory. Each CPU set is read from the mask file first and its `_list` twin second (see
 * `readCpuPair`), with the kernel's older names after the current ones: `core_cpus` then
 * `thread_siblings`, `package_cpus` then `core_siblings` (Documentation/ABI/stable/sysfs-devices-system-cpu).
 *
 * Like hwloc, a set is read once, from the first CPU in it: a CPU already named by an earlier CPU's
 * core, package, die, cluster, book, drawer or cache set takes that set without opening its own
 * file, and reads the ids (`core_id`, `physical_package_id` …) only where they name an object or
 * stand in for a missing set (`allCoreIds` reads every `core_id`). Only files the directories list are
 * opened. Together these keep a 256-CPU machine to about a thousand small reads.
 */
export function readCpuFacts(cpuDir: string, cpus: readonly number[], online: CpuSet, allCoreIds = false): Map<number, CpuDirFacts> {
  const out = new Map<number, CpuDirFacts>();
  const known = { core: new Map<number, CpuSet>(), package: new Map<number, CpuSet>(), die: new Map<number, CpuSet>(), cluster: new Map<number, CpuSet>(), book: new Map<number, CpuSet>(), drawer: new Map<number, CpuSet>() };
  const caches = new Map<string, Map<number, { level: number; fact: CacheFact }>>();
  const remember = (map: Map<number, CpuSet>, set: CpuSet | null): CpuSet | null => {
    if (set !== null) for (const c of set) if (!map.has(c)) map.set(c, set);
    return set;
  };
  // cpu_capacity exists for every CPU or for none (the kernel exports it where the scheduler uses it).
  const withCapacity = cpus.length > 0 && existsSync(join(cpuDir, `cpu${cpus[0]}`, 'cpu_capacity'));
  // Online CPUs first: an offline CPU's files may be stale (a set without the CPU itself), so its
  // sets are kept only when they name it, and never stand in for an online CPU's.
  const order = [...cpus.filter((c) => online.has(c)), ...cpus.filter((c) => !online.has(c))];
  const first = order[0] !== undefined && online.has(order[0]) ? order[0] : null;
  // Machines without cacheinfo (ia64, some VMs) have no cache directory: probe with existsSync
  // rather than pay for a thrown ENOENT per CPU.
  const probeCache = first !== null && !existsSync(join(cpuDir, `cpu${first}`, 'cache'));
  for (const cpu of order) {
    const dir = join(cpuDir, `cpu${cpu}`);
    const isOnline = online.has(cpu);
    const topo = join(dir, 'topology');
    // Listed per CPU, not taken from the first: hand-made and copied trees mix old and new names.
    const have = new Set(listDir(topo));
    let fresh = false; // this CPU read the set itself (it is the first of it), so its ids name the object
    const pair = (map: Map<number, CpuSet>, ...names: string[]): CpuSet | null => {
      fresh = false;
      const seen = map.get(cpu);
      if (seen !== undefined) return seen;
      fresh = true;
      const present = names.map((n) => (have.has(n) ? n : '\0'));
      const set = nonEmpty(readCpuPair(topo, present[0]!, present[1]!, ...present.slice(2)));
      if (isOnline) return remember(map, set);
      return set !== null && set.has(cpu) ? set : null;
    };
    // An id is read where it names an object (first CPU of the set) or stands in for a missing set.
    const id = (name: string, set: CpuSet | null, always = false): number | null =>
      have.has(name) && (always || set === null || fresh) ? idOrNull(readInt(join(topo, name))) : null;
    const siblings = pair(known.core, 'core_cpus', 'core_cpus_list', 'thread_siblings', 'thread_siblings_list');
    const coreId = id('core_id', siblings, allCoreIds);
    const packageCpus = pair(known.package, 'package_cpus', 'package_cpus_list', 'core_siblings', 'core_siblings_list');
    const pkg = id('physical_package_id', packageCpus);
    const dieCpus = pair(known.die, 'die_cpus', 'die_cpus_list');
    const die = id('die_id', dieCpus);
    const clusterCpus = pair(known.cluster, 'cluster_cpus', 'cluster_cpus_list');
    const clusterId = id('cluster_id', clusterCpus);
    const bookCpus = pair(known.book, 'book_siblings', 'book_siblings_list');
    const bookId = id('book_id', bookCpus);
    const drawerCpus = pair(known.drawer, 'drawer_siblings', 'drawer_siblings_list');
    const drawerId = id('drawer_id', drawerCpus);
    out.set(cpu, {
      package: pkg, packageCpus, die, dieCpus, clusterCpus, clusterId, bookCpus, bookId, drawerCpus, drawerId, coreId, siblings,
      ...readCaches(join(dir, 'cache'), cpu, siblings, caches, probeCache),
      capacity: withCapacity ? readInt(join(dir, 'cpu_capacity')) : null,
    });
  }
  return out;
}

/** L2 and L3 (data or unified) caches of one CPU; `seen` holds facts read from earlier CPUs, by index name. */
function readCaches(cacheDir: string, cpu: number, siblings: CpuSet | null, seen: Map<string, Map<number, { level: number; fact: CacheFact }>>, probe: boolean): { l2: CacheFact | null; l3: CacheFact | null } {
  const out = { l2: null as CacheFact | null, l3: null as CacheFact | null };
  for (const name of probe && !existsSync(cacheDir) ? [] : listDir(cacheDir)) {
    if (!/^index\d+$/.test(name)) continue;
    const byCpu = seen.get(name) ?? new Map<number, { level: number; fact: CacheFact }>();
    seen.set(name, byCpu);
    // An index that was not an L2/L3 on the first CPU (L1d, L1i) is the same cache leaf on the others.
    if (byCpu.has(-1)) continue;
    let entry = byCpu.get(cpu);
    if (entry === undefined) {
      const read = readCache(join(cacheDir, name), siblings);
      if (read === null) {
        if (byCpu.size === 0) byCpu.set(-1, { level: 0, fact: { cpus: CpuSet.EMPTY, size: null, id: null } });
        continue;
      }
      entry = read;
      for (const c of read.fact.cpus) if (!byCpu.has(c)) byCpu.set(c, read);
    }
    if (!entry.fact.cpus.has(cpu)) continue;
    if (entry.level === 2) out.l2 = entry.fact;
    if (entry.level === 3) out.l3 = entry.fact;
  }
  return out;
}

function readCache(dir: string, siblings: CpuSet | null): { level: number; fact: CacheFact } | null {
  const level = readInt(join(dir, 'level'));
  if (level !== 2 && level !== 3) return null;
  const type = readText(join(dir, 'type'))?.trim();
  if (type === 'Instruction') return null;
  let cpus = readCpuPair(dir, 'shared_cpu_map', 'shared_cpu_list');
  // Some ia64 kernels report an empty map: the cache is the core's (hwloc reads it the same way).
  if (cpus !== null && cpus.isEmpty) cpus = siblings;
  if (cpus === null) return null;
  // `id` is missing on kernels before 4.14: probed, as a thrown ENOENT costs more than the read.
  const idFile = join(dir, 'id');
  return { level, fact: { cpus, size: parseSize(readText(join(dir, 'size'))), id: existsSync(idFile) ? readInt(idFile) : null } };
}

function parseSize(text: string | null): number | null {
  const m = text === null ? null : /^(\d+)\s*([KMG]?)/i.exec(text.trim());
  if (!m) return null;
  const mult = { '': 1, K: 1024, M: 1024 ** 2, G: 1024 ** 3 }[m[2]!.toUpperCase() as '' | 'K' | 'M' | 'G'];
  return Number(m[1]) * mult;
}

/** -1 is how the kernel says "no such id" (e.g. ARM packages). */
function idOrNull(n: number | null): number | null {
  return n === null || n < 0 ? null : n;
}

function nonEmpty(s: CpuSet | null): CpuSet | null {
  return s === null || s.isEmpty ? null : s;
}

/** An integer file; NUL bytes some copies end with are ignored. */
export function readInt(path: string): number | null {
  const t = readText(path)?.replace(/\0.*$/s, '').trim();
  return t !== undefined && /^-?\d+$/.test(t) ? Number(t) : null;
}

function listDir(dir: string): string[] {
  try {
    return readdirSync(dir);
  } catch {
    return [];
  }
}
