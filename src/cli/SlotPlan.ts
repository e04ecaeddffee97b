import { resolve as resolvePath } from 'node:path';
import { CpuSet } from '../cpuset/CpuSet.js';
import { CpusUnavailableError, type UnavailableReason } from '../errors.js';
import { pinnableCpus } from '../affinity.js';
import { isPolicyName } from '../placement/plan.js';
import { POLICY_NAMES, type Plan, type PolicyName } from '../placement/plan.js';
import { PlacementError } from '../placement/errors.js';
import type { PolicyRequest } from '../placement/PlacementRequest.js';
import type { PoolOptions } from '../pool/PoolOptions.js';
import { resolvePlacement } from '../placement/resolve.js';
import { readTopology } from '../topology/readTopology.js';
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
  /** The placement request the flags make: what a pool is given, and resolves again on a cpuset change. */
  readonly request: PolicyRequest;
  /** The policy's plan, or null with `--policy none`. */
  readonly plan: Plan | null;
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
  /** `--isolated`: only isolated CPUs (isolcpus, nohz_full), one per slot. */
  readonly isolated?: boolean;
}

/**
 * The placement request of `--policy`, `--cpus` and `--isolated` — `{ policy, within, isolated }`,
 * handed to `Pool` as it is — with the CPUs it may use now. `--cpus` naming a CPU that is not
 * usable is refused here, naming the CPU and why.
 *
 * @throws {PlacementError | LocationError | CpuSetSyntaxError | CpusUnavailableError}
 */
export function slotRequest(req: SlotRequest, topology: Topology): { request: PolicyRequest; usable: CpuSet } {
  const policy = req.policy ?? 'spread';
  if (policy !== 'none' && (!isPolicyName(policy) || policy === 'list')) throw new PlacementError(`unknown placement policy ${JSON.stringify(policy)}; choose one of ${CLI_POLICIES.join(', ')}`);
  let usable = topology.usable;
  if (req.cpus !== undefined) {
    usable = resolveLocation(req.cpus, topology);
    checkUsable(req.cpus, usable, topology.usable);
  }
  const request: PolicyRequest = { policy, ...(req.cpus !== undefined ? { within: req.cpus } : {}), ...(req.isolated === true ? { isolated: true } : {}) };
  return { request, usable };
}

/**
 * Turns `-j`, `--policy`, `--cpus` and `--isolated` into one CpuSet per slot, through the placement
 * resolver: `--cpus` narrows the usable CPUs, then the policy spreads the slots over what is left (so
 * `--cpus core:2-5 --policy cores -j 4` gives each slot one of those four cores). For `exec`, `demo`
 * and `plan`, which show or use the slots themselves; `map` and `worker` hand the request to `Pool`.
 *
 * @throws {PlacementError | LocationError | CpuSetSyntaxError | CpusUnavailableError}
 */
export function planSlots(req: SlotRequest, topology: Topology = readTopology()): SlotPlan {
  const { request, usable } = slotRequest(req, topology);
  const resolved = resolvePlacement(request, topology, req.jobs);
  return { topology, request, plan: resolved.plan, slots: resolved.slots, usable };
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

/** The pool flags `map` and `worker` share. */
export interface PoolFlags {
  policy?: CliPolicy;
  cpus?: string;
  isolated?: boolean;
  jobs?: number;
  kind: 'process' | 'thread';
  maxTasksPerChild?: number;
}

/**
 * `map`'s and `worker`'s pool: MODULE and the flags become one placement request that the pool
 * resolves against `topology` (and again, by the same request, on a cpuset change).
 */
export function poolOfFlags(module: string, flags: PoolFlags, topology: Topology): { options: PoolOptions; request: PolicyRequest; usable: CpuSet } {
  const { request, usable } = slotRequest({ ...(flags.policy ? { policy: flags.policy } : {}), ...(flags.cpus !== undefined ? { cpus: flags.cpus } : {}), ...(flags.isolated ? { isolated: true } : {}) }, topology);
  const options: PoolOptions = {
    module: module.startsWith('file:') ? module : resolvePath(module),
    kind: flags.kind,
    ...(flags.jobs ? { workers: flags.jobs } : {}),
    placement: request,
    topology,
    ...(flags.maxTasksPerChild !== undefined ? { maxTasksPerChild: flags.maxTasksPerChild } : {}),
  };
  return { options, request, usable };
}
