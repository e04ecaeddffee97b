import type { CpuSet } from '../cpuset/CpuSet.js';
import type { ObjectType } from '../topology/Topology.js';

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
 * import { plan, readTopology, type PlacementOptions } from 'corepin';
 * const options: PlacementOptions = { reserve: '0', smt: false }; // keep CPU 0 free, one thread per core
 * plan(readTopology(), 4, 'spread', options);
 * ```
 */
export interface PlacementOptions {
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
 * Which topology object a slot was given.
 *
 * @example
 * ```ts
 * import { plan, readTopology, type PlacedObject } from 'corepin';
 * const got: PlacedObject = plan(readTopology(), 2, 'cores').slots[0]!.object; // { type: 'core', index: 0 }
 * ```
 */
export interface PlacedObject {
  /** `pu`, `core`, `l3`, `numa`, `package`, `machine`, or `list` for an explicit set. */
  readonly type: ObjectType | 'list';
  /** Logical index of the object (item index for `list`). */
  readonly index: number;
}

/**
 * One slot of a placement: the CPUs every worker that lives in it will be pinned to. (The pool's own
 * slot, which holds the worker, is internal; this is what a plan says about it.)
 *
 * @example
 * ```ts
 * import { plan, readTopology, type PlacementSlot } from 'corepin';
 * const slots: readonly PlacementSlot[] = plan(readTopology(), 4, 'spread').slots;
 * for (const s of slots) console.log(s.slot, s.cpus.toList(), s.where, s.reason);
 * ```
 */
export interface PlacementSlot {
  /** Slot number, 0 … workers-1. */
  readonly slot: number;
  /** Its CPUs (never empty, always usable). */
  readonly cpus: CpuSet;
  /** The object it got. */
  readonly object: PlacedObject;
  /** Where that is, outermost first, e.g. `package 0 · NUMA 1 · L3 2 · core 5`. */
  readonly where: string;
  /** Why this slot got it. */
  readonly reason: string;
  /** The slot shares its place with an earlier slot because there were more workers than places. */
  readonly wrapped: boolean;
}

/**
 * Result of `plan()`.
 *
 * @example
 * ```ts
 * import { plan, readTopology, type Placement } from 'corepin';
 * const p: Placement = plan(readTopology(), 8, 'cores');
 * console.log(p.places, p.usable.toList(), p.slots.filter((s) => s.wrapped).length);
 * ```
 */
export interface Placement {
  /** The policy that placed the slots. */
  readonly policy: PolicyName;
  /** How many slots were asked for. */
  readonly workers: number;
  /** One entry per worker slot. */
  readonly slots: readonly PlacementSlot[];
  /** The CPUs the policy could use: usable, after `smt` and `reserve`. */
  readonly usable: CpuSet;
  /** The CPUs kept free by `reserve`. */
  readonly reserved: CpuSet;
  /** How many distinct places the policy had; slots beyond it wrap around. */
  readonly places: number;
}
