import { randomBytes } from 'node:crypto';
import type { ConnectionOptions, JobsOptions, Queue, QueueEvents } from 'bullmq';
import type { Redis } from 'ioredis';
import { checkQueueName, positiveInt } from './checkOptions.js';
import { JobFailedError, QueueOptionsError, type RedisUnreachableError } from './errors.js';
import type { JobChunkEnvelope, JobChunkResult, JobEnvelope, JobResult } from './JobResult.js';
import { loadBullmq } from './loadBullmq.js';
import { checkRedis, resolveConnection, type RedisConnection, type ResolvedConnection } from './redisConnection.js';

/** Options of {@link submit}. Defaults in brackets. */
export interface SubmitOptions {
  /** Redis URL or ioredis options. [$REDIS_URL, else redis://127.0.0.1:6379] */
  readonly connection?: RedisConnection;
  /** Yield results in input order as they complete (like imap) instead of returning job ids. [false] */
  readonly wait?: boolean;
  /** File name of the task module the jobs are for: a host serving another module fails them. [null: any] */
  readonly module?: string | null;
  /** BullMQ job options of every job (attempts, backoff, priority …). [results kept 1 h, failures 24 h] */
  readonly jobOptions?: JobsOptions;
  /** Jobs added per `addBulk`. [500] */
  readonly batch?: number;
  /**
   * Inputs per job. [1] Above 1, each job carries up to this many inputs ({@link JobChunkEnvelope}) and
   * one slot runs them in turn: the queue's per-job cost (Redis scripts, the host's BullMQ work, the hop
   * to the slot) is paid once per chunk. Results are still yielded one per input, in input order. The
   * job is the unit of failure: an input that throws fails its whole chunk (every input of it yields the
   * same {@link JobFailedError}); attempts, stalled-job recovery and at-least-once apply per chunk, so a
   * chunk whose host died runs again as a whole. Without `wait`, one id per job (chunk) is returned.
   */
  readonly chunksize?: number;
  /** With `wait`: most jobs added but not yet yielded; input is read only as results are consumed. [10000] */
  readonly window?: number;
  /** Give up after Redis has been unreachable this long (ms). [60000] */
  readonly reconnectFor?: number;
}

/** What `submit(…, { wait: true })` yields per input, in input order. */
export type SubmitResult<T = unknown> = JobResult<T> | JobFailedError;

// How often the head of the window is checked; when it did not move for a tick, this many pending jobs are
// read back from Redis, for results whose event was missed (a reconnect, a trimmed stream).
const SWEEP_MS = 500;
const SWEEP_JOBS = 500;

/**
 * Adds one job per input to `queue` — job name = `fn` (the export), data = {@link JobEnvelope} — in
 * bulk. Without `wait`, resolves with the job ids. With `wait`, yields each job's {@link JobResult}
 * in input order as results arrive, or a {@link JobFailedError} for a job that failed for good
 * (after BullMQ's attempts); breaking out of the loop stops adding jobs.
 *
 * @throws {RedisUnreachableError | QueueDependencyError | QueueOptionsError}
 */
export function submit<T = unknown>(queue: string, fn: string, inputs: Iterable<unknown> | AsyncIterable<unknown>, options: SubmitOptions & { wait: true }): AsyncIterableIterator<SubmitResult<T>>;
export function submit(queue: string, fn: string, inputs: Iterable<unknown> | AsyncIterable<unknown>, options?: SubmitOptions & { wait?: false }): Promise<string[]>;
export function submit<T = unknown>(queue: string, fn: string, inputs: Iterable<unknown> | AsyncIterable<unknown>, options: SubmitOptions = {}): AsyncIterableIterator<SubmitResult<T>> | Promise<string[]> {
  checkQueueName(queue);
  if (typeof fn !== 'string' || fn === '') throw new QueueOptionsError('submit: `fn` must be the name of an export');
  const batch = positiveInt(options.batch ?? 500, 'batch', false);
  const window = positiveInt(options.window ?? 10_000, 'window', false);
  const chunksize = positiveInt(options.chunksize ?? 1, 'chunksize', false);
  // batch counts jobs; below, batches are counted in inputs (a whole number of chunks).
  if (options.wait === true) return waitForResults<T>(queue, fn, inputs, options, batch * chunksize, Math.max(window, batch * chunksize));
  return addOnly(queue, fn, inputs, options, batch * chunksize);
}

interface Session {
  conn: ResolvedConnection;
  queue: Queue;
  failure: Error | null;
  close(): Promise<void>;
}

