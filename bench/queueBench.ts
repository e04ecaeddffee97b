// The queue benchmark: BullMQ's own processors and a corepin worker, in the same run, on the same
// redis-server, 2 jobs at a time (2 slots): trivial jobs and ~5 ms CPU-bound jobs, the compute
// ceiling of 2 processes measured in the same run, and a local Pool.map for the price of the queue.
// Alone: node dist/bench/queueBench.js [--quick] [--rounds N] [--prefetch 1,6] [--chunks 4,16] (extra
// corepin rows with those prefetch values / inputs per job, in the same rounds); also a section of
// `npm run bench`. QUEUE_BENCH_ONLY=id,id runs only those setups.
import { spawn } from 'node:child_process';
import os from 'node:os';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { Queue } from 'bullmq';
import { Pool } from '../src/index.js';
import { redisMissing, startRedis } from '../test/queue/redisServer.js';
import { addOnly, drainRound } from './queue/drainRound.js';
import { QUEUE_JOBS, QUEUE_SETUPS, corepinChunkSetup, corepinSetup } from './queue/queueSetups.js';
import { cpu } from './tasks/queueJobs.js';

/** What one run of the queue benchmark measured (jobs/s per round). */
export interface QueueBenchResult {
  readonly rounds: number;
  readonly trivialJobs: number;
  readonly cpuJobs: number;
  /** Work per CPU-bound job, and its time on an idle core at calibration. */
  readonly k: number;
  readonly jobMs: number;
  readonly rows: QueueBenchRow[];
  /**
   * Two processes running the CPU-bound job back to back, each timing only its own loop (not Node's
   * start-up): the most 2 CPUs can do with this job. Sum of the two processes' jobs/s; per round, the
   * mean of one measured right before and one right after corepin's CPU-bound round.
   */
  readonly ceiling: number[];
  /** CPU ms per job in the ceiling's processes (the job's own CPU cost). */
  readonly jobCpuMs: number[];
  readonly poolMap: { trivial: number[]; cpu: number[] };
  /** Seconds to addBulk the trivial jobs with no consumer. */
  readonly addSeconds: number[];
  readonly loadBefore: number;
  readonly loadAfter: number;
  readonly redis: string;
}

