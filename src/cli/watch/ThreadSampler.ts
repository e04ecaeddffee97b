import type { CpuSet } from '../../cpuset/CpuSet.js';
import { clockTicks, pinnableCpus, threadsOf } from '../../affinity.js';
import { NoSuchProcessError } from '../../errors.js';
import { memPolicyOfThread } from '../../launch/memoryPolicy.js';
import { schedOfThread } from '../../launch/schedClass.js';

/** One thread at one sample, as `corepin watch` shows it. */
export interface ThreadSample {
  readonly tid: number;
  readonly name: string;
  /** CPUs it may run on. */
  readonly cpus: CpuSet;
  /** Its allowed CPUs are narrower than what the process could use (someone pinned it). */
  readonly pinned: boolean;
  /** CPU it is on now (last ran on), null when unknown. */
  readonly cpu: number | null;
  /** CPU use since the previous sample, in % of one CPU; null on the first sample of a thread. */
  readonly cpuPercent: number | null;
  /** Migrations since watching began (since the thread appeared, for new threads); null when the kernel hides them. */
  readonly migrations: number | null;
  /** Migrations since the previous sample. */
  readonly recentMigrations: number;
  /** The kernel's migration count over the thread's whole life. */
  readonly migrationsTotal: number | null;
  /** Nice value and scheduling class (`other`, `batch`, `idle` …), null when it has gone. */
  readonly nice: number | null;
  readonly sched: string | null;
}

/** A sample of every thread of a process. */
export interface ProcessSample {
  readonly pid: number;
  readonly name: string;
  /** When it was taken (ms since the epoch). */
  readonly at: number;
  /** CPUs the process may be pinned to (online ∩ its cgroup cpuset). */
  readonly usable: CpuSet;
  readonly threads: readonly ThreadSample[];
  /** Threads seen earlier that have exited since watching began. */
  readonly exited: number;
  /** The main thread's memory policy as numa_maps shows it (`default`, `bind:0` …), null when unreadable. */
  readonly memory: string | null;
}

interface Seen {
  ticks: number | null;
  firstMigrations: number | null;
  lastMigrations: number | null;
}

/**
 * Samples a process's threads over time, remembering what each looked like before, so CPU % and
 * migrations can be given since the last sample and since watching began. Threads that appear are
 * picked up; threads that exit are counted.
 */
export class ThreadSampler {
  readonly pid: number;
  readonly #seen = new Map<number, Seen>();
  readonly #now: () => number;
  #lastAt: number | undefined;
  #exited = 0;

  constructor(pid: number, now: () => number = Date.now) {
    this.pid = pid;
    this.#now = now;
  }

  /** Takes a sample; null once the process has exited. */
  sample(): ProcessSample | null {
    let threads;
    try {
      threads = threadsOf(this.pid);
    } catch (err) {
      if (err instanceof NoSuchProcessError) return null;
      throw err;
    }
    // A zombie keeps its /proc entry until its parent reaps it; for a watcher it has exited.
    const main = threads.find((t) => t.tid === this.pid);
    const state = main?.state ?? null;
    if (threads.length === 0 || state === null || state === 'Z' || state === 'X') return null;
    const at = this.#now();
    const seconds = this.#lastAt === undefined ? 0 : (at - this.#lastAt) / 1000;
    const usable = pinnableCpus(this.pid).cpus;
    const hz = clockTicks();
    const out: ThreadSample[] = [];
    const alive = new Set<number>();
    for (const t of threads) {
      alive.add(t.tid);
      const ticks = t.cpuTicks;
      const before = this.#seen.get(t.tid);
      const seen: Seen = before ?? { ticks: null, firstMigrations: t.migrations, lastMigrations: t.migrations };
      const cpuPercent = before && seen.ticks !== null && ticks !== null && seconds > 0 ? ((ticks - seen.ticks) / hz / seconds) * 100 : null;
      const sc = schedOfThread(this.pid, t.tid);
      const recent = t.migrations !== null && seen.lastMigrations !== null ? t.migrations - seen.lastMigrations : 0;
      out.push({
        tid: t.tid,
        name: t.name,
        cpus: t.cpus,
        pinned: !usable.isSubsetOf(t.cpus),
        cpu: t.lastCpu,
        cpuPercent: cpuPercent === null ? null : Math.max(0, cpuPercent),
        migrations: t.migrations !== null && seen.firstMigrations !== null ? t.migrations - seen.firstMigrations : null,
        recentMigrations: before ? recent : 0,
        migrationsTotal: t.migrations,
        nice: sc?.nice ?? null,
        sched: sc?.sched ?? null,
      });
      this.#seen.set(t.tid, { ticks, firstMigrations: seen.firstMigrations, lastMigrations: t.migrations });
    }
    for (const tid of [...this.#seen.keys()]) {
      if (!alive.has(tid)) {
        this.#seen.delete(tid);
        this.#exited++;
      }
    }
    this.#lastAt = at;
    return { pid: this.pid, name: main?.name ?? out[0]?.name ?? '?', at, usable, threads: out, exited: this.#exited, memory: memPolicyOfThread(this.pid, this.pid) };
  }
}
