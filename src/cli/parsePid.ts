import { currentPidMax } from '../os/validId.js';
import { UsageError } from './UsageError.js';

/**
 * A PID operand as typed by the user: digits naming a pid below the kernel's pid_max.
 * @throws {UsageError} otherwise (4294967297 would wrap to pid 1 in a 32-bit pid_t).
 */
export function parsePid(text: string): number {
  const n = Number(text);
  if (!/^\d+$/.test(text) || n <= 0 || !Number.isSafeInteger(n) || (n >= currentPidMax() && n >= currentPidMax(true))) {
    throw new UsageError(`invalid PID argument: ${JSON.stringify(text)}; give a process id like 1234 (a positive integer below the kernel's pid_max, ${currentPidMax()})`);
  }
  return n;
}
