import { InvalidArgumentError, Option, type Command } from 'commander';
import { pidMax, toCpuSet } from '../affinity.js';
import type { CpuSet } from '../cpuset/CpuSet.js';
import { checkLaunchSettings, FLAG_NAMES, MEMORY_MODES, SCHED_CLASSES, type LaunchSettings } from '../launch/LaunchSettings.js';
import { LaunchSettingsError } from '../launch/errors.js';
import { applySchedToThread } from '../launch/schedClass.js';
import { isLocation, resolveLocation } from '../topology/resolveLocation.js';
import { readTopology } from '../topology/readTopology.js';
import { UsageError } from './errors.js';

// Reading the command line's values: counts, pids, CPU arguments, and the launch flags that
// `exec` and launch mode share. Each bad value is a one-line usage error (exit 2).

/** Reads a whole number ≥ 1 for options like `-j` and `--chunksize`; anything else is a usage error. */
export function parseCount(text: string): number {
  if (!/^\d+$/.test(text) || Number(text) < 1 || Number(text) > 1_000_000) throw new InvalidArgumentError('give a whole number from 1 to 1000000');
  return Number(text);
}

/**
 * A PID operand as typed by the user: digits naming a pid below the kernel's pid_max.
 * @throws {UsageError} otherwise (4294967297 would wrap to pid 1 in a 32-bit pid_t).
 */
export function parsePid(text: string): number {
  const n = Number(text);
  if (!/^\d+$/.test(text) || n <= 0 || !Number.isSafeInteger(n) || (n >= pidMax() && n >= pidMax({ reread: true }))) {
    throw new UsageError(`invalid PID argument: ${JSON.stringify(text)}; give a process id like 1234 (a positive integer below the kernel's pid_max, ${pidMax()})`);
  }
  return n;
}

/**
 * Reads a CPU argument as taskset does: with `-c` a list, otherwise a mask (`3`, `0x3`).
 * With `-c`, location strings (`core:0-1`, `numa:1`, `core:0,pu:7`) are resolved against this
 * machine's topology, counting only usable objects.
 */
export function resolveCpusArgument(text: string, isList: boolean): CpuSet {
  if (isList && isLocation(text)) return resolveLocation(text, readTopology('/'));
  return toCpuSet(text, isList ? 'list' : 'mask');
}

/** `--mem`, `--nice`, `--sched`, `--no-thread-env` as commander gives them. */
export interface LaunchFlags {
  mem?: string;
  nice?: string;
  sched?: string;
  threadEnv?: boolean;
}

/** Adds the memory / scheduling / thread-env flags shared by `exec` and launch mode. */
export function addLaunchFlags(cmd: Command): Command {
  return cmd
    .addOption(new Option('--mem <policy>', `memory policy over the NUMA nodes of each slot's CPUs: ${MEMORY_MODES.join(', ')}`))
    .addOption(new Option('--nice <n>', 'nice value of every job (-20..19; below the current one needs CAP_SYS_NICE)'))
    .addOption(new Option('--sched <class>', `scheduling class of every job: ${SCHED_CLASSES.join(', ')}`))
    .option('--no-thread-env', 'do not set OMP_NUM_THREADS, OMP_PLACES, OPENBLAS/MKL_NUM_THREADS, GOMAXPROCS, UV_THREADPOOL_SIZE');
}

/** Checks the flags; a bad value is a usage error (one line, exit 2). */
export function launchSettingsOf(flags: LaunchFlags): LaunchSettings {
  try {
    return checkLaunchSettings({ memory: flags.mem, nice: flags.nice, sched: flags.sched, threadEnv: flags.threadEnv }, FLAG_NAMES);
  } catch (err) {
    if (err instanceof LaunchSettingsError) throw new UsageError(err.message);
    throw err;
  }
}

/**
 * Gives corepin's own calling thread the nice value and class, so every command it starts from now
 * on inherits them from birth (a fork copies the forking thread's). corepin only waits for its
 * commands, so running it at their priority costs nothing. @throws {SchedPermissionError}
 */
export function applyLaunchSched(settings: LaunchSettings): void {
  applySchedToThread(0, settings);
}

const VALUED: Record<string, 'mem' | 'nice' | 'sched'> = { '--mem': 'mem', '--nice': 'nice', '--sched': 'sched' };

/**
 * Reads one of launch mode's `--mem X`, `--mem=X`, `--nice N`, `--sched X`, `--no-thread-env` at
 * `argv[i]` into `flags`; returns how many words it took (0: not one of them). The value is checked later.
 */
export function takeLaunchFlag(argv: readonly string[], i: number, flags: LaunchFlags): number {
  const arg = argv[i]!;
  if (arg === '--no-thread-env') {
    flags.threadEnv = false;
    return 1;
  }
  const eq = arg.indexOf('=');
  const key = VALUED[eq < 0 ? arg : arg.slice(0, eq)];
  if (key === undefined) return 0;
  if (eq >= 0) {
    flags[key] = arg.slice(eq + 1);
    return 1;
  }
  const value = argv[i + 1];
  if (value === undefined) throw new UsageError(`${arg} needs a value, e.g. ${arg} ${key === 'nice' ? '10' : key === 'mem' ? 'bind' : 'batch'}`);
  flags[key] = value;
  return 2;
}
