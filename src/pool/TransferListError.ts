import { CorepinError } from '../CorepinError.js';

/**
 * A list of ArrayBuffers to move (apply's `transfer`, or `move()` in a task) that cannot be moved:
 * not an array, an entry that is not an ArrayBuffer (a typed array, a SharedArrayBuffer …), a buffer
 * listed twice, one already detached (moved before), one not reachable from what is sent, or — on a
 * process pool with `serialization: 'json'` — any list at all (JSON cannot carry bytes). Nothing was
 * moved; the pool goes on. `index` is the offending entry's place in the list (-1: the list itself).
 *
 * @example
 * ```ts
 * import { Pool, TransferListError } from 'corepin';
 * await using pool = new Pool({ module: new URL('./work.js', import.meta.url), kind: 'thread' });
 * const bytes = new Uint8Array(1024);
 * await pool.apply('hash', [bytes], { transfer: [bytes as never] }).catch((err) => {
 *   if (err instanceof TransferListError) console.log(err.code, err.index); // 'ERR_POOL_TRANSFER_LIST' 0: list bytes.buffer
 * });
 * ```
 */
export class TransferListError extends CorepinError<'ERR_POOL_TRANSFER_LIST'> {
  constructor(
    /** The offending entry's index in the list, or -1 for the list as a whole. */
    readonly index: number,
    message: string,
  ) {
    super('ERR_POOL_TRANSFER_LIST', message);
  }
}
