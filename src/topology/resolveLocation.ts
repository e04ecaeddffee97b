import { CpuSet } from '../cpuset/CpuSet.js';
import { LocationError } from './errors.js';
import type { ObjectType, TopoObject, Topology } from './Topology.js';

const TYPES: Record<string, ObjectType> = {
  machine: 'machine',
  package: 'package',
  socket: 'package',
  die: 'die',
  cluster: 'cluster',
  book: 'book',
  drawer: 'drawer',
  numa: 'numa',
  node: 'numa',
  l3: 'l3',
  l2: 'l2',
  core: 'core',
  pu: 'pu',
  thread: 'pu',
};

const NAMES: Record<ObjectType, [string, string]> = {
  machine: ['machine', 'machines'],
  package: ['package', 'packages'],
  die: ['die', 'dies'],
  cluster: ['cluster', 'clusters'],
  book: ['book', 'books'],
  drawer: ['drawer', 'drawers'],
  numa: ['NUMA node', 'NUMA nodes'],
  l3: ['L3 domain', 'L3 domains'],
  l2: ['L2 domain', 'L2 domains'],
  core: ['core', 'cores'],
  pu: ['PU', 'PUs'],
};

/**
 * Whether `text` uses the location grammar (has a `type:` item) rather than being a plain CPU list or mask.
 *
 * @example
 * ```ts
 * import { isLocation } from 'corepin';
 * isLocation('core:0-1');  // true
 * isLocation('0-3');       // false: a plain CPU list
 * ```
 */
export function isLocation(text: string): boolean {
  return text.split(',').some((item) => /^\s*[a-z][a-z0-9]*:/i.test(item));
}

/**
 * Resolves a location against a topology to the usable CPUs it names.
 *
 * Grammar: comma-separated items; an item is either a plain CPU list item (`7`, `0-3`, `0-31:2`,
 * OS numbers, taken as written) or a location `type:index` where type is one of package (socket),
 * die, cluster, book, drawer, numa (node), l3, l2, core, pu (thread), machine, and index is `N`, `N-M`, `all`, `even` or
 * `odd`. Locations nest with dots: `package:1.core:2` is the third core of the second package.
 * Logical indices count usable objects (with at least one online, allowed PU) in tree order, and
 * the result holds only usable PUs of the named objects.
 *
 * @example resolveLocation('core:0,pu:7', topo)   // the first core's PUs plus the eighth usable PU
 * @throws {LocationError} for an unknown type, a level this machine does not report, an index out of
 * range (naming the valid range), bad syntax, or a location that selects nothing.
 */
export function resolveLocation(text: string, topology: Topology): CpuSet {
  if (text.trim() === '') throw new LocationError(text, text, 'is empty; write e.g. core:0-3 or 0-3');
  let out = CpuSet.EMPTY;
  for (const raw of text.split(',')) {
    const item = raw.trim();
    if (item === '') throw new LocationError(text, raw, 'empty item (two commas, or a comma at an end)');
    if (/^\d/.test(item)) {
      try {
        out = out.union(CpuSet.parse(item, 'list'));
      } catch (err) {
        throw new LocationError(text, item, `is not a CPU number or range (${(err as Error).message})`);
      }
      continue;
    }
    out = out.union(resolveItem(text, item, topology));
  }
  return out;
}

function resolveItem(input: string, item: string, topology: Topology): CpuSet {
  let parents: readonly TopoObject[] = [topology.machine];
  let parentLabel = '';
  let selected: TopoObject[] = [];
  for (const segment of item.split('.')) {
    const m = /^([a-z][a-z0-9]*):(.*)$/i.exec(segment);
    if (!m) throw new LocationError(input, segment, 'is not type:index (like core:0-3, numa:1, pu:all)');
    const typeName = m[1]!.toLowerCase();
    const type = Object.hasOwn(TYPES, typeName) ? TYPES[typeName]! : undefined;
    if (type === undefined) {
      throw new LocationError(input, segment, `has unknown type ${JSON.stringify(m[1])}; types on this machine: ${availableTypes(topology)}`);
    }
    if (type !== 'machine' && !topology.has(type)) {
      throw new LocationError(input, segment, `names ${NAMES[type][1]}, which this machine does not report; types on this machine: ${availableTypes(topology)}`);
    }
    selected = [];
    for (const parent of parents) {
      const candidates = usableObjects(topology, type).filter((o) => o.cpus.isSubsetOf(parent.cpus));
      const where = parentLabel ? ` in ${parentLabel.replace(/:.*$/, '')} ${parent.index}` : '';
      const picked = pick(m[2]!, candidates.length, () => {
        const range = candidates.length === 0 ? 'none' : candidates.length === 1 ? `${typeName}:0` : `${typeName}:0-${candidates.length - 1}`;
        return `${candidates.length} usable ${NAMES[type][candidates.length === 1 ? 0 : 1]}${where} (${range})`;
      }, input, segment);
      for (const i of picked) selected.push(candidates[i]!);
    }
    parents = selected;
    parentLabel = segment;
  }
  let cpus = CpuSet.EMPTY;
  for (const o of selected) cpus = cpus.union(o.cpus.intersect(topology.usable));
  if (cpus.isEmpty) throw new LocationError(input, item, `selects no usable CPU; usable CPUs are ${topology.usable.toList() || '(none)'}`);
  return cpus;
}

/** Objects of a type that hold at least one usable PU, in logical order. */
function usableObjects(topology: Topology, type: ObjectType): readonly TopoObject[] {
  const all = type === 'machine' ? [topology.machine] : topology.objects(type);
  return all.filter((o) => !o.cpus.intersect(topology.usable).isEmpty);
}

function pick(spec: string, count: number, valid: () => string, input: string, segment: string): number[] {
  const s = spec.trim().toLowerCase();
  const all = Array.from({ length: count }, (_, i) => i);
  if (s === 'all') return all;
  if (s === 'even' || s === 'odd') {
    const out = all.filter((i) => i % 2 === (s === 'even' ? 0 : 1));
    if (out.length === 0) throw new LocationError(input, segment, `selects nothing: there are ${valid()}`);
    return out;
  }
  const m = /^(\d+)(?:-(\d+))?$/.exec(s);
  if (!m) throw new LocationError(input, segment, `has a bad index ${JSON.stringify(spec)}; use N, N-M, all, even or odd`);
  const first = Number(m[1]);
  const last = m[2] === undefined ? first : Number(m[2]);
  if (last < first) throw new LocationError(input, segment, `range ${first}-${last} ends before it starts`);
  if (last >= count) throw new LocationError(input, segment, `is out of range: there are ${valid()}`);
  return all.slice(first, last + 1);
}

function availableTypes(topology: Topology): string {
  const names = ['package', 'die', 'numa', 'l3', 'l2', 'core', 'pu'] as const;
  return ['machine', ...names.filter((t) => topology.has(t))].join(', ');
}
