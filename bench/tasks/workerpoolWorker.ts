// workerpool's worker script (threads and processes): tasks are registered by name.
import workerpool from 'workerpool';
import { noop, noopChunk, whoami } from './trivial.js';
import { cacheWalk } from './cacheWalk.js';
import { size, spin } from './sweepTasks.js';

workerpool.worker({ noop, noopChunk, whoami, cacheWalk, spin, size });
