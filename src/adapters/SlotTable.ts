import { existsSync } from 'node:fs';

/**
 * The slots of an adapted pool in shared memory: one Int32 per slot holding the OS thread id of the
 * worker that holds it (negated while that worker is still pinning itself), or 0. Every worker thread of the pool sees the same SharedArrayBuffer and
 * takes a slot with one compare-and-swap, so two workers never hold the same slot.
 *
 * A slot is free when it holds 0 (its worker exited cleanly and gave it back) or when its thread is
 * no longer in /proc/self/task (the worker crashed or was terminated: no code of its own ran to give
 * it back). A slot that holds the caller's own tid is stale too (a new thread cannot already own a
 * slot, so the kernel reused a dead worker's tid).
 */
export class SlotTable {
  readonly #owners: Int32Array;

  /** Wraps a buffer made by {@link SlotTable.create} (in the pool's thread or a worker). */
  constructor(readonly buffer: SharedArrayBuffer) {
    this.#owners = new Int32Array(buffer);
  }

  /** A table of `slots` free slots. */
  static create(slots: number): SlotTable {
    return new SlotTable(new SharedArrayBuffer(slots * Int32Array.BYTES_PER_ELEMENT));
  }

  /** How many slots. */
  get size(): number {
    return this.#owners.length;
  }

  /**
   * Takes a free slot for thread `tid`, pending until {@link SlotTable.confirm}; its number, or null
   * when every slot has a live holder.
   */
  lease(tid: number): number | null {
    for (let slot = 0; slot < this.#owners.length; slot++) {
      const owner = Atomics.load(this.#owners, slot);
      const holder = Math.abs(owner);
      if (owner !== 0 && holder !== tid && threadAlive(holder)) continue;
      if (Atomics.compareExchange(this.#owners, slot, owner, -tid) === owner) return slot;
    }
    return null;
  }

  /** Marks `tid`'s lease of `slot` as done: the thread is pinned to the slot's CPUs. */
  confirm(slot: number, tid: number): void {
    Atomics.compareExchange(this.#owners, slot, -tid, tid);
  }

  /** Gives `slot` back if `tid` still holds it. */
  release(slot: number, tid: number): void {
    if (Atomics.compareExchange(this.#owners, slot, tid, 0) !== tid) Atomics.compareExchange(this.#owners, slot, -tid, 0);
  }

  /** The live, confirmed holder of each slot (its tid), or null (free, or its worker still pinning). */
  owners(): (number | null)[] {
    return Array.from(this.#owners, (tid) => (tid > 0 && threadAlive(tid) ? tid : null));
  }
}

function threadAlive(tid: number): boolean {
  return existsSync(`/proc/self/task/${tid}`);
}
