import type { CpuSet } from '../cpuset/CpuSet.js';
import type { PolicyName } from './plan.js';

/**
 * A policy with its options: the object form of a {@link PlacementRequest}.
 *
 * @example
 * ```ts
 * import { Pool, type PolicyRequest } from 'corepin';
 * const request: PolicyRequest = { policy: 'cores', within: 'numa:0', reserve: 'core:0' };
 * const pool = new Pool({ module: new URL('./work.js', import.meta.url), placement: request });
 * ```
 */
export interface PolicyRequest {
  /** The policy; `'none'` leaves the slots unpinned (or each on all of `within`, when given). */
  readonly policy: PolicyName | 'none';
  /**
   * Only these CPUs (a CpuSet, a CPU list or a location such as `core:0-3`, `numa:1`), intersected
   * with the usable CPUs each time the request is resolved, so the pool stays inside them after a
   * cpuset change too. [every usable CPU]
   */
  readonly within?: CpuSet | string;
  /** CPUs kept free, as in `plan()`. [none] */
  readonly reserve?: CpuSet | string;
  /** `false`: one thread per core, as in `plan()`. [true] */
  readonly smt?: boolean;
  /**
   * `true`: place only on isolated CPUs (isolcpus, nohz_full), exactly one CPU per slot, never a
   * span; without it isolated CPUs are left out (unless every usable CPU is isolated). [false]
   */
  readonly isolated?: boolean;
  /** For policy `list`: one CPU set (CpuSet, CPU list or location) per slot, as in `plan()`. */
  readonly list?: readonly (CpuSet | string)[];
}

/**
 * What a pool (or `corepin map`, `exec`, `worker`, `plan`, `demo`) asks of placement, resolved by
 * {@link resolvePlacement} against one topology — again after every cpuset change, so a policy
 * stays that policy:
 * - a policy name (`'spread'`, `'compact'`, `'cores'`, `'round-robin'`, `'l3'`, `'numa'`, `'package'`,
 *   `'performance-first'`);
 * - a {@link PolicyRequest} `{ policy, within, reserve, smt, isolated }`;
 * - a location or CPU list (`'core:0-1'`, `'numa:1'`, `'2-5'`): `{ policy: 'spread', within }`;
 * - a list of CPU sets or location strings, one per slot (cycled if there are more slots);
 * - a function `(slot, usable) => cpus` for full control (`usable`: the topology's usable CPUs);
 * - `'none'`: no pinning at all.
 *
 * @example
 * ```ts
 * import { resolvePlacement, readTopology, type PlacementRequest } from 'corepin';
 * const requests: PlacementRequest[] = ['spread', 'core:0-3', ['0', '1'], { policy: 'cores', smt: false }, (slot) => [slot * 2]];
 * resolvePlacement(requests[1], readTopology()).slots;
 * ```
 */
export type PlacementRequest =
  | PolicyName
  | 'none'
  | (string & {})
  | PolicyRequest
  | readonly (CpuSet | string)[]
  | ((slot: number, usable: CpuSet) => CpuSet | string | Iterable<number>);
