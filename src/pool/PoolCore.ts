import type { EventEmitter } from 'node:events';
import type { CpuSet } from '../cpuset/CpuSet.js';
import type { BindingMode } from '../launch/LaunchSettings.js';
import type { SlotSettings } from '../launch/SlotSettings.js';
import { maybeFinishClosing } from './closing.js';
import { Deque } from './Deque.js';
import type { ImapIterator } from './ImapIterator.js';
import type { PlacementRequest } from '../placement/PlacementRequest.js';
import type { PoolEvents } from './PoolOptions.js';
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
  /** A process pool's channel encoding (null: a thread pool, structured clone). */
  readonly serialization: 'json' | 'advanced' | null;
  readonly binding: BindingMode;
  readonly settings: SlotSettings;
  readonly runtime: WorkerRuntime;
  readonly init: WorkerInit;
  readonly modulePath: string;
  /** What the user asked for (with `isolated` folded in), to resolve again when the usable CPUs change. */
  readonly placement: PlacementRequest | undefined;
  /** The sysfs root the pool's topology came from, read again on a change; null: synthetic, never changes. */
  readonly topologyRoot: string | null;
  readonly maxTasksPerChild: number;
  readonly maxQueue: number;
  readonly taskTimeout: number | undefined;
  readonly maxStartupFailures: number;
}

// PoolCore's settled options are listed once, in PoolConfig: this interface merges them into the
// class's type and the constructor copies them in (Object.assign), so a new option is one line there.
export interface PoolCore extends PoolConfig {}

/**
 * A pool's whole state, shared by the functions of dispatch.ts (queue, batching, settling),
 * lifecycle.ts (workers starting, exiting, re-placed), closing.ts and calls.ts. `Pool` holds one
 * privately; nothing outside src/pool sees it. Its fixed settings are {@link PoolConfig}'s fields.
 */
export class PoolCore {
  readonly slots: Slot[];
  /** The CPUs the request may use, as of the last resolution (for reports). */
  usable: CpuSet;
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
  /**
   * ready() callers. Emptied in place, never replaced: `settle` reads it, and V8 compiles a field that
   * is never rewritten as a constant, so replacing it at close would discard the hot path's code.
   */
  readonly readyWaiters: { resolve: () => void; reject: (e: unknown) => void }[] = [];
  /** onProgress listeners by task id, while their task is unsettled (null until a call passes one). */
  progress: Map<number, (value: unknown) => void> | null = null;

  constructor(
    config: PoolConfig,
    slots: Slot[],
    usable: CpuSet,
    /** The Pool: events are emitted on it. */
    readonly events: PoolFace,
  ) {
    Object.assign(this, config);
    this.slots = slots;
    this.size = slots.length;
    this.ownCpus = slots.map((s) => s.cpus);
    this.usable = usable;
    // V8 takes a field never written after construction for a constant and compiles the hot path
    // (apply, settle, onDone) against its value; the first pool to close would then throw that code
    // away and the next pool's first burst would compile it again (bench/history/burst2.md). A second
    // write here makes `state` an ordinary field from the start.
    this.state = 'closed';
    this.state = 'running';
  }
}
