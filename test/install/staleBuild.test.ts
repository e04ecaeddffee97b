import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { barePath, ROOT, tempDir } from './installProject.js';

// A checkout that pulls new native/ sources keeps its old build/Release/corepin.node, and
// node-gyp-build prefers build/ over prebuilds/: the stale addon loaded and lacked newer functions
// (setAffinityBits). The install script must notice build/ came from other sources.

const dirs: string[] = [];
after(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

/** A copy of what the install script reads (sources, prebuilds, node-gyp-build), with a build/ in it. */
function checkout(buildHash: string | null): string {
  const dir = tempDir('stale-build');
  dirs.push(dir);
  for (const f of ['package.json', 'binding.gyp', 'native', 'prebuilds', 'scripts/build-native.mjs', 'scripts/sourceHash.mjs']) cpSync(join(ROOT, f), join(dir, f), { recursive: true });
  mkdirSync(join(dir, 'node_modules'));
  symlinkSync(join(ROOT, 'node_modules', 'node-gyp-build'), join(dir, 'node_modules', 'node-gyp-build'));
  // npm puts node_modules/.bin on PATH for install scripts; node-gyp-build runs its load test from there.
  mkdirSync(join(dir, 'node_modules', '.bin'));
  symlinkSync(join(ROOT, 'node_modules', 'node-gyp-build', 'build-test.js'), join(dir, 'node_modules', '.bin', 'node-gyp-build-test'));
  mkdirSync(join(dir, 'build', 'Release'), { recursive: true });
  // A loadable addon (node-gyp-build keeps any build/ that loads), standing for one from older sources.
  cpSync(join(ROOT, 'prebuilds', 'linux-x64', 'corepin.glibc.node'), join(dir, 'build', 'Release', 'corepin.node'));
  if (buildHash !== null) writeFileSync(join(dir, 'build', 'sources.sha256'), `${buildHash}\n`);
  return dir;
}

function install(dir: string): string {
  // No compiler on PATH: the prebuild is the only way to a working addon, and nothing may try to build.
  const r = spawnSync(process.execPath, ['scripts/build-native.mjs'], { cwd: dir, encoding: 'utf8', env: { ...process.env, PATH: `${join(dir, 'node_modules', '.bin')}:${barePath(dir)}` } });
  assert.equal(r.status, 0, r.stderr);
  return r.stdout + r.stderr;
}

function resolvedAddon(dir: string): string {
  const r = spawnSync(process.execPath, ['-e', `console.log(require('node-gyp-build').resolve(${JSON.stringify(dir)}))`], { cwd: dir, encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  return r.stdout.trim();
}

test('an install over a build/ from other native/ sources (or of unknown sources) removes it, so the prebuild loads', () => {
  for (const hash of [null, '0'.repeat(64)]) {
    const dir = checkout(hash);
    const out = install(dir);
    assert.ok(!existsSync(join(dir, 'build')), `build/ (recorded hash ${hash ?? 'none'}) is still there:\n${out}`);
    assert.match(out, /build\/ .*other native\/ sources/);
    assert.equal(resolvedAddon(dir), join(dir, 'prebuilds', 'linux-x64', 'corepin.glibc.node'));
  }
});

test('an install keeps a build/ made from the sources beside it', () => {
  const current = readFileSync(join(ROOT, 'prebuilds', 'sources.sha256'), 'utf8').trim();
  const dir = checkout(current);
  install(dir);
  assert.equal(resolvedAddon(dir), join(dir, 'build', 'Release', 'corepin.node'), 'a current build/ was removed');
});
