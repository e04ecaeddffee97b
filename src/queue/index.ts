/**
 * `corepin/queue` — beyond one machine: pinned pools on many hosts, fed by BullMQ on Redis.
 * Needs the optional peer dependencies `bullmq` and `ioredis` (`npm install bullmq ioredis`).
 *
 * @example
 * // on every host
 * const host = new QueueWorker({ queue: 'hash', pool: { module: './hash.mjs' } });
 * await host.ready();
 * // anywhere
 * for await (const r of submit('hash', 'default', inputs, { wait: true, module: 'hash.mjs' })) console.log(r);
 */
export { QueueWorker, type QueueWorkerEvents } from './QueueWorker.js';
export type { QueueWorkerOptions } from './QueueWorkerOptions.js';
export { submit, type SubmitOptions, type SubmitResult } from './submit.js';
export { fleetStatus, type FleetStatus, type QueueCounts } from './fleetStatus.js';
export type { JobResult, JobEnvelope, JobChunkEnvelope, JobChunkResult } from './JobResult.js';
export type { HostStatus, HostSlotStatus } from './HostStatus.js';
export { defaultRedisUrl, type RedisConnection } from './redisConnection.js';
export { QueueDependencyError, RedisUnreachableError, QueueOptionsError, JobModuleMismatchError, JobExportNotFoundError, JobFailedError } from './errors.js';
