// Builds the native addon on Linux (node-gyp-build uses a prebuilt binary when one ships);
// elsewhere it does nothing, so `npm ci` succeeds and corepin reports UnsupportedPlatformError.
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';

if (process.platform !== 'linux') {
  console.log(`corepin: skipping the native addon on ${process.platform} (Linux only)`);
  process.exit(0);
}
const require = createRequire(import.meta.url);
// `--force` (npm run build) recompiles; otherwise node-gyp-build keeps an existing or prebuilt binary.
const force = process.argv.includes('--force');
const bin = force ? require.resolve('node-gyp/bin/node-gyp.js') : require.resolve('node-gyp-build/bin.js');
const env = { ...process.env };
// Build against the headers of the Node that runs us when they are installed (no download).
const headers = join(dirname(process.execPath), '..', 'include', 'node');
if (!env.npm_config_nodedir && existsSync(join(headers, 'node_api.h'))) env.npm_config_nodedir = join(headers, '..', '..');
const r = spawnSync(process.execPath, force ? [bin, 'rebuild'] : [bin], { stdio: 'inherit', env });
if (r.status !== 0) {
  // Not fatal: corepin falls back to the taskset backend with a one-line warning.
  console.warn('corepin: the native addon did not build; corepin will use the taskset backend');
}
process.exit(0);
