import type { Pu, Topology } from '../../topology/Topology.js';
import type { CpuSet } from '../../cpuset/CpuSet.js';
import { displayTree, formatBytes } from './displayTree.js';
import type { DisplayNode } from './displayTree.js';

/** How {@link renderTopologyText} draws. */
export interface TopologyTextOptions {
  /** Line width to wrap core rows at. [80] */
  readonly width?: number;
  /** ANSI colours for PU states. [false] */
  readonly color?: boolean;
  /** Text for one PU; default: its CPU number with state marks (`x` offline, `-` not allowed, `i` isolated). */
  readonly label?: (pu: Pu) => string;
  /** Extra legend lines (e.g. what a plan's labels mean). */
  readonly legend?: readonly string[];
}

const ANSI = { dim: '\x1b[2m', red: '\x1b[31m', yellow: '\x1b[33m', reset: '\x1b[0m' };

/**
 * The machine as indented text: one header per package / NUMA node / L3 (merged when they hold the
 * same CPUs), then a row of cores `[0 32]` wrapped at `width`, so that 256 CPUs take ~40 lines.
 * Core kinds show as a prefix (`P[0 1]`, `E[16]`); marks and a legend explain unusable PUs.
 */
export function renderTopologyText(topology: Topology, options: TopologyTextOptions = {}): string {
  const width = Math.max(40, options.width ?? 80);
  const color = options.color ?? false;
  const baseLabel = options.label ?? puMarks;
  const paint = (pu: Pu, text: string): string => {
    if (!color) return text;
    const c = !pu.online ? ANSI.red : !pu.allowed ? ANSI.dim : pu.isolated ? ANSI.yellow : '';
    return c ? `${c}${text}${ANSI.reset}` : text;
  };
  const cell = (node: DisplayNode): Token => {
    if (node.kind === 'pu') {
      const t = baseLabel(node.pu);
      return { text: paint(node.pu, t), len: t.length };
    }
    if (node.kind === 'core') {
      const prefix = node.object.kind ? node.object.kind[0]!.toUpperCase() : '';
      const parts = node.pus.map((p) => ({ raw: baseLabel(p), p }));
      const raw = `${prefix}[${parts.map((x) => x.raw).join(' ')}]`;
      return { text: `${prefix}[${parts.map((x) => paint(x.p, x.raw)).join(' ')}]`, len: raw.length };
    }
    const inner = node.children.map(cell);
    // An L2 shared by several cores (E-core clusters, ARM): braces around its cores.
    return { text: `{${inner.map((t) => t.text).join(' ')}}`, len: inner.reduce((n, t) => n + t.len + 1, 1) };
  };

  const lines: string[] = [summary(topology)];
  const draw = (node: DisplayNode, indent: string): void => {
    if (node.kind !== 'group') {
      lines.push(...wrap(indent, [cell(node)], width));
      return;
    }
    const header = `${indent}${node.labels.join(' · ')}`;
    // Cores (and L2 clusters of cores) go on the header's line; bigger groups get lines of their own.
    const inline = node.children.every((c) => c.kind !== 'group' || (c.object.type === 'l2' && c.children.every((g) => g.kind === 'core')));
    if (!inline) {
      lines.push(`${header} · CPUs ${node.object.cpus.toList()}`);
      for (const child of node.children) draw(child, `${indent}  `);
      return;
    }
    const tokens = node.children.map(cell);
    if (header.length + 2 <= width / 2) {
      const rows = wrap(' '.repeat(header.length + 2), tokens, width);
      rows[0] = `${header}  ${rows[0]!.trimStart()}`;
      lines.push(...rows);
    } else {
      lines.push(header);
      lines.push(...wrap(`${indent}  `, tokens, width));
    }
  };
  const tree = displayTree(topology);
  const placed = tree.filter((n) => n.kind !== 'pu');
  const loose = tree.filter((n) => n.kind === 'pu');
  for (const node of placed) draw(node, '');
  if (loose.length > 0) {
    lines.push(`no topology (offline)  ${wrap('', loose.map(cell), width - 24).join(`\n${' '.repeat(24)}`)}`);
  }
  lines.push(...legend(topology, options));
  return `${lines.join('\n')}\n`;
}

interface Token {
  readonly text: string;
  readonly len: number;
}

