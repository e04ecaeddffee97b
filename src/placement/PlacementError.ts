import { CorepinError } from '../errors.js';

/** A placement cannot be made as asked (no usable CPU left, bad worker count, unknown policy, bad list). */
export class PlacementError extends CorepinError {
  constructor(message: string) {
    super('ERR_PLACEMENT', message);
  }
}
