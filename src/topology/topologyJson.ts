import type { TopoObject, Topology } from './Topology.js';

/** Version tag of {@link TopologyJson}; bumped only for incompatible changes. */
export const TOPOLOGY_JSON_SCHEMA = 'corepin-topology/1';

/** One PU in `corepin topo --json` (documented in docs/topology-json.md). */
export interface PuJson {
  cpu: number;
  package: number | null;
  die: number | null;
  core: number | null;
  numa: number | null;
  l3: number | null;
  l2: number | null;
  cluster: number | null;
  kind: string | null;
  online: boolean;
  allowed: boolean;
  isolated: boolean;
  usable: boolean;
  capacity: number | null;
}

/** A tree node in `corepin topo --json`. */
export interface ObjectJson {
  type: string;
  index: number;
  os: number | null;
  cpus: string;
  size?: number;
  kind?: string;
  children?: ObjectJson[];
}

/**
 * The whole document printed by `corepin topo --json`.
 *
 * @example
 * ```ts
 * import { readTopology, topologyToJson } from 'corepin';
 * const json = topologyToJson(readTopology());
 * console.log(json.schema);
 * ```
 */
export interface TopologyJson {
  schema: string;
  source: string;
  counts: { drawers: number; books: number; packages: number; dies: number; numa: number; l3: number; clusters: number; l2: number; cores: number; pus: number; usable: number };
  cpus: { all: string; online: string; allowed: string; isolated: string; usable: string };
  pus: PuJson[];
  cores: { index: number; cpus: string; kind: string | null }[];
  caches: { level: 2 | 3; index: number; cpus: string; size: number | null }[];
  numaNodes: { id: number; cpus: string; local: string; allowed: boolean; memory: number | null; kind: string | null; distances: Record<string, number> }[];
  kinds: { name: string; rank: number; source: string; cpus: string }[];
  tree: ObjectJson;
  warnings: string[];
}

/**
 * The stable JSON form of a topology (see docs/topology-json.md).
 *
 * @example
 * ```ts
 * import { readTopology, topologyToJson } from 'corepin';
 * process.stdout.write(JSON.stringify(topologyToJson(readTopology()), null, 2)); // what `corepin topo --json` prints
 * ```
 */
export function topologyToJson(topology: Topology): TopologyJson {
  const count = (t: Parameters<Topology['objects']>[0]): number => topology.objects(t).length;
  return {
    schema: TOPOLOGY_JSON_SCHEMA,
    source: topology.source,
    counts: {
      drawers: count('drawer'),
      books: count('book'),
      packages: count('package'),
      // Dies are tree objects only when a package has several; count the ids PUs carry instead.
      dies: new Set(topology.pus.flatMap((p) => (p.die === null ? [] : [p.die]))).size,
      numa: count('numa'),
      l3: count('l3'),
      clusters: count('cluster'),
      l2: count('l2'),
      cores: count('core'),
      pus: topology.pus.length,
      usable: topology.usable.size,
    },
    cpus: {
      all: topology.cpus.toList(),
      online: topology.online.toList(),
      allowed: topology.allowed.toList(),
      isolated: topology.isolated.toList(),
      usable: topology.usable.toList(),
    },
    pus: topology.pus.map((p) => ({
      cpu: p.cpu,
      package: p.package,
      die: p.die,
      core: p.core,
      numa: p.numa,
      l3: p.l3,
      l2: p.l2,
      cluster: p.cluster,
      kind: p.kind,
      online: p.online,
      allowed: p.allowed,
      isolated: p.isolated,
      usable: p.usable,
      capacity: p.capacity,
    })),
    cores: topology.objects('core').map((c) => ({ index: c.index, cpus: c.cpus.toList(), kind: c.kind })),
    caches: (['l3', 'l2'] as const).flatMap((level) =>
      topology.objects(level).map((c) => ({ level: level === 'l3' ? (3 as const) : (2 as const), index: c.index, cpus: c.cpus.toList(), size: c.size })),
    ),
    numaNodes: topology.numaNodes.map((n) => ({
      id: n.id,
      cpus: n.cpus.toList(),
      local: n.local.toList(),
      allowed: n.allowed,
      memory: n.memory,
      kind: n.kind,
      distances: Object.fromEntries([...n.distances].map(([k, v]) => [String(k), v])),
    })),
    kinds: topology.kinds.map((k) => ({ name: k.name, rank: k.rank, source: k.source, cpus: k.cpus.toList() })),
    tree: objectJson(topology.machine),
    warnings: [...topology.warnings],
  };
}

function objectJson(o: TopoObject): ObjectJson {
  const out: ObjectJson = { type: o.type, index: o.index, os: o.osIndex, cpus: o.cpus.toList() };
  if (o.size !== null) out.size = o.size;
  if (o.kind !== null) out.kind = o.kind;
  if (o.children.length > 0) out.children = o.children.map(objectJson);
  return out;
}
