import os from 'node:os';
import { cpuSnapshot, cpuUse, type CpuSnapshot } from './cpuTime.js';

/**
 * Other work (CPUs kept busy by processes outside the suite's own tree), averaged over the run, above
 * which a run is noisy: a quarter of a CPU. Below it, another process took at most ~1/8 of each of
 * the 2 CPUs on average — about the run-to-run spread of the fastest rows; above it, whole rounds
 * can lose a CPU to other work.
 */
export const OTHER_WORK_LIMIT = 0.25;

/** The load before a run and during it, the other work during it, and whether that makes the run noisy. */
export interface LoadRecord {
  /** 1-minute load average when the run started. */
  readonly before: number;
  /** Load average samples taken during the run (every few seconds); recorded, not used for the verdict. */
  readonly during: readonly number[];
  readonly duringMean: number;
  readonly duringMax: number;
  /**
   * Other work per sample interval, in CPUs: busy jiffies of the whole machine (/proc/stat) minus the
   * CPU time of the suite's own process tree (itself, its workers, Python, the CPU hog). Empty when
   * /proc could not be read.
   */
  readonly other: readonly number[];
  /** Mean of `other` weighted by interval length (null when unknown). */
  readonly otherMean: number | null;
  readonly otherMax: number | null;
  /** Logical CPUs of the machine. */
  readonly cpus: number;
  /** True when the load before the run exceeded the CPU count, or other work averaged above {@link OTHER_WORK_LIMIT} CPUs, or other work is unknown. */
  readonly noisy: boolean;
}

/** A running sampler; `stop()` ends sampling and returns the record. */
export interface LoadSampler {
  stop(): LoadRecord;
}

/**
 * Builds the record. The load average during the run counts the suite's own workers, Python and the
 * CPU hog, so it exceeds the CPU count by construction; only the load before the run and the other
 * work decide. `other` without `otherMean` is averaged plainly (equal intervals).
 */
export function loadRecord(before: number, during: readonly number[], cpus: number, other: readonly number[], otherMean?: number): LoadRecord {
  const duringMax = during.length > 0 ? Math.max(...during) : before;
  const duringMean = during.length > 0 ? during.reduce((a, b) => a + b, 0) / during.length : before;
  const known = other.length > 0;
  const mean = known ? (otherMean ?? other.reduce((a, b) => a + b, 0) / other.length) : null;
  const max = known ? Math.max(...other) : null;
  const noisy = before > cpus || mean === null || mean > OTHER_WORK_LIMIT;
  return { before, during: [...during], duringMean, duringMax, other: [...other], otherMean: mean, otherMax: max, cpus, noisy };
}

/** One phrase for headers and reports; it never calls a run quiet, only noisy or within the limits. */
export function describeLoad(r: LoadRecord): string {
  const during = r.during.length > 0 ? `, during ${r.duringMean.toFixed(2)} mean / ${r.duringMax.toFixed(2)} max (${r.during.length} samples, the suite's own work included)` : '';
  const other = r.otherMean === null ? 'other work unknown (/proc not readable)' : `other work ${r.otherMean.toFixed(2)} CPUs mean / ${(r.otherMax ?? 0).toFixed(2)} max`;
  const why: string[] = [];
  if (r.before > r.cpus) why.push(`load before above the ${r.cpus} CPUs`);
  if (r.otherMean === null) why.push('other work could not be measured');
  else if (r.otherMean > OTHER_WORK_LIMIT) why.push(`other work above ${OTHER_WORK_LIMIT} CPUs`);
  const verdict = r.noisy
    ? `noisy: ${why.join(' and ')}, so other work shared the CPUs and every number is affected`
    : `load before at or below the ${r.cpus} CPUs and other work at or below ${OTHER_WORK_LIMIT} CPUs (some may still have run)`;
  return `load ${r.before.toFixed(2)} before${during}; ${other}; ${verdict}`;
}

/**
 * Starts sampling every `everyMs` (the timer does not keep the process alive): `os.loadavg()[0]`,
 * and other work from /proc/stat minus the tree of `root` (default: this process).
 */
export function startLoadSampler(everyMs = 5000, root = process.pid): LoadSampler {
  const before = os.loadavg()[0]!;
  const cpus = os.cpus().length;
  const during: number[] = [];
  const other: number[] = [];
  let weighted = 0;
  let weight = 0;
  const snap = (): CpuSnapshot | null => {
    try {
      return cpuSnapshot(root);
    } catch {
      return null;
    }
  };
  let last = snap();
  const sample = (): void => {
    during.push(os.loadavg()[0]!);
    const now = snap();
    if (last && now) {
      const u = cpuUse(last, now, cpus);
      const span = now.machine.total - last.machine.total;
      if (span > 0) {
        other.push(u.otherCpus);
        weighted += u.otherCpus * span;
        weight += span;
      }
    }
    last = now;
  };
  const timer = setInterval(sample, everyMs);
  timer.unref();
  return {
    stop() {
      clearInterval(timer);
      sample();
      return loadRecord(before, during, cpus, other, weight > 0 ? weighted / weight : undefined);
    },
  };
}
