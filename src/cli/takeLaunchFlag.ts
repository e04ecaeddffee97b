import type { LaunchFlags } from './launchFlags.js';
import { UsageError } from './UsageError.js';

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
