import type { CpuSet } from '../cpuset/CpuSet.js';
import type { PlanOptions, PolicyName } from '../placement/plan.js';
import type { Binding } from '../pool/PoolOptions.js';

/**
 * Where the slots of an adapted pool go, as for `new Pool({ placement })`: a policy name, a
 * location or CPU list that the pool's slots stay within (`'core:0-1'`, `'2-5'`, spread), one CPU set
 * per slot, or a policy with its options.
 *
 * @example
 * ```ts
 * import { pinPiscina, type AdapterPlacement } from 'corepin/piscina';
 * const placement: AdapterPlacement = { policy: 'cores', reserve: '0' }; // or 'spread', 'core:0-3', ['0', '1']
 * const pinned = pinPiscina({ filename: '/srv/task.js' }, { placement });
 * ```
 */
export type AdapterPlacement =
  | PolicyName
  | (string & {})
  | readonly (CpuSet | string)[]
  | ({
      /** The policy. */
      readonly policy: PolicyName;
    } & Pick<PlanOptions, 'reserve' | 'smt'>);

/**
 * Options of `pinPiscina` and `pinTinypool`. The defaults are in brackets.
 *
 * @example
 * ```ts
 * import { pinTinypool, type PinningOptions } from 'corepin/tinypool';
 * const pinning: PinningOptions = { placement: 'spread', leaseTimeout: 30_000 };
 * const pinned = pinTinypool({ filename: '/srv/task.js', maxThreads: 4 }, pinning);
 * ```
 */
export interface PinningOptions {
  /** Where the slots go. ['spread'] */
  readonly placement?: AdapterPlacement;
  /** How long a starting worker waits for a slot to come free (its predecessor still exiting), in ms. [10000] */
  readonly leaseTimeout?: number;
}

/**
 * A pool's options rewritten so that every worker it starts pins itself to a free slot, and the
 * report of where the workers are.
 *
 * @typeParam O - the pool's own options type.
 *
 * @example
 * ```ts
 * import { Piscina } from 'piscina';
 * import { pinPiscina, type PinnedPool, type PiscinaOptions } from 'corepin/piscina';
 * const pinned: PinnedPool<PiscinaOptions> = pinPiscina({ filename: '/srv/task.js', maxThreads: 2 });
 * const pool = new Piscina(pinned.options);
 * console.log(pinned.slots.map((s) => s.toList()), pinned.bindings());
 * ```
 */
export interface PinnedPool<O> {
  /** The options to give the pool's constructor. */
  readonly options: O;
  /** The CPUs of each slot, by slot number. */
  readonly slots: readonly CpuSet[];
  /**
   * Each slot's worker now, read from /proc: `tid` null when no live worker holds the slot;
   * `verified` when that thread's `Cpus_allowed_list` is inside the slot's CPUs.
   */
  bindings(): Binding[];
  /** Stops answering workers that start later (call it after the pool is destroyed). */
  close(): void;
}
