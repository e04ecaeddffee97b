import { DONE, DONE_STRIDE, FAIL, Mode, READY, STOPPED, Status, putPlainHeader, type FailPhase, type WorkerInit } from '../protocol.js';
import { toRemoteError } from '../remoteError.js';
import { isThenable, runChunk } from './runChunk.js';
import { requireTaskModule } from './requireTaskModule.js';
import { runReporting } from './runReporting.js';
import { awaitOutcome, plainRunning, plainState, plainUnsent, runPlainRun } from './runPlainRun.js';
import { moves, takeMoved } from './movedResults.js';
import type { WorkerChannel, WorkerIdentity } from './runWorker.js';

// A worker sends its results at the latest after this much work, so a long batch of small tasks
// still streams results and the pool's timing stays honest.
const FLUSH_AFTER_MS = 2;
// A run of tasks this short between two clock reads: read it half as often (see drain).
const CHECK_CHEAP_MS = 0.05;
const CHECK_MAX_EVERY = 32;
const EMPTY: readonly unknown[] = [];

/**
 * Milliseconds on a monotonic clock. Not `performance.now()`: `node:perf_hooks` (also behind the
 * global `performance`) loads nine internal modules, ~8 M instructions of every fresh worker's
 * start; a read here costs ~10 ns more and TaskClock reads it at most once a task.
 */
function nowMs(): number {
  const t = process.hrtime();
  return t[0] * 1e3 + t[1] / 1e6;
}

type TaskFn = (...args: unknown[]) => unknown;

/** One worker's state: the batches it was sent, the task running now, the results not yet sent. */
export class WorkerLoop {
  readonly batches: unknown[][] = [];
  ready = false;
  draining = false;
  exitRequested = false;
  #fns = new Map<string, (...args: unknown[]) => unknown>();
  #writing: Promise<void> | null = null;
  // The task running now and the results not yet sent: a dying worker reports them (see lastWords).
  #current: unknown = null;
  #pending: unknown[] | null = null;
  #spoke = false;
  // The fast lane's state (runPlainRun.ts): the task it is running, for the last words.
  readonly #plain = plainState();
  readonly #sendProgress = (m: unknown[]): unknown => this.channel.send(m);

  constructor(
    readonly channel: WorkerChannel,
    readonly identity: WorkerIdentity,
    /** The caller's pinning failure, or null. */
    readonly pinned: Promise<unknown>,
  ) {}

  fail(phase: FailPhase, err: unknown): void {
    const e = err instanceof Error ? err : new Error(String(err));
    void this.channel.send([FAIL, phase, toRemoteError(e)]);
  }

