import { CpuSet } from '../cpuset/CpuSet.js';
import { resolveLocation } from '../topology/resolveLocation.js';
import type { TopoObject, Topology } from '../topology/Topology.js';
import type { PlanOptions } from './plan.js';
import { PlacementError } from './errors.js';

/** A core as a plan sees it: its usable threads, lowest CPU number first. */
export interface ViewCore {
  readonly core: TopoObject;
  readonly pus: readonly number[];
}

/**
 * The topology as `plan()` sees it — its usable CPUs after `smt` and `reserve` — what every policy
 * places onto. (A view is always the topology seen through a filter: the usable view through
 * online, affinity and cgroup; this one further through the plan's options.)
 */
export interface PlanView {
  readonly topology: Topology;
  /** Usable CPUs left for slots. */
  readonly usable: CpuSet;
  /** CPUs kept free. */
  readonly reserved: CpuSet;
  /** Cores with at least one CPU left, in tree order. */
  readonly cores: readonly ViewCore[];
}

/**
 * Applies the options to the topology's usable CPUs: first `smt: false` (keep the first usable
 * thread of each core), then `reserve`, so a reserved CPU's core is not half given away.
 *
 * @throws {PlacementError} when nothing usable is left.
 */
export function planView(topology: Topology, options: PlanOptions): PlanView {
  const reserved =
    options.reserve === undefined ? CpuSet.EMPTY : typeof options.reserve === 'string' ? resolveReserve(options.reserve, topology) : options.reserve;
  let usable = isolationView(topology, options.isolated === true);
  if (options.smt === false) {
    const firsts: number[] = [];
    for (const core of topology.objects('core')) {
      const first = core.cpus.intersect(usable).first;
      if (first !== undefined) firsts.push(first);
    }
    usable = CpuSet.from(firsts);
  }
  usable = usable.difference(reserved);
  if (usable.isEmpty) {
    throw new PlacementError(
      `no usable CPU left to place workers on: usable CPUs are ${topology.usable.toList() || '(none)'}` +
        (reserved.isEmpty ? '' : `, reserved ${reserved.toList()}`) +
        (options.smt === false ? ', one thread per core (smt: false)' : '') +
        '; reserve fewer CPUs or check the cpuset',
    );
  }
  const cores: ViewCore[] = [];
  for (const core of topology.objects('core')) {
    const pus = core.cpus.intersect(usable).toArray();
    if (pus.length > 0) cores.push({ core, pus });
  }
  return { topology, usable, reserved, cores };
}

/** Usable CPUs seen through `isolated`: only isolated ones when asked, else all but them (when that leaves any). */
function isolationView(topology: Topology, isolated: boolean): CpuSet {
  const iso = topology.usable.intersect(topology.isolated);
  if (isolated) {
    if (iso.isEmpty) throw new PlacementError(`isolated CPUs asked for, but none is usable (isolated: ${topology.isolated.toList() || 'none'}; usable: ${topology.usable.toList() || 'none'}); boot with isolcpus= or drop --isolated`);
    return iso;
  }
  const plain = topology.usable.difference(iso);
  return plain.isEmpty ? topology.usable : plain;
}

function resolveReserve(text: string, topology: Topology): CpuSet {
  // Reserving CPUs that are not usable anyway is harmless, so plain lists are taken as written.
  return resolveLocation(text, topology);
}

/** `package 0 · NUMA 1 · L3 2 · core 5` for the smallest objects holding all of `cpus`. */
export function describeWhere(topology: Topology, cpus: CpuSet): string {
  const parts: string[] = [];
  const label = { package: 'package', die: 'die', numa: 'NUMA', l3: 'L3', l2: 'L2', core: 'core' } as const;
  for (const type of ['package', 'die', 'numa', 'l3', 'core'] as const) {
    const holder = topology.objects(type).find((o) => cpus.isSubsetOf(o.cpus));
    if (!holder) continue;
    parts.push(type === 'numa' ? `NUMA ${holder.osIndex ?? holder.index}` : `${label[type]} ${holder.index}`);
  }
  if (cpus.size === 1) {
    const pu = topology.pu(cpus.first!);
    if (pu?.kind) parts.push(pu.kind);
  }
  return parts.length > 0 ? parts.join(' · ') : 'machine';
}
