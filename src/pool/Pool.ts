import { EventEmitter } from 'node:events';
import { pin, usableCpus } from '../affinity.js';
import type { CpuSet } from '../cpuset/CpuSet.js';
import {
  AbortError,
  ExportNotFoundError,
  PoolClosedError,
  PoolOptionsError,
  PoolTerminatedError,
  QueueFullError,
  TaskDataError,
  TaskTimeoutError,
  WorkerCrashedError,
  WorkerStartupError,
} from './errors.js';
import { defaultChunksize } from './defaultChunksize.js';
import { ImapIterator, type ChunkRunner } from './ImapIterator.js';
import type { Binding, CallOptions, MapOptions, PoolEvents, PoolOptions, WorkerExitReason } from './PoolOptions.js';
import { PoolWorker } from './PoolWorker.js';
import { defaultExecArgv, processBackend } from './processBackend.js';
import { CRASH, DONE, DONE_STRIDE, EXIT, FAIL, Mode, READY, RUN, RUN_STRIDE, STOPPED, Status, parseWorkerMessage, isPoolTagged, type WorkerInit } from './protocol.js';
import { fromRemoteError, type RemoteError } from './remoteError.js';
import { replanSlots, type SlotMove } from './replanSlots.js';
import { resolveSlots } from './resolveSlots.js';
import { resolveTaskModule } from './resolveTaskModule.js';
import { Slot } from './Slot.js';
import { collect, joinChunks, splitArgs } from './calls.js';
import { Deque } from './Deque.js';
import { Task, TaskState } from './Task.js';
import { threadBackend } from './threadBackend.js';
import { verifyBinding } from './verifyBinding.js';
import type { WorkerBackend } from './WorkerBackend.js';
import { watchUsableCpus, type UsableCpusWatch } from './watchUsableCpus.js';
import { readTopology } from '../topology/readTopology.js';
import { checkBindingMode, checkLaunchSettings, type BindingMode } from '../launch/LaunchSettings.js';
import { checkSchedAllowed } from '../launch/schedClass.js';
import { SlotSettings } from '../launch/SlotSettings.js';
import { bindingCpus } from './bindingCpus.js';

type PoolState = 'running' | 'closing' | 'closed' | 'terminated' | 'failed';

// A worker asked to exit that is still there after this long is killed (its task module keeps it
// busy, or its initializer never finishes).
const EXIT_GRACE_MS = 5000;
// Restarts after a start-up death nobody explained: 10 ms, doubling, at most 2 s.
const STARTUP_RETRY_FIRST_MS = 10;
const STARTUP_RETRY_MAX_MS = 2000;

/** An open imap stream, held weakly so a dropped iterator can be collected. */
interface StreamEntry {
  readonly ref: WeakRef<ImapIterator<unknown>>;
}

/**
 * A pool of workers pinned to CPUs — Python's `multiprocessing.Pool` for Node, with processes or
 * threads. Slots own CPUs: placement gives each slot its set once, and every worker that lives in
 * the slot (first, recycled by `maxTasksPerChild`, or replacing one that crashed) is pinned to it
 * before the task module is imported, then checked from /proc.
 *
 * @example
 * await using pool = new Pool({ module: './tasks.mjs', kind: 'process' });
 * const squares = await pool.map('square', [1, 2, 3]);        // [1, 4, 9]
 * for await (const r of pool.imap('square', hugeGenerator(), { chunksize: 1000 })) use(r);
 * console.log(pool.bindings());                                  // [{ slot: 0, pid, tid, cpus, verified: true }, …]
 */
