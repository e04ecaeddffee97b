// Issue 6, item 6: soak. 1,000,000 tasks through imap with maxTasksPerChild 1000 (so about a thousand
// worker replacements); throughput every 100k and peak RSS, both of which must stay flat.
// Usage: node dist/bench/soak.js [--kind process|thread] [--tasks N] [--chunksize N] [--max-tasks-per-child N]
// The output (machine line first) is what the lead records in the repository.
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { Pool } from '../src/index.js';
import { countTo, printRunHeader } from './measure/printRunHeader.js';
import { mb, openFds, procStatusBytes, selfPeakRss } from './measure/memory.js';
import { summarize } from './measure/summarize.js';

const TASKS = new URL('./tasks/taskModule.js', import.meta.url);

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: {
      kind: { type: 'string', default: 'process' },
      tasks: { type: 'string', default: '1000000' },
      chunksize: { type: 'string', default: '1' },
      'max-tasks-per-child': { type: 'string', default: '1000' },
    },
  });
  const kind = values.kind === 'thread' ? 'thread' : 'process';
  const total = Number(values.tasks);
  const chunksize = Number(values.chunksize);
  const maxTasksPerChild = Number(values['max-tasks-per-child']);
  const block = Math.max(1, Math.floor(total / 10));
  printRunHeader();
  console.log(`soak: ${total.toLocaleString('en')} tasks through imap, ${kind} pool, 2 workers, chunksize ${chunksize}, maxTasksPerChild ${maxTasksPerChild}`);
  console.log(`date ${new Date().toISOString()}`);
  const pool = new Pool({ module: TASKS, kind, workers: 2, maxTasksPerChild });
  let recycled = 0;
  let crashed = 0;
  // Every worker start, first or replacement, reports whether /proc showed it inside its slot's CPUs.
  let started = 0;
  let verifiedStarts = 0;
  pool.on('workerStart', (b) => {
    started++;
    if (b.verified) verifiedStarts++;
  });
  pool.on('workerExit', (e) => {
    if (e.reason === 'recycled') recycled++;
    else if (e.reason === 'crashed') crashed++;
  });
  let workerPeak = 0;
  const sampleWorkers = (): void => {
    for (const b of pool.bindings()) {
      if (b.pid === null || b.pid === process.pid) continue;
      workerPeak = Math.max(workerPeak, procStatusBytes(b.pid, 'VmHWM') ?? 0);
    }
  };
  console.log(`${'tasks'.padStart(10)} ${'tasks/s'.padStart(9)} ${'rss'.padStart(9)} ${'heap'.padStart(9)} ${'fds'.padStart(4)} ${'recycled'.padStart(8)} ${'verified starts'.padStart(15)}`);
  const rates: number[] = [];
  const rss: number[] = [];
  const t0 = performance.now();
  let tBlock = t0;
  let done = 0;
  let wrong = 0;
  for await (const r of pool.imap('noop', countTo(total), { chunksize })) {
    if (r !== done) wrong++;
    done++;
    if (done % block === 0) {
      const now = performance.now();
      const rate = block / ((now - tBlock) / 1000);
      tBlock = now;
      sampleWorkers();
      const verified = `${verifiedStarts}/${started}`;
      rates.push(rate);
      rss.push(process.memoryUsage.rss());
      console.log(
        `${done.toLocaleString('en').padStart(10)} ${Math.round(rate).toLocaleString('en').padStart(9)} ${mb(rss[rss.length - 1]!).padStart(9)} ${mb(process.memoryUsage().heapUsed).padStart(9)} ${String(openFds()).padStart(4)} ${String(recycled).padStart(8)} ${verified.padStart(15)}`,
      );
    }
  }
  const seconds = (performance.now() - t0) / 1000;
  await pool.close();
  const rate = summarize(rates);
  console.log(`${done.toLocaleString('en')} results in ${seconds.toFixed(1)} s (${Math.round(done / seconds).toLocaleString('en')}/s), ${wrong} wrong, ${recycled} workers recycled, ${crashed} crashed, ${verifiedStarts}/${started} worker starts verified inside their slot's CPUs`);
  if (rate) console.log(`throughput per block: median ${Math.round(rate.median).toLocaleString('en')}/s, min ${Math.round(rate.min).toLocaleString('en')}, max ${Math.round(rate.max).toLocaleString('en')} (spread ${(rate.spread * 100).toFixed(1)} %)`);
  if (rss.length > 1) console.log(`rss: first block ${mb(rss[0]!)}, last block ${mb(rss[rss.length - 1]!)}; peak RSS this process ${mb(selfPeakRss())}${kind === 'process' ? `, largest worker ${mb(workerPeak)}` : ''}`);
  return wrong === 0 && done === total && crashed === 0 && verifiedStarts === started ? 0 : 1;
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    console.error(`soak: ${(err as Error).message}`);
    process.exit(1);
  },
);
