import type { ChildProcess } from 'node:child_process';
import { threadsOf } from '../../affinity.js';
import { spawnPlaced } from '../../launch/spawnPlaced.js';
import type { SlotSettings } from '../../launch/SlotSettings.js';
import { threadEnv } from '../../launch/threadEnv.js';
import type { CpuSet } from '../../cpuset/CpuSet.js';
import type { Progress } from '../progress/Progress.js';
import { SHELL_SCRIPT_NAME, shellScript } from './shellScript.js';

/** How one job ended. */
export interface JobResult {
  /** 1-based job number (input order). */
  readonly job: number;
  /** The input line. */
  readonly input: string;
  /** Slot it ran in. */
  readonly slot: number;
  /** Its pid, null when it could not be started. */
  readonly pid: number | null;
  /** Exit code; null when killed by a signal or not started. */
  readonly code: number | null;
  /** Signal that ended it, if any. */
  readonly signal: NodeJS.Signals | null;
  /** Why it could not be started (`ENOENT`, `EACCES` …), if so. */
  readonly spawnError: string | null;
  /** Every thread of the job was read back inside its slot's CPUs (null: exited before it could be read). */
  readonly verified: boolean | null;
}

/** What `runJobs` needs. */
export interface RunJobsOptions {
  /** Command words with `{}` placeholders. */
  readonly template: readonly string[];
  /** Input lines, one job each, read lazily (a slow producer's lines start as they come). */
  readonly inputs: AsyncIterable<string>;
  /** One entry per slot: its CPUs, or null to leave it unpinned. */
  readonly slots: readonly (CpuSet | null)[];
  /** Run through `/bin/sh -c`. */
  readonly shell: boolean;
  /** Print outputs in input order instead of as jobs finish. */
  readonly keepOrder: boolean;
  readonly progress: Progress;
  /** Stop starting jobs (running ones are terminated) when this aborts. */
  readonly signal?: AbortSignal;
  /** Memory policy per slot (from birth) and thread-count env of every job. */
  readonly settings?: SlotSettings;
}

/**
 * Runs every input as a job, at most one per slot at a time. Each job is launched with
 * `spawnPinned`, so the process and every thread it will start are inside its slot's CPUs from the
 * first instruction; `COREPIN_SLOT`, `COREPIN_JOB` and `COREPIN_CPUS` are set in its environment.
 * Each job's stdout and stderr are buffered and written together when it ends.
 *
 * A job whose command is missing or not executable stops the run: every other job would fail alike.
 */
export async function runJobs(o: RunJobsOptions): Promise<JobResult[]> {
  const results: JobResult[] = [];
  const outputs = new Map<number, { out: Buffer; err: Buffer }>();
  const source = o.inputs[Symbol.asyncIterator]();
  let read = 0;
  let sourceDone = false;
  let printed = 0;
  let halted = false;
  const running = new Set<ChildProcess>();
  const onAbort = (): void => {
    halted = true;
    for (const c of running) c.kill('SIGTERM');
  };
  o.signal?.addEventListener('abort', onAbort);

  const flush = (): void => {
    // In keep-order mode print the longest finished prefix; otherwise everything finished.
    for (;;) {
      const i = o.keepOrder ? printed : [...outputs.keys()][0];
      if (i === undefined) return;
      const item = outputs.get(i);
      if (item === undefined) return;
      outputs.delete(i);
      printed++;
      if (item.out.length > 0 || item.err.length > 0) {
        o.progress.print(() => {
          if (item.out.length > 0) process.stdout.write(item.out);
          if (item.err.length > 0) process.stderr.write(item.err);
        });
      }
    }
  };

  const worker = async (slot: number): Promise<void> => {
    while (!halted && !sourceDone) {
      // Concurrent next() calls on one async iterator are queued, so each line goes to one slot.
      const step = await source.next();
      if (step.done || halted) {
        sourceDone = sourceDone || step.done === true;
        break;
      }
      const index = read++;
      let r: JobResult;
      try {
        r = await runOne(o, outputs, running, slot, index, step.value);
      } catch (err) {
        // Cannot launch at all (e.g. the slot's CPUs became unusable): stop everything.
        onAbort();
        throw err;
      }
      results.push(r);
      flush();
      o.progress.tick(r.code === 0);
      if (r.spawnError === 'ENOENT' || r.spawnError === 'EACCES') halted = true;
    }
  };
  try {
    await Promise.all(o.slots.map((_, slot) => worker(slot)));
  } finally {
    o.signal?.removeEventListener('abort', onAbort);
  }
  flush();
  return results.sort((a, b) => a.job - b.job);
}

