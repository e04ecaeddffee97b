import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ExitCode } from '../../src/cli/exitCodes.js';
import { corepinAsync } from '../support/cli.js';

test('demo runs end to end with no input: topology, plan, both pools, comparison, binding reports', async () => {
  const r = await corepinAsync(['demo', '--tasks', '6', '--progress', 'none']);
  assert.equal(r.status, ExitCode.OK, r.stderr);
  for (const section of ['1. This machine', '2. The plan', '3. The job', '4. Side by side', '5. Binding reports']) {
    assert.ok(r.stdout.includes(section), `section ${section}`);
  }
  assert.match(r.stdout, /primes found +(\d+) +\1\n/, 'both pools computed the same answer');
  assert.match(r.stdout, /Both pools found the same primes\./);
  assert.match(r.stdout, /Binding report: demo pinned pool/);
  assert.match(r.stdout, /Binding report: demo unpinned pool/);
  // The pinned pool's workers were read back from /proc inside their slots.
  const pinned = r.stdout.slice(r.stdout.indexOf('demo pinned pool'), r.stdout.indexOf('demo unpinned pool'));
  assert.doesNotMatch(pinned, /\bNO\b/);
  assert.match(pinned, /\byes\b/);
});
