import os from 'node:os';

/** The 1-minute load average before a run and sampled during it, and whether that makes the run noisy. */
export interface LoadRecord {
  /** Load average when the run started. */
  readonly before: number;
  /** Samples taken during the run (every few seconds). */
  readonly during: readonly number[];
  readonly duringMean: number;
  readonly duringMax: number;
  /** Logical CPUs of the machine. */
  readonly cpus: number;
  /** True when the load, before or at any sample during the run, exceeded the CPU count. */
  readonly noisy: boolean;
}

/** A running sampler; `stop()` ends sampling and returns the record. */
export interface LoadSampler {
  stop(): LoadRecord;
}

/** Builds the record from the samples: noisy when any load exceeds the CPU count. */
export function loadRecord(before: number, during: readonly number[], cpus: number): LoadRecord {
  const duringMax = during.length > 0 ? Math.max(...during) : before;
  const duringMean = during.length > 0 ? during.reduce((a, b) => a + b, 0) / during.length : before;
  return { before, during: [...during], duringMean, duringMax, cpus, noisy: Math.max(before, duringMax) > cpus };
}

/** One phrase for headers and reports; it never calls a run quiet, only noisy or below the CPU count. */
export function describeLoad(r: LoadRecord): string {
  const during = r.during.length > 0 ? `, during ${r.duringMean.toFixed(2)} mean / ${r.duringMax.toFixed(2)} max (${r.during.length} samples)` : '';
  const verdict = r.noisy
    ? `noisy: load above the ${r.cpus} CPUs, other work shared them and every number is affected`
    : `load stayed at or below the ${r.cpus} CPUs (other work may still have run)`;
  return `load ${r.before.toFixed(2)} before${during}; ${verdict}`;
}

/** Starts sampling `os.loadavg()[0]` every `everyMs` (the timer does not keep the process alive). */
export function startLoadSampler(everyMs = 5000): LoadSampler {
  const before = os.loadavg()[0]!;
  const during: number[] = [];
  const timer = setInterval(() => during.push(os.loadavg()[0]!), everyMs);
  timer.unref();
  return {
    stop() {
      clearInterval(timer);
      during.push(os.loadavg()[0]!);
      return loadRecord(before, during, os.cpus().length);
    },
  };
}
