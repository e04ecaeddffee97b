import { checkBindingMode, checkLaunchSettings } from '../launch/LaunchSettings.js';
import { checkSchedAllowed } from '../launch/schedClass.js';
import { SlotSettings } from '../launch/SlotSettings.js';
import type { PlacementRequest } from '../placement/PlacementRequest.js';
import { resolvePlacement, type ResolvedPlacement } from '../placement/resolve.js';
import { readTopology } from '../topology/readTopology.js';
import { Topology } from '../topology/Topology.js';
import { isPolicyName } from '../placement/plan.js';
import { PoolOptionsError } from './errors.js';
import type { PoolConfig } from './PoolCore.js';
import type { PoolOptions } from './PoolOptions.js';
import { defaultExecArgv, processRuntime } from './runtime/processRuntime.js';
import { commonJsTaskModule } from './commonJsTaskModule.js';
import { resolveTaskModule } from './resolveTaskModule.js';
import { threadRuntime } from './runtime/threadRuntime.js';

/** A pool's options checked and resolved: its fixed config, its placement, and how often to re-read the usable CPUs. */
export interface CheckedPoolOptions {
  readonly config: PoolConfig;
  /** The request resolved on the pool's topology: each slot's CPUs. */
  readonly resolved: ResolvedPlacement;
  /** Milliseconds between reads of the usable CPUs; 0 or Infinity: off. */
  readonly cpuCheckInterval: number;
}

/**
 * Checks `new Pool(options)` in the order the constructor always has (so the same bad input gives
 * the same error), resolves the task module and the placement, and builds the worker runtime.
 *
 * @throws {TaskModuleNotFoundError | PoolOptionsError | PlacementError | LocationError | CpusUnavailableError}
 */
export function checkPoolOptions(options: PoolOptions): CheckedPoolOptions {
  if (typeof options !== 'object' || options === null) throw new PoolOptionsError('new Pool(options): options must be an object with at least `module`');
  const kind = options.kind ?? 'process';
  if (kind !== 'process' && kind !== 'thread') throw new PoolOptionsError(`kind must be 'process' or 'thread', got ${JSON.stringify(kind)}`);
  const module = resolveTaskModule(options.module);
  const maxTasksPerChild = positiveOr(options.maxTasksPerChild, Infinity, 'maxTasksPerChild', true);
  const maxQueue = positiveOr(options.maxQueue, Infinity, 'maxQueue', false);
  const taskTimeout = options.taskTimeout === undefined ? undefined : positiveOr(options.taskTimeout, 0, 'taskTimeout', false);
  const maxStartupFailures = positiveOr(options.maxStartupFailures, 5, 'maxStartupFailures', true);
  if (options.initializer !== undefined && (typeof options.initializer !== 'string' || options.initializer === '')) {
    throw new PoolOptionsError('initializer must be the name of an export of the task module');
  }
  if (options.initargs !== undefined && !Array.isArray(options.initargs)) throw new PoolOptionsError('initargs must be an array');
  const serialization = options.serialization ?? 'json';
  if (serialization !== 'json' && serialization !== 'advanced') throw new PoolOptionsError(`serialization must be 'json' or 'advanced'`);
  const launch = checkLaunchSettings(options);
  const binding = checkBindingMode(options.binding);
  checkSchedAllowed(launch);
  if (options.workers !== undefined && (!Number.isInteger(options.workers) || options.workers < 1)) {
    throw new PoolOptionsError(`workers must be a whole number of at least 1, got ${String(options.workers)}`);
  }
  const request = withIsolated(options.placement, options.isolated);
  const topology = options.topology ?? readTopology();
  if (!(topology instanceof Topology)) throw new PoolOptionsError('topology must be a Topology (readTopology() or syntheticTopology())');
  const settings = new SlotSettings(launch, () => topology);
  const flags = [...process.execArgv, ...(options.execArgv ?? []), process.env['NODE_OPTIONS'], options.env?.['NODE_OPTIONS']];
  const init = { module: module.href, require: commonJsTaskModule(module.path, flags), initializer: options.initializer ?? null, initargs: [...(options.initargs ?? [])] };
  const resolved = resolvePlacement(request, topology, options.workers);
  const every = options.cpuCheckInterval ?? 1000;
  if (typeof every !== 'number' || !(every >= 0)) throw new PoolOptionsError(`cpuCheckInterval must be a number of milliseconds (0: off), got ${String(every)}`);
  const runtime =
    kind === 'process'
      ? processRuntime({
          execArgv: options.execArgv ?? defaultExecArgv(),
          env: options.env ?? process.env,
          serialization,
          resourceLimits: options.resourceLimits,
          settings,
        })
      : threadRuntime({ resourceLimits: options.resourceLimits, settings });
  const config: PoolConfig = {
    kind, serialization: kind === 'process' ? serialization : null, binding, settings, runtime, init, modulePath: module.path, placement: request, topologyRoot: topologyRoot(topology), maxTasksPerChild, maxQueue, taskTimeout, maxStartupFailures,
  };
  return { config, resolved, cpuCheckInterval: every };
}

/** `isolated: true` folds into the request, so resolving it again after a cpuset change keeps it. */
function withIsolated(placement: PlacementRequest | undefined, isolated: boolean | undefined): PlacementRequest | undefined {
  if (isolated === undefined || isolated === false) return placement;
  if (isolated !== true) throw new PoolOptionsError(`isolated must be true or false, got ${String(isolated)}`);
  const p = placement ?? 'spread';
  if (typeof p === 'string' && p !== 'none') return isPolicyName(p) ? { policy: p, isolated: true } : { policy: 'spread', within: p, isolated: true };
  if (typeof p === 'object' && !Array.isArray(p) && p !== null && 'policy' in p && p.policy !== 'none') return { ...p, isolated: true };
  throw new PoolOptionsError("isolated: true applies to a policy or location placement (an explicit list, a function or 'none' already says which CPUs)");
}

/** Where to read the topology again when the usable CPUs change: its sysfs root, or null for a synthetic one (it never changes). */
function topologyRoot(topology: Topology): string | null {
  return topology.source.startsWith('sysfs:') ? topology.source.slice('sysfs:'.length) : null;
}

function positiveOr(v: number | undefined, fallback: number, name: string, integer: boolean): number {
  if (v === undefined) return fallback;
  if (typeof v !== 'number' || !(v > 0) || (integer && v !== Infinity && !Number.isInteger(v))) {
    throw new PoolOptionsError(`${name} must be a positive ${integer ? 'whole ' : ''}number${fallback === Infinity ? ' (or Infinity)' : ''}, got ${String(v)}`);
  }
  return v;
}
