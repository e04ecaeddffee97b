import { CorepinError } from '../CorepinError.js';

// The launch settings' errors: a bad memory / nice / sched / binding value, or a priority not permitted.

/**
 * A memory, nice, sched, binding or thread-env setting has a bad value; nothing was started.
 *
 * @example
 * ```ts
 * import { Pool, LaunchSettingsError } from 'corepin';
 * try { new Pool({ module: './work.js', sched: 'fast' as never }); } catch (err) { if (err instanceof LaunchSettingsError) console.error(err.message); }
 * ```
 */
export class LaunchSettingsError extends CorepinError<'ERR_LAUNCH_SETTING'> {
  constructor(message: string) {
    super('ERR_LAUNCH_SETTING', message);
  }
}

/**
 * The kernel refused a scheduling change: raising priority (a nice value below the current one)
 * needs CAP_SYS_NICE or a matching RLIMIT_NICE. Nothing was started.
 *
 * @example
 * ```ts
 * import { Pool, SchedPermissionError } from 'corepin';
 * try { new Pool({ module: './work.js', nice: -10 }); } catch (err) { if (err instanceof SchedPermissionError) console.error(err.message); } // without CAP_SYS_NICE
 * ```
 */
export class SchedPermissionError extends CorepinError<'ERR_SCHED_PERMISSION'> {
  constructor(what: string) {
    super('ERR_SCHED_PERMISSION', `not permitted to set ${what}: raising priority needs CAP_SYS_NICE (run as root, or raise RLIMIT_NICE); use a nice value of at least the current one`);
  }
}
