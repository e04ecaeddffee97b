import { closeSync, existsSync, openSync, readSync, readdirSync, statSync } from 'node:fs';
import type { Dirent } from 'node:fs';
import { join, resolve } from 'node:path';
import { CpuSet } from '../cpuset/CpuSet.js';
import { readCgroupCpuset } from '../os/cgroupCpuset.js';
import { readCpuListFile, readText } from '../os/procfs.js';
import { buildTopology } from './buildTopology.js';
import type { PuFacts } from './buildTopology.js';
import { readCpuFacts, readInt } from './readCpuFacts.js';
import type { CpuDirFacts } from './readCpuFacts.js';
import { readCpuFrequencies } from './readCpuFrequencies.js';
import { readNumaNodes } from './readNumaNodes.js';
import type { Topology } from './Topology.js';
import { TopologyUnavailableError } from './errors.js';

/**
 * Reads the machine's topology from sysfs under `root` (default `/`; a copied or hand-made tree
 * works the same, like hwloc's `HWLOC_FSROOT`).
 *
 * Reads `sys/devices/system/cpu/{present,online,isolated,nohz_full}`, each `cpuN/topology/` and
 * `cpuN/cache/index*` (mask files first, `_list` files second, older names last; see
 * docs/topology.md), `cpu_capacity`, `sys/devices/system/node/node*` (see `readNumaNodes`) and the
 * hybrid lists `sys/devices/cpu_core/cpus` / `cpu_atom/cpus`. Anything missing or contradictory
 * becomes unknown (see {@link Topology.warnings}); nothing is guessed.
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
  const onlineFile = (c: number): string => join(cpuDir, `cpu${c}`, 'online');
  const online = onlineList ?? CpuSet.from(cpus.toArray().filter((c) => !withDir.has(c) || !existsSync(onlineFile(c)) || readInt(onlineFile(c)) !== 0));
  // nohz_full CPUs are isolated from the scheduler tick and usually from load balancing too; the
  // file says `(null)` when unset, which reads as no CPU.
  const isolated = (readCpuListFile(join(cpuDir, 'isolated')) ?? CpuSet.EMPTY).union(readCpuListFile(join(cpuDir, 'nohz_full')) ?? CpuSet.EMPTY);
  const cgroup = readCgroupCpuset(root);
  const allowed = readAllowed(root, online, cgroup?.cpus ?? null, warnings);
  const numa = readNumaNodes(root, cgroup?.mems ?? null, warnings);
  const nodeOf = new Map<number, number>();
  for (const n of numa) for (const c of n.cpus) if (!nodeOf.has(c)) nodeOf.set(c, n.id);
  const kindOf = new Map<number, string>();
  for (const [dir, kind] of [['cpu_core', 'performance'], ['cpu_atom', 'efficiency']] as const) {
    const list = readCpuListFile(join(root, 'sys/devices', dir, 'cpus'));
    if (list) for (const c of list) kindOf.set(c, kind);
  }

  const unknown = { package: null, die: null, coreId: null, siblings: null, l3: null, l2: null, capacity: null };
  const amdComputeUnits = isAmdWithComputeUnits(root);
  const facts = readCpuFacts(cpuDir, cpus.toArray().filter((c) => withDir.has(c)), online, amdComputeUnits);
  if (amdComputeUnits) splitComputeUnits(facts);
  // Frequencies are the last source of core kinds: read only when the PMU lists and cpu_capacity
  // do not already tell kinds apart (two reads per CPU saved on most hybrid and big.LITTLE machines).
  const capacities = new Set([...facts.values()].map((f) => f.capacity).filter((c) => c !== null));
  const frequencies = kindOf.size > 0 || capacities.size > 1 ? null : readCpuFrequencies(cpuDir, online.toArray().filter((c) => withDir.has(c)));
  const pus: PuFacts[] = cpus.toArray().map((cpu) => ({
    cpu,
    online: online.has(cpu),
    allowed: allowed.has(cpu),
    isolated: isolated.has(cpu),
    numa: nodeOf.get(cpu) ?? null,
    kind: kindOf.get(cpu) ?? null,
    frequency: frequencies?.get(cpu) ?? null,
    ...(facts.get(cpu) ?? unknown),
  }));
  const source = resolve(root) === '/' ? 'sysfs:/' : `sysfs:${root}`;
  return buildTopology({ source, pus, numaNodes: numa, warnings });
}

/**
 * AMD Bulldozer-family CPUs (family 21 and 22) pair two cores in a compute unit that the kernel
 * reports as SMT siblings, though each has its own `core_id`. hwloc reads them as two cores, and so
 * does corepin: they have separate integer units, unlike hyper-threads.
 */
function isAmdWithComputeUnits(root: string): boolean {
  // Only the first processor's block is needed: /proc/cpuinfo of a big machine is hundreds of
  // kilobytes that the kernel formats (and samples each CPU's frequency for) on every read.
  const info = readHead(join(root, 'proc/cpuinfo'), 16384);
  const first = info.split(/\n\s*\n/)[0] ?? '';
  return /^vendor_id\s*:\s*AuthenticAMD$/m.test(first) && /^cpu family\s*:\s*(21|22)$/m.test(first);
}

/** The first `bytes` bytes of a file as text ('' when it cannot be read). */
function readHead(path: string, bytes: number): string {
  let fd: number | null = null;
  try {
    fd = openSync(path, 'r');
    const buf = Buffer.alloc(bytes);
    return buf.toString('utf8', 0, readSync(fd, buf, 0, bytes, 0));
  } catch {
    return '';
  } finally {
    if (fd !== null) closeSync(fd);
  }
}

function splitComputeUnits(facts: Map<number, CpuDirFacts>): void {
  for (const [cpu, f] of facts) {
    if (f.siblings === null || f.siblings.size < 2) continue;
    if (f.siblings.toArray().some((s) => facts.get(s)?.coreId !== f.coreId)) facts.set(cpu, { ...f, siblings: CpuSet.of(cpu) });
  }
}

function readAllowed(root: string, online: CpuSet, cgroupCpus: CpuSet | null, warnings: string[]): CpuSet {
  let affinity = online;
  const status = readText(join(root, 'proc/self/status'));
  const line = status?.split('\n').find((l) => l.startsWith('Cpus_allowed_list:'));
  if (line !== undefined) {
    const parsed = parseList(line.slice(line.indexOf(':') + 1).trim());
    if (parsed) affinity = parsed;
    else warnings.push('Cpus_allowed_list unreadable: all online CPUs taken as allowed');
  }
  return cgroupCpus ? affinity.intersect(cgroupCpus) : affinity;
}

function listCpuDirs(cpuDir: string): number[] {
  let entries: Dirent[];
  try {
    entries = readdirSync(cpuDir, { withFileTypes: true });
  } catch {
    return [];
  }
  // The entry type from readdir: no stat per CPU (a symlinked cpuN is followed with one stat).
  return entries
    .filter((e) => /^cpu\d+$/.test(e.name) && (e.isDirectory() || (e.isSymbolicLink() && isDir(join(cpuDir, e.name)))))
    .map((e) => Number(e.name.slice(3)));
}

function parseList(text: string): CpuSet | null {
  try {
    return CpuSet.parse(text, 'list');
  } catch {
    return null;
  }
}

function isDir(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}
