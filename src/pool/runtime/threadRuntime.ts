import { Worker, type ResourceLimits } from 'node:worker_threads';
import type { CpuSet } from '../../cpuset/CpuSet.js';
import { pin, restoreCallingThread } from '../../affinity.js';
import { currentBackend } from '../../os/currentBackend.js';
import { addonPathForWorkers } from '../../os/fastPin.js';
import type { SlotSettings } from '../../launch/SlotSettings.js';
import { startThreadWorker } from './threadExecArgv.js';
import type { ThreadWorkerData } from '../worker/entryThread.js';
import type { WorkerRuntime } from './WorkerRuntime.js';

const ENTRY = new URL('../worker/entryThread.js', import.meta.url);

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
  return {
    kind: 'thread',
    start(spec, events) {
      // The worker requires the addon from where this process found it, instead of searching.
      const addonPath = addonPathForWorkers();
      const s = options.settings;
      const memory = s?.memoryFor(spec.cpus) ?? null;
      const sched = s && (s.settings.nice !== null || s.settings.sched !== null) ? `${s.settings.nice ?? ''}:${s.settings.sched ?? ''}` : null;
      const workerData: ThreadWorkerData = { cpus: spec.cpus ? spec.cpus.toList() : null, init: spec.init, addonPath, memory, sched };
      // Not the parent's execArgv as is: `node --input-type=module -e …` would make every worker fail.
      const create = (): Worker =>
        startThreadWorker((execArgv) => new Worker(ENTRY, { workerData, execArgv, ...(options.resourceLimits ? { resourceLimits: options.resourceLimits } : {}) }));
      const worker = spec.cpus ? withCallingThreadOn(spec.cpus, create) : create();
      let error: unknown;
      worker.on('message', (m) => events.message(m));
      worker.on('error', (err) => {
        error ??= err;
      });
      // Messages the worker posted before it ended are delivered before 'exit'.
      worker.on('exit', (code) => events.exit(code, null, error));
      return {
        pid: process.pid,
        send(message) {
          worker.postMessage(message);
        },
        writing: false, // postMessage hands the message over at once
        kill() {
          void worker.terminate();
        },
        ref() {
          worker.ref();
        },
        unref() {
          worker.unref();
        },
      };
    },
  };
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
