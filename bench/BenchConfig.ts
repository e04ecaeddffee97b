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
  /** The cache-hungry workload: array size, dependent loads per task, tasks per round. */
  readonly cache: { readonly bytes: number; readonly steps: number; readonly tasks: number };
  /** A sample that takes longer than this is recorded as failed (so one hung peer cannot hang the suite). */
  readonly sampleTimeoutMs: number;
}

/** The full configuration (about 3–4 minutes on a 2-core machine) or the quick smoke run. */
export function benchConfig(quick: boolean, rounds?: number): BenchConfig {
  return {
    quick,
    rounds: rounds ?? (quick ? 2 : 7),
    workers: 2,
    warmup: quick ? 200 : 1000,
    sizes: quick
      ? { 'apply-burst': 2000, 'apply-closed': 2000, 'map-auto': 100_000, 'imap-1': 2000, 'imap-1000': 100_000 }
      : { 'apply-burst': 10_000, 'apply-closed': 10_000, 'map-auto': 1_000_000, 'imap-1': 10_000, 'imap-1000': 1_000_000 },
    recycleTasks: quick ? 20 : 100,
    cache: quick ? { bytes: 2 << 20, steps: 100_000, tasks: 40 } : { bytes: 2 << 20, steps: 200_000, tasks: 400 },
    sampleTimeoutMs: quick ? 60_000 : 120_000,
  };
}
