// poolifier's process worker: tasks are registered by name on a ClusterWorker (a cluster fork).
// Plain CommonJS, loaded from bench/tasks/ (not compiled): an ES module worker is still loading when
// node:cluster reports it online, so it misses the first message poolifier's primary sends at that
// moment and every task hangs (seen with Node 20.20 and poolifier 5.3.2). tsconfig compiles only
// .ts files, so this one is JavaScript. The task bodies are the same as in trivial.ts and sweepTasks.ts.
'use strict';
const { ClusterWorker } = require('poolifier');
const { readlinkSync } = require('node:fs');

function noop(x) {
  return x;
}

function spin(iterations) {
  let x = 1;
  for (let i = 0; i < iterations; i++) x = (Math.imul(x, 1103515245) + 12345) | 0;
  return x;
}

module.exports = new ClusterWorker({
  noop,
  noopChunk: (xs) => xs.map(noop),
  whoami: () => readlinkSync('/proc/thread-self').split('/task/').join('/'),
  spin,
  size: (p) => (typeof p === 'string' ? p.length : -1),
});
