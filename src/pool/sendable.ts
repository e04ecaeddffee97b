import { Mode } from './protocol.js';
import type { Task } from './Task.js';

/**
 * What goes in the RUN message for a task: its payload, except a thread map's chunk of numbers
 * (a Float64Array, see calls.ts), which goes as a copy whose buffer is transferred: the worker
 * writes its results into that buffer and transfers it back, so neither side allocates or
 * structured-clones the chunk (bench/history/mapthr.md). The payload itself stays here, whole,
 * in case a crash sends the chunk again.
 */
export function sendable(t: Task, transfer: ArrayBuffer[]): unknown {
  const p = t.payload;
  if (t.mode !== Mode.Map || !(p instanceof Float64Array)) return p;
  const copy = p.slice();
  transfer.push(copy.buffer as ArrayBuffer);
  return copy;
}
