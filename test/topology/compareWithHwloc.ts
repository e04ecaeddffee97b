import { CpuSet } from '../../src/cpuset/CpuSet.js';
import type { ObjectType, Topology } from '../../src/topology/Topology.js';
import type { CompareLevel, HwlocGrouping } from './hwlocConsole.js';

/** How the lstopo options of a case change what its expected output shows. */
export interface CompareMode {
  /** `--disallowed`: PUs and NUMA nodes outside the cgroup cpuset are shown too. */
  readonly disallowed: boolean;
  /** `--no-caches`, `--merge`, `--filter …`: levels may be hidden; compare only the levels shown. */
  readonly onlyShownLevels: boolean;
}

const LEVELS: readonly CompareLevel[] = ['drawer', 'book', 'package', 'die', 'cluster', 'l3', 'l2', 'core'];
/** Objects a Group (cluster, book, drawer) merges into when it has the same PUs, as hwloc does. */
const NON_GROUP: readonly ObjectType[] = ['package', 'die', 'l3', 'l2', 'core'];

/**
 * Compares corepin's grouping of the PUs hwloc shows with hwloc's. Returns one line per difference
 * (empty when they agree). Groupings are compared as sets of PU sets; numbers (L#, P#) are not,
 * except NUMA node ids, which are the kernel's in both.
 */
export function compareWithHwloc(t: Topology, h: HwlocGrouping, mode: CompareMode): string[] {
  const out: string[] = [];
  const visible = mode.disallowed ? CpuSet.from(t.pus.filter((p) => p.online && hasTopology(t, p.cpu)).map((p) => p.cpu)) : t.usable;
  if (!visible.equals(h.pus)) out.push(`PUs shown: hwloc ${h.pus.toList()}, corepin ${visible.toList()}`);
  const H = h.pus;
  const groupsOf = (type: ObjectType): string[] =>
    [...new Set(t.objects(type).map((o) => o.cpus.intersect(H)).filter((s) => !s.isEmpty).map((s) => s.toList()))].sort();
  const others = new Set(NON_GROUP.flatMap(groupsOf));
  // corepin counts a PU without any core information as its own core (and warns); hwloc shows no Core.
  const noCoreInfo = t.warnings.some((w) => w === `no core information for CPU ${t.cpus.toList()}: each counted as its own core`);
  for (const level of LEVELS) {
    // Objects holding only memory (their PUs all disallowed) show in hwloc without PUs.
    const expected = h.levels.get(level)?.filter((g) => g !== '');
    if (expected === undefined && (mode.onlyShownLevels || (level === 'core' && noCoreInfo))) continue;
    let got = groupsOf(level);
    if (level === 'cluster' || level === 'book' || level === 'drawer') got = got.filter((g) => !others.has(g));
    const want = expected ?? [];
    if (got.join(' | ') !== want.join(' | ')) out.push(`${level}: hwloc [${want.join(' | ')}], corepin [${got.join(' | ')}]`);
  }
  const numa = new Map<number, string>();
  for (const n of t.numaNodes) {
    if (!mode.disallowed && !n.allowed) continue;
    // hwloc hides NVIDIA GPU memory nodes on POWER unless HWLOC_KEEP_NVIDIA_GPU_NUMA_NODES=1; corepin shows them.
    if (n.kind === 'gpu' && !h.numa.has(n.id)) continue;
    numa.set(n.id, n.local.intersect(H).toList());
  }
  // hwloc invents one node for a machine without NUMA information; corepin reports none.
  const want = new Map(h.numa);
  if (numa.size === 0 && want.size === 1 && want.get(0) === H.toList()) want.clear();
  const fmt = (m: Map<number, string>): string => [...m].sort((a, b) => a[0] - b[0]).map(([id, cpus]) => `${id}:${cpus}`).join(' ');
  if (fmt(numa) !== fmt(want)) out.push(`numa: hwloc [${fmt(want)}], corepin [${fmt(numa)}]`);
  // CPU kinds: hwloc lists one kind on machines whose cores are all alike; corepin lists none there.
  const wantKinds = h.kinds.length >= 2 ? h.kinds : [];
  const gotKinds = t.kinds.map((k) => k.cpus.intersect(H).toList());
  if (gotKinds.join(' | ') !== wantKinds.join(' | ')) out.push(`kinds (fastest first): hwloc [${wantKinds.join(' | ')}], corepin [${gotKinds.join(' | ')}]`);
  return out;
}

function hasTopology(t: Topology, cpu: number): boolean {
  return t.machine.children.every((c) => c.type !== 'pu' || c.osIndex !== cpu);
}
