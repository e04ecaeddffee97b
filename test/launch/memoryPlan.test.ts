import { test } from 'node:test';
import assert from 'node:assert/strict';
import { CpuSet, readTopology, syntheticTopology } from '../../src/index.js';
import { describeMemoryPlan, memoryNodesOf, memoryPlan } from '../../src/launch/memoryPlan.js';
import { fixtureRoot } from '../topology/fixtureRoot.js';

// Node selection is pure (topology + cpuset.mems): tested on machines this one is not.
const twoSockets = readTopology(fixtureRoot('intel-2s-smt')); // node 0: 0-7,16-23; node 1: 8-15,24-31
const cpus = (list: string): CpuSet => CpuSet.parse(list, 'list');

test('nodes of a slot are the NUMA nodes of its CPUs (fixture: 2 sockets)', () => {
  assert.deepEqual(memoryNodesOf(cpus('0,16'), twoSockets), [0]);
  assert.deepEqual(memoryNodesOf(cpus('9,25'), twoSockets), [1]);
  assert.deepEqual(memoryNodesOf(cpus('7-8'), twoSockets), [0, 1]);
});

test('every mode with every node allowed: applied as asked', () => {
  for (const mode of ['bind', 'interleave'] as const) {
    assert.deepEqual(memoryPlan(mode, cpus('7-8'), twoSockets, [0, 1]), { requested: mode, mode, nodes: [0, 1], note: null });
  }
  assert.deepEqual(memoryPlan('preferred', cpus('7-8'), twoSockets, [0, 1]), { requested: 'preferred', mode: 'preferred', nodes: [0], note: null });
  assert.deepEqual(memoryPlan('local', cpus('9'), twoSockets, [0]), { requested: 'local', mode: 'local', nodes: [], note: null });
  assert.equal(describeMemoryPlan(memoryPlan('bind', cpus('8'), twoSockets, [0, 1])), 'bind:1');
});

test('cpuset.mems forbids a node of the slot: bind → preferred on an allowed slot node, said in the note', () => {
  const p = memoryPlan('bind', cpus('7-8'), twoSockets, [1]);
  assert.deepEqual([p.mode, p.nodes], ['preferred', [1]]);
  assert.match(p.note!, /^bind fell back to preferred: cpuset\.mems \(1\) forbids node 0$/);
  const i = memoryPlan('interleave', cpus('7-8'), twoSockets, [1]);
  assert.deepEqual([i.mode, i.nodes], ['interleave', [1]]);
  assert.match(i.note!, /forbids node 0/);
});

test('cpuset.mems forbids every node of the slot: → none (the kernel default), never EINVAL', () => {
  for (const mode of ['bind', 'preferred', 'interleave'] as const) {
    const p = memoryPlan(mode, cpus('9'), twoSockets, [0]);
    assert.deepEqual([p.mode, p.nodes], ['none', []]);
    assert.match(p.note!, new RegExp(`^${mode} not applied: cpuset.mems \\(0\\) forbids node 1, no node of the slot is allowed$`));
  }
});

test('a machine without NUMA information: none, with the reason', () => {
  const flat = syntheticTopology('core:2 pu:1'); // no numa level: no node is known
  const p = memoryPlan('bind', cpus('0'), flat, [0]);
  assert.equal(p.mode, 'none');
  assert.match(p.note!, /no NUMA node is known for CPUs 0/);
});

test('synthetic 2-node machine: slots on each node bind to their own node', () => {
  const m = syntheticTopology('package:2 numa:1 core:2 pu:1');
  const n0 = m.numaNodes[0]!;
  const n1 = m.numaNodes[1]!;
  assert.deepEqual(memoryPlan('bind', n0.cpus, m, [n0.id, n1.id]).nodes, [n0.id]);
  assert.deepEqual(memoryPlan('bind', n1.cpus, m, [n0.id, n1.id]).nodes, [n1.id]);
});
