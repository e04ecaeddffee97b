// The module every pool that loads a module by path (corepin, piscina, tinypool) is given: the trivial
// tasks, the cache walk and the sweep tasks, by name. workerpool and poolifier need a registration call
// instead; they load workerpoolWorker.ts and poolifier*Worker.ts, which register these same functions.
export { noop, noopChunk, whoami } from './trivial.js';
export { cacheWalk } from './cacheWalk.js';
export { spin, size } from './sweepTasks.js';
export { noop as default } from './trivial.js';