/** Wraps tokens at `width`, then evens the rows out (8 cores as 4 + 4, not 7 + 1). */
function wrap(indent: string, tokens: readonly Token[], width: number): string[] {
  const greedy = greedyWrap(indent, tokens, width);
  if (greedy.length < 2) return greedy;
  const per = Math.ceil(tokens.length / greedy.length);
  const rows: string[] = [];
  for (let i = 0; i < tokens.length; i += per) {
    const chunk = tokens.slice(i, i + per);
    if (indent.length + chunk.reduce((n, t) => n + t.len + 1, -1) > width) return greedy;
    rows.push(indent + chunk.map((t) => t.text).join(' '));
  }
  return rows;
}

function greedyWrap(indent: string, tokens: readonly Token[], width: number): string[] {
  const rows: string[] = [];
  let line = indent;
  let len = indent.length;
  let empty = true;
  for (const t of tokens) {
    if (!empty && len + 1 + t.len > width) {
      rows.push(line);
      line = indent;
      len = indent.length;
      empty = true;
    }
    line += empty ? t.text : ` ${t.text}`;
    len += empty ? t.len : t.len + 1;
    empty = false;
  }
  rows.push(line);
  return rows;
}

/** CPU number plus marks: `x` offline, `-` online but not allowed, `i` isolated. */
export function puMarks(pu: Pu): string {
  return `${pu.cpu}${pu.online ? '' : 'x'}${pu.online && !pu.allowed ? '-' : ''}${pu.isolated ? 'i' : ''}`;
}

function summary(t: Topology): string {
  const n = (type: Parameters<Topology['objects']>[0], one: string, many: string): string | null => {
    const c = t.objects(type).length;
    return c === 0 ? null : `${c} ${c === 1 ? one : many}`;
  };
  const parts = [
    n('drawer', 'drawer', 'drawers'),
    n('book', 'book', 'books'),
    n('package', 'package', 'packages'),
    n('die', 'die', 'dies'),
    n('numa', 'NUMA node', 'NUMA nodes'),
    n('l3', 'L3', 'L3'),
    n('cluster', 'cluster', 'clusters'),
    n('l2', 'L2', 'L2'),
    n('core', 'core', 'cores'),
    `${t.pus.length} PU${t.pus.length === 1 ? '' : 's'}`,
  ].filter((p) => p !== null);
  const kinds = t.kinds.map((k) => `${t.objects('core').filter((c) => c.kind === k.name).length} ${k.name}`);
  return `machine · ${parts.join(' · ')}${kinds.length ? ` (${kinds.join(', ')} cores)` : ''} · usable ${t.usable.toList() || 'none'} · ${t.source}`;
}

/** ` (capacity 1024)` when every CPU of a kind reports the same `cpu_capacity`. */
function capacityOfKind(t: Topology, cpus: CpuSet): string {
  const caps = new Set(cpus.toArray().map((c) => t.pu(c)?.capacity ?? null));
  const only = caps.size === 1 ? [...caps][0] : null;
  return only === null || only === undefined ? '' : ` (capacity ${only})`;
}

function legend(t: Topology, options: TopologyTextOptions): string[] {
  const out: string[] = [];
  if (options.label === undefined) {
    const marks: string[] = [];
    if (t.pus.some((p) => !p.online)) marks.push('x offline');
    if (t.pus.some((p) => p.online && !p.allowed)) marks.push("- not allowed (affinity/cpuset)");
    if (t.pus.some((p) => p.isolated)) marks.push('i isolated');
    if (marks.length) out.push(`marks: ${marks.join(', ')}`);
  }
  if (t.kinds.length) out.push(`kinds: ${t.kinds.map((k) => `${k.name[0]!.toUpperCase()}[…] ${k.name}${capacityOfKind(t, k.cpus)}`).join(', ')}`);
  for (const n of t.numaNodes.filter((node) => node.cpus.isEmpty)) {
    const mem = n.memory !== null ? `${formatBytes(n.memory)}, ` : '';
    out.push(`memory-only NUMA ${n.id}${n.kind ? ` (${n.kind} memory)` : ''}: ${mem}local to CPUs ${n.local.toList() || 'unknown'}${n.allowed ? '' : ', not allowed (cpuset mems)'}`);
  }
  out.push(...(options.legend ?? []));
  for (const w of t.warnings) out.push(`note: ${w}`);
  return out;
}
