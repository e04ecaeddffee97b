// poolifier's process worker: tasks are registered by name on a ClusterWorker (a cluster fork).
// Plain CommonJS, loaded from bench/tasks/ (not compiled): an ES module worker is still loading when
// node:cluster reports it online, so it misses the first message poolifier's primary sends at that
// moment and every task hangs (seen with Node 20.20 and poolifier 5.3.2). tsconfig compiles only
// .ts files, so this one is JavaScript. The task bodies are the same as in trivial.ts.
'use strict';
const { ClusterWorker } = require('poolifier');

function noop(x) {
  return x;
}

module.exports = new ClusterWorker({
  noop,
  noopChunk: (xs) => xs.map(noop),
});
