import type * as ChildProcessModule from 'node:child_process';
import { createRequire } from 'node:module';
import { readFileSync, readlinkSync } from 'node:fs';
import { CpuSet } from '../cpuset/CpuSet.js';
import type { AffinityBackend } from './AffinityBackend.js';
import { backendTid } from './validId.js';

/**
 * The classic recipe's backend: util-linux `taskset` (argv arrays, never a shell) to set, `/proc`
 * to read. Used where the addon cannot load, and by the benchmarks to measure the recipe.
 */
export function tasksetBackend(): AffinityBackend {
  const selfTid = (): number => Number(readlinkSync('/proc/thread-self').split('/').pop());
  // The same ids the native addon takes: 0 (the calling thread) or a positive integer below 2^31.
  const resolve = (tid: number): number => (backendTid(tid) === 0 ? selfTid() : tid);
  return {
    name: 'taskset',
    get(tid) {
      const t = resolve(tid);
      let text: string;
      try {
        text = readFileSync(`/proc/${t}/status`, 'utf8');
      } catch {
        throw errnoError('ESRCH', `sched_getaffinity: No such process`);
      }
      const m = /^Cpus_allowed_list:\s*(.*)$/m.exec(text);
      return CpuSet.parse(m?.[1] ?? '', 'list');
    },
    set(tid, cpus) {
      const t = resolve(tid);
      const r = childProcess().spawnSync('taskset', ['-p', '-c', cpus.toList() || '0x0', String(t)], { encoding: 'utf8' });
      if (r.error) throw errnoError('ENOENT', `taskset: ${r.error.message}`);
      if (r.status !== 0) {
        const err = r.stderr;
        if (/No such process/i.test(err)) throw errnoError('ESRCH', 'sched_setaffinity: No such process');
        if (/not permitted/i.test(err)) throw errnoError('EPERM', 'sched_setaffinity: Operation not permitted');
        throw errnoError('EINVAL', `sched_setaffinity: Invalid argument (${err.trim().split('\n').pop() ?? ''})`);
      }
    },
    tid: selfTid,
    cpu() {
      const stat = readFileSync('/proc/thread-self/stat', 'utf8');
      return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[36]);
    },
  };
}

function errnoError(code: string, message: string): Error {
  return Object.assign(new Error(message), { code });
}

// node:child_process is loaded on first use only: only the taskset backend needs it, and every
// worker that imports this file would otherwise pay for loading it.
function childProcess(): typeof ChildProcessModule {
  return createRequire(import.meta.url)('node:child_process') as typeof ChildProcessModule;
}
