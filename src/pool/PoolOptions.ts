import type { ResourceLimits } from 'node:worker_threads';
import type { CpuSet } from '../cpuset/CpuSet.js';
import type { PlacementRequest } from '../placement/PlacementRequest.js';
import type { Topology } from '../topology/Topology.js';
import type { SlotMove } from './replanSlots.js';
import type { BindingMode, MemoryMode, SchedClass } from '../launch/LaunchSettings.js';
import type { MemoryPlan } from '../launch/memoryPlan.js';

/**
 * Where the pool's slots go: a {@link PlacementRequest} — a policy name, `{ policy, within, reserve,
 * smt, isolated }`, a location string (`'core:0-1'`: spread inside it), one CPU set per slot, a
 * function `(slot, usable) => cpus`, or `'none'`. The pool resolves it once and keeps it: when the
 * usable CPUs change it resolves the same request again (`pool.placement`).
 *
 * @example
 * ```ts
 * import { Pool, type PoolPlacement } from 'corepin';
 * const placements: PoolPlacement[] = ['spread', 'core:0-3', ['0', '1'], { policy: 'cores', smt: false }, (slot) => [slot * 2]];
 * const pool = new Pool({ module: new URL('./work.js', import.meta.url), placement: placements[1] });
 * ```
 */
export type PoolPlacement = PlacementRequest;

/**
 * Options of `new Pool()`. Only `module` is required; the defaults are in brackets.
 *
 * @example
 * ```ts
 * import { Pool, type PoolOptions } from 'corepin';
 * const options: PoolOptions = { module: new URL('./work.js', import.meta.url), kind: 'thread', workers: 4, placement: 'cores', maxTasksPerChild: 100 };
 * await using pool = new Pool(options);
 * ```
 */
export interface PoolOptions {
  /** Task module: absolute path, path relative to the working directory, or file: URL. Tasks name its exports. */
  readonly module: string | URL;
  /** `'process'`: child processes, every thread pinned (like multiprocessing); `'thread'`: worker_threads. ['process'] */
  readonly kind?: 'process' | 'thread';
  /**
   * Number of slots (workers). [one per place the placement finds — usable PUs for `spread`, cores for
   * `cores`, domains for `l3`/`numa`/`package`, the list's length — capped by the CPU quota as in
   * `capacity()`; `COREPIN_WORKERS` overrides]
   */
  readonly workers?: number;
  /** Where each slot's worker runs. ['spread'] */
  readonly placement?: PoolPlacement;
  /**
   * Place only on isolated CPUs (isolcpus, nohz_full), exactly one CPU per slot, never a span: the
   * scheduler does not balance load across isolated CPUs, so a worker allowed on several would stay on
   * one. Without it, isolated CPUs are left out of placement (unless every usable CPU is isolated).
   * Applies to a policy or location placement. [false]
   */
  readonly isolated?: boolean;
  /**
   * The machine to place on, instead of reading this one's /sys: a topology you already read, or one
   * for tests and simulations. One read from sysfs (`readTopology(root)`) is followed: the pool reads
   * the usable CPUs under the same root every `cpuCheckInterval` and resolves its placement again when
   * they change; a synthetic one never changes. Workers are still pinned on this machine, so its CPU
   * numbers must exist here. [readTopology()]
   */
  readonly topology?: Topology;
  /** Replace a worker after it has run this many tasks (a map chunk counts as one, as in Python). Its successor starts when it is handed the last one, and gets tasks once it has answered them. [Infinity] */
  readonly maxTasksPerChild?: number;
  /** Export run once in every worker (recycled and replacement workers too), after pinning, before its first task. [none] */
  readonly initializer?: string;
  /** Arguments of the initializer. [[]] */
  readonly initargs?: readonly unknown[];
  /**
   * Most tasks waiting for a worker; more are refused with QueueFullError. imap/imapUnordered keep at
   * most this many of their chunks waiting (all streams together), not counted against calls. [Infinity]
   */
  readonly maxQueue?: number;
  /** Default timeout of every task in ms, counted from when it starts running. [none] */
  readonly taskTimeout?: number;
  /** V8 heap limits of each worker (threads: Worker resourceLimits; processes: the matching node flags). [none] */
  readonly resourceLimits?: ResourceLimits;
  /** Node flags of process workers. [this process's flags, without --test, --inspect*, --eval/--print, --watch] */
  readonly execArgv?: readonly string[];
  /** Environment of process workers. [process.env] */
  readonly env?: NodeJS.ProcessEnv;
  /** How process workers exchange data: `'json'` (fast; JSON values) or `'advanced'` (structured clone). ['json'] */
  readonly serialization?: 'json' | 'advanced';
  /**
   * A slot whose workers fail this many times in a row before running a task stops the pool with
   * WorkerStartupError. Only failures the worker reports count (import, missing export, initializer
   * threw or exited, pin refused); a death nobody explained (a signal from outside) is retried with
   * backoff, 10 ms doubling to 2 s (event `startupRetry`), and never fails the pool. [5]
   */
  readonly maxStartupFailures?: number;
  /**
   * How often (ms) the pool reads the usable CPUs again, to follow a cgroup cpuset that is rewritten
   * or a CPU that goes offline: slots that lost CPUs are placed again inside the usable ones, and get
   * their own back when those return (event `placementChange`). 0 turns it off. [1000]
   */
  readonly cpuCheckInterval?: number;
  /**
   * Memory policy of each worker over the NUMA nodes of its slot's CPUs: `'local'`, `'bind'`,
   * `'preferred'` or `'interleave'` (set_mempolicy). Process workers get it from birth; a thread
   * worker sets it on its own thread (see docs/pool.md for what that covers). Where cpuset.mems
   * forbids a node: bind → preferred → none, shown in `bindings()`. [none: the kernel's default]
   */
  readonly memory?: MemoryMode;
  /** Nice value (-20…19) of every thread of every worker (thread workers: the worker's thread). [unchanged] */
  readonly nice?: number;
  /** Scheduling class of every thread of every worker: `'other'`, `'batch'`, `'idle'`. [unchanged] */
  readonly sched?: SchedClass;
  /** Process workers: set OMP_NUM_THREADS, OMP_PLACES, OMP_PROC_BIND, OPENBLAS/MKL_NUM_THREADS, GOMAXPROCS, UV_THREADPOOL_SIZE to fit the slot, never overriding `env`. [true] */
  readonly threadEnv?: boolean;
  /** `'slot'`: each worker on its slot's CPUs; `'pool'`: each worker on the union of all slots' CPUs. ['slot'] */
  readonly binding?: BindingMode;
}

