import { CorepinError } from '../CorepinError.js';
import type { UnavailableReason } from '../os/errors.js';

// The errors of pin / affinityOf / spawnPinned: CPUs that cannot be used, and the kernel's refusals.

/**
 * The requested CPUs include some that this process cannot use; nothing was changed.
 *
 * @example
 * ```ts
 * import { pin, usableCpus, CpusUnavailableError } from 'corepin';
 * try {
 *   pin('self', '0-4095');
 * } catch (err) {
 *   if (!(err instanceof CpusUnavailableError)) throw err;
 *   pin('self', usableCpus()); // err.cpus lists the refused CPUs, err.reasons says why each
 * }
 * ```
 */
export class CpusUnavailableError extends CorepinError<'ERR_CPUS_UNAVAILABLE'> {
  /** The CPUs that cannot be used. */
  readonly cpus: readonly number[];
  /** Why, for each of them. */
  readonly reasons: ReadonlyMap<number, UnavailableReason>;
  constructor(requested: string, reasons: Map<number, UnavailableReason>, usable: string) {
    const parts: string[] = [];
    const byReason = new Map<UnavailableReason, number[]>();
    for (const [cpu, why] of reasons) {
      const list = byReason.get(why) ?? [];
      list.push(cpu);
      byReason.set(why, list);
    }
    const words: Record<UnavailableReason, string> = {
      offline: 'offline',
      'not-in-cpuset': "not in this process's cpuset",
      'beyond-machine': 'beyond this machine',
      'not-allowed': "outside this process's allowed CPUs",
    };
    for (const [why, cpus] of byReason) parts.push(`${cpus.length > 1 ? `CPUs ${compact(cpus)} are` : `CPU ${compact(cpus)} is`} ${words[why]}`);
    super(
      'ERR_CPUS_UNAVAILABLE',
      `cannot pin ${requested}: ${parts.join('; ')}; choose among the usable CPUs ${usable || '(none)'}`,
    );
    this.cpus = [...reasons.keys()];
    this.reasons = reasons;
  }
}

/**
 * The kernel answered with an errno when reading or setting affinity.
 *
 * @example
 * ```ts
 * import { affinityOf, AffinityError } from 'corepin';
 * try {
 *   affinityOf(999999);
 * } catch (err) {
 *   if (err instanceof AffinityError) console.log(err.errno, err.target); // 'ESRCH' 'pid 999999'
 * }
 * ```
 */
export class AffinityError extends CorepinError<'ESRCH' | 'EPERM' | 'EINVAL'> {
  /** The kernel's errno name: `ESRCH`, `EPERM` or `EINVAL`. */
  readonly errno: string;
  constructor(
    errno: 'ESRCH' | 'EPERM' | 'EINVAL',
    /** What was asked about, in words (e.g. `pid 1234`, `thread 5678`). */
    readonly target: string,
    message: string,
  ) {
    super(errno, message);
    this.errno = errno;
  }
}

/**
 * No such process or thread (ESRCH).
 *
 * @example
 * ```ts
 * import { pin, NoSuchProcessError } from 'corepin';
 * try {
 *   pin(999999, '0');
 * } catch (err) {
 *   if (!(err instanceof NoSuchProcessError)) throw err; // code 'ESRCH': the process already exited
 * }
 * ```
 */
export class NoSuchProcessError extends AffinityError {
  constructor(target: string) {
    super('ESRCH', target, `No such process: ${target}; check the pid with \`ps -p\` or \`ls /proc\``);
  }
}

/**
 * Not permitted to change this target's affinity (EPERM).
 *
 * @example
 * ```ts
 * import { pin, AffinityPermissionError } from 'corepin';
 * try {
 *   pin(1, '0'); // init, as an unprivileged user
 * } catch (err) {
 *   if (err instanceof AffinityPermissionError) console.error(err.message); // code 'EPERM'
 * }
 * ```
 */
export class AffinityPermissionError extends AffinityError {
  constructor(target: string) {
    super(
      'EPERM',
      target,
      `Operation not permitted: cannot change the affinity of ${target}; run as its owner or with CAP_SYS_NICE`,
    );
  }
}

/**
 * The kernel refused the set (EINVAL): usually no CPU of it is usable by the target.
 *
 * @example
 * ```ts
 * import { pin, InvalidAffinityError } from 'corepin';
 * try {
 *   pin(1234, '3'); // a CPU that pid 1234's own cpuset does not allow
 * } catch (err) {
 *   if (err instanceof InvalidAffinityError) console.error(err.message); // code 'EINVAL'
 * }
 * ```
 */
export class InvalidAffinityError extends AffinityError {
  constructor(target: string, cpus: string) {
    super(
      'EINVAL',
      target,
      `Invalid argument: the kernel refused CPUs ${cpus} for ${target}; none of them is usable there (offline or outside its cpuset)`,
    );
  }
}

/**
 * `pin` or `spawnPinned` was given an empty CPU set.
 *
 * @example
 * ```ts
 * import { pin, EmptyCpuSetError } from 'corepin';
 * try { pin('thread', []); } catch (err) { if (err instanceof EmptyCpuSetError) console.error(err.message); }
 * ```
 */
export class EmptyCpuSetError extends CorepinError<'ERR_EMPTY_CPUSET'> {
  constructor(message: string) {
    super('ERR_EMPTY_CPUSET', message);
  }
}

function compact(cpus: number[]): string {
  const sorted = [...new Set(cpus)].sort((a, b) => a - b);
  const parts: string[] = [];
  for (let i = 0; i < sorted.length; ) {
    let j = i;
    while (j + 1 < sorted.length && sorted[j + 1] === sorted[j]! + 1) j++;
    parts.push(j === i ? String(sorted[i]) : `${sorted[i]}-${sorted[j]}`);
    i = j + 1;
  }
  return parts.join(',');
}
