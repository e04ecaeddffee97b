/**
 * A FIFO on a ring buffer: the pool's queue of waiting tasks and each worker's tasks in flight.
 * Push and shift are O(1) without Array#shift's copying; the buffer doubles when full and is kept
 * when emptied (up to KEEP entries), so a burst after a burst allocates nothing here (before, the
 * backing array was dropped when emptied and grown again step by step in every burst: bench/history/
 * burst3.md). Shifted slots are cleared at once, so settled payloads can be collected.
 */
export class Deque<T> {
  #buf: (T | undefined)[] = objectArray<T>(0);
  #head = 0;
  #size = 0;

  /** Number of entries. */
  get length(): number {
    return this.#size;
  }

  push(item: T): void {
    if (this.#size === this.#buf.length) this.#grow(this.#size + 1);
    this.#buf[(this.#head + this.#size) & (this.#buf.length - 1)] = item;
    this.#size++;
  }

  /** Puts items back at the front, in their order. */
  unshiftAll(items: readonly T[]): void {
    const all = [...items, ...this];
    this.#buf = objectArray<T>(0);
    this.#head = 0;
    this.#size = 0;
    this.#grow(all.length);
    for (const x of all) this.push(x);
  }

  /** The oldest entry, left in place. */
  peek(): T | undefined {
    return this.#size === 0 ? undefined : this.#buf[this.#head];
  }

  /** Removes and returns the oldest entry. */
  shift(): T | undefined {
    if (this.#size === 0) return undefined;
    const buf = this.#buf;
    const item = buf[this.#head];
    buf[this.#head] = undefined;
    this.#head = (this.#head + 1) & (buf.length - 1);
    if (--this.#size === 0) {
      this.#head = 0;
      if (buf.length > KEEP) this.#buf = objectArray<T>(0);
    }
    return item;
  }

  /** Every entry from oldest to newest. */
  *[Symbol.iterator](): IterableIterator<T> {
    const buf = this.#buf;
    for (let i = 0; i < this.#size; i++) yield buf[(this.#head + i) & (buf.length - 1)]!;
  }

  // A power-of-two capacity of at least `need`, the entries moved to its start in order.
  #grow(need: number): void {
    let cap = Math.max(MIN_CAPACITY, this.#buf.length);
    while (cap < need) cap *= 2;
    if (cap === this.#buf.length) return;
    const next = objectArray<T>(cap);
    for (let i = 0; i < this.#size; i++) next[i] = this.#buf[(this.#head + i) & (this.#buf.length - 1)];
    this.#buf = next;
    this.#head = 0;
  }
}

const MIN_CAPACITY = 16;
// Emptied, a buffer up to this many entries (128 KiB) is kept for the next burst; a bigger one is let go.
const KEEP = 16384;

// A packed array of `n` undefined, of the elements kind its entries will have (objects): a `[]`
// starts as small integers, so V8's optimized stores would also expect integers and deoptimize at
// the first entry (bench/history/burst2.md); and a holey one (`new Array(n)`) is slower to index.
function objectArray<T>(n: number): (T | undefined)[] {
  const a: (T | undefined)[] = [undefined];
  a.pop();
  for (let i = 0; i < n; i++) a.push(undefined);
  return a;
}
