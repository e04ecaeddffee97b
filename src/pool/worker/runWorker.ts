import { EXIT, INIT, RUN, isRunMessage, type WorkerInit } from '../protocol.js';
import { WorkerLoop } from './WorkerLoop.js';

/** How a worker talks to its pool: `process.send` for process workers, `parentPort` for thread workers. */
export interface WorkerChannel {
  /**
   * Sends a message; throws when it cannot be serialized. Returns a promise when the message is
   * still being written (it resolves once the bytes are with the kernel), or null when it already is.
   * `transfer`: buffers moved rather than copied (thread workers; a process worker copies them).
   */
  send(message: unknown[], transfer?: ArrayBuffer[]): Promise<void> | null;
  /** Registers the one message handler. */
  onMessage(handler: (message: unknown) => void): void;
}

/** Who the worker is, reported in READY. */
export interface WorkerIdentity {
  readonly pid: number;
  readonly tid: number;
}

/**
 * The worker side of the pool: loads the task module (only now — the caller has pinned the worker
 * already), runs the initializer, then runs tasks one after another in the order they arrive and
 * sends results back in batches. `init` is null for process workers: it arrives as the first message.
 * `pinError` is a failure of the caller's pinning (or a promise of one, null for none), reported as a
 * start-up failure.
 *
 * Crash rule the pool relies on: a batch (one RUN message) starts only after every result of the
 * previous batch has been written out. So if the worker dies, the pool knows that batches after the
 * first unanswered one never started, and can give them to another worker without running anything twice.
 */
export function runWorker(channel: WorkerChannel, init: WorkerInit | null, identity: WorkerIdentity, pinError: unknown = null): () => void {
  const loop = new WorkerLoop(channel, identity, Promise.resolve(pinError));
  process.once('exit', loop.lastWords);
  channel.onMessage((m) => {
    if (!Array.isArray(m)) return;
    const tag: unknown = m[0];
    if (tag === RUN) {
      if (!isRunMessage(m)) return;
      loop.batches.push(m);
      if (loop.ready && !loop.draining) void loop.drain();
    } else if (tag === EXIT) {
      loop.exitRequested = true;
      if (loop.ready && !loop.draining) process.exit(0);
    } else if (tag === INIT && init === null && isInit(m[1])) {
      init = m[1];
      void loop.start(init);
    }
  });
  if (init !== null) void loop.start(init);
  return loop.lastWords;
}

function isInit(v: unknown): v is WorkerInit {
  if (typeof v !== 'object' || v === null) return false;
  const i = v as Record<string, unknown>;
  return typeof i['module'] === 'string' && (i['initializer'] === null || typeof i['initializer'] === 'string') && Array.isArray(i['initargs']);
}