  /** Loads the task module and runs the initializer, then says READY (or FAIL with the phase that failed). */
  async start(what: WorkerInit): Promise<void> {
    const pinFailure = await this.pinned;
    if (pinFailure !== null) return this.fail('pin', pinFailure);
    let mod: Record<string, unknown>;
    try {
      mod = (what.require ? requireTaskModule(what.require) : null) ?? ((await import(what.module)) as Record<string, unknown>);
    } catch (err) {
      return this.fail('import', err);
    }
    this.#fns = functionExports(mod);
    if (what.initializer !== null) {
      const f = this.#fns.get(what.initializer);
      if (f === undefined) {
        const names = [...this.#fns.keys()].map((n) => JSON.stringify(n)).join(', ') || 'none';
        const err = Object.assign(new Error(`task module has no function export ${JSON.stringify(what.initializer)} (initializer); function exports: ${names}`), {
          code: 'ERR_POOL_EXPORT_NOT_FOUND',
          exports: [...this.#fns.keys()].join(','),
        });
        return this.fail('export', err);
      }
      try {
        await f(...what.initargs);
      } catch (err) {
        return this.fail('initializer', err);
      }
    }
    this.ready = true;
    void this.channel.send([READY, this.identity.pid, this.identity.tid, [...this.#fns.keys()]]);
    if (this.batches.length > 0) void this.drain();
    else if (this.exitRequested) process.exit(0);
  }

  /** Runs the batches in order, sending results at the latest every FLUSH_AFTER_MS of work. */
  async drain(): Promise<void> {
    this.draining = true;
    let out: unknown[] = [DONE, 0];
    let since = nowMs();
    const clock = new TaskClock(since);
    const flush = (): void => {
      if (out.length > 2) {
        out[1] = nowMs() - since;
        this.#send(out);
        out = [DONE, 0];
        this.#pending = out;
      }
      since = nowMs();
    };
    this.#pending = out;
    for (;;) {
      const batch = this.batches.shift();
      if (batch === undefined) break;
      let name = '';
      let fn: TaskFn | undefined;
      for (let k = 1; k < batch.length; ) {
        // Plain applies of the same export run in the fast lane, up to the next clock check.
        let ran = 0;
        if (fn !== undefined && (batch[k + 2] === Mode.Apply || batch[k + 2] === Mode.Plain)) {
          k = runPlainRun(batch, k, clock.until, fn, out, this.#plain);
          ran = this.#plain.ran;
          if (this.#plain.thenable !== undefined) await this.#awaitPlain(flush, () => out);
        }
        // Anything else (and a task the fast lane did not take): one task, in full.
        if (ran === 0) {
          const id = batch[k] as number;
          const named = batch[k + 1];
          const mode = batch[k + 2] as Mode;
          k = takeInput(batch, k + 3, mode);
          const input = taken;
          if (named !== null) {
            name = named as string;
            fn = this.#fns.get(name);
          }
          this.#current = id;
          if (fn === undefined) out.push(id, Status.Threw, toRemoteError(this.#notFound(name)));
          else {
            try {
              let value: unknown;
              if (mode === Mode.Apply || mode === Mode.Plain) value = takenOne ? fn(input) : fn(...(input as unknown[]));
              else if (mode === Mode.Reporting) value = runReporting(this.#sendProgress, id, fn, input as unknown[]);
              else value = runChunk(fn, mode, input as unknown[], flush);
              if (isThenable(value)) {
                flush();
                value = await value;
              }
              out.push(id, value === undefined ? Status.Undefined : Status.Ok, value === undefined ? null : value);
              // Moved back, not copied: a chunk answered in place (runNumbers), what move() marked.
              if (mode === Mode.Map && value === input && input instanceof Float64Array) moves.ready.push(input.buffer as ArrayBuffer);
              else if (moves.pending !== 0) takeMoved(value, mode === Mode.Map || mode === Mode.Star);
            } catch (err) {
              if (isErrorLike(err)) out.push(id, Status.Threw, toRemoteError(err));
              else out.push(id, Status.ThrewValue, err === undefined ? null : err);
            }
          }
          this.#current = null;
          ran = 1;
        }
        const now = clock.tick(ran);
        if (now >= 0 && now - since > FLUSH_AFTER_MS) flush();
      }
      flush();
      // The crash rule: the next batch waits until this one's results are fully written.
      if (this.batches.length > 0 && this.#writing !== null) await this.#writing;
    }
    this.draining = false;
    this.#pending = null;
    if (this.exitRequested) process.exit(0);
  }

  // Called synchronously as the worker dies on its own (process.exit, uncaught exception): sends the
  // results it has not sent and which task it was running (null: none — also when idle or still
  // starting), so the pool can give every task after that one to another worker instead of failing
  // the whole batch, and knows the death was the worker's own. Best effort: if the message does not
  // get out, the pool falls back to the batch rule.
  readonly lastWords = (): void => {
    if (this.#spoke) return;
    this.#spoke = true;
    try {
      if (this.#pending !== null) plainUnsent(this.#plain, this.#pending);
      if (this.#pending !== null && this.#pending.length > 2) void this.channel.send(this.#pending);
      void this.channel.send([STOPPED, this.#current ?? plainRunning(this.#plain)]);
    } catch {
      // nothing more can be done in a dying worker
    }
  };

  // A fast-lane task's thenable result: the results so far go out first, then it is awaited and answered.
  async #awaitPlain(flush: () => void, out: () => unknown[]): Promise<void> {
    const later = this.#plain.thenable!;
    this.#plain.thenable = undefined;
    flush();
    await awaitOutcome(this.#plain.current!, later, out);
    this.#plain.current = null;
  }

  // Named so the pool rebuilds it as ExportNotFoundError (taskErrorFrom), with this worker's exports.
  #notFound(name: string): Error {
    return Object.assign(new Error(`task module has no function export ${JSON.stringify(name)}`), {
      name: 'ExportNotFoundError',
      code: 'ERR_POOL_EXPORT_NOT_FOUND',
      exportName: name,
      exports: [...this.#fns.keys()].join(','),
    });
  }

  // A batch that cannot be serialized is sent result by result, so only the bad results fail (a
  // failed send detaches nothing: the buffers in moves.ready are then copied).
  #send(out: unknown[]): void {
    const moved = moves.ready;
    if (moved.length > 0) moves.ready = [];
    try {
      this.#writing = this.channel.send(out, moved.length > 0 ? moved : undefined);
      return;
    } catch {
      // fall through
    }
    for (let i = 2; i < out.length; ) {
      if (out[i + 1] === Status.OkList) {
        const list = out[i + 2] as unknown[];
        for (let j = 0; j < list.length; j++) this.#sendOne(out[1], (out[i] as number) + j, Status.Ok, list[j]);
        i += DONE_STRIDE;
        continue;
      }
      if (out[i + 1] !== Status.OkRun) {
        this.#sendOne(out[1], out[i], out[i + 1], out[i + 2]);
        i += DONE_STRIDE;
        continue;
      }
      const n = out[i + 2] as number;
      for (let j = 0; j < n; j++) this.#sendOne(out[1], (out[i] as number) + j, Status.Ok, out[i + 3 + j]);
      i += 3 + n;
    }
  }

  #sendOne(busy: unknown, id: unknown, status: unknown, value: unknown): void {
    try {
      this.#writing = this.channel.send([DONE, busy, id, status, value]);
    } catch (err) {
      const why = new Error(`the task's result could not be sent: ${err instanceof Error ? err.message : String(err)}`);
      this.#writing = this.channel.send([DONE, 0, id, Status.Unsendable, toRemoteError(Object.assign(why, { code: 'ERR_POOL_DATA_CLONE' }))]);
    }
  }
}

/**
 * When drain reads the clock. Reading it costs about as much as a trivial task: while tasks are that
 * short (a run of them under CHECK_CHEAP_MS), it is read every 2nd, 4th … up to every
 * CHECK_MAX_EVERY-th task; one longer run and it is read after every task again.
 */
class TaskClock {
  /** Tasks until the next read. */
  until = 1;
  #every = 1;
  #checked: number;

  constructor(now: number) {
    this.#checked = now;
  }

  /** After `ran` more tasks: the time, when the clock was due to be read; else -1. */
  tick(ran: number): number {
    this.until -= ran;
    if (this.until > 0) return -1;
    const now = nowMs();
    this.#every = now - this.#checked < CHECK_CHEAP_MS ? Math.min(this.#every * 2, CHECK_MAX_EVERY) : 1;
    this.until = this.#every;
    this.#checked = now;
    return now;
  }
}

// What takeInput took: a task's input, and whether it is Apply's one argument itself (no array).
let taken: unknown;
let takenOne = false;

/**
 * Takes the input of the task whose body starts at `k` out of a RUN message (see writeRunTask), so
 * big inputs can be collected once done; sets `taken`/`takenOne` and returns where the next task starts.
 */
function takeInput(batch: unknown[], k: number, mode: Mode): number {
  takenOne = false;
  if (mode === Mode.Map || mode === Mode.Star) {
    taken = batch[k];
    batch[k] = undefined;
    return k + 1;
  }
  const n = batch[k] as number;
  if (mode === Mode.Plain) return takePlain(batch, k, n);
  if (n === -1) {
    taken = batch[k + 1];
    batch[k + 1] = undefined;
    return k + 2;
  }
  if (n === 1 && mode === Mode.Apply) {
    taken = batch[k + 1];
    takenOne = true;
    batch[k + 1] = undefined;
    return k + 2;
  }
  taken = n === 0 ? EMPTY : batch.slice(k + 1, k + 1 + n);
  return k + 1 + n;
}

/**
 * takeInput for a Mode.Plain group whose count `n` is at `k`: takes its first task's argument and
 * writes the rest of the group (`id + 1, null, Plain, n - 1`) in place over what was taken.
 */
function takePlain(batch: unknown[], k: number, n: number): number {
  taken = batch[k + 1];
  takenOne = true;
  batch[k + 1] = undefined;
  if (n === 1) return k + 2;
  const g = k - 2;
  putPlainHeader(batch, g, (batch[k - 3] as number) + 1, null, n - 1);
  return g;
}

/** Function exports of a module; for a CommonJS module also the functions on its exports object. */
function functionExports(mod: Record<string, unknown>): Map<string, (...args: unknown[]) => unknown> {
  const out = new Map<string, (...args: unknown[]) => unknown>();
  const def = mod['default'];
  if (def !== null && typeof def === 'object') {
    for (const [k, v] of Object.entries(def)) if (typeof v === 'function') out.set(k, v as (...args: unknown[]) => unknown);
  }
  for (const [k, v] of Object.entries(mod)) if (typeof v === 'function') out.set(k, v as (...args: unknown[]) => unknown);
  return out;
}

// Errors from another realm (vm) fail instanceof; their shape is enough.
function isErrorLike(v: unknown): v is Error {
  return v instanceof Error || (typeof v === 'object' && v !== null && typeof (v as Error).message === 'string' && typeof (v as Error).name === 'string');
}
