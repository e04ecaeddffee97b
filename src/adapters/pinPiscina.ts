/**
 * `corepin/piscina`: pin the workers of a piscina pool, one slot each.
 * @packageDocumentation
 */
import type { Piscina } from 'piscina';
import type { PinnedPool, PinningOptions } from './PinnedPool.js';
import { pinPoolOptions } from './pinPoolOptions.js';

export type { PinnedPool, PinningOptions, AdapterPlacement } from './PinnedPool.js';
export { NoFreeSlotError, PinnedPoolOptionsError } from './errors.js';

/**
 * The options of `new Piscina()`.
 *
 * @example
 * ```ts
 * import { pinPiscina, type PiscinaOptions } from 'corepin/piscina';
 * const options: PiscinaOptions = { filename: '/srv/task.js', maxThreads: 4, idleTimeout: 1_000 };
 * const pinned = pinPiscina(options, { placement: 'cores' });
 * ```
 */
export type PiscinaOptions = NonNullable<ConstructorParameters<typeof Piscina>[0]>;

/**
 * Rewrites piscina options so that every worker the pool starts — first, replacement after a crash,
 * or fresh one under `isolateWorkers` — leases a free slot of a corepin placement, pins its thread to
 * the slot's CPUs, then loads your `filename`. Two live workers never share a slot; a slot returns
 * when its worker's thread exits.
 *
 * `maxThreads` becomes the slot count (yours, or one slot per place of the placement), `minThreads`
 * is capped at it (default: all slots). `filename` is required (per-task filenames run in a pinned
 * worker only after it loaded the pool's). Worker threads only.
 *
 * @param options - your piscina options; not changed.
 * @param pinning - where the slots go. [spread over this machine's usable CPUs]
 * @throws {PinnedPoolOptionsError | PlacementError | LocationError}
 *
 * @example
 * ```ts
 * import { Piscina } from 'piscina';
 * import { pinPiscina } from 'corepin/piscina';
 *
 * const pinned = pinPiscina({ filename: new URL('./task.js', import.meta.url).href, maxThreads: 2 }, { placement: 'cores' });
 * const pool = new Piscina(pinned.options);
 * await pool.run(21);
 * console.log(pinned.bindings()); // [{ slot: 0, pid, tid, cpus: CpuSet(0), verified: true }, …]
 * await pool.destroy();
 * pinned.close();
 * ```
 */
export function pinPiscina(options: PiscinaOptions, pinning?: PinningOptions): PinnedPool<PiscinaOptions> {
  const env = options.env;
  const shape = { ...options, env: env as unknown, filename: options.filename ?? null };
  return pinPoolOptions('piscina', shape, pinning) as unknown as PinnedPool<PiscinaOptions>;
}
