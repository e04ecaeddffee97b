import type { BenchResults } from '../BenchResults.js';
import type { SweepResult } from '../sweeps/SweepBook.js';
import { formatValue } from './formatValue.js';

const W = 640;
const PLOT_H = 220;
const LEFT = 70;
const RIGHT = 20;
const LEGEND_ROW = 15;
const PALETTE = ['#e8590c', '#c2255c', '#f08c00', '#1c7ed6', '#74c0fc', '#5f3dc4', '#0b7285', '#2f9e44', '#868e96'];

function escape(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** A line per series over the sweep's x points; log y for rates, linear for sizes. Returns SVG elements and height used. */
function panel(sw: SweepResult, pick: (s: SweepResult['series'][number]) => (number | null)[], title: string, log: boolean, fmt: (v: number) => string, top: number): { out: string[]; height: number } {
  const out: string[] = [`<text x="10" y="${top + 14}" font-weight="bold">${escape(title)}</text>`];
  const all = sw.series.flatMap((s) => pick(s)).filter((v): v is number => v !== null && v > 0);
  const y0 = top + 28;
  if (all.length === 0) return { out: [...out, `<text x="${LEFT}" y="${y0 + 20}">no values</text>`], height: 60 };
  let lo = log ? Math.log10(Math.min(...all)) : 0;
  let hi = log ? Math.log10(Math.max(...all)) : Math.max(...all);
  if (log) {
    lo = Math.floor(lo);
    hi = Math.ceil(hi === lo ? hi + 1 : hi);
  } else hi *= 1.15;
  const yOf = (v: number): number => y0 + PLOT_H - (((log ? Math.log10(v) : v) - lo) / (hi - lo || 1)) * PLOT_H;
  const n = sw.xLabels.length;
  const xOf = (i: number): number => LEFT + ((W - LEFT - RIGHT) * (i + 0.5)) / n;
  out.push(`<rect x="${LEFT}" y="${y0}" width="${W - LEFT - RIGHT}" height="${PLOT_H}" fill="none" stroke="#ccc"/>`);
  const ticks = log ? Array.from({ length: hi - lo + 1 }, (_, k) => 10 ** (lo + k)) : [0, hi / 4, hi / 2, (3 * hi) / 4];
  for (const t of ticks) {
    const y = yOf(t === 0 ? 1e-12 : t);
    if (!log && t === 0) continue;
    out.push(`<line x1="${LEFT}" x2="${W - RIGHT}" y1="${y.toFixed(1)}" y2="${y.toFixed(1)}" stroke="#eee"/>`);
    out.push(`<text x="${LEFT - 4}" y="${(y + 4).toFixed(1)}" text-anchor="end" fill="#555">${escape(fmt(t))}</text>`);
  }
  sw.xLabels.forEach((l, i) => out.push(`<text x="${xOf(i).toFixed(1)}" y="${y0 + PLOT_H + 14}" text-anchor="middle">${escape(l)}</text>`));
  out.push(`<text x="${(LEFT + W - RIGHT) / 2}" y="${y0 + PLOT_H + 28}" text-anchor="middle" fill="#555">${escape(sw.xTitle)}</text>`);
  sw.series.forEach((s, k) => {
    const colour = s.peer === 'ideal' ? '#868e96' : PALETTE[k % PALETTE.length]!;
    const dash = s.peer === 'ideal' ? ' stroke-dasharray="5,4"' : s.label.includes('unpinned') || s.label.includes('transfer') ? ' stroke-dasharray="2,2"' : '';
    const pts = pick(s).map((v, i) => (v !== null && v > 0 ? `${xOf(i).toFixed(1)},${yOf(v).toFixed(1)}` : null));
    let run: string[] = [];
    const flush = (): void => {
      if (run.length > 1) out.push(`<polyline points="${run.join(' ')}" fill="none" stroke="${colour}" stroke-width="2"${dash}/>`);
      run = [];
    };
    for (const p of pts) {
      if (p === null) flush();
      else {
        run.push(p);
        const [cx, cy] = p.split(',');
        out.push(`<circle cx="${cx}" cy="${cy}" r="3" fill="${colour}"/>`);
      }
    }
    flush();
    const ly = y0 + PLOT_H + 44 + k * LEGEND_ROW;
    out.push(`<line x1="${LEFT}" x2="${LEFT + 24}" y1="${ly - 4}" y2="${ly - 4}" stroke="${colour}" stroke-width="2"${dash}/>`);
    out.push(`<text x="${LEFT + 30}" y="${ly}">${escape(s.label)}</text>`);
  });
  return { out, height: 28 + PLOT_H + 44 + sw.series.length * LEGEND_ROW };
}

/** One sweep as a small SVG line chart (plus peak RSS for the task-count sweep); plain SVG for GitHub. */
export function renderSweepChart(sw: SweepResult, r: BenchResults): string {
  const head = [
    `<text x="10" y="18" font-size="14" font-weight="bold">${escape(sw.title)}</text>`,
    `<text x="10" y="34" fill="#555">${escape(`${r.date.slice(0, 10)} · ${r.config.sweeps.rounds} round(s), medians · ${r.load.noisy ? 'NOISY run: other work or load before above the limits' : 'other work and load before within the limits'}`)}</text>`,
  ];
  const rate = panel(sw, (s) => s.medians, `${sw.unit}, log scale, higher is better`, true, (v) => formatValue(v, 'tasks/s'), 40);
  const parts = [...head, ...rate.out];
  let height = 40 + rate.height;
  if (sw.extraUnit === 'bytes') {
    const mem = panel(sw, (s) => s.extra ?? [], 'peak RSS of the parent process (MB), lower is better', false, (v) => `${(v / (1 << 20)).toFixed(0)} MB`, height + 10);
    parts.push(...mem.out);
    height += 10 + mem.height;
  }
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${height + 10}" viewBox="0 0 ${W} ${height + 10}" font-family="system-ui, -apple-system, Segoe UI, Helvetica, Arial, sans-serif" font-size="11">`,
    `<rect width="100%" height="100%" fill="#ffffff"/>`,
    ...parts,
    '</svg>',
  ].join('\n') + '\n';
}
