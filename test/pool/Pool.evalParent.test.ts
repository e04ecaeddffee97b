import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const INDEX = fileURLToPath(new URL('../../src/index.js', import.meta.url));
const BASIC = fileURLToPath(new URL('../../../test/fixtures/tasks/basic.mjs', import.meta.url));

/** A parent script run with `node FLAGS --input-type=module -e SCRIPT`: one pool, one task, its answer. */
function evalParent(kind: 'thread' | 'process', flags: string[]): { status: number | null; stdout: string; stderr: string } {
  const script = `
    const { Pool } = await import(${JSON.stringify(INDEX)});
    const pool = new Pool({ module: ${JSON.stringify(BASIC)}, kind: '${kind}', workers: 1 });
    try {
      console.log(JSON.stringify({ result: await pool.apply('square', [7]), cpus: pool.bindings()[0].cpus, verified: pool.bindings()[0].verified }));
    } finally {
      await pool.close();
    }`;
  return spawnSync(process.execPath, [...flags, '--input-type=module', '-e', script], { encoding: 'utf8', timeout: 60_000 });
}

for (const kind of ['thread', 'process'] as const) {
  for (const flags of [[], ['--expose-gc', '--max-old-space-size=512', '--enable-source-maps']]) {
    test(`${kind} pool started from \`node ${[...flags, '--input-type=module -e'].join(' ')}\`: workers do not inherit flags they cannot take`, () => {
      const r = evalParent(kind, flags);
      assert.equal(r.status, 0, r.stderr);
      const out = JSON.parse(r.stdout) as { result: number; verified: boolean };
      assert.equal(out.result, 49);
      assert.equal(out.verified, true);
    });
  }
}
