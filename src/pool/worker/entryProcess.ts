// Entry of a process worker: `node entryProcess.js <cpus|-> <parent pid> <nice:sched|->`.
// The child was born inside its slot's CPUs (the pool forks from a thread pinned for that instant),
// so every thread — V8's, libuv's, the main one — already is; this file checks it, makes the child
// die with its parent, and only then loads the task module (in runWorker).
// Imports are kept to the few modules a worker needs: each one is start-up time of every worker.
import { dieWithParent } from '../../os/fastPin.js';
import { pinWorker } from './pinWorker.js';
import { applyWorkerSched, thenIfOk } from './applyWorkerSched.js';
import { CRASH } from '../protocol.js';
import { toRemoteError } from '../remoteError.js';
import { runWorker, type WorkerChannel } from './runWorker.js';
import { packDone, unpackRun } from '../runtime/leanFrames.js';
import { wrapTaskSends } from '../runtime/taskSends.js';

const SIGKILL = 9;
const [cpusArg, parentArg, schedArg] = process.argv.slice(2);
const send = process.send?.bind(process);
if (send === undefined || cpusArg === undefined || parentArg === undefined) {
  process.stderr.write('corepin: this file is a pool worker; the Pool starts it\n');
  process.exit(64);
}

// Task code's process.send goes out wrapped, so it can never pass for a pool message (taskSends.ts).
wrapTaskSends(send);

// The kernel kills us when the parent (thread) dies, even by SIGKILL; if it died before this line,
// our parent is already someone else, so leave now.
try {
  dieWithParent(SIGKILL);
} catch {
  // Without the addon the closing IPC channel (below) still ends us.
}
if (process.ppid !== Number(parentArg)) process.exit(0);
process.on('disconnect', () => process.exit(0));

// Nice and class on every thread before any user code (new threads inherit from their creator).
const pinError = thenIfOk(applyWorkerSched('process', schedArg), () => (cpusArg === '-' ? null : pinWorker('process', cpusArg)));

const channel: WorkerChannel = {
  send(message) {
    // Resolves once the bytes are written (process.send's callback), which the crash rule needs.
    let done!: () => void;
    const written = new Promise<void>((resolve) => (done = resolve));
    send(packDone(message), undefined, undefined, () => done());
    return written;
  },
  onMessage(handler) {
    // Lean frames on the pipe (runtime/leanFrames.ts): the loop sees the usual messages.
    process.on('message', (m) => handler(unpackRun(m)));
  },
};

// An uncaught exception ends the worker as Node would (exit code 1); the pool gets the error first,
// so the tasks that die with the worker carry it as their cause.
process.on('uncaughtException', (err) => {
  try {
    lastWords();
    send([CRASH, toRemoteError(err instanceof Error ? err : new Error(String(err)))]);
  } catch {
    // The channel may be gone; the exit code still tells.
  }
  process.exit(1);
});

const lastWords = runWorker(channel, null, { pid: process.pid, tid: process.pid }, pinError);