/** Spawns job `index` (input line `input`) pinned to slot `slot`; resolves when it has closed, never rejects for the job's own failure. */
function runOne(o: RunJobsOptions, outputs: Map<number, { out: Buffer; err: Buffer }>, running: Set<ChildProcess>, slot: number, index: number, input: string): Promise<JobResult> {
  return new Promise((resolve) => {
    if (input.includes('\0')) {
      // No argv element can carry a NUL byte: this job fails with the reason, the others run.
      outputs.set(index, { out: Buffer.alloc(0), err: Buffer.alloc(0) });
      resolve({ job: index + 1, input, slot, pid: null, code: null, signal: null, spawnError: 'the line holds a NUL byte, which no argument can carry', verified: null });
      return;
    }
    const { command, args } = expandJob(o.template, input, o.shell);
    const cpus = o.slots[slot] ?? null;
    const fit = cpus && o.settings?.settings.threadEnv !== false ? threadEnv(cpus, process.env) : {};
    const env = { ...process.env, ...fit, COREPIN_SLOT: String(slot), COREPIN_JOB: String(index + 1), ...(cpus ? { COREPIN_CPUS: cpus.toList() } : {}) };
    const options = { stdio: ['ignore', 'pipe', 'pipe'] as ['ignore', 'pipe', 'pipe'], env };
    const child = spawnPlaced(cpus, o.settings?.memoryFor(cpus) ?? null, command, args, options);
    running.add(child);
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout!.on('data', (b: Buffer) => out.push(b));
    child.stderr!.on('data', (b: Buffer) => err.push(b));
    let verified: boolean | null = null;
    let spawnError: string | null = null;
    child.once('spawn', () => {
      verified = cpus === null || child.pid === undefined ? null : checkThreads(child.pid, cpus);
    });
    child.once('error', (e: NodeJS.ErrnoException) => {
      spawnError = e.code ?? e.message;
    });
    child.once('close', (code, sig) => {
      running.delete(child);
      outputs.set(index, { out: Buffer.concat(out), err: Buffer.concat(err) });
      resolve({ job: index + 1, input, slot, pid: child.pid ?? null, code: spawnError ? null : code, signal: sig, spawnError, verified });
    });
  });
}

/** Whether every thread of `pid` may run exactly on `cpus`; null when it has already gone. */
function checkThreads(pid: number, cpus: CpuSet): boolean | null {
  try {
    const threads = threadsOf(pid);
    return threads.length === 0 ? null : threads.every((t) => t.cpus.equals(cpus));
  } catch {
    return null;
  }
}

/** A command ready to launch: argv, never a shell string (except the one `--shell` asks for). */
export interface JobArgv {
  readonly command: string;
  readonly args: readonly string[];
}

/**
 * Builds one job's argv from the command template and one input line, as xargs -I / GNU parallel do:
 * every `{}` in every argument is replaced by the line, byte for byte (one argv element stays one
 * element, so spaces, quotes and `$&` in the line are data, never syntax); with no `{}` anywhere,
 * the line is appended as the last argument.
 *
 * With `shell`, the job is `/bin/sh -c SCRIPT corepin-exec LINE` (the only place corepin uses a
 * shell): the line is the script's `$1`, never part of the script text; see {@link shellScript}.
 *
 * @throws {UsageError} with `shell`, when the template's `{}` cannot be rewritten safely.
 */
export function expandJob(template: readonly string[], line: string, shell = false): JobArgv {
  if (shell) return { command: '/bin/sh', args: ['-c', shellScript(template), SHELL_SCRIPT_NAME, line] };
  const has = template.some((w) => w.includes('{}'));
  // split/join, not replaceAll: a replacement string would give `$&`, `$$`, `` $` ``, `$'` in the line a meaning.
  const argv = has ? template.map((w) => w.split('{}').join(line)) : [...template, line];
  return { command: argv[0]!, args: argv.slice(1) };
}
