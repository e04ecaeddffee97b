import { threadEnv } from '../../launch/threadEnv.js';
import type { WorkerSpec } from './WorkerRuntime.js';

/**
 * Thread-count variables for a worker of `spec` (see threadEnv): counts follow the slot's own CPUs.
 * With binding 'pool' (`own` differs from `cpus`) OMP_PLACES and OMP_PROC_BIND are left out, so
 * OpenMP does not pin every worker's threads to the first CPUs of the union: the scheduler balances.
 */
export function workerThreadEnv(spec: WorkerSpec, env: NodeJS.ProcessEnv): Record<string, string> {
  const own = spec.own ?? spec.cpus;
  if (own === null || spec.cpus === null) return {};
  const vars = threadEnv(own, env);
  if (!own.equals(spec.cpus)) {
    delete vars['OMP_PLACES'];
    delete vars['OMP_PROC_BIND'];
  }
  return vars;
}
