import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

// dist/test/layout -> the package root
const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const SCRIPT = join(ROOT, 'scripts', 'checkSizes.mjs');

function check(...dirs: string[]): { status: number | null; out: string } {
  const r = spawnSync(process.execPath, [SCRIPT, ...dirs], { cwd: ROOT, encoding: 'utf8' });
  return { status: r.status, out: r.stdout + r.stderr };
}

test('the size check flags a file over 350 lines and a function over 80 lines, and passes small ones', () => {
  const dir = mkdtempSync(join(tmpdir(), `corepin-sizes-${process.pid}-`));
  try {
    mkdirSync(join(dir, 'sub'));
    writeFileSync(join(dir, 'long.ts'), Array.from({ length: 351 }, (_, i) => `export const v${i} = ${i};`).join('\n') + '\n');
    const body = Array.from({ length: 80 }, (_, i) => `  const x${i} = ${i};`).join('\n');
    writeFileSync(join(dir, 'sub', 'bigFunction.ts'), `export class A {\n  run(): void {\n${body}\n  }\n}\n`);
    writeFileSync(join(dir, 'sub', 'arrow.ts'), `export const f = (): void => {\n${body}\n};\n`);
    writeFileSync(join(dir, 'small.ts'), `export function ok(): number {\n${Array.from({ length: 77 }, () => '  // line').join('\n')}\n  return 1;\n}\n`);
    const bad = check(dir);
    assert.equal(bad.status, 1, bad.out);
    assert.match(bad.out, /long\.ts: file has 351 lines/);
    assert.match(bad.out, /bigFunction\.ts:2: function run has 82 lines/);
    assert.match(bad.out, /arrow\.ts:1: function f has 82 lines/);
    assert.doesNotMatch(bad.out, /small\.ts/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('no file in src/ over 350 lines and no function over 80 lines (scripts/checkSizes.mjs)', () => {
  const r = check('src');
  const lines = r.out.split('\n').filter((l) => l.startsWith('src/'));
  assert.deepEqual(lines, [], `\n${r.out}`);
  assert.equal(r.status, 0, r.out);
});
