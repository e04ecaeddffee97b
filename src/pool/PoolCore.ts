import type { EventEmitter } from 'node:events';
import type { CpuSet } from '../cpuset/CpuSet.js';
import type { BindingMode } from '../launch/LaunchSettings.js';
import type { SlotSettings } from '../launch/SlotSettings.js';
import { maybeFinishClosing } from './closing.js';
import { Deque } from './Deque.js';
import type { ImapIterator } from './ImapIterator.js';
import type { PoolEvents, PoolOptions } from './PoolOptions.js';
import type { WorkerInit } from './protocol.js';
import type { Slot } from './Slot.js';
import type { Task } from './Task.js';
import type { WorkerRuntime } from './runtime/WorkerRuntime.js';
import type { UsableCpusWatch } from './watchUsableCpus.js';

/** Where the pool is in its life. */
export type PoolState = 'running' | 'closing' | 'closed' | 'terminated' | 'failed';

/** An open imap stream, held weakly so a dropped iterator can be collected. */
export interface StreamEntry {
  readonly ref: WeakRef<ImapIterator<unknown>>;
}

/** The pool itself as the internals see it: where its events go, and terminate (close's timeout). */
export interface PoolFace extends EventEmitter<PoolEvents> {
  terminate(): Promise<void>;
}

/** What the constructor settled from the options: fixed for the pool's life. */
export interface PoolConfig {
  readonly kind: 'process' | 'thread';
  readonly binding: BindingMode;
  readonly settings: SlotSettings;
  readonly runtime: WorkerRuntime;
  readonly init: WorkerInit;
  readonly modulePath: string;
  /** What the user asked for, to place again when the usable CPUs change. */
  readonly placement: PoolOptions['placement'];
  readonly maxTasksPerChild: number;
  readonly maxQueue: number;
  readonly taskTimeout: number | undefined;
  readonly maxStartupFailures: number;
}

/**
 * A pool's whole state, shared by the functions of dispatch.ts (queue, batching, settling),
 * lifecycle.ts (workers starting, exiting, re-placed), closing.ts and calls.ts. `Pool` holds one
 * privately; nothing outside src/pool sees it.
 */
export class PoolCore implements PoolConfig {
  readonly kind: 'process' | 'thread';
  readonly binding: BindingMode;
  readonly settings: SlotSettings;
  readonly runtime: WorkerRuntime;
  readonly init: WorkerInit;
  readonly modulePath: string;
  readonly placement: PoolOptions['placement'];
  readonly maxTasksPerChild: number;
  readonly maxQueue: number;
  readonly taskTimeout: number | undefined;
  readonly maxStartupFailures: number;
  readonly slots: Slot[];
  readonly size: number;
  /** Each slot's first CPUs: a slot moved off them gets them back when they are usable again. */
  readonly ownCpus: readonly (CpuSet | null)[];
  cpuWatch: UsableCpusWatch | null = null;
  readonly queue = new Deque<Task>();
  queued = 0;
  pending = 0;
  nextId = 1;
  state: PoolState = 'running';
  failure: Error | null = null;
  exports: Set<string> | null = null;
  dispatchScheduled = false;
  reffed = false;
  live = 0;
  /** Open imap streams, held weakly: one dropped without return() is collected and forgotten (streamGone). */
  readonly streams = new Set<StreamEntry>();
  readonly streamEntries = new WeakMap<ImapIterator<unknown>, StreamEntry>();
  readonly streamGone = new FinalizationRegistry<StreamEntry>((entry) => {
    this.streams.delete(entry);
    maybeFinishClosing(this);
  });
  /** Stream chunks among the queued tasks: at most maxQueue; apply/map admission does not count them. */
  streamQueued = 0;
  streamWakeScheduled = false;
  goneWaiters: (() => void)[] = [];
  readyWaiters: { resolve: () => void; reject: (e: unknown) => void }[] = [];

  constructor(
    config: PoolConfig,
    slots: Slot[],
    /** The Pool: events are emitted on it. */
    readonly events: PoolFace,
  ) {
    this.kind = config.kind;
    this.binding = config.binding;
    this.settings = config.settings;
    this.runtime = config.runtime;
    this.init = config.init;
    this.modulePath = config.modulePath;
    this.placement = config.placement;
    this.maxTasksPerChild = config.maxTasksPerChild;
    this.maxQueue = config.maxQueue;
    this.taskTimeout = config.taskTimeout;
    this.maxStartupFailures = config.maxStartupFailures;
    this.slots = slots;
    this.size = slots.length;
    this.ownCpus = slots.map((s) => s.cpus);
  }
}
