import type { PoolCore } from './PoolCore.js';
import type { PoolWorker } from './PoolWorker.js';
import { TaskState } from './Task.js';

// Progress is off the hot path: nothing here runs unless a call passed onProgress and its task reported.

/**
 * A PROGRESS message: hands `value` to the listener of task `id` if that task is still in this
 * worker's hands (sent, not settled). A report that comes after the task settled (its result came
 * first, it timed out or was aborted) or that names a task this worker does not hold is dropped.
 * A listener that throws does not touch the task or the pool: its error becomes a process warning.
 */
export function deliverProgress(core: PoolCore, w: PoolWorker, id: number, value: unknown): void {
  const listener = core.progress?.get(id);
  if (listener === undefined) return;
  for (const t of w.inflight()) {
    if (t.id !== id) continue;
    if (t.state !== TaskState.Sent) return;
    try {
      listener(value);
    } catch (err) {
      process.emitWarning(err instanceof Error ? err : String(err), { code: 'COREPIN_PROGRESS_LISTENER' });
    }
    return;
  }
}
