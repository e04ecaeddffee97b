import type { Plan } from '../../placement/plan.js';

/**
 * Rows as aligned columns separated by two spaces, the first row being the header; numbers in
 * `rightAligned` columns are right-aligned. Trailing spaces are trimmed.
 */
export function renderTable(rows: readonly (readonly string[])[], rightAligned: readonly number[] = []): string {
  if (rows.length === 0) return '';
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => (r[i] ?? '').length)));
  return rows
    .map((r) => r.map((cell, i) => (rightAligned.includes(i) ? cell.padStart(widths[i]!) : cell.padEnd(widths[i]!))).join('  ').trimEnd())
    .join('\n');
}

/** The table under `corepin plan`'s picture: one row per slot with its CPUs, where and why. */
export function renderPlanTable(plan: Plan): string {
  const rows = [
    ['SLOT', 'CPUS', 'WHERE', 'REASON'],
    ...plan.slots.map((s) => [String(s.slot), s.cpus.toList(), s.where, s.reason]),
  ];
  const widths = [0, 1, 2].map((i) => Math.max(...rows.map((r) => r[i]!.length)));
  const head = `${plan.policy}: ${plan.workers} worker${plan.workers === 1 ? '' : 's'} on ${plan.places} place${plan.places === 1 ? '' : 's'}, usable CPUs ${plan.usable.toList()}${plan.reserved.isEmpty ? '' : `, reserved ${plan.reserved.toList()}`}`;
  return `${head}\n${rows.map((r) => r.map((c, i) => (i < 3 ? c.padEnd(widths[i]!) : c)).join('  ').trimEnd()).join('\n')}\n`;
}
