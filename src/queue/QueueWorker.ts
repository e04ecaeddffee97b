import { EventEmitter } from 'node:events';
import { hostname } from 'node:os';
import { basename } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ConnectionOptions, Job, JobProgress, Worker } from 'bullmq';
import type { Redis } from 'ioredis';
import { usableCpus } from '../affinity.js';
import { Pool } from '../pool/Pool.js';
import type { Binding } from '../pool/PoolOptions.js';
import { resolveHostModule } from './resolveHostModule.js';
import { JobModuleMismatchError, QueueOptionsError, type RedisUnreachableError } from './errors.js';
import { HostHeartbeat } from './HostHeartbeat.js';
import type { HostStatus } from './HostStatus.js';
import type { HostChunkResult, HostTaskResult } from './hostTask.js';
import { isJobChunk, isJobEnvelope, type JobChunkResult, type JobResult } from './JobResult.js';
import { loadBullmq, type Bullmq } from './loadBullmq.js';
import type { QueueWorkerOptions } from './QueueWorkerOptions.js';
import { checkRedis, resolveConnection, type ResolvedConnection } from './redisConnection.js';
import { checkQueueName, positiveInt } from './checkOptions.js';

const HOST_TASK = fileURLToPath(new URL('./hostTask.js', import.meta.url));
const RUN_RETRY_DELAY_MS = 1000;

/** Events of a QueueWorker. */
export interface QueueWorkerEvents {
  /** The host is fatally broken (Redis gone past `reconnectFor`, pool failed); close it. */
  error: [err: Error];
  /** A job finished on this host. */
  completed: [info: { jobId: string; result: JobResult | JobChunkResult }];
  /** A job attempt failed on this host (BullMQ may retry it). */
  failed: [info: { jobId: string; error: Error }];
}

/**
 * A queue host: a BullMQ `Worker` whose jobs run on a pinned {@link Pool}. Each job calls an export of
 * the pool's task module (the job's name, or the fixed `fn`) with the job's input and returns a
 * {@link JobResult} — the value and where it ran. Redis and BullMQ do queueing, locking, retries and
 * stalled-job recovery; the host does placement, pinning and reporting (a heartbeat for `fleet`).
 *
 * @example
 * const host = new QueueWorker({ queue: 'render', connection: 'redis://10.0.0.5:6379', pool: { module: './tasks.mjs' } });
 * await host.ready();
 * process.once('SIGTERM', () => void host.close());   // finishes running jobs, then closes the pool
 */
export class QueueWorker extends EventEmitter<QueueWorkerEvents> {
  /** This host's name in results and in `fleet`. */
  readonly name: string;
  /** The queue it serves. */
  readonly queue: string;
  /** File name of the task module it serves (jobs for another module fail). */
  readonly module: string;
  readonly #options: QueueWorkerOptions;
  readonly #href: string;
  readonly #conn: ResolvedConnection;
  readonly #started: Promise<void>;
  #pool: Pool | null = null;
  #worker: Worker | null = null;
  #client: Redis | null = null;
  #heartbeat: HostHeartbeat | null = null;
  #bullmq: Bullmq | null = null;
  #where = new Map<number, { slot: number; cpus: string | null }>();
  #done = 0;
  #failed = 0;
  #running = 0;
  #closing: Promise<void> | null = null;
  readonly #startedAt = Date.now();

  /**
   * Checks the options and starts: loads BullMQ, checks that Redis answers, starts the pool, then
   * takes jobs. Await {@link ready} for the outcome.
   *
   * @throws {QueueOptionsError | TaskModuleNotFoundError} for bad options, synchronously.
   */
  constructor(options: QueueWorkerOptions) {
    super();
    if (typeof options !== 'object' || options === null) throw new QueueOptionsError('new QueueWorker(options): options must be an object with `queue` and `pool`');
    this.queue = checkQueueName(options.queue);
    if (typeof options.pool !== 'object' || options.pool === null) throw new QueueOptionsError('QueueWorker: option `pool` (Pool options with at least `module`) is required');
    const module = resolveHostModule(options.pool.module);
    this.#href = module.href;
    this.module = basename(module.path);
    this.name = options.name ?? `${hostname()}:${process.pid}`;
    if (options.fn !== undefined && (typeof options.fn !== 'string' || options.fn === '')) throw new QueueOptionsError('QueueWorker: `fn` must be the name of an export');
    for (const k of ['prefetch', 'crashRetries'] as const) if (options[k] !== undefined) positiveInt(options[k], k, true);
    for (const k of ['lockDuration', 'stalledInterval', 'heartbeatTtl'] as const) if (options[k] !== undefined) positiveInt(options[k], k, false);
    this.#options = options;
    this.#conn = resolveConnection(options.connection, { reconnectFor: options.reconnectFor, onGiveUp: (err) => this.#fatal(err) });
    this.#started = this.#start();
    this.#started.catch(() => {});
  }

