import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readTopology } from '../../src/topology/readTopology.js';
import { corepin, oneLine } from '../support/cli.js';
import { taskFixture } from '../support/taskFixture.js';

test('--isolated is offered by map, exec, worker and plan', () => {
  for (const cmd of ['map', 'exec', 'worker', 'plan']) {
    const r = corepin([cmd, '--help']);
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout.replace(/\s+/g, " "), /--isolated place on isolated CPUs only \(isolcpus, nohz_full\), one CPU per/, cmd);
  }
});

test('plan --isolated: one isolated CPU per worker, never a span, whatever the policy', () => {
  const r = corepin(['plan', '--isolated', '--policy', 'cores', '--synthetic', 'core:4 pu:2 isolated:4-7', '--json']);
  assert.equal(r.status, 0, r.stderr);
  assert.deepEqual((JSON.parse(r.stdout) as { slots: { cpus: string }[] }).slots.map((s) => s.cpus), ['4', '5', '6', '7']);
});

test('map and exec --isolated on a machine without usable isolated CPUs: one line, exit 1, nothing run', (t) => {
  const here = readTopology();
  if (!here.usable.intersect(here.isolated).isEmpty) {
    t.skip(`this machine has usable isolated CPUs (${here.isolated.toList()}): the refusal cannot be shown here`);
    return;
  }
  const runs = [
    corepin(['map', taskFixture('basic.mjs'), '--isolated', '--progress', 'none'], '1\n'),
    corepin(['exec', '--isolated', '--progress', 'none', '--', 'true'], 'a\n'),
  ];
  for (const r of runs) {
    assert.equal(r.status, 1, r.stderr);
    assert.ok(oneLine(r.stderr), r.stderr);
    assert.match(r.stderr, /isolated CPUs asked for, but none is usable/);
    assert.equal(r.stdout, '');
  }
});
