// The install script. On Linux it follows node-gyp-build: when a prebuild in prebuilds/ loads (and
// --build-from-source was not asked for), nothing is compiled; otherwise node-gyp builds the addon.
// Prebuilds older than native/ (a checkout where the C++ changed since `npm run prebuild`) are not
// trusted: the addon is built from source. Elsewhere it does nothing, so `npm ci` succeeds and corepin
// reports UnsupportedPlatformError.
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { sourceHash, SOURCE_HASH_FILE } from './sourceHash.mjs';

if (process.platform !== 'linux') {
  console.log(`corepin: skipping the native addon on ${process.platform} (Linux only)`);
  process.exit(0);
}
const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(import.meta.url);
// `--force` (npm run build) recompiles; otherwise node-gyp-build keeps an existing or prebuilt binary.
let force = process.argv.includes('--force');
const recorded = join(root, SOURCE_HASH_FILE);
if (!force && existsSync(recorded) && readFileSync(recorded, 'utf8').trim() !== sourceHash(root)) {
  console.log('corepin: native/ changed since the prebuilds were made (npm run prebuild); building the addon from source');
  force = true;
}
// node-gyp-build loads build/ before prebuilds/, and keeps any build/ that loads: an addon compiled
// from older native/ sources (a checkout that pulled new C++) would load and lack newer functions.
// A from-source build records its sources' hash beside it; build/ without it, or from other sources, goes.
const current = sourceHash(root);
const buildDir = join(root, 'build');
const builtFrom = join(buildDir, 'sources.sha256');
if (!force && existsSync(join(buildDir, 'Release')) && (!existsSync(builtFrom) || readFileSync(builtFrom, 'utf8').trim() !== current)) {
  console.log('corepin: build/ holds an addon built from other native/ sources; removing it (a prebuild or a fresh build takes its place)');
  rmSync(buildDir, { recursive: true, force: true });
}
const bin = force ? nodeGyp() : require.resolve('node-gyp-build/bin.js');
const env = { ...process.env };
// Build against the headers of the Node that runs us when they are installed (no download).
const headers = join(dirname(process.execPath), '..', 'include', 'node');
if (!env.npm_config_nodedir && existsSync(join(headers, 'node_api.h'))) env.npm_config_nodedir = join(headers, '..', '..');
const r = spawnSync(process.execPath, force ? [bin, 'rebuild'] : [bin], { stdio: 'inherit', env, cwd: root });
if (r.status !== 0) {
  // Not fatal: corepin falls back to the taskset backend with a one-line warning.
  console.warn('corepin: the native addon did not build; corepin will use the taskset backend');
} else if (existsSync(join(buildDir, 'Release', 'corepin.node'))) {
  writeFileSync(builtFrom, `${current}\n`);
}
process.exit(0);

// node-gyp: our devDependency in a checkout; in a user's install, the one npm ships (npm_config_node_gyp).
function nodeGyp() {
  try {
    return require.resolve('node-gyp/bin/node-gyp.js');
  } catch {
    return process.env.npm_config_node_gyp ?? 'node-gyp';
  }
}
