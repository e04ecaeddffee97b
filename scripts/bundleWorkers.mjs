// Bundles each worker entry (dist/src/pool/worker/entryProcess.js, entryThread.js, and the modules
// they import) into one CommonJS file beside it, <entry>.bundle.cjs: a fresh worker then loads one
// file through the CommonJS loader instead of ~14 through the ESM loader, which cost ~13–17 % of its
// CPU per start (bench/history/startup.md, bundle.md). Runs after tsc in every script that builds.
//
// Input is tsc's output in dist, so the bundle is exactly the dist code. Its first line records a
// sha256 over those inputs; the pool (src/pool/runtime/workerEntry.ts) starts the bundle only when
// the files in dist still hash to it, else the unbundled entry: a bundle older than dist (tsc run
// alone) is never run instead of the fresh code.
import { build } from 'esbuild';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
// tsc has just written dist: the hash is the one the pool recomputes at run time.
import { BUNDLE_TAG, bundleInputsHash } from '../dist/src/pool/runtime/bundleInputsHash.js';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const DIST = join(ROOT, 'dist');
/** Entries bundled, relative to dist; each gives `<name>.bundle.cjs` beside it. */
const ENTRIES = ['src/pool/worker/entryProcess.js', 'src/pool/worker/entryThread.js'];

for (const entry of ENTRIES) await bundle(entry);

async function bundle(entry) {
  const inFile = join(DIST, entry);
  const outFile = inFile.replace(/\.js$/, '.bundle.cjs');
  // No bundle left behind from an earlier build if this one fails.
  rmSync(outFile, { force: true });
  const outDir = dirname(outFile);
  const result = await build({
    entryPoints: [inFile],
    outfile: outFile,
    bundle: true,
    format: 'cjs',
    platform: 'node',
    target: 'node20',
    write: false,
    metafile: true,
    logLevel: 'warning',
    // An `import.meta` the rewrite below missed would be an empty object in CommonJS: fail instead.
    logOverride: { 'empty-import-meta': 'error' },
    plugins: [lazyImportsExternal(outDir), bundleRequire(), moduleUrls(outDir)],
  });
  const inputs = Object.keys(result.metafile.inputs).map((p) => relative(DIST, resolve(ROOT, p)).split('\\').join('/')).sort();
  const code = result.outputFiles[0].text;
  // ES modules are strict code: so is the bundle, whether or not esbuild wrote the directive (it
  // does when a tsconfig.json with `strict` is in reach). The bundle's own URL, from which each
  // module's import.meta.url is rebuilt (moduleUrls), comes after the directive.
  const strict = '"use strict";\n';
  const body = code.startsWith(strict) ? code.slice(strict.length) : code;
  const url = "const __corepinBundleUrl = require('node:url').pathToFileURL(__filename).href;\n";
  writeFileSync(outFile, `${BUNDLE_TAG}${JSON.stringify({ sha256: bundleInputsHash(DIST, inputs), inputs })}\n${strict}${url}${body}`);
}

/**
 * `import('./x.js')` of corepin's own modules (taken only off a worker's fast path: affinity,
 * schedClass) stays a dynamic import of the dist file, relative to the bundle: the bundle keeps to
 * what every worker runs, and the rare path loads the same fresh dist code as unbundled.
 */
function lazyImportsExternal(outDir) {
  return {
    name: 'corepin-lazy-imports-external',
    setup(b) {
      b.onResolve({ filter: /^\.\.?\// }, (args) => {
        if (args.kind !== 'dynamic-import') return undefined;
        const rel = relative(outDir, resolve(args.resolveDir, args.path)).split('\\').join('/');
        return { path: rel.startsWith('.') ? rel : `./${rel}`, external: true };
      });
    },
  };
}

/**
 * dist/src/os/cjsRequire.js becomes the bundle's own `require`, so a worker never loads `node:module`
 * (Node's ES module loader and source maps come with it: ~8 M instructions per fresh worker). The
 * bundle is CommonJS, so `require` is in scope; see src/os/cjsRequire.ts.
 */
function bundleRequire() {
  return {
    name: 'corepin-bundle-require',
    setup(b) {
      b.onLoad({ filter: /[\\/]os[\\/]cjsRequire\.js$/ }, () => ({
        contents: 'export function cjsRequire() { return require; }\n',
        loader: 'js',
      }));
    },
  };
}

/**
 * Each module's `import.meta.url` becomes its own dist file's URL, computed from where the bundle
 * is at run time (it is relocated by npm install), so paths resolved from it (the addon's package
 * root in os/nativeAddon.js) are the same as unbundled.
 */
function moduleUrls(outDir) {
  return {
    name: 'corepin-module-urls',
    setup(b) {
      b.onLoad({ filter: /\.js$/ }, (args) => {
        const text = readFileSync(args.path, 'utf8');
        const rel = relative(outDir, args.path).split('\\').join('/');
        return { contents: text.replace(/\bimport\.meta\.url\b/g, `new URL(${JSON.stringify(rel)}, __corepinBundleUrl).href`), loader: 'js' };
      });
    },
  };
}
