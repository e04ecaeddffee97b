// Entry of a thread worker. Its OS thread was created while the creating thread was pinned to the
// slot's CPUs, so it was born inside them; pinning itself again is its first act, before the task
// module is imported (in runWorker). V8's platform threads are shared by the whole process and
// are not pinned here.
// Imports are kept to the few modules a worker needs: each one is start-up time of every worker.
import { readlinkSync } from 'node:fs';
import { parentPort, workerData } from 'node:worker_threads';
import { TASK_SEND } from '../runtime/taskSends.js';
import { callingThreadId, loadWorkerAddon } from '../../os/fastPin.js';
import { pinWorker } from './pinWorker.js';
import { applyWorkerSched, thenIfOk } from './applyWorkerSched.js';
import type { MemoryPlan } from '../../launch/memoryPlan.js';
import type { ThreadWorkerData } from '../protocol.js';
import { runWorker } from './runWorker.js';
import { installMoves } from './movedResults.js';

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

// The pool's private channel, not parentPort: parentPort is the task module's to use.
const port = data.port;
// What task code posts on parentPort goes out on the pool's channel, wrapped: in order with the
// worker's own messages, and never able to pass for one (as process.send in a process worker).
if (parentPort !== null) {
  parentPort.postMessage = (message: unknown, transfer?: Parameters<typeof port.postMessage>[1]) => port.postMessage([TASK_SEND, message], transfer);
}
// move() in a task marks results whose buffers go back moved, not copied (process workers copy).
installMoves();
runWorker(
  {
    send: (message, transfer) => {
      // Posted messages reach the pool even if this thread dies right after: written at once.
      port.postMessage(message, transfer);
      return null;
    },
    onMessage: (handler) => port.on('message', handler),
  },
  data.init,
  { pid: process.pid, tid },
  pinError,
);
