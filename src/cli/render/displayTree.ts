import type { Pu, TopoObject, Topology } from '../../topology/Topology.js';

/** A node of the picture: a group (labels merged along same-CPU chains), a core, or a lone PU. */
export type DisplayNode =
  | { readonly kind: 'group'; readonly labels: readonly string[]; readonly object: TopoObject; readonly children: readonly DisplayNode[] }
  | { readonly kind: 'core'; readonly object: TopoObject; readonly pus: readonly Pu[] }
  | { readonly kind: 'pu'; readonly pu: Pu };

/**
 * The tree as pictures show it: objects with the same CPUs as their only child are merged into one
 * header (`package 0 · NUMA 0`), and an L2 that holds a single core is left out (it says nothing
 * the core does not).
 */
export function displayTree(topology: Topology): DisplayNode[] {
  return topology.machine.children.map((c) => toDisplay(topology, c));
}

function toDisplay(topology: Topology, obj: TopoObject): DisplayNode {
  if (obj.type === 'pu') return { kind: 'pu', pu: topology.pu(obj.osIndex!)! };
  if (obj.type === 'core') {
    return { kind: 'core', object: obj, pus: obj.children.map((c) => topology.pu(c.osIndex!)!) };
  }
  if (isLoneCoreL2(obj)) return toDisplay(topology, obj.children[0]!);
  const labels = [objectLabel(obj)];
  let cur = obj;
  for (;;) {
    const only = cur.children.length === 1 ? cur.children[0]! : undefined;
    if (!only || only.type === 'core' || only.type === 'pu' || isLoneCoreL2(only) || !only.cpus.equals(cur.cpus)) break;
    cur = only;
    labels.push(objectLabel(cur));
  }
  return { kind: 'group', labels, object: cur, children: cur.children.map((c) => toDisplay(topology, c)) };
}

function isLoneCoreL2(obj: TopoObject): boolean {
  return obj.type === 'l2' && obj.children.length === 1 && obj.children[0]!.type === 'core';
}

/** `package 1`, `NUMA 3`, `L3 2 (32 MiB)`, `core 5`. */
export function objectLabel(obj: TopoObject): string {
  switch (obj.type) {
    case 'numa':
      return `NUMA ${obj.osIndex ?? obj.index}`;
    case 'l3':
    case 'l2':
      return `${obj.type.toUpperCase()} ${obj.index}${obj.size !== null ? ` (${formatBytes(obj.size)})` : ''}`;
    default:
      return `${obj.type} ${obj.index}`;
  }
}

/** `512 KiB`, `32 MiB`. */
export function formatBytes(n: number): string {
  const units = ['B', 'KiB', 'MiB', 'GiB'];
  let u = 0;
  while (n >= 1024 && n % 1024 === 0 && u < units.length - 1) {
    n /= 1024;
    u++;
  }
  return `${n} ${units[u]}`;
}
