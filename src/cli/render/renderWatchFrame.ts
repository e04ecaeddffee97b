import type { ProcessSample, ThreadSample } from '../watch/ThreadSampler.js';
import { coreMap, type CpuLayout } from '../report/CpuLayout.js';
import { renderTable } from './renderTable.js';

/** How a watch frame is drawn. */
export interface WatchFrameOptions {
  /** The machine's layout, for the per-core strip. */
  readonly layout: CpuLayout;
  /** Seconds between samples, shown in the header. */
  readonly intervalSeconds: number;
  /** Seconds since watching began. */
  readonly elapsedSeconds: number;
  /** Most thread rows to draw (the terminal's height); the rest are summarised in one line. */
  readonly maxRows?: number;
}

/** The legend printed under every frame (two short lines, to fit an 80-column terminal). */
export const WATCH_LEGEND = [
  'STRIP: # on this CPU now  - allowed  . not allowed  [ ] a package, / between cores',
  'MIGR: migrations since watching began (+N: during the last interval)   q or Ctrl-C: stop',
];

/**
 * One frame of `corepin watch`: a header, then per thread its name, allowed CPUs, the CPU it is on,
 * CPU %, migrations since watching began (`+N` when it moved during the last interval), and a strip
 * with one character per PU where `#` shows where it runs now — so hops are visible frame to frame.
 */
export function renderWatchFrame(sample: ProcessSample, o: WatchFrameOptions): string[] {
  const threads = [...sample.threads];
  const limit = o.maxRows === undefined ? threads.length : Math.max(1, o.maxRows);
  const shown = threads.slice(0, limit);
  // NICE/SCHED only when some thread is not at the default (nice 0, class other): the usual frame stays 80 columns.
  const classed = threads.some((t) => (t.nice !== null && t.nice !== 0) || (t.sched !== null && t.sched !== 'other'));
  const rows = [
    ['TID', 'NAME', 'PINNED', 'CPUS', 'NOW', 'CPU%', 'MIGR', ...(classed ? ['NICE', 'SCHED'] : []), 'STRIP'],
    ...shown.map((t) => [
      String(t.tid),
      t.name,
      t.pinned ? 'yes' : 'no',
      t.cpus.toList(),
      t.cpu === null ? '-' : String(t.cpu),
      t.cpuPercent === null ? '-' : t.cpuPercent.toFixed(0),
      migrationsCell(t),
      ...(classed ? [String(t.nice ?? '-'), t.sched ?? '-'] : []),
      strip(t, o.layout),
    ]),
  ];
  const lines = [
    `corepin watch  pid ${sample.pid} (${sample.name})  ${threads.length} thread${threads.length === 1 ? '' : 's'}` +
      `${sample.exited > 0 ? `, ${sample.exited} exited` : ''}  usable CPUs ${sample.usable.toList()}${sample.memory !== null && sample.memory !== 'default' ? `  memory ${sample.memory}` : ''}  every ${o.intervalSeconds}s  ${Math.round(o.elapsedSeconds)}s`,
    '',
    ...renderTable(rows, classed ? [0, 4, 5, 7] : [0, 4, 5]).split('\n'),
  ];
  if (threads.length > shown.length) lines.push(`… ${threads.length - shown.length} more threads (make the terminal taller, or use --once --json)`);
  lines.push('', ...WATCH_LEGEND);
  return lines;
}

function migrationsCell(t: ThreadSample): string {
  if (t.migrations === null) return '-';
  return t.recentMigrations > 0 ? `${t.migrations} +${t.recentMigrations}` : String(t.migrations);
}

function strip(t: ThreadSample, layout: CpuLayout): string {
  return coreMap(layout, (cpu) => {
    if (cpu === t.cpu) return t.cpus.has(cpu) ? '#' : '!';
    return t.cpus.has(cpu) ? '-' : '.';
  });
}
