import { test } from 'node:test';
import assert from 'node:assert/strict';
import { corepin } from '../topology/cliRunner.js';
import { fixtureRoot } from '../topology/fixtureRoot.js';

test('plan prints the picture with slot labels and a table with each slot\'s reason', () => {
  const r = corepin(['plan', '-n', '3', '--policy', 'cores', '--reserve', '0', '--fsroot', fixtureRoot('intel-2s-smt')]);
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /\[0r 16=0\] \[1=1 17=1\] \[2=2 18=2\] \[3 19\]/);
  assert.match(r.stdout, /^cores: 3 workers on 16 places, usable CPUs 1-31, reserved 0$/m);
  assert.match(r.stdout, /^SLOT +CPUS +WHERE +REASON$/m);
  assert.match(r.stdout, /^1 +1,17 +package 0 · NUMA 0 · L3 0 · core 1 +cores: whole core 1 \(2 threads\)$/m);
});

test('plan --json lists the slots with cpus and reasons', () => {
  const r = corepin(['plan', '-n', '5', '--policy', 'numa', '--synthetic', 'package:2 numa:2 core:2', '--json']);
  assert.equal(r.status, 0, r.stderr);
  const j = JSON.parse(r.stdout) as { schema: string; places: number; slots: { slot: number; cpus: string; wrapped: boolean; reason: string }[] };
  assert.equal(j.schema, 'corepin-plan/1');
  assert.equal(j.places, 4);
  assert.deepEqual(j.slots.map((s) => s.cpus), ['0-1', '2-3', '4-5', '6-7', '0-1']);
  assert.deepEqual(j.slots.map((s) => s.wrapped), [false, false, false, false, true]);
  assert.match(j.slots[4]!.reason, /wraps around: 5 workers > 4 places, shares with slot 0/);
});

test('plan --policy list takes ";"-separated sets, locations included', () => {
  const r = corepin(['plan', '-n', '2', '--policy', 'list', '--list', '0-1; core:3', '--synthetic', 'core:4 pu:2', '--json']);
  assert.equal(r.status, 0, r.stderr);
  assert.deepEqual((JSON.parse(r.stdout) as { slots: { cpus: string }[] }).slots.map((s) => s.cpus), ['0-1', '6-7']);
});

test('plan errors: usage is exit 2, placement problems exit 1, one line each', () => {
  const cases: [string[], number, RegExp][] = [
    [['plan', '-n', '0', '--synthetic', 'core:2'], 2, /invalid worker count "0" for -n/],
    [['plan', '-n', '2', '--policy', 'fastest', '--synthetic', 'core:2'], 2, /option '--policy <name>' argument 'fastest' is invalid/],
    [['plan', '-n', '2', '--policy', 'list', '--synthetic', 'core:2'], 1, /policy list needs the CPU sets/],
    [['plan', '-n', '2', '--list', '0', '--synthetic', 'core:2'], 2, /--list goes with --policy list/],
    [['plan', '-n', '2', '--reserve', 'core:5', '--synthetic', 'core:2'], 1, /bad location "core:5": is out of range: there are 2 usable cores \(core:0-1\)/],
    [['plan', '-n', '2', '--reserve', '0-1', '--synthetic', 'core:2'], 1, /no usable CPU left to place workers on/],
  ];
  for (const [args, code, re] of cases) {
    const r = corepin(args);
    assert.equal(r.status, code, `${args.join(' ')}: ${r.stderr}`);
    assert.equal(r.stderr.trim().split('\n').length, 1, r.stderr);
    assert.match(r.stderr, /^corepin: /);
    assert.match(r.stderr, re);
  }
});

test('plan --no-smt hands out one thread per core', () => {
  const r = corepin(['plan', '-n', '3', '--policy', 'compact', '--no-smt', '--synthetic', 'core:4 pu:2', '--json']);
  assert.equal(r.status, 0, r.stderr);
  const j = JSON.parse(r.stdout) as { usable: string; slots: { cpus: string }[] };
  assert.equal(j.usable, '0,2,4,6');
  assert.deepEqual(j.slots.map((s) => s.cpus), ['0', '2', '4']);
});
