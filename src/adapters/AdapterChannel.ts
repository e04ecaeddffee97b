/** Environment variable that names a pinned pool's BroadcastChannel to its workers. */
export const CHANNEL_ENV = 'COREPIN_PINNED_POOL';

/** What a starting worker asks on the channel. */
export interface SlotsRequest {
  readonly want: 'slots';
}

/** The pool's answer: the shared slot table, each slot's CPU list, and the user's module. */
export interface SlotsAnswer {
  readonly buffer: SharedArrayBuffer;
  readonly cpus: readonly string[];
  /** The user's worker module, as a URL to import. */
  readonly module: string;
  readonly leaseTimeout: number;
}
