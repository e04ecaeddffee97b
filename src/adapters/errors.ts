import { CorepinError } from '../CorepinError.js';

// The piscina / tinypool adapters' errors.

/**
 * Pool options that a pinned pool cannot honour (e.g. no `filename`, or a child-process runtime).
 *
 * @example
 * ```ts
 * import { pinTinypool, PinnedPoolOptionsError } from 'corepin/tinypool';
 * try {
 *   pinTinypool({ filename: '/srv/task.js', runtime: 'child_process' });
 * } catch (err) {
 *   if (err instanceof PinnedPoolOptionsError) console.error(err.message); // code 'ERR_PINNED_POOL_OPTIONS'
 * }
 * ```
 */
export class PinnedPoolOptionsError extends CorepinError<'ERR_PINNED_POOL_OPTIONS'> {
  constructor(message: string) {
    super('ERR_PINNED_POOL_OPTIONS', message);
  }
}

/**
 * A worker of a pinned piscina / tinypool pool found no free slot within `leaseTimeout`: every slot's
 * worker is still alive (the pool has more threads than slots). The worker fails to start.
 *
 * @example
 * ```ts
 * import Piscina from 'piscina';
 * import { pinPiscina, NoFreeSlotError } from 'corepin/piscina';
 * const pool = new Piscina(pinPiscina({ filename: new URL('./work.js', import.meta.url).href, maxThreads: 4 }));
 * await pool.run(1).catch((err) => console.log(err instanceof NoFreeSlotError || err.code === 'ERR_NO_FREE_SLOT'));
 * ```
 */
export class NoFreeSlotError extends CorepinError<'ERR_NO_FREE_SLOT'> {
  constructor(tid: number, slots: number, timeout: number) {
    super(
      'ERR_NO_FREE_SLOT',
      `pinned worker (tid ${tid}) found no free slot among ${slots} within ${timeout} ms; every slot's worker is still alive (raise leaseTimeout, or give the pool no more threads than slots)`,
    );
  }
}
