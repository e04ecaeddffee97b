// A child process moved into a real cgroup cpuset (test/fixtures/inCpuset.mjs) that runs
// test/fixtures/stalePin.mjs: it pins on each stdin command and answers one JSON line per pin.
import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

const IN_CPUSET = fileURLToPath(new URL('../../../test/fixtures/inCpuset.mjs', import.meta.url));
const STALE_PIN = fileURLToPath(new URL('../../../test/fixtures/stalePin.mjs', import.meta.url));
const LIBRARY = fileURLToPath(new URL('../../src/index.js', import.meta.url));

/** One answer of the child: the pin's result or refusal, and the thread's affinity right after it. */
export interface StalePinOutcome {
  ok?: boolean;
  cpus?: string;
  code?: string;
  message?: string;
  now: string;
}

/** The running child: send it a command (`again`, `pin LIST`, `exit`), read its next answer, stop it. */
export interface StalePinChild {
  readonly child: ChildProcess;
  send(command: string): void;
  next(): Promise<StalePinOutcome>;
  /** SIGKILLs the child and waits for its exit. */
  stop(): Promise<void>;
}

/** Starts the child inside the cpuset folder `dir`, pinning `target` to `list` first. */
export function startStalePinChild(dir: string, target: 'thread' | 'self', list: string): StalePinChild {
  const child = spawn(process.execPath, [IN_CPUSET, dir, STALE_PIN, LIBRARY, target, list], { stdio: ['pipe', 'pipe', 'inherit'] });
  const lines = createInterface({ input: child.stdout! })[Symbol.asyncIterator]();
  return {
    child,
    send: (command) => void child.stdin!.write(`${command}\n`),
    next: async () => JSON.parse((await lines.next()).value as string) as StalePinOutcome,
    stop: async () => {
      child.kill('SIGKILL');
      await new Promise((r) => (child.exitCode !== null || child.signalCode !== null ? r(null) : child.once('exit', r)));
    },
  };
}
