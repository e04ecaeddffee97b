/** Sizes and rounds of one suite run; `--quick` shrinks everything for a smoke run. */
export interface BenchConfig {
  readonly quick: boolean;
  /** Interleaved rounds per phase; medians are over these. */
  readonly rounds: number;
  /** Workers per pool (2, as the issues' goals are stated). */
  readonly workers: number;
  /** Trivial tasks run on each fresh pool before anything is timed. */
  readonly warmup: number;
  /** Task counts of the throughput workloads. */
  readonly sizes: {
    readonly 'apply-burst': number;
    readonly 'apply-closed': number;
    readonly 'map-auto': number;
    readonly 'imap-1': number;
    readonly 'imap-1000': number;
  };
  /** Tasks per round with `maxTasksPerChild: 1`. */
  readonly recycleTasks: number;
  /**
   * The cache-hungry workload: array size, dependent loads per task, tasks per round, and its own
   * round count (more, shorter rounds than the other phases: its goal compares spreads over rounds).
   */
  readonly cache: { readonly bytes: number; readonly steps: number; readonly tasks: number; readonly rounds: number };
  /** The sweeps (bench/sweeps/): rounds, and the size of each sample. */
  readonly sweeps: {
    readonly rounds: number;
    /** Bytes sent per payload sample (tasks = budget ÷ payload size, between 32 and payloadMaxTasks). */
    readonly payloadBudget: number;
    readonly payloadMaxTasks: number;
    /** Ideal wall time of one duration sample, ms; trivial tasks per sample. */
    readonly durationBudgetMs: number;
    readonly trivialTasks: number;
    /** CPU per task (µs) and tasks per sample of the workers sweep. */
    readonly workersTaskUs: number;
    readonly workersTasks: number;
    /** Task counts of the imap sweep. */
    readonly taskCounts: readonly number[];
  };
  /** Floors (bench/floors/): echoes per sample, one message per task and in batches; start pairs. */
  readonly floors: { readonly perTask: number; readonly batched: number; readonly ring: number; readonly startPairs: number };
  /** A sample that takes longer than this is recorded as failed (so one hung peer cannot hang the suite). */
  readonly sampleTimeoutMs: number;
}

/** The full configuration (under 10 minutes on a 2-core machine) or the quick smoke run (under 1 minute). */
export function benchConfig(quick: boolean, rounds?: number): BenchConfig {
  return {
    quick,
    rounds: rounds ?? (quick ? 1 : 5),
    workers: 2,
    warmup: quick ? 200 : 1000,
    sizes: quick
      ? { 'apply-burst': 2000, 'apply-closed': 2000, 'map-auto': 100_000, 'imap-1': 2000, 'imap-1000': 100_000 }
      : { 'apply-burst': 10_000, 'apply-closed': 10_000, 'map-auto': 1_000_000, 'imap-1': 10_000, 'imap-1000': 1_000_000 },
    recycleTasks: quick ? 20 : 50,
    // 12 rounds of 160 walks (was 5 of 400, about the same walks): a spread over 5 rounds picked the
    // steadier side only ~77-85 % of the time, 12 ~92 %; with the warm-up round (cachePhase.ts) ~10 s
    // more in a full run (bench/history/walk.md). --rounds N sets N.
    cache: quick ? { bytes: 2 << 20, steps: 100_000, tasks: 20, rounds: rounds ?? 1 } : { bytes: 2 << 20, steps: 200_000, tasks: 160, rounds: rounds ?? 12 },
    sweeps: quick
      ? { rounds: 1, payloadBudget: 4 << 20, payloadMaxTasks: 500, durationBudgetMs: 40, trivialTasks: 1000, workersTaskUs: 1000, workersTasks: 100, taskCounts: [1e3, 1e4, 1e5] }
      : { rounds: 3, payloadBudget: 32 << 20, payloadMaxTasks: 5000, durationBudgetMs: 200, trivialTasks: 5000, workersTaskUs: 1000, workersTasks: 400, taskCounts: [1e3, 1e4, 1e5, 1e6, 1e7] },
    floors: quick
      ? { perTask: 10_000, batched: 100_000, ring: 200_000, startPairs: 4 }
      : { perTask: 100_000, batched: 1_000_000, ring: 2_000_000, startPairs: 15 },
    sampleTimeoutMs: quick ? 60_000 : 120_000,
  };
}
