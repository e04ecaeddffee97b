import type { ResourceLimits } from 'node:worker_threads';
import type { CpuSet } from '../cpuset/CpuSet.js';
import type { CpusInput } from '../affinity.js';
import type { PolicyName } from '../placement/Placement.js';
import type { SlotMove } from './replanSlots.js';

/**
 * Where the pool's slots go:
 * - a policy name (`'spread'`, `'compact'`, `'cores'`, `'round-robin'`, `'l3'`, `'numa'`, `'package'`,
 *   `'performance-first'`);
 * - `{ policy, reserve, smt }` for a policy with options (e.g. `reserve: 'core:0'` keeps core 0 free);
 * - a location string (`'core:0-1'`, `'numa:1'`, `'2-5'`): the pool uses only those CPUs, one slot per
 *   CPU spread over them;
 * - a list of CPU sets or location strings, one per slot (cycled if `workers` is larger);
 * - a function `(slot, usable) => cpus` for full control;
 * - `'none'`: no pinning at all.
 */
export type PoolPlacement =
  | PolicyName
  | 'none'
  | (string & {})
  | { readonly policy: PolicyName; readonly reserve?: CpuSet | string; readonly smt?: boolean }
  | readonly (CpuSet | string)[]
  | ((slot: number, usable: CpuSet) => CpusInput);

/**
 * Options of `new Pool()`. Only `module` is required; the defaults are in brackets.
 */
export interface PoolOptions {
  /** Task module: absolute path, path relative to the working directory, or file: URL. Tasks name its exports. */
  readonly module: string | URL;
  /** `'process'`: child processes, every thread pinned (like multiprocessing); `'thread'`: worker_threads. ['process'] */
  readonly kind?: 'process' | 'thread';
  /** Number of slots (workers). [number of usable CPUs of this process, or of the placement's list/location] */
  readonly workers?: number;
  /** Where each slot's worker runs. ['spread'] */
  readonly placement?: PoolPlacement;
  /** Replace a worker after it has run this many tasks (a map chunk counts as one, as in Python). [Infinity] */
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
}

/** Options of one call (`apply`, `map`, `imap`, …). */
export interface CallOptions {
  /** Aborting rejects the call's unfinished tasks with AbortError; a running one has its worker replaced. */
  readonly signal?: AbortSignal;
  /** Timeout in ms of each task of the call (a map chunk is one task), counted from when it starts running. [pool's taskTimeout] */
  readonly timeout?: number;
}

/** Options of `map`, `starmap`, `imap`, `imapUnordered`. */
export interface MapOptions extends CallOptions {
  /**
   * Inputs per task. `map`/`starmap`: [Python's: ceil(length / (4 × workers))]; `imap`/`imapUnordered`: [1].
   */
  readonly chunksize?: number;
}

/** One slot's binding, read back from /proc. */
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
}

/** Why a worker exited. */
export type WorkerExitReason = 'recycled' | 'closed' | 'terminated' | 'crashed' | 'timeout' | 'aborted' | 'startup-failed' | 'protocol';

/** Events of a Pool. */
export interface PoolEvents {
  /** A worker is pinned, verified and ready for tasks. */
  workerStart: [binding: Binding];
  /** A worker exited. */
  workerExit: [
    info: {
      slot: number;
      pid: number;
      tid: number | null;
      exitCode: number | null;
      signal: string | null;
      reason: WorkerExitReason;
      /** What killed it, when known: the uncaught error, the out-of-memory error, the start-up failure. */
      error: unknown;
    },
  ];
  /** A task failed (it threw, timed out, was aborted, or its worker crashed). */
  taskError: [info: { slot: number | null; fn: string; error: unknown }];
  /** A worker sent a message that is not part of the protocol; it was ignored (or the worker replaced). */
  protocolError: [info: { slot: number; pid: number; detail: string }];
  /**
   * A worker died while starting without saying why (killed by a signal, or exited without reporting
   * a start-up failure): the slot starts another after `delayMs` (10 ms, doubling to at most 2 s).
   * Such deaths never fail the pool or its tasks: something outside may be killing workers.
   */
  startupRetry: [info: { slot: number; attempt: number; delayMs: number; exitCode: number | null; signal: string | null }];
  /**
   * The usable CPUs changed (cpuset rewritten, CPU offline or back) and these slots were given other
   * CPUs; their live workers were re-pinned there (or, if that failed, replaced after their tasks).
   */
  placementChange: [info: { usable: CpuSet; moves: readonly SlotMove[] }];
}
