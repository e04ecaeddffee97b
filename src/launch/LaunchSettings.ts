import { LaunchSettingsError } from './errors.js';

/**
 * Memory policy of a slot: `local` (MPOL_LOCAL), or `bind` / `preferred` / `interleave` over the NUMA nodes of its CPUs.
 *
 * @example
 * ```ts
 * import { Pool, type MemoryMode } from 'corepin';
 * const memory: MemoryMode = 'bind';
 * new Pool({ module: new URL('./work.js', import.meta.url), kind: 'process', memory });
 * ```
 */
export type MemoryMode = 'local' | 'bind' | 'preferred' | 'interleave';
/**
 * Scheduling class: `other` (SCHED_OTHER), `batch` (SCHED_BATCH), `idle` (SCHED_IDLE).
 *
 * @example
 * ```ts
 * import { Pool, type SchedClass } from 'corepin';
 * const sched: SchedClass = 'batch';
 * new Pool({ module: new URL('./work.js', import.meta.url), sched, nice: 10 });
 * ```
 */
export type SchedClass = 'other' | 'batch' | 'idle';
/**
 * `slot`: each worker on its slot's CPUs; `pool`: each worker on the union of all slots' CPUs.
 *
 * @example
 * ```ts
 * import { Pool, type BindingMode } from 'corepin';
 * const binding: BindingMode = 'pool'; // each worker on the union of the slots
 * new Pool({ module: new URL('./work.js', import.meta.url), binding });
 * ```
 */
export type BindingMode = 'slot' | 'pool';

export const MEMORY_MODES: readonly MemoryMode[] = ['local', 'bind', 'preferred', 'interleave'];
export const SCHED_CLASSES: readonly SchedClass[] = ['other', 'batch', 'idle'];
export const BINDING_MODES: readonly BindingMode[] = ['slot', 'pool'];

/** What a pool's workers or a CLI run's commands get besides their CPUs, checked. */
export interface LaunchSettings {
  /** Memory policy, or null to leave the kernel's default. */
  readonly memory: MemoryMode | null;
  /** Nice value (-20…19), or null to leave it. */
  readonly nice: number | null;
  /** Scheduling class, or null to leave it. */
  readonly sched: SchedClass | null;
  /** Set OMP_NUM_THREADS and friends to fit the slot (see threadEnv). */
  readonly threadEnv: boolean;
}

/** The settings as given (Pool options or CLI flags), unchecked. */
export interface LaunchSettingsInput {
  readonly memory?: unknown;
  readonly nice?: unknown;
  readonly sched?: unknown;
  readonly threadEnv?: unknown;
}

/** Names of the settings as the user typed them, for messages (`memory` or `--mem`). */
export interface SettingNames {
  readonly memory: string;
  readonly nice: string;
  readonly sched: string;
  readonly threadEnv: string;
}

export const OPTION_NAMES: SettingNames = { memory: 'memory', nice: 'nice', sched: 'sched', threadEnv: 'threadEnv' };
export const FLAG_NAMES: SettingNames = { memory: '--mem', nice: '--nice', sched: '--sched', threadEnv: '--no-thread-env' };

/** Checks the settings. @throws {LaunchSettingsError} naming the setting, the value and the choices. */
export function checkLaunchSettings(input: LaunchSettingsInput, names: SettingNames = OPTION_NAMES): LaunchSettings {
  const { memory, nice, sched, threadEnv } = input;
  if (memory !== undefined && !MEMORY_MODES.includes(memory as MemoryMode)) {
    throw new LaunchSettingsError(`${names.memory} must be one of ${MEMORY_MODES.join(', ')}; got ${show(memory)}`);
  }
  let niceValue: number | null = null;
  if (nice !== undefined) {
    niceValue = typeof nice === 'string' && /^[+-]?\d+$/.test(nice.trim()) ? Number(nice) : typeof nice === 'number' ? nice : NaN;
    if (!Number.isInteger(niceValue) || niceValue < -20 || niceValue > 19) {
      throw new LaunchSettingsError(`${names.nice} must be a whole number from -20 to 19; got ${show(nice)}`);
    }
  }
  if (sched !== undefined && !SCHED_CLASSES.includes(sched as SchedClass)) {
    throw new LaunchSettingsError(`${names.sched} must be one of ${SCHED_CLASSES.join(', ')}; got ${show(sched)}`);
  }
  if (threadEnv !== undefined && typeof threadEnv !== 'boolean') throw new LaunchSettingsError(`${names.threadEnv} must be true or false; got ${show(threadEnv)}`);
  return { memory: (memory as MemoryMode | undefined) ?? null, nice: niceValue, sched: (sched as SchedClass | undefined) ?? null, threadEnv: threadEnv !== false };
}

/** Checks a binding mode. @throws {LaunchSettingsError} */
export function checkBindingMode(binding: unknown, name = 'binding'): BindingMode {
  if (binding === undefined) return 'slot';
  if (!BINDING_MODES.includes(binding as BindingMode)) throw new LaunchSettingsError(`${name} must be one of ${BINDING_MODES.join(', ')}; got ${show(binding)}`);
  return binding as BindingMode;
}

function show(v: unknown): string {
  const s = typeof v === 'string' ? JSON.stringify(v) : typeof v === 'bigint' ? `${v}n` : JSON.stringify(v) ?? String(v);
  return s.length > 60 ? `${s.slice(0, 57)}...` : s;
}
