// The queue benchmark: BullMQ's own processors and a corepin worker, in the same run, on the same
// redis-server, 2 jobs at a time (2 slots): trivial jobs and ~5 ms CPU-bound jobs, the compute
// ceiling of 2 processes measured in the same run, and a local Pool.map for the price of the queue.
// Alone: node dist/bench/queueBench.js [--quick] [--rounds N] [--prefetch 1,6] (extra corepin rows with
// those prefetch values, in the same rounds); also a section of `npm run bench`.
import { spawn } from 'node:child_process';
import os from 'node:os';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { Queue } from 'bullmq';
import { Pool } from '../src/index.js';
import { redisMissing, startRedis } from '../test/queue/redisServer.js';
import { addOnly, drainRound } from './queue/drainRound.js';
import { QUEUE_JOBS, QUEUE_SETUPS, corepinSetup } from './queue/queueSetups.js';
import { cpu } from './tasks/queueJobs.js';

/** What one run of the queue benchmark measured (jobs/s per round). */
export interface QueueBenchResult {
  readonly rounds: number;
  readonly trivialJobs: number;
  readonly cpuJobs: number;
  /** Work per CPU-bound job, and its time on an idle core at calibration. */
  readonly k: number;
  readonly jobMs: number;
  readonly rows: { id: string; label: string; trivial: number[]; cpu: number[] }[];
  /** Two processes running the CPU-bound job back to back: the most 2 CPUs can do. */
  readonly ceiling: number[];
  readonly poolMap: { trivial: number[]; cpu: number[] };
  /** Seconds to addBulk the trivial jobs with no consumer. */
  readonly addSeconds: number[];
  readonly loadBefore: number;
  readonly loadAfter: number;
  readonly redis: string;
}

const median = (xs: readonly number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length === 0 ? NaN : s.length % 2 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
};

/** k such that cpu({ k }) takes about `ms` on this core (best of 5, so load inflates it least). */
function calibrate(ms: number): { k: number; jobMs: number } {
  const probe = 200_000;
  let best = Infinity;
  for (let i = 0; i < 5; i++) {
    const t = performance.now();
    cpu({ k: probe, x: i });
    best = Math.min(best, performance.now() - t);
  }
  const k = Math.round((probe * ms) / best);
  return { k, jobMs: ms };
}

/** Two processes each run n CPU-bound jobs back to back; jobs/s of both together. */
async function ceilingRound(k: number, n: number): Promise<number> {
  const code = `import(${JSON.stringify(pathToFileURL(QUEUE_JOBS).href)}).then((m) => m.cpuLoop({ k: ${k}, n: ${n} }))`;
  const started = performance.now();
  await Promise.all(
    [0, 1].map(
      () =>
        new Promise<void>((resolve, reject) => {
          const c = spawn(process.execPath, ['-e', code], { stdio: 'ignore' });
          c.once('exit', (status) => (status === 0 ? resolve() : reject(new Error(`ceiling process exited ${status}`))));
        }),
    ),
  );
  return (2 * n) / ((performance.now() - started) / 1000);
}

async function poolMapRound(fn: 'trivial' | 'cpu', n: number, k: number): Promise<number> {
  const pool = new Pool({ module: QUEUE_JOBS, workers: 2 });
  await pool.ready();
  const inputs = fn === 'trivial' ? Array.from({ length: n }, (_, i) => i) : Array.from({ length: n }, (_, x) => ({ k, x }));
  const started = performance.now();
  await pool.map(fn, inputs);
  const rate = n / ((performance.now() - started) / 1000);
  await pool.close();
  return rate;
}

