import { CpuSet } from '../cpuset/CpuSet.js';
import { defaultWorkers } from '../topology/capacity.js';
import { resolveLocation } from '../topology/resolveLocation.js';
import type { Topology } from '../topology/Topology.js';
import type { Plan, PlanOptions } from './plan.js';
import { PlacementError } from './errors.js';
import type { PlacementRequest, PolicyRequest } from './PlacementRequest.js';
import { planView } from './PlanView.js';
import { isPolicyName, plan } from './plan.js';

/**
 * A {@link PlacementRequest} resolved against one topology.
 *
 * @example
 * ```ts
 * import { resolvePlacement, readTopology, type ResolvedPlacement } from 'corepin';
 * const r: ResolvedPlacement = resolvePlacement('cores', readTopology());
 * console.log(r.workers, r.slots.map((s) => s?.toList()), r.plan?.slots[0]?.reason);
 * ```
 */
export interface ResolvedPlacement {
  /** The request, as given (`'spread'` when none was). */
  readonly request: PlacementRequest;
  /** How many slots: as asked, else the default (see {@link resolvePlacement}). */
  readonly workers: number;
  /** Each slot's CPUs (null: unpinned). */
  readonly slots: readonly (CpuSet | null)[];
  /** The policy's plan, each slot with where and why; null for `'none'` and a function. */
  readonly plan: Plan | null;
  /** @deprecated The same object as {@link ResolvedPlacement.plan} (renamed: a placement is the request, a plan what it resolves to). */
  readonly placement: Plan | null;
  /** The CPUs this request may use: the topology's usable CPUs, inside `within` when given. */
  readonly usable: CpuSet;
}

/**
 * The one resolver: where each slot goes for `request` on `topology` (its usable view: online,
 * allowed, isolated CPUs left out unless asked for). `Pool` calls it once at start and again, with the
 * same request, when the usable CPUs change; the CLI's `map`, `exec`, `worker`, `plan` and `demo` go
 * through it too.
 *
 * Default `workers`: one per place the request finds (PUs for `spread`/`compact`/…, cores for
 * `cores`, domains for `l3`/`numa`/`package`, isolated CPUs with `isolated: true`, the list's
 * length for a list), capped by the CPU quota as in `capacity()` (`COREPIN_WORKERS` overrides).
 * This is the only part that reads anything (the cgroup quota and the environment); with `workers`
 * given, the result depends on the request and the topology alone.
 *
 * @throws {PlacementError} for a bad worker count or request, or nothing usable left.
 * @throws {LocationError} when `within`, `reserve` or a list item names a location this machine does not have.
 *
 * @example
 * ```ts
 * import { resolvePlacement, syntheticTopology } from 'corepin';
 * const machine = syntheticTopology('numa:2 core:4 pu:2');
 * resolvePlacement({ policy: 'cores', within: 'numa:1' }, machine).slots.map((s) => s?.toList()); // the 4 cores of node 1
 * ```
 */
export function resolvePlacement(request: PlacementRequest | undefined, topology: Topology, workers?: number): ResolvedPlacement {
  if (workers !== undefined && (!Number.isInteger(workers) || workers < 1)) {
    throw new PlacementError(`cannot place ${String(workers)} workers: give a whole number of at least 1`);
  }
  const req = request ?? 'spread';
  if (typeof req === 'function') return byFunction(req, topology, workers);
  if (isList(req)) {
    if (req.length === 0) throw new PlacementError('placement list is empty; give one CPU set or location per slot, e.g. ["0", "1"]');
    const p = plan(topology, workers ?? req.length, 'list', { list: req });
    return { request: req, workers: p.workers, slots: p.slots.map((s) => s.cpus), plan: p, placement: p, usable: topology.usable };
  }
  if (typeof req === 'string') {
    if (req === 'none') return byPolicy(req, { policy: 'none' }, topology, workers);
    if (isPolicyName(req)) return byPolicy(req, { policy: req }, topology, workers);
    // A location (core:0-1, numa:1, 2-5): the pool stays on those CPUs, spread over them.
    return byPolicy(req, { policy: 'spread', within: req }, topology, workers);
  }
  if (typeof req === 'object' && req !== null && typeof (req as { policy?: unknown }).policy === 'string') return byPolicy(req, req as PolicyRequest, topology, workers);
  throw new PlacementError(`placement must be a policy name, a location, a list, a function, 'none' or { policy, within, reserve, smt, isolated }; got ${describe(req)}`);
}

