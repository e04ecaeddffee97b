import { CpuSet } from '../cpuset/CpuSet.js';
import { buildTopology } from './buildTopology.js';
import type { PuFacts } from './buildTopology.js';
import type { NumaNode, Topology } from './Topology.js';
import { SyntheticSpecError } from './errors.js';

/** The largest synthetic machine corepin builds, in PUs. */
export const MAX_SYNTHETIC_PUS = 8192;

const LEVELS = ['package', 'die', 'numa', 'l3', 'l2', 'core', 'pu'] as const;
type SynthLevel = (typeof LEVELS)[number];
const ALIASES: Record<string, SynthLevel> = { socket: 'package', node: 'numa', thread: 'pu' };

/** Sizes given to synthetic caches (bytes), so pictures look like real machines. */
const CACHE_SIZE = { l3: 32 * 1024 * 1024, l2: 1024 * 1024 } as const;

/**
 * Builds a machine from a spec like `package:2 numa:2 l3:2 core:4 pu:2`: each `level:N` is how
 * many of that level each object of the level above holds (hwloc's synthetic form). Levels:
 * package, die, numa, l3, l2, core, pu (aliases socket, node, thread), in that order; `package`,
 * `core` and `pu` default to 1, other omitted levels are unknown (as on a machine that does not
 * report them).
 *
 * Options in the same string: `online:LIST`, `allowed:LIST`, `isolated:LIST` (CPU lists; by
 * default every CPU is online and allowed, none isolated), and `numbering:linear` (default: SMT
 * siblings get adjacent numbers, as hwloc numbers synthetic PUs) or `numbering:split` (sibling of
 * CPU n is n + number of cores, as on most Intel servers).
 *
 * @throws {SyntheticSpecError} naming the bad token.
 *
 * @example
 * ```ts
 * import { syntheticTopology, plan } from 'corepin';
 * const big = syntheticTopology('package:2 numa:2 l3:2 core:8 pu:2'); // 128 PUs
 * plan(big, 16, 'spread').slots.map((s) => s.cpus.toList());
 * ```
 */
export function syntheticTopology(spec: string): Topology {
  const parsed = parseSpec(spec);
  const pus = syntheticPus(parsed);
  return buildTopology({ source: `synthetic:${parsed.tokens.join(' ')}`, pus, numaNodes: syntheticNodes(parsed, pus), warnings: [] });
}

/** A parsed spec: the count of each level given, the CPU-list options and the numbering. */
interface SyntheticSpec {
  readonly tokens: readonly string[];
  readonly counts: ReadonlyMap<SynthLevel, number>;
  readonly online: CpuSet | null;
  readonly allowed: CpuSet | null;
  readonly isolated: CpuSet;
  readonly split: boolean;
}

function parseSpec(spec: string): SyntheticSpec {
  const counts = new Map<SynthLevel, number>();
  const lists: Record<'online' | 'allowed' | 'isolated', CpuSet | null> = { online: null, allowed: null, isolated: null };
  let split = false;
  const tokens = spec.trim().split(/\s+/).filter(Boolean);
  if (tokens.length === 0) throw new SyntheticSpecError(spec, spec, 'is empty');
  let lastLevel = -1;
  for (const token of tokens) {
    const colon = token.indexOf(':');
    if (colon < 0) throw new SyntheticSpecError(spec, token, 'needs the form name:value');
    const rawName = token.slice(0, colon).toLowerCase();
    const value = token.slice(colon + 1);
    if (rawName === 'online' || rawName === 'allowed' || rawName === 'isolated') {
      lists[rawName] = parseListOption(spec, token, value);
      continue;
    }
    if (rawName === 'numbering') {
      if (value !== 'linear' && value !== 'split') throw new SyntheticSpecError(spec, token, 'must be numbering:linear or numbering:split');
      split = value === 'split';
      continue;
    }
    const name: SynthLevel | null = Object.hasOwn(ALIASES, rawName)
      ? ALIASES[rawName]!
      : (LEVELS as readonly string[]).includes(rawName)
        ? (rawName as SynthLevel)
        : null;
    if (name === null) throw new SyntheticSpecError(spec, token, 'is not a level or option');
    const at = LEVELS.indexOf(name);
    if (counts.has(name)) throw new SyntheticSpecError(spec, token, 'repeats a level');
    if (at < lastLevel) throw new SyntheticSpecError(spec, token, `comes after an inner level (order: ${LEVELS.join(' ')})`);
    lastLevel = at;
    if (!/^\d+$/.test(value) || Number(value) < 1) throw new SyntheticSpecError(spec, token, 'needs a count of at least 1');
    counts.set(name, Number(value));
  }
  const total = LEVELS.reduce((acc, l) => acc * (counts.get(l) ?? 1), 1);
  if (total > MAX_SYNTHETIC_PUS) throw new SyntheticSpecError(spec, spec, `makes ${total} CPUs, more than ${MAX_SYNTHETIC_PUS}`);
  return { tokens, counts, online: lists.online, allowed: lists.allowed, isolated: lists.isolated ?? CpuSet.EMPTY, split };
}