/** Runs the queue benchmark; `log` gets progress lines. */
export async function runQueueBench(options: { quick?: boolean; rounds?: number; prefetch?: readonly number[]; log?: (line: string) => void } = {}): Promise<QueueBenchResult> {
  const log = options.log ?? ((l: string) => void process.stderr.write(`queue bench: ${l}\n`));
  const missing = redisMissing();
  if (missing !== null) throw new Error(`queue bench: ${missing}`);
  const rounds = options.rounds ?? (options.quick ? 1 : 3);
  const trivialJobs = options.quick ? 1000 : 5000;
  const cpuJobs = options.quick ? 200 : 600;
  const { k, jobMs } = calibrate(5);
  const loadBefore = os.loadavg()[0]!;
  const redis = await startRedis();
  const version = await new Promise<string>((resolve) => {
    const c = spawn('redis-server', ['--version'], { stdio: ['ignore', 'pipe', 'ignore'] });
    let out = '';
    c.stdout.setEncoding('utf8').on('data', (d: string) => (out += d));
    c.once('exit', () => resolve(/v=(\S+)/.exec(out)?.[1] ?? 'unknown'));
  });
  const setups = [...QUEUE_SETUPS, ...(options.prefetch ?? []).map((p) => corepinSetup(p))];
  const rows = setups.map((s) => ({ id: s.id, label: s.label, trivial: [] as number[], cpu: [] as number[] }));
  const ceiling: number[] = [];
  const poolMap = { trivial: [] as number[], cpu: [] as number[] };
  const addSeconds: number[] = [];
  try {
    for (let r = 0; r < rounds; r++) {
      const addQueue = new Queue(`bench-add-${process.pid}-${r}`, { connection: { url: redis.url } });
      addSeconds.push(await addOnly(addQueue, trivialJobs));
      await addQueue.close();
      // Setups interleaved within each round, so a burst of load elsewhere hits them alike.
      for (const [i, setup] of setups.entries()) {
        if (process.env['QUEUE_BENCH_ONLY'] !== undefined && !process.env['QUEUE_BENCH_ONLY'].split(',').includes(setup.id)) continue;
        const name = `bench-${setup.id}-${process.pid}-${r}`;
        const queue = new Queue(name, { connection: { url: redis.url } });
        const consumer = await setup.start(name, redis.url);
        try {
          await drainRound(queue, 'trivial', 200, (x) => x); // warm-up: sandbox children started, JIT warm
          rows[i]!.trivial.push(await drainRound(queue, 'trivial', trivialJobs, (x) => x));
          rows[i]!.cpu.push(await drainRound(queue, 'cpu', cpuJobs, (x) => ({ k, x })));
          log(`round ${r + 1}/${rounds} ${setup.id}: trivial ${rows[i]!.trivial.at(-1)!.toFixed(0)}/s, cpu ${rows[i]!.cpu.at(-1)!.toFixed(1)}/s`);
        } finally {
          await consumer.stop();
          await queue.obliterate({ force: true }).catch(() => {});
          await queue.close();
        }
      }
      ceiling.push(await ceilingRound(k, cpuJobs / 2));
      poolMap.trivial.push(await poolMapRound('trivial', trivialJobs, k));
      poolMap.cpu.push(await poolMapRound('cpu', cpuJobs, k));
      log(`round ${r + 1}/${rounds}: ceiling ${ceiling.at(-1)!.toFixed(1)}/s, Pool.map trivial ${poolMap.trivial.at(-1)!.toFixed(0)}/s, cpu ${poolMap.cpu.at(-1)!.toFixed(1)}/s`);
    }
  } finally {
    await redis.remove();
  }
  return { rounds, trivialJobs, cpuJobs, k, jobMs, rows, ceiling, poolMap, addSeconds, loadBefore, loadAfter: os.loadavg()[0]!, redis: version };
}

