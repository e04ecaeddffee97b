import { isDetached } from './checkTransfer.js';
import { Mode } from './protocol.js';
import type { Task } from './Task.js';
import { TransferListError } from './TransferListError.js';

/**
 * What goes in the RUN message for a task: its payload, except a thread map's chunk of numbers
 * (a Float64Array, see calls.ts), which goes as a copy whose buffer is transferred: the worker
 * writes its results into that buffer and transfers it back, so neither side allocates or
 * structured-clones the chunk (bench/history/mapthr.md). The payload itself stays here, whole,
 * in case a crash sends the chunk again. An apply's own `transfer` buffers join the message's
 * transfer list (checked again: one may have been moved since the call, e.g. by an earlier call
 * listing it too); a process worker's handle ignores the list (the buffers are copied).
 *
 * @throws {TransferListError} when one of the task's buffers is detached or already in this message's list
 */
export function sendable(t: Task, transfer: ArrayBuffer[]): unknown {
  const p = t.payload;
  const more = t.more;
  if (more !== null && more.transfer !== undefined) addTransfer(t.fn, more.transfer, transfer);
  if (t.mode !== Mode.Map || !(p instanceof Float64Array)) return p;
  const copy = p.slice();
  transfer.push(copy.buffer as ArrayBuffer);
  return copy;
}

function addTransfer(fn: string, mine: readonly ArrayBuffer[], transfer: ArrayBuffer[]): void {
  for (let i = 0; i < mine.length; i++) {
    const b = mine[i]!;
    if (isDetached(b) || transfer.includes(b)) {
      throw new TransferListError(i, `apply(${JSON.stringify(fn)}): transfer[${i}] is detached: it was moved by an earlier call (or by you) after this call was made; send a buffer you still own, or a copy`);
    }
    transfer.push(b);
  }
}
