import { pathToFileURL } from 'node:url';
import { cjsRequire } from '../../os/cjsRequire.js';

/**
 * Loads a CommonJS task module with `require()` (the pool decided it is one: commonJsTaskModule.ts)
 * and gives it the namespace shape `import()` would: `default` is `module.exports`, and each own
 * enumerable key of `module.exports` is a named export. Null when Node refuses to require it (an ES
 * module with top-level await, or on a Node without require(esm)): the caller then uses `import()`.
 */
export function requireTaskModule(path: string): Record<string, unknown> | null {
  let got: unknown;
  try {
    got = cjsRequire(pathToFileURL(path).href)(path);
  } catch (err) {
    const code = (err as { code?: unknown } | null)?.code;
    if (code === 'ERR_REQUIRE_ASYNC_MODULE' || code === 'ERR_REQUIRE_ESM') return null;
    throw err;
  }
  // A `.js` with ES syntax in a package without `type` is an ES module to Node ≥ 20.19 (syntax
  // detection), which require() then returns as its namespace: used as import() would give it.
  if (Object.prototype.toString.call(got) === '[object Module]') return got as Record<string, unknown>;
  const ns: Record<string, unknown> = {};
  if (got !== null && (typeof got === 'object' || typeof got === 'function')) {
    for (const k of Object.keys(got)) ns[k] = (got as Record<string, unknown>)[k];
  }
  ns['default'] = got;
  return ns;
}
