import { markSent, settle } from './dispatch.js';
import { TaskDataError } from './errors.js';
import { retire } from './lifecycle.js';
import type { PoolCore } from './PoolCore.js';
import type { PoolWorker } from './PoolWorker.js';
import { Mode, RUN, writeRunTask } from './protocol.js';
import { runMessage } from './runMessage.js';
import { sendable } from './sendable.js';
import type { Task } from './Task.js';
import { TransferListError } from './TransferListError.js';

/**
 * Sends one batch — as one RUN message, or as several when its tasks carry more than MESSAGE_BYTES
 * of buffers and strings together, or (process workers) its map chunks more than MESSAGE_ITEMS items
 * (see below) — then a worker handed its quota
 * (maxTasksPerChild) retires. Each message is a batch of its own for the crash rule (settleUnanswered).
 */
export function sendBatch(core: PoolCore, w: PoolWorker, batch: Task[]): void {
  if (batch.length > 1) sendCut(core, w, batch);
  else sendMessage(core, w, batch);
  if (w.handed >= core.maxTasksPerChild) retire(core, w);
}

// A process worker's channel is a pipe of JSON text (or V8-serialized bytes): a message over ~128 KiB
// is a string in V8's large-object space on both sides (stringified, flattened, UTF-8 copied, read
// back in 64 KiB pieces and parsed), fresh pages every time. A map's window of 8,192-item chunks in
// one message (~0.5 MB) cost each side ~1.5× the CPU of one chunk per message (bench/history/procmap.md).
// So map/starmap chunks go at most MESSAGE_ITEMS items to a message (a bigger chunk alone).
const MESSAGE_ITEMS = 8192;

// Big arguments go a few to a message, for both kinds: a message is copied whole (structured clone,
// or JSON) before the worker can start its first task, so a burst of 200 fresh 1 MB buffers sent as
// one message per worker ran at ~0.3× piscina's one message per task (bench/history/bigargs.md).
// Counted: the bytes of top-level ArrayBuffers, views and strings among a task's arguments (cheap to
// read); anything else counts as nothing. A task over the limit goes alone.
const MESSAGE_BYTES = 256 * 1024;

function sendCut(core: PoolCore, w: PoolWorker, batch: Task[]): void {
  const isProcess = core.kind === 'process';
  let from = 0;
  let items = 0;
  let bytes = 0;
  for (let i = 0; i < batch.length; i++) {
    const t = batch[i]!;
    const chunk = t.mode === Mode.Map || t.mode === Mode.Star;
    // As before the byte rule: on process workers an apply counts as one item, a chunk as its items.
    const n = isProcess ? (chunk ? (t.payload as readonly unknown[]).length : 1) : 0;
    // Not below 0: a moved buffer nested in an object was never counted by argumentBytes.
    const b = chunk ? 0 : Math.max(0, argumentBytes(t.payload) - movedBytes(t));
    if (i > from && (items + n > MESSAGE_ITEMS || bytes + b > MESSAGE_BYTES)) {
      sendMessage(core, w, batch.slice(from, i));
      from = i;
      items = 0;
      bytes = 0;
    }
    items += n;
    bytes += b;
  }
  sendMessage(core, w, from === 0 ? batch : batch.slice(from));
}

/** Bytes of an apply's arguments (an array, or its one argument) that are ArrayBuffers, views or strings. */
function argumentBytes(payload: unknown): number {
  if (!Array.isArray(payload)) return sizeOf(payload);
  let b = 0;
  for (let i = 0; i < payload.length; i++) b += sizeOf(payload[i]);
  return b;
}

/** Bytes the task moves to a thread worker (apply's `transfer`): they are not copied. */
function movedBytes(t: Task): number {
  const list = t.more === null ? undefined : t.more.transfer;
  if (list === undefined) return 0;
  let b = 0;
  for (let i = 0; i < list.length; i++) b += list[i]!.byteLength;
  return b;
}

function sizeOf(x: unknown): number {
  if (typeof x === 'string') return x.length;
  if (typeof x !== 'object' || x === null) return 0;
  if (x instanceof ArrayBuffer || ArrayBuffer.isView(x)) return x.byteLength;
  return 0;
}

/** Sends tasks as one RUN message (one batch), or one by one when one of them cannot be serialized. */
function sendMessage(core: PoolCore, w: PoolWorker, batch: Task[]): void {
  try {
    const transfer: ArrayBuffer[] = [];
    const msg = runMessage(batch, transfer, core.kind === 'thread');
    w.handle.send(msg, transfer.length > 0 ? transfer : undefined);
    const b = ++w.batches;
    for (const t of batch) markSent(core, w, t, b);
  } catch {
    // Some argument cannot be serialized: send one by one so only that task fails.
    for (const t of batch) {
      try {
        const one: unknown[] = [RUN];
        const transfer: ArrayBuffer[] = [];
        writeRunTask(one, t.id, t.fn, t.mode, sendable(t, transfer));
        w.handle.send(one, transfer.length > 0 ? transfer : undefined);
        markSent(core, w, t, ++w.batches);
      } catch (err) {
        if (t.interruptible) w.exclusive = false;
        settle(core, t, false, err instanceof TransferListError ? err : new TaskDataError(`the arguments of task ${JSON.stringify(t.fn)}`, err), true);
      }
    }
  }
}
