import type { CpuSet } from '../cpuset/CpuSet.js';
import type { PoolWorker } from './PoolWorker.js';

/**
 * A place in the pool that owns CPUs. Placement gives it its set once; every worker that ever
 * lives in it — first, recycled, or replacing one that crashed — is pinned to that set. The set
 * changes only when the usable CPUs do (cpuset rewritten, CPU offline): see replanSlots.
 */
export class Slot {
  /** The worker that takes new tasks, or null while none is started. */
  current: PoolWorker | null = null;
  /** Every live worker of the slot: the current one and any retiring ones finishing their tasks. */
  readonly workers = new Set<PoolWorker>();
  /** Workers in a row that failed before running a task. */
  startupAttempts = 0;
  /**
   * The same, weighted: a worker that fails on its own counts 1; one killed by SIGKILL/SIGTERM counts
   * a quarter, since something outside may be killing workers at random (the pool must ride that
   * out) — yet a start that is always killed (say, by the OOM killer) still ends, later.
   */
  startupFailures = 0;

  constructor(
    readonly index: number,
    /** The slot's CPUs, or null for placement `'none'`. */
    public cpus: CpuSet | null,
  ) {}
}
