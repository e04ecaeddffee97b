import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { CLI } from '../support/cli.js';

const IN_CPUSET = fileURLToPath(new URL('../../../test/fixtures/inCpuset.mjs', import.meta.url));

/** A `corepin worker` process started by a test. */
export interface TestHost {
  readonly child: ChildProcess;
  readonly pid: number;
  /** Its stderr so far. */
  stderr(): string;
  /** Resolves once it says it serves the queue; rejects if it exits first or takes over 30 s. */
  readonly ready: Promise<void>;
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** SIGKILL if still running. */
  kill(): void;
}

/**
 * Starts `corepin worker ARGS`, inside the cgroup dir `cgroup` when given (moved there before it
 * starts); with `ownGroup`, as the leader of its own process group (like a shell's foreground job,
 * whose Ctrl-C reaches every process of the group).
 */
export function startHost(args: readonly string[], env: NodeJS.ProcessEnv = {}, cgroup?: string, ownGroup = false): TestHost {
  const argv = cgroup === undefined ? [CLI, 'worker', ...args] : [IN_CPUSET, cgroup, CLI, 'worker', ...args];
  const child = spawn(process.execPath, argv, { stdio: ['ignore', 'ignore', 'pipe'], env: { ...process.env, ...env }, detached: ownGroup });
  let err = '';
  child.stderr!.setEncoding('utf8').on('data', (d: string) => (err += d));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
  const ready = new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`host did not start in 30 s: ${err}`)), 30_000);
    const check = (): void => {
      if (err.includes(' serves queue ')) {
        clearTimeout(timer);
        resolve();
      }
    };
    child.stderr!.on('data', check);
    void exited.then(({ code, signal }) => {
      clearTimeout(timer);
      reject(new Error(`host exited (${code ?? signal}) before serving: ${err}`));
    });
  });
  ready.catch(() => {});
  return {
    child,
    pid: child.pid!,
    stderr: () => err,
    ready,
    exited,
    kill() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    },
  };
}
