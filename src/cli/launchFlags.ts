import { Option, type Command } from 'commander';
import { checkLaunchSettings, FLAG_NAMES, MEMORY_MODES, SCHED_CLASSES, type LaunchSettings } from '../launch/LaunchSettings.js';
import { LaunchSettingsError } from '../launch/errors.js';
import { applySchedToThread } from '../launch/schedClass.js';
import { UsageError } from './UsageError.js';

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
