import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT, tempDir } from './installProject.js';

const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { exports: Record<string, Record<string, string>> };

// What a TypeScript user writes; the @ts-expect-error lines prove the types are real (not any).
const CONSUMER = `
import { pin, CpuSet, Pool, type Binding, type PoolOptions } from 'corepin';
import { pinPiscina, type PinnedPool, type PiscinaOptions } from 'corepin/piscina';
import { pinTinypool, PinnedPoolOptionsError } from 'corepin/tinypool';

export const set: CpuSet = pin('thread', '0');
export const options: PoolOptions = { module: new URL('./work.js', import.meta.url), placement: 'cores' };
export const pool = new Pool(options);
export const piscina: PinnedPool<PiscinaOptions> = pinPiscina({ filename: '/srv/task.js', maxThreads: 2 }, { placement: 'spread' });
export const bindings: Binding[] = piscina.bindings().concat(pinTinypool({ filename: '/srv/task.js' }).bindings());
export const isError = (e: unknown): boolean => e instanceof PinnedPoolOptionsError;
// @ts-expect-error a bigint is not a CPU list
pin('thread', 42n);
// @ts-expect-error no such policy
pinPiscina({ filename: 'x.js' }, { placement: { policy: 'everywhere' } });
`;

let dir: string;
before(() => {
  dir = tempDir('consumer-types');
  const modules = join(dir, 'node_modules');
  mkdirSync(join(modules, '@types'), { recursive: true });
  symlinkSync(ROOT, join(modules, 'corepin'));
  for (const dep of ['piscina', 'tinypool', '@types/node']) symlinkSync(join(ROOT, 'node_modules', dep), join(modules, dep));
  writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: 'consumer', private: true, type: 'module' }));
  writeFileSync(join(dir, 'index.ts'), CONSUMER);
});
after(() => rmSync(dir, { recursive: true, force: true }));

test('every subpath of the exports map has types, and they exist', () => {
  for (const [subpath, target] of Object.entries(pkg.exports)) {
    assert.ok(target['types'], `exports[${subpath}] has no types`);
    assert.ok(existsSync(join(ROOT, target['types'])), `${target['types']} is missing (run tsc)`);
    assert.deepEqual(Object.keys(target)[0], 'types', `exports[${subpath}]: types must come first`);
  }
});

for (const [module, moduleResolution] of [['node16', 'node16'], ['esnext', 'bundler']] as const) {
  test(`a consumer project typechecks imports of corepin, corepin/piscina and corepin/tinypool with moduleResolution ${moduleResolution}`, () => {
    // resolveJsonModule: piscina's own .d.ts imports its package.json; skipLibCheck stays off so corepin's .d.ts are checked.
    const config = join(dir, `tsconfig.${moduleResolution}.json`);
    writeFileSync(config, JSON.stringify({ compilerOptions: { module, moduleResolution, target: 'es2022', strict: true, noEmit: true, types: ['node'], skipLibCheck: false, resolveJsonModule: true }, files: ['index.ts'] }));
    const tsc = spawnSync(process.execPath, [join(ROOT, 'node_modules/typescript/bin/tsc'), '-p', config], { cwd: dir, encoding: 'utf8' });
    assert.equal(tsc.status, 0, `${tsc.stdout}${tsc.stderr}`);
  });
}
