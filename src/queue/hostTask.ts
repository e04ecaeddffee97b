// The task module of a queue host's pool: it runs inside every pinned worker, imports the user's
// module once, calls the export a job names, and says where it ran (pid, tid, CPU).
import { isMainThread } from 'node:worker_threads';
import { currentCpu, currentThreadId } from '../affinity.js';
import { JobExportNotFoundError } from './errors.js';

// The module this slot serves and its file name, set once by `initialize` (which every slot runs
// before its first job), so a job message carries only the export's name and the input.
let served: { name: string; mod: Record<string, unknown> } | null = null;

/**
 * The pool's initializer: imports the user's module when the worker starts (a broken module fails the
 * host's start, not every job), then runs the user's own initializer, if any.
 */
export async function initialize(href: string, name: string, userInit: string | null, ...args: unknown[]): Promise<void> {
  // A terminal's Ctrl-C reaches the whole foreground process group, this slot process too: left to the
  // default it would die mid-job (the job then runs again). The host decides: it lets the running jobs
  // finish, then closes the pool; the slot also ends when the host dies (its IPC channel closes).
  if (isMainThread) process.on('SIGINT', () => {});
  const mod = (await import(href)) as Record<string, unknown>;
  served = { name, mod };
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

function exportOf(fn: string): (x: unknown) => unknown {
  const { name, mod } = served!;
  const f = mod[fn];
  if (typeof f !== 'function') throw new JobExportNotFoundError(fn, name, Object.keys(mod).filter((k) => typeof mod[k] === 'function'));
  return f as (x: unknown) => unknown;
}

function isThenable(v: unknown): v is PromiseLike<unknown> {
  return (typeof v === 'object' || typeof v === 'function') && v !== null && typeof (v as { then?: unknown }).then === 'function';
}

// run and runChunk stay synchronous while the export is: no promise per job in the slot, where the
// progress context (an AsyncLocalStorage, as the host always listens for progress) makes each one dearer.

/**
 * Calls export `fn` on each of `inputs` in turn (a chunk job): one message each way for the whole
 * chunk. The first input that throws fails the chunk (its job), as a failing task fails its chunk in
 * Pool.map.
 */
export function runChunk(fn: string, inputs: unknown[]): HostChunkResult | Promise<HostChunkResult> {
  const f = exportOf(fn);
  const values: unknown[] = [];
  for (let i = 0; i < inputs.length; i++) {
    const v = f(inputs[i]);
    if (isThenable(v)) return finishChunk(f, inputs, i, v, values);
    values.push(v);
  }
  return { values, pid: process.pid, tid: currentThreadId(), cpu: currentCpu() };
}

async function finishChunk(f: (x: unknown) => unknown, inputs: unknown[], i: number, pending: PromiseLike<unknown>, values: unknown[]): Promise<HostChunkResult> {
  values.push(await pending);
  for (let j = i + 1; j < inputs.length; j++) values.push(await f(inputs[j]));
  return { values, pid: process.pid, tid: currentThreadId(), cpu: currentCpu() };
}

/**
 * Calls export `fn` of the served module with `input`.
 *
 * @throws {JobExportNotFoundError} when the module has no such function export; the export's own errors as they are.
 */
export function run(fn: string, input: unknown): HostTaskResult | Promise<HostTaskResult> {
  const value = exportOf(fn)(input);
  return isThenable(value) ? Promise.resolve(value).then((v) => ({ value: v, pid: process.pid, tid: currentThreadId(), cpu: currentCpu() })) : { value, pid: process.pid, tid: currentThreadId(), cpu: currentCpu() };
}