async function open(queueName: string, options: SubmitOptions, onFailure: (err: Error) => void): Promise<Session> {
  const { Queue } = await loadBullmq();
  const session: Partial<Session> = { failure: null };
  const conn = resolveConnection(options.connection, {
    reconnectFor: options.reconnectFor,
    onGiveUp: (err: RedisUnreachableError) => {
      session.failure ??= err;
      onFailure(err);
    },
  });
  await checkRedis(conn);
  const queue = new Queue(queueName, { connection: conn.options as ConnectionOptions });
  queue.on('error', () => {}); // reconnects are bounded by the retry strategy; give-up is reported once
  session.conn = conn;
  session.queue = queue;
  session.close = () => queue.close().catch(() => {});
  return session as Session;
}

/** The jobs of `items` (inputs from `firstIndex` on): one per input, or one per chunk; a job's id ends in the index of its first input. */
function jobsOf(fn: string, items: readonly unknown[], firstIndex: number, runId: string, options: SubmitOptions) {
  const module = options.module ?? null;
  const opts: JobsOptions = { removeOnComplete: { age: 3600 }, removeOnFail: { age: 24 * 3600 }, ...options.jobOptions };
  const size = options.chunksize ?? 1;
  const jobs: { name: string; data: JobEnvelope | JobChunkEnvelope; opts: JobsOptions }[] = [];
  for (let i = 0; i < items.length; i += size) {
    const data = size === 1 ? { corepinModule: module, input: items[i] } : { corepinModule: module, inputs: items.slice(i, i + size) };
    jobs.push({ name: fn, data, opts: { ...opts, jobId: `${runId}-${firstIndex + i}` } });
  }
  return jobs;
}

async function addOnly(queueName: string, fn: string, inputs: Iterable<unknown> | AsyncIterable<unknown>, options: SubmitOptions, batch: number): Promise<string[]> {
  const s = await open(queueName, options, () => {});
  const runId = randomBytes(6).toString('hex');
  const ids: string[] = [];
  let added = 0;
  try {
    let items: unknown[] = [];
    const flush = async (): Promise<void> => {
      const jobs = await s.queue.addBulk(jobsOf(fn, items, added, runId, options));
      for (const j of jobs) ids.push(j.id!);
      added += items.length;
      items = [];
    };
    for await (const input of inputs) {
      items.push(input);
      if (items.length >= batch) await flush();
    }
    if (items.length > 0) await flush();
    return ids;
  } finally {
    await s.close();
  }
}

/** Shared by the loop that yields results and the one that adds jobs. */
interface Flow {
  added: number;
  next: number;
  inputDone: boolean;
  inputError: unknown;
  stopped: boolean;
  /** Wakes the yielding loop (a result, an add, a failure). */
  poke(): void;
  /** Wakes the adding loop (a result was consumed). */
  feederWake: (() => void) | null;
}

/** Adds jobs in batches, at most `window` ahead of the consumer. */
async function feed(flow: Flow, queue: Queue, fn: string, inputs: Iterable<unknown> | AsyncIterable<unknown>, options: SubmitOptions, runId: string, batch: number, window: number): Promise<void> {
  let items: unknown[] = [];
  const flush = async (): Promise<void> => {
    const first = flow.added;
    const jobs = jobsOf(fn, items, first, runId, options);
    // Counted (in inputs) before the add returns: a fast host may finish a job before addBulk resolves.
    flow.added = first + items.length;
    items = [];
    await queue.addBulk(jobs);
    flow.poke();
  };
  try {
    for await (const input of inputs) {
      if (flow.stopped) return;
      items.push(input);
      if (items.length >= batch) await flush();
      while (!flow.stopped && flow.added - flow.next >= window) await new Promise<void>((r) => (flow.feederWake = r));
    }
    if (items.length > 0 && !flow.stopped) await flush();
  } catch (err) {
    flow.inputError = err;
  } finally {
    flow.inputDone = true;
    flow.poke();
  }
}

