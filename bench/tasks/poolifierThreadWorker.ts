// poolifier's thread worker: tasks are registered by name on a ThreadWorker.
import { ThreadWorker } from 'poolifier';
import { noop, noopChunk, whoami } from './trivial.js';
import { cacheWalk, type CacheWalkArgs } from './cacheWalk.js';
import { size, spin } from './sweepTasks.js';

export default new ThreadWorker<unknown, unknown>({
  noop: (x) => noop(x),
  noopChunk: (xs) => noopChunk(xs as unknown[]),
  whoami: () => whoami(),
  cacheWalk: (a) => cacheWalk(a as CacheWalkArgs),
  spin: (n) => spin(n as number),
  size: (p) => size(p),
});
