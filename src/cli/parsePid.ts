import { UsageError } from './UsageError.js';

/** A PID operand as typed by the user. @throws {UsageError} when it is not a positive integer. */
export function parsePid(text: string): number {
  if (!/^\d+$/.test(text) || Number(text) <= 0) throw new UsageError(`invalid PID argument: ${JSON.stringify(text)}; give a process id like 1234`);
  return Number(text);
}
