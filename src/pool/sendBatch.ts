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
 * Sends one batch — as one RUN message, or for a process worker as several when its map chunks hold
 * more than MESSAGE_ITEMS items together (see below) — then a worker handed its quota
 * (maxTasksPerChild) retires. Each message is a batch of its own for the crash rule (settleUnanswered).
 */
export function sendBatch(core: PoolCore, w: PoolWorker, batch: Task[]): void {
  if (core.kind === 'process' && batch.length > 1) sendCut(core, w, batch);
  else sendMessage(core, w, batch);
  if (w.handed >= core.maxTasksPerChild) retire(core, w);
}

// A process worker's channel is a pipe of JSON text (or V8-serialized bytes): a message over ~128 KiB
// is a string in V8's large-object space on both sides (stringified, flattened, UTF-8 copied, read
// back in 64 KiB pieces and parsed), fresh pages every time. A map's window of 8,192-item chunks in
// one message (~0.5 MB) cost each side ~1.5× the CPU of one chunk per message (bench/history/procmap.md).
// So map/starmap chunks go at most MESSAGE_ITEMS items to a message (a bigger chunk alone).
const MESSAGE_ITEMS = 8192;

function sendCut(core: PoolCore, w: PoolWorker, batch: Task[]): void {
  let from = 0;
  let items = 0;
  for (let i = 0; i < batch.length; i++) {
    const t = batch[i]!;
    const n = t.mode === Mode.Map || t.mode === Mode.Star ? (t.payload as readonly unknown[]).length : 1;
    if (i > from && items + n > MESSAGE_ITEMS) {
      sendMessage(core, w, batch.slice(from, i));
      from = i;
      items = 0;
    }
    items += n;
  }
  sendMessage(core, w, from === 0 ? batch : batch.slice(from));
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
