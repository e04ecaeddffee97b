import { spawn, type ChildProcess } from 'node:child_process';

/** A running CPU hog; `stop()` kills exactly the process it started. */
export interface CpuHog {
  readonly pid: number;
  stop(): Promise<void>;
}

/**
 * Starts one unpinned process that spins forever, to make the machine busy: with 2 workers and a hog
 * on 2 CPUs the scheduler has three runnable threads to balance, and moves unpinned workers around.
 */
export function startCpuHog(): CpuHog {
  const child: ChildProcess = spawn(process.execPath, ['-e', 'for (;;) {}'], { stdio: 'ignore' });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const kill = (): void => {
    child.kill('SIGKILL');
  };
  // If the suite dies first, the hog must not outlive it.
  process.once('exit', kill);
  return {
    pid: child.pid ?? -1,
    async stop() {
      process.off('exit', kill);
      kill();
      await exited;
    },
  };
}
