import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { ERROR_CODES } from '../../src/CorepinError.js';
import * as root from '../../src/index.js';
import * as queue from '../../src/queue/index.js';
import * as piscina from '../../src/adapters/pinPiscina.js';
import * as tinypool from '../../src/adapters/pinTinypool.js';

const DOC = fileURLToPath(new URL('../../../docs/errors.md', import.meta.url));

/** The rows of docs/errors.md's table: code, class, layer. */
function documented(): { code: string; cls: string; layer: string }[] {
  const rows: { code: string; cls: string; layer: string }[] = [];
  for (const line of readFileSync(DOC, 'utf8').split('\n')) {
    const m = /^\| `([A-Z_]+)` \| `(\w+)`[^|]*\| (\w+) \|/.exec(line);
    if (m) rows.push({ code: m[1]!, cls: m[2]!, layer: m[3]! });
  }
  return rows;
}

const entries: Record<string, unknown>[] = [root, queue, piscina, tinypool];
const exported = (name: string): unknown => entries.find((e) => name in e)?.[name];

test('docs/errors.md lists exactly the codes of ErrorCode, each once', () => {
  const rows = documented();
  assert.ok(rows.length >= 40, `parsed ${rows.length} rows`);
  const codes = rows.map((r) => r.code);
  assert.deepEqual([...new Set(codes)].length, codes.length, 'a code documented twice');
  assert.deepEqual([...codes].sort(), [...ERROR_CODES].sort());
});

test('every documented code outside the CLI has its own class, exported from the entry point that throws it', () => {
  for (const { code, cls, layer } of documented()) {
    if (layer === 'cli') continue; // the CLI's classes are not part of the library's API
    assert.notEqual(cls, 'CorepinError', `${code} has no class of its own`);
    const C = exported(cls);
    assert.equal(typeof C, 'function', `${cls} (${code}) is not exported from corepin, corepin/queue, corepin/piscina or corepin/tinypool`);
    const proto = (C as { prototype: object }).prototype;
    assert.ok(proto instanceof root.CorepinError || proto instanceof TypeError, `${cls} is neither a CorepinError nor a TypeError`);
  }
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
