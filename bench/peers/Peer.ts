/** Which kind of worker a pool runs: worker_threads or child processes. */
export type PoolKind = 'thread' | 'process';

/** The tasks every peer's workers can run by name (bench/tasks/taskModule.ts and the registrations). */
export type TaskName = 'noop' | 'noopChunk' | 'whoami' | 'cacheWalk' | 'spin' | 'size';

/** How the harness asks a peer for a pool. */
export interface PoolRequest {
  /** Worker count (2 on the reference machine, as the issues ask). */
  readonly workers: number;
  /** Pin workers to cores; only peers with `supports.pinning` honour it. */
  readonly pinned: boolean;
  /** Replace a worker after this many tasks (1 = one task per worker); needs `supports.recycling`. */
  readonly maxTasksPerChild?: number;
  /** corepin process pools only: `'advanced'` (structured clone) instead of the default JSON. */
  readonly serialization?: 'json' | 'advanced';
}

/**
 * One live pool of a Node peer, seen through the smallest common surface. `map` and `imap` exist only
 * where the library has them; the harness emulates `map` with chunked `apply` otherwise.
 */
export interface BenchPool {
  /** Runs one task on a worker and resolves with its result. */
  apply(task: TaskName, arg: unknown): Promise<unknown>;
  /** `apply` moving `arg` to the worker (transfer list) instead of copying it; only pools that can transfer. */
  applyTransfer?(task: TaskName, arg: ArrayBuffer): Promise<unknown>;
  /** The library's own map with its automatic chunk size (corepin only). */
  map?(task: TaskName, items: readonly unknown[]): Promise<unknown[]>;
  /** The library's own lazy, ordered imap with a chunk size (corepin only). */
  imap?(task: TaskName, items: Iterable<unknown>, chunksize: number): AsyncIterable<unknown>;
  /** Waits for accepted work, then stops every worker. */
  close(): Promise<void>;
}

/** A Node pool library (or one kind of it) that the suite compares. */
export interface Peer {
  /** Stable id used in JSON and tables, e.g. `tinypool-process`. */
  readonly id: string;
  /** Column label, e.g. `tinypool (process)`. */
  readonly label: string;
  readonly kind: PoolKind;
  readonly supports: {
    /** Can place workers on cores (only corepin). */
    readonly pinning: boolean;
    /** Can replace a worker after N tasks (corepin maxTasksPerChild, tinypool isolateWorkers for N=1). */
    readonly recycling: boolean;
  };
  /** Why this peer cannot run here, or null when it can. */
  unavailable(): Promise<string | null>;
  /** Starts a pool; resolves as soon as the library returns it (workers may still be starting). */
  create(request: PoolRequest): Promise<BenchPool>;
}
