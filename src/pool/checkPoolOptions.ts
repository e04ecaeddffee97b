import { checkBindingMode, checkLaunchSettings } from '../launch/LaunchSettings.js';
import { checkSchedAllowed } from '../launch/schedClass.js';
import { SlotSettings } from '../launch/SlotSettings.js';
import { readTopology } from '../topology/readTopology.js';
import type { CpuSet } from '../cpuset/CpuSet.js';
import { PoolOptionsError } from './errors.js';
import type { PoolConfig } from './PoolCore.js';
import type { PoolOptions } from './PoolOptions.js';
import { defaultExecArgv, processRuntime } from './runtime/processRuntime.js';
import { resolveSlots } from './resolveSlots.js';
import { resolveTaskModule } from './resolveTaskModule.js';
import { threadRuntime } from './runtime/threadRuntime.js';

/** A pool's options checked and resolved: its fixed config, each slot's CPUs, and how often to re-read the usable CPUs. */
export interface CheckedPoolOptions {
  readonly config: PoolConfig;
  readonly slotCpus: (CpuSet | null)[];
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
  const settings = new SlotSettings(launch, () => readTopology());
  const init = { module: module.href, initializer: options.initializer ?? null, initargs: [...(options.initargs ?? [])] };
  const slotCpus = resolveSlots(options.placement, options.workers);
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
  const config: PoolConfig = { kind, binding, settings, runtime, init, modulePath: module.path, placement: options.placement, maxTasksPerChild, maxQueue, taskTimeout, maxStartupFailures };
  return { config, slotCpus, cpuCheckInterval: every };
}

function positiveOr(v: number | undefined, fallback: number, name: string, integer: boolean): number {
  if (v === undefined) return fallback;
  if (typeof v !== 'number' || !(v > 0) || (integer && v !== Infinity && !Number.isInteger(v))) {
    throw new PoolOptionsError(`${name} must be a positive ${integer ? 'whole ' : ''}number${fallback === Infinity ? ' (or Infinity)' : ''}, got ${String(v)}`);
  }
  return v;
}
