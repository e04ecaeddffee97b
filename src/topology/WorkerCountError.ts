import { CorepinError } from '../errors.js';

/**
 * A worker count override (`COREPIN_WORKERS`, `workers`, `--workers`) that is not a whole number ≥ 1.
 *
 * @example
 * ```ts
 * import { capacity, WorkerCountError } from 'corepin';
 * try { capacity({ env: { COREPIN_WORKERS: 'many' } }); } catch (err) { if (err instanceof WorkerCountError) console.error(err.message); }
 * ```
 */
export class WorkerCountError extends CorepinError {
  /** Where the value came from, e.g. `COREPIN_WORKERS`. */
  readonly origin: string;
  /** The value as given. */
  readonly value: string;
  constructor(origin: string, value: string) {
    super('ERR_WORKER_COUNT', `${origin}=${JSON.stringify(value)} is not a worker count: give a whole number of at least 1 (or unset it for the default)`);
    this.origin = origin;
    this.value = value;
  }
}
