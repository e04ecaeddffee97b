import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { readText } from '../os/procfs.js';

/** Memory of one NUMA node, from `node<N>/meminfo`. */
export interface NodeMemory {
  /** Node id. */
  readonly node: number;
  /** MemTotal in bytes. */
  readonly total: number;
  /** MemFree in bytes. */
  readonly free: number;
}

/**
 * MemTotal and MemFree of every NUMA node under `root` (`<root>/sys/devices/system/node/node*\/meminfo`),
 * by node id. Nodes whose meminfo is missing or unreadable are left out; no node directory: [].
 */
export function readNodeMemory(root = '/'): NodeMemory[] {
  const dir = join(root, 'sys/devices/system/node');
  let names: string[];
  try {
    names = readdirSync(dir).filter((n) => /^node\d+$/.test(n));
  } catch {
    return [];
  }
  const out: NodeMemory[] = [];
  for (const name of names) {
    const text = readText(join(dir, name, 'meminfo'));
    if (text === null) continue;
    const kb = (field: string): number | null => {
      const m = new RegExp(`^Node \\d+ ${field}:\\s*(\\d+) kB`, 'm').exec(text);
      return m ? Number(m[1]) * 1024 : null;
    };
    const total = kb('MemTotal');
    const free = kb('MemFree');
    if (total !== null && free !== null) out.push({ node: Number(name.slice(4)), total, free });
  }
  return out.sort((a, b) => a.node - b.node);
}

/** `node 0: 15.5 GiB total, 3.2 GiB free` lines for `corepin topo`. */
export function renderNodeMemory(nodes: readonly NodeMemory[]): string {
  if (nodes.length === 0) return '';
  const gib = (b: number): string => `${(b / 2 ** 30).toFixed(1)} GiB`;
  return `Memory per NUMA node:\n${nodes.map((n) => `  node ${n.node}: ${gib(n.total)} total, ${gib(n.free)} free`).join('\n')}\n`;
}
