import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ExitCode } from '../../src/cli/errors.js';
import { corepinAsync } from '../support/cli.js';

test('demo runs end to end with no input: topology, plan, both pools, comparison, binding reports', async () => {
  const r = await corepinAsync(['demo', '--tasks', '6', '--progress', 'none']);
  assert.equal(r.status, ExitCode.OK, r.stderr);
  for (const section of ['1. This machine', '2. The plan', '3. The job', '4. Side by side', '5. Binding reports']) {
    assert.ok(r.stdout.includes(section), `section ${section}`);
  }
  // The demo counts primes in [1e8, 1e8 + tasks × 60,000); each pool must find the true count.
  const expected = primesBetween(100_000_000, 100_000_000 + 6 * 60_000);
  assert.match(r.stdout, new RegExp(`primes found +${expected} +${expected}\n`), `both pools found the ${expected} primes a sieve finds`);
  assert.match(r.stdout, /Both pools found the same primes\./);
  assert.match(r.stdout, /Binding report: demo pinned pool/);
  assert.match(r.stdout, /Binding report: demo unpinned pool/);
  // The pinned pool's workers were read back from /proc inside their slots.
  const pinned = r.stdout.slice(r.stdout.indexOf('demo pinned pool'), r.stdout.indexOf('demo unpinned pool'));
  assert.doesNotMatch(pinned, /\bNO\b/);
  assert.match(pinned, /\byes\b/);
});

/** How many primes are in [from, to), by a segmented sieve of Eratosthenes (independent of the demo's trial division). */
function primesBetween(from: number, to: number): number {
  const limit = Math.ceil(Math.sqrt(to));
  const small = new Uint8Array(limit + 1);
  const composite = new Uint8Array(to - from);
  for (let p = 2; p <= limit; p++) {
    if (small[p]) continue;
    for (let m = p * p; m <= limit; m += p) small[m] = 1;
    for (let m = Math.max(p * p, Math.ceil(from / p) * p); m < to; m += p) composite[m - from] = 1;
  }
  let count = 0;
  for (let i = 0; i < composite.length; i++) if (!composite[i] && from + i >= 2) count++;
  return count;
}
