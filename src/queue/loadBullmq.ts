import { QueueDependencyError } from './errors.js';

/** The BullMQ module, loaded on first use. */
export type Bullmq = typeof import('bullmq');

let loaded: Promise<Bullmq> | null = null;

/**
 * Imports `bullmq` (an optional peer dependency) and checks that `ioredis`, which BullMQ needs
 * beside it, is there too.
 *
 * @throws {QueueDependencyError} naming `npm install bullmq ioredis` when either is missing.
 */
export function loadBullmq(): Promise<Bullmq> {
  loaded ??= (async () => {
    try {
      await import('ioredis');
    } catch (err) {
      throw new QueueDependencyError('ioredis (BullMQ needs it beside it)', { cause: err });
    }
    try {
      return await import('bullmq');
    } catch (err) {
      throw new QueueDependencyError('bullmq', { cause: err });
    }
  })();
  loaded.catch(() => {
    loaded = null;
  });
  return loaded;
}
