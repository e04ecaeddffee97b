import { CorepinError } from '../errors.js';

/** Pool options that a pinned pool cannot honour (e.g. no `filename`, or a child-process runtime). */
export class PinnedPoolOptionsError extends CorepinError {
  constructor(message: string) {
    super('ERR_PINNED_POOL_OPTIONS', message);
  }
}
