import type { WorkloadId } from '../workloads/Workload.js';
import { summarize, type Summary } from './summarize.js';

/** Every round's value of one workload on one peer, with what went wrong. */
export interface SeriesRecord {
  readonly workload: WorkloadId;
  readonly peer: string;
  /** One value per round that succeeded (tasks/s or ms, as the workload says). */
  readonly values: number[];
  /** Cache workloads: thread migrations of the pool's workers during each round's timed window. */
  readonly migrations: number[];
  /** Messages of rounds that failed or timed out. */
  readonly errors: string[];
  summary: Summary | null;
}

/** Collects per-round values of every (workload, peer) pair as the interleaved rounds produce them. */
export class ResultBook {
  private readonly records = new Map<string, SeriesRecord>();

  /** Records one round's value (and, for cache workloads, its migration count). */
  add(workload: WorkloadId, peer: string, value: number, migrations?: number): void {
    const r = this.record(workload, peer);
    r.values.push(value);
    if (migrations !== undefined) r.migrations.push(migrations);
    r.summary = summarize(r.values);
  }

  /** Records a failed round; the table shows the pair as failed if no round succeeded. */
  fail(workload: WorkloadId, peer: string, error: unknown): void {
    const msg = error instanceof Error ? error.message : String(error);
    this.record(workload, peer).errors.push(msg.split('\n')[0]!.slice(0, 200));
  }

  /** The record of a pair, if any round ran. */
  get(workload: WorkloadId, peer: string): SeriesRecord | undefined {
    return this.records.get(`${workload}\u0000${peer}`);
  }

  /** The median of a pair, or null when it has no value. */
  median(workload: WorkloadId, peer: string): number | null {
    return this.get(workload, peer)?.summary?.median ?? null;
  }

  /** Every record, in insertion order. */
  all(): SeriesRecord[] {
    return [...this.records.values()];
  }

  private record(workload: WorkloadId, peer: string): SeriesRecord {
    const key = `${workload}\u0000${peer}`;
    let r = this.records.get(key);
    if (!r) {
      r = { workload, peer, values: [], migrations: [], errors: [], summary: null };
      this.records.set(key, r);
    }
    return r;
  }
}
