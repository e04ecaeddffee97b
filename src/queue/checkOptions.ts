import { QueueOptionsError } from './errors.js';

/** A BullMQ queue name: non-empty, no `:` (BullMQ uses it in its keys). */
export function checkQueueName(queue: unknown): string {
  if (typeof queue !== 'string' || queue === '' || queue.includes(':')) {
    throw new QueueOptionsError(`queue name must be a non-empty string without ':', got ${JSON.stringify(queue)}`);
  }
  return queue;
}

/** A whole number > 0 (or >= 0 with `zeroOk`). */
export function positiveInt(value: unknown, name: string, zeroOk: boolean): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < (zeroOk ? 0 : 1)) {
    throw new QueueOptionsError(`${name} must be a whole number ${zeroOk ? '>= 0' : '> 0'}, got ${String(value)}`);
  }
  return value;
}
