import { MessageChannel, Worker, receiveMessageOnPort, type MessagePort, type ResourceLimits } from 'node:worker_threads';
import { isPoolTagged } from '../protocol.js';
import { TASK_SEND } from './taskSends.js';
import type { WorkerEvents } from './WorkerRuntime.js';
import type { CpuSet } from '../../cpuset/CpuSet.js';
import { pin, restoreCallingThread } from '../../affinity.js';
import { currentBackend } from '../../os/currentBackend.js';
import { addonPathForWorkers } from '../../os/fastPin.js';
import type { SlotSettings } from '../../launch/SlotSettings.js';
import { startThreadWorker } from './threadExecArgv.js';
import type { ThreadWorkerData } from '../protocol.js';
import type { WorkerHandle, WorkerRuntime } from './WorkerRuntime.js';
import { workerEntry } from './workerEntry.js';

/** Settings of thread workers. */
export interface ThreadRuntimeOptions {
  readonly resourceLimits: ResourceLimits | undefined;
  /** Memory policy and nice/sched of each worker's thread (thread env does not apply: env is per process). */
  readonly settings?: SlotSettings;
}

/**
 * Thread workers (worker_threads). A new OS thread inherits the mask of the thread that creates it,
 * so the calling thread is pinned to the slot's CPUs around `new Worker()` (which creates the thread
 * synchronously) and restored; the worker then pins itself again as its first act.
 */
export function threadRuntime(options: ThreadRuntimeOptions): WorkerRuntime {
  // The one-file bundle of the entry when it is current, else entryThread.js (workerEntry.ts).
  const entry = workerEntry('thread').file;
  return {
    kind: 'thread',
    start(spec, events) {
      // The worker requires the addon from where this process found it, instead of searching.
      const addonPath = addonPathForWorkers();
      const s = options.settings;
      const memory = s?.memoryFor(spec.cpus) ?? null;
      const sched = s && (s.settings.nice !== null || s.settings.sched !== null) ? `${s.settings.nice ?? ''}:${s.settings.sched ?? ''}` : null;
      // The pool talks on a channel of its own: parentPort stays the task module's (taskPost below).
      const { port1: pool, port2 } = new MessageChannel();
      const workerData: ThreadWorkerData = { cpus: spec.cpus ? spec.cpus.toList() : null, init: spec.init, addonPath, memory, sched, port: port2 };
      // Not the parent's execArgv as is: `node --input-type=module -e …` would make every worker fail.
      const create = (): Worker =>
        startThreadWorker((execArgv) => new Worker(entry, { workerData, transferList: [port2], execArgv, ...(options.resourceLimits ? { resourceLimits: options.resourceLimits } : {}) }));
      const worker = spec.cpus ? withCallingThreadOn(spec.cpus, create) : create();
      let error: unknown;
      pool.on('message', (m) => fromWorker(m, events));
      worker.on('message', (m) => taskPost(m, events));
      worker.on('error', (err) => {
        error ??= err;
      });
      worker.on('exit', (code) => {
        // Every message the worker posted before it ended is in the port's queue: deliver them first.
        drainPort(pool, events);
        pool.close();
        events.exit(code, null, error);
      });
      return new ThreadHandle(pool, worker);
    },
  };
}

/**
 * A thread worker as the pool drives it. A class, not an object literal per worker: every worker
 * shares one `send`, so the pool's send call site sees one target for every worker of every pool
 * (a closure per worker made V8 throw away and recompile the pool's hot path for each new pool).
 */
class ThreadHandle implements WorkerHandle {
  readonly pid = process.pid;
  readonly writing = false; // postMessage hands the message over at once
  readonly #port: MessagePort;
  readonly #worker: Worker;

  constructor(port: MessagePort, worker: Worker) {
    this.#port = port;
    this.#worker = worker;
  }

  send(message: unknown[], transfer?: ArrayBuffer[]): void {
    // map's number chunks travel with their buffers moved, not copied (sendable.ts).
    if (transfer === undefined) this.#port.postMessage(message);
    else this.#port.postMessage(message, transfer);
  }

  kill(): void {
    void this.#worker.terminate();
  }

  ref(): void {
    this.#worker.ref();
    this.#port.ref();
  }

  unref(): void {
    this.#worker.unref();
    this.#port.unref();
  }
}

function withCallingThreadOn<T>(cpus: CpuSet, fn: () => T): T {
  const before = currentBackend().get(0);
  pin('thread', cpus);
  try {
    return fn();
  } finally {
    restoreCallingThread(before);
  }
}

/** A message task code posted on `parentPort` (wrapped, or by going around the wrapper): foreign (reported, ignored), or, tagged as the pool's, a reason to replace the worker. */
function taskPost(m: unknown, events: WorkerEvents): void {
  if (isPoolTagged(m)) return events.unreadable(`a task posted a message tagged as the pool's own (${JSON.stringify((m as unknown[])[0])}) on parentPort`);
  events.message(m);
}

/** On the pool's channel: the worker's own message, or one its task code posted on parentPort (wrapped there). */
function fromWorker(m: unknown, events: WorkerEvents): void {
  if (Array.isArray(m) && m[0] === TASK_SEND && m.length === 2) return taskPost(m[1], events);
  events.message(m);
}

function drainPort(port: MessagePort, events: WorkerEvents): void {
  for (let r = receiveMessageOnPort(port); r !== undefined; r = receiveMessageOnPort(port)) fromWorker(r.message, events);
}
