// The task module of a queue host's pool: it runs inside every pinned worker, imports the user's
// module once, calls the export a job names, and says where it ran (pid, tid, CPU).
import { isMainThread } from 'node:worker_threads';
import { currentCpu, currentThreadId } from '../affinity.js';
import { JobExportNotFoundError } from './errors.js';

const modules = new Map<string, Promise<Record<string, unknown>>>();

function load(href: string): Promise<Record<string, unknown>> {
  let loading = modules.get(href);
  if (loading === undefined) {
    loading = import(href) as Promise<Record<string, unknown>>;
    modules.set(href, loading);
  }
  return loading;
}

/**
 * The pool's initializer: imports the user's module when the worker starts (a broken module fails the
 * host's start, not every job), then runs the user's own initializer, if any.
 */
export async function initialize(href: string, name: string, userInit: string | null, ...args: unknown[]): Promise<void> {
  // A terminal's Ctrl-C reaches the whole foreground process group, this slot process too: left to the
  // default it would die mid-job (the job then runs again). The host decides: it lets the running jobs
  // finish, then closes the pool; the slot also ends when the host dies (its IPC channel closes).
  if (isMainThread) process.on('SIGINT', () => {});
  const mod = await load(href);
  if (userInit === null) return;
  const f = mod[userInit];
  if (typeof f !== 'function') throw new JobExportNotFoundError(userInit, name, Object.keys(mod).filter((k) => typeof mod[k] === 'function'));
  await (f as (...a: unknown[]) => unknown)(...args);
}

/** What `run` returns to the host. */
export interface HostTaskResult {
  value: unknown;
  pid: number;
  tid: number;
  cpu: number;
}

/** What `runChunk` returns to the host: the value of each input, in order. */
export interface HostChunkResult {
  values: unknown[];
  pid: number;
  tid: number;
  cpu: number;
}

async function exportOf(href: string, name: string, fn: string): Promise<(x: unknown) => unknown> {
  const mod = await load(href);
  const f = mod[fn];
  if (typeof f !== 'function') throw new JobExportNotFoundError(fn, name, Object.keys(mod).filter((k) => typeof mod[k] === 'function'));
  return f as (x: unknown) => unknown;
}

/**
 * Calls export `fn` on each of `inputs` in turn (a chunk job): one message each way for the whole
 * chunk. The first input that throws fails the chunk (its job), as a failing task fails its chunk in
 * Pool.map.
 */
export async function runChunk(href: string, name: string, fn: string, inputs: unknown[]): Promise<HostChunkResult> {
  const f = await exportOf(href, name, fn);
  const values: unknown[] = [];
  for (const input of inputs) values.push(await f(input));
  return { values, pid: process.pid, tid: currentThreadId(), cpu: currentCpu() };
}

/**
 * Calls export `fn` of the module at `href` (a file: URL) with `input`.
 *
 * @throws {JobExportNotFoundError} when the module has no such function export; the export's own errors as they are.
 */
export async function run(href: string, name: string, fn: string, input: unknown): Promise<HostTaskResult> {
  const value: unknown = await (await exportOf(href, name, fn))(input);
  return { value, pid: process.pid, tid: currentThreadId(), cpu: currentCpu() };
}