/**
 * Options of one call (`apply`, `map`, `imap`, …).
 *
 * @example
 * ```ts
 * import { Pool, type CallOptions } from 'corepin';
 * await using pool = new Pool({ module: new URL('./work.js', import.meta.url) });
 * const options: CallOptions = { timeout: 5_000, signal: AbortSignal.timeout(10_000) };
 * await pool.apply('hash', ['text'], options);
 * ```
 */
export interface CallOptions {
  /** Aborting rejects the call's unfinished tasks with AbortError; a running one has its worker replaced. */
  readonly signal?: AbortSignal;
  /** Timeout in ms of each task of the call (a map chunk is one task), counted from when it starts running. [pool's taskTimeout] */
  readonly timeout?: number;
}

/**
 * Options of `apply`: those of every call, and a listener for the task's progress reports.
 *
 * @example
 * ```ts
 * import { Pool, type ApplyOptions } from 'corepin';
 * await using pool = new Pool({ module: new URL('./work.js', import.meta.url) });
 * const options: ApplyOptions = { onProgress: (p) => console.log('progress', p) };
 * await pool.apply('render', ['scene.json'], options);   // the task calls reportProgress(…) from 'corepin/worker'
 * ```
 */
export interface ApplyOptions extends CallOptions {
  /**
   * Called with each value the task reports (`reportProgress` from `corepin/worker`), in order, while
   * the task runs — never after its promise settled. Without it, `reportProgress` in the task sends
   * nothing and returns false. A listener that throws does not affect the task (process warning).
   */
  readonly onProgress?: (value: unknown) => void;
  /**
   * ArrayBuffers among `args` to move to the worker instead of copying them (piscina's
   * `transferList`). Thread pools: moved with postMessage's transfer list when the task is sent —
   * from then on they are detached here (byteLength 0), so do not use them after the call. Process
   * pools cannot move memory between processes: with `serialization: 'advanced'` they are copied and
   * stay yours; with `'json'` (which cannot carry bytes) the call rejects. Each entry must be an
   * ArrayBuffer (list a view's `.buffer`), listed once, not detached, reachable from `args`; else
   * the call rejects with TransferListError and nothing is moved. If the worker dies before the task
   * starts, the buffers are gone with it: the task rejects with WorkerCrashedError (not sent again).
   */
  readonly transfer?: readonly ArrayBuffer[];
}

/**
 * Options of `map`, `starmap`, `imap`, `imapUnordered`.
 *
 * @example
 * ```ts
 * import { Pool, type MapOptions } from 'corepin';
 * await using pool = new Pool({ module: new URL('./work.js', import.meta.url) });
 * const options: MapOptions = { chunksize: 64 };
 * await pool.map('square', [1, 2, 3], options);
 * ```
 */
