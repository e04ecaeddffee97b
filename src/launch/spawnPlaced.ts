import { spawn, type ChildProcess, type SpawnOptions } from 'node:child_process';
import type { CpuSet } from '../cpuset/CpuSet.js';
import { spawnPinned } from '../affinity.js';
import type { MemoryPlan } from './memoryPlan.js';
import { restoreThreadMemPolicy, setThreadMemPolicy } from './memoryPolicy.js';

/**
 * `spawnPinned` plus a memory policy from birth: the calling thread takes the slot's policy for the
 * instant of the fork (a child inherits the forking thread's policy, and keeps it across execve),
 * then gets its own back. So the child's first page — and every thread it starts — follows the
 * policy, as `numactl --membind` would give it. `cpus` null: not pinned; `memory` null or `none`:
 * the caller's policy, unchanged.
 *
 * @example
 * ```ts
 * import { spawnPlaced, CpuSet } from 'corepin';
 * const child = spawnPlaced(CpuSet.parse('0-1'), null, 'make', ['-j2'], { stdio: 'inherit' });
 * ```
 */
export function spawnPlaced(cpus: CpuSet | null, memory: MemoryPlan | null, command: string, args: readonly string[], options: SpawnOptions): ChildProcess {
  const launch = (): ChildProcess => (cpus ? spawnPinned(cpus, command, args, options) : spawn(command, args, { ...options, shell: false }));
  if (memory === null || memory.mode === 'none') return launch();
  const before = setThreadMemPolicy(memory);
  try {
    return launch();
  } finally {
    restoreThreadMemPolicy(before);
  }
}
