import type { Redis } from 'ioredis';
import { heartbeatKey, type HostStatus } from './HostStatus.js';

// Completed-job samples kept for the jobs/s figure.
const RATE_WINDOW_MS = 10_000;
// Delay of the extra beat when a host goes idle: a burst of "idle for a moment" ends in one write.
const SOON_MS = 200;

/**
 * Publishes a host's status under a key with a TTL, every third of the TTL: a host that dies stops
 * beating and its key expires, so `fleet` forgets it within the TTL. No registry beyond that key.
 */
export class HostHeartbeat {
  readonly #client: Redis;
  readonly #key: string;
  readonly #ttlMs: number;
  readonly #status: (jobsPerSecond: number) => HostStatus;
  readonly #done: () => number;
  #timer: NodeJS.Timeout | null = null;
  #soon: NodeJS.Timeout | null = null;
  readonly #samples: { t: number; done: number }[] = [];

  constructor(client: Redis, queue: string, host: string, ttlMs: number, status: (jobsPerSecond: number) => HostStatus, done: () => number) {
    this.#client = client;
    this.#key = heartbeatKey(queue, host);
    this.#ttlMs = ttlMs;
    this.#status = status;
    this.#done = done;
  }

  /** Beats now and then every ttl/3 ms. */
  async start(): Promise<void> {
    await this.#beat();
    this.#timer = setInterval(() => void this.#beat().catch(() => {}), Math.max(100, Math.floor(this.#ttlMs / 3)));
    this.#timer.unref();
  }

  /** One extra beat shortly (coalesced): the host went idle, its counts should not wait for the next beat. */
  soon(): void {
    if (this.#timer === null || this.#soon !== null) return;
    this.#soon = setTimeout(() => {
      this.#soon = null;
      if (this.#timer !== null) void this.#beat().catch(() => {});
    }, SOON_MS);
    this.#soon.unref();
  }

  /** Stops beating and removes the key (a host that leaves cleanly disappears at once). */
  async stop(): Promise<void> {
    if (this.#timer !== null) clearInterval(this.#timer);
    if (this.#soon !== null) clearTimeout(this.#soon);
    this.#timer = null;
    this.#soon = null;
    await this.#client.del(this.#key).catch(() => {});
  }

  async #beat(): Promise<void> {
    const now = Date.now();
    this.#samples.push({ t: now, done: this.#done() });
    while (this.#samples.length > 2 && now - this.#samples[0]!.t > RATE_WINDOW_MS) this.#samples.shift();
    const first = this.#samples[0]!;
    const last = this.#samples[this.#samples.length - 1]!;
    const rate = last.t > first.t ? ((last.done - first.done) * 1000) / (last.t - first.t) : 0;
    await this.#client.set(this.#key, JSON.stringify(this.#status(Math.round(rate * 10) / 10)), 'PX', this.#ttlMs);
  }
}
