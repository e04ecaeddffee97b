import type { BenchResults } from '../BenchResults.js';
import { WORKLOADS, type WorkloadId } from '../workloads/Workload.js';
import { formatValue } from './formatValue.js';
import { corepinOf, medianOf, ratioToCorepin } from './ratioToCorepin.js';
import { textTable } from './textTable.js';

/** The columns of the side-by-side table (the cache workloads have their own table). */
export const MAIN_COLUMNS: readonly WorkloadId[] = [
  'apply-burst',
  'apply-closed',
  'map-auto',
  'imap-1',
  'imap-1000',
  'startup-unpinned',
  'startup-pinned',
  'recycle',
];

/**
 * The side-by-side table: one row per pool, one column per workload; each cell is the median and, in
 * parentheses, how many times better corepin of the same kind is (>1: corepin leads).
 */
export function formatMainTable(results: BenchResults, markdown = false): string {
  // Columns of phases that did not run (--only) are left out.
  const columns = MAIN_COLUMNS.filter((id) => results.series.some((s) => s.workload === id));
  const head = ['pool', ...columns.map((id) => {
    const w = WORKLOADS.find((x) => x.id === id)!;
    return `${w.title} (${w.unit === 'ms' ? 'ms' : '/s'})`;
  })];
  const rows: string[][] = [head];
  for (const peer of results.peers) {
    const row = [peer.skipped ? `${peer.label} (skipped)` : peer.label];
    for (const id of columns) {
      const record = results.series.find((s) => s.workload === id && s.peer === peer.id);
      const m = medianOf(results, id, peer.id);
      if (m === null) {
        row.push(record && record.errors.length > 0 ? 'failed' : '—');
        continue;
      }
      const w = WORKLOADS.find((x) => x.id === id)!;
      const value = formatValue(m, w.unit);
      const ratio = peer.id === corepinOf(peer) ? null : ratioToCorepin(results, id, peer);
      row.push(ratio === null ? value : `${value} (${ratio.toFixed(2)})`);
    }
    rows.push(row);
  }
  return textTable(rows, markdown);
}
