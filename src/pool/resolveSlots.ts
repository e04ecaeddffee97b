import type { CpuSet } from '../cpuset/CpuSet.js';
import { toCpuSet, usableCpus } from '../affinity.js';
import { plan, isPolicyName } from '../placement/plan.js';
import { placementView } from '../placement/PlacementView.js';
import { PlacementError } from '../placement/errors.js';
import { readTopology } from '../topology/readTopology.js';
import { defaultWorkers } from '../topology/capacity.js';
import { resolveLocation } from '../topology/resolveLocation.js';
import type { Topology } from '../topology/Topology.js';
import { PoolOptionsError } from './errors.js';
import type { PoolPlacement } from './PoolOptions.js';

/**
 * The CPUs of each slot (null entries: no pinning), from the `placement` and `workers` options.
 * Policies and locations go through the placement layer over this machine's usable CPUs (online,
 * in this process's affinity and cgroup cpuset).
 *
 * `topology` (default: this machine, read now) is what the pool passes to place again when the usable
 * CPUs change.
 *
 * @throws {PoolOptionsError | PlacementError | LocationError}
 */
export function resolveSlots(placement: PoolPlacement | undefined, workers: number | undefined, topology?: Topology): (CpuSet | null)[] {
  if (workers !== undefined && (!Number.isInteger(workers) || workers < 1)) {
    throw new PoolOptionsError(`workers must be a whole number of at least 1, got ${String(workers)}`);
  }
  const p = placement ?? 'spread';
  if (p === 'none') return new Array<null>(workers ?? defaultWorkers(topology ? { topology } : {})).fill(null);
  if (typeof p === 'function') {
    const usable = topology?.usable ?? usableCpus();
    const out: CpuSet[] = [];
    for (let i = 0; i < (workers ?? usable.size); i++) {
      const cpus = toCpuSet(p(i, usable));
      if (cpus.isEmpty) throw new PlacementError(`the placement function gave slot ${i} no CPUs; return at least one of the usable CPUs ${usable.toList()}`);
      if (!cpus.isSubsetOf(usable)) {
        throw new PlacementError(`the placement function gave slot ${i} CPU ${cpus.difference(usable).toList()}, which this process cannot use; usable CPUs are ${usable.toList()}`);
      }
      out.push(cpus);
    }
    return out;
  }
  topology ??= readTopology();
  if (isList(p)) {
    const list = p;
    if (list.length === 0) throw new PoolOptionsError('placement list is empty; give one CPU set or location per slot, e.g. ["0", "1"]');
    return plan(topology, workers ?? list.length, 'list', { list }).slots.map((s) => s.cpus);
  }
  if (typeof p === 'object') {
    const options = { ...(p.reserve !== undefined ? { reserve: p.reserve } : {}), ...(p.smt !== undefined ? { smt: p.smt } : {}) };
    const n = workers ?? defaultWorkers({ topology, places: placementView(topology, options).usable.size });
    return plan(topology, n, p.policy, options).slots.map((s) => s.cpus);
  }
  if (typeof p !== 'string') throw new PoolOptionsError(`placement must be a policy name, a location, a list, a function or 'none'`);
  if (isPolicyName(p)) return plan(topology, workers ?? defaultWorkers({ topology }), p).slots.map((s) => s.cpus);
  // A location (core:0-1, numa:1, 2-5): the pool stays on those CPUs, one slot per CPU, spread.
  const within = resolveLocation(p, topology).intersect(topology.usable);
  if (within.isEmpty) throw new PlacementError(`placement ${JSON.stringify(p)} names no usable CPU; usable CPUs are ${topology.usable.toList()}`);
  return plan(topology, workers ?? defaultWorkers({ topology, places: within.size }), 'spread', { reserve: topology.usable.difference(within) }).slots.map((s) => s.cpus);
}

function isList(p: PoolPlacement): p is readonly (CpuSet | string)[] {
  return Array.isArray(p);
}
