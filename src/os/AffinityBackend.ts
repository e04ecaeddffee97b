import type { CpuSet } from '../cpuset/CpuSet.js';

/**
 * The one interface to the kernel's affinity calls. Thread ids are OS tids; `0` means the calling
 * thread. Implementations throw errors carrying `code` = `EINVAL` | `ESRCH` | `EPERM`.
 *
 * @example
 * ```ts
 * import { currentBackend, type AffinityBackend } from 'corepin';
 * const backend: AffinityBackend = currentBackend();
 * backend.set(0, backend.get(0)); // the calling thread (tid 0): no change
 * console.log(backend.tid(), backend.cpu());
 * ```
 */
export interface AffinityBackend {
  /** `native` (the N-API addon) or `taskset` (util-linux taskset + /proc). */
  readonly name: 'native' | 'taskset';
  /** The affinity of thread `tid` (0 = calling thread). */
  get(tid: number): CpuSet;
  /** Sets the affinity of thread `tid` (0 = calling thread). */
  set(tid: number, cpus: CpuSet): void;
  /**
   * Optional fast path: `set` then `get` of the same thread, as one step. Returns `cpus` itself
   * when the kernel applied exactly that set (pin()'s hot path), else what `get` would return.
   */
  setAndGet?(tid: number, cpus: CpuSet): CpuSet;
  /** The calling thread's OS thread id. */
  tid(): number;
  /** The CPU the calling thread runs on now. */
  cpu(): number;
}
