import { CpuSet } from '../cpuset/CpuSet.js';
import type { PuFacts } from './buildTopology.js';
import type { CpuKind } from './Topology.js';

/** Kinds from the kernel's hybrid PMU lists, else from distinct `cpu_capacity` values. */
export function cpuKinds(placed: readonly PuFacts[], warnings: string[]): CpuKind[] {
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
