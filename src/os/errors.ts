import { CorepinError } from '../CorepinError.js';

// The os layer's errors: the platform, the backend choice, ids the kernel would misread.

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
export class UnsupportedPlatformError extends CorepinError<'ERR_UNSUPPORTED_PLATFORM'> {
  constructor(what: string) {
    super(
      'ERR_UNSUPPORTED_PLATFORM',
      `${what} needs Linux (sched_setaffinity); this is ${process.platform}. Run corepin on a Linux machine`,
    );
  }
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

/**
 * `COREPIN_BACKEND` names no backend (it must be `native` or `taskset`).
 *
 * @example
 * ```ts
 * import { currentBackend, BadBackendError } from 'corepin';
 * process.env.COREPIN_BACKEND = 'fast';
 * try { currentBackend(); } catch (err) { if (err instanceof BadBackendError) console.error(err.message); } // use native or taskset
 * ```
 */
export class BadBackendError extends CorepinError<'ERR_BAD_BACKEND'> {
  constructor(
    /** The value asked for. */
    readonly backend: string,
  ) {
    super('ERR_BAD_BACKEND', `COREPIN_BACKEND=${backend} is not a backend; use native or taskset`);
  }
}

/**
 * `COREPIN_BACKEND=native` was asked for, but the addon did not load (the message says why).
 *
 * @example
 * ```ts
 * import { currentBackend, NativeUnavailableError } from 'corepin';
 * try { currentBackend(); } catch (err) { if (err instanceof NativeUnavailableError) console.error(err.message); }
 * ```
 */
export class NativeUnavailableError extends CorepinError<'ERR_NATIVE_UNAVAILABLE'> {
  constructor(why: string | undefined) {
    super('ERR_NATIVE_UNAVAILABLE', `COREPIN_BACKEND=native but the addon did not load (${why}); run \`npm rebuild corepin\``);
  }
}
