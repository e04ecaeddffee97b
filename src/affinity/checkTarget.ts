import { validId } from '../os/validId.js';
import type { Target } from '../affinity.js';

/** Refuses a pid or tid that a 32-bit pid_t would turn into another task (see {@link validId}). */
export function checkTarget(target: Target): void {
  if (target === 'self' || target === 'thread') return;
  if (typeof target === 'object' && target !== null && 'tid' in target) validId((target as { tid: unknown }).tid, 'tid');
  else validId(target, 'pid');
}

/** How messages name `target`: `pid 42`, `thread 7`, `the calling thread`, `this process (pid …)`. */
export function describeTarget(target: Target): string {
  if (target === 'thread') return 'the calling thread';
  if (target === 'self') return `this process (pid ${process.pid})`;
  if (typeof target === 'object') return `thread ${target.tid}`;
  return `pid ${target}`;
}
