import type { BenchResults } from '../BenchResults.js';
import { WORKLOADS, type WorkloadId } from '../workloads/Workload.js';
import { formatValue } from './formatValue.js';
import { medianOf } from './ratioToCorepin.js';

/** A bar of one panel. */
interface Bar {
  readonly label: string;
  readonly value: number;
  readonly text: string;
  readonly fill: string;
  /** Lighter bars for the unpinned half of a pair. */
  readonly light?: boolean;
}

const PANELS: readonly WorkloadId[] = [
  'apply-burst',
  'apply-closed',
  'map-auto',
  'imap-1',
  'imap-1000',
  'recycle',
  'startup-unpinned',
  'startup-pinned',
];

const PANEL_W = 480;
const LABEL_W = 175;
const BAR_H = 14;
const GAP = 5;
const TITLE_H = 26;

function escape(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

function colour(peer: string, kind: string): string {
  if (peer.startsWith('floor')) return '#adb5bd';
  if (peer.startsWith('corepin')) return kind === 'thread' ? '#e8590c' : '#c2255c';
  if (peer === 'python-mp') return '#2f9e44';
  return kind === 'thread' ? '#74c0fc' : '#1c7ed6';
}

/**
 * The chart BENCHMARKS.md shows: one panel per workload, one bar per pool (median of the run), corepin
 * in warm colours, Node peers in blue (light: threads, dark: processes), Python in green. Plain SVG, no
 * fonts or scripts beyond the system sans-serif, so it renders on GitHub.
 */
export function renderChart(results: BenchResults): string {
  const panels: { title: string; bars: Bar[] }[] = [];
  for (const id of PANELS) {
    const w = WORKLOADS.find((x) => x.id === id)!;
    const bars: Bar[] = [];
    for (const peer of results.peers) {
      const v = medianOf(results, id, peer.id);
      if (v === null) continue;
      bars.push({ label: peer.label, value: v, text: formatValue(v, w.unit), fill: colour(peer.id, peer.kind) });
    }
    if (bars.length > 0) panels.push({ title: `${w.title} — ${w.unit}, ${w.higherIsBetter ? 'higher' : 'lower'} is better`, bars });
  }
  // The cache walk in one panel: pinned next to unpinned, with the migrations each round saw.
  const cache: Bar[] = [];
  for (const peer of results.peers) {
    for (const [id, how] of [['cache-pinned', 'pinned'], ['cache-unpinned', 'unpinned']] as const) {
      const s = results.series.find((x) => x.workload === id && x.peer === peer.id);
      if (!s?.summary) continue;
      const moves = [...s.migrations].sort((a, b) => a - b);
      const m = moves.length > 0 ? `, ${moves[moves.length >> 1]} migrations/round` : '';
      cache.push({ label: `${peer.label}, ${how}`, value: s.summary.median, text: `${formatValue(s.summary.median, 'tasks/s')}${m}`, fill: colour(peer.id, peer.kind), light: how === 'unpinned' });
    }
  }
  if (cache.length > 0) panels.push({ title: 'cache walk, one CPU hog — tasks/s, higher is better', bars: cache });
  const heights = panels.map((p) => TITLE_H + p.bars.length * (BAR_H + GAP) + 12);
  const rowsOfPanels = Math.ceil(panels.length / 2);
  const rowH = Array.from({ length: rowsOfPanels }, (_, i) => Math.max(heights[2 * i] ?? 0, heights[2 * i + 1] ?? 0));
  const header = 58;
  const width = PANEL_W * 2 + 30;
  const height = header + rowH.reduce((a, b) => a + b, 0) + 10;
  const out: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="system-ui, -apple-system, Segoe UI, Helvetica, Arial, sans-serif" font-size="11">`,
    `<rect width="100%" height="100%" fill="#ffffff"/>`,
    `<text x="10" y="20" font-size="15" font-weight="bold">corepin vs peers — medians of ${results.config.rounds} interleaved rounds, ${results.config.workers} workers${results.config.quick ? ' (quick run)' : ''}</text>`,
    `<text x="10" y="38" fill="#555">${escape(results.machineLine)}</text>`,
    `<text x="10" y="52" fill="#555">${escape(results.date.slice(0, 10))} · how each number is measured: bench/README.md · spread and goals: BENCHMARKS.md</text>`,
  ];
  let y = header;
  panels.forEach((p, i) => {
    const x = 10 + (i % 2) * (PANEL_W + 10);
    const top = y;
    const max = Math.max(...p.bars.map((b) => b.value));
    out.push(`<text x="${x}" y="${top + 16}" font-weight="bold">${escape(p.title)}</text>`);
    p.bars.forEach((b, k) => {
      const by = top + TITLE_H + k * (BAR_H + GAP);
      const bw = Math.max(1, ((PANEL_W - LABEL_W - (b.text.length > 12 ? 150 : 60)) * b.value) / max);
      out.push(`<text x="${x + LABEL_W - 6}" y="${by + BAR_H - 3}" text-anchor="end">${escape(b.label)}</text>`);
      out.push(`<rect x="${x + LABEL_W}" y="${by}" width="${bw.toFixed(1)}" height="${BAR_H}" fill="${b.fill}"${b.light ? ' fill-opacity="0.5"' : ''}/>`);
      out.push(`<text x="${(x + LABEL_W + bw + 4).toFixed(1)}" y="${by + BAR_H - 3}">${escape(b.text)}</text>`);
    });
    if (i % 2 === 1 || i === panels.length - 1) y += rowH[i >> 1]!;
  });
  out.push('</svg>');
  return out.join('\n') + '\n';
}
