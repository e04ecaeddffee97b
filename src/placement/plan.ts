import { CpuSet } from '../cpuset/CpuSet.js';
import type { ObjectType, Topology } from '../topology/Topology.js';
import type { Place, Policy } from './Place.js';
import type { PlacementRequest } from './PlacementRequest.js';
import type { resolvePlacement } from './resolve.js';
import { describeWhere, planView } from './PlanView.js';
import { compact } from './compact.js';
import { cores } from './cores.js';
import { domains } from './domains.js';
import { PlacementError } from './errors.js';
import { explicitList } from './explicitList.js';
import { performanceFirst } from './performanceFirst.js';
import { roundRobin } from './roundRobin.js';
import { spread } from './spread.js';

/**
 * Every placement policy, by name.
 *
 * @example
 * ```ts
 * import { POLICY_NAMES } from 'corepin';
 * console.log(`--policy: one of ${POLICY_NAMES.join(', ')}`);
 * ```
 */
export const POLICY_NAMES = ['round-robin', 'compact', 'spread', 'cores', 'l3', 'numa', 'package', 'performance-first', 'list'] as const;

/**
 * A placement policy:
 * - `round-robin`: slot i → the i-th usable CPU in number order (the classic recipe, over usable CPUs only);
 * - `compact`: one PU per slot, adjacent PUs first (a core's threads, then the next core, …);
 * - `spread`: one PU per slot, spread over packages, NUMA nodes, L3 domains and cores before two
 *   slots share a core (hwloc-distrib / OpenMP `spread`);
 * - `cores`: one whole core (all its usable threads) per slot;
 * - `l3` / `numa` / `package`: one whole domain per slot;
 * - `performance-first`: one PU per slot, performance cores first on hybrid machines;
 * - `list`: the CPU sets given in `options.list`, one per slot.
 *
 * @example
 * ```ts
 * import { Pool, type PolicyName } from 'corepin';
 * const policy: PolicyName = 'cores';
 * const pool = new Pool({ module: new URL('./work.js', import.meta.url), placement: policy });
 * ```
 */
export type PolicyName = (typeof POLICY_NAMES)[number];

/**
 * Options of `plan()`. All optional; defaults in brackets.
 *
 * @example
 * ```ts
 * import { plan, readTopology, type PlanOptions } from 'corepin';
 * const options: PlanOptions = { reserve: '0', smt: false }; // keep CPU 0 free, one thread per core
 * plan(readTopology(), 4, 'spread', options);
 * ```
 */
export interface PlanOptions {
  /** CPUs kept free (e.g. for the main thread): a CpuSet, a CPU list or a location. [none] */
  readonly reserve?: CpuSet | string;
  /**
   * `false`: use only the first usable thread of each core, so no slot shares a core with another
   * SMT thread corepin hands out. Applied before `reserve`. [true]
   */
  readonly smt?: boolean;
  /**
   * Isolated CPUs (isolcpus, nohz_full) are not load-balanced, so a worker allowed on several stays
   * on one. `false`: leave them out. `true`: use only them, exactly one CPU per slot, never a span
   * (in the policy's order). [false]
   */
  readonly isolated?: boolean;
  /** For policy `list`: one CPU set (CpuSet, CPU list or location) per slot. */
  readonly list?: readonly (CpuSet | string)[];
}

/**
 * A topology object by type and logical index: the one a plan's slot was given.
 *
 * @example
 * ```ts
 * import { plan, readTopology, type ObjectRef } from 'corepin';
 * const got: ObjectRef = plan(readTopology(), 2, 'cores').slots[0]!.object; // { type: 'core', index: 0 }
 * ```
 */
export interface ObjectRef {
  /** `pu`, `core`, `l3`, `numa`, `package`, `machine`, or `list` for an explicit set. */
  readonly type: ObjectType | 'list';
  /** Logical index of the object (item index for `list`). */
  readonly index: number;
}

/**
 * What a plan says about one slot: the CPUs every worker that lives in it will be pinned to, and
 * where and why. (The pool's own slot, which holds the worker, is internal.)
 *
 * @example
 * ```ts
 * import { plan, readTopology, type PlanSlot } from 'corepin';
 * const slots: readonly PlanSlot[] = plan(readTopology(), 4, 'spread').slots;
 * for (const s of slots) console.log(s.slot, s.cpus.toList(), s.where, s.reason);
 * ```
 */
export interface PlanSlot {
  /** Slot number, 0 … workers-1. */
  readonly slot: number;
  /** Its CPUs (never empty, always usable). */
  readonly cpus: CpuSet;
  /** The object it got. */
  readonly object: ObjectRef;
  /** Where that is, outermost first, e.g. `package 0 · NUMA 1 · L3 2 · core 5`. */
  readonly where: string;
  /** Why this slot got it. */
  readonly reason: string;
  /** The slot shares its place with an earlier slot because there were more workers than places. */
  readonly wrapped: boolean;
}

/**
 * Result of `plan()`: where a policy puts each of `workers` slots, with the reasons. (A placement is
 * what is asked for — {@link PlacementRequest} — and {@link resolvePlacement} turns it into a plan.)
 *
 * @example
 * ```ts
 * import { plan, readTopology, type Plan } from 'corepin';
 * const p: Plan = plan(readTopology(), 8, 'cores');
 * console.log(p.places, p.usable.toList(), p.slots.filter((s) => s.wrapped).length);
 * ```
 */