  /** Resolves when the host takes jobs; rejects with RedisUnreachableError, QueueDependencyError or the pool's start-up error. */
  ready(): Promise<void> {
    return this.#started;
  }

  /** The pool's slots and their CPUs (read back from /proc), or [] before the pool started. */
  bindings(): Binding[] {
    return this.#pool?.bindings() ?? [];
  }

  async #start(): Promise<void> {
    this.#bullmq = await loadBullmq();
    await checkRedis(this.#conn);
    const { Redis } = await import('ioredis');
    this.#client = new Redis(this.#conn.options);
    this.#client.on('error', () => {}); // reconnects are bounded by the retry strategy; give-up is reported once
    const o = this.#options;
    const userInit = o.pool.initializer ?? null;
    const pool = new Pool({ ...o.pool, module: HOST_TASK, initializer: 'initialize', initargs: [this.#href, this.module, userInit, ...(o.pool.initargs ?? [])] });
    this.#pool = pool;
    pool.on('workerStart', (b) => this.#where.set(b.tid ?? b.pid ?? -1, { slot: b.slot, cpus: b.cpus?.toList() ?? null }));
    pool.on('workerExit', (e) => this.#where.delete(e.tid ?? e.pid));
    pool.on('placementChange', () => this.#refreshWhere());
    await pool.ready();
    this.#refreshWhere();
    // Prefetch 2 per slot by default: the pool sends a ~5 ms job's slot its next one behind the running
    // one (its window: both held jobs already sit in the slot), so with only 1 per slot the job after
    // that waited for the finished job's Redis round trip (moveToFinished, fetch-next) and a slot idled
    // whenever that took longer than a job. One more per slot waits in the pool's queue here and goes to
    // the slot in the same wake-up that reads the result (bench/history/queue3.md).
    const concurrency = pool.size + (o.prefetch ?? 2 * pool.size);
    this.#worker = new this.#bullmq.Worker(this.queue, (job, token) => this.#process(job, token), {
      connection: this.#conn.options as ConnectionOptions,
      concurrency,
      name: this.name,
      // A Redis command that failed on a lost connection is retried after this long (BullMQ's default,
      // 15 s, leaves a host idle long after a one-second Redis restart); reconnectFor still bounds it all.
      runRetryDelay: RUN_RETRY_DELAY_MS,
      ...(o.lockDuration !== undefined ? { lockDuration: o.lockDuration } : {}),
      ...(o.stalledInterval !== undefined ? { stalledInterval: o.stalledInterval } : {}),
      ...(o.maxStalledCount !== undefined ? { maxStalledCount: o.maxStalledCount } : {}),
    });
    this.#worker.on('error', () => {}); // connection errors while Redis restarts: BullMQ reconnects itself
    const ttl = o.heartbeatTtl ?? 10_000;
    this.#heartbeat = new HostHeartbeat(this.#client, this.queue, this.name, ttl, (rate) => this.#status(rate, concurrency, ttl), () => this.#done);
    await this.#worker.waitUntilReady();
    await this.#heartbeat.start();
  }

  #refreshWhere(): void {
    for (const b of this.#pool?.bindings() ?? []) {
      if (b.pid !== null) this.#where.set(b.tid ?? b.pid, { slot: b.slot, cpus: b.cpus?.toList() ?? null });
    }
  }

  async #process(job: Job, token: string | undefined): Promise<JobResult | JobChunkResult> {
    this.#running++;
    try {
      return await this.#run(job, token);
    } finally {
      // Gone idle: publish the final counts now rather than at the next beat, so fleet is current after a run.
      if (--this.#running === 0) this.#heartbeat?.soon();
    }
  }

  async #run(job: Job, token: string | undefined): Promise<JobResult | JobChunkResult> {
    const bull = this.#bullmq!;
    const fn = this.#options.fn ?? (job.name === '' ? 'default' : job.name);
    const chunk = isJobChunk(job.data);
    let args: unknown[] = [fn, job.data];
    if (chunk || isJobEnvelope(job.data)) {
      const wanted = job.data.corepinModule;
      if (wanted !== null && wanted !== this.module) throw this.#count(job, new bull.UnrecoverableError(new JobModuleMismatchError(wanted, this.module).message));
      args = [fn, chunk ? job.data.inputs : job.data.input];
    }
    let r: HostTaskResult | HostChunkResult;
    try {
      // Progress the task reports (reportProgress in corepin/worker) goes to BullMQ in order, on the
      // worker's connection; best effort: a failed update (Redis gone, job removed) fails nothing.
      r = await this.#pool!.apply<HostTaskResult | HostChunkResult>(chunk ? 'runChunk' : 'run', args, {
        onProgress: (value) => void job.updateProgress(value as JobProgress).catch(() => {}),
      });
    } catch (err) {
      const code = (err as { code?: unknown }).code;
      const message = err instanceof Error ? err.message : String(err);
      if (code === 'ERR_QUEUE_EXPORT_NOT_FOUND') throw this.#count(job, new bull.UnrecoverableError(message));
      // A crashed worker is not the input's fault (OOM, a killed process): the job goes back to the queue, a few times.
      if (code === 'ERR_WORKER_CRASHED' && token !== undefined && job.attemptsStarted - job.attemptsMade <= (this.#options.crashRetries ?? 2)) {
        await job.moveToDelayed(Date.now(), token);
        throw new bull.DelayedError();
      }
      throw this.#count(job, err instanceof Error ? err : new Error(message));
    }
    const where = this.#where.get(r.tid) ?? this.#where.get(r.pid);
    const at = { host: this.name, slot: where?.slot ?? -1, cpus: where?.cpus ?? null, cpu: r.cpu, pid: r.pid };
    const result: JobResult | JobChunkResult = 'values' in r ? { values: r.values, ...at } : { value: r.value, ...at };
    this.#done++;
    this.emit('completed', { jobId: job.id ?? '', result });
    return result;
  }

  #count(job: Job, err: Error): Error {
    this.#failed++;
    this.emit('failed', { jobId: job.id ?? '', error: err });
    return err;
  }

