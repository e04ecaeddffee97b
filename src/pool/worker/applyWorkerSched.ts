import type { SchedClass } from '../../launch/LaunchSettings.js';

/**
 * A worker's nice value and scheduling class, from the pool's `nice:sched` argument (`-` or absent:
 * nothing to do, null): a process worker gives them to every thread it has, a thread worker to its
 * own thread. Resolves to the error to report as the worker's start-up failure, or null. The code
 * is imported only when needed: every import is start-up time of every worker.
 */
export function applyWorkerSched(kind: 'process' | 'thread', arg: string | null | undefined): Promise<unknown> | null {
  if (arg === undefined || arg === null || arg === '-' || arg === '') return null;
  const [niceText, schedText] = arg.split(':');
  const req = { nice: niceText ? Number(niceText) : null, sched: schedText ? (schedText as SchedClass) : null };
  return import('../../launch/schedClass.js').then(
    ({ applySchedToProcess, applySchedToThread }) => {
      if (kind === 'process') applySchedToProcess(req);
      else applySchedToThread(0, req);
      return null;
    },
    (err: unknown) => err,
  ).catch((err: unknown) => err);
}

/** Runs `next` after `first` (a start-up step that may be absent) unless `first` failed. */
export function thenIfOk(first: Promise<unknown> | null, next: () => unknown): unknown {
  if (first === null) return next();
  return first.then((err) => (err !== null ? err : next()));
}
