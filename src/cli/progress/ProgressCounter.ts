/**
 * Counts done and failed units and derives rate and ETA from the wall clock, for both the terminal
 * bar and the plain lines (so both show the same numbers).
 */
export class ProgressCounter {
  /** Units finished, failed ones included. */
  done = 0;
  /** Units that failed. */
  failed = 0;
  /** Units expected, or undefined while unknown. */
  total: number | undefined;
  readonly #start: number;
  readonly #now: () => number;

  /** @param now clock in milliseconds (a parameter so tests can drive it). */
  constructor(total?: number, now: () => number = () => performance.now()) {
    this.total = total;
    this.#now = now;
    this.#start = now();
  }

  /** Records one finished unit. */
  tick(ok: boolean): void {
    this.done++;
    if (!ok) this.failed++;
  }

  /** Seconds since the counter was made. */
  get elapsed(): number {
    return (this.#now() - this.#start) / 1000;
  }

  /** Units per second so far (0 before the first one). */
  get rate(): number {
    const s = this.elapsed;
    return s > 0 ? this.done / s : 0;
  }

  /** Seconds left at the current rate, or undefined when the total or the rate is unknown. */
  get eta(): number | undefined {
    if (this.total === undefined || this.rate === 0) return undefined;
    return Math.max(0, this.total - this.done) / this.rate;
  }
}

/** `12.3/s`, `1.2k/s`: compact rate for one line. */
export function formatRate(rate: number): string {
  if (rate >= 10_000) return `${(rate / 1000).toFixed(0)}k/s`;
  if (rate >= 1000) return `${(rate / 1000).toFixed(1)}k/s`;
  return `${rate.toFixed(rate >= 100 ? 0 : 1)}/s`;
}

/** `5s`, `2m05s`, `1h02m`, or `?` when unknown. */
export function formatSeconds(s: number | undefined): string {
  if (s === undefined || !Number.isFinite(s)) return '?';
  const t = Math.round(s);
  if (t < 60) return `${t}s`;
  if (t < 3600) return `${Math.floor(t / 60)}m${String(t % 60).padStart(2, '0')}s`;
  return `${Math.floor(t / 3600)}h${String(Math.floor((t % 3600) / 60)).padStart(2, '0')}m`;
}
