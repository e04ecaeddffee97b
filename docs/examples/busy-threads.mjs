// A process to watch: two busy worker threads, one pinned to the last usable CPU with corepin, one
// left to the scheduler. Run it, then `corepin watch <pid>` in another terminal.
//   node docs/examples/busy-threads.mjs [seconds]
import { Worker } from 'node:worker_threads';

const index = new URL('../../dist/src/index.js', import.meta.url).href;
const { usableCpus } = await import(index);
const last = String(usableCpus().last);
const spin = (pin) => `
  import(${JSON.stringify(index)}).then((corepin) => {
    ${pin ? `corepin.pin('thread', ${JSON.stringify(last)});` : ''}
    const pause = new Int32Array(new SharedArrayBuffer(4));
    for (;;) {
      const end = Date.now() + 40;
      while (Date.now() < end);          // 40 ms of work …
      Atomics.wait(pause, 0, 0, 20);     // … then 20 ms asleep, so the scheduler gets to choose again
    }
  });`;
new Worker(spin(true), { eval: true });
new Worker(spin(false), { eval: true });
console.log(`pid ${process.pid}: one worker pinned to CPU ${last}, one unpinned`);
setTimeout(() => process.exit(0), Number(process.argv[2] ?? 60) * 1000);
