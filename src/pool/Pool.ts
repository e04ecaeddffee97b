import { EventEmitter } from 'node:events';
import { readUsableCpus } from '../topology/readUsableCpus.js';
import type { BindingMode } from '../launch/LaunchSettings.js';
import { collect, mapAll, openStream, splitArgs } from './calls.js';
import { maybeFinishClosing, setRef, stopEverything, whenGone } from './closing.js';
import { abortTask, admit, callSettings, enqueue, enqueueApply } from './dispatch.js';
import { PoolOptionsError, PoolTerminatedError } from './errors.js';
import { pinSetOf, replan, startWorker } from './lifecycle.js';
import { checkPoolOptions } from './checkPoolOptions.js';
import { PoolCore } from './PoolCore.js';
import type { ApplyOptions, Binding, MapOptions, PoolEvents, PoolOptions, PoolPlacement } from './PoolOptions.js';
import type { CpuSet } from '../cpuset/CpuSet.js';
import { Mode } from './protocol.js';
import { Slot } from './Slot.js';
import { verifyBinding } from './verifyBinding.js';
import { watchUsableCpus } from './watchUsableCpus.js';
import { checkTransfer } from './checkTransfer.js';
import { TransferListError } from './TransferListError.js';

const EMPTY: readonly unknown[] = Object.freeze([]);

