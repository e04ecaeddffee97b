import type { Task } from './Task.js';

/** FIFO of tasks waiting for a worker: amortized O(1) push and shift without Array#shift's copying. */
export class TaskQueue {
  #items: (Task | undefined)[] = [];
  #head = 0;

  /** Entries, including tasks settled while queued (they are skipped when reached). */
  get length(): number {
    return this.#items.length - this.#head;
  }

  push(task: Task): void {
    this.#items.push(task);
  }

  /** Puts tasks back at the front, in their order (tasks a dead worker never started). */
  unshiftAll(tasks: readonly Task[]): void {
    this.#items = [...tasks, ...this.#items.slice(this.#head)];
    this.#head = 0;
  }

  peek(): Task | undefined {
    return this.#items[this.#head];
  }

  shift(): Task | undefined {
    if (this.#head >= this.#items.length) return undefined;
    const t = this.#items[this.#head];
    this.#items[this.#head++] = undefined;
    if (this.#head === this.#items.length) {
      this.#items = [];
      this.#head = 0;
    } else if (this.#head > 4096 && this.#head * 2 > this.#items.length) {
      this.#items = this.#items.slice(this.#head);
      this.#head = 0;
    }
    return t;
  }

  /** Every entry from head to tail. */
  *[Symbol.iterator](): IterableIterator<Task> {
    for (let i = this.#head; i < this.#items.length; i++) yield this.#items[i]!;
  }
}
