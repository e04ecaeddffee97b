import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { usableCpus } from '../../src/index.js';
import { makeCpuset } from '../support/cgroupCpuset.js';
import { taskFixture } from '../support/taskFixture.js';

const fixture = (name: string): string => fileURLToPath(new URL(`../../../test/fixtures/${name}`, import.meta.url));
const indexPath = fileURLToPath(new URL('../../src/index.js', import.meta.url));

interface Report {
  usable: string;
  process: { bindings: { cpus: string; verified: boolean }[]; answers: { threads: Record<string, string> }[] };
  thread: { bindings: { cpus: string; verified: boolean }[]; answers: { cpus: string }[] };
}

test('inside a real restricted cgroup cpuset, a default pool uses only the allowed CPU', (t) => {
  const all = usableCpus();
  if (all.size < 2) return t.skip(`needs 2 or more usable CPUs to restrict to one; this process has ${all.toList()}`);
  const inside = String(all.last);
  const cs = makeCpuset(`corepin-pool-${process.pid}`, inside);
  if (typeof cs === 'string') return t.skip(cs);
  try {
    // The pool runs in a child that first moves itself into the cpuset (the test runner stays out).
    const r = spawnSync(process.execPath, [fixture('inCpuset.mjs'), cs.dir, fixture('poolInCpuset.mjs'), indexPath, taskFixture('basic.mjs')], {
      encoding: 'utf8',
      timeout: 60_000,
    });
    assert.equal(r.status, 0, r.stderr);
    const out = JSON.parse(r.stdout) as Report;
    assert.equal(out.usable, inside, 'usableCpus() sees the cpuset');
    for (const kind of ['process', 'thread'] as const) {
      assert.equal(out[kind].bindings.length, 1, `${kind}: default workers = 1 usable CPU, not os.cpus().length`);
      assert.deepEqual(out[kind].bindings.map((b) => [b.cpus, b.verified]), [[inside, true]]);
    }
    for (const a of out.process.answers) for (const cpus of Object.values(a.threads)) assert.equal(cpus, inside, 'every thread of the process worker');
    for (const a of out.thread.answers) assert.equal(a.cpus, inside);
  } finally {
    cs.remove();
  }
});
