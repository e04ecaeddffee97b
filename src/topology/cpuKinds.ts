import { CpuSet } from '../cpuset/CpuSet.js';
import type { PuFacts } from './buildTopology.js';
import type { CpuKind } from './Topology.js';

/**
 * Within one base frequency, maxima that differ by less than this fraction are one kind: Intel
 * Turbo Boost Max 3.0 gives a few "favoured" P-cores a higher maximum (5.2 vs 5.0 GHz on the Raptor
 * Lake dump), which does not make them another kind of core. hwloc uses the same 10 %.
 */
const SAME_KIND_MAX_SPREAD = 0.1;

/**
 * The kinds of cores, best first, from the first source that has them:
 * 1. the kernel's hybrid PMU lists (`/sys/devices/cpu_core|cpu_atom/cpus`): they name the core type;
 * 2. `cpu_capacity`: the scheduler's own measure of each CPU's relative performance;
 * 3. cpufreq base and maximum frequencies (`frequency` facts), grouped as hwloc does.
 */
export function cpuKinds(placed: readonly PuFacts[], warnings: string[]): CpuKind[] {
  const named = placed.filter((p) => p.kind !== null);
  if (named.length > 0) {
    const order = ['performance', 'efficiency'];
    const names = [...new Set(named.map((p) => p.kind!))].sort((a, b) => rankName(order, a) - rankName(order, b));
    if (named.length < placed.filter((p) => p.online).length) warnings.push('hybrid kind unknown for some CPUs');
    return names.map((name, rank) => ({ name, rank, source: 'pmu', cpus: CpuSet.from(named.filter((p) => p.kind === name).map((p) => p.cpu)) }));
  }
  return capacityKinds(placed, warnings) ?? frequencyKinds(placed) ?? [];
}

/** Kinds from distinct `cpu_capacity` values (higher is faster); null when they say nothing. */
function capacityKinds(placed: readonly PuFacts[], warnings: string[]): CpuKind[] | null {
  const withCap = placed.filter((p) => p.capacity !== null);
  const caps = [...new Set(withCap.map((p) => p.capacity!))].sort((a, b) => b - a);
  if (caps.length < 2) return null;
  if (withCap.length < placed.length) {
    warnings.push('cpu_capacity missing for some CPUs: core kinds unknown');
    return [];
  }
  return caps.map((cap, rank) => ({
    name: kindName(rank, caps.length, String(cap)),
    rank,
    source: 'capacity',
    cpus: CpuSet.from(withCap.filter((p) => p.capacity === cap).map((p) => p.cpu)),
  }));
}

/**
 * Kinds from cpufreq, following hwloc's Linux backend: CPUs with the same base frequency whose
 * maxima differ by less than 10 % count as having the lowest of those maxima; each distinct
 * (base, maximum) pair, in MHz, is a kind; kinds rank by base frequency (maximum when some CPU has no
 * base), then maximum. Every online CPU must report a maximum; null when fewer than two kinds.
 */
function frequencyKinds(placed: readonly PuFacts[]): CpuKind[] | null {
  const online = placed.filter((p) => p.online);
  if (online.length === 0 || online.some((p) => p.frequency == null)) return null;
  const withBase = online.every((p) => p.frequency!.baseKhz !== null);
  const mhz = (khz: number): number => Math.floor(khz / 1000);
  const maxOf = new Map(online.map((p) => [p.cpu, p.frequency!.maxKhz]));
  if (withBase) {
    for (const group of groupBy(online, (p) => String(p.frequency!.baseKhz)).values()) {
      const maxima = group.map((p) => p.frequency!.maxKhz);
      const lo = Math.min(...maxima);
      if ((Math.max(...maxima) - lo) / lo < SAME_KIND_MAX_SPREAD) for (const p of group) maxOf.set(p.cpu, lo);
    }
  }
  const base = (p: PuFacts): number => (withBase ? mhz(p.frequency!.baseKhz!) : 0);
  const kinds = [...groupBy(online, (p) => `${base(p)}:${mhz(maxOf.get(p.cpu)!)}`).values()];
  if (kinds.length < 2) return null;
  const score = (g: PuFacts[]): [number, number] => [base(g[0]!), mhz(maxOf.get(g[0]!.cpu)!)];
  kinds.sort((a, b) => score(b)[0] - score(a)[0] || score(b)[1] - score(a)[1]);
  return kinds.map((g, rank) => ({
    name: kindName(rank, kinds.length, `${withBase ? score(g)[0] : score(g)[1]}MHz`),
    rank,
    source: 'frequency',
    cpus: CpuSet.from(g.map((p) => p.cpu)),
  }));
}

function kindName(rank: number, count: number, middle: string): string {
  return rank === 0 ? 'performance' : rank === count - 1 ? 'efficiency' : `middle-${middle}`;
}

function groupBy(pus: readonly PuFacts[], key: (p: PuFacts) => string): Map<string, PuFacts[]> {
  const out = new Map<string, PuFacts[]>();
  for (const p of pus) {
    const k = key(p);
    const list = out.get(k);
    if (list) list.push(p);
    else out.set(k, [p]);
  }
  return out;
}

function rankName(order: string[], name: string): number {
  const i = order.indexOf(name);
  return i < 0 ? order.length : i;
}
