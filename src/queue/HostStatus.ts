/** One slot of a host, as its heartbeat shows it. */
export interface HostSlotStatus {
  readonly slot: number;
  /** The slot's CPUs as a list, or null when the host's pool is not pinned. */
  readonly cpus: string | null;
  /** The slot's worker process (thread workers: the host's pid), or null while it is being replaced. */
  readonly pid: number | null;
  /** /proc shows the worker inside `cpus`. */
  readonly verified: boolean;
}

/** What a live host publishes in Redis every beat (key `corepin:fleet:QUEUE:HOST`, with a TTL). */
export interface HostStatus {
  /** The host's name (also `JobResult.host`). */
  readonly host: string;
  /** Machine name (os.hostname()). */
  readonly hostname: string;
  /** Process id of the host (the `corepin worker`). */
  readonly pid: number;
  /** File name of the task module it serves. */
  readonly module: string;
  /** Fixed export, or null when the job name is the export. */
  readonly fn: string | null;
  /** `'process'` or `'thread'` workers. */
  readonly kind: 'process' | 'thread';
  /** Slots of its pool: jobs it runs at once. */
  readonly capacity: number;
  /** Jobs it holds at once (slots + prefetch). */
  readonly concurrency: number;
  /** How its slots were placed (policy or location as given), `'none'` when unpinned. */
  readonly placement: string;
  /** CPUs usable by the host process (its cpuset / affinity). */
  readonly usable: string;
  readonly slots: readonly HostSlotStatus[];
  /** Jobs completed / failed since it started. */
  readonly done: number;
  readonly failed: number;
  /** Completed jobs per second over the last ~10 s. */
  readonly jobsPerSecond: number;
  /** Epoch ms. */
  readonly startedAt: number;
  readonly updatedAt: number;
  /** The heartbeat key's TTL (ms): a host that stops beating disappears after this long. */
  readonly ttlMs: number;
}

/** Redis key of a host's heartbeat. */
export function heartbeatKey(queue: string, host: string): string {
  return `${heartbeatPrefix(queue)}${host}`;
}

/** Common prefix of the heartbeat keys of a queue's hosts. */
export function heartbeatPrefix(queue: string): string {
  return `corepin:fleet:${queue}:`;
}
