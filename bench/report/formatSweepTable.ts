import type { SweepResult } from '../sweeps/SweepBook.js';
import { formatValue } from './formatValue.js';
import { textTable } from './textTable.js';

/** A sweep as a table: one row per series, one column per x; each cell the median (± spread), and peak RSS where measured. */
export function formatSweepTable(sw: SweepResult, markdown = false): string {
  const rows: string[][] = [[`${sw.xTitle} →`, ...sw.xLabels]];
  for (const s of sw.series) {
    rows.push([
      s.label,
      ...s.medians.map((m, i) => {
        if (m === null) return '—';
        const spread = s.spreads[i];
        const e = s.extra?.[i];
        const tail = spread !== null && spread !== undefined && spread > 0 ? ` ±${((spread * 100) / 2).toFixed(0)}%` : '';
        return `${formatValue(m, 'tasks/s')}/s${tail}${e !== null && e !== undefined ? `, ${(e / (1 << 20)).toFixed(0)} MB` : ''}`;
      }),
    ]);
  }
  return textTable(rows, markdown);
}
