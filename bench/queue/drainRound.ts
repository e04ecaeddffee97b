import { readFileSync } from 'node:fs';
import type { Queue } from 'bullmq';

/** What one measured round took: jobs/s, and CPU milliseconds per job of the processes that serve the queue. */
export interface DrainMeasure {
  readonly rate: number;
  /** The consumer (host) process itself, without its children. */
  readonly hostMs: number;
  /** The host's child processes (process slots, sandbox children): the job and their own overhead. */
  readonly childrenMs: number;
  readonly redisMs: number;
  /** This process: adding the jobs and watching the queue drain. */
  readonly producerMs: number;
  /** Share of the machine's CPU time (all CPUs, every process) that was idle during the round. */
  readonly idle: number;
}

const TICK_MS = 10; // USER_HZ is 100 on Linux
const FIRST_BULK = 50;
const BULK = 1000;

/** utime + stime of one process (not its children), in ms; 0 when it is gone. */
export function processCpuMs(pid: number | null): number {
  if (pid === null) return 0;
  try {
    const f = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
    return (Number(f[11]) + Number(f[12])) * TICK_MS;
  } catch {
    return 0;
  }
}

/** Idle and total CPU time of the whole machine so far, in ticks (/proc/stat: idle + iowait of all CPUs). */
function machineTicks(): { idle: number; total: number } {
  const f = readFileSync('/proc/stat', 'utf8').split('\n', 1)[0]!.trim().split(/\s+/).slice(1, 9).map(Number);
  return { idle: f[3]! + f[4]!, total: f.reduce((a, b) => a + b, 0) };
}

/** Child processes of `pid` (its main thread's; Node starts them from there). */
function childrenOf(pid: number): number[] {
  try {
    return readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').trim().split(/\s+/).filter(Boolean).map(Number);
  } catch {
    return [];
  }
}

/**
 * One measured round: adds `n` jobs named `name` (data from `data(i)`) in bulk while the consumer
 * runs, and waits until the queue has nothing waiting, active or delayed. Completed jobs are removed
 * on completion (the same for every setup). Returns jobs/s from the first add to the drained queue,
 * and CPU per job of the host (`hostPid`), redis-server (`redisPid`) and this process.
 */
export async function drainRound(queue: Queue, name: string, n: number, data: (i: number) => unknown, pids: { host: number; redis: number | null }, chunk = 1): Promise<DrainMeasure> {
  const children = childrenOf(pids.host);
  const children0 = children.map(processCpuMs);
  const host0 = processCpuMs(pids.host);
  const redis0 = processCpuMs(pids.redis);
  const me0 = process.cpuUsage();
  const ticks0 = machineTicks();
  const started = performance.now();
  // chunk > 1: jobs of `chunk` inputs in corepin's chunk envelope (what submit's chunksize adds); n counts inputs.
  const jobData = (i: number): unknown =>
    chunk === 1 ? data(i) : { corepinModule: null, inputs: Array.from({ length: Math.min(chunk, n - i) }, (_, j) => data(i + j)) };
  // The jobs of one addBulk become visible together (one MULTI), so a first bulk of all 600 CPU-bound
  // jobs kept every consumer idle for the whole add (2–3 % of a round on an idle machine, more under
  // load): the producer's latency, which the ceiling (timing only its own loop) does not pay. A small
  // first bulk starts the consumer at once; the rest follows in bulks of 1000, as before, for every setup.
  for (let first = 0, size = FIRST_BULK; first < n; size = BULK) {
    const count = Math.ceil(Math.min(size * chunk, n - first) / chunk);
    await queue.addBulk(Array.from({ length: count }, (_, j) => ({ name, data: jobData(first + j * chunk), opts: { removeOnComplete: true, removeOnFail: true } })));
    first += count * chunk;
  }
  for (;;) {
    const left = Object.values(await queue.getJobCounts('waiting', 'active', 'delayed', 'prioritized')).reduce((a, b) => a + b, 0);
    if (left === 0) break;
    // Polling is the harness's own cost on the CPUs being measured (and on Redis): look rarely while
    // many jobs are left, every 5 ms near the end (a jobs/s estimate from the last look sets the pace).
    const elapsed = performance.now() - started;
    const done = n - left * chunk;
    const msPerJob = done > 0 ? elapsed / done : 1;
    await new Promise((r) => setTimeout(r, Math.min(200, Math.max(5, (left * msPerJob) / 2))));
  }
  const seconds = (performance.now() - started) / 1000;
  const me = process.cpuUsage(me0);
  const ticks = machineTicks();
  return {
    rate: n / seconds,
    hostMs: (processCpuMs(pids.host) - host0) / n,
    childrenMs: children.reduce((a, c, i) => a + processCpuMs(c) - children0[i]!, 0) / n,
    redisMs: (processCpuMs(pids.redis) - redis0) / n,
    producerMs: (me.user + me.system) / 1000 / n,
    idle: (ticks.idle - ticks0.idle) / Math.max(1, ticks.total - ticks0.total),
  };
}

/** Seconds to add `n` trivial jobs in bulk with no consumer (the producer's share of the time). */
export async function addOnly(queue: Queue, n: number): Promise<number> {
  const started = performance.now();
  for (let first = 0; first < n; first += 1000) {
    const count = Math.min(1000, n - first);
    await queue.addBulk(Array.from({ length: count }, (_, j) => ({ name: 'trivial', data: first + j, opts: { removeOnComplete: true } })));
  }
  const s = (performance.now() - started) / 1000;
  await queue.obliterate({ force: true });
  return s;
}
