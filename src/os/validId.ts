import { readFileSync } from 'node:fs';
import { InvalidIdError } from './errors.js';

/** The kernel's largest possible pid_max on 64-bit Linux (PID_MAX_LIMIT, 2^22). */
export const PID_MAX_LIMIT = 2 ** 22;

let pidMax: number | undefined;

/**
 * The kernel's current `pid_max` (ids are below it), read from /proc/sys/kernel/pid_max once and
 * read again before refusing an id at or above it (an admin may have raised it); 2^22 where the
 * file cannot be read.
 */
export function currentPidMax(reread = false): number {
  if (pidMax === undefined || reread) {
    let n = NaN;
    try {
      n = Number(readFileSync('/proc/sys/kernel/pid_max', 'utf8').trim());
    } catch {
      // not Linux or no /proc: the kernel's own limit
    }
    pidMax = Number.isSafeInteger(n) && n > 0 ? n : PID_MAX_LIMIT;
  }
  return pidMax;
}

/** How a bad id is shown in a message: as the user wrote it. */
export function showId(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value);
  if (typeof value === 'bigint') return `${value}n`;
  if (typeof value === 'number') return Object.is(value, -0) ? '0' : String(value);
  if (value === null || value === undefined) return String(value);
  return typeof value;
}

/**
 * `value` as a process or thread id: a positive safe integer below the kernel's `pid_max`.
 * @throws {InvalidIdError} naming the value otherwise.
 */
export function validId(value: unknown, kind: 'pid' | 'tid'): number {
  if (typeof value === 'number' && Number.isSafeInteger(value) && value > 0 && (value < currentPidMax() || value < currentPidMax(true))) return value;
  throw new InvalidIdError(`invalid ${kind} ${showId(value)}: a ${kind} is a positive integer below the kernel's pid_max (${currentPidMax()})`);
}

/**
 * `value` as a backend's thread id: 0 (the calling thread) or a positive integer below 2^31, the
 * range of the kernel's `pid_t`. The same check the native addon makes.
 * @throws {InvalidIdError} naming the value otherwise.
 */
export function backendTid(value: unknown): number {
  if (typeof value === 'number' && Number.isInteger(value) && value >= 0 && value < 2 ** 31) return value === 0 ? 0 : value;
  throw new InvalidIdError(`invalid tid ${showId(value)}: a thread id is 0 (the calling thread) or a positive integer below 2^31`);
}
