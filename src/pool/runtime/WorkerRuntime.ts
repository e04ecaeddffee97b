import type { CpuSet } from '../../cpuset/CpuSet.js';
import type { WorkerInit } from '../protocol.js';

/** What a runtime needs to start one worker. */
export interface WorkerSpec {
  /** Slot number (for messages). */
  readonly slot: number;
  /** The slot's CPUs; the worker must be inside them before the task module loads. Null: no pinning. */
  readonly cpus: CpuSet | null;
  /** The slot's own CPUs when they differ from `cpus` (binding 'pool'); thread counts follow them. */
  readonly own?: CpuSet | null;
  /** Task module and initializer. */
  readonly init: WorkerInit;
}

/** What a started worker reports back. */
export interface WorkerEvents {
  /** A message from the worker (unchecked; the pool checks it). */
  message(message: unknown): void;
  /** The worker is gone; called once, after every message it sent has been delivered. */
  exit(exitCode: number | null, signal: string | null, error: unknown): void;
  /** Every message sent to it has been written out (after `writing` was true). */
  drained(): void;
  /** The worker wrote bytes its channel cannot parse (not Node's IPC framing), or a message that cannot be trusted: it must be replaced. */
  unreadable(detail: string): void;
}

/** A running worker, process or thread, as the pool drives it. */
export interface WorkerHandle {
  /** The worker's process id (thread workers: this process). */
  readonly pid: number;
  /**
   * Sends a message; throws when it cannot be serialized. A message to a worker that is gone is dropped.
   * `transfer`: buffers moved to a thread worker instead of copied (detached here once sent); only the
   * pool's own copies are ever listed, and process workers are never given any.
   */
  send(message: unknown[], transfer?: ArrayBuffer[]): void;
  /**
   * A message sent to it is still being written (a big one goes through the pipe in pieces): send
   * the next one after `drained`, so the event loop can push this one out meanwhile.
   */
  readonly writing: boolean;
  /** Stops the worker at once (SIGKILL / Worker.terminate()). */
  kill(): void;
  /** Lets the worker keep this process alive (while the pool has work). */
  ref(): void;
  /** Lets this process exit while the worker is idle. */
  unref(): void;
}

/** One way to run workers (tinypool-style seam): `process` (child processes) or `thread` (worker_threads). */
export interface WorkerRuntime {
  readonly kind: 'process' | 'thread';
  /** Starts a worker pinned to `spec.cpus` from birth. May throw when it cannot even be created. */
  start(spec: WorkerSpec, events: WorkerEvents): WorkerHandle;
}
