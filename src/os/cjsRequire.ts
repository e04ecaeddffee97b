import { createRequire } from 'node:module';

/**
 * A CommonJS `require` resolving from `from` (a file URL). In the worker bundles (CommonJS, built by
 * scripts/bundleWorkers.mjs) this module is swapped for one returning the bundle's own `require`:
 * loading `node:module` in a fresh worker brings in Node's ES module loader and source-map support
 * (~8 M instructions per worker start), which a worker whose task module is CommonJS never needs.
 * The bundle's `require` resolves bare names from its own folder in dist, which has the same
 * `node_modules` chain as every other dist folder; corepin only passes it absolute paths, builtins
 * and `node-gyp-build`.
 */
export function cjsRequire(from: string): NodeJS.Require {
  return createRequire(from);
}
