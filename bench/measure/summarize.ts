/** Median and spread of one series of per-round values. */
export interface Summary {
  readonly median: number;
  readonly min: number;
  readonly max: number;
  /** (max − min) / median: the run-to-run spread, as a fraction of the median. */
  readonly spread: number;
  /** How many rounds produced a value. */
  readonly n: number;
}

/** Summarizes per-round values; the median of an even count is the mean of the middle two. */
export function summarize(values: readonly number[]): Summary | null {
  if (values.length === 0) return null;
  const s = [...values].sort((a, b) => a - b);
  const mid = s.length >> 1;
  const median = s.length % 2 === 1 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
  const min = s[0]!;
  const max = s[s.length - 1]!;
  return { median, min, max, spread: median === 0 ? 0 : (max - min) / median, n: s.length };
}

/** The q-quantile (0 ≤ q ≤ 1) of `values` by the nearest-rank rule (p99 of 400 values is the 396th smallest); NaN when empty. */
export function quantile(values: readonly number[], q: number): number {
  if (values.length === 0) return NaN;
  const s = [...values].sort((a, b) => a - b);
  const rank = Math.min(s.length, Math.max(1, Math.ceil(q * s.length)));
  return s[rank - 1]!;
}