export interface Plan {
  /** The policy that placed the slots. */
  readonly policy: PolicyName;
  /** How many slots were asked for. */
  readonly workers: number;
  /** One entry per worker slot. */
  readonly slots: readonly PlanSlot[];
  /** The CPUs the policy could use: usable, after `smt` and `reserve`. */
  readonly usable: CpuSet;
  /** The CPUs kept free by `reserve`. */
  readonly reserved: CpuSet;
  /** How many distinct places the policy had; slots beyond it wrap around. */
  readonly places: number;
}

/**
 * @deprecated Renamed {@link Plan} (a placement is the request; a plan is what `plan()` returns).
 *
 * @example
 * ```ts
 * import { plan, readTopology, type Plan } from 'corepin';
 * const p: Plan = plan(readTopology(), 4, 'cores'); // was: const p: Placement = …
 * ```
 */
export type Placement = Plan;

/**
 * @deprecated Renamed {@link PlanSlot}.
 *
 * @example
 * ```ts
 * import { plan, readTopology, type PlanSlot } from 'corepin';
 * const first: PlanSlot = plan(readTopology(), 4, 'cores').slots[0]!; // was: PlacementSlot
 * ```
 */
export type PlacementSlot = PlanSlot;

/**
 * @deprecated Renamed {@link PlanOptions}.
 *
 * @example
 * ```ts
 * import { plan, readTopology, type PlanOptions } from 'corepin';
 * const options: PlanOptions = { reserve: '0' }; // was: PlacementOptions
 * plan(readTopology(), 4, 'spread', options);
 * ```
 */
export type PlacementOptions = PlanOptions;

/**
 * @deprecated Renamed {@link ObjectRef}.
 *
 * @example
 * ```ts
 * import { plan, readTopology, type ObjectRef } from 'corepin';
 * const got: ObjectRef = plan(readTopology(), 2, 'cores').slots[0]!.object; // was: PlacedObject
 * ```
 */
export type PlacedObject = ObjectRef;

const POLICIES: Record<PolicyName, Policy> = {
  'round-robin': roundRobin,
  compact,
  spread,
  cores,
  l3: domains('l3'),
  numa: domains('numa'),
  package: domains('package'),
  'performance-first': performanceFirst,
  list: explicitList,
};

/** Isolated CPUs are not load-balanced: each place becomes its CPUs one by one, in the policy's order. */
function onePuEach(topology: Topology, places: Place[]): Place[] {
  const seen = new Set<number>();
  const out: Place[] = [];
  for (const p of places) {
    for (const cpu of p.cpus) {
      if (seen.has(cpu)) continue;
      seen.add(cpu);
      out.push({ cpus: CpuSet.of(cpu), object: { type: 'pu', index: topology.pu(cpu)?.index ?? cpu }, reason: `isolated CPU ${cpu}: one per worker, the scheduler does not move work off it (${p.reason})` });
    }
  }
  return out;
}

/**
 * Whether `name` is a policy name.
 *
 * @example
 * ```ts
 * import { isPolicyName, plan, readTopology } from 'corepin';
 * const wanted = process.argv[2] ?? 'spread';
 * if (isPolicyName(wanted)) plan(readTopology(), 4, wanted);
 * ```
 */
export function isPolicyName(name: string): name is PolicyName {
  return (POLICY_NAMES as readonly string[]).includes(name);
}

/**
 * Decides where each of `workers` slots goes. Pure: the same topology, count, policy and options
 * always give the same placement.
 *
 * Wrap-around rule: a policy yields an ordered list of places (PUs, cores, domains …); slot i gets
 * place i mod (number of places). Slots past the number of places are marked `wrapped` and share
 * their place with slot i mod places.
 *
 * @example
 * const p = plan(readTopology(), 4, 'cores', { reserve: '0' });
 * p.slots.map((s) => s.cpus.toList());   // e.g. ['1,17', '2,18', '3,19', '4,20'] — core 0 kept for the main thread
 * @throws {PlacementError} for a bad worker count, unknown policy, no usable CPU left, or a bad list.
 * @throws {LocationError} when `reserve` or a list item is a location this machine does not have.
 */
export function plan(topology: Topology, workers: number, policy: PolicyName, options: PlanOptions = {}): Plan {
  if (!Number.isInteger(workers) || workers < 1) {
    throw new PlacementError(`cannot place ${String(workers)} workers: give a whole number of at least 1`);
  }
  if (!isPolicyName(policy)) {
    throw new PlacementError(`unknown placement policy ${JSON.stringify(policy)}; choose one of ${POLICY_NAMES.join(', ')}`);
  }
  const view = planView(topology, options);
  const places = options.isolated === true ? onePuEach(view.topology, POLICIES[policy](view, workers, options)) : POLICIES[policy](view, workers, options);
  if (places.length === 0) throw new PlacementError(`policy ${policy} found no place among usable CPUs ${view.usable.toList()}`);
  const slots: PlanSlot[] = [];
  for (let i = 0; i < workers; i++) {
    const place = places[i % places.length]!;
    const wrapped = i >= places.length;
    slots.push({
      slot: i,
      cpus: place.cpus,
      object: place.object,
      where: describeWhere(topology, place.cpus),
      reason: wrapped ? `${place.reason}; wraps around: ${workers} workers > ${places.length} places, shares with slot ${i % places.length}` : place.reason,
      wrapped,
    });
  }
  return { policy, workers, slots, usable: view.usable, reserved: view.reserved, places: places.length };
}
