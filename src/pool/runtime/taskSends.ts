import { isPoolTagged } from '../protocol.js';
import { DONE_SEQ, unpackDone } from './leanFrames.js';
import type { WorkerEvents } from './WorkerRuntime.js';

/**
 * Process worker → pool: `[TASK_SEND, message]` — a message task code sent with `process.send`.
 * Task code shares the worker's IPC channel; wrapped, nothing it sends can pass for a pool message
 * (before, a task could send a DONE for its own id and choose its own result). Raw bytes written
 * to the channel's fd bypass this (guardIpcChannel keeps those from harming the parent).
 */
export const TASK_SEND = 'cp:task-send';

type Send = NonNullable<typeof process.send>;

/** In a process worker, before any task code loads: `process.send` sends through `send`, wrapped. */
export function wrapTaskSends(send: Send): void {
  process.send = function taskSend(message: unknown, ...rest: unknown[]): boolean {
    return (send as (...args: unknown[]) => boolean)([TASK_SEND, message], ...rest);
  } as Send;
}

/**
 * In the pool, a message from a process worker: a task's own message goes on as a foreign one
 * (reported, ignored), or — when it is tagged as the pool's — gets the worker replaced, as any
 * broken pool message does; the worker's own messages go on unpacked (leanFrames).
 */
export function routeWorkerMessage(m: unknown, events: WorkerEvents): void {
  if (Array.isArray(m) && m[0] === TASK_SEND && m.length === 2) {
    const inner: unknown = m[1];
    if (isPoolTagged(inner) || (Array.isArray(inner) && inner[0] === DONE_SEQ)) {
      const tag: unknown = (inner as unknown[])[0];
      return events.unreadable(`a task sent a message tagged as the pool's own (${JSON.stringify(tag)}) with process.send`);
    }
    return events.message(inner);
  }
  events.message(unpackDone(m));
}
