import { CorepinError } from '../CorepinError.js';

// The cpuset layer's errors.

/**
 * A CPU list or mask could not be parsed. `token` and `position` (0-based) name the bad part.
 *
 * @example
 * ```ts
 * import { CpuSet, CpuSetSyntaxError } from 'corepin';
 * try {
 *   CpuSet.parse('0-3,x');
 * } catch (err) {
 *   if (err instanceof CpuSetSyntaxError) console.log(err.token, err.position); // 'x' 4
 * }
 * ```
 */
export class CpuSetSyntaxError extends CorepinError<'ERR_CPUSET_SYNTAX'> {
  /** Whether the text was read as a `list` or a `mask` (taskset words its message by that). */
  readonly form: 'list' | 'mask';
  constructor(
    /** The text that was parsed. */
    readonly input: string,
    /** The part of it that is wrong. */
    readonly token: string,
    /** Where that part starts (0-based). */
    readonly position: number,
    why: string,
    form: 'list' | 'mask' = 'list',
  ) {
    const shown = input.length > 80 ? `${input.slice(0, 77)}...` : input;
    super(
      'ERR_CPUSET_SYNTAX',
      `failed to parse CPU ${form}: ${JSON.stringify(shown)}: ${why} at position ${position} (${JSON.stringify(token)}); ` +
        (form === 'mask' ? 'use a hex mask like 0xff, or -c with a list like 0-3,8' : 'use a list like 0-3,8,10-15:2 or a hex mask like 0xff'),
    );
    this.form = form;
  }
}
