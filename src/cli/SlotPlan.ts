import { CpuSet } from '../cpuset/CpuSet.js';
import { CpusUnavailableError, type UnavailableReason } from '../errors.js';
import { pinnableCpus } from '../affinity.js';
import { plan, isPolicyName } from '../placement/plan.js';
import { POLICY_NAMES, type Placement, type PolicyName } from '../placement/Placement.js';
import { PlacementError } from '../placement/errors.js';
import { readTopology } from '../topology/readTopology.js';
import { defaultWorkers } from '../topology/capacity.js';
import { resolveLocation } from '../topology/resolveLocation.js';
import type { Topology } from '../topology/Topology.js';
import { UsageError } from './errors.js';

/** Policies the CLI accepts for `--policy`: every placement policy but `list`, plus `none` (no pinning). */
export const CLI_POLICIES: readonly string[] = [...POLICY_NAMES.filter((p) => p !== 'list'), 'none'];

/** The CLI's `--policy`: a placement policy name, or `none` to leave slots unpinned. */
export type CliPolicy = PolicyName | 'none';

/** Where each slot of a `map` / `exec` run goes. */
export interface SlotPlan {
  readonly topology: Topology;
  /** The placement, or null with `--policy none`. */
  readonly placement: Placement | null;
  /** One entry per slot: its CPUs, or null when unpinned. */
  readonly slots: readonly (CpuSet | null)[];
  /** CPUs the run may use (after `--cpus`). */
  readonly usable: CpuSet;
}

/** What the user asked for on the command line. */
export interface SlotRequest {
  /** `-j N`; default: one slot per place the policy finds in the usable CPUs (after `--cpus`). */
  readonly jobs?: number;
  /** `--policy`, default `spread`. */
  readonly policy?: CliPolicy;
  /** `--cpus LOCATION`: only these CPUs (a list like `0-3` or a location like `core:0-1`). */
  readonly cpus?: string;
}

/**
 * Turns `-j`, `--policy` and `--cpus` into one CpuSet per slot: `--cpus` narrows the usable CPUs,
 * then the policy spreads the slots over what is left (so `--cpus core:2-5 --policy cores -j 4`
 * gives each slot one of those four cores).
 *
 * @throws {PlacementError | LocationError | CpuSetSyntaxError | CpusUnavailableError}
 */
export function planSlots(req: SlotRequest, topology: Topology = readTopology()): SlotPlan {
  const policy = req.policy ?? 'spread';
  let usable = topology.usable;
  if (req.cpus !== undefined) {
    const wanted = resolveLocation(req.cpus, topology);
    checkUsable(req.cpus, wanted, topology.usable);
    usable = wanted;
  }
  if (policy === 'none') {
    const n = req.jobs ?? defaultWorkers({ topology, places: usable.size });
    // Unpinned slots still stay inside --cpus when it is given: that is what the user asked for.
    return { topology, placement: null, slots: Array.from({ length: n }, () => (req.cpus === undefined ? null : usable)), usable };
  }
  if (!isPolicyName(policy) || policy === 'list') throw new PlacementError(`unknown placement policy ${JSON.stringify(policy)}; choose one of ${CLI_POLICIES.join(', ')}`);
  const reserve = topology.usable.difference(usable);
  const options = reserve.isEmpty ? {} : { reserve };
  const jobs = req.jobs ?? defaultWorkers({ topology, places: Math.min(usable.size, plan(topology, usable.size, policy, options).places) });
  const placement = plan(topology, jobs, policy, options);
  return { topology, placement, slots: placement.slots.map((s) => s.cpus), usable };
}

function checkUsable(text: string, wanted: CpuSet, usable: CpuSet): void {
  const bad = wanted.difference(usable);
  if (bad.isEmpty) return;
  const p = pinnableCpus('self');
  const reasons = new Map<number, UnavailableReason>();
  for (const c of bad) reasons.set(c, p.cpus.has(c) ? 'not-allowed' : p.why(c));
  throw new CpusUnavailableError(`--cpus ${text}`, reasons, usable.toList());
}

/** Reads `--policy` for commander; an unknown name is a usage error (exit 2). */
export function parseCliPolicy(text: string): CliPolicy {
  if (!CLI_POLICIES.includes(text)) throw new UsageError(`unknown placement policy ${JSON.stringify(text)}; choose one of ${CLI_POLICIES.join(', ')}`);
  return text as CliPolicy;
}
