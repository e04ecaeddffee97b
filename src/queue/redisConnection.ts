import type { RedisOptions } from 'ioredis';
import { QueueOptionsError, RedisUnreachableError } from './errors.js';

/** Where Redis is: a `redis://` / `rediss://` URL, or ioredis options. [$REDIS_URL, else redis://127.0.0.1:6379] */
export type RedisConnection = string | RedisOptions;

/** The default Redis URL: `$REDIS_URL`, else `redis://127.0.0.1:6379`. */
export function defaultRedisUrl(): string {
  const env = process.env['REDIS_URL'];
  return env !== undefined && env !== '' ? env : 'redis://127.0.0.1:6379';
}

/** How a connection behaves when Redis goes away. */
export interface ReconnectPolicy {
  /** Give up after Redis has been unreachable this long (ms) [60000]: no retry loop without end. */
  readonly reconnectFor?: number;
  /** Called once when a connection gives up. */
  readonly onGiveUp?: (err: RedisUnreachableError) => void;
}

/** Resolved connection: ioredis options with bounded retries, and the URL to name in messages. */
export interface ResolvedConnection {
  readonly url: string;
  readonly options: RedisOptions;
}

// A connect attempt that gets no answer (a dropped SYN) fails after this long instead of the OS's minutes.
const CONNECT_TIMEOUT_MS = 3000;

/**
 * ioredis options for BullMQ with every wait bounded: a connect attempt times out after 3 s, lost
 * connections are retried with backoff (100 ms steps up to 1 s) for `reconnectFor` ms — enough to
 * ride out a Redis restart — and then given up, failing their pending commands.
 * `maxRetriesPerRequest: null` is what BullMQ requires of a Worker's blocking connection; commands
 * wait for the reconnect, which is itself bounded.
 */
export function resolveConnection(connection: RedisConnection | undefined, policy: ReconnectPolicy = {}): ResolvedConnection {
  const base = typeof connection === 'object' && connection !== null ? connection : parseRedisUrl(connection ?? defaultRedisUrl());
  const url = typeof connection === 'string' ? connection : connection === undefined ? defaultRedisUrl() : `redis://${base.host ?? '127.0.0.1'}:${base.port ?? 6379}`;
  const window = policy.reconnectFor ?? 60_000;
  if (!(window >= 0)) throw new QueueOptionsError(`reconnectFor must be a number of milliseconds >= 0, got ${String(window)}`);
  // Shared by the connections BullMQ duplicates from these options: they lose Redis together.
  let downSince: number | null = null;
  let gaveUp = false;
  const options: RedisOptions = {
    connectTimeout: CONNECT_TIMEOUT_MS,
    ...base,
    maxRetriesPerRequest: null,
    retryStrategy: (times: number) => {
      const now = Date.now();
      if (times === 1 || downSince === null) downSince = now;
      if (now - downSince >= window) {
        if (!gaveUp) {
          gaveUp = true;
          policy.onGiveUp?.(new RedisUnreachableError(url, `no answer for ${Math.round((now - downSince) / 1000)} s`));
        }
        return null;
      }
      return Math.min(100 * times, 1000);
    },
  };
  return { url, options };
}

/** ioredis options of a `redis://[user:password@]host[:port][/db]` or `rediss://` URL. */
export function parseRedisUrl(url: string): RedisOptions {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    throw new QueueOptionsError(`not a Redis URL: ${JSON.stringify(url)}; use redis://HOST:PORT (e.g. redis://127.0.0.1:6379)`);
  }
  if (u.protocol !== 'redis:' && u.protocol !== 'rediss:') throw new QueueOptionsError(`not a Redis URL: ${JSON.stringify(url)}; use redis://HOST:PORT or rediss://HOST:PORT`);
  const db = u.pathname.length > 1 ? Number(u.pathname.slice(1)) : 0;
  if (!Number.isInteger(db) || db < 0) throw new QueueOptionsError(`bad database number in Redis URL ${JSON.stringify(url)}; use redis://HOST:PORT/0`);
  return {
    host: u.hostname.replace(/^\[|\]$/g, '') || '127.0.0.1',
    port: u.port === '' ? 6379 : Number(u.port),
    db,
    ...(u.username !== '' ? { username: decodeURIComponent(u.username) } : {}),
    ...(u.password !== '' ? { password: decodeURIComponent(u.password) } : {}),
    ...(u.protocol === 'rediss:' ? { tls: {} } : {}),
  };
}

/**
 * Connects once, without retries, and PINGs: the fail-fast check before anything else starts.
 *
 * @throws {RedisUnreachableError} naming the URL, within about `timeoutMs` (refused, unknown host, no answer).
 */
export async function checkRedis(conn: ResolvedConnection, timeoutMs = CONNECT_TIMEOUT_MS): Promise<void> {
  const { Redis } = await import('ioredis');
  const client = new Redis({
    ...conn.options,
    lazyConnect: true,
    connectTimeout: timeoutMs,
    maxRetriesPerRequest: 0,
    enableOfflineQueue: false,
    retryStrategy: () => null,
  });
  let lastError: Error | null = null;
  client.on('error', (err: Error) => (lastError = err));
  const timer = new Promise<never>((_, reject) => setTimeout(() => reject(new Error(`no answer in ${timeoutMs} ms`)), timeoutMs + 500).unref());
  try {
    await Promise.race([(async () => {
      await client.connect();
      await client.ping();
    })(), timer]);
  } catch (err) {
    const why = describe((lastError ?? err) as Error);
    throw new RedisUnreachableError(conn.url, why, { cause: err });
  } finally {
    // A client that already ended has no stream to close: disconnect() would hold the process 2 s.
    if (client.status !== 'end') client.disconnect();
  }
}

function describe(err: Error): string {
  const code = (err as NodeJS.ErrnoException).code;
  if (code === 'ECONNREFUSED') return 'connection refused';
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') return 'unknown host';
  if (code === 'ETIMEDOUT' || /timed? ?out|no answer/i.test(err.message)) return 'no answer';
  return err.message.split('\n')[0] ?? 'error';
}
