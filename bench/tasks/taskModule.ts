// The module every pool that loads a module by path (corepin, piscina, tinypool) is given: the trivial
// tasks and the cache walk, by name. workerpool and poolifier need a registration call instead; they
// load workerpoolWorker.ts and poolifier*Worker.ts, which register these same functions.
export { noop, noopChunk } from './trivial.js';
export { cacheWalk } from './cacheWalk.js';
export { noop as default } from './trivial.js';
