// Entry of a thread worker. Its OS thread was created while the creating thread was pinned to the
// slot's CPUs, so it was born inside them; pinning itself again is its first act, before the task
// module is imported (in runWorker). V8's platform threads are shared by the whole process and
// are not pinned here.
import { parentPort, workerData } from 'node:worker_threads';
import { CpuSet } from '../cpuset/CpuSet.js';
import { currentThreadId, pin } from '../affinity.js';
import type { WorkerInit } from './protocol.js';
import { runWorker } from './workerRuntime.js';

/** What the pool passes as workerData. */
export interface ThreadWorkerData {
  /** The slot's CPU list, or null for no pinning. */
  readonly cpus: string | null;
  readonly init: WorkerInit;
}

const data = workerData as ThreadWorkerData;
let pinError: unknown = null;
if (data.cpus !== null) {
  try {
    pin('thread', CpuSet.parse(data.cpus, 'list'));
  } catch (err) {
    pinError = err;
  }
}

const port = parentPort!;
runWorker(
  {
    send: (message) => {
      // Posted messages reach the pool even if this thread dies right after: written at once.
      port.postMessage(message);
      return null;
    },
    onMessage: (handler) => port.on('message', handler),
  },
  data.init,
  { pid: process.pid, tid: currentThreadId() },
  pinError,
);
