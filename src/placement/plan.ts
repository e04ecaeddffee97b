import type { Topology } from '../topology/Topology.js';
import { compact } from './compact.js';
import { cores } from './cores.js';
import { domains } from './domains.js';
import { explicitList } from './explicitList.js';
import { performanceFirst } from './performanceFirst.js';
import type { Place, Policy } from './Place.js';
import { CpuSet } from '../cpuset/CpuSet.js';
import { POLICY_NAMES } from './Placement.js';
import type { Placement, PlacementOptions, PlacementSlot, PolicyName } from './Placement.js';
import { PlacementError } from './errors.js';
import { describeWhere, placementView } from './PlacementView.js';
import { roundRobin } from './roundRobin.js';
import { spread } from './spread.js';

const POLICIES: Record<PolicyName, Policy> = {
  'round-robin': roundRobin,
  compact,
  spread,
  cores,
  l3: domains('l3'),
  numa: domains('numa'),
  package: domains('package'),
  'performance-first': performanceFirst,
  list: explicitList,
};

/** Isolated CPUs are not load-balanced: each place becomes its CPUs one by one, in the policy's order. */
function onePuEach(topology: Topology, places: Place[]): Place[] {
  const seen = new Set<number>();
  const out: Place[] = [];
  for (const p of places) {
    for (const cpu of p.cpus) {
      if (seen.has(cpu)) continue;
      seen.add(cpu);
      out.push({ cpus: CpuSet.of(cpu), object: { type: 'pu', index: topology.pu(cpu)?.index ?? cpu }, reason: `isolated CPU ${cpu}: one per worker, the scheduler does not move work off it (${p.reason})` });
    }
  }
  return out;
}

/**
 * Whether `name` is a policy name.
 *
 * @example
 * ```ts
 * import { isPolicyName, plan, readTopology } from 'corepin';
 * const wanted = process.argv[2] ?? 'spread';
 * if (isPolicyName(wanted)) plan(readTopology(), 4, wanted);
 * ```
 */
export function isPolicyName(name: string): name is PolicyName {
  return (POLICY_NAMES as readonly string[]).includes(name);
}

/**
 * Decides where each of `workers` slots goes. Pure: the same topology, count, policy and options
 * always give the same placement.
 *
 * Wrap-around rule: a policy yields an ordered list of places (PUs, cores, domains …); slot i gets
 * place i mod (number of places). Slots past the number of places are marked `wrapped` and share
 * their place with slot i mod places.
 *
 * @example
 * const p = plan(readTopology(), 4, 'cores', { reserve: '0' });
 * p.slots.map((s) => s.cpus.toList());   // e.g. ['1,17', '2,18', '3,19', '4,20'] — core 0 kept for the main thread
 * @throws {PlacementError} for a bad worker count, unknown policy, no usable CPU left, or a bad list.
 * @throws {LocationError} when `reserve` or a list item is a location this machine does not have.
 */
export function plan(topology: Topology, workers: number, policy: PolicyName, options: PlacementOptions = {}): Placement {
  if (!Number.isInteger(workers) || workers < 1) {
    throw new PlacementError(`cannot place ${String(workers)} workers: give a whole number of at least 1`);
  }
  if (!isPolicyName(policy)) {
    throw new PlacementError(`unknown placement policy ${JSON.stringify(policy)}; choose one of ${POLICY_NAMES.join(', ')}`);
  }
  const view = placementView(topology, options);
  const places = options.isolated === true ? onePuEach(view.topology, POLICIES[policy](view, workers, options)) : POLICIES[policy](view, workers, options);
  if (places.length === 0) throw new PlacementError(`policy ${policy} found no place among usable CPUs ${view.usable.toList()}`);
  const slots: PlacementSlot[] = [];
  for (let i = 0; i < workers; i++) {
    const place = places[i % places.length]!;
    const wrapped = i >= places.length;
    slots.push({
      slot: i,
      cpus: place.cpus,
      object: place.object,
      where: describeWhere(topology, place.cpus),
      reason: wrapped ? `${place.reason}; wraps around: ${workers} workers > ${places.length} places, shares with slot ${i % places.length}` : place.reason,
      wrapped,
    });
  }
  return { policy, workers, slots, usable: view.usable, reserved: view.reserved, places: places.length };
}
