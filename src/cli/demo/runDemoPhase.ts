import type { CpuSet } from '../../cpuset/CpuSet.js';
import { threadOf } from '../../affinity.js';
import type { PlacementRequest } from '../../placement/PlacementRequest.js';
import type { Topology } from '../../topology/Topology.js';
import { Pool } from '../../pool/Pool.js';
import type { BindingReport } from '../report/BindingReport.js';
import { createProgress, type ProgressMode } from '../progress/Progress.js';
import { reportOfPool } from '../report/reportOf.js';
import { whenPoolReady } from '../run/runMap.js';
import type { PrimeCount, PrimeRange } from './demoTask.js';

/** One worker's story in a demo phase. */
export interface DemoWorker {
  readonly slot: number;
  readonly pid: number;
  /** CPUs it was allowed. */
  readonly cpus: string;
  /** Tasks it ran. */
  readonly tasks: number;
  /** Kernel-counted migrations of its task thread during the run (null where the kernel hides them). */
  readonly migrations: number | null;
  /** Distinct CPUs its tasks finished on. */
  readonly cpusSeen: readonly number[];
}

/** What one demo phase measured. */
export interface DemoPhase {
  readonly label: string;
  readonly seconds: number;
  readonly tasks: number;
  readonly numbers: number;
  readonly primes: number;
  readonly workers: readonly DemoWorker[];
  readonly report: BindingReport;
}

/** How to run a phase. */
export interface DemoPhaseOptions {
  readonly label: string;
  /** The placement request the pool resolves (`'none'`: an unpinned pool of `workers`). */
  readonly placement: PlacementRequest;
  /** The topology the plan was shown for: the pool places on the same one. */
  readonly topology: Topology;
  readonly workers: number;
  readonly kind: 'process' | 'thread';
  readonly ranges: readonly PrimeRange[];
  readonly usable: CpuSet;
  readonly progress: ProgressMode;
}

const TASK_MODULE = new URL('./demoTask.js', import.meta.url);

/**
 * Runs the demo's prime counting on one pool and measures it: wall time, throughput, primes found,
 * and per worker the tasks it ran, the CPUs they finished on and the kernel's migration count of
 * its task thread over the run (read from /proc before and after).
 */
export async function runDemoPhase(o: DemoPhaseOptions): Promise<DemoPhase> {
  const pool = new Pool({ module: TASK_MODULE, kind: o.kind, workers: o.workers, placement: o.placement, topology: o.topology });
  try {
    await whenPoolReady(pool);
    const before = new Map(pool.bindings().map((b) => [b.slot, migrationsOf(b.pid, b.tid)]));
    const progress = createProgress({ label: o.label, total: o.ranges.length }, o.progress);
    const perTid = new Map<number, { tasks: number; cpus: Set<number> }>();
    let primes = 0;
    const started = performance.now();
    try {
      for await (const r of pool.imap<PrimeCount>('countPrimes', o.ranges)) {
        primes += r.primes;
        const w = perTid.get(r.tid) ?? { tasks: 0, cpus: new Set<number>() };
        w.tasks++;
        w.cpus.add(r.cpu);
        perTid.set(r.tid, w);
        progress.tick(true);
      }
    } finally {
      progress.stop();
    }
    const seconds = (performance.now() - started) / 1000;
    const bindings = pool.bindings();
    const report = reportOfPool(`demo ${o.label.trim()} pool (${o.kind} workers)`, bindings, o.usable);
    const workers = bindings.map((b): DemoWorker => {
      const now = migrationsOf(b.pid, b.tid);
      const was = before.get(b.slot) ?? null;
      const mine = b.tid !== null ? perTid.get(b.tid) : undefined;
      return {
        slot: b.slot,
        pid: b.pid ?? 0,
        cpus: (b.cpus ?? o.usable).toList(),
        tasks: mine?.tasks ?? 0,
        migrations: now !== null && was !== null ? now - was : null,
        cpusSeen: [...(mine?.cpus ?? [])].sort((a, b) => a - b),
      };
    });
    const numbers = o.ranges.reduce((n, r) => n + (r.to - r.from), 0);
    return { label: o.label.trim(), seconds, tasks: o.ranges.length, numbers, primes, workers, report };
  } finally {
    await pool.terminate();
  }
}

/** The kernel's migration count of a worker's thread, null when it has gone or the kernel hides it. */
function migrationsOf(pid: number | null, tid: number | null): number | null {
  return pid !== null && tid !== null ? (threadOf(pid, tid)?.migrations ?? null) : null;
}
