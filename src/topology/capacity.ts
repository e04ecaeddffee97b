import type { CpuSet } from '../cpuset/CpuSet.js';
import { readCgroupCpuQuota } from '../os/cgroupCpuQuota.js';
import type { CpuQuota } from '../os/cgroupCpuQuota.js';
import { readTopology } from './readTopology.js';
import type { Topology } from './Topology.js';
import { WorkerCountError } from './errors.js';

/**
 * Options of {@link capacity} and {@link defaultWorkers}; all optional.
 *
 * @example
 * ```ts
 * import { capacity, type CapacityOptions } from 'corepin';
 * const options: CapacityOptions = { root: '/tmp/sysfs-copy' };
 * capacity(options).workers;
 * ```
 */
export interface CapacityOptions {
  /** Root to read sysfs, /proc and the cgroup tree under (like `--fsroot`). ['/'] */
  readonly root?: string;
  /** The topology to count CPUs in. [readTopology(root)] */
  readonly topology?: Topology;
  /** Count isolated CPUs (isolcpus, nohz_full) as the places, one worker each, instead of leaving them out. [false] */
  readonly isolated?: boolean;
  /** How many places the caller's placement has (e.g. cores for `--policy cores`). [usable CPUs, see `isolated`] */
  readonly places?: number;
  /** An explicit worker count (`workers`, `-j`, `--workers`): taken as given. */
  readonly workers?: number;
  /** The CPU quota to apply (null: none), instead of reading the cgroup tree under `root`. */
  readonly quota?: CpuQuota | null;
  /** Environment to read `COREPIN_WORKERS` from. [process.env] */
  readonly env?: Readonly<Record<string, string | undefined>>;
}

/**
 * How many workers this process can really run at once, and why.
 *
 * @example
 * ```ts
 * import { capacity, type Capacity } from 'corepin';
 * const c: Capacity = capacity();
 * console.log(c.workers, c.reason); // 2 'default workers 2: 2 usable CPUs, no CPU quota'
 * ```
 */
export interface Capacity {
  /** CPUs placement may use: online, allowed, and not isolated (or only isolated, with `isolated: true`). */
  readonly usable: CpuSet;
  /** Usable CPUs that are isolated (not load-balanced by the scheduler). */
  readonly isolated: CpuSet;
  /** Places counted for the default: `options.places`, else `usable.size`. */
  readonly places: number;
  /** The tightest cgroup CPU quota, or null when none limits this process. */
  readonly quota: CpuQuota | null;
  /** The default worker count. */
  readonly workers: number;
  /** What decided it: an explicit count, `COREPIN_WORKERS`, the quota, or the places. */
  readonly decidedBy: 'workers' | 'COREPIN_WORKERS' | 'quota' | 'places';
  /** One line for people, e.g. `default workers 2: 16 usable CPUs, quota 2.0 CPUs (cpu.max of /kubepods/pod1)`. */
  readonly reason: string;
}

/**
 * What the machine really gives this process. The default worker count is
 * `min(places, max(1, floor(quota)))`, where places are the usable CPUs (or the caller's count)
 * and quota is the tightest cgroup CPU quota in CPUs; `workers` or `COREPIN_WORKERS` override it.
 *
 * Floor, not ceil (Go 1.25 and the JVM round up): with a 2.5-CPU quota, 3 busy workers ask for
 * 3 CPUs of time and get throttled for part of every period, which shows up as latency spikes in
 * every worker; 2 workers never hit the limit. A quota below 1 still gives 1 worker.
 *
 * Isolated CPUs are not load-balanced: they count only with `isolated: true`, and then placement
 * gives each worker exactly one of them.
 *
 * @throws {WorkerCountError} when `COREPIN_WORKERS` or `workers` is not a whole number ≥ 1.
 *
 * @example
 * ```ts
 * import { capacity } from 'corepin';
 * console.log(capacity().reason); // e.g. 'default workers 2: 16 usable CPUs, quota 2.0 CPUs (cpu.max of /kubepods/…)'
 * ```
 */
export function capacity(options: CapacityOptions = {}): Capacity {
  const root = options.root ?? '/';
  const topology = options.topology ?? readTopology(root);
  const isolated = topology.usable.intersect(topology.isolated);
  const plain = topology.usable.difference(isolated);
  // With every usable CPU isolated and isolation not asked for, there is nothing else to use.
  const usable = options.isolated ? isolated : plain.isEmpty ? topology.usable : plain;
  const places = options.places ?? usable.size;
  const quota = options.quota !== undefined ? options.quota : readCgroupCpuQuota(root);
  const cpus = `${usable.size} usable ${options.isolated ? 'isolated ' : ''}CPU${usable.size === 1 ? '' : 's'}${places !== usable.size ? ` (${places} places)` : ''}`;
  const quotaText = quota === null ? 'no CPU quota' : `quota ${quota.cpus.toFixed(1)} CPUs (${quota.file} of ${quota.cgroup})`;
  const base = { usable, isolated, places, quota };
  if (options.workers !== undefined) {
    const n = checkCount('workers', String(options.workers));
    return { ...base, workers: n, decidedBy: 'workers', reason: `workers ${n}: set explicitly; ${cpus}, ${quotaText}` };
  }
  const env = (options.env ?? process.env)['COREPIN_WORKERS'];
  if (env !== undefined && env.trim() !== '') {
    const n = checkCount('COREPIN_WORKERS', env);
    return { ...base, workers: n, decidedBy: 'COREPIN_WORKERS', reason: `default workers ${n}: COREPIN_WORKERS=${env.trim()}; ${cpus}, ${quotaText}` };
  }
  const byQuota = quota === null ? Infinity : Math.max(1, Math.floor(quota.cpus));
  const workers = Math.max(1, Math.min(places, byQuota));
  return { ...base, workers, decidedBy: byQuota < places ? 'quota' : 'places', reason: `default workers ${workers}: ${cpus}, ${quotaText}` };
}

/**
 * The default worker count alone: `capacity(options).workers`.
 *
 * @example
 * ```ts
 * import { defaultWorkers, Pool } from 'corepin';
 * new Pool({ module: new URL('./work.js', import.meta.url), workers: defaultWorkers() });
 * ```
 */
export function defaultWorkers(options: CapacityOptions = {}): number {
  return capacity(options).workers;
}

function checkCount(origin: string, value: string): number {
  const t = value.trim();
  if (!/^\d+$/.test(t) || Number(t) < 1 || !Number.isSafeInteger(Number(t))) throw new WorkerCountError(origin, value);
  return Number(t);
}
