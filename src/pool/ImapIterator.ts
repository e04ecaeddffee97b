import type { Task } from './Task.js';

/** How an imap stream reaches the pool. */
export interface ChunkRunner {
  /** Queues one chunk; `done` is called once when it settles. Returns the task, or the error that refused it. */
  run(items: unknown[], done: (ok: boolean, value: unknown) => void): Task | Error;
  /** Drops a chunk that is still queued (its `done` is not called); a sent one finishes unseen. */
  cancel(task: Task): void;
  /** Stops a chunk, queued or running (a running one has its worker replaced); `done` gets `reason`. */
  abort(task: Task, reason: unknown): void;
  /** The stream will queue nothing more. */
  finished(stream: ImapIterator<unknown>): void;
  /** Whether a chunk may be queued now (streams keep within maxQueue); when not, the pool calls `poke()` later. */
  hasRoom(): boolean;
  /** A `next()` just rejected with a chunk's error (the consumer's loop may have ended with it). */
  errored(stream: ImapIterator<unknown>): void;
}

type Outcome = { readonly ok: true; readonly values: unknown[] } | { readonly ok: false; readonly error: unknown };

/**
 * The async iterator `imap` and `imapUnordered` return. Lazy: input is read only while fewer than
 * `ahead` chunks are in flight or waiting to be consumed, so any number of inputs streams in
 * bounded memory. A failed chunk rejects `next()` at its position; iteration may continue after it.
 * `break` (or `return()`) stops reading input and drops queued chunks.
 */
export class ImapIterator<R> implements AsyncIterableIterator<R> {
  readonly #runner: ChunkRunner;
  readonly #ordered: boolean;
  readonly #chunksize: number;
  readonly #ahead: number;
  readonly #sync: Iterator<unknown> | null;
  readonly #async: AsyncIterator<unknown> | null;
  #sourceDone = false;
  #sourceError: { error: unknown } | null = null;
  #reading = false;
  #nextIndex = 0;
  #emitIndex = 0;
  readonly #inFlight = new Map<number, Task>();
  readonly #completed = new Map<number, Outcome>();
  #readyList: Outcome[] = [];
  #current: unknown[] | null = null;
  #pos = 0;
  #finished = false;
  #terminal: { error: unknown } | null = null;
  #waiters: (() => void)[] = [];
  #idleAfterError = false;

  /** @internal Made by `Pool.imap` / `Pool.imapUnordered`. */
  constructor(runner: ChunkRunner, source: Iterable<unknown> | AsyncIterable<unknown>, ordered: boolean, chunksize: number, ahead: number) {
    this.#runner = runner;
    this.#ordered = ordered;
    this.#chunksize = chunksize;
    this.#ahead = ahead;
    if (typeof (source as AsyncIterable<unknown>)[Symbol.asyncIterator] === 'function') {
      this.#async = (source as AsyncIterable<unknown>)[Symbol.asyncIterator]();
      this.#sync = null;
    } else {
      this.#sync = (source as Iterable<unknown>)[Symbol.iterator]();
      this.#async = null;
    }
  }

  [Symbol.asyncIterator](): this {
    return this;
  }

