import type { AsyncLocalStorage } from 'node:async_hooks';
import { cjsRequire } from '../../os/cjsRequire.js';
import { PROGRESS } from '../protocol.js';

/** The worker's reporter: sends a progress value of the task running in this async context, or says no one listens (false). */
export type ProgressReporter = (value: unknown) => boolean;

/** Where the worker keeps its reporter (a global symbol: a task module with its own copy of corepin finds it too). */
export const PROGRESS_REPORTER = Symbol.for('corepin.progressReporter');

// Only tasks whose caller listens (Mode.Reporting) run here; a worker that never gets one never
// creates the async context, so tasks without a listener pay nothing.

/** Sends one message to the pool (the worker's channel). */
export type SendToPool = (message: unknown[]) => unknown;

let scope: AsyncLocalStorage<number> | null = null;

/**
 * Runs `fn(...args)` as task `id` inside an async context that names it: `reportProgress` in the
 * task, and in whatever it starts (promises, timers), sends `[PROGRESS, id, value]`. A report from a
 * timer the task left behind still names that task, never the one running now, so the pool can
 * drop it instead of handing it to the wrong listener.
 */
export function runReporting(send: SendToPool, id: number, fn: (...args: unknown[]) => unknown, args: readonly unknown[]): unknown {
  if (scope === null) {
    // Required here, not imported: node:async_hooks costs every fresh worker ~2 M instructions, and
    // most workers never run a task whose caller listens for progress.
    const hooks = cjsRequire(import.meta.url)('node:async_hooks') as typeof import('node:async_hooks');
    const als: AsyncLocalStorage<number> = new hooks.AsyncLocalStorage<number>();
    const reporter: ProgressReporter = (value) => {
      const task = als.getStore();
      if (task === undefined) return false;
      send([PROGRESS, task, value]); // throws when the value cannot be sent: reportProgress says so
      return true;
    };
    (globalThis as Record<symbol, ProgressReporter>)[PROGRESS_REPORTER] = reporter;
    scope = als;
  }
  return scope.run(id, fn, ...args);
}
