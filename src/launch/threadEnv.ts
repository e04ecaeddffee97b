import type { CpuSet } from '../cpuset/CpuSet.js';

/**
 * Environment that makes threaded runtimes fit a slot of `cpus`: OpenMP (`OMP_NUM_THREADS` = slot
 * size, `OMP_PLACES` = `{0},{1}` one place per CPU, `OMP_PROC_BIND=close`), OpenBLAS, MKL, Go
 * (`GOMAXPROCS`), and libuv (`UV_THREADPOOL_SIZE` = max(4, slot size): the pool also serves
 * blocking file I/O, so it is never shrunk below libuv's default, only grown for big slots).
 * Returns only the variables `base` does not set already: a value the user set is never overridden.
 *
 * @example
 * ```ts
 * import { threadEnv, CpuSet } from 'corepin';
 * threadEnv(CpuSet.parse('2-3'), process.env); // { OMP_NUM_THREADS: '2', OMP_PLACES: '{2},{3}', … }
 * ```
 */
export function threadEnv(cpus: CpuSet, base: NodeJS.ProcessEnv): Record<string, string> {
  const n = String(cpus.size);
  const wanted: Record<string, string> = {
    OMP_NUM_THREADS: n,
    OMP_PLACES: [...cpus].map((c) => `{${c}}`).join(','),
    OMP_PROC_BIND: 'close',
    OPENBLAS_NUM_THREADS: n,
    MKL_NUM_THREADS: n,
    GOMAXPROCS: n,
    UV_THREADPOOL_SIZE: String(Math.max(4, cpus.size)),
  };
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(wanted)) if (base[k] === undefined) out[k] = v;
  return out;
}
