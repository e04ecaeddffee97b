import { CorepinError } from '../errors.js';

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
export class TopologyUnavailableError extends CorepinError {
  /** The directory that was searched. */
  readonly dir: string;
  constructor(dir: string) {
    super(
      'ERR_NO_TOPOLOGY',
      `no CPU topology under ${dir}: expected a sys/devices/system/cpu directory with cpu0, cpu1 …; ` +
        `pass --fsroot DIR pointing at a copy of / (or use --synthetic SPEC)`,
    );
    this.dir = dir;
  }
}
