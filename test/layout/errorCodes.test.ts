import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { CorepinError, ERROR_CODES, type ErrorCode } from '../../src/CorepinError.js';
import * as cli from '../../src/cli/errors.js';
import * as root from '../../src/index.js';
import * as queue from '../../src/queue/index.js';
import * as piscina from '../../src/adapters/pinPiscina.js';
import * as tinypool from '../../src/adapters/pinTinypool.js';

const DOC = fileURLToPath(new URL('../../../docs/errors.md', import.meta.url));
const SRC = fileURLToPath(new URL('../../../src', import.meta.url));

/** The rows of docs/errors.md's table: code, class, layer (its first word). Every row whose first cell is a code counts. */
function documented(): { code: string; cls: string; layer: string }[] {
  const rows: { code: string; cls: string; layer: string }[] = [];
  for (const line of readFileSync(DOC, 'utf8').split('\n')) {
    const cells = line.split('|').map((c) => c.trim());
    if (!/^`[A-Z_]+`$/.test(cells[1] ?? '')) continue;
    const cls = /^`(\w+)`/.exec(cells[2] ?? '');
    assert.ok(cls, `docs/errors.md: the row of ${cells[1]} names no class: ${line}`);
    rows.push({ code: cells[1]!.slice(1, -1), cls: cls[1]!, layer: (cells[3] ?? '').split(' ')[0]! });
  }
  return rows;
}

/** The body of `class NAME` in src/ (up to the next top-level declaration), or undefined. */
function classSource(name: string): string | undefined {
  const files = (dir: string): string[] => readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? files(join(dir, e.name)) : e.name.endsWith('.ts') ? [join(dir, e.name)] : []));
  for (const file of files(SRC)) {
    const text = readFileSync(file, 'utf8');
    const at = text.search(new RegExp(`^export class ${name}\\b`, 'm'));
    if (at < 0) continue;
    const rest = text.slice(at + 1);
    const end = rest.search(/^(export |\/\*\*)/m);
    return end < 0 ? rest : rest.slice(0, end);
  }
  return undefined;
}

const entries: Record<string, unknown>[] = [root, queue, piscina, tinypool, cli];
const exported = (name: string): unknown => entries.find((e) => name in e)?.[name];

test('docs/errors.md lists exactly the codes of ErrorCode, each once', () => {
  const rows = documented();
  assert.ok(rows.length >= 40, `parsed ${rows.length} rows`);
  const codes = rows.map((r) => r.code);
  assert.deepEqual([...new Set(codes)].length, codes.length, 'a code documented twice');
  assert.deepEqual([...codes].sort(), [...ERROR_CODES].sort());
});

test('every code has its own class, exported from the entry point that throws it (the CLI\'s from cli/errors.ts), and that class uses that code', () => {
  for (const { code, cls } of documented()) {
    assert.notEqual(cls, 'CorepinError', `${code} has no class of its own`);
    const C = exported(cls);
    assert.equal(typeof C, 'function', `${cls} (${code}) is not exported from corepin, corepin/queue, corepin/piscina, corepin/tinypool or src/cli/errors.ts`);
    const proto = (C as { prototype: object }).prototype;
    assert.ok(proto instanceof root.CorepinError || proto instanceof TypeError, `${cls} is neither a CorepinError nor a TypeError`);
    const body = classSource(cls);
    assert.ok(body !== undefined, `class ${cls} not found in src/`);
    assert.ok(body.includes(`'${code}'`), `class ${cls} never uses its documented code ${code}`);
  }
});

test('a code outside ErrorCode does not compile, and a foreign code is carried as the cause, never as the code', () => {
  // Compile-time: tsc fails on this file if CorepinError ever accepts any string again (the
  // directive then has no error to expect).
  // @ts-expect-error ENOENT is not a corepin code
  const bad = (): CorepinError => new CorepinError('ENOENT', 'x');
  assert.equal(typeof bad, 'function');
  // A class names its code once, in `extends CorepinError<'CODE'>`; passing another to super does not compile.
  class Mislabelled extends CorepinError<'ERR_PLACEMENT'> {
    constructor() {
      // @ts-expect-error ERR_USAGE is not this class's code
      super('ERR_USAGE', 'x');
    }
  }
  assert.equal(new Mislabelled().name, 'Mislabelled');
  const codes: readonly ErrorCode[] = ERROR_CODES;
  assert.ok(codes.length > 0);
  // Run time: the CLI's rebuilding of errors that lost their class (from a worker or a queue host).
  const rebuilt = cli.asCorepinError(Object.assign(new Error('the task module has no export "f"\nstack…'), { code: 'ERR_POOL_EXPORT_NOT_FOUND' }));
  assert.ok(rebuilt instanceof CorepinError && rebuilt.code === 'ERR_POOL_EXPORT_NOT_FOUND' && rebuilt.message === 'the task module has no export "f"');
  assert.ok((rebuilt as Error).cause instanceof Error, 'the original is its cause');
  const foreign = Object.assign(new Error('ENOENT: no such file'), { code: 'ENOENT' });
  assert.strictEqual(cli.asCorepinError(foreign), foreign, 'a foreign code is not relabelled');
  const own = new root.PlacementError('x');
  assert.strictEqual(cli.asCorepinError(own), own);
});

// The codes that had no class of their own: thrown for real, each must now be its class.
test('an empty set and a bad COREPIN_BACKEND throw their own classes', async () => {
  assert.throws(() => root.pin('thread', []), (e: unknown) => e instanceof root.EmptyCpuSetError && e.code === 'ERR_EMPTY_CPUSET' && /empty CPU set/.test(e.message));
  assert.throws(() => root.spawnPinned([], process.execPath, ['-e', '']), root.EmptyCpuSetError);
  const { spawnSync } = await import('node:child_process');
  const index = fileURLToPath(new URL('../../src/index.js', import.meta.url));
  const probe = `import(${JSON.stringify(index)}).then((c) => { try { c.currentBackend(); console.log('no error'); } catch (e) { console.log(e.name, e.code, e instanceof c.CorepinError); } })`;
  const run = (env: NodeJS.ProcessEnv): string => spawnSync(process.execPath, ['-e', probe], { env: { ...process.env, ...env }, encoding: 'utf8' }).stdout.trim();
  assert.equal(run({ COREPIN_BACKEND: 'fast' }), 'BadBackendError ERR_BAD_BACKEND true');
});
