import type { ConnectionOptions } from 'bullmq';
import { checkQueueName } from './checkOptions.js';
import { heartbeatPrefix, type HostStatus } from './HostStatus.js';
import { loadBullmq } from './loadBullmq.js';
import { checkRedis, resolveConnection, type RedisConnection } from './redisConnection.js';

/** Job counts of a queue, from BullMQ. */
export interface QueueCounts {
  readonly waiting: number;
  readonly active: number;
  readonly delayed: number;
  readonly failed: number;
  readonly completed: number;
}

/** What `fleetStatus` / `corepin fleet` reports. */
export interface FleetStatus {
  readonly queue: string;
  readonly counts: QueueCounts;
  /** Live hosts (their heartbeat key has not expired), by name. */
  readonly hosts: readonly HostStatus[];
}

/**
 * Reads the live hosts of `queue` (their heartbeat keys) and the queue's job counts.
 *
 * @throws {RedisUnreachableError | QueueDependencyError | QueueOptionsError}
 */
export async function fleetStatus(queue: string, options: { connection?: RedisConnection } = {}): Promise<FleetStatus> {
  checkQueueName(queue);
  const { Queue } = await loadBullmq();
  const conn = resolveConnection(options.connection, { reconnectFor: 0 });
  await checkRedis(conn);
  const { Redis } = await import('ioredis');
  const client = new Redis({ ...conn.options, maxRetriesPerRequest: 1 });
  client.on('error', () => {});
  const q = new Queue(queue, { connection: conn.options as ConnectionOptions });
  q.on('error', () => {});
  try {
    const keys: string[] = [];
    let cursor = '0';
    do {
      const [nextCursor, batch] = await client.scan(cursor, 'MATCH', `${heartbeatPrefix(queue)}*`, 'COUNT', 1000);
      cursor = nextCursor;
      keys.push(...batch);
    } while (cursor !== '0');
    const values = keys.length > 0 ? await client.mget(...keys) : [];
    const hosts = values.filter((v): v is string => v !== null).map((v) => JSON.parse(v) as HostStatus);
    hosts.sort((a, b) => a.host.localeCompare(b.host));
    const c = await q.getJobCounts('waiting', 'active', 'delayed', 'failed', 'completed');
    const counts: QueueCounts = { waiting: c['waiting'] ?? 0, active: c['active'] ?? 0, delayed: c['delayed'] ?? 0, failed: c['failed'] ?? 0, completed: c['completed'] ?? 0 };
    return { queue, counts, hosts };
  } finally {
    client.disconnect();
    await q.close().catch(() => {});
  }
}
