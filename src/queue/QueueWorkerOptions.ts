import type { PoolOptions } from '../pool/PoolOptions.js';
import type { RedisConnection } from './redisConnection.js';

/** Options of `new QueueWorker()`; only `queue` and `pool.module` are required. Defaults in brackets. */
export interface QueueWorkerOptions {
  /** BullMQ queue name (no `:`). */
  readonly queue: string;
  /** Redis URL or ioredis options. [$REDIS_URL, else redis://127.0.0.1:6379] */
  readonly connection?: RedisConnection;
  /** The pinned pool that runs the jobs: `module` is the task module; every Pool option applies. */
  readonly pool: PoolOptions;
  /** Call this export for every job; otherwise the job's name is the export (`''` → `'default'`). [job name] */
  readonly fn?: string;
  /** How `fleet` shows the placement (e.g. `'spread, cpus 0-3'`). [derived from `pool.placement`] */
  readonly placementLabel?: string;
  /** Name of this host in results and `fleet`. [`hostname:pid`] */
  readonly name?: string;
  /**
   * Jobs taken beyond the pool's slots, so a slot has its next job at hand while a finished job's
   * result travels to Redis. BullMQ concurrency = slots + prefetch. Prefetched jobs are held by this
   * host (another host cannot take them; a dead host's come back through stalled-job recovery; a host
   * stopping runs them first): lower it for long jobs on many hosts. [2 × slots]
   */
  readonly prefetch?: number;
  /** Times a job whose worker crashed goes back to the queue before it fails with WorkerCrashedError. [2] */
  readonly crashRetries?: number;
  /** BullMQ lock duration (ms): a dead host's jobs are taken back once their lock expires. [30000] */
  readonly lockDuration?: number;
  /** BullMQ stalled-job check interval (ms). [30000] */
  readonly stalledInterval?: number;
  /** Times a job may stall (its host died) before it fails. [BullMQ's: 1] */
  readonly maxStalledCount?: number;
  /** Heartbeat TTL (ms): `fleet` forgets a dead host after this long. [10000] */
  readonly heartbeatTtl?: number;
  /** Give up (event `error`, RedisUnreachableError) after Redis has been unreachable this long (ms). [60000] */
  readonly reconnectFor?: number;
}
