import { Mode, RUN, putPlainHeader, putRunTask, runTaskSize, writeRunTask } from './protocol.js';
import { sendable } from './sendable.js';
import type { Task } from './Task.js';

// A RUN message is made at its final length, as a copy of this (packed: V8 clones a holey array
// slowly), and written in place: built by push, it grew step by step and allocated ~4× its size,
// ~150 of the ~1,000 bytes the calling thread allocated per apply (bench/history/burst3.md).
const RUN_TEMPLATE: unknown[] = [RUN];
while (RUN_TEMPLATE.length < 4096) RUN_TEMPLATE.push(null);

// The plain-run length found at each task while sizing, read again while writing (not searched twice).
const runs: number[] = [];

/**
 * One RUN message for `batch` (see writeRunTask); throws when an argument list cannot be read
 * consistently. `plain`: runs of plain applies go as Mode.Plain groups (one value a task instead of
 * five: structured clone's cost is per value, bench/history/burst4.md); a process pool's pipe has
 * lean frames of its own (leanFrames.ts), so only thread pools ask for it.
 */
export function runMessage(batch: readonly Task[], transfer: ArrayBuffer[], plain: boolean): unknown[] {
  let size = 1;
  for (let i = 0; i < batch.length; ) {
    const run = plain ? plainRun(batch, i) : 0;
    runs[i] = run;
    if (run > 0) {
      size += 4 + run;
      i += run;
    } else size += runTaskSize(batch[i]!.mode, batch[i++]!.payload);
  }
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
  for (let i = 0; i < batch.length; ) {
    const t = batch[i]!;
    const run = runs[i]!;
    if (run > 0) {
      putPlainHeader(msg, at, t.id, t.fn === fn ? null : t.fn, run);
      at += 4;
      for (let j = 0; j < run; j++) msg[at++] = (batch[i + j]!.payload as readonly unknown[])[0];
      i += run;
    } else {
      at = putRunTask(msg, at, t.id, t.fn === fn ? null : t.fn, t.mode, sendable(t, transfer));
      i++;
    }
    fn = t.fn;
  }
  // An argument list whose length changed between two reads (a Proxy): the caller sends one by one.
  if (at !== size || msg.length !== size) throw new Error('an argument list changed while the batch was written');
  return msg;
}

/** How many tasks from `i` on form a Mode.Plain group: Apply of one argument, one export, consecutive ids. */
function plainRun(batch: readonly Task[], i: number): number {
  const t = batch[i]!;
  if (!isPlain(t)) return 0;
  let n = 1;
  while (i + n < batch.length) {
    const u = batch[i + n]!;
    if (u.id !== t.id + n || u.fn !== t.fn || !isPlain(u)) break;
    n++;
  }
  return n;
}

// An apply with a transfer list is not plain: its buffers join the message's list (sendable).
function isPlain(t: Task): boolean {
  return t.mode === Mode.Apply && (t.payload as readonly unknown[]).length === 1 && (t.more === null || t.more.transfer === undefined);
}
