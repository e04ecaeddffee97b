// Entry of a thread worker. Its OS thread was created while the creating thread was pinned to the
// slot's CPUs, so it was born inside them; pinning itself again is its first act, before the task
// module is imported (in runWorker). V8's platform threads are shared by the whole process and
// are not pinned here.
// Imports are kept to the few modules a worker needs: each one is start-up time of every worker.
import { readlinkSync } from 'node:fs';
import { parentPort, workerData } from 'node:worker_threads';
import { callingThreadId, loadWorkerAddon } from '../../os/fastPin.js';
import { pinWorker } from './pinWorker.js';
import { applyWorkerSched, thenIfOk } from './applyWorkerSched.js';
import type { MemoryPlan } from '../../launch/memoryPlan.js';
import type { WorkerInit } from '../protocol.js';
import { runWorker } from './runWorker.js';

/** What the pool passes as workerData. */
export interface ThreadWorkerData {
  /** The slot's CPU list, or null for no pinning. */
  readonly cpus: string | null;
  readonly init: WorkerInit;
  /** Where the pool loaded the addon from, so the worker need not search for it. */
  readonly addonPath?: string | undefined;
  /** The slot's memory policy, set on this thread only (null: unchanged). */
  readonly memory?: MemoryPlan | null;
  /** `nice:sched` for this thread, or null. */
  readonly sched?: string | null;
}

const data = workerData as ThreadWorkerData;
loadWorkerAddon(data.addonPath);
const pinError = thenIfOk(applyWorkerSched('thread', data.sched), () =>
  thenIfOk(setMemory(data.memory ?? null), () => (data.cpus === null ? null : pinWorker('thread', data.cpus))),
);

// A memory policy belongs to one thread: this worker's own (see docs/pool.md for what it covers).
// Imported only when asked for: every import is start-up time of every worker.
function setMemory(plan: MemoryPlan | null): Promise<unknown> | null {
  if (plan === null || plan.mode === 'none') return null;
  return import('../../launch/memoryPolicy.js').then(({ setThreadMemPolicy }) => {
    setThreadMemPolicy(plan);
    return null;
  }).catch((err: unknown) => err);
}
const tid = callingThreadId() ?? Number(readlinkSync('/proc/thread-self').split('/').pop());

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
  { pid: process.pid, tid },
  pinError,
);
