import { test } from 'node:test';
import assert from 'node:assert/strict';
import { CpuSet } from '../../src/cpuset/CpuSet.js';
import { buildTopology } from '../../src/topology/buildTopology.js';
import type { PuFacts } from '../../src/topology/buildTopology.js';

function facts(cpu: number, over: Partial<PuFacts> = {}): PuFacts {
  return {
    cpu,
    online: true,
    allowed: true,
    isolated: false,
    package: 0,
    die: 0,
    coreId: cpu,
    siblings: CpuSet.of(cpu),
    numa: null,
    l3: null,
    l2: null,
    capacity: null,
    kind: null,
    ...over,
  };
}

test('contradictory sibling lists are not trusted: cores come from package + core_id, with a warning', () => {
  const t = buildTopology({
    source: 'test',
    numaNodes: [],
    warnings: [],
    pus: [
      facts(0, { coreId: 0, siblings: CpuSet.of(0, 1) }),
      facts(1, { coreId: 0, siblings: CpuSet.of(1, 2) }),
      facts(2, { coreId: 1, siblings: CpuSet.of(2) }),
      facts(3, { coreId: 1, siblings: CpuSet.of(3) }),
    ],
  });
  assert.deepEqual(t.objects('core').map((c) => c.cpus.toList()), ['0-1', '2-3']);
  assert.ok(t.warnings.some((w) => w.includes('sibling lists contradict')));
});

test('no sibling list and no package: each CPU is its own core, said in a warning', () => {
  const t = buildTopology({
    source: 'test',
    numaNodes: [],
    warnings: [],
    pus: [facts(0, { package: null, siblings: null }), facts(1, { package: null, siblings: null })],
  });
  assert.equal(t.objects('core').length, 2);
  assert.ok(t.warnings.some((w) => w.includes('CPU 0-1') && w.includes('own core')));
});

test('a level known for only some CPUs is left out of the tree but its ids are kept', () => {
  const l3 = { cpus: CpuSet.of(0, 1), size: null, id: 0 };
  const t = buildTopology({ source: 'test', numaNodes: [], warnings: [], pus: [facts(0, { l3 }), facts(1, { l3 }), facts(2)] });
  assert.deepEqual(t.machine.children[0]!.children.map((c) => c.type), ['core', 'core', 'core']);
  assert.deepEqual(t.pus.map((p) => p.l3), [0, 0, null]);
  assert.ok(t.warnings.some((w) => w.startsWith('l3 is unknown for some CPUs')));
});

test('an L2 that would split a core is dropped from the tree', () => {
  const sib = CpuSet.of(0, 1);
  const t = buildTopology({
    source: 'test',
    numaNodes: [],
    warnings: [],
    pus: [
      facts(0, { siblings: sib, l2: { cpus: CpuSet.of(0), size: null, id: 0 } }),
      facts(1, { siblings: sib, l2: { cpus: CpuSet.of(1), size: null, id: 1 } }),
    ],
  });
  assert.deepEqual(t.machine.children[0]!.children.map((c) => `${c.type} ${c.cpus.toList()}`), ['core 0-1']);
  assert.ok(t.warnings.some((w) => w.includes('l2 domains split cores')));
});

test('NUMA nodes crossing packages are kept as a flat list, not forced into the tree', () => {
  const t = buildTopology({
    source: 'test',
    numaNodes: [],
    warnings: [],
    pus: [facts(0, { package: 0, numa: 0 }), facts(1, { package: 0, numa: 1 }), facts(2, { package: 1, numa: 1 }), facts(3, { package: 1, numa: 1 })],
  });
  assert.deepEqual(t.machine.children.map((c) => c.children.map((k) => k.type).join(',')), ['core,core', 'core,core']);
  assert.deepEqual(t.objects('numa').map((n) => n.cpus.toList()), ['0', '1-3']);
  assert.ok(t.warnings.some((w) => w.includes('numa domains cross package boundaries')));
});

test('dies are a tree level only when a package has more than one', () => {
  const one = buildTopology({ source: 't', numaNodes: [], warnings: [], pus: [facts(0), facts(1)] });
  assert.equal(one.has('die'), false);
  assert.deepEqual(one.pus.map((p) => p.die), [0, 0]);
  const two = buildTopology({ source: 't', numaNodes: [], warnings: [], pus: [facts(0, { die: 0 }), facts(1, { die: 1 })] });
  assert.deepEqual(two.machine.children[0]!.children.map((c) => `${c.type} ${c.index}`), ['die 0', 'die 1']);
  assert.deepEqual(two.pus.map((p) => p.die), [0, 1]);
});
