import type { ChildProcess, SpawnOptions } from 'node:child_process';
import type { ResourceLimits } from 'node:worker_threads';
import { spawnPlaced } from '../../launch/spawnPlaced.js';
import type { SlotSettings } from '../../launch/SlotSettings.js';
import { workerThreadEnv } from './workerThreadEnv.js';
import { envWithAddonPath } from '../../os/fastPin.js';
import { guardIpcChannel } from './guardIpcChannel.js';
import { INIT } from '../protocol.js';
import { packRun } from './leanFrames.js';
import { routeWorkerMessage } from './taskSends.js';
import type { WorkerEvents, WorkerRuntime, WorkerHandle } from './WorkerRuntime.js';
import { workerEntry } from './workerEntry.js';

/** Settings of process workers. */
export interface ProcessRuntimeOptions {
  readonly execArgv: readonly string[];
  readonly env: NodeJS.ProcessEnv;
  readonly serialization: 'json' | 'advanced';
  readonly resourceLimits: ResourceLimits | undefined;
  /** Memory policy, nice/sched and thread env of the workers. */
  readonly settings?: SlotSettings;
}

/**
 * Process workers: `node worker/entryProcess.js` (or its bundle), forked while the forking thread is pinned to the
 * slot's CPUs (spawnPinned), so the child and every thread it ever starts are inside them from birth.
 * The task module and initializer follow as the first IPC message.
 */
export function processRuntime(options: ProcessRuntimeOptions): WorkerRuntime {
  // The one-file bundle of the entry when it is current, else entryProcess.js (workerEntry.ts).
  const argv = [...options.execArgv, ...limitFlags(options.resourceLimits), workerEntry('process').file];
  return {
    kind: 'process',
    start(spec, events) {
      const sched = options.settings?.settings;
      const schedArg = sched && (sched.nice !== null || sched.sched !== null) ? `${sched.nice ?? ''}:${sched.sched ?? ''}` : '-';
      const args = [...argv, spec.cpus ? spec.cpus.toList() : '-', String(process.pid), schedArg];
      // The child requires the addon from where this process found it, instead of searching.
      let env = envWithAddonPath(options.env);
      if (sched?.threadEnv !== false) env = { ...env, ...workerThreadEnv(spec, env) };
      const opts: SpawnOptions = { stdio: ['ignore', 'inherit', 'inherit', 'ipc'], serialization: options.serialization, env };
      // The slot's memory policy from birth (set around the fork, like the pinning).
      const child: ChildProcess = spawnPlaced(spec.cpus, options.settings?.memoryFor(spec.cpus) ?? null, process.execPath, args, opts);
      let error: unknown;
      let gone = false;
      const finish = (code: number | null, signal: string | null): void => {
        if (gone) return;
        gone = true;
        events.exit(code, signal, error);
      };
      // Lean frames on the pipe (leanFrames.ts) are unpacked; a task's own process.send is kept apart (taskSends.ts).
      child.on('message', (m) => routeWorkerMessage(m, events));
      // A stray write to the IPC fd would otherwise throw inside Node's reader and kill this process.
      guardIpcChannel(child, (err) => events.unreadable(`unreadable bytes on the IPC channel (${err instanceof Error ? err.message : String(err)})`));
      child.on('error', (err: NodeJS.ErrnoException) => {
        if (err.code !== 'ERR_IPC_CHANNEL_CLOSED') error ??= err;
        if (child.pid === undefined) finish(null, null); // never started: no 'close' will come
      });
      // 'close' comes after 'exit' and after the IPC channel is drained, so no result is lost.
      child.on('close', (code, signal) => finish(code, signal));
      const handle = new ProcessHandle(child, events);
      handle.send([INIT, spec.init]);
      return handle;
    },
  };
}

/**
 * A child process worker as the pool drives it. A class, not an object literal per worker: every
 * worker shares one `send`, so the pool's send call site sees one target for every worker of every
 * pool (a closure per worker made V8 recompile the pool's hot path for each new pool).
 */
class ProcessHandle implements WorkerHandle {
  readonly pid: number;
  #unwritten = 0;
  readonly #child: ChildProcess;
  readonly #written: () => void;

  constructor(child: ChildProcess, events: WorkerEvents) {
    this.pid = child.pid ?? 0;
    this.#child = child;
    this.#written = (): void => {
      if (--this.#unwritten === 0) events.drained();
    };
  }

  send(message: unknown[]): void {
    const child = this.#child;
    if (!child.connected) return;
    this.#unwritten++;
    try {
      child.send(packRun(message), undefined, undefined, this.#written);
    } catch (err) {
      this.#unwritten--;
      throw err;
    }
  }

  get writing(): boolean {
    return this.#unwritten > 0;
  }

  kill(): void {
    this.#child.kill('SIGKILL');
  }

  ref(): void {
    this.#child.ref();
    this.#child.channel?.ref();
  }

  unref(): void {
    this.#child.unref();
    this.#child.channel?.unref();
  }
}

/**
 * This process's node flags minus those that would make the child something other than a worker
 * (test runner, inspector on a taken port, eval, watch mode), so loaders like `--import tsx` carry over.
 */
export function defaultExecArgv(execArgv: readonly string[] = process.execArgv): string[] {
  const out: string[] = [];
  const withValue = new Set(['-e', '--eval', '-p', '--print', '-r', '--require', '--import', '--loader', '--experimental-loader', '--test-reporter', '--test-reporter-destination', '--test-name-pattern', '--test-skip-pattern', '--test-concurrency', '--test-shard', '--watch-path', '--inspect-port', '--input-type']);
  const dropped = /^(--test|--experimental-test|--inspect|--debug|--watch|-e$|--eval|-p$|--print|-i$|--interactive|-c$|--check|--input-type)/;
  for (let i = 0; i < execArgv.length; i++) {
    const a = execArgv[i]!;
    const takesNext = withValue.has(a);
    if (dropped.test(a)) {
      if (takesNext) i++;
      continue;
    }
    out.push(a);
    if (takesNext && i + 1 < execArgv.length) out.push(execArgv[++i]!);
  }
  return out;
}

function limitFlags(limits: ResourceLimits | undefined): string[] {
  if (!limits) return [];
  const out: string[] = [];
  if (limits.maxOldGenerationSizeMb !== undefined) out.push(`--max-old-space-size=${limits.maxOldGenerationSizeMb}`);
  if (limits.maxYoungGenerationSizeMb !== undefined) out.push(`--max-semi-space-size=${Math.max(1, Math.floor(limits.maxYoungGenerationSizeMb / 3))}`);
  if (limits.stackSizeMb !== undefined) out.push(`--stack-size=${Math.floor(limits.stackSizeMb * 1024)}`);
  return out;
}
