import { spawn, type ChildProcess, type SpawnOptions } from 'node:child_process';
import type { CpuSet } from '../cpuset/CpuSet.js';
import { EmptyCpuSetError } from './errors.js';
import { currentBackend } from '../os/currentBackend.js';
import { pinnableCpus } from '../os/pinnableCpus.js';
import { readCpuListFile } from '../os/procfs.js';
import { checkPinnable, pinThread } from './pinThreads.js';
import { toCpuSet, type CpusInput } from './toCpuSet.js';

/**
 * Like `child_process.spawn`, but the child — and every thread it will ever start — is inside `cpus`
 * from its first instruction: the calling thread is pinned for the instant of the fork (children
 * inherit the forking thread's mask) and restored right after. Argv is passed as given; no shell.
 *
 * @example
 * ```ts
 * import { spawnPinned } from 'corepin';
 * const child = spawnPinned('0-1', 'make', ['-j2'], { stdio: 'inherit' });
 * child.on('exit', (code) => console.log('make exited', code));
 * ```
 */
export function spawnPinned(cpus: CpusInput, command: string, args: readonly string[] = [], options: SpawnOptions = {}): ChildProcess {
  const set = toCpuSet(cpus);
  const backend = currentBackend();
  if (set.isEmpty) throw new EmptyCpuSetError(`cannot launch ${command} on an empty CPU set; name at least one CPU`);
  checkPinnable(set, 'self', command);
  const before = backend.get(0);
  pinThread(0, set, 'thread');
  try {
    return spawn(command, args, { ...options, shell: false });
  } finally {
    restoreCallingThread(before);
  }
}

/**
 * Puts the calling thread back on `before`, its mask before it was pinned for an instant (to fork or
 * to create a thread). A thread that was on every CPU it may use — unpinned, as far as anyone can
 * tell — gets every possible CPU back instead: the kernel keeps it inside its cpuset, and it follows
 * the cpuset when it grows again, as an unpinned thread does. Setting the narrowed mask of a
 * shrunken cpuset would keep it (and the pool's view of the usable CPUs) there for good.
 * @internal
 */
export function restoreCallingThread(before: CpuSet): void {
  const backend = currentBackend();
  let target = before;
  try {
    if (before.equals(pinnableCpus('self').cpus)) target = before.union(readCpuListFile('/sys/devices/system/cpu/possible') ?? before);
  } catch {
    // unreadable sysfs: restore exactly what it had
  }
  for (const mask of target === before ? [before] : [target, before]) {
    try {
      backend.set(0, mask);
      return;
    } catch {
      // The old mask may have become invalid (cpuset shrank); the kernel keeps us on the pinned set, still valid.
    }
  }
}
