import { CorepinError } from '../errors.js';

/**
 * A location such as `core:0-3` or `package:1.core:2` names no object of this machine: unknown type,
 * index out of range, or bad syntax. The message names the token and the valid range.
 *
 * @example
 * ```ts
 * import { readTopology, resolveLocation, LocationError } from 'corepin';
 * try {
 *   resolveLocation('core:99', readTopology());
 * } catch (err) {
 *   if (err instanceof LocationError) console.error(err.message); // code 'ERR_LOCATION', names the bad token
 * }
 * ```
 */
export class LocationError extends CorepinError {
  /** The whole location text. */
  readonly input: string;
  /** The part at fault, e.g. `core:9`. */
  readonly token: string;
  constructor(input: string, token: string, why: string) {
    super('ERR_LOCATION', `bad location ${JSON.stringify(input)}: ${token === input ? '' : `${JSON.stringify(token)} `}${why}`);
    this.input = input;
    this.token = token;
  }
}
