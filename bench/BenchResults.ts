import type { BenchConfig } from './BenchConfig.js';
import type { MachineInfo } from './measure/machineInfo.js';
import type { SeriesRecord } from './measure/ResultBook.js';
import type { PinResult } from './pinBench.js';
import type { PoolKind } from './peers/Peer.js';
import type { LoadRecord } from './measure/loadSampler.js';
import type { SweepResult } from './sweeps/SweepBook.js';

/** A compared pool as the report lists it. */
export interface PeerInfo {
  readonly id: string;
  readonly label: string;
  readonly kind: PoolKind;
  /** Why it was skipped, when it was. */
  readonly skipped: string | null;
  /** A floor row: no pool, the barest means Node (or Python's fork) allows; measured by the suite. */
  readonly floor?: boolean;
}

/** One goal of issues 4, 7 and 16, checked against this run. */
export interface GoalResult {
  readonly id: string;
  /** The goal as the issue states it. */
  readonly goal: string;
  /** `met`, `missed`, or `unknown` when a number it needs is missing. */
  readonly status: 'met' | 'missed' | 'unknown';
  /** The measured ratio or count, in words. */
  readonly measured: string;
}

/** Everything one run produced: what `--json FILE` writes and what the reports are drawn from. */
export interface BenchResults {
  readonly format: 'corepin-bench/2';
  /** ISO date-time the run started. */
  readonly date: string;
  readonly machine: MachineInfo;
  readonly machineLine: string;
  readonly config: BenchConfig;
  readonly seconds: number;
  readonly peers: readonly PeerInfo[];
  readonly series: readonly SeriesRecord[];
  readonly pin: readonly PinResult[];
  /** Load average before and during the run and other work during it; `noisy` as `loadSampler.ts` decides. */
  readonly load: LoadRecord;
  /** The sweeps that ran (payload, duration, workers, tasks). */
  readonly sweeps: readonly SweepResult[];
  readonly goals: readonly GoalResult[];
  /** Skips, failures and caveats, one line each. */
  readonly notes: readonly string[];
}