  #status(jobsPerSecond: number, concurrency: number, ttlMs: number): HostStatus {
    const pool = this.#pool!;
    const placement = this.#options.pool.placement;
    return {
      host: this.name,
      hostname: hostname(),
      pid: process.pid,
      module: this.module,
      fn: this.#options.fn ?? null,
      kind: pool.kind,
      capacity: pool.size,
      concurrency,
      placement: this.#options.placementLabel ?? (placement === undefined ? 'spread' : typeof placement === 'string' ? placement : typeof placement === 'function' ? 'custom' : Array.isArray(placement) ? placement.map(String).join(' ') : (placement as { policy: string }).policy),
      usable: usableCpus().toList(),
      slots: pool.bindings().map((b) => ({ slot: b.slot, cpus: b.cpus?.toList() ?? null, pid: b.pid, verified: b.verified })),
      done: this.#done,
      failed: this.#failed,
      jobsPerSecond,
      startedAt: this.#startedAt,
      updatedAt: Date.now(),
      ttlMs,
    };
  }

  #fatal(err: RedisUnreachableError | Error): void {
    if (this.listenerCount('error') > 0) this.emit('error', err);
  }

  /**
   * Graceful stop: takes no more jobs, lets the running ones finish (their results are stored), closes
   * the pool, removes the heartbeat and disconnects. Safe to call more than once.
   */
  close(): Promise<void> {
    this.#closing ??= (async () => {
      await this.#started.catch(() => {});
      await this.#heartbeat?.stop();
      await this.#worker?.close();
      await this.#pool?.close();
      this.#client?.disconnect();
    })();
    return this.#closing;
  }
}