function parseListOption(spec: string, token: string, value: string): CpuSet {
  try {
    return value === '' ? CpuSet.EMPTY : CpuSet.parse(value, 'list');
  } catch (err) {
    throw new SyntheticSpecError(spec, token, `has a bad CPU list (${(err as Error).message})`);
  }
}

/** One PuFacts per PU, core by core; each core's position in every level follows from its number. */
function syntheticPus({ counts, online, allowed, isolated, split }: SyntheticSpec): PuFacts[] {
  const n = (l: SynthLevel): number => counts.get(l) ?? 1;
  const total = LEVELS.reduce((acc, l) => acc * n(l), 1);
  const coresPerPackage = n('die') * n('numa') * n('l3') * n('l2') * n('core');
  const totalCores = n('package') * coresPerPackage;
  const pus: PuFacts[] = [];
  const cpuOf = (core: number, thread: number): number => (split ? thread * totalCores + core : core * n('pu') + thread);
  const onlineSet = online ?? CpuSet.range(0, total - 1);
  const allowedSet = allowed ?? CpuSet.range(0, total - 1);
  const cacheCpus = (perDomain: number, domain: number): CpuSet => {
    const cpus: number[] = [];
    for (let c = domain * perDomain; c < (domain + 1) * perDomain; c++) for (let t = 0; t < n('pu'); t++) cpus.push(cpuOf(c, t));
    return CpuSet.from(cpus);
  };
  for (let core = 0; core < totalCores; core++) {
    const l2 = Math.floor(core / n('core'));
    const l3 = Math.floor(l2 / n('l2'));
    const numa = Math.floor(l3 / n('l3'));
    const die = Math.floor(numa / n('numa'));
    const siblings = CpuSet.from(Array.from({ length: n('pu') }, (_, t) => cpuOf(core, t)));
    for (let t = 0; t < n('pu'); t++) {
      const cpu = cpuOf(core, t);
      pus.push({
        cpu,
        online: onlineSet.has(cpu),
        allowed: allowedSet.has(cpu),
        isolated: isolated.has(cpu),
        package: Math.floor(die / n('die')),
        die: counts.has('die') ? die % n('die') : 0,
        coreId: core % coresPerPackage,
        siblings,
        numa: counts.has('numa') ? numa : null,
        l3: counts.has('l3') ? { cpus: cacheCpus(n('l2') * n('core'), l3), size: CACHE_SIZE.l3, id: l3 } : null,
        l2: counts.has('l2') ? { cpus: cacheCpus(n('core'), l2), size: CACHE_SIZE.l2, id: l2 } : null,
        capacity: null,
        kind: null,
      });
    }
  }
  return pus;
}

/** NUMA nodes when the spec has them: distance 10 to itself, 12 within a package, 32 across. */
function syntheticNodes({ counts }: SyntheticSpec, pus: readonly PuFacts[]): NumaNode[] {
  if (!counts.has('numa')) return [];
  const n = (l: SynthLevel): number => counts.get(l) ?? 1;
  const nodes = n('package') * n('die') * n('numa');
  const perPackage = n('die') * n('numa');
  const out: NumaNode[] = [];
  for (let id = 0; id < nodes; id++) {
    const distances = new Map<number, number>();
    for (let j = 0; j < nodes; j++) distances.set(j, j === id ? 10 : Math.floor(j / perPackage) === Math.floor(id / perPackage) ? 12 : 32);
    const cpus = CpuSet.from(pus.filter((p) => p.numa === id).map((p) => p.cpu));
    out.push({ id, cpus, local: cpus, allowed: true, memory: null, kind: null, distances });
  }
  return out;
}