// The public face only: each method checks its arguments and hands over to the functions that
// share the pool's state (PoolCore): checkPoolOptions.ts, calls.ts, dispatch.ts, lifecycle.ts, closing.ts.

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
  readonly #core: PoolCore;

  /**
   * Checks the options, resolves the task module (it must exist), places the slots and starts one
   * worker per slot.
   *
   * @throws {TaskModuleNotFoundError | PoolOptionsError | PlacementError | LocationError | CpusUnavailableError}
   */
  constructor(options: PoolOptions) {
    super();
    const checked = checkPoolOptions(options);
    const core = new PoolCore(checked.config, checked.resolved.slots.map((cpus, i) => new Slot(i, cpus)), checked.resolved.usable, this);
    this.#core = core;
    this.kind = core.kind;
    this.binding = core.binding;
    this.size = core.size;
    const every = checked.cpuCheckInterval;
    // One source of usable CPUs: the topology's usable view, read under the topology's own root.
    const root = core.topologyRoot;
    if (every > 0 && every !== Infinity && root !== null && core.ownCpus.some((c) => c !== null)) core.cpuWatch = watchUsableCpus(() => readUsableCpus(root), every, () => replan(core));
    for (const slot of core.slots) startWorker(core, slot);
  }

  /** Resolves when every slot has a started, pinned worker; rejects if the pool failed to start. */
  ready(): Promise<void> {
    const core = this.#core;
    if (core.failure) return Promise.reject(core.failure);
    if (core.slots.every((s) => s.current?.state === 'ready')) return Promise.resolve();
    setRef(core, true);
    return new Promise((resolve, reject) => core.readyWaiters.push({ resolve, reject }));
  }

  /**
   * Runs export `fn` with `args` in a worker (`fn` defaults to `'default'`: `apply([1, 2])`).
   * `onProgress` gets what the task reports with `reportProgress` (from `corepin/worker`), in order.
   * `transfer` lists ArrayBuffers of `args` to move to a thread worker instead of copying them
   * ({@link ApplyOptions.transfer}: detached here once sent; process pools copy or refuse).
   * @returns the task's result. Rejects with the task's own error (name, message, stack kept),
   * WorkerCrashedError, TaskTimeoutError, AbortError, QueueFullError, TransferListError, PoolClosedError or PoolTerminatedError.
   */
  apply<R = unknown>(fn: string, args?: readonly unknown[], options?: ApplyOptions): Promise<R>;
  apply<R = unknown>(args?: readonly unknown[], options?: ApplyOptions): Promise<R>;
  apply<R = unknown>(a?: string | readonly unknown[], b?: readonly unknown[] | ApplyOptions, c?: ApplyOptions): Promise<R> {
    const core = this.#core;
    let fn: string;
    let args: readonly unknown[];
    let options: ApplyOptions | undefined;
    if (typeof a === 'string') {
      fn = a;
      args = (b ?? EMPTY) as readonly unknown[];
      options = c;
    } else {
      fn = 'default';
      args = a ?? EMPTY;
      options = b as ApplyOptions | undefined;
    }
    // The hot path: no options and no pool task timeout, so nothing can stop the task but its worker.
    if (options === undefined && core.taskTimeout === undefined && Array.isArray(args)) {
      const refused = admit(core, fn, 1, false);
      return (refused ? Promise.reject(refused) : enqueueApply(core, fn, args)) as Promise<R>;
    }
    return new Promise<R>((resolve, reject) => {
      if (!Array.isArray(args)) return reject(new PoolOptionsError(`apply(${JSON.stringify(fn)}, args): args must be an array`));
      const onProgress = options?.onProgress;
      if (onProgress !== undefined && typeof onProgress !== 'function') return reject(new PoolOptionsError(`apply(${JSON.stringify(fn)}): onProgress must be a function, got ${typeof onProgress}`));
      const refused = admit(core, fn, 1, false);
      if (refused) return reject(refused);
      const call = callSettings(core, options);
      if (call instanceof Error) return reject(call);
      const transfer = options?.transfer;
      const badMove = transfer === undefined ? null : transferRefusal(core, fn, args, transfer);
      if (badMove) return reject(badMove);
      const moving = transfer === undefined || transfer.length === 0 ? undefined : [...transfer];
      const task = enqueue(core, fn, onProgress === undefined ? Mode.Apply : Mode.Reporting, args, call, (ok, v) => {
        if (call.signal) call.signal.removeEventListener('abort', onAbort);
        if (onProgress !== undefined) core.progress!.delete(task.id);
        if (ok) resolve(v as R);
        else reject(v);
      }, false, moving);
      if (onProgress !== undefined) (core.progress ??= new Map()).set(task.id, onProgress);
      const onAbort = (): void => abortTask(core, task, call.signal!.reason);
      call.signal?.addEventListener('abort', onAbort, { once: true });
    });
  }

  /**
   * Python's `map`: `fn(item)` for every item, in chunks; resolves with the results in input order,
   * or rejects with the first failure. Default chunk size: Python's, `ceil(n / (4 × workers))` (about
   * four chunks per worker), capped at 8,192 items (larger arrays cost
   * V8 fresh pages); an explicit `chunksize` is used exactly.
   */
  map<R = unknown>(fn: string, iterable: Iterable<unknown> | AsyncIterable<unknown>, options?: MapOptions): Promise<R[]>;
  map<R = unknown>(iterable: Iterable<unknown> | AsyncIterable<unknown>, options?: MapOptions): Promise<R[]>;
  async map<R = unknown>(a: string | Iterable<unknown> | AsyncIterable<unknown>, b?: Iterable<unknown> | AsyncIterable<unknown> | MapOptions, c?: MapOptions): Promise<R[]> {
    const [fn, iterable, options] = splitArgs(a, b, c);
    return (await mapAll(this.#core, fn, await collect(iterable, 'map'), Mode.Map, options)) as R[];
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
    return (await mapAll(this.#core, fn, items, Mode.Star, options)) as R[];
  }

  /**
   * Python's `imap`, lazy: reads the (async) iterable only as results are consumed — at most a few
   * chunks per worker ahead — so millions of inputs stream in constant memory. Results in input order.
   * Default chunksize 1 (as Python's; `map`'s automatic size needs the length, which a stream does
   * not have). `break` stops reading input.
   */
  imap<R = unknown>(fn: string, iterable: Iterable<unknown> | AsyncIterable<unknown>, options?: MapOptions): AsyncIterableIterator<R>;
  imap<R = unknown>(iterable: Iterable<unknown> | AsyncIterable<unknown>, options?: MapOptions): AsyncIterableIterator<R>;
  imap<R = unknown>(a: string | Iterable<unknown> | AsyncIterable<unknown>, b?: Iterable<unknown> | AsyncIterable<unknown> | MapOptions, c?: MapOptions): AsyncIterableIterator<R> {
    return openStream<R>(this.#core, true, ...splitArgs(a, b, c));
  }

  /** Like {@link Pool.imap}, but results come as they finish (items of one chunk stay together). */
  imapUnordered<R = unknown>(fn: string, iterable: Iterable<unknown> | AsyncIterable<unknown>, options?: MapOptions): AsyncIterableIterator<R>;
  imapUnordered<R = unknown>(iterable: Iterable<unknown> | AsyncIterable<unknown>, options?: MapOptions): AsyncIterableIterator<R>;
  imapUnordered<R = unknown>(a: string | Iterable<unknown> | AsyncIterable<unknown>, b?: Iterable<unknown> | AsyncIterable<unknown> | MapOptions, c?: MapOptions): AsyncIterableIterator<R> {
    return openStream<R>(this.#core, false, ...splitArgs(a, b, c));
  }

  /**
   * The placement request as given (kept: a cpuset change is resolved again from it, so a policy
   * such as `'cores'` stays `'cores'`; `isolated: true` is folded into it), each slot's CPUs now
   * (null: unpinned) and the CPUs the request may use now.
   *
   * @example
   * ```ts
   * import { Pool } from 'corepin';
   * await using pool = new Pool({ module: new URL('./work.js', import.meta.url), placement: 'cores' });
   * const { request, slots } = pool.placement; // 'cores', [CpuSet(0), CpuSet(1)]
   * ```
   */
  get placement(): {
    /** The `placement` option as given, with `isolated` folded in (undefined: the default, `'spread'`). */
    readonly request: PoolPlacement | undefined;
    /** Each slot's CPUs now, in slot order (null: unpinned). */
    readonly slots: readonly (CpuSet | null)[];
    /** The CPUs the request may use now: the topology's usable CPUs, inside `within` when given. */
    readonly usable: CpuSet;
  } {
    return { request: this.#core.placement, slots: this.#core.slots.map((s) => s.cpus), usable: this.#core.usable };
  }

  /** Tasks waiting for a worker now (apply calls, map chunks, imap chunks read ahead). */
  get queueSize(): number {
    return this.#core.queued;
  }

  /**
   * Accepts no more calls; resolves once every accepted task (and every imap stream still being
   * read) has finished and every worker has exited. An imap iterator dropped without `return()` is
   * not waited for once it is garbage-collected; one whose loop ended by a task's error is stopped.
   * `timeout` (ms) bounds the wait: what is still running then is terminated (PoolTerminatedError).
   */
  close(options?: { readonly timeout?: number }): Promise<void> {
    const core = this.#core;
    const timeout = options?.timeout;
    if (timeout !== undefined && !(typeof timeout === 'number' && timeout > 0)) {
      return Promise.reject(new PoolOptionsError(`close({ timeout }) must be a positive number of milliseconds, got ${String(timeout)}`));
    }
    if (core.state === 'running') core.state = 'closing';
    const gone = whenGone(core);
    setRef(core, true);
    maybeFinishClosing(core);
    if (timeout !== undefined && timeout !== Infinity) {
      const timer = setTimeout(() => void this.terminate(), timeout);
      void gone.then(() => clearTimeout(timer));
    }
    return gone;
  }

  /** Stops now: queued and running tasks reject with PoolTerminatedError; resolves once every worker has exited. */
  terminate(): Promise<void> {
    const core = this.#core;
    if (core.state === 'running' || core.state === 'closing') {
      core.state = 'terminated';
      stopEverything(core, new PoolTerminatedError(), 'terminated');
    }
    return whenGone(core);
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
    const core = this.#core;
    return core.slots.map((slot) => {
      const w = slot.current ?? [...slot.workers][0] ?? null;
      const cpus = pinSetOf(core, slot);
      const extra = { binding: this.binding, ...(core.settings.settings.memory !== null ? { memory: core.settings.memoryFor(cpus) } : {}) };
      if (w === null || w.state === 'gone') return { slot: slot.index, pid: null, tid: null, cpus, verified: false, ...extra };
      const ready = w.tid !== null;
      const verified = ready && cpus !== null && verifyBinding(this.kind, w.handle.pid, w.tid!, cpus) === 'inside';
      return { slot: slot.index, pid: w.handle.pid, tid: w.tid, cpus, verified, ...extra };
    });
  }
}

/** Why apply's `transfer` list cannot go with `args` to this pool's workers, or null. */
function transferRefusal(core: PoolCore, fn: string, args: readonly unknown[], transfer: readonly ArrayBuffer[]): TransferListError | null {
  const call = `apply(${JSON.stringify(fn)})`;
  const bad = checkTransfer(transfer, args, call, 'transfer');
  if (bad !== null || core.serialization !== 'json' || transfer.length === 0) return bad;
  return new TransferListError(
    -1,
    `${call}: transfer lists ArrayBuffers, which a process pool with serialization: 'json' cannot send (JSON has no bytes); ` +
      "create the Pool with serialization: 'advanced' (a process cannot take another's memory: the buffers are then copied and stay yours) or kind: 'thread' (moved)",
  );
}
