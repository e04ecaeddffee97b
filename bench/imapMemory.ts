// Issue 4: `imap` over 10,000,000 inputs from a generator streams in constant memory (peak RSS < 200 MB).
// Usage: node dist/bench/imapMemory.js [--kind process|thread] [--count N] [--chunksize N] [--limit-mb N] [--json]
// --json: print only one JSON line at the end (count, seconds, peak RSS of this process and of the workers),
// which is how the suite's task-count sweep (bench/sweeps/tasksSweep.ts) runs it.
// Prints the machine line, RSS every 10 % of the inputs, the peak RSS of this process and of the
// workers, and PASS/FAIL against the limit; the exit code is 1 on FAIL or on a wrong result.
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { Pool } from '../src/index.js';
import { countTo, printRunHeader } from './measure/printRunHeader.js';
import { mb, procStatusBytes, selfPeakRss } from './measure/memory.js';
import { dropSlowStartEnv } from './measure/dropSlowStartEnv.js';

const TASKS = new URL('./tasks/taskModule.js', import.meta.url);

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: {
      kind: { type: 'string', default: 'process' },
      count: { type: 'string', default: '10000000' },
      chunksize: { type: 'string', default: '1000' },
      'limit-mb': { type: 'string', default: '200' },
      json: { type: 'boolean', default: false },
    },
  });
  const kind = values.kind === 'thread' ? 'thread' : 'process';
  const count = Number(values.count);
  const chunksize = Number(values.chunksize);
  const limit = Number(values['limit-mb']) * (1 << 20);
  const jsonOnly = values.json;
  const say = (line: string): void => void (jsonOnly || console.log(line));
  if (!jsonOnly) printRunHeader();
  else dropSlowStartEnv();
  say(`imap over ${count.toLocaleString('en')} generator inputs, ${kind} pool, chunksize ${chunksize}, limit ${mb(limit)} peak RSS`);
  const pool = new Pool({ module: TASKS, kind, workers: 2 });
  const workerPeak = new Map<number, number>();
  const sampleWorkers = (): void => {
    for (const b of pool.bindings()) {
      if (b.pid === null || b.pid === process.pid) continue;
      const hwm = procStatusBytes(b.pid, 'VmHWM');
      if (hwm !== null) workerPeak.set(b.pid, Math.max(workerPeak.get(b.pid) ?? 0, hwm));
    }
  };
  // Workers start before the clock: the timed part is streaming, not start-up (start-up has its own row).
  await pool.ready();
  const t0 = performance.now();
  const step = Math.max(1, Math.floor(count / 10));
  let expected = 0;
  let wrong = 0;
  for await (const r of pool.imap('noop', countTo(count), { chunksize })) {
    if (r !== expected) wrong++;
    expected++;
    if (expected % step === 0) {
      sampleWorkers();
      const s = (performance.now() - t0) / 1000;
      say(`${expected.toLocaleString('en').padStart(12)} results  ${s.toFixed(1).padStart(6)} s  rss ${mb(process.memoryUsage.rss())}  heap ${mb(process.memoryUsage().heapUsed)}`);
    }
  }
  sampleWorkers();
  const seconds = (performance.now() - t0) / 1000;
  await pool.close();
  const peak = selfPeakRss();
  const workers = [...workerPeak.values()];
  say(`${expected.toLocaleString('en')} results in ${seconds.toFixed(1)} s (${Math.round(expected / seconds).toLocaleString('en')}/s), ${wrong} out of order or wrong`);
  say(`peak RSS: this process ${mb(peak)}${workers.length ? `, workers ${workers.map(mb).join(', ')} (VmHWM)` : ' (thread workers included)'}`);
  const ok = peak < limit && wrong === 0 && expected === count;
  if (jsonOnly) console.log(JSON.stringify({ count: expected, seconds, peakRss: peak, workerPeakRss: workers.length ? Math.max(...workers) : null, wrong }));
  say(ok ? `PASS: peak RSS ${mb(peak)} < ${mb(limit)}` : `FAIL: peak ${mb(peak)}, ${expected} results, ${wrong} wrong`);
  return ok ? 0 : 1;
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    console.error(`imapMemory: ${(err as Error).message}`);
    process.exit(1);
  },
);
