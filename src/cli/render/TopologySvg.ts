import type { Pu, Topology } from '../../topology/Topology.js';
import { displayTree } from './displayTree.js';
import type { DisplayNode } from './displayTree.js';
import { puMarks } from './TopologyText.js';

/** How {@link renderTopologySvg} draws. */
export interface TopologySvgOptions {
  /** Text inside one PU box; default its CPU number with state marks. */
  readonly label?: (pu: Pu) => string;
  /** Title line at the top. [the topology's source] */
  readonly title?: string;
}

interface Box {
  readonly w: number;
  readonly h: number;
  draw(x: number, y: number): string;
}

const PU_H = 22;
const PAD = 6;
const HEAD = 16;
const FILL = { usable: '#d6ecd2', notAllowed: '#e3e3e3', offline: '#f4c7c3', isolated: '#fde9a9' };
const GROUP_FILL: Record<string, string> = { package: '#eef2f7', die: '#e6ecf4', numa: '#f7f3e8', l3: '#ffffff', l2: '#f6f6f6' };

/**
 * The same picture as the terminal one, as a standalone SVG document: nested boxes for packages,
 * NUMA nodes and caches, cores holding their PU boxes, coloured by state (usable, not allowed,
 * offline, isolated). Large machines lay their children out in a near-square grid.
 */
export function renderTopologySvg(topology: Topology, options: TopologySvgOptions = {}): string {
  const label = options.label ?? puMarks;
  const puWidth = Math.max(28, 8 + 7 * Math.max(...topology.pus.map((p) => label(p).length)));
  const box = (node: DisplayNode): Box => {
    if (node.kind === 'pu') return puBox(node.pu, label(node.pu), puWidth);
    if (node.kind === 'core') {
      const pus = node.pus.map((p) => puBox(p, label(p), puWidth));
      const title = `core ${node.object.index}${node.object.kind ? ` ${node.object.kind[0]!.toUpperCase()}` : ''}`;
      return container(title, '#ffffff', pus, pus.length);
    }
    const kids = node.children.map(box);
    return container(node.labels.join(' · '), GROUP_FILL[node.object.type] ?? '#ffffff', kids, gridColumns(kids));
  };
  const top = displayTree(topology).map(box);
  const machine = container(options.title ?? `machine · ${topology.source}`, '#fafafa', top, gridColumns(top));
  const legendH = 24;
  const w = machine.w + 2 * PAD;
  const h = machine.h + 2 * PAD + legendH;
  const legend = (
    [
      ['usable', FILL.usable],
      ['not allowed', FILL.notAllowed],
      ['offline', FILL.offline],
      ['isolated', FILL.isolated],
    ] as const
  )
    .map(([name, fill], i) => `<rect x="${PAD + i * 110}" y="${h - legendH + 4}" width="14" height="14" fill="${fill}" stroke="#888"/><text x="${PAD + i * 110 + 20}" y="${h - legendH + 16}">${name}</text>`)
    .join('');
  return (
    `<svg xmlns="http://www.w3.org/2000/svg" width="${w}" height="${h}" viewBox="0 0 ${w} ${h}" font-family="monospace" font-size="11">\n` +
    `<rect width="${w}" height="${h}" fill="#ffffff"/>\n${machine.draw(PAD, PAD)}\n${legend}\n</svg>\n`
  );
}

/** Columns that make a grid of these boxes closest to a 16:10 landscape, so 256 CPUs stay viewable. */
function gridColumns(kids: readonly Box[]): number {
  const cw = Math.max(1, ...kids.map((k) => k.w)) + PAD;
  const ch = Math.max(1, ...kids.map((k) => k.h)) + PAD;
  let best = 1;
  let bestScore = Infinity;
  for (let cols = 1; cols <= kids.length; cols++) {
    const rows = Math.ceil(kids.length / cols);
    const score = Math.abs(Math.log((cols * cw) / (rows * ch) / 1.6));
    if (score < bestScore - 1e-9) {
      best = cols;
      bestScore = score;
    }
  }
  return best;
}

function puBox(pu: Pu, text: string, w: number): Box {
  const fill = !pu.online ? FILL.offline : !pu.allowed ? FILL.notAllowed : pu.isolated ? FILL.isolated : FILL.usable;
  return {
    w,
    h: PU_H,
    draw: (x, y) =>
      `<g><title>CPU ${pu.cpu}${pu.online ? '' : ' offline'}${pu.online && !pu.allowed ? ' not allowed' : ''}${pu.isolated ? ' isolated' : ''}</title>` +
      `<rect x="${x}" y="${y}" width="${w}" height="${PU_H}" rx="3" fill="${fill}" stroke="#777"/>` +
      `<text x="${x + w / 2}" y="${y + 15}" text-anchor="middle">${escapeXml(text)}</text></g>`,
  };
}

/** A titled box holding `kids` in a grid of `cols` columns of equal cells. */
function container(title: string, fill: string, kids: readonly Box[], cols: number): Box {
  const c = Math.max(1, cols);
  const rows = Math.ceil(kids.length / c);
  const cw = Math.max(0, ...kids.map((k) => k.w));
  const ch = Math.max(0, ...kids.map((k) => k.h));
  const w = Math.max(c * cw + (c + 1) * PAD, 7 * title.length + 2 * PAD);
  const h = HEAD + rows * ch + (rows + 1) * PAD - PAD / 2;
  return {
    w,
    h,
    draw: (x, y) => {
      const parts = [
        `<rect x="${x}" y="${y}" width="${w}" height="${h}" rx="4" fill="${fill}" stroke="#555"/>`,
        `<text x="${x + PAD}" y="${y + 12}">${escapeXml(title)}</text>`,
      ];
      kids.forEach((k, i) => parts.push(k.draw(x + PAD + (i % c) * (cw + PAD), y + HEAD + Math.floor(i / c) * (ch + PAD))));
      return parts.join('\n');
    },
  };
}

function escapeXml(s: string): string {
  return s.replace(/[<>&"]/g, (ch) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', '"': '&quot;' })[ch]!);
}
