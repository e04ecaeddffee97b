import { readdirSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { CpuSet } from '../cpuset/CpuSet.js';
import { readCgroupCpuset } from '../os/cgroupCpuset.js';
import { readCpuListFile, readText } from '../os/procfs.js';
import { buildTopology } from './buildTopology.js';
import type { CacheFact, PuFacts } from './buildTopology.js';
import type { NumaNode, Topology } from './Topology.js';
import { TopologyUnavailableError } from './TopologyUnavailableError.js';

/**
 * Reads the machine's topology from sysfs under `root` (default `/`; a copied or hand-made tree
 * works the same, like hwloc's `HWLOC_FSROOT`).
 *
 * Reads `sys/devices/system/cpu/{present,online,isolated}`, each `cpuN/topology/` and
 * `cpuN/cache/index*`, `cpu_capacity`, `sys/devices/system/node/node*` and the hybrid lists
 * `sys/devices/cpu_core/cpus` / `cpu_atom/cpus`. Anything missing or contradictory becomes
 * unknown (see {@link Topology.warnings}); nothing is guessed.
 *
 * "Allowed" is this process's affinity (`<root>/proc/self/status` `Cpus_allowed_list`; all online
 * CPUs when a fixture root has none) ∩ its cgroup cpuset (v1 or v2, via `/proc/self/cgroup`).
 *
 * @throws {TopologyUnavailableError} when `root` has no `sys/devices/system/cpu` with CPUs.
 *
 * @example
 * ```ts
 * import { readTopology } from 'corepin';
 * const here = readTopology();                    // this machine, from /sys
 * const other = readTopology('/tmp/fixture-root'); // a sysfs tree written by writeSysfs
 * ```
 */
export function readTopology(root = '/'): Topology {
  const cpuDir = join(root, 'sys/devices/system/cpu');
  const warnings: string[] = [];
  const dirs = listCpuDirs(cpuDir);
  const present = readCpuListFile(join(cpuDir, 'present'));
  const onlineList = readCpuListFile(join(cpuDir, 'online'));
  const cpus = (present ?? CpuSet.EMPTY).union(CpuSet.from(dirs)).union(onlineList ?? CpuSet.EMPTY);
  if (cpus.isEmpty) throw new TopologyUnavailableError(cpuDir);

  // A CPU listed in present/online without its cpuN directory has no files to read: skipping the
  // dozen reads that would fail keeps a corrupt `present` of 0-65535 from taking seconds.
  const withDir = new Set(dirs);
  const online = onlineList ?? CpuSet.from(cpus.toArray().filter((c) => !withDir.has(c) || readInt(join(cpuDir, `cpu${c}`, 'online')) !== 0));
  const isolated = readCpuListFile(join(cpuDir, 'isolated')) ?? CpuSet.EMPTY;
  const allowed = readAllowed(root, online, warnings);
  const numa = readNuma(join(root, 'sys/devices/system/node'));
  const nodeOf = new Map<number, number>();
  for (const n of numa) for (const c of n.cpus) nodeOf.set(c, n.id);
  const kindOf = new Map<number, string>();
  for (const [dir, kind] of [['cpu_core', 'performance'], ['cpu_atom', 'efficiency']] as const) {
    const list = readCpuListFile(join(root, 'sys/devices', dir, 'cpus'));
    if (list) for (const c of list) kindOf.set(c, kind);
  }

  const pus: PuFacts[] = cpus.toArray().map((cpu) => {
    if (!withDir.has(cpu)) {
      return { cpu, online: online.has(cpu), allowed: allowed.has(cpu), isolated: isolated.has(cpu), package: null, die: null, coreId: null, siblings: null, numa: nodeOf.get(cpu) ?? null, l3: null, l2: null, capacity: null, kind: kindOf.get(cpu) ?? null };
    }
    const dir = join(cpuDir, `cpu${cpu}`);
    const topo = join(dir, 'topology');
    const caches = readCaches(join(dir, 'cache'), cpu);
    return {
      cpu,
      online: online.has(cpu),
      allowed: allowed.has(cpu),
      isolated: isolated.has(cpu),
      package: idOrNull(readInt(join(topo, 'physical_package_id'))),
      die: idOrNull(readInt(join(topo, 'die_id'))),
      coreId: idOrNull(readInt(join(topo, 'core_id'))),
      siblings: nonEmpty(readCpuListFile(join(topo, 'core_cpus_list')) ?? readCpuListFile(join(topo, 'thread_siblings_list'))),
      numa: nodeOf.get(cpu) ?? null,
      l3: caches.get(3) ?? null,
      l2: caches.get(2) ?? null,
      capacity: readInt(join(dir, 'cpu_capacity')),
      kind: kindOf.get(cpu) ?? null,
    };
  });
  const source = resolve(root) === '/' ? 'sysfs:/' : `sysfs:${root}`;
  return buildTopology({ source, pus, numaNodes: numa, warnings });
}

function readAllowed(root: string, online: CpuSet, warnings: string[]): CpuSet {
  let affinity = online;
  const status = readText(join(root, 'proc/self/status'));
  const line = status?.split('\n').find((l) => l.startsWith('Cpus_allowed_list:'));
  if (line !== undefined) {
    const parsed = parseList(line.slice(line.indexOf(':') + 1).trim());
    if (parsed) affinity = parsed;
    else warnings.push('Cpus_allowed_list unreadable: all online CPUs taken as allowed');
  }
  const cgroup = readCgroupCpuset(root);
  return cgroup ? affinity.intersect(cgroup.cpus) : affinity;
}

function readNuma(nodeDir: string): NumaNode[] {
  const out: NumaNode[] = [];
  for (const name of listDir(nodeDir)) {
    const m = /^node(\d+)$/.exec(name);
    if (!m) continue;
    const id = Number(m[1]);
    const cpus = readCpuListFile(join(nodeDir, name, 'cpulist')) ?? CpuSet.EMPTY;
    const distances = new Map<number, number>();
    const text = readText(join(nodeDir, name, 'distance'));
    const values = text?.trim().split(/\s+/).map(Number) ?? [];
    if (values.every((v) => Number.isInteger(v) && v >= 0)) values.forEach((v, i) => distances.set(i, v));
    out.push({ id, cpus, distances });
  }
  // Node distances are indexed by position among online nodes; with dense ids that is the id.
  out.sort((a, b) => a.id - b.id);
  const ids = out.map((n) => n.id);
  return out.map((n) => ({
    ...n,
    distances: new Map([...n.distances].filter(([i]) => i < ids.length).map(([i, d]) => [ids[i]!, d])),
  }));
}

function readCaches(cacheDir: string, cpu: number): Map<number, CacheFact> {
  const out = new Map<number, CacheFact>();
  for (const name of listDir(cacheDir)) {
    if (!/^index\d+$/.test(name)) continue;
    const dir = join(cacheDir, name);
    const level = readInt(join(dir, 'level'));
    if (level !== 2 && level !== 3) continue;
    const type = readText(join(dir, 'type'))?.trim();
    if (type === 'Instruction') continue;
    const cpus = readCpuListFile(join(dir, 'shared_cpu_list')) ?? readMask(join(dir, 'shared_cpu_map'));
    if (cpus === null || !cpus.has(cpu)) continue;
    out.set(level, { cpus, size: parseSize(readText(join(dir, 'size'))), id: readInt(join(dir, 'id')) });
  }
  return out;
}

function listCpuDirs(cpuDir: string): number[] {
  return listDir(cpuDir)
    .map((n) => /^cpu(\d+)$/.exec(n))
    .filter((m) => m !== null)
    .map((m) => Number(m[1]))
    .filter((c) => isDir(join(cpuDir, `cpu${c}`)));
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

function readInt(path: string): number | null {
  const t = readText(path)?.trim();
  return t !== undefined && /^-?\d+$/.test(t) ? Number(t) : null;
}

function readMask(path: string): CpuSet | null {
  const t = readText(path)?.trim();
  if (!t) return null;
  try {
    return CpuSet.parse(t, 'mask');
  } catch {
    return null;
  }
}

function parseList(text: string): CpuSet | null {
  try {
    return CpuSet.parse(text, 'list');
  } catch {
    return null;
  }
}

function listDir(dir: string): string[] {
  try {
    return readdirSync(dir);
  } catch {
    return [];
  }
}

function isDir(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}
