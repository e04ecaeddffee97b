/**
 * A FIFO with amortized O(1) push and shift, without Array#shift's copying: the pool's queue of
 * waiting tasks and each worker's tasks in flight. Shifted slots are cleared at once (so settled
 * payloads can be collected) and the answered prefix is dropped now and then.
 */
export class Deque<T> {
  #items: (T | undefined)[] = objectArray();
  #head = 0;

  /** Number of entries. */
  get length(): number {
    return this.#items.length - this.#head;
  }

  push(item: T): void {
    this.#items.push(item);
  }

  /** Puts items back at the front, in their order. */
  unshiftAll(items: readonly T[]): void {
    this.#items = [...items, ...this.#items.slice(this.#head)];
    this.#head = 0;
  }

  /** The oldest entry, left in place. */
  peek(): T | undefined {
    return this.#items[this.#head];
  }

  /** Removes and returns the oldest entry. */
  shift(): T | undefined {
    if (this.#head >= this.#items.length) return undefined;
    const item = this.#items[this.#head];
    this.#items[this.#head++] = undefined;
    if (this.#head === this.#items.length) {
      this.#items = objectArray();
      this.#head = 0;
    } else if (this.#head > 1024 && this.#head * 2 > this.#items.length) {
      this.#items = this.#items.slice(this.#head);
      this.#head = 0;
    }
    return item;
  }

  /** Every entry from oldest to newest. */
  *[Symbol.iterator](): IterableIterator<T> {
    for (let i = this.#head; i < this.#items.length; i++) yield this.#items[i]!;
  }
}

// An empty array already of the elements kind its entries will have (objects): a `[]` starts as
// small integers, so V8's optimized push would also expect integers and deoptimize at the first
// entry pushed into a fresh one (bench/history/burst2.md).
function objectArray<T>(): (T | undefined)[] {
  const a: (T | undefined)[] = [undefined];
  a.pop();
  return a;
}
