import { CpuSet } from '../../cpuset/CpuSet.js';
import type { BindingEntry, BindingReport } from './BindingReport.js';
import { bindingMap } from './CpuLayout.js';
import { renderTable } from '../render/renderTable.js';

/**
 * A binding report for the terminal: a table (slot, pid, tid, name, CPUs, last CPU, migrations,
 * verified, tasks — columns that are empty for every entry are left out), then one core map per
 * entry in the style of `mpirun --report-bindings`:
 *
 * ```
 * slot 0 pid 4242 (node): [B/.]
 * ```
 */
export function renderBindingReport(report: BindingReport): string {
  const e = report.entries;
  const cols: { head: string; cell: (i: number) => string; right?: boolean }[] = [];
  if (e.some((x) => x.slot !== null)) cols.push({ head: 'SLOT', cell: (i) => String(e[i]!.slot ?? '-'), right: true });
  cols.push({ head: 'PID', cell: (i) => String(e[i]!.pid), right: true });
  if (e.some((x) => x.tid !== null)) cols.push({ head: 'TID', cell: (i) => String(e[i]!.tid ?? '-'), right: true });
  cols.push({ head: 'NAME', cell: (i) => e[i]!.name });
  cols.push({ head: 'CPUS', cell: (i) => e[i]!.cpus });
  cols.push({ head: 'LAST', cell: (i) => String(e[i]!.lastCpu ?? '-'), right: true });
  cols.push({ head: 'MIGRATIONS', cell: (i) => String(e[i]!.migrations ?? '-'), right: true });
  if (e.some((x) => x.verified !== null)) cols.push({ head: 'VERIFIED', cell: (i) => (e[i]!.verified === null ? '-' : e[i]!.verified ? 'yes' : 'NO') });
  if (e.some((x) => x.tasks !== undefined)) cols.push({ head: 'TASKS', cell: (i) => String(e[i]!.tasks ?? '-'), right: true });
  cols.push(...settingColumns(e));
  const rows = [cols.map((c) => c.head), ...e.map((_, i) => cols.map((c) => c.cell(i)))];
  const right = cols.flatMap((c, i) => (c.right ? [i] : []));
  const maps = e.map((x) => {
    const who = `${x.slot !== null ? `slot ${x.slot} ` : ''}pid ${x.pid}${x.tid !== null && x.tid !== x.pid ? ` tid ${x.tid}` : ''} (${x.name})`;
    return [who, bindingMap(report.layout, x.cpus ? CpuSet.parse(x.cpus, 'list') : CpuSet.EMPTY)];
  });
  const whoWidth = Math.max(0, ...maps.map(([w]) => w!.length));
  return [
    `Binding report: ${report.subject}; usable CPUs ${report.usable || '(none)'}`,
    '',
    renderTable(rows, right),
    '',
    ...maps.map(([w, m]) => `${`${w}:`.padEnd(whoWidth + 1)} ${m}`),
    ...settingNotes(e),
    '',
  ].join('\n');
}

/** Columns MEMORY, NICE, SCHED, BINDING of a binding report, each only when some entry has it. */
export function settingColumns(e: readonly BindingEntry[]): { head: string; cell: (i: number) => string; right?: boolean }[] {
  const cols: { head: string; cell: (i: number) => string; right?: boolean }[] = [];
  if (e.some((x) => x.memory !== undefined)) cols.push({ head: 'MEMORY', cell: (i) => `${e[i]!.memory ?? '-'}${e[i]!.memoryNote ? '*' : ''}` });
  if (e.some((x) => x.nice !== undefined)) cols.push({ head: 'NICE', cell: (i) => String(e[i]!.nice ?? '-'), right: true });
  if (e.some((x) => x.sched !== undefined)) cols.push({ head: 'SCHED', cell: (i) => e[i]!.sched ?? '-' });
  if (e.some((x) => x.binding !== undefined)) cols.push({ head: 'BINDING', cell: (i) => e[i]!.binding ?? '-' });
  return cols;
}

/** `* slot 1: bind fell back to preferred: …` lines for the memory notes, once per distinct note. */
export function settingNotes(e: readonly BindingEntry[]): string[] {
  const notes = new Map<string, string[]>();
  for (const x of e) {
    if (!x.memoryNote) continue;
    const who = x.slot !== null ? `slot ${x.slot}` : `tid ${x.tid ?? x.pid}`;
    notes.set(x.memoryNote, [...(notes.get(x.memoryNote) ?? []), who]);
  }
  return [...notes].map(([note, who]) => `* ${who.join(', ')}: ${note}`);
}