/** The queue section as Markdown: one table, the goals, the load. */
export function formatQueueBench(r: QueueBenchResult): string {
  const m = (xs: readonly number[]): number => median(xs);
  const fmt = (x: number): string => (x >= 100 ? x.toFixed(0) : x.toFixed(1));
  const corepin = r.rows.find((x) => x.id === 'corepin')!;
  const bestSandbox = Math.max(...r.rows.filter((x) => x.id === 'bullmq-process' || x.id === 'bullmq-thread').map((x) => m(x.trivial)));
  const ceiling = m(r.ceiling);
  const inproc = r.rows.find((x) => x.id === 'bullmq-inprocess')!;
  const lines = [
    `BullMQ on redis-server ${r.redis}, same run, same Redis, 2 jobs at a time; median of ${r.rounds} round(s); ${r.trivialJobs} trivial and ${r.cpuJobs} CPU-bound (~${r.jobMs} ms each when calibrated at the start of the run, k=${r.k}) jobs per round. ` +
      `In parentheses: corepin ÷ this setup.`,
    '',
    '| setup | trivial jobs/s | ~5 ms CPU-bound jobs/s | CPU-bound ÷ ceiling |',
    '| :--- | ---: | ---: | ---: |',
    ...r.rows.map((x) => {
      const t = m(x.trivial);
      const c = m(x.cpu);
      const vs = x.id === 'corepin' ? ['', ''] : [` (${(m(corepin.trivial) / t).toFixed(2)}×)`, ` (${(m(corepin.cpu) / c).toFixed(2)}×)`];
      return `| ${x.label} | ${fmt(t)}${vs[0]} | ${fmt(c)}${vs[1]} | ${((100 * c) / ceiling).toFixed(0)} % |`;
    }),
    `| compute ceiling: 2 processes running the job back to back | — | ${fmt(ceiling)} | 100 % |`,
    `| local Pool.map, 2 process workers (no queue) | ${fmt(m(r.poolMap.trivial))} | ${fmt(m(r.poolMap.cpu))} | ${((100 * m(r.poolMap.cpu)) / ceiling).toFixed(0)} % |`,
    '',
    `- goal: corepin trivial ≥ 1.0× the best sandboxed setup: **${(m(corepin.trivial) / bestSandbox).toFixed(2)}×** ${m(corepin.trivial) >= bestSandbox ? '✅ met' : '❌ not met'}`,
    `- goal: corepin CPU-bound ≥ 90 % of the compute ceiling: **${((100 * m(corepin.cpu)) / ceiling).toFixed(0)} %** ${m(corepin.cpu) >= 0.9 * ceiling ? '✅ met' : '❌ not met'}`,
    `- price of the queue (local Pool.map ÷ corepin queue): trivial ${(m(r.poolMap.trivial) / m(corepin.trivial)).toFixed(1)}×, CPU-bound ${(m(r.poolMap.cpu) / m(corepin.cpu)).toFixed(2)}×`,
    `- addBulk alone of the ${r.trivialJobs} trivial jobs: ${m(r.addSeconds).toFixed(2)} s = ${((100 * m(r.addSeconds) * m(inproc.trivial)) / r.trivialJobs).toFixed(0)} % of the in-process Worker's time`,
    `- load average ${r.loadBefore.toFixed(2)} before, ${r.loadAfter.toFixed(2)} after${r.loadBefore > 0.5 || r.loadAfter > 0.5 ? ': other work was running, these numbers are noisy' : ''}`,
  ];
  return lines.join('\n');
}

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { quick: { type: 'boolean', default: false }, rounds: { type: 'string' }, prefetch: { type: 'string' } } });
  const prefetch = values.prefetch === undefined ? [] : values.prefetch.split(',').map(Number);
  if (prefetch.some((p) => !Number.isInteger(p) || p < 1)) throw new Error(`--prefetch takes whole numbers >= 1, e.g. --prefetch 1,6; got ${values.prefetch}`);
  const r = await runQueueBench({ quick: values.quick, prefetch, ...(values.rounds !== undefined ? { rounds: Number(values.rounds) } : {}) });
  console.log(formatQueueBench(r));
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  main().then(
    () => process.exit(0),
    (err: unknown) => {
      process.stderr.write(`queue bench: ${(err as Error).message}\n`);
      process.exit(1);
    },
  );
}
