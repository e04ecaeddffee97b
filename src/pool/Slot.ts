import type { CpuSet } from '../cpuset/CpuSet.js';
import type { PoolWorker } from './PoolWorker.js';

/**
 * One of the pool's slots: it owns CPUs, not its workers. Placement gives it its set once; every worker that ever
 * lives in it — first, recycled, or replacing one that crashed — is pinned to that set. The set
 * changes only when the usable CPUs do (cpuset rewritten, CPU offline): see replanSlots.
 */
export class Slot {
  /** The worker that takes new tasks, or null while none is started. */
  current: PoolWorker | null = null;
  /** Every live worker of the slot: the current one and any retiring ones finishing their tasks. */
  readonly workers = new Set<PoolWorker>();
  /** Workers in a row that died before running a task (any cause). */
  startupAttempts = 0;
  /**
   * Of those, the deterministic failures the worker itself reported (import, missing export,
   * initializer threw or exited, pin refused): only these can stop the pool (maxStartupFailures).
   */
  startupFailures = 0;
  /** Deaths while starting that nobody explained (a signal from outside): retried with backoff. */
  startupRetries = 0;
  /** The pending delayed start after such a death. */
  retryTimer: NodeJS.Timeout | null = null;

  constructor(
    readonly index: number,
    /** The slot's CPUs, or null for placement `'none'`. */
    public cpus: CpuSet | null,
  ) {}
}
