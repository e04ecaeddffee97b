import { summarize } from '../measure/summarize.js';

/** One line of a sweep: a pool (or a pool in one mode) measured at every point of the x axis. */
export interface SweepSeries {
  /** Legend label, e.g. `corepin (process), JSON`. */
  readonly label: string;
  /** Peer id, for colours (`corepin-thread`, `piscina`, `python-mp`, `ideal`, …). */
  readonly peer: string;
  /** Median over rounds at each x; null where nothing was measured (unsupported or failed). */
  readonly medians: (number | null)[];
  /** (max − min) / median over rounds at each x. */
  readonly spreads: (number | null)[];
  /** Optional second number per x (e.g. peak RSS in bytes), median over rounds. */
  readonly extra?: (number | null)[];
}

/** A finished sweep, as the report and the charts draw it. */
export interface SweepResult {
  readonly id: 'payload' | 'duration' | 'workers' | 'tasks';
  readonly title: string;
  readonly xTitle: string;
  readonly xLabels: readonly string[];
  /** What a value is. */
  readonly unit: 'tasks/s';
  /** What the extra numbers are, when there are any. */
  readonly extraUnit?: 'bytes';
  /** Caveats of this sweep (unsupported modes, what was left out). */
  readonly notes: readonly string[];
  readonly series: readonly SweepSeries[];
}

/** Collects every round's value per (series, x) while a sweep runs, then summarises to medians. */
export class SweepBook {
  private readonly values = new Map<string, { label: string; peer: string; v: number[][]; extra: number[][] }>();
  readonly notes: string[] = [];

  constructor(private readonly xCount: number) {}

  /** Records one round's value (and optional extra number) of series `label` at x index `x`. */
  add(label: string, peer: string, x: number, value: number, extra?: number): void {
    let s = this.values.get(label);
    if (!s) {
      s = { label, peer, v: Array.from({ length: this.xCount }, () => []), extra: Array.from({ length: this.xCount }, () => []) };
      this.values.set(label, s);
    }
    s.v[x]!.push(value);
    if (extra !== undefined) s.extra[x]!.push(extra);
  }

  /** Adds a note once. */
  note(line: string): void {
    if (!this.notes.includes(line)) this.notes.push(line);
  }

  /** The sweep's result, series in the order they were first recorded. */
  result(head: Omit<SweepResult, 'series' | 'notes'>): SweepResult {
    const series: SweepSeries[] = [];
    for (const s of this.values.values()) {
      const sums = s.v.map((v) => summarize(v));
      const extras = s.extra.map((v) => summarize(v)?.median ?? null);
      series.push({
        label: s.label,
        peer: s.peer,
        medians: sums.map((x) => x?.median ?? null),
        spreads: sums.map((x) => x?.spread ?? null),
        ...(extras.some((e) => e !== null) ? { extra: extras } : {}),
      });
    }
    return { ...head, notes: [...this.notes], series };
  }
}
