// The calling thread's own facts, from the backend (the addon's gettid and getcpu).
import { currentBackend } from '../os/currentBackend.js';

/**
 * The calling thread's OS thread id (gettid), unlike a worker's `threadId`.
 *
 * @example
 * ```ts
 * import { currentThreadId, affinityOf } from 'corepin';
 * const tid = currentThreadId();       // the OS thread id, as /proc/<pid>/task/<tid> names it
 * affinityOf({ tid }).toList();
 * ```
 */
export function currentThreadId(): number {
  return currentBackend().tid();
}

/**
 * The CPU the calling thread is running on right now (sched_getcpu).
 *
 * @example
 * ```ts
 * import { currentCpu, pin } from 'corepin';
 * pin('thread', '1');
 * currentCpu(); // 1
 * ```
 */
export function currentCpu(): number {
  return currentBackend().cpu();
}
