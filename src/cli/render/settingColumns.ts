import type { BindingEntry } from '../report/BindingReport.js';

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
