import { CorepinError } from '../CorepinError.js';

// The placement layer's errors.

/**
 * A placement cannot be made as asked (no usable CPU left, bad worker count, unknown policy, bad list).
 *
 * @example
 * ```ts
 * import { plan, readTopology, PlacementError } from 'corepin';
 * try {
 *   plan(readTopology(), 0, 'spread');
 * } catch (err) {
 *   if (err instanceof PlacementError) console.error(err.message); // code 'ERR_PLACEMENT'
 * }
 * ```
 */
export class PlacementError extends CorepinError<'ERR_PLACEMENT'> {
  constructor(message: string) {
    super('ERR_PLACEMENT', message);
  }
}