export class Pool extends EventEmitter<PoolEvents> implements AsyncDisposable {
  /** `'process'` or `'thread'`. */
  readonly kind: 'process' | 'thread';
  /** Number of slots. */
  readonly size: number;
  /** `'slot'` (each worker on its slot's CPUs) or `'pool'` (on the union of all slots). */
  readonly binding: BindingMode;
  readonly #settings: SlotSettings;
  readonly #backend: WorkerBackend;
  readonly #init: WorkerInit;
  readonly #modulePath: string;
  readonly #slots: Slot[];
  /** What the user asked for, to place again when the usable CPUs change. */
  readonly #placement: PoolOptions['placement'];
  /** Each slot's first CPUs: a slot moved off them gets them back when they are usable again. */
  readonly #ownCpus: readonly (CpuSet | null)[];
  #cpuWatch: UsableCpusWatch | null = null;
  readonly #maxTasksPerChild: number;
  readonly #maxQueue: number;
  readonly #taskTimeout: number | undefined;
  readonly #maxStartupFailures: number;
  readonly #queue = new Deque<Task>();
  #queued = 0;
  #pending = 0;
  #nextId = 1;
  #state: PoolState = 'running';
  #failure: Error | null = null;
  #exports: Set<string> | null = null;
  #dispatchScheduled = false;
  #reffed = false;
  #live = 0;
  /** Open imap streams, held weakly: one dropped without return() is collected and forgotten (streamGone). */
  readonly #streams = new Set<StreamEntry>();
  readonly #streamEntries = new WeakMap<ImapIterator<unknown>, StreamEntry>();
  readonly #streamGone = new FinalizationRegistry<StreamEntry>((entry) => {
    this.#streams.delete(entry);
    this.#maybeFinishClosing();
  });
  /** Stream chunks among the queued tasks: at most maxQueue; apply/map admission does not count them. */
  #streamQueued = 0;
  #streamWakeScheduled = false;
  #goneWaiters: (() => void)[] = [];
  #readyWaiters: { resolve: () => void; reject: (e: unknown) => void }[] = [];

  /**
   * Checks the options, resolves the task module (it must exist), places the slots and starts one
   * worker per slot.
   *
   * @throws {TaskModuleNotFoundError | PoolOptionsError | PlacementError | LocationError | CpusUnavailableError}
   */
  constructor(options: PoolOptions) {
    super();
    if (typeof options !== 'object' || options === null) throw new PoolOptionsError('new Pool(options): options must be an object with at least `module`');
    const kind = options.kind ?? 'process';
    if (kind !== 'process' && kind !== 'thread') throw new PoolOptionsError(`kind must be 'process' or 'thread', got ${JSON.stringify(kind)}`);
    this.kind = kind;
    const module = resolveTaskModule(options.module);
    this.#modulePath = module.path;
    this.#maxTasksPerChild = positiveOr(options.maxTasksPerChild, Infinity, 'maxTasksPerChild', true);
    this.#maxQueue = positiveOr(options.maxQueue, Infinity, 'maxQueue', false);
    this.#taskTimeout = options.taskTimeout === undefined ? undefined : positiveOr(options.taskTimeout, 0, 'taskTimeout', false);
    this.#maxStartupFailures = positiveOr(options.maxStartupFailures, 5, 'maxStartupFailures', true);
    if (options.initializer !== undefined && (typeof options.initializer !== 'string' || options.initializer === '')) {
      throw new PoolOptionsError('initializer must be the name of an export of the task module');
    }
    if (options.initargs !== undefined && !Array.isArray(options.initargs)) throw new PoolOptionsError('initargs must be an array');
    const serialization = options.serialization ?? 'json';
    if (serialization !== 'json' && serialization !== 'advanced') throw new PoolOptionsError(`serialization must be 'json' or 'advanced'`);
    const settings = checkLaunchSettings(options);
    this.binding = checkBindingMode(options.binding);
    checkSchedAllowed(settings);
    this.#settings = new SlotSettings(settings, () => readTopology());
    this.#init = { module: module.href, initializer: options.initializer ?? null, initargs: [...(options.initargs ?? [])] };
    this.#slots = resolveSlots(options.placement, options.workers).map((cpus, i) => new Slot(i, cpus));
    this.size = this.#slots.length;
    this.#placement = options.placement;
    this.#ownCpus = this.#slots.map((s) => s.cpus);
    const every = options.cpuCheckInterval ?? 1000;
    if (typeof every !== 'number' || !(every >= 0)) throw new PoolOptionsError(`cpuCheckInterval must be a number of milliseconds (0: off), got ${String(every)}`);
    if (every > 0 && every !== Infinity && this.#ownCpus.some((c) => c !== null)) this.#cpuWatch = watchUsableCpus(usableCpus, every, () => this.#replan());
    this.#backend =
      kind === 'process'
        ? processBackend({
            execArgv: options.execArgv ?? defaultExecArgv(),
            env: options.env ?? process.env,
            serialization,
            resourceLimits: options.resourceLimits,
            settings: this.#settings,
          })
        : threadBackend({ resourceLimits: options.resourceLimits, settings: this.#settings });
    for (const slot of this.#slots) this.#startWorker(slot);
  }

  /** Resolves when every slot has a started, pinned worker; rejects if the pool failed to start. */
  ready(): Promise<void> {
    if (this.#failure) return Promise.reject(this.#failure);
    if (this.#slots.every((s) => s.current?.state === 'ready')) return Promise.resolve();
    this.#setRef(true);
    return new Promise((resolve, reject) => this.#readyWaiters.push({ resolve, reject }));
  }

  /**
   * Runs export `fn` with `args` in a worker (`fn` defaults to `'default'`: `apply([1, 2])`).
   * @returns the task's result. Rejects with the task's own error (name, message, stack kept),
   * WorkerCrashedError, TaskTimeoutError, AbortError, QueueFullError, PoolClosedError or PoolTerminatedError.
   */
  apply<R = unknown>(fn: string, args?: readonly unknown[], options?: CallOptions): Promise<R>;
  apply<R = unknown>(args?: readonly unknown[], options?: CallOptions): Promise<R>;
  apply<R = unknown>(a?: string | readonly unknown[], b?: readonly unknown[] | CallOptions, c?: CallOptions): Promise<R> {
    const [fn, args, options] = typeof a === 'string' ? [a, (b ?? []) as readonly unknown[], c] : ['default', a ?? [], b as CallOptions | undefined];
    return new Promise<R>((resolve, reject) => {
      if (!Array.isArray(args)) return reject(new PoolOptionsError(`apply(${JSON.stringify(fn)}, args): args must be an array`));
      const refused = this.#admit(fn, 1, false);
      if (refused) return reject(refused);
      const call = this.#callSettings(options);
      if (call instanceof Error) return reject(call);
      const task = this.#enqueue(fn, Mode.Apply, args, call, (ok, v) => {
        if (call.signal) call.signal.removeEventListener('abort', onAbort);
        if (ok) resolve(v as R);
        else reject(v);
      });
      const onAbort = (): void => this.#abortTask(task, call.signal!.reason);
      call.signal?.addEventListener('abort', onAbort, { once: true });
    });
  }

  /**
   * Python's `map`: `fn(item)` for every item, in chunks (default: Python's chunk size, about four
   * per worker); resolves with the results in input order, or rejects with the first failure.
   */
  map<R = unknown>(fn: string, iterable: Iterable<unknown> | AsyncIterable<unknown>, options?: MapOptions): Promise<R[]>;
  map<R = unknown>(iterable: Iterable<unknown> | AsyncIterable<unknown>, options?: MapOptions): Promise<R[]>;
  async map<R = unknown>(a: string | Iterable<unknown> | AsyncIterable<unknown>, b?: Iterable<unknown> | AsyncIterable<unknown> | MapOptions, c?: MapOptions): Promise<R[]> {
    const [fn, iterable, options] = splitArgs(a, b, c);
    return (await this.#mapAll(fn, await collect(iterable, 'map'), Mode.Map, options)) as R[];
  }

  /** Python's `starmap`: `fn(...args)` for every args array; results in input order. */
  starmap<R = unknown>(fn: string, argsIterable: Iterable<Iterable<unknown>> | AsyncIterable<Iterable<unknown>>, options?: MapOptions): Promise<R[]>;
  starmap<R = unknown>(argsIterable: Iterable<Iterable<unknown>> | AsyncIterable<Iterable<unknown>>, options?: MapOptions): Promise<R[]>;
  async starmap<R = unknown>(a: string | Iterable<unknown> | AsyncIterable<unknown>, b?: Iterable<unknown> | AsyncIterable<unknown> | MapOptions, c?: MapOptions): Promise<R[]> {
    const [fn, iterable, options] = splitArgs(a, b, c);
    let items = await collect(iterable, 'starmap');
    if (!items.every((x) => Array.isArray(x))) {
      items = items.map((x, i) => {
        if (Array.isArray(x)) return x;
        if (x !== null && typeof x === 'object' && Symbol.iterator in x) return [...(x as Iterable<unknown>)];
        throw new PoolOptionsError(`starmap: item ${i} is not an array of arguments (got ${typeof x})`);
      });
    }
    return (await this.#mapAll(fn, items, Mode.Star, options)) as R[];
  }

  /**
   * Python's `imap`, lazy: reads the (async) iterable only as results are consumed — at most a few
   * chunks per worker ahead — so millions of inputs stream in constant memory. Results in input order.
   * Default chunksize 1. `break` stops reading input.
   */
  imap<R = unknown>(fn: string, iterable: Iterable<unknown> | AsyncIterable<unknown>, options?: MapOptions): AsyncIterableIterator<R>;
  imap<R = unknown>(iterable: Iterable<unknown> | AsyncIterable<unknown>, options?: MapOptions): AsyncIterableIterator<R>;
  imap<R = unknown>(a: string | Iterable<unknown> | AsyncIterable<unknown>, b?: Iterable<unknown> | AsyncIterable<unknown> | MapOptions, c?: MapOptions): AsyncIterableIterator<R> {
    return this.#stream<R>(true, ...splitArgs(a, b, c));
  }

  /** Like {@link Pool.imap}, but results come as they finish (items of one chunk stay together). */
  imapUnordered<R = unknown>(fn: string, iterable: Iterable<unknown> | AsyncIterable<unknown>, options?: MapOptions): AsyncIterableIterator<R>;
  imapUnordered<R = unknown>(iterable: Iterable<unknown> | AsyncIterable<unknown>, options?: MapOptions): AsyncIterableIterator<R>;
  imapUnordered<R = unknown>(a: string | Iterable<unknown> | AsyncIterable<unknown>, b?: Iterable<unknown> | AsyncIterable<unknown> | MapOptions, c?: MapOptions): AsyncIterableIterator<R> {
    return this.#stream<R>(false, ...splitArgs(a, b, c));
  }

  /**
   * Accepts no more calls; resolves once every accepted task (and every running imap stream) has
   * finished and every worker has exited.
   */
  /** Tasks waiting for a worker now (apply calls, map chunks, imap chunks read ahead). */
  get queueSize(): number {
    return this.#queued;
  }

  /**
   * Accepts no more calls; resolves once every accepted task (and every imap stream still being
   * read) has finished and every worker has exited. An imap iterator dropped without `return()` is
   * not waited for once it is garbage-collected; one whose loop ended by a task's error is stopped.
   * `timeout` (ms) bounds the wait: what is still running then is terminated (PoolTerminatedError).
   */
  close(options?: { readonly timeout?: number }): Promise<void> {
    const timeout = options?.timeout;
    if (timeout !== undefined && !(typeof timeout === 'number' && timeout > 0)) {
      return Promise.reject(new PoolOptionsError(`close({ timeout }) must be a positive number of milliseconds, got ${String(timeout)}`));
    }
    if (this.#state === 'running') this.#state = 'closing';
    const gone = this.#whenGone();
    this.#setRef(true);
    this.#maybeFinishClosing();
    if (timeout !== undefined && timeout !== Infinity) {
      const timer = setTimeout(() => void this.terminate(), timeout);
      void gone.then(() => clearTimeout(timer));
    }
    return gone;
  }

  /** Stops now: queued and running tasks reject with PoolTerminatedError; resolves once every worker has exited. */
  terminate(): Promise<void> {
    if (this.#state === 'running' || this.#state === 'closing') {
      this.#state = 'terminated';
      this.#stopEverything(new PoolTerminatedError(), 'terminated');
    }
    return this.#whenGone();
  }

  /** `await using pool = new Pool(…)`: terminates at the end of the block, as Python's `with Pool()` does. */
  [Symbol.asyncDispose](): Promise<void> {
    return this.terminate();
  }

  /**
   * One entry per slot: its CPUs and its current worker, read back from /proc now (`verified`:
   * every thread of a process worker, or a thread worker's own thread, is inside the slot's CPUs).
   */
  bindings(): Binding[] {
    return this.#slots.map((slot) => {
      const w = slot.current ?? [...slot.workers][0] ?? null;
      const cpus = this.#pinSetOf(slot);
      const extra = { binding: this.binding, ...(this.#settings.settings.memory !== null ? { memory: this.#settings.memoryFor(cpus) } : {}) };
      if (w === null || w.state === 'gone') return { slot: slot.index, pid: null, tid: null, cpus, verified: false, ...extra };
      const ready = w.tid !== null;
      const verified = ready && cpus !== null && verifyBinding(this.kind, w.handle.pid, w.tid!, cpus) === 'inside';
      return { slot: slot.index, pid: w.handle.pid, tid: w.tid, cpus, verified, ...extra };
    });
  }

  // ---- calls -------------------------------------------------------------------------------------

  #callSettings(options: CallOptions | undefined): { signal: AbortSignal | undefined; timeout: number | undefined } | Error {
    const signal = options?.signal;
    const timeout = options?.timeout ?? this.#taskTimeout;
    if (timeout !== undefined && !(typeof timeout === 'number' && timeout > 0 && timeout !== Infinity)) {
      return new PoolOptionsError(`timeout must be a positive number of milliseconds, got ${String(timeout)}`);
    }
    if (signal?.aborted) return new AbortError(signal.reason);
    return { signal, timeout };
  }

  /** Why a call cannot be accepted now, or null. */
  #admit(fn: string, tasks: number, stream: boolean): Error | null {
    if (this.#state !== 'running') {
      if (stream && this.#state === 'closing') return null;
      return this.#failure ?? (this.#state === 'terminated' ? new PoolTerminatedError() : new PoolClosedError());
    }
    if (this.#exports !== null && !this.#exports.has(fn)) return new ExportNotFoundError(fn, this.#modulePath, [...this.#exports]);
    // An imap's read-ahead is the pool's own buffering, bounded apart: it never refuses a call.
    if (!stream && this.#queued - this.#streamQueued + tasks > this.#maxQueue) return new QueueFullError(this.#maxQueue, tasks);
    return null;
  }

  #enqueue(fn: string, mode: Mode, payload: unknown, call: { signal: AbortSignal | undefined; timeout: number | undefined }, done: (ok: boolean, v: unknown) => void, stream = false): Task {
    const task = new Task(this.#nextId++, fn, mode, payload, call.timeout, call.timeout !== undefined || call.signal !== undefined, done);
    task.stream = stream;
    this.#queue.push(task);
    this.#queued++;
    if (stream) this.#streamQueued++;
    if (this.#pending++ === 0) this.#setRef(true);
    this.#schedule();
    return task;
  }

  #mapAll(fn: string, items: readonly unknown[], mode: Mode, options: MapOptions | undefined): Promise<unknown[]> {
    return new Promise((resolve, reject) => {
      const chunksize = options?.chunksize ?? defaultChunksize(items.length, this.size);
      if (!Number.isInteger(chunksize) || chunksize < 1) return reject(new PoolOptionsError(`chunksize must be a whole number of at least 1, got ${String(chunksize)}`));
      const chunks = Math.ceil(items.length / chunksize);
      const refused = this.#admit(fn, chunks, false);
      if (refused) return reject(refused);
      const call = this.#callSettings(options);
      if (call instanceof Error) return reject(call);
      if (chunks === 0) return resolve([]);
      const parts = new Array<unknown[]>(chunks);
      const tasks: Task[] = [];
      let left = chunks;
      let over = false;
      const finish = (): void => {
        over = true;
        call.signal?.removeEventListener('abort', onAbort);
      };
      const onAbort = (): void => {
        for (const t of tasks) this.#abortTask(t, call.signal!.reason);
      };
      // Before the loop: a chunk sent early (below) may fail at once, and finish() removes it then.
      call.signal?.addEventListener('abort', onAbort, { once: true });
      for (let start = 0, c = 0; start < items.length; start += chunksize, c++) {
        // Once every worker has a chunk, send them: the workers start while the rest are cut.
        if (c === this.size) this.#dispatch();
        const chunk = items.slice(start, start + chunksize);
        const n = chunk.length;
        const index = c;
        tasks.push(
          this.#enqueue(fn, mode, chunk, call, (ok, v) => {
            if (over) return;
            if (ok && (!Array.isArray(v) || v.length !== n)) {
              ok = false;
              v = new TypeError(`a worker answered a chunk of ${n} with ${Array.isArray(v) ? `${v.length} results` : 'something that is not an array'}`);
            }
            if (!ok) {
              finish();
              return reject(v);
            }
            parts[index] = v as unknown[];
            if (--left === 0) {
              finish();
              resolve(joinChunks(parts));
            }
          }),
        );
      }
    });
  }

  #stream<R>(ordered: boolean, fn: string, iterable: Iterable<unknown> | AsyncIterable<unknown>, options: MapOptions | undefined): ImapIterator<R> {
    const chunksize = options?.chunksize ?? 1;
    const isIterable = iterable !== null && typeof iterable === 'object' && (Symbol.iterator in iterable || Symbol.asyncIterator in iterable);
    let refused: Error | null = null;
    if (!isIterable && typeof iterable !== 'string') refused = new PoolOptionsError('imap: the input must be an iterable or an async iterable');
    else if (!Number.isInteger(chunksize) || chunksize < 1) refused = new PoolOptionsError(`chunksize must be a whole number of at least 1, got ${String(chunksize)}`);
    refused ??= this.#admit(fn, 0, false);
    const call = refused ? null : this.#callSettings(options);
    if (call instanceof Error) refused = call;
    // Enough chunks ahead to keep every worker's window full, never fewer than four per worker.
    const ahead = Math.max(4 * this.size, Math.ceil((this.size * 1024) / chunksize));
    const runner: ChunkRunner = {
      run: (items, done) => {
        const no = this.#admit(fn, 1, true);
        return no ?? this.#enqueue(fn, Mode.Map, items, call as Exclude<typeof call, Error | null>, done, true);
      },
      hasRoom: () => this.#streamQueued < this.#maxQueue,
      errored: () => {
        // Give the consumer a turn to go on iterating before close() takes the stream as abandoned.
        if (this.#state === 'closing') setImmediate(() => this.#maybeFinishClosing());
      },
      cancel: (task) => {
        if (task.state === TaskState.Queued) this.#settle(task, false, undefined, false, true);
      },
      abort: (task, reason) => this.#abortTask(task, reason),
      finished: (s) => {
        const entry = this.#streamEntries.get(s);
        if (entry !== undefined) {
          this.#streams.delete(entry);
          this.#streamGone.unregister(entry);
        }
        if (call && !(call instanceof Error)) call.signal?.removeEventListener('abort', onAbort);
        this.#maybeFinishClosing();
      },
    };
    const stream = new ImapIterator<R>(runner, refused ? [] : (iterable as Iterable<unknown>), ordered, chunksize, ahead);
    const onAbort = (): void => stream.fail(new AbortError((call as { signal: AbortSignal }).signal.reason), true);
    if (refused) {
      stream.fail(refused, false);
      return stream;
    }
    const entry: StreamEntry = { ref: new WeakRef(stream as ImapIterator<unknown>) };
    this.#streams.add(entry);
    this.#streamEntries.set(stream as ImapIterator<unknown>, entry);
    this.#streamGone.register(stream, entry, entry);
    if (call && !(call instanceof Error)) call.signal?.addEventListener('abort', onAbort, { once: true });
    return stream;
  }

  // ---- dispatch ----------------------------------------------------------------------------------

  #schedule(): void {
    if (this.#dispatchScheduled) return;
    this.#dispatchScheduled = true;
    // After the caller's synchronous burst, so one message carries many tasks.
    queueMicrotask(() => {
      this.#dispatchScheduled = false;
      this.#dispatch();
    });
  }

  #dispatch(): void {
    if (this.#queued === 0) return;
    const ready: PoolWorker[] = [];
    for (const s of this.#slots) if (s.current?.state === 'ready') ready.push(s.current);
    if (ready.length === 0) return;
    let progress = true;
    while (this.#queued > 0 && progress) {
      progress = false;
      const share = Math.ceil(this.#queued / ready.length);
      const deep = this.#queued >= 2 * ready.length;
      for (const w of ready) {
        if (this.#queued === 0) break;
        const room = Math.min(w.room(this.#maxTasksPerChild, deep), share);
        if (room <= 0) continue;
        const batch: Task[] = [];
        while (batch.length < room) {
          const t = this.#queue.peek();
          if (t === undefined) break;
          if (t.state !== TaskState.Queued) {
            this.#queue.shift();
            continue;
          }
          if (t.interruptible) {
            // Runs alone on an idle worker: stopping it (timeout, abort) then stops nothing else.
            if (batch.length === 0 && w.inflightCount === 0) {
              this.#queue.shift();
              batch.push(t);
              w.exclusive = true;
            }
            break;
          }
          this.#queue.shift();
          batch.push(t);
        }
        if (batch.length > 0) {
          this.#send(w, batch);
          progress = true;
        }
        if (w.state !== 'ready') progress = true; // it retired: the ready list changed
      }
      if (progress) {
        ready.length = 0;
        for (const s of this.#slots) if (s.current?.state === 'ready') ready.push(s.current);
        if (ready.length === 0) return;
      }
    }
  }

  #send(w: PoolWorker, batch: Task[]): void {
    const msg = new Array<unknown>(1 + batch.length * RUN_STRIDE);
    msg[0] = RUN;
    let k = 1;
    for (const t of batch) {
      msg[k++] = t.id;
      msg[k++] = t.fn;
      msg[k++] = t.mode;
      msg[k++] = t.payload;
    }
    try {
      w.handle.send(msg);
      const b = ++w.batches;
      for (const t of batch) this.#markSent(w, t, b);
    } catch {
      // Some argument cannot be serialized: send one by one so only that task fails.
      for (const t of batch) {
        try {
          w.handle.send([RUN, t.id, t.fn, t.mode, t.payload]);
          this.#markSent(w, t, ++w.batches);
        } catch (err) {
          if (t.interruptible) w.exclusive = false;
          this.#settle(t, false, new TaskDataError(`the arguments of task ${JSON.stringify(t.fn)}`, err), true);
        }
      }
    }
    if (w.handed >= this.#maxTasksPerChild) this.#retire(w);
  }

  #markSent(w: PoolWorker, t: Task, batch: number): void {
    t.state = TaskState.Sent;
    t.worker = w;
    t.batch = batch;
    this.#queued--;
    if (t.stream) this.#streamLeftQueue();
    w.handed++;
    w.pushInflight(t);
    if (t.timeout !== undefined) {
      t.timer = setTimeout(() => this.#onTimeout(t), t.timeout);
    }
    if (w.slot.startupAttempts !== 0) {
      w.slot.startupAttempts = 0;
      w.slot.startupFailures = 0;
    }
  }

  /** A stream chunk left the queue: streams held back by maxQueue may read on. */
  #streamLeftQueue(): void {
    if (this.#streamQueued-- !== this.#maxQueue || this.#streamWakeScheduled) return;
    this.#streamWakeScheduled = true;
    queueMicrotask(() => {
      this.#streamWakeScheduled = false;
      for (const e of this.#streams) e.ref.deref()?.poke();
    });
  }

  /** Settles a task exactly once. `quiet`: a cancelled stream chunk, whose callback is not called. */
  #settle(task: Task, ok: boolean, value: unknown, report: boolean, quiet = false): void {
    if (task.state === TaskState.Settled) return;
    if (task.state === TaskState.Queued) {
      this.#queued--;
      if (task.stream) this.#streamLeftQueue();
    }
    task.state = TaskState.Settled;
    task.payload = undefined;
    if (task.timer !== undefined) clearTimeout(task.timer);
    if (--this.#pending === 0) {
      if (this.#state === 'running' && this.#readyWaiters.length === 0) this.#setRef(false);
      // The last task may settle without a worker's help (aborted in the queue): closing goes on.
      else if (this.#state === 'closing') queueMicrotask(() => this.#maybeFinishClosing());
    }
    if (!ok && report) this.emit('taskError', { slot: task.worker?.slot.index ?? null, fn: task.fn, error: value });
    if (!quiet) task.done(ok, value);
  }

  #onTimeout(task: Task): void {
    const w = task.worker;
    if (task.state !== TaskState.Sent || w === null) return;
    this.#settle(task, false, new TaskTimeoutError(task.timeout!, w.slot.index, task.fn), true);
    this.#kill(w, 'timeout');
  }

  #abortTask(task: Task, reason: unknown): void {
    if (task.state === TaskState.Settled) return;
    const w = task.state === TaskState.Sent ? task.worker : null;
    this.#settle(task, false, new AbortError(reason), false);
    if (w !== null) this.#kill(w, 'aborted');
  }

  // ---- workers -----------------------------------------------------------------------------------

  #startWorker(slot: Slot): void {
    const w = new PoolWorker(slot);
    slot.current = w;
    slot.workers.add(w);
    this.#live++;
    try {
      w.handle = this.#backend.start(
        { slot: slot.index, cpus: this.#pinSetOf(slot), own: slot.cpus, init: this.#init },
        {
          message: (m) => this.#onMessage(w, m),
          exit: (code, signal, err) => this.#onExit(w, code, signal, err),
          drained: () => {
            if (this.#queued > 0) this.#dispatch();
          },
          unreadable: (detail) => this.#protocolError(w, detail),
        },
      );
    } catch (err) {
      // Could not even be created (EAGAIN, cpuset changed): report as an exit, asynchronously.
      w.handle = { pid: 0, writing: false, send() {}, kill() {}, ref() {}, unref() {} };
      w.startupFailure = { what: 'the worker could not be created', error: err, reported: false };
      // Its CPUs may have just left the usable set: place again, so the restart lands inside it.
      this.#replan();
      setImmediate(() => this.#onExit(w, null, null, err));
      return;
    }
    if (this.#reffed) w.handle.ref();
    else w.handle.unref();
  }

  #onMessage(w: PoolWorker, raw: unknown): void {
    if (w.state === 'gone' || w.exitReason === 'protocol') return;
    const m = parseWorkerMessage(raw);
    if (typeof m === 'string') {
      this.emit('protocolError', { slot: w.slot.index, pid: w.handle.pid, detail: m });
      // Ours but malformed: the worker's state can no longer be trusted. Foreign (user code's own
      // process.send / parentPort.postMessage): ignored.
      if (isPoolTagged(raw)) this.#kill(w, 'protocol');
      return;
    }
    switch (m.type) {
      case DONE:
        w.stoppedAt = null; // last words come after the last results: that was no last word
        return this.#onDone(w, m.busyMs, m.data);
      case READY:
        if (w.state !== 'starting') return this.#protocolError(w, 'READY from a worker that had started already');
        return this.#onReady(w, m.pid, m.tid, m.exports);
      case FAIL:
        if (w.state !== 'starting') return this.#protocolError(w, 'FAIL from a worker that had started already');
        return this.#onStartFailed(w, m.phase, m.error);
      case CRASH:
        w.crashCause = fromRemoteError(m.error);
        return;
      case STOPPED:
        w.stoppedAt = { running: m.running };
        return;
    }
  }

  #protocolError(w: PoolWorker, detail: string): void {
    this.emit('protocolError', { slot: w.slot.index, pid: w.handle.pid, detail });
    this.#kill(w, 'protocol');
  }

  #onReady(w: PoolWorker, pid: number, tid: number, exports: readonly string[]): void {
    if (this.kind === 'process' && pid !== w.handle.pid) return this.#protocolError(w, `READY with pid ${pid}, expected ${w.handle.pid}`);
    w.tid = tid;
    const cpus = this.#pinSetOf(w.slot);
    if (cpus !== null) {
      let found = this.#verifyOrRepin(w, cpus);
      // The usable CPUs may have changed since it was born (the watch polls): place again, check again.
      if (found === 'outside' && this.#replan().length > 0 && w.slot.cpus !== null) found = this.#verifyOrRepin(w, w.slot.cpus);
      w.verified = found === 'inside';
      // 'gone': it exited right after saying ready (asked to stop while starting); nothing ran on it.
      if (found === 'outside') {
        // Never run tasks off the slot's CPUs. Not the worker's fault: retried like a kill from outside.
        w.startupFailure = { what: `its threads could not be confirmed on CPUs ${w.slot.cpus?.toList() ?? ''} from /proc`, error: undefined, reported: false };
        return this.#kill(w, null);
      }
    }
    w.state = 'ready';
    w.slot.startupRetries = 0;
    if (this.#exports === null) {
      this.#exports = new Set(exports);
      this.#rejectUnknownQueued();
    }
    // Stopped while it was starting (pool shutting down, or replaced): it gets no work.
    if ((this.#state !== 'running' && this.#state !== 'closing') || w.slot.current !== w) return;
    this.emit('workerStart', { slot: w.slot.index, pid: w.handle.pid, tid, cpus: w.slot.cpus, verified: w.verified });
    if (this.#readyWaiters.length > 0 && this.#slots.every((s) => s.current?.state === 'ready')) {
      const waiters = this.#readyWaiters;
      this.#readyWaiters = [];
      for (const r of waiters) r.resolve();
      if (this.#pending === 0 && this.#state === 'running') this.#setRef(false);
    }
    if (this.#state === 'closing') this.#maybeFinishClosing();
    this.#dispatch();
  }

  /**
   * The usable CPUs changed: slots that lost CPUs are placed again inside the usable ones, slots whose
   * own CPUs are back get them back (replanSlots); live workers of a moved slot are re-pinned, or —
   * if that fails — replaced once their tasks are done, so no task is lost.
   */
  #replan(): SlotMove[] {
    if (this.#state !== 'running' && this.#state !== 'closing') return [];
    let topology;
    try {
      topology = readTopology();
    } catch {
      return [];
    }
    let fresh: (CpuSet | null)[] | null;
    try {
      fresh = resolveSlots(this.#placement, this.size, topology);
    } catch {
      fresh = null; // e.g. an explicit list that names an offline CPU: replanSlots falls back per slot
    }
    const moves = replanSlots(this.#ownCpus, this.#slots.map((s) => s.cpus), fresh, topology.usable);
    for (const m of moves) {
      const slot = this.#slots[m.slot]!;
      slot.cpus = m.to;
      for (const w of [...slot.workers]) {
        // A worker still starting is checked against the new set when it reports READY.
        if (w.state === 'gone' || w.tid === null) continue;
        if (this.#verifyOrRepin(w, this.#pinSetOf(slot) ?? m.to) !== 'outside') continue;
        if (w.state === 'ready') this.#retire(w);
      }
    }
    if (moves.length > 0) this.emit('placementChange', { usable: topology.usable, moves });
    return moves;
  }

  #pinSetOf(slot: Slot): CpuSet | null {
    return bindingCpus(this.binding, slot, this.#slots);
  }

  #verifyOrRepin(w: PoolWorker, cpus: CpuSet): 'inside' | 'outside' | 'gone' {
    const pid = w.handle.pid;
    const found = verifyBinding(this.kind, pid, w.tid!, cpus);
    if (found !== 'outside') return found;
    // Born inside, yet a thread is outside (e.g. the cpuset changed meanwhile): pin from here, read again.
    try {
      pin(this.kind === 'process' ? pid : { tid: w.tid! }, cpus);
    } catch {
      return 'outside';
    }
    return verifyBinding(this.kind, pid, w.tid!, cpus);
  }

  #rejectUnknownQueued(): void {
    const exports = this.#exports!;
    for (const t of this.#queue) {
      if (t.state === TaskState.Queued && !exports.has(t.fn)) this.#settle(t, false, new ExportNotFoundError(t.fn, this.#modulePath, [...exports]), true);
    }
  }

  #onStartFailed(w: PoolWorker, phase: string, error: RemoteError): void {
    const err = fromRemoteError(error);
    if (phase === 'import' || phase === 'export') {
      // Deterministic: every new worker would fail the same way.
      const what = phase === 'import' ? `importing ${this.#modulePath} failed` : `the initializer ${JSON.stringify(this.#init.initializer)} is not a function export`;
      const listed: unknown = (err as Error & { exports?: unknown }).exports;
      const names = typeof listed === 'string' ? listed.split(',').filter(Boolean) : [];
      this.#fail(new WorkerStartupError(w.slot.index, 1, what, phase === 'export' ? new ExportNotFoundError(this.#init.initializer ?? '', this.#modulePath, names) : err));
      return;
    }
    w.startupFailure = { what: phase === 'pin' ? 'pinning failed' : `the initializer ${JSON.stringify(this.#init.initializer)} threw`, error: err, reported: true };
    this.#kill(w, null);
  }

  #onDone(w: PoolWorker, busyMs: number, data: readonly unknown[]): void {
    const n = (data.length - 2) / DONE_STRIDE;
    for (let i = 2; i < data.length; i += DONE_STRIDE) {
      const task = w.peekInflight();
      if (task === undefined || task.id !== data[i]) return this.#protocolError(w, `result for task ${String(data[i])}, which that worker was not running`);
      w.shiftInflight();
      if (task.interruptible) w.exclusive = false;
      if (task.state === TaskState.Settled) continue; // timed out or aborted meanwhile
      const status = data[i + 1] as Status;
      const value = data[i + 2];
      switch (status) {
        case Status.Ok:
          this.#settle(task, true, value, false);
          break;
        case Status.Undefined:
          this.#settle(task, true, undefined, false);
          break;
        case Status.Threw:
          this.#settle(task, false, fromRemoteError(value as RemoteError), true);
          break;
        case Status.ThrewValue:
          this.#settle(task, false, value, true);
          break;
        default:
          this.#settle(task, false, new TaskDataError(`the result of task ${JSON.stringify(task.fn)}`, fromRemoteError(value as RemoteError)), true);
      }
    }
    w.noteBusy(busyMs, n);
    if (w.inflightCount === 0 && w.state === 'retiring') this.#maybeStop(w);
    if (this.#state === 'closing') this.#maybeFinishClosing();
    this.#dispatch();
  }

  /** A worker that has been handed its quota: a fresh one takes its place now, it finishes what it has. */
  #retire(w: PoolWorker): void {
    w.state = 'retiring';
    if (w.slot.current === w) {
      w.slot.current = null;
      if (this.#wantsWorkers()) this.#startWorker(w.slot);
    }
    if (w.inflightCount === 0) this.#maybeStop(w);
  }

  /** Asks an idle worker to exit. */
  #maybeStop(w: PoolWorker): void {
    if (w.state === 'stopping' || w.state === 'gone' || w.inflightCount > 0) return;
    // Only a worker that leaves when asked was recycled or closed; one that dies first crashed.
    w.exitReason ??= w.state === 'retiring' ? 'recycled' : 'closed';
    w.state = 'stopping';
    w.handle.send([EXIT]);
    setTimeout(() => {
      if (w.state !== 'gone') w.handle.kill();
    }, EXIT_GRACE_MS).unref();
  }

  /** Stops a worker at once; its slot gets a fresh one if the pool still wants workers. */
  #kill(w: PoolWorker, reason: WorkerExitReason | null): void {
    if (w.state === 'gone') return;
    if (reason !== null) w.exitReason ??= reason;
    if (w.state !== 'starting') w.state = 'stopping';
    if (w.slot.current === w) {
      w.slot.current = null;
      if (this.#wantsWorkers() && reason !== null) this.#startWorker(w.slot);
    }
    w.handle.kill();
  }

  #onExit(w: PoolWorker, exitCode: number | null, signal: string | null, error: unknown): void {
    if (w.state === 'gone') return;
    const wasStarting = w.state === 'starting' || (w.handed === 0 && w.exitReason === null);
    w.state = 'gone';
    this.#live--;
    const slot = w.slot;
    slot.workers.delete(w);
    if (slot.current === w) slot.current = null;
    const cause = w.crashCause ?? w.startupFailure?.error ?? error;
    const crashed = w.exitReason === null || w.exitReason === 'protocol';
    const reason: WorkerExitReason = w.exitReason ?? (wasStarting ? 'startup-failed' : 'crashed');
    this.#settleUnanswered(w, exitCode, signal, error, cause);
    this.emit('workerExit', { slot: slot.index, pid: w.handle.pid, tid: w.tid, exitCode, signal, reason, error: crashed ? cause : undefined });
    let restartNow = true;
    if (crashed && wasStarting && (this.#state === 'running' || this.#state === 'closing')) restartNow = this.#onStartupDeath(w, exitCode, signal, error, cause);
    if (restartNow && slot.current === null && slot.retryTimer === null && this.#wantsWorkers()) this.#startWorker(slot);
    this.#maybeFinishClosing();
    this.#dispatch();
    if (this.#live === 0 && this.#state !== 'running' && this.#state !== 'closing') this.#resolveGone();
  }

  /**
   * The tasks a dead worker had not answered. Those that may have started fail with
   * WorkerCrashedError (they ran at most once; never run again); only those it provably never
   * started go back to the front of the queue:
   * - killed for breaking the protocol: the pool stopped listening, so every one may have started;
   * - its own last words (it exited by itself, no signal): the task it was running, if any, failed;
   *   the rest never started;
   * - otherwise (SIGKILL, no last words) the batch rule: the first unanswered batch may have started,
   *   later batches never did (a worker starts a batch only after the previous one's results are out).
   */
  #settleUnanswered(w: PoolWorker, exitCode: number | null, signal: string | null, error: unknown, cause: unknown): void {
    const unanswered = [...w.inflight()].filter((t) => t.state !== TaskState.Settled);
    if (unanswered.length === 0) return;
    const oom = (error as { code?: unknown } | undefined)?.code === 'ERR_WORKER_OUT_OF_MEMORY';
    const said = w.exitReason === null && signal === null && !oom ? w.stoppedAt : null;
    const first = unanswered[0]!;
    let failed: (t: Task) => boolean;
    let certain = false;
    if (w.exitReason === 'protocol') failed = () => true;
    else if (said !== null && said.running === null) failed = () => false;
    else if (said !== null && said.running === first.id) {
      failed = (t) => t === first;
      certain = true;
    } else failed = (t) => t.batch === first.batch;
    const detail = w.exitReason === 'protocol' ? ': it broke the pool protocol' : undefined;
    const again: Task[] = [];
    for (const t of unanswered) {
      if (!failed(t)) {
        again.push(t);
        continue;
      }
      this.#settle(t, false, new WorkerCrashedError(w.slot.index, w.handle.pid, w.tid, exitCode, signal, cause, detail, !certain), true);
    }
    if (again.length === 0) return;
    for (const t of again) {
      t.state = TaskState.Queued;
      t.worker = null;
      if (t.stream) this.#streamQueued++;
    }
    this.#queued += again.length;
    this.#queue.unshiftAll(again);
  }

  /**
   * A worker died before running a task. Failures the worker itself reported (import, export,
   * initializer threw or exited, pin refused) are deterministic: `maxStartupFailures` in a row stop
   * the pool. A death nobody explained (a signal from outside, an exit without last words, a worker
   * that could not be created or confirmed on its CPUs) is not evidence that workers cannot start:
   * the slot retries after 10 ms, doubling up to 2 s, and says so with `startupRetry`; queued
   * tasks wait. Returns whether the slot may start a worker at once.
   */
  #onStartupDeath(w: PoolWorker, exitCode: number | null, signal: string | null, error: unknown, cause: unknown): boolean {
    const slot = w.slot;
    slot.startupAttempts++;
    // A thread worker cannot be killed from outside: its own error (an uncaught one) is its report.
    const reported =
      w.startupFailure !== null
        ? w.startupFailure.reported
        : signal === null && (w.stoppedAt !== null || w.crashCause !== undefined || (this.kind === 'thread' && error !== undefined));
    if (reported) {
      if (++slot.startupFailures >= this.#maxStartupFailures) {
        const what = w.startupFailure?.what ?? `the worker ${signal !== null ? `was killed by ${signal}` : `exited with code ${exitCode ?? 'unknown'}`} before running a task`;
        this.#fail(new WorkerStartupError(slot.index, slot.startupAttempts, what, cause));
        return false;
      }
      return true;
    }
    const delayMs = Math.min(STARTUP_RETRY_MAX_MS, STARTUP_RETRY_FIRST_MS * 2 ** slot.startupRetries);
    slot.startupRetries++;
    this.emit('startupRetry', { slot: slot.index, attempt: slot.startupRetries, delayMs, exitCode, signal });
    slot.retryTimer = setTimeout(() => {
      slot.retryTimer = null;
      if (slot.current === null && this.#wantsWorkers()) {
        this.#startWorker(slot);
        this.#maybeFinishClosing();
      }
    }, delayMs);
    if (!this.#reffed) slot.retryTimer.unref();
    return false;
  }

  /** Whether empty slots should get a worker: running, or closing with work left. */
  #wantsWorkers(): boolean {
    return this.#state === 'running' || (this.#state === 'closing' && (this.#queued > 0 || this.#streams.size > 0));
  }

  #maybeFinishClosing(): void {
    if (this.#state !== 'closing') return;
    // A stream whose loop ended by a task's error, and that nobody reads any more, is done.
    for (const e of [...this.#streams]) {
      const stream = e.ref.deref();
      if (stream === undefined) this.#streams.delete(e);
      else if (stream.idleAfterError) stream.fail(new PoolClosedError(), false);
    }
    if (this.#pending > 0 || this.#streams.size > 0) return;
    for (const s of this.#slots) {
      if (s.retryTimer !== null) {
        clearTimeout(s.retryTimer);
        s.retryTimer = null;
      }
      for (const w of s.workers) {
        if (w.state === 'ready' || w.state === 'retiring') this.#maybeStop(w);
        else if (w.state === 'starting' && !w.exitAsked) {
          // Let it finish starting (its initializer may be running), then exit; killed if it
          // has not after the grace period (an initializer that never finishes).
          w.exitAsked = true;
          w.exitReason ??= 'closed';
          w.handle.send([EXIT]);
          setTimeout(() => {
            if (w.state !== 'gone') w.handle.kill();
          }, EXIT_GRACE_MS).unref();
        }
      }
    }
    if (this.#live === 0) {
      this.#state = 'closed';
      this.#resolveGone();
    }
  }

  /** The pool cannot go on (terminate or start-up failure): every task rejects with `error`, every worker is killed. */
  #stopEverything(error: Error, reason: WorkerExitReason): void {
    this.#cpuWatch?.stop();
    for (const t of this.#queue) this.#settle(t, false, error, false);
    for (const s of this.#slots) {
      for (const w of s.workers) for (const t of w.inflight()) this.#settle(t, false, error, false);
    }
    for (const e of [...this.#streams]) e.ref.deref()?.fail(error, false);
    for (const s of this.#slots) {
      if (s.retryTimer !== null) clearTimeout(s.retryTimer);
      s.retryTimer = null;
    }
    const waiters = this.#readyWaiters;
    this.#readyWaiters = [];
    for (const r of waiters) r.reject(error);
    for (const s of this.#slots) {
      for (const w of [...s.workers]) {
        w.exitReason ??= reason;
        if (w.state !== 'gone') {
          w.state = 'stopping';
          w.handle.kill();
        }
      }
      s.current = null;
    }
    this.#setRef(true);
    if (this.#live === 0) this.#resolveGone();
  }

  #fail(error: Error): void {
    if (this.#state === 'failed' || this.#state === 'terminated' || this.#state === 'closed') return;
    this.#state = 'failed';
    this.#failure = error;
    this.#stopEverything(error, 'startup-failed');
  }

  #whenGone(): Promise<void> {
    if (this.#live === 0 && this.#state !== 'running' && this.#state !== 'closing') return Promise.resolve();
    return new Promise((resolve) => this.#goneWaiters.push(resolve));
  }

  #resolveGone(): void {
    this.#cpuWatch?.stop();
    if (this.#state === 'closing') this.#state = 'closed';
    const readyWaiters = this.#readyWaiters;
    this.#readyWaiters = [];
    for (const r of readyWaiters) r.reject(this.#failure ?? new PoolClosedError());
    const waiters = this.#goneWaiters;
    this.#goneWaiters = [];
    for (const r of waiters) r();
  }

  /** Workers keep this process alive only while the pool has work (or is shutting down). */
  #setRef(on: boolean): void {
    if (this.#reffed === on) return;
    this.#reffed = on;
    for (const s of this.#slots) {
      for (const w of s.workers) if (w.state !== 'gone') (on ? w.handle.ref() : w.handle.unref());
      if (s.retryTimer !== null) (on ? s.retryTimer.ref() : s.retryTimer.unref());
    }
  }
}

function positiveOr(v: number | undefined, fallback: number, name: string, integer: boolean): number {
  if (v === undefined) return fallback;
  if (typeof v !== 'number' || !(v > 0) || (integer && v !== Infinity && !Number.isInteger(v))) {
    throw new PoolOptionsError(`${name} must be a positive ${integer ? 'whole ' : ''}number${fallback === Infinity ? ' (or Infinity)' : ''}, got ${String(v)}`);
  }
  return v;
}
