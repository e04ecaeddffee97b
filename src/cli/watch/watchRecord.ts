import type { ProcessSample } from './ThreadSampler.js';

/** One thread in `corepin watch --json` output. */
export interface WatchThreadRecord {
  tid: number;
  name: string;
  /** Allowed CPUs as a list. */
  cpus: string;
  /** Allowed CPUs are narrower than the process's usable CPUs. */
  pinned: boolean;
  /** CPU it is on now. */
  cpu: number | null;
  /** % of one CPU since the previous sample. */
  cpuPercent: number | null;
  /** Migrations since watching began. */
  migrations: number | null;
  /** The kernel's count over the thread's life. */
  migrationsTotal: number | null;
  /** Nice value, null when unknown. */
  nice: number | null;
  /** Scheduling class (`other`, `batch`, `idle` …), null when unknown. */
  sched: string | null;
}

/** One sample in `corepin watch --json` output (one JSON line per sample). */
export interface WatchRecord {
  pid: number;
  name: string;
  /** ISO time of the sample. */
  at: string;
  /** CPUs the process may use, as a list. */
  usable: string;
  /** Threads that exited since watching began. */
  exited: number;
  /** The main thread's memory policy (numa_maps: `default`, `bind:0`, `prefer:0`, `interleave:0-1`, `local`), null when unreadable. */
  memory: string | null;
  threads: WatchThreadRecord[];
}

/** The stable JSON shape of a watch sample. */
export function watchRecord(s: ProcessSample): WatchRecord {
  return {
    pid: s.pid,
    name: s.name,
    at: new Date(s.at).toISOString(),
    usable: s.usable.toList(),
    exited: s.exited,
    memory: s.memory,
    threads: s.threads.map((t) => ({
      tid: t.tid,
      name: t.name,
      cpus: t.cpus.toList(),
      pinned: t.pinned,
      cpu: t.cpu,
      cpuPercent: t.cpuPercent === null ? null : Math.round(t.cpuPercent * 10) / 10,
      migrations: t.migrations,
      migrationsTotal: t.migrationsTotal,
      nice: t.nice,
      sched: t.sched,
    })),
  };
}
