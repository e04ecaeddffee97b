import { RUN, putRunTask, runTaskSize, writeRunTask } from './protocol.js';
import { sendable } from './sendable.js';
import type { Task } from './Task.js';

// A RUN message is made at its final length, as a copy of this (packed: V8 clones a holey array
// slowly), and written in place: built by push, it grew step by step and allocated ~4× its size,
// ~150 of the ~1,000 bytes the calling thread allocated per apply (bench/history/burst3.md).
const RUN_TEMPLATE: unknown[] = [RUN];
while (RUN_TEMPLATE.length < 4096) RUN_TEMPLATE.push(null);

/** One RUN message for `batch` (see writeRunTask); throws when an argument list cannot be read consistently. */
export function runMessage(batch: readonly Task[], transfer: ArrayBuffer[]): unknown[] {
  let size = 1;
  for (const t of batch) size += runTaskSize(t.mode, t.payload);
  let fn: string | null = null;
  if (size > RUN_TEMPLATE.length) {
    const msg: unknown[] = [RUN];
    for (const t of batch) {
      writeRunTask(msg, t.id, t.fn === fn ? null : t.fn, t.mode, sendable(t, transfer));
      fn = t.fn;
    }
    return msg;
  }
  const msg = RUN_TEMPLATE.slice(0, size);
  let at = 1;
  for (const t of batch) {
    at = putRunTask(msg, at, t.id, t.fn === fn ? null : t.fn, t.mode, sendable(t, transfer));
    fn = t.fn;
  }
  // An argument list whose length changed between two reads (a Proxy): the caller sends one by one.
  if (at !== size || msg.length !== size) throw new Error('an argument list changed while the batch was written');
  return msg;
}
