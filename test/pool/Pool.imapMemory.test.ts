import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { taskFixture } from '../support/taskFixture.js';

const script = fileURLToPath(new URL('../../../test/fixtures/imapTenMillion.mjs', import.meta.url));
const indexPath = fileURLToPath(new URL('../../src/index.js', import.meta.url));
// sum of (i & 1023) * 2 for i < n: the default export doubles.
function expectedSum(n: number): number {
  let s = Math.floor(n / 1024) * ((1023 * 1024) / 2);
  for (let i = 0; i < n % 1024; i++) s += i;
  return s * 2;
}

// Each run is its own process so that peak RSS is the pool's alone (thread workers included).
// Ten million one-input tasks through processes take ~15 s more here; one million show the same path.
for (const [kind, n, chunksize] of [
  ['thread', 10_000_000, 1],
  ['process', 10_000_000, 1000],
  ['process', 1_000_000, 1],
] as const) {
  test(`${kind}: imap over ${n.toLocaleString('en')} generator inputs (chunksize ${chunksize}) stays under 200 MB peak RSS`, () => {
    const r = spawnSync(process.execPath, [script, indexPath, taskFixture('basic.mjs'), kind, String(n), String(chunksize)], { encoding: 'utf8', timeout: 120_000 });
    assert.equal(r.status, 0, r.stderr);
    const out = JSON.parse(r.stdout) as { seen: number; sum: number; maxRssMb: number };
    assert.equal(out.seen, n, 'every input came back');
    assert.equal(out.sum, expectedSum(n), 'with the right results');
    assert.ok(out.maxRssMb < 200, `peak RSS ${out.maxRssMb.toFixed(0)} MB`);
  });
}