export interface MapOptions extends CallOptions {
  /**
   * Inputs per task, used exactly when given. `map`/`starmap`: [Python's, ceil(length / (4 × workers)),
   * capped at 8,192]; `imap`/`imapUnordered`: [1].
   */
  readonly chunksize?: number;
}

/**
 * One slot's binding, read back from /proc.
 *
 * @example
 * ```ts
 * import { Pool, type Binding } from 'corepin';
 * await using pool = new Pool({ module: new URL('./work.js', import.meta.url) });
 * const bindings: Binding[] = pool.bindings();
 * console.log(bindings.every((b) => b.verified));
 * ```
 */
export interface Binding {
  /** Slot number. */
  readonly slot: number;
  /** Process id of the slot's worker (thread workers: this process), or null when the slot has none right now. */
  readonly pid: number | null;
  /** OS thread id of the worker's main thread (processes: = pid), or null until it is ready. */
  readonly tid: number | null;
  /** The slot's CPUs, or null with placement `'none'`. */
  readonly cpus: CpuSet | null;
  /** True when /proc shows every thread of the worker (thread workers: its own thread) inside `cpus`. */
  readonly verified: boolean;
  /** The slot's memory policy after cpuset.mems fallbacks (with option `memory`), else absent. */
  readonly memory?: MemoryPlan | null;
  /** `'slot'` or `'pool'` (then `cpus` is the union of all slots). */
  readonly binding?: BindingMode;
}

/**
 * Why a worker exited.
 *
 * @example
 * ```ts
 * import { Pool, type WorkerExitReason } from 'corepin';
 * await using pool = new Pool({ module: new URL('./work.js', import.meta.url) });
 * pool.on('workerExit', ({ slot, reason }: { slot: number; reason: WorkerExitReason }) => {
 *   if (reason === 'crashed') console.warn(`slot ${slot}: worker crashed; a new one takes its place`);
 * });
 * ```
 */
export type WorkerExitReason = 'recycled' | 'closed' | 'terminated' | 'crashed' | 'timeout' | 'aborted' | 'startup-failed' | 'protocol';

/**
 * Events of a Pool.
 *
 * @example
 * ```ts
 * import { Pool } from 'corepin';
 * await using pool = new Pool({ module: new URL('./work.js', import.meta.url) });
 * pool.on('workerStart', (b) => console.log(`slot ${b.slot}: pid ${b.pid} on ${b.cpus?.toList()}`));
 * pool.on('placementChange', ({ usable, moves }) => console.log(usable.toList(), moves.length));
 * ```
 */
export interface PoolEvents {
  /** A worker is pinned, verified and ready for tasks. */
  workerStart: [binding: Binding];
  /** A worker exited. */
  workerExit: [
    info: {
      /** The slot it lived in. */
      slot: number;
      /** Its process id (thread workers: this process). */
      pid: number;
      /** Its OS thread id, if it got that far. */
      tid: number | null;
      /** Its exit code, if it exited. */
      exitCode: number | null;
      /** The signal that ended it, if any. */
      signal: string | null;
      /** Why it exited. */
      reason: WorkerExitReason;
      /** What killed it, when known: the uncaught error, the out-of-memory error, the start-up failure. */
      error: unknown;
    },
  ];
  /** A task failed (it threw, timed out, was aborted, or its worker crashed). */
  taskError: [info: {
    /** The slot that ran it, or null if it never started. */
    slot: number | null;
    /** The export it called. */
    fn: string;
    /** Why it failed. */
    error: unknown;
  }];
  /** A worker sent a message that is not part of the protocol; it was ignored (or the worker replaced). */
  protocolError: [info: {
    /** The worker's slot. */
    slot: number;
    /** The worker's process id. */
    pid: number;
    /** What was wrong with the message. */
    detail: string;
  }];
  /**
   * A worker died while starting without saying why (killed by a signal, or exited without reporting
   * a start-up failure): the slot starts another after `delayMs` (10 ms, doubling to at most 2 s).
   * Such deaths never fail the pool or its tasks: something outside may be killing workers.
   */
  startupRetry: [info: {
    /** The slot whose worker died while starting. */
    slot: number;
    /** How many starts in a row this slot has retried (1 for the first retry). */
    attempt: number;
    /** Wait before the next start (ms). */
    delayMs: number;
    /** The dead worker's exit code, or null when a signal ended it. */
    exitCode: number | null;
    /** The signal that ended it (e.g. `'SIGKILL'`), or null. */
    signal: string | null;
  }];
  /**
   * The usable CPUs changed (cpuset rewritten, CPU offline or back) and these slots were given other
   * CPUs; their live workers were re-pinned there (or, if that failed, replaced after their tasks).
   */
  placementChange: [info: {
    /** The usable CPUs now. */
    usable: CpuSet;
    /** The slots that moved. */
    moves: readonly SlotMove[];
  }];
}