function byPolicy(request: PlacementRequest, r: PolicyRequest, topology: Topology, workers: number | undefined): ResolvedPlacement {
  const within = withinOf(r.within, topology);
  if (r.policy === 'none') {
    const n = workers ?? defaultWorkers({ topology, places: within.size });
    // Unpinned, but inside `within` when it is given: that is what was asked.
    return { request, workers: n, slots: new Array<CpuSet | null>(n).fill(r.within === undefined ? null : within), plan: null, placement: null, usable: within };
  }
  const outside = topology.usable.difference(within);
  const reserve = r.reserve === undefined ? outside : (typeof r.reserve === 'string' ? resolveLocation(r.reserve, topology) : r.reserve).union(outside);
  const options: PlanOptions = {
    ...(reserve.isEmpty ? {} : { reserve }),
    ...(r.smt !== undefined ? { smt: r.smt } : {}),
    ...(r.isolated === true ? { isolated: true } : {}),
    ...(r.list !== undefined ? { list: r.list } : {}),
  };
  let n = workers;
  if (n === undefined) {
    // Count the policy's places over every CPU it may use: that many slots, unless the quota says fewer.
    const places = plan(topology, planView(topology, options).usable.size, r.policy, options).places;
    n = defaultWorkers({ topology, places, ...(r.isolated === true ? { isolated: true } : {}) });
  }
  const p = plan(topology, n, r.policy, options);
  return { request, workers: n, slots: p.slots.map((s) => s.cpus), plan: p, placement: p, usable: within };
}

function withinOf(within: CpuSet | string | undefined, topology: Topology): CpuSet {
  if (within === undefined) return topology.usable;
  const cpus = (typeof within === 'string' ? resolveLocation(within, topology) : within).intersect(topology.usable);
  if (cpus.isEmpty) {
    const shown = typeof within === 'string' ? within : within.toList();
    throw new PlacementError(`placement ${JSON.stringify(shown)} names no usable CPU; usable CPUs are ${topology.usable.toList() || '(none)'}`);
  }
  return cpus;
}

function byFunction(fn: (slot: number, usable: CpuSet) => CpuSet | string | Iterable<number>, topology: Topology, workers: number | undefined): ResolvedPlacement {
  const usable = topology.usable;
  const n = workers ?? defaultWorkers({ topology });
  const slots: CpuSet[] = [];
  for (let i = 0; i < n; i++) {
    const got = fn(i, usable);
    // `N` and `all` in a returned list mean the topology's last CPU, not this machine's.
    const cpus = got instanceof CpuSet ? got : typeof got === 'string' ? CpuSet.parse(got, 'auto', { lastCpu: topology.cpus.last ?? 0 }) : CpuSet.from(got);
    if (cpus.isEmpty) throw new PlacementError(`the placement function gave slot ${i} no CPUs; return at least one of the usable CPUs ${usable.toList()}`);
    if (!cpus.isSubsetOf(usable)) {
      throw new PlacementError(`the placement function gave slot ${i} CPU ${cpus.difference(usable).toList()}, which this process cannot use; usable CPUs are ${usable.toList()}`);
    }
    slots.push(cpus);
  }
  return { request: fn, workers: n, slots, plan: null, placement: null, usable };
}

function isList(p: PlacementRequest): p is readonly (CpuSet | string)[] {
  return Array.isArray(p);
}

function describe(v: unknown): string {
  if (v === null) return 'null';
  if (typeof v === 'object') return 'an object without a policy';
  return `${typeof v} ${String(v)}`;
}
