import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { CpuSet } from '../cpuset/CpuSet.js';
import { readCpuListFile, readCpuMaskFile, readCpuPair, readText } from '../os/procfs.js';
import type { NumaNode } from './Topology.js';

/**
 * Reads `sys/devices/system/node/node*` under `root`: each node's CPUs (`cpumap`, else `cpulist`),
 * distances, `MemTotal`, whether the cgroup's `mems` allow it, and where memory-only nodes are local.
 *
 * Decisions, following hwloc where the kernel documentation says nothing:
 * - only nodes in `node/online` count when that file exists (offline nodes have no memory to use);
 * - a node whose CPUs overlap an earlier node's is a firmware bug: it is dropped, with a warning;
 * - a memory-only node is local to the CPUs of its HMAT initiators (`access1`, which excludes generic
 *   initiators, else `access0`), else to those of the nodes nearest by distance when that is not
 *   every other node, else (NVIDIA GPU memory) to its GPU's `local_cpus`.
 */
export function readNumaNodes(root: string, mems: CpuSet | null, warnings: string[]): NumaNode[] {
  const nodeDir = join(root, 'sys/devices/system/node');
  const online = readCpuListFile(join(nodeDir, 'online'));
  const ids = listDir(nodeDir)
    .map((n) => /^node(\d+)$/.exec(n))
    .filter((m) => m !== null)
    .map((m) => Number(m[1]))
    .filter((id) => online === null || online.has(id))
    .sort((a, b) => a - b);
  const gpus = gpuNodes(root);
  const cpusOf = new Map<number, CpuSet>();
  let seen = CpuSet.EMPTY;
  for (const id of ids) {
    const cpus = readCpuPair(join(nodeDir, `node${id}`), 'cpumap', 'cpulist') ?? CpuSet.EMPTY;
    if (!cpus.intersect(seen).isEmpty) {
      warnings.push(`NUMA node ${id} lists CPUs of an earlier node (${cpus.intersect(seen).toList()}): node ignored`);
      continue;
    }
    seen = seen.union(cpus);
    cpusOf.set(id, cpus);
  }
  const kept = [...cpusOf.keys()];
  const entriesOf = new Map(kept.map((id) => [id, new Set(listDir(join(nodeDir, `node${id}`)))]));
  // Distances are indexed by position among online nodes; with dense ids that is the id.
  const distancesOf = new Map(kept.map((id) => [id, readDistances(join(nodeDir, `node${id}`, 'distance'), ids)]));
  const local = new Map<number, CpuSet>();
  // Nodes with CPUs first, so memory-only nodes can take their locality from them.
  for (const id of kept.filter((i) => !cpusOf.get(i)!.isEmpty)) local.set(id, cpusOf.get(id)!.union(initiatorCpus(nodeDir, id, cpusOf, entriesOf.get(id)!) ?? CpuSet.EMPTY));
  for (const id of kept.filter((i) => cpusOf.get(i)!.isEmpty)) {
    const gpu = gpus.get(id);
    let cpus: CpuSet | null = gpu !== undefined ? readCpuMaskFile(join(root, 'sys/bus/pci/devices', gpu, 'local_cpus')) : null;
    cpus = nonEmpty(cpus) ?? nonEmpty(initiatorCpus(nodeDir, id, cpusOf, entriesOf.get(id)!)) ?? nearestCpus(id, distancesOf, local);
    local.set(id, cpus ?? CpuSet.EMPTY);
  }
  return kept.map((id) => ({
    id,
    cpus: cpusOf.get(id)!,
    local: local.get(id)!,
    allowed: mems === null || mems.has(id),
    memory: memTotal(join(nodeDir, `node${id}`, 'meminfo')),
    kind: gpus.has(id) ? 'gpu' : null,
    distances: distancesOf.get(id)!,
  }));
}

function readDistances(path: string, ids: readonly number[]): Map<number, number> {
  const values = readText(path)?.trim().split(/\s+/).map(Number) ?? [];
  const out = new Map<number, number>();
  if (!values.every((v) => Number.isInteger(v) && v >= 0)) return out;
  values.forEach((v, i) => {
    if (i < ids.length) out.set(ids[i]!, v);
  });
  return out;
}

/** CPUs of the nodes listed in `accessN/initiators` (null when the node has no such directory). */
function initiatorCpus(nodeDir: string, id: number, cpusOf: Map<number, CpuSet>, entries: ReadonlySet<string>): CpuSet | null {
  for (const access of ['access1', 'access0']) {
    if (!entries.has(access)) continue;
    const names = listDir(join(nodeDir, `node${id}`, access, 'initiators'));
    if (names.length === 0) continue;
    let cpus = CpuSet.EMPTY;
    for (const n of names) {
      const m = /^node(\d+)$/.exec(n);
      if (m && Number(m[1]) !== id) cpus = cpus.union(cpusOf.get(Number(m[1])) ?? CpuSet.EMPTY);
    }
    return cpus;
  }
  return null;
}

/** The CPUs of the nodes strictly nearer than the node itself, unless every other node is as near. */
function nearestCpus(id: number, distancesOf: Map<number, Map<number, number>>, local: Map<number, CpuSet>): CpuSet | null {
  const d = distancesOf.get(id)!;
  const others = [...d].filter(([j]) => j !== id && distancesOf.has(j));
  if (others.length === 0) return null;
  const min = Math.min(...others.map(([, v]) => v));
  const nearest = others.filter(([, v]) => v === min).map(([j]) => j);
  if (min <= (d.get(id) ?? 0) || nearest.length === others.length) return null;
  return nearest.reduce((acc, j) => acc.union(local.get(j) ?? CpuSet.EMPTY), CpuSet.EMPTY);
}

/** NVIDIA GPUs whose memory is a NUMA node: node id → PCI address (`/proc/driver/nvidia/gpus/*\/numa_status`). */
function gpuNodes(root: string): Map<number, string> {
  const out = new Map<number, string>();
  const dir = join(root, 'proc/driver/nvidia/gpus');
  for (const pci of listDir(dir)) {
    const m = /Node:\s*(-?\d+)/.exec(readText(join(dir, pci, 'numa_status')) ?? '');
    if (m && Number(m[1]) >= 0) out.set(Number(m[1]), pci);
  }
  return out;
}

function memTotal(path: string): number | null {
  const m = /MemTotal:\s*(\d+)\s*kB/.exec(readText(path) ?? '');
  return m ? Number(m[1]) * 1024 : null;
}

function nonEmpty(s: CpuSet | null): CpuSet | null {
  return s === null || s.isEmpty ? null : s;
}

function listDir(dir: string): string[] {
  try {
    return readdirSync(dir);
  } catch {
    return [];
  }
}
