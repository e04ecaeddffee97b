import { mkdirSync, rmdirSync, writeFileSync, readFileSync, existsSync } from 'node:fs';

const ROOT = '/sys/fs/cgroup/cpuset';

/** A real cgroup v1 cpuset made for a test, as Kubernetes or Slurm make one for a job. */
export interface TestCpuset {
  readonly dir: string;
  /** Rewrites `cpuset.cpus` (the kernel re-pins every member). */
  setCpus(list: string): void;
  /** Moves every member back to the root cpuset and removes the folder. */
  remove(): void;
}

/**
 * Makes `/sys/fs/cgroup/cpuset/<name>` with `cpus`, or returns the reason it cannot (so the test
 * can skip with that reason printed).
 */
export function makeCpuset(name: string, cpus: string): TestCpuset | string {
  if (process.getuid?.() !== 0) return 'needs root to create a cgroup cpuset';
  if (!existsSync(`${ROOT}/cpuset.cpus`)) return `no cgroup v1 cpuset hierarchy at ${ROOT}`;
  const dir = `${ROOT}/${name}`;
  try {
    mkdirSync(dir);
    writeFileSync(`${dir}/cpuset.mems`, readFileSync(`${ROOT}/cpuset.mems`, 'utf8').trim());
    writeFileSync(`${dir}/cpuset.cpus`, cpus);
  } catch (err) {
    try {
      rmdirSync(dir);
    } catch {
      // never created
    }
    return `cannot create a cgroup cpuset here (${(err as Error).message})`;
  }
  return {
    dir,
    setCpus(list) {
      writeFileSync(`${dir}/cpuset.cpus`, list);
    },
    remove() {
      for (const pid of readFileSync(`${dir}/cgroup.procs`, 'utf8').split('\n').filter(Boolean)) {
        try {
          writeFileSync(`${ROOT}/cgroup.procs`, pid);
        } catch {
          // already gone
        }
      }
      rmdirSync(dir);
    },
  };
}
