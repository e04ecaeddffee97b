import type { BenchResults } from '../BenchResults.js';
import { formatValue } from './formatValue.js';
import { textTable } from './textTable.js';

/**
 * The cache-hungry workload on a busy machine: per corepin kind, pinned and unpinned — median
 * throughput, run-to-run spread, p99 task latency (median over rounds, and its spread), the tasks'
 * interquartile range (median over rounds, and that over the round's median task latency), and
 * worker-thread migrations per round (median and max; pinned to one CPU each, they cannot migrate).
 */
export function formatCacheTable(results: BenchResults, markdown = false): string {
  const rows: string[][] = [['pool', 'cache walks/s', 'spread', 'p99 latency', 'p99 spread', 'task latency IQR (÷ p50)', 'migrations/round (median, max)', 'pinned ÷ unpinned']];
  for (const kind of ['thread', 'process'] as const) {
    const peer = `corepin-${kind}`;
    const pinned = results.series.find((s) => s.workload === 'cache-pinned' && s.peer === peer);
    const unpinned = results.series.find((s) => s.workload === 'cache-unpinned' && s.peer === peer);
    for (const [label, s] of [['pinned', pinned], ['unpinned', unpinned]] as const) {
      if (!s?.summary) {
        rows.push([`corepin ${kind}, ${label}`, s && s.errors.length > 0 ? 'failed' : '—', '', '', '', '', '', '']);
        continue;
      }
      const p99 = results.series.find((x) => x.workload === `cache-p99-${label}` && x.peer === peer)?.summary;
      const iqr = results.series.find((x) => x.workload === `cache-iqr-${label}` && x.peer === peer)?.summary;
      const p50 = results.series.find((x) => x.workload === `cache-p50-${label}` && x.peer === peer)?.summary;
      const mig = [...s.migrations].sort((a, b) => a - b);
      const ratio = label === 'pinned' && pinned?.summary && unpinned?.summary ? `${(pinned.summary.median / unpinned.summary.median).toFixed(2)}×` : '';
      rows.push([
        `corepin ${kind}, ${label}`,
        formatValue(s.summary.median, 'tasks/s'),
        `${(s.summary.spread * 100).toFixed(1)} %`,
        p99 ? `${p99.median.toFixed(2)} ms` : '?',
        p99 ? `${(p99.spread * 100).toFixed(1)} %` : '?',
        iqr && p50 ? `${iqr.median.toFixed(2)} ms (${(iqr.median / p50.median).toFixed(2)})` : '?',
        mig.length ? `${mig[mig.length >> 1]}, ${mig[mig.length - 1]}` : '?',
        ratio,
      ]);
    }
  }
  return textTable(rows, markdown);
}
