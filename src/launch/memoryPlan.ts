import type { CpuSet } from '../cpuset/CpuSet.js';
import type { Topology } from '../topology/Topology.js';
import type { MemoryMode } from './LaunchSettings.js';

/**
 * The memory policy one slot gets, after the cgroup's cpuset.mems had its say.
 *
 * @example
 * ```ts
 * import { Pool, type MemoryPlan } from 'corepin';
 * await using pool = new Pool({ module: new URL('./work.js', import.meta.url), kind: 'process', memory: 'bind' });
 * const plan: MemoryPlan | null | undefined = pool.bindings()[0]?.memory;
 * ```
 */
export interface MemoryPlan {
  /** What was asked for. */
  readonly requested: MemoryMode;
  /** What is applied: the request, a fallback, or `none` (the kernel's default policy). */
  readonly mode: MemoryMode | 'none';
  /** NUMA nodes of the policy (empty for `local` and `none`). */
  readonly nodes: readonly number[];
  /** Why `mode` differs from `requested` (or why nodes were dropped), null when it does not. */
  readonly note: string | null;
}

/**
 * The NUMA nodes of `cpus`, ascending, from the topology (empty when the machine shows none).
 *
 * @example
 * ```ts
 * import { memoryNodesOf, readTopology, CpuSet } from 'corepin';
 * memoryNodesOf(CpuSet.parse('0-3'), readTopology()); // e.g. [0]
 * ```
 */
export function memoryNodesOf(cpus: CpuSet, topology: Topology): number[] {
  const nodes = new Set<number>();
  for (const pu of topology.pus) if (pu.numa !== null && cpus.has(pu.cpu)) nodes.add(pu.numa);
  return [...nodes].sort((a, b) => a - b);
}

/**
 * The policy for a slot on `cpus`. Nodes are the NUMA nodes of the slot's CPUs. Where `allowedMems`
 * (cpuset.mems, as Mems_allowed_list shows it) forbids some of them, the request degrades instead of
 * failing as numactl does (EINVAL): `bind` → `preferred` on the first allowed slot node → `none`
 * when no slot node is allowed; `interleave` keeps the allowed slot nodes → `none`; `preferred` takes
 * the first allowed slot node → `none`. `local` needs no nodes and is kept.
 *
 * @example
 * ```ts
 * import { memoryPlan, readTopology, CpuSet } from 'corepin';
 * const p = memoryPlan('bind', CpuSet.parse('0-3'), readTopology(), [0]);
 * console.log(p.mode, p.nodes, p.note);
 * ```
 */
export function memoryPlan(requested: MemoryMode, cpus: CpuSet, topology: Topology, allowedMems: readonly number[]): MemoryPlan {
  if (requested === 'local') return { requested, mode: 'local', nodes: [], note: null };
  const slotNodes = memoryNodesOf(cpus, topology);
  if (slotNodes.length === 0) return { requested, mode: 'none', nodes: [], note: `no NUMA node is known for CPUs ${cpus.toList()}: kernel default policy` };
  const allowed = slotNodes.filter((n) => allowedMems.includes(n));
  const forbidden = slotNodes.filter((n) => !allowedMems.includes(n));
  const why = `cpuset.mems (${allowedMems.join(',') || 'none'}) forbids node ${forbidden.join(',')}`;
  if (allowed.length === 0) return { requested, mode: 'none', nodes: [], note: `${requested} not applied: ${why}, no node of the slot is allowed` };
  if (forbidden.length === 0) return { requested, mode: requested, nodes: requested === 'preferred' ? [allowed[0]!] : allowed, note: null };
  if (requested === 'bind') return { requested, mode: 'preferred', nodes: [allowed[0]!], note: `bind fell back to preferred: ${why}` };
  if (requested === 'preferred') return { requested, mode: 'preferred', nodes: [allowed[0]!], note: null };
  return { requested, mode: 'interleave', nodes: allowed, note: `interleave over node ${allowed.join(',')} only: ${why}` };
}

/** `bind:0-1`, `preferred:0`, `local`, `none`: the plan in one word, as reports show it. */
export function describeMemoryPlan(plan: MemoryPlan): string {
  return plan.nodes.length === 0 ? plan.mode : `${plan.mode}:${plan.nodes.join(',')}`;
}
