import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const SCRIPT = join(ROOT, 'scripts', 'checkFileNames.mjs');

function check(...dirs: string[]): { status: number | null; out: string } {
  const r = spawnSync(process.execPath, [SCRIPT, ...dirs], { cwd: ROOT, encoding: 'utf8' });
  return { status: r.status, out: r.stdout + r.stderr };
}

test('the file-name check flags ALL_CAPS, a PascalCase file of functions and a camelCase file of types', () => {
  const dir = mkdtempSync(join(tmpdir(), `corepin-names-${process.pid}-`));
  try {
    writeFileSync(join(dir, 'TABLE.ts'), 'export const TABLE = [];\n');
    writeFileSync(join(dir, 'Helpers.ts'), 'export function help(): void {}\n');
    writeFileSync(join(dir, 'shape.ts'), 'export interface Shape { readonly n: number }\n');
    writeFileSync(join(dir, 'Shape.ts'), 'export interface Shape { readonly n: number }\nexport function shape(): Shape { return { n: 1 }; }\n');
    writeFileSync(join(dir, 'makeShape.ts'), 'export function makeShape(): number { return 1; }\n');
    const r = check(dir);
    assert.equal(r.status, 1, r.out);
    assert.match(r.out, /TABLE\.ts: ALL_CAPS/);
    assert.match(r.out, /Helpers\.ts: PascalCase but exports no class or type/);
    assert.match(r.out, /shape\.ts: camelCase but exports only classes or types/);
    assert.doesNotMatch(r.out, /Shape\.ts|makeShape\.ts/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('every file in src/ and bench/ is named after what it exports (scripts/checkFileNames.mjs)', (t) => {
  const r = check('src', 'bench');
  const lines = r.out.split('\n').filter((l) => /^(src|bench)\//.test(l));
  assert.deepEqual(lines, [], r.out);
});
