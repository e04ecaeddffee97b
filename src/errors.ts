/**
 * Every failure a user can cause is one of these classes: a stable `code`, and a message that
 * names the offending input and says what to do. The CLI prints `message` on one line.
 *
 * @example
 * ```ts
 * import { pin, CorepinError } from 'corepin';
 * try {
 *   pin('self', '0-3');
 * } catch (err) {
 *   if (err instanceof CorepinError) console.error(`${err.code}: ${err.message}`); // one line, for the user
 *   else throw err;
 * }
 * ```
 */
export class CorepinError extends Error {
  /** Stable machine-readable code, e.g. `ERR_CPUSET_SYNTAX`, `ESRCH`. */
  readonly code: string;
  constructor(code: string, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.code = code;
    this.name = new.target.name;
  }
}

/**
 * A CPU list or mask could not be parsed. `token` and `position` (0-based) name the bad part.
 *
 * @example
 * ```ts
 * import { CpuSet, CpuSetSyntaxError } from 'corepin';
 * try {
 *   CpuSet.parse('0-3,x');
 * } catch (err) {
 *   if (err instanceof CpuSetSyntaxError) console.log(err.token, err.position); // 'x' 4
 * }
 * ```
 */
export class CpuSetSyntaxError extends CorepinError {
  /** The text that was parsed. */
  readonly input: string;
  /** The part of it that is wrong. */
  readonly token: string;
  /** Where that part starts (0-based). */
  readonly position: number;
  /** Whether the text was read as a `list` or a `mask` (taskset words its message by that). */
  readonly form: 'list' | 'mask';
  constructor(input: string, token: string, position: number, why: string, form: 'list' | 'mask' = 'list') {
    const shown = input.length > 80 ? `${input.slice(0, 77)}...` : input;
    super(
      'ERR_CPUSET_SYNTAX',
      `failed to parse CPU ${form}: ${JSON.stringify(shown)}: ${why} at position ${position} (${JSON.stringify(token)}); ` +
        (form === 'mask' ? 'use a hex mask like 0xff, or -c with a list like 0-3,8' : 'use a list like 0-3,8,10-15:2 or a hex mask like 0xff'),
    );
    this.form = form;
    this.input = input;
    this.token = token;
    this.position = position;
  }
}

/**
 * Why a CPU cannot be used by this process.
 *
 * @example
 * ```ts
 * import { pin, CpusUnavailableError, type UnavailableReason } from 'corepin';
 * try {
 *   pin('self', '0-4095');
 * } catch (err) {
 *   if (!(err instanceof CpusUnavailableError)) throw err;
 *   const why: UnavailableReason | undefined = err.reasons.get(4095); // 'beyond-machine'
 * }
 * ```
 */
export type UnavailableReason = 'offline' | 'not-in-cpuset' | 'beyond-machine' | 'not-allowed';

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
export class CpusUnavailableError extends CorepinError {
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
    for (const [why, cpus] of byReason) parts.push(`CPU ${compact(cpus)} ${cpus.length > 1 ? 'are' : 'is'} ${words[why]}`);
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
export class AffinityError extends CorepinError {
  /** The kernel's errno name: `ESRCH`, `EPERM` or `EINVAL`. */
  readonly errno: string;
  /** What was asked about, in words (e.g. `pid 1234`, `thread 5678`). */
  readonly target: string;
  constructor(errno: string, target: string, message: string) {
    super(errno, message);
    this.errno = errno;
    this.target = target;
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
 * corepin only works on Linux.
 *
 * @example
 * ```ts
 * import { pin, isSupported, UnsupportedPlatformError } from 'corepin';
 * if (isSupported()) pin('self', '0');
 * try {
 *   pin('self', '0');
 * } catch (err) {
 *   if (err instanceof UnsupportedPlatformError) console.warn('no CPU affinity here'); // e.g. on macOS
 * }
 * ```
 */
export class UnsupportedPlatformError extends CorepinError {
  constructor(what: string) {
    super(
      'ERR_UNSUPPORTED_PLATFORM',
      `${what} needs Linux (sched_setaffinity); this is ${process.platform}. Run corepin on a Linux machine`,
    );
  }
}

/** `2-5,8`: ranges, so a request like 0-65535 gives a short message (CpuSet would import this file). */
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

/**
 * A process or thread id that is not a positive integer below the kernel's `pid_max` (a NaN, a
 * fraction, 0, a negative, 2^32 + 1 …). A `TypeError`: cast to the kernel's 32-bit `pid_t` such a
 * value would name another task (NaN → 0 = the calling thread, 2^32 + 1 → pid 1).
 *
 * @example
 * ```ts
 * import { pin, InvalidIdError } from 'corepin';
 * try { pin(Number.NaN, '0'); } catch (err) { if (err instanceof InvalidIdError) console.error(err.message); }
 * ```
 */
export class InvalidIdError extends TypeError {
  /** Always `ERR_INVALID_ID`. */
  readonly code = 'ERR_INVALID_ID';
  constructor(message: string) {
    super(message);
    this.name = 'InvalidIdError';
  }
}
