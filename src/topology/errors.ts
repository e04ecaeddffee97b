import { CorepinError } from '../CorepinError.js';

// The topology layer's errors: no sysfs to read, a bad synthetic spec or location, a bad worker count.

/**
 * The root directory has no CPU topology to read (wrong `--fsroot`, or not Linux).
 *
 * @example
 * ```ts
 * import { readTopology, TopologyUnavailableError } from 'corepin';
 * try {
 *   readTopology('/nonexistent');
 * } catch (err) {
 *   if (err instanceof TopologyUnavailableError) console.error(err.message); // code 'ERR_NO_TOPOLOGY'
 * }
 * ```
 */
export class TopologyUnavailableError extends CorepinError<'ERR_NO_TOPOLOGY'> {
  constructor(
    /** The directory that was searched. */
    readonly dir: string,
  ) {
    super(
      'ERR_NO_TOPOLOGY',
      `no CPU topology under ${dir}: expected a sys/devices/system/cpu directory with cpu0, cpu1 …; ` +
        `pass --fsroot DIR pointing at a copy of / (or use --synthetic SPEC)`,
    );
  }
}

/**
 * A synthetic topology spec such as `package:2 numa:2 l3:2 core:4 pu:2` could not be understood.
 *
 * @example
 * ```ts
 * import { syntheticTopology, SyntheticSpecError } from 'corepin';
 * try {
 *   syntheticTopology('core:two');
 * } catch (err) {
 *   if (err instanceof SyntheticSpecError) console.error(err.message); // code 'ERR_SYNTHETIC_SPEC'
 * }
 * ```
 */
export class SyntheticSpecError extends CorepinError<'ERR_SYNTHETIC_SPEC'> {
  constructor(
    /** The whole spec. */
    readonly spec: string,
    /** The token at fault. */
    readonly token: string,
    why: string,
  ) {
    super(
      'ERR_SYNTHETIC_SPEC',
      `bad synthetic topology ${JSON.stringify(spec)}: ${JSON.stringify(token)} ${why}; ` +
        `write it like "package:2 numa:2 l3:2 core:4 pu:2" (levels package die numa l3 l2 core pu, ` +
        `options online:LIST allowed:LIST isolated:LIST numbering:linear|split)`,
    );
  }
}

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
export class LocationError extends CorepinError<'ERR_LOCATION'> {
  constructor(
    /** The whole location text. */
    readonly input: string,
    /** The part at fault, e.g. `core:9`. */
    readonly token: string,
    why: string,
  ) {
    super('ERR_LOCATION', `bad location ${JSON.stringify(input)}: ${token === input ? '' : `${JSON.stringify(token)} `}${why}`);
  }
}

/**
 * A worker count override (`COREPIN_WORKERS`, `workers`, `--workers`) that is not a whole number ≥ 1.
 *
 * @example
 * ```ts
 * import { capacity, WorkerCountError } from 'corepin';
 * try { capacity({ env: { COREPIN_WORKERS: 'many' } }); } catch (err) { if (err instanceof WorkerCountError) console.error(err.message); }
 * ```
 */
export class WorkerCountError extends CorepinError<'ERR_WORKER_COUNT'> {
  constructor(
    /** Where the value came from, e.g. `COREPIN_WORKERS`. */
    readonly origin: string,
    /** The value as given. */
    readonly value: string,
  ) {
    super('ERR_WORKER_COUNT', `${origin}=${JSON.stringify(value)} is not a worker count: give a whole number of at least 1 (or unset it for the default)`);
  }
}