async function* waitForResults<T>(queueName: string, fn: string, inputs: Iterable<unknown> | AsyncIterable<unknown>, options: SubmitOptions, batch: number, window: number): AsyncIterableIterator<SubmitResult<T>> {
  let wake: (() => void) | null = null;
  const flow: Flow = { added: 0, next: 0, inputDone: false, inputError: null, stopped: false, feederWake: null, poke: () => {
    const w = wake;
    wake = null;
    w?.();
  } };
  const s = await open(queueName, options, () => flow.poke());
  const { QueueEvents } = await loadBullmq();
  const { Redis } = await import('ioredis');
  const events: QueueEvents = new QueueEvents(queueName, { connection: s.conn.options as ConnectionOptions });
  events.on('error', () => {});
  const client: Redis = new Redis(s.conn.options);
  client.on('error', () => {});
  const runId = randomBytes(6).toString('hex');
  const prefix = `${runId}-`;
  const results = new Map<number, SubmitResult<T>>();
  const indexOf = (jobId: string): number => (jobId.startsWith(prefix) ? Number(jobId.slice(prefix.length)) : -1);
  const settle = (i: number, r: SubmitResult<T>): void => {
    if (i >= flow.next && i < flow.added && !results.has(i)) {
      results.set(i, r);
      flow.poke();
    }
  };
  const chunksize = options.chunksize ?? 1;
  // A job settles the inputs from its first (its id) to the next chunk's first, or the last input added.
  const settleJob = (jobId: string, outcome: { returnvalue: unknown } | { failedReason: string }): void => {
    const first = indexOf(jobId);
    if (first < 0) return;
    const end = Math.min(first + chunksize, flow.added);
    if ('failedReason' in outcome) for (let i = first; i < end; i++) settle(i, new JobFailedError(jobId, i, outcome.failedReason));
    else for (const [j, r] of resultsOf<T>(outcome.returnvalue).entries()) if (first + j < end) settle(first + j, r);
  };
  events.on('completed', ({ jobId, returnvalue }) => settleJob(jobId, { returnvalue }));
  events.on('failed', ({ jobId, failedReason }) => settleJob(jobId, { failedReason }));
  // Events are the fast path; when the head of the window has not moved for a whole tick (its event may
  // have been missed: a reconnect, a trimmed stream) the oldest pending jobs are read back from Redis.
  // Not on every tick: reading 500 jobs twice a second cost Redis more than the jobs themselves.
  let head = -1;
  const sweep = setInterval(() => {
    if (flow.next !== head) {
      head = flow.next;
      return;
    }
    void sweepPending(client, s.queue, runId, chunksize, flow.next, flow.added, results, settleJob).catch(() => {});
  }, SWEEP_MS);
  const feeder = feed(flow, s.queue, fn, inputs, options, runId, batch, window);
  try {
    await events.waitUntilReady();
    for (;;) {
      if (s.failure !== null) throw s.failure;
      const r = results.get(flow.next);
      if (r !== undefined) {
        results.delete(flow.next);
        flow.next++;
        const w = flow.feederWake;
        flow.feederWake = null;
        w?.();
        yield r;
        continue;
      }
      if (flow.inputDone && flow.next >= flow.added) {
        if (flow.inputError !== null) throw flow.inputError;
        return;
      }
      await new Promise<void>((resolve) => (wake = resolve));
    }
  } finally {
    flow.stopped = true;
    clearInterval(sweep);
    flow.feederWake?.();
    await feeder;
    client.disconnect();
    await events.close().catch(() => {});
    await s.close();
  }
}

async function sweepPending<T>(client: Redis, queue: Queue, runId: string, chunksize: number, next: number, added: number, results: Map<number, SubmitResult<T>>, settleJob: (jobId: string, outcome: { returnvalue: unknown } | { failedReason: string }) => void): Promise<void> {
  // The jobs (first input of each) of the oldest inputs without a result.
  const firsts: number[] = [];
  for (let i = next; i < added && firsts.length < SWEEP_JOBS; i++) {
    const first = i - (i % chunksize);
    if (!results.has(i) && firsts.at(-1) !== first) firsts.push(first);
  }
  if (firsts.length === 0) return;
  const pipe = client.pipeline();
  for (const i of firsts) {
    pipe.hmget(queue.toKey(`${runId}-${i}`), 'finishedOn', 'returnvalue', 'failedReason');
    pipe.zscore(queue.toKey('failed'), `${runId}-${i}`);
  }
  const replies = (await pipe.exec()) ?? [];
  firsts.forEach((i, k) => {
    const [finishedOn, returnvalue, failedReason] = (replies[2 * k]?.[1] ?? []) as (string | null)[];
    const failedScore = replies[2 * k + 1]?.[1] as string | null | undefined;
    if (failedScore !== null && failedScore !== undefined) settleJob(`${runId}-${i}`, { failedReason: failedReason ?? '' });
    else if (finishedOn) settleJob(`${runId}-${i}`, { returnvalue });
  });
}

/** The per-input results of a job's return value: itself, or one per value of a chunk. */
function resultsOf<T>(raw: unknown): JobResult<T>[] {
  const r = (typeof raw === 'string' ? JSON.parse(raw) : raw) as JobResult<T> | JobChunkResult<T>;
  if (!('values' in r)) return [r];
  const { values, ...at } = r;
  return values.map((value) => ({ value, ...at }));
}
