import { performance } from 'node:perf_hooks';
import { Worker } from 'node:worker_threads';

// What worker_threads allow at best, with no pool around them: 2 workers echoing `x + 1`.

const ECHO_ONE = `const { parentPort } = require('node:worker_threads');
parentPort.on('message', (x) => parentPort.postMessage(x + 1));`;

const ECHO_BATCH = `const { parentPort } = require('node:worker_threads');
parentPort.on('message', (xs) => parentPort.postMessage(xs.map((x) => x + 1)));`;

// Layout of one worker's Int32Array: [0] requests written, [1] results written, then the request
// ring and the result ring, CAP slots each. One producer and one consumer per ring: counters only grow.
const RING = `const { workerData } = require('node:worker_threads');
const a = new Int32Array(workerData.sab), CAP = workerData.cap, REQ = 2, RES = 2 + CAP;
let read = 0;
for (;;) {
  const avail = Atomics.load(a, 0);
  if (avail === read) { Atomics.wait(a, 0, read); continue; }
  if (avail < 0) break;
  let w = Atomics.load(a, 1);
  for (; read < avail; read++) a[RES + (w++ % CAP)] = a[REQ + (read % CAP)] + 1;
  Atomics.store(a, 1, w);
  Atomics.notify(a, 1);
}`;

function start(code: string, workerData?: unknown): Promise<Worker> {
  const w = new Worker(code, { eval: true, workerData });
  return new Promise((resolve, reject) => {
    w.once('online', () => resolve(w));
    w.once('error', reject);
  });
}

/** Tasks/s of `n` echo messages, one message per task, sent all at once to 2 workers. */
export async function threadMessagePerTask(n: number, workers = 2): Promise<number> {
  const ws = await Promise.all(Array.from({ length: workers }, () => start(ECHO_ONE)));
  try {
    const t0 = performance.now();
    await new Promise<void>((resolve) => {
      let got = 0;
      for (const w of ws) w.on('message', () => void (++got === n && resolve()));
      for (let i = 0; i < n; i++) ws[i % workers]!.postMessage(i);
    });
    return n / ((performance.now() - t0) / 1000);
  } finally {
    await Promise.all(ws.map((w) => w.terminate()));
  }
}

/** Tasks/s of `n` echoes sent as arrays of `batch` numbers (one message per batch, each way). */
export async function threadMessageBatches(n: number, batch = 1000, workers = 2): Promise<number> {
  const ws = await Promise.all(Array.from({ length: workers }, () => start(ECHO_BATCH)));
  try {
    const t0 = performance.now();
    await new Promise<void>((resolve) => {
      let got = 0;
      for (const w of ws) w.on('message', (xs: number[]) => void ((got += xs.length) === n && resolve()));
      for (let i = 0, k = 0; i < n; i += batch, k++) {
        const xs: number[] = [];
        for (let j = i; j < Math.min(n, i + batch); j++) xs.push(j);
        ws[k % workers]!.postMessage(xs);
      }
    });
    return n / ((performance.now() - t0) / 1000);
  } finally {
    await Promise.all(ws.map((w) => w.terminate()));
  }
}

/**
 * Tasks/s of `n` echoes through a SharedArrayBuffer ring per worker, woken with Atomics.wait/notify.
 * The main thread fills each ring, then blocks in Atomics.wait (1 ms at most) until results arrive.
 */
export async function threadSharedRing(n: number, workers = 2, cap = 4096): Promise<number> {
  const rings = Array.from({ length: workers }, () => new Int32Array(new SharedArrayBuffer(4 * (2 + 2 * cap))));
  const ws = await Promise.all(rings.map((a) => start(RING, { sab: a.buffer, cap })));
  try {
    const sent = new Array<number>(workers).fill(0);
    const done = new Array<number>(workers).fill(0);
    const quota = Array.from({ length: workers }, (_, k) => Math.floor(n / workers) + (k < n % workers ? 1 : 0));
    let total = 0;
    let sum = 0;
    const t0 = performance.now();
    while (total < n) {
      let moved = false;
      for (let k = 0; k < workers; k++) {
        const a = rings[k]!;
        const room = Math.min(cap - (sent[k]! - done[k]!), quota[k]! - sent[k]!);
        if (room > 0) {
          for (let i = 0; i < room; i++) a[2 + ((sent[k]! + i) % cap)] = sent[k]! + i;
          sent[k]! += room;
          Atomics.store(a, 0, sent[k]!);
          Atomics.notify(a, 0);
          moved = true;
        }
        const ready = Atomics.load(a, 1);
        for (; done[k]! < ready; done[k]!++, total++) sum += a[2 + cap + (done[k]! % cap)]!;
      }
      if (!moved && total < n) Atomics.wait(rings[0]!, 1, done[0]!, 1);
    }
    const rate = n / ((performance.now() - t0) / 1000);
    // Worker k got 0 … quota−1 and answered 1 … quota.
    const want = quota.reduce((acc, q) => acc + (q * (q + 1)) / 2, 0);
    if (sum !== want) throw new Error(`shared ring: wrong results (sum ${sum}, expected ${want})`);
    return rate;
  } finally {
    for (const a of rings) {
      Atomics.store(a, 0, -1);
      Atomics.notify(a, 0);
    }
    await Promise.all(ws.map((w) => w.terminate()));
  }
}

// The resolve function of the promise being made: one module-level executor hands it over, with no
// closure per promise (what corepin's apply does too).
let made: ((v: number) => void) | undefined;
function capture(resolve: (v: number) => void): void {
  made = resolve;
}

/**
 * Tasks/s of bare promises with no worker at all, made, stored, resolved from outside and awaited
 * together with `Promise.all` in bursts of `burst` (the apply burst's own size and harness), `n` in
 * all: the part of a per-task `apply` that one promise per task costs on the calling thread.
 *
 * Until issue 16 this floor made all `n` (2 M) promises in one burst, each with its own executor
 * closure: most of its time was then the garbage collector copying two million live promises, a
 * cost no 10,000-task burst pays (it measured 0.25–0.6 M/s against ~10 M/s for this form).
 */
export async function promisePerTask(n: number, burst: number): Promise<number> {
  const settle = new Array<(v: number) => void>(burst);
  const all = new Array<Promise<number>>(burst);
  let done = 0;
  const t0 = performance.now();
  while (done < n) {
    const k = Math.min(burst, n - done);
    all.length = settle.length = k;
    for (let i = 0; i < k; i++) {
      all[i] = new Promise<number>(capture);
      settle[i] = made!;
    }
    for (let i = 0; i < k; i++) settle[i]!(i + 1);
    await Promise.all(all);
    done += k;
  }
  made = undefined;
  return n / ((performance.now() - t0) / 1000);
}
