import { CpuSet } from '../../src/cpuset/CpuSet.js';

/** The levels the corpus test compares, in hwloc's words mapped to corepin's. */
export type CompareLevel = 'drawer' | 'book' | 'package' | 'die' | 'cluster' | 'l3' | 'l2' | 'core';

/** What an `lstopo -v` console file says about how PUs group. */
export interface HwlocGrouping {
  /** Every PU the output shows. */
  readonly pus: CpuSet;
  /** Per level: each object's PUs as a list string, sorted. A level hwloc does not show is absent. */
  readonly levels: ReadonlyMap<CompareLevel, readonly string[]>;
  /** NUMA node os index → the PUs of the object it is attached to (its locality). */
  readonly numa: ReadonlyMap<number, string>;
  /** The `CPU kind #n efficiency e cpuset 0x…` lines: each kind's PUs, most efficient (fastest) first. */
  readonly kinds: readonly string[];
}

interface Node {
  readonly level: CompareLevel | 'numa' | 'memory' | 'pu' | 'other';
  readonly os: number | null;
  readonly parent: Node | null;
  readonly pus: number[];
}

/** Which corepin level an hwloc object type (first word of a console line) stands for. */
function levelOf(word: string): Node['level'] {
  if (word === 'PU') return 'pu';
  if (word === 'Core') return 'core';
  if (word === 'Package') return 'package';
  if (word === 'Die') return 'die';
  if (word === 'L3Cache') return 'l3';
  // ia64 splits L2 into data and instruction caches; the data (or unified) one is the L2 corepin reads.
  if (word === 'L2Cache' || word === 'L2dCache') return 'l2';
  if (word.startsWith('NUMANode')) return 'numa';
  if (word === 'MemCache') return 'memory';
  if (/^Group\d*\(Cluster\)$/.test(word)) return 'cluster';
  if (/^Group\d*\(Book\)$/.test(word)) return 'book';
  if (/^Group\d*\(Drawer\)$/.test(word)) return 'drawer';
  return 'other';
}

/**
 * Parses the object tree at the top of an `lstopo -v` console file (up to the first line that is
 * neither `Machine` nor indented). Each object's PUs are the `PU … (P#n)` lines below it; a NUMA
 * node's locality is the PUs of the first non-memory object above it (hwloc attaches memory to the
 * object it is local to, possibly through a memory-side cache).
 */
export function parseHwlocConsole(text: string): HwlocGrouping {
  const stack: { indent: number; node: Node }[] = [];
  const nodes: Node[] = [];
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    if (i > 0 && !line.startsWith(' ')) break;
    const indent = line.length - line.trimStart().length;
    const word = line.trimStart().split(/[ \[]/)[0]!;
    while (stack.length > 0 && stack[stack.length - 1]!.indent >= indent) stack.pop();
    const parent = stack.length > 0 ? stack[stack.length - 1]!.node : null;
    const m = /\(P#(\d+)/.exec(line);
    const node: Node = { level: i === 0 ? 'other' : levelOf(word), os: m ? Number(m[1]) : null, parent, pus: [] };
    if (node.level === 'pu') {
      for (let p: Node | null = node; p !== null; p = p.parent) p.pus.push(node.os!);
    }
    nodes.push(node);
    stack.push({ indent, node });
  }
  const levels = new Map<CompareLevel, string[]>();
  const numa = new Map<number, string>();
  for (const n of nodes) {
    if (n.level === 'numa') {
      let p = n.parent;
      while (p !== null && p.level === 'memory') p = p.parent;
      numa.set(n.os!, CpuSet.from(p?.pus ?? []).toList());
    } else if (n.level !== 'pu' && n.level !== 'other' && n.level !== 'memory') {
      const list = levels.get(n.level) ?? [];
      list.push(CpuSet.from(n.pus).toList());
      levels.set(n.level, list);
    }
  }
  for (const list of levels.values()) list.sort();
  return { pus: CpuSet.from(nodes.filter((n) => n.level === 'pu').map((n) => n.os!)), levels, numa, kinds: parseKinds(lines) };
}

/** hwloc ranks kinds by `efficiency`, higher is better (faster). */
function parseKinds(lines: readonly string[]): string[] {
  const kinds: { efficiency: number; cpus: string }[] = [];
  for (const line of lines) {
    const m = /^CPU kind #\d+ efficiency (-?\d+) cpuset (\S+)/.exec(line);
    if (m) kinds.push({ efficiency: Number(m[1]), cpus: parseHwlocBitmap(m[2]!).toList() });
  }
  return kinds.sort((a, b) => b.efficiency - a.efficiency).map((k) => k.cpus);
}

/** An hwloc bitmap, `0x000ff000` or `0xffffffff,0x0000000f`: 32-bit words, most significant first. */
export function parseHwlocBitmap(text: string): CpuSet {
  const words = text.split(',').reverse();
  const cpus: number[] = [];
  words.forEach((w, i) => {
    const v = parseInt(w.replace(/^0x/, ''), 16);
    for (let b = 0; b < 32; b++) if ((v >>> b) & 1) cpus.push(i * 32 + b);
  });
  return CpuSet.from(cpus);
}
