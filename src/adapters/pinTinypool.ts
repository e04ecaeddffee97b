/**
 * `corepin/tinypool`: pin the workers of a tinypool pool, one slot each.
 * @packageDocumentation
 */
import type { Tinypool } from 'tinypool';
import type { PinnedPool, PinningOptions } from './PinnedPool.js';
import { PinnedPoolOptionsError } from './errors.js';
import { pinPoolOptions } from './pinPoolOptions.js';

export type { PinnedPool, PinningOptions, AdapterPlacement } from './PinnedPool.js';
export { NoFreeSlotError, PinnedPoolOptionsError } from './errors.js';

/**
 * The options of `new Tinypool()`.
 *
 * @example
 * ```ts
 * import { pinTinypool, type TinypoolOptions } from 'corepin/tinypool';
 * const options: TinypoolOptions = { filename: '/srv/task.js', maxThreads: 4, isolateWorkers: true };
 * const pinned = pinTinypool(options, { placement: 'spread' });
 * ```
 */
export type TinypoolOptions = NonNullable<ConstructorParameters<typeof Tinypool>[0]>;

/**
 * Rewrites tinypool options so that every worker the pool starts — first, recycled (`isolateWorkers`,
 * `maxMemoryLimitBeforeRecycle`) or replacement after a crash — leases a free slot of a corepin
 * placement, pins its thread to the slot's CPUs, then loads your `filename`. Two live workers never
 * share a slot; a slot returns when its worker's thread exits.
 *
 * `maxThreads` becomes the slot count (yours, or one slot per place of the placement), `minThreads`
 * is capped at it (default: all slots). `filename` is required. Worker threads only: the
 * `child_process` runtime is refused (a shared slot table needs shared memory).
 *
 * @param options - your tinypool options; not changed.
 * @param pinning - where the slots go. [spread over this machine's usable CPUs]
 * @throws {PinnedPoolOptionsError | PlacementError | LocationError}
 *
 * @example
 * ```ts
 * import Tinypool from 'tinypool';
 * import { pinTinypool } from 'corepin/tinypool';
 *
 * const pinned = pinTinypool({ filename: new URL('./task.js', import.meta.url).href, isolateWorkers: true }, { placement: 'spread' });
 * const pool = new Tinypool(pinned.options);
 * await pool.run(21);
 * console.log(pinned.bindings().filter((b) => b.verified).length); // workers alive and on their slot's CPUs
 * await pool.destroy();
 * pinned.close();
 * ```
 */
export function pinTinypool(options: TinypoolOptions, pinning?: PinningOptions): PinnedPool<TinypoolOptions> {
  if (options.runtime === 'child_process') {
    throw new PinnedPoolOptionsError("tinypool runtime 'child_process' cannot be pinned by corepin/tinypool (slots live in shared memory); use runtime 'worker_threads', or corepin's Pool with kind 'process'");
  }
  return pinPoolOptions('tinypool', options, pinning);
}
