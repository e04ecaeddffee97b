// `npm run prebuild`: rebuilds prebuilds/linux-x64 and prebuilds/linux-arm64 from native/ with prebuildify.
// One N-API binary per architecture serves every Node >= 20. Built against the Node-API headers of
// the Node that runs this (no download); arm64 with Debian's g++-aarch64-linux-gnu.
// Run it after any change to native/ or binding.gyp, before committing (and before `npm pack`).
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { existsSync, rmSync, writeFileSync } from 'node:fs';
import { sourceHash, SOURCE_HASH_FILE } from './sourceHash.mjs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(import.meta.url);
const prebuildify = join(dirname(require.resolve('prebuildify/package.json')), 'bin.js');

// Local headers: <prefix>/include/node/node_api.h beside the running node, unless nodedir is set.
const env = { ...process.env };
const prefix = join(dirname(process.execPath), '..');
if (!env.npm_config_nodedir && existsSync(join(prefix, 'include', 'node', 'node_api.h'))) env.npm_config_nodedir = prefix;
if (!env.npm_config_nodedir) fail('no local Node headers (include/node/node_api.h); set npm_config_nodedir');

const targets = [
  { arch: 'x64', cross: null },
  { arch: 'arm64', cross: 'aarch64-linux-gnu-' },
];
const only = process.argv.slice(2).filter((a) => !a.startsWith('-'));
for (const t of targets) {
  if (only.length > 0 && !only.includes(t.arch)) continue;
  const buildEnv = { ...env };
  if (t.cross !== null) {
    if (spawnSync(`${t.cross}g++`, ['--version'], { stdio: 'ignore' }).status !== 0) {
      fail(`${t.cross}g++ is not installed: apt-get install g++-aarch64-linux-gnu`);
    }
    Object.assign(buildEnv, { CC: `${t.cross}gcc`, CXX: `${t.cross}g++`, LINK: `${t.cross}g++`, AR: `${t.cross}ar`, PREBUILD_STRIP_BIN: `${t.cross}strip` });
  }
  rmSync(join(root, 'prebuilds', `linux-${t.arch}`), { recursive: true, force: true });
  // --tag-libc: the file is named *.glibc.node, so node-gyp-build never picks it on musl (Alpine).
  const args = [prebuildify, '--napi', '--strip', '--tag-libc', '--arch', t.arch, '--platform', 'linux'];
  console.log(`prebuild: linux-${t.arch}${t.cross ? ` (${t.cross}g++)` : ''}`);
  const r = spawnSync(process.execPath, args, { cwd: root, env: buildEnv, stdio: 'inherit' });
  if (r.status !== 0) fail(`prebuildify failed for linux-${t.arch}`);
}
// The cross build leaves an arm64 build/, which node-gyp-build would prefer to the prebuilds.
rmSync(join(root, 'build'), { recursive: true, force: true });
// Recorded only when every architecture was rebuilt: the install script trusts prebuilds whose hash matches.
if (only.length === 0) writeFileSync(join(root, SOURCE_HASH_FILE), `${sourceHash(root)}\n`);

function fail(message) {
  console.error(`prebuild: ${message}`);
  process.exit(1);
}
