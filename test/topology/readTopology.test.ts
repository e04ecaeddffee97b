import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readTopology } from '../../src/topology/readTopology.js';
import type { ObjectType, TopoObject, Topology } from '../../src/topology/Topology.js';
import { TopologyUnavailableError } from '../../src/topology/errors.js';
import { fixtureRoot } from './fixtureRoot.js';

/** The tree as `type index cpus` lines, cores and PUs folded into their core line. */
function outline(t: Topology): string[] {
  const out: string[] = [];
  const walk = (o: TopoObject, depth: number): void => {
    out.push(`${'  '.repeat(depth)}${o.type} ${o.index} ${o.cpus.toList()}`);
    if (o.type !== 'core') for (const c of o.children) walk(c, depth + 1);
  };
  for (const c of t.machine.children) walk(c, 0);
  return out;
}

const lists = (t: Topology, type: ObjectType): string[] => t.objects(type).map((o) => o.cpus.toList());

test('2-socket Intel: siblings n and n+16 form cores; core_id repeats across packages without merging them', () => {
  const t = readTopology(fixtureRoot('intel-2s-smt'));
  assert.equal(t.objects('core').length, 16);
  assert.deepEqual(lists(t, 'package'), ['0-7,16-23', '8-15,24-31']);
  assert.deepEqual(lists(t, 'numa'), ['0-7,16-23', '8-15,24-31']);
  assert.deepEqual(lists(t, 'l3'), ['0-7,16-23', '8-15,24-31']);
  assert.equal(t.objects('core')[0]!.cpus.toList(), '0,16');
  // CPU 0 and CPU 8 both have core_id 0, on different packages: different cores.
  assert.notEqual(t.pu(0)!.core, t.pu(8)!.core);
  assert.equal(t.pu(8)!.core, t.pu(24)!.core);
  assert.equal(t.objects('l3')[0]!.size, 25600 * 1024);
  assert.deepEqual(t.numaNodes.map((n) => [n.id, [...n.distances]]), [
    [0, [[0, 10], [1, 21]]],
    [1, [[0, 21], [1, 10]]],
  ]);
  assert.deepEqual(outline(t).slice(0, 6), [
    'package 0 0-7,16-23',
    '  numa 0 0-7,16-23',
    '    l3 0 0-7,16-23',
    '      l2 0 0,16',
    '        core 0 0,16',
    '      l2 1 1,17',
  ]);
  // Tree order puts SMT siblings next to each other.
  assert.deepEqual(t.pusInTreeOrder().slice(0, 4).map((p) => p.cpu), [0, 16, 1, 17]);
  assert.deepEqual(t.warnings, []);
});

test('AMD EPYC: several L3 domains per package, nested in NUMA nodes; core_id holes do not matter', () => {
  const t = readTopology(fixtureRoot('amd-epyc'));
  assert.equal(t.objects('package').length, 1);
  assert.deepEqual(lists(t, 'numa'), ['0-7,16-23', '8-15,24-31']);
  assert.deepEqual(lists(t, 'l3'), ['0-3,16-19', '4-7,20-23', '8-11,24-27', '12-15,28-31']);
  assert.equal(t.objects('core').length, 16);
  assert.deepEqual(t.objects('core').slice(4, 6).map((c) => c.osIndex), [8, 9]);
  assert.deepEqual(outline(t).filter((l) => !/l2|core/.test(l)), [
    'package 0 0-31',
    '  numa 0 0-7,16-23',
    '    l3 0 0-3,16-19',
    '    l3 1 4-7,20-23',
    '  numa 1 8-15,24-31',
    '    l3 2 8-11,24-27',
    '    l3 3 12-15,28-31',
  ]);
});

test('Intel hybrid: P-cores with SMT and E-cores, kinds from cpu_core/cpu_atom, E-cores share an L2', () => {
  const t = readTopology(fixtureRoot('intel-hybrid'));
  assert.deepEqual(t.kinds.map((k) => [k.name, k.rank, k.cpus.toList()]), [
    ['performance', 0, '0-15'],
    ['efficiency', 1, '16-19'],
  ]);
  assert.equal(t.objects('core').length, 12);
  assert.equal(t.objects('core')[0]!.kind, 'performance');
  assert.equal(t.objects('core')[11]!.kind, 'efficiency');
  assert.equal(t.pu(17)!.kind, 'efficiency');
  assert.deepEqual(lists(t, 'l2').slice(-2), ['14-15', '16-19']);
  const l2 = t.objects('l2')[8]!;
  assert.deepEqual(l2.children.map((c) => [c.type, c.cpus.toList()]), [
    ['core', '16'],
    ['core', '17'],
    ['core', '18'],
    ['core', '19'],
  ]);
});