  /** The next result; rejects at the position of a failed chunk, or with the input's own error. */
  next(): Promise<IteratorResult<R>> {
    this.#idleAfterError = false;
    const cur = this.#current;
    if (cur !== null && this.#pos < cur.length) {
      const value = cur[this.#pos];
      cur[this.#pos++] = undefined;
      if (this.#pos === cur.length) {
        this.#current = null;
        this.#fill();
      }
      return Promise.resolve({ value: value as R, done: false });
    }
    return this.#slowNext();
  }

  /** Stops: reads no more input, drops queued chunks, closes the input iterator. */
  return(value?: unknown): Promise<IteratorResult<R>> {
    this.#close(false);
    return Promise.resolve({ value: value as R, done: true });
  }

  /**
   * @internal True when the last `next()` rejected with a chunk's error and none was called since:
   * a `for await` loop left by that error. `close()` stops such a stream instead of waiting for it.
   */
  get idleAfterError(): boolean {
    return this.#idleAfterError && !this.#finished;
  }

  /** @internal There is room in the pool's queue again: read on. */
  poke(): void {
    this.#fill();
  }

  /** @internal The pool stopped (terminate, failure) or the call's signal fired. */
  fail(error: unknown, abortChunks: boolean): void {
    if (this.#finished) return;
    this.#terminal = { error };
    if (abortChunks) for (const t of [...this.#inFlight.values()]) this.#runner.abort(t, error);
    this.#close(true);
  }

  async #slowNext(): Promise<IteratorResult<R>> {
    for (;;) {
      if (this.#terminal !== null) {
        const { error } = this.#terminal;
        this.#terminal = null;
        throw error;
      }
      if (this.#finished) return { value: undefined as R, done: true };
      const outcome = this.#take();
      if (outcome !== undefined) {
        this.#fill();
        if (!outcome.ok) {
          this.#idleAfterError = true;
          this.#runner.errored(this as ImapIterator<unknown>);
          throw outcome.error;
        }
        if (outcome.values.length === 0) continue;
        this.#current = outcome.values;
        this.#pos = 0;
        return this.next();
      }
      if (this.#sourceDone && !this.#reading && this.#inFlight.size === 0) {
        const error = this.#sourceError;
        this.#sourceError = null;
        this.#close(false);
        if (error !== null) throw error.error;
        return { value: undefined as R, done: true };
      }
      this.#fill();
      // Re-check before waiting: fill may have found the input empty (nothing will wake us then).
      if (this.#terminal !== null || this.#finished || (this.#sourceDone && !this.#reading && this.#inFlight.size === 0)) continue;
      await new Promise<void>((resolve) => this.#waiters.push(resolve));
    }
  }

  #take(): Outcome | undefined {
    if (this.#ordered) {
      const o = this.#completed.get(this.#emitIndex);
      if (o === undefined) return undefined;
      this.#completed.delete(this.#emitIndex++);
      return o;
    }
    return this.#readyList.shift();
  }

  #buffered(): number {
    return this.#inFlight.size + (this.#ordered ? this.#completed.size : this.#readyList.length) + (this.#current !== null ? 1 : 0);
  }

  #fill(): void {
    if (this.#finished || this.#sourceDone || this.#reading) return;
    // Refill in bulk once half the room is free: many chunks per message instead of one per result.
    if (this.#buffered() > this.#ahead / 2) return;
    if (this.#async !== null) {
      if (this.#buffered() < this.#ahead) void this.#readAsync(this.#async);
      return;
    }
    const it = this.#sync!;
    while (!this.#sourceDone && this.#buffered() < this.#ahead && this.#runner.hasRoom()) {
      const items: unknown[] = [];
      try {
        while (items.length < this.#chunksize) {
          const r = it.next();
          if (r.done === true) {
            this.#sourceDone = true;
            break;
          }
          items.push(r.value);
        }
      } catch (error) {
        // As Python's imap: the chunk the input failed in is not run; the error takes its place.
        this.#sourceDone = true;
        this.#sourceError = { error };
        break;
      }
      if (items.length > 0) this.#submit(items);
    }
    if (this.#sourceDone) this.#wake();
  }

  async #readAsync(it: AsyncIterator<unknown>): Promise<void> {
    this.#reading = true;
    try {
      while (!this.#finished && !this.#sourceDone && this.#buffered() < this.#ahead && this.#runner.hasRoom()) {
        const items: unknown[] = [];
        while (items.length < this.#chunksize) {
          const r = await it.next();
          if (r.done === true) {
            this.#sourceDone = true;
            break;
          }
          items.push(r.value);
        }
        if (items.length > 0 && !this.#finished) this.#submit(items);
      }
    } catch (error) {
      this.#sourceDone = true;
      this.#sourceError = { error };
    } finally {
      this.#reading = false;
      this.#wake();
    }
  }

  #submit(items: unknown[]): void {
    const index = this.#nextIndex++;
    const task = this.#runner.run(items, (ok, value) => this.#onChunk(index, ok, value));
    if (task instanceof Error) {
      this.#terminal ??= { error: task };
      this.#close(true);
      return;
    }
    this.#inFlight.set(index, task);
  }

  #onChunk(index: number, ok: boolean, value: unknown): void {
    if (!this.#inFlight.delete(index) || this.#finished) return;
    let outcome: Outcome;
    if (!ok) outcome = { ok: false, error: value };
    else if (Array.isArray(value)) outcome = { ok: true, values: value };
    else outcome = { ok: false, error: new TypeError('a worker answered a chunk with something that is not an array') };
    if (this.#ordered) this.#completed.set(index, outcome);
    else this.#readyList.push(outcome);
    this.#wake();
    this.#fill();
  }

  #close(keepTerminal: boolean): void {
    if (this.#finished) return;
    this.#finished = true;
    if (!keepTerminal) this.#terminal = null;
    for (const t of this.#inFlight.values()) this.#runner.cancel(t);
    this.#inFlight.clear();
    this.#completed.clear();
    this.#readyList = [];
    this.#current = null;
    try {
      if (this.#sync) this.#sync.return?.();
      else void this.#async!.return?.()?.then(undefined, () => {});
    } catch {
      // An input that fails to close has nothing more to give us anyway.
    }
    this.#runner.finished(this as ImapIterator<unknown>);
    this.#wake();
  }

  #wake(): void {
    const w = this.#waiters;
    if (w.length === 0) return;
    this.#waiters = [];
    for (const resolve of w) resolve();
  }
}
