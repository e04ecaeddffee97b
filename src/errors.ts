/**
 * Every failure a user can cause is one of these classes: a stable `code`, and a message that
 * names the offending input and says what to do. The CLI prints `message` on one line.
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

/** A CPU list or mask could not be parsed. `token` and `position` (0-based) name the bad part. */
export class CpuSetSyntaxError extends CorepinError {
  readonly input: string;
  readonly token: string;
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

/** Why a CPU cannot be used by this process. */
export type UnavailableReason = 'offline' | 'not-in-cpuset' | 'beyond-machine' | 'not-allowed';

/** The requested CPUs include some that this process cannot use; nothing was changed. */
export class CpusUnavailableError extends CorepinError {
  readonly cpus: readonly number[];
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

/** The kernel answered with an errno when reading or setting affinity. */
export class AffinityError extends CorepinError {
  readonly errno: string;
  readonly target: string;
  constructor(errno: string, target: string, message: string) {
    super(errno, message);
    this.errno = errno;
    this.target = target;
  }
}

/** No such process or thread (ESRCH). */
export class NoSuchProcessError extends AffinityError {
  constructor(target: string) {
    super('ESRCH', target, `No such process: ${target}; check the pid with \`ps -p\` or \`ls /proc\``);
  }
}

/** Not permitted to change this target's affinity (EPERM). */
export class AffinityPermissionError extends AffinityError {
  constructor(target: string) {
    super(
      'EPERM',
      target,
      `Operation not permitted: cannot change the affinity of ${target}; run as its owner or with CAP_SYS_NICE`,
    );
  }
}

/** The kernel refused the set (EINVAL): usually no CPU of it is usable by the target. */
export class InvalidAffinityError extends AffinityError {
  constructor(target: string, cpus: string) {
    super(
      'EINVAL',
      target,
      `Invalid argument: the kernel refused CPUs ${cpus} for ${target}; none of them is usable there (offline or outside its cpuset)`,
    );
  }
}

/** corepin only works on Linux. */
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
 */
export class InvalidIdError extends TypeError {
  /** Always `ERR_INVALID_ID`. */
  readonly code = 'ERR_INVALID_ID';
  constructor(message: string) {
    super(message);
    this.name = 'InvalidIdError';
  }
}
