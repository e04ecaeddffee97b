import { CorepinError } from '../errors.js';

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
export class SyntheticSpecError extends CorepinError {
  /** The whole spec. */
  readonly spec: string;
  /** The token at fault. */
  readonly token: string;
  constructor(spec: string, token: string, why: string) {
    super(
      'ERR_SYNTHETIC_SPEC',
      `bad synthetic topology ${JSON.stringify(spec)}: ${JSON.stringify(token)} ${why}; ` +
        `write it like "package:2 numa:2 l3:2 core:4 pu:2" (levels package die numa l3 l2 core pu, ` +
        `options online:LIST allowed:LIST isolated:LIST numbering:linear|split)`,
    );
    this.spec = spec;
    this.token = token;
  }
}