test('ARM big.LITTLE: no package ids (-1), kinds from cpu_capacity, clusters from the L2, no NUMA', () => {
  const t = readTopology(fixtureRoot('arm-biglittle'));
  assert.equal(t.has('package'), false);
  assert.equal(t.has('numa'), false);
  assert.equal(t.has('l3'), false);
  assert.deepEqual(t.pus.map((p) => p.package), [null, null, null, null, null, null]);
  assert.deepEqual(t.kinds.map((k) => [k.name, k.cpus.toList()]), [
    ['performance', '4-5'],
    ['efficiency', '0-3'],
  ]);
  // core_id 0 appears in both clusters; siblings lists keep them apart.
  assert.equal(t.objects('core').length, 6);
  assert.deepEqual(outline(t), ['l2 0 0-3', '  core 0 0', '  core 1 1', '  core 2 2', '  core 3 3', 'l2 1 4-5', '  core 4 4', '  core 5 5']);
  assert.equal(t.pu(4)!.capacity, 1024);
});

test('offline CPUs and holes: offline CPUs without topology hang off the machine, holes are not invented', () => {
  const t = readTopology(fixtureRoot('offline-holes'));
  assert.equal(t.cpus.toList(), '0-5,8-11');
  assert.equal(t.online.toList(), '0-3,8-11');
  assert.equal(t.usable.toList(), '0-3,8-11');
  assert.equal(t.isolated.toList(), '11');
  assert.equal(t.pu(6), undefined);
  assert.deepEqual([t.pu(4)!.online, t.pu(4)!.core, t.pu(4)!.package, t.pu(4)!.usable], [false, null, null, false]);
  assert.deepEqual(t.machine.children.map((c) => `${c.type} ${c.cpus.toList()}`), ['package 0-3,8-11', 'pu 4', 'pu 5']);
  assert.equal(t.objects('core').length, 8);
  // node1 has memory and no CPU: listed, but not an object of the tree.
  assert.deepEqual(t.numaNodes.map((n) => [n.id, n.cpus.toList()]), [
    [0, '0-3,8-11'],
    [1, ''],
  ]);
  assert.equal(t.objects('numa').length, 1);
  assert.equal(t.pu(11)!.isolated, true);
});

test('VM without cache info: no L3/L2/NUMA levels, cores and package still there', () => {
  const t = readTopology(fixtureRoot('vm-nocache'));
  assert.deepEqual(['package', 'numa', 'l3', 'l2', 'core'].map((x) => t.has(x as ObjectType)), [true, false, false, false, true]);
  assert.deepEqual(outline(t), ['package 0 0-3', '  core 0 0', '  core 1 1', '  core 2 2', '  core 3 3']);
  assert.deepEqual(t.pus.map((p) => [p.l3, p.l2, p.numa]), Array(4).fill([null, null, null]));
});

test('restricted cpuset: allowed = Cpus_allowed_list (3-7) ∩ cgroup v2 cpuset (2-5)', () => {
  const t = readTopology(fixtureRoot('restricted-cpuset'));
  assert.equal(t.online.toList(), '0-7');
  assert.equal(t.allowed.toList(), '3-5');
  assert.equal(t.usable.toList(), '3-5');
  assert.deepEqual(t.pus.map((p) => p.allowed), [false, false, false, true, true, true, false, false]);
  // The tree still shows every CPU; only the usable view shrinks.
  assert.equal(t.objects('core').length, 4);
});

test('sub-NUMA clustering: an L3 spanning two NUMA nodes goes above them instead of being dropped', () => {
  const t = readTopology(fixtureRoot('intel-snc'));
  assert.deepEqual(outline(t).filter((l) => !/l2|core/.test(l)), ['package 0 0-7', '  l3 0 0-7', '    numa 0 0-3', '    numa 1 4-7']);
  assert.deepEqual(t.warnings, []);
});

test('a root without sys/devices/system/cpu is an error that names the directory', () => {
  const dir = mkdtempSync(join(tmpdir(), 'corepin-empty-'));
  try {
    assert.throws(() => readTopology(dir), (err: unknown) => err instanceof TopologyUnavailableError && err.code === 'ERR_NO_TOPOLOGY' && err.message.includes(dir));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('this machine: every CPU of Cpus_allowed_list is allowed, and each PU has a core', () => {
  const t = readTopology();
  assert.ok(t.pus.length >= 1);
  assert.equal(t.source, 'sysfs:/');
  for (const p of t.pus.filter((x) => x.online)) assert.notEqual(p.core, null, `CPU ${p.cpu} has no core`);
  assert.ok(t.usable.isSubsetOf(t.online));
  assert.ok(!t.usable.isEmpty);
});