/** One setup's figures, per round: jobs/s, and CPU ms per CPU-bound job of its host process and of redis-server. */
export interface QueueBenchRow {
  readonly id: string;
  readonly label: string;
  readonly trivial: number[];
  readonly cpu: number[];
  readonly cpuHostMs: number[];
  /** The host's child processes (process slots, sandbox children), per CPU-bound job. */
  readonly cpuChildrenMs: number[];
  readonly cpuRedisMs: number[];
  readonly cpuProducerMs: number[];
  /** Share of the machine's CPU time that was idle during the CPU-bound round (/proc/stat, every process). */
  readonly cpuIdle: number[];
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

/**
 * Two processes each run n CPU-bound jobs back to back; jobs/s of both together. Each times its own
 * loop after one warm-up job: Node's start-up is not compute (timing it from outside counted 0.1–0.25 s
 * of start-up and import in a 1.5–3 s round: a ceiling 5–20 % too low, flattering every setup beside it).
 */
async function ceilingRound(k: number, n: number): Promise<{ rate: number; jobCpuMs: number }> {
  const code =
    `import(${JSON.stringify(pathToFileURL(QUEUE_JOBS).href)}).then((m) => { m.cpuLoop({ k: ${k}, n: 1 }); ` +
    `const t = performance.now(); const c = process.cpuUsage(); m.cpuLoop({ k: ${k}, n: ${n} }); const u = process.cpuUsage(c); ` +
    `process.stdout.write(JSON.stringify([${n} / ((performance.now() - t) / 1000), (u.user + u.system) / 1000 / ${n}])); })`;
  const runs = await Promise.all(
    [0, 1].map(
      () =>
        new Promise<[number, number]>((resolve, reject) => {
          const c = spawn(process.execPath, ['-e', code], { stdio: ['ignore', 'pipe', 'ignore'] });
          let out = '';
          c.stdout.setEncoding('utf8').on('data', (d: string) => (out += d));
          c.once('exit', (status) => (status === 0 && out.startsWith('[') ? resolve(JSON.parse(out) as [number, number]) : reject(new Error(`ceiling process exited ${status}: ${out}`))));
        }),
    ),
  );
  return { rate: runs[0]![0] + runs[1]![0], jobCpuMs: (runs[0]![1] + runs[1]![1]) / 2 };
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
export async function runQueueBench(options: { quick?: boolean; rounds?: number; prefetch?: readonly number[]; chunks?: readonly number[]; log?: (line: string) => void } = {}): Promise<QueueBenchResult> {
  const log = options.log ?? ((l: string) => void process.stderr.write(`queue bench: ${l}\n`));
  const missing = redisMissing();
  if (missing !== null) throw new Error(`queue bench: ${missing}`);
  const rounds = options.rounds ?? (options.quick ? 1 : 3);
  // --quick is a smoke run kept under a minute for the whole suite: the queue section is its largest part.
  const trivialJobs = options.quick ? 600 : 5000;
  const cpuJobs = options.quick ? 120 : 600;
  const { k, jobMs } = calibrate(5);
  const loadBefore = os.loadavg()[0]!;
  const redis = await startRedis();
  const version = await new Promise<string>((resolve) => {
    const c = spawn('redis-server', ['--version'], { stdio: ['ignore', 'pipe', 'ignore'] });
    let out = '';
    c.stdout.setEncoding('utf8').on('data', (d: string) => (out += d));
    c.once('exit', () => resolve(/v=(\S+)/.exec(out)?.[1] ?? 'unknown'));
  });
  const setups = [...QUEUE_SETUPS, ...(options.prefetch ?? []).map((p) => corepinSetup(p)), ...(options.chunks ?? []).map((c) => corepinChunkSetup(c))];
  const rows: QueueBenchRow[] = setups.map((s) => ({ id: s.id, label: s.label, trivial: [], cpu: [], cpuHostMs: [], cpuChildrenMs: [], cpuRedisMs: [], cpuProducerMs: [], cpuIdle: [] }));
  const ceiling: number[] = [];
  const jobCpuMs: number[] = [];
  const poolMap = { trivial: [] as number[], cpu: [] as number[] };
  const addSeconds: number[] = [];
  try {
    for (let r = 0; r < rounds; r++) {
      const addQueue = new Queue(`bench-add-${process.pid}-${r}`, { connection: { url: redis.url } });
      addSeconds.push(await addOnly(addQueue, trivialJobs));
      await addQueue.close();
      // Setups interleaved within each round, so a burst of load elsewhere hits them alike.
      const tops: { rate: number; jobCpuMs: number }[] = [];
      for (const [i, setup] of setups.entries()) {
        if (process.env['QUEUE_BENCH_ONLY'] !== undefined && !process.env['QUEUE_BENCH_ONLY'].split(',').includes(setup.id)) continue;
        const name = `bench-${setup.id}-${process.pid}-${r}`;
        const queue = new Queue(name, { connection: { url: redis.url } });
        const consumer = await setup.start(name, redis.url);
        try {
          const pids = { host: consumer.pid, redis: redis.pid() };
          const chunk = setup.chunk ?? 1;
          await drainRound(queue, 'trivial', 200, (x) => x, pids, chunk); // warm-up: sandbox children started, JIT warm
          await drainRound(queue, 'cpu', 10, (x) => ({ k, x }), pids, chunk);
          const row = rows[i]!;
          row.trivial.push((await drainRound(queue, 'trivial', trivialJobs, (x) => x, pids, chunk)).rate);
          // corepin's goal is a fraction of the ceiling: measured right before and right after its
          // CPU-bound round (mean of the two), so load that comes and goes hits both alike.
          const before = setup.id === 'corepin' ? await ceilingRound(k, cpuJobs / 2) : null;
          const c = await drainRound(queue, 'cpu', cpuJobs, (x) => ({ k, x }), pids, chunk);
          if (before !== null) tops.push(before, await ceilingRound(k, cpuJobs / 2));
          row.cpu.push(c.rate);
          row.cpuHostMs.push(c.hostMs);
          row.cpuChildrenMs.push(c.childrenMs);
          row.cpuRedisMs.push(c.redisMs);
          row.cpuProducerMs.push(c.producerMs);
          row.cpuIdle.push(c.idle);
          log(`round ${r + 1}/${rounds} ${setup.id}: trivial ${row.trivial.at(-1)!.toFixed(0)}/s, cpu ${c.rate.toFixed(1)}/s (CPU ms per job: host ${c.hostMs.toFixed(2)}, its children ${c.childrenMs.toFixed(2)}, redis ${c.redisMs.toFixed(2)}, producer ${c.producerMs.toFixed(2)}; CPUs idle ${(100 * c.idle).toFixed(1)} %)`);
        } finally {
          await consumer.stop();
          await queue.obliterate({ force: true }).catch(() => {});
          await queue.close();
        }
      }
      if (tops.length === 0) tops.push(await ceilingRound(k, cpuJobs / 2));
      ceiling.push(tops.reduce((a, t) => a + t.rate, 0) / tops.length);
      jobCpuMs.push(tops.reduce((a, t) => a + t.jobCpuMs, 0) / tops.length);
      poolMap.trivial.push(await poolMapRound('trivial', trivialJobs, k));
      poolMap.cpu.push(await poolMapRound('cpu', cpuJobs, k));
      log(`round ${r + 1}/${rounds}: ceiling ${ceiling.at(-1)!.toFixed(1)}/s, Pool.map trivial ${poolMap.trivial.at(-1)!.toFixed(0)}/s, cpu ${poolMap.cpu.at(-1)!.toFixed(1)}/s`);
    }
  } finally {
    await redis.remove();
  }
  return { rounds, trivialJobs, cpuJobs, k, jobMs, rows, ceiling, jobCpuMs, poolMap, addSeconds, loadBefore, loadAfter: os.loadavg()[0]!, redis: version };
}

/**
 * What the CPU per job allows, as a share of the ceiling: the ceiling's processes spend `job` ms of CPU
 * per job, every process serving the queue `spent` ms together, so on the same 2 CPUs the queue does at
 * most job ÷ spent of the ceiling's jobs/s. Both are CPU times, so load elsewhere changes neither much.
 * `spent` takes the slots' own measured CPU (job and overhead), never the ceiling's job in its place.
 */
function bound(job: number, spent: number): { pct: number; text: string } {
  const pct = (100 * job) / spent;
  return { pct, text: `at most ${job.toFixed(2)} ÷ ${spent.toFixed(2)} = **${pct.toFixed(0)} %** of the ceiling` };
}

/**
 * The CPU-bound goal, and the limit the same run measured: the 2 CPUs also run the host process,
 * redis-server and the producer, so at best jobs/s = 2 CPUs ÷ (slots + host + redis + producer CPU per
 * job). How busy those processes kept the 2 CPUs (jobs/s × CPU per job ÷ 2) and how idle the machine
 * was (/proc/stat) say where the rest went: slots left unfed, or other work.
 */
function cpuGoalLine(r: QueueBenchResult, corepin: QueueBenchRow, ceiling: number): string {
  const got = (100 * median(corepin.cpu)) / ceiling;
  const [slots, host, redis, producer] = [corepin.cpuChildrenMs, corepin.cpuHostMs, corepin.cpuRedisMs, corepin.cpuProducerMs].map(median) as [number, number, number, number];
  const spent = slots + host + redis + producer;
  const { pct: limit, text } = bound(median(r.jobCpuMs), spent);
  const busy = 100 * median(corepin.cpu.map((rate, i) => (rate * (corepin.cpuChildrenMs[i]! + corepin.cpuHostMs[i]! + corepin.cpuRedisMs[i]! + corepin.cpuProducerMs[i]!)) / 2000));
  // Met only when both say so: a wall-clock ratio above what the CPU per job allows is load that came
  // or went between the ceiling and the run, not speed.
  const met = got >= 90 && limit >= 90;
  const noisy = got > limit + 5 ? ` (above the ${limit.toFixed(0)} % the CPU per job allows: the load changed between the ceiling and the run)` : '';
  return (
    `- goal: corepin CPU-bound ≥ 90 % of the compute ceiling: **${got.toFixed(0)} %**${noisy} ${met ? '✅ met' : '❌ not met'}. ` +
    `CPU ms per job in this run: corepin's slots ${slots.toFixed(2)} (the job and the worker's own share; the job took ${median(r.jobCpuMs).toFixed(2)} in the ceiling's processes), ` +
    `host process ${host.toFixed(2)}, redis-server ${redis.toFixed(2)}, producer (this bench: addBulk, watching the queue) ${producer.toFixed(2)}: ` +
    `with all of them on these 2 CPUs, ${text}; in the round these processes kept the 2 CPUs **${busy.toFixed(0)} %** busy (the machine's CPUs idle: ${(100 * median(corepin.cpuIdle)).toFixed(0)} %; the rest: other work)`
  );
}

/**
 * Where the 90 % goal's CPU budget goes, from this run's own figures: 90 % of the ceiling allows
 * job ÷ 0.9 − job ms per job beyond the job. redis-server and the producer take their share (corepin's
 * row), BullMQ's own host work is its in-process Worker's host CPU minus the job (the job runs in that
 * process), and the rest is left for the hop to separate slots: corepin's slots + host minus the
 * in-process Worker's host, the job inside both, so the ceiling's job CPU cancels out of the hop.
 */
function budgetLine(r: QueueBenchResult, corepin: QueueBenchRow): string | null {
  const inproc = r.rows.find((x) => x.id === 'bullmq-inprocess');
  if (inproc === undefined || inproc.cpu.length === 0) return null;
  const job = median(r.jobCpuMs);
  const budget = job / 0.9 - job;
  const shared = median(corepin.cpuRedisMs) + median(corepin.cpuProducerMs);
  const bullHost = median(inproc.cpuHostMs);
  // Below zero when the in-process Worker's job ran on less CPU than the ceiling's (processes differ by
  // more than BullMQ's share): no cost to subtract, and none to print as negative.
  const bullOwn = bullHost - job;
  const left = budget - shared - Math.max(0, bullOwn);
  const bullText = bullOwn >= 0 ? bullOwn.toFixed(2) : '≈ 0';
  const bullWhy = bullOwn >= 0 ? '' : `, ${(-bullOwn).toFixed(2)} below the ceiling's job: the job's own CPU differs between processes by more than BullMQ's share`;
  const hop = median(corepin.cpuChildrenMs) + median(corepin.cpuHostMs) - bullHost;
  const thread = r.rows.find((x) => x.id === 'corepin-thread' && x.cpu.length > 0);
  const threadText = thread === undefined ? '' : `, **${ms(median(thread.cpuHostMs) - bullHost)}** with thread slots (host with its slot threads ${median(thread.cpuHostMs).toFixed(2)})`;
  return (
    `- the 90 % budget, CPU ms per job: ${job.toFixed(2)} ÷ 0.9 − ${job.toFixed(2)} = **${budget.toFixed(2)} ms** per job beyond the job for everything else on these 2 CPUs; ` +
    `redis-server + producer take ${shared.toFixed(2)} (corepin's row), BullMQ's own host work ${bullText} (its in-process Worker's host ${bullHost.toFixed(2)} with the job in it${bullWhy}), ` +
    `leaving **${left >= 0.005 ? `${left.toFixed(2)} ms` : 'nothing'}** for the hop from the host to its slots. The hop (slots + host − the in-process Worker's host, the job in both) costs ` +
    `**${ms(hop)}** with process slots${threadText}`
  );
}

/** A CPU cost that noise can put just under zero: said as measured, never as a negative cost. */
function ms(x: number): string {
  return x >= 0.005 ? `${x.toFixed(2)} ms` : `≈ 0 ms (${x.toFixed(2)} measured, within noise)`;
}

/** The thread-slot row against the same ceiling: its slots run inside the host process, so host CPU includes the job. */
function threadLine(r: QueueBenchResult, row: QueueBenchRow, ceiling: number): string {
  const got = (100 * median(row.cpu)) / ceiling;
  const { text } = bound(median(r.jobCpuMs), median(row.cpuHostMs) + median(row.cpuRedisMs) + median(row.cpuProducerMs));
  return (
    `- the same with thread slots (\`corepin worker --kind thread\`, not the default): **${got.toFixed(0)} %** of the ceiling; CPU ms per job: host process with its slot threads ` +
    `${median(row.cpuHostMs).toFixed(2)}, redis-server ${median(row.cpuRedisMs).toFixed(2)}, producer ${median(row.cpuProducerMs).toFixed(2)}: ${text}`
  );
}

/**
 * A chunked row (several inputs per job) against the same ceiling: not the goal's setup (the goal is one
 * input per job), so its own line, never the goal's verdict.
 */
function chunkLine(r: QueueBenchResult, row: QueueBenchRow, ceiling: number): string {
  const got = (100 * median(row.cpu)) / ceiling;
  const [slots, host, redis, producer] = [row.cpuChildrenMs, row.cpuHostMs, row.cpuRedisMs, row.cpuProducerMs].map(median) as [number, number, number, number];
  return (
    `- not the goal's setup — ${row.label}: **${got.toFixed(0)} %** of the ceiling ` +
    `(${(median(row.cpu) / Math.max(...r.rows.filter((x) => x.id === 'bullmq-process').map((x) => median(x.cpu)))).toFixed(2)}× BullMQ's sandbox with child processes); CPU ms per input: slots ${slots.toFixed(2)}, host process ${host.toFixed(2)}, ` +
    `redis-server ${redis.toFixed(2)}, producer ${producer.toFixed(2)}: ${bound(median(r.jobCpuMs), slots + host + redis + producer).text}. ` +
    `A job of several inputs fails, is retried and runs again after a host dies as a whole`
  );
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
    '| setup | trivial jobs/s | ~5 ms CPU-bound jobs/s | CPU-bound ÷ ceiling | CPU ms per CPU-bound job: host process (in-process and thread setups: with the job) + redis-server |',
    '| :--- | ---: | ---: | ---: | ---: |',
    ...r.rows.map((x) => {
      const t = m(x.trivial);
      const c = m(x.cpu);
      const vs = x.id === 'corepin' ? ['', ''] : [` (${(m(corepin.trivial) / t).toFixed(2)}×)`, ` (${(m(corepin.cpu) / c).toFixed(2)}×)`];
      return `| ${x.label} | ${fmt(t)}${vs[0]} | ${fmt(c)}${vs[1]} | ${((100 * c) / ceiling).toFixed(0)} % | ${m(x.cpuHostMs).toFixed(2)} + ${m(x.cpuRedisMs).toFixed(2)} |`;
    }),
    `| compute ceiling: 2 processes running the job back to back (right before and after corepin's round) | — | ${fmt(ceiling)} | 100 % | — |`,
    `| local Pool.map, 2 process workers (no queue) | ${fmt(m(r.poolMap.trivial))} | ${fmt(m(r.poolMap.cpu))} | ${((100 * m(r.poolMap.cpu)) / ceiling).toFixed(0)} % | — |`,
    '',
    `- goal: corepin trivial ≥ 1.0× the best sandboxed setup: **${(m(corepin.trivial) / bestSandbox).toFixed(2)}×** ${m(corepin.trivial) >= bestSandbox ? '✅ met' : '❌ not met'}`,
    cpuGoalLine(r, corepin, ceiling),
    ...r.rows.filter((x) => x.id === 'corepin-thread' && x.cpu.length > 0).map((x) => threadLine(r, x, ceiling)),
    ...r.rows.filter((x) => x.id.startsWith('corepin-chunk-') && x.cpu.length > 0).map((x) => chunkLine(r, x, ceiling)),
    ...[budgetLine(r, corepin)].filter((l): l is string => l !== null),
    `- price of the queue (local Pool.map ÷ corepin queue): trivial ${(m(r.poolMap.trivial) / m(corepin.trivial)).toFixed(1)}×, CPU-bound ${(m(r.poolMap.cpu) / m(corepin.cpu)).toFixed(2)}×`,
    `- addBulk alone of the ${r.trivialJobs} trivial jobs: ${m(r.addSeconds).toFixed(2)} s = ${((100 * m(r.addSeconds) * m(inproc.trivial)) / r.trivialJobs).toFixed(0)} % of the in-process Worker's time`,
    `- load average ${r.loadBefore.toFixed(2)} before, ${r.loadAfter.toFixed(2)} after${r.loadBefore > 0.5 || r.loadAfter > 0.5 ? ': other work was running, these numbers are noisy' : ''}`,
  ];
  return lines.join('\n');
}

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { quick: { type: 'boolean', default: false }, rounds: { type: 'string' }, prefetch: { type: 'string' }, chunks: { type: 'string' } } });
  const chunks = values.chunks === undefined ? [] : values.chunks.split(',').map(Number);
  if (chunks.some((c) => !Number.isInteger(c) || c < 2)) throw new Error(`--chunks takes whole numbers >= 2, e.g. --chunks 4,16; got ${values.chunks}`);
  const prefetch = values.prefetch === undefined ? [] : values.prefetch.split(',').map(Number);
  if (prefetch.some((p) => !Number.isInteger(p) || p < 1)) throw new Error(`--prefetch takes whole numbers >= 1, e.g. --prefetch 1,6; got ${values.prefetch}`);
  const r = await runQueueBench({ quick: values.quick, prefetch, chunks, ...(values.rounds !== undefined ? { rounds: Number(values.rounds) } : {}) });
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
