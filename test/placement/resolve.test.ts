import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CpuSet } from '../../src/cpuset/CpuSet.js';
import { resolvePlacement } from '../../src/placement/resolve.js';
import { replanSlots } from '../../src/pool/replanSlots.js';
import { defaultWorkers } from '../../src/topology/capacity.js';
import { readTopology } from '../../src/topology/readTopology.js';
import { readUsableCpus } from '../../src/topology/readUsableCpus.js';
import { syntheticTopology } from '../../src/topology/syntheticTopology.js';
import { writeSysfs } from '../../src/topology/writeSysfs.js';
import { fixtureRoot } from '../topology/fixtureRoot.js';

const lists = (slots: readonly (CpuSet | null)[]): (string | null)[] => slots.map((s) => s?.toList() ?? null);

test('every request form resolves through the one resolver against the topology given', () => {
  const m = syntheticTopology('numa:2 core:4 pu:2'); // 16 PUs; node 0 = 0-7, node 1 = 8-15; core k = {2k, 2k+1}
  assert.deepEqual(lists(resolvePlacement('cores', m, 3).slots), ['0-1', '2-3', '4-5']);
  assert.deepEqual(lists(resolvePlacement({ policy: 'cores', within: 'numa:1' }, m, 2).slots), ['8-9', '10-11']);
  assert.deepEqual(lists(resolvePlacement({ policy: 'cores', within: 'numa:1', reserve: 'core:4' }, m, 2).slots), ['10-11', '12-13']);
  assert.deepEqual(lists(resolvePlacement('numa:1', m, 2).slots), ['8', '12'], 'a location: spread inside it (over its cores)');
  assert.deepEqual(lists(resolvePlacement(['0-1', 'core:7'], m).slots), ['0-1', '14-15']);
  assert.deepEqual(lists(resolvePlacement((slot) => [slot * 3], m, 3).slots), ['0', '3', '6']);
  assert.deepEqual(lists(resolvePlacement('none', m, 2).slots), [null, null]);
  assert.deepEqual(lists(resolvePlacement({ policy: 'none', within: 'numa:0' }, m, 2).slots), ['0-7', '0-7'], "'none' inside within: every slot on all of it");
  assert.equal(resolvePlacement(undefined, m, 1).request, 'spread');
  const cores = resolvePlacement({ policy: 'cores', within: '8-15' }, m, 1);
  assert.equal(cores.plan?.policy, 'cores');
  assert.strictEqual(cores.placement, cores.plan, 'the deprecated field is the same plan');
  assert.strictEqual(resolvePlacement('none', m, 1).placement, null);
  assert.equal(cores.usable.toList(), '8-15');
});

test('default workers: one per place the request finds, capped as capacity() caps it', () => {
  const m = syntheticTopology('numa:2 core:4 pu:2');
  assert.equal(resolvePlacement('cores', m).workers, defaultWorkers({ topology: m, places: 8 }), '8 cores');
  assert.equal(resolvePlacement('numa', m).workers, defaultWorkers({ topology: m, places: 2 }), '2 nodes');
  assert.equal(resolvePlacement('spread', m).workers, defaultWorkers({ topology: m, places: 16 }), '16 PUs');
  assert.equal(resolvePlacement({ policy: 'cores', within: 'numa:1' }, m).workers, defaultWorkers({ topology: m, places: 4 }));
  assert.equal(resolvePlacement(['0', '1', '2'], m).workers, 3, 'a list: its length');
});

test('bad requests are PlacementError naming what is wrong', () => {
  const m = syntheticTopology('core:2 pu:1');
  const bad: [unknown, number | undefined, RegExp][] = [
    [[], undefined, /list is empty/],
    [{ policy: 'nosuch' }, 1, /unknown placement policy "nosuch"/],
    [{ policy: 'cores', within: '5-6' }, 1, /names no usable CPU/],
    [() => [7], 1, /CPU 7/],
    [42, 1, /placement must be/],
    ['cores', 0, /whole number/],
  ];
  for (const [request, workers, message] of bad) {
    assert.throws(() => resolvePlacement(request as never, m, workers), (e: Error & { code?: string }) => e.code === 'ERR_PLACEMENT' && message.test(e.message), String(request));
  }
});

test('isolated CPUs: left out unless asked; asked, one isolated CPU per slot, never a span (synthetic)', () => {
  const m = syntheticTopology('core:4 pu:2 isolated:4-7'); // cores {0,1} {2,3} | isolated cores {4,5} {6,7}
  assert.deepEqual(lists(resolvePlacement('cores', m).slots.slice(0, 2)), ['0-1', '2-3']);
  assert.ok(resolvePlacement('spread', m, 8).slots.every((s) => s!.isSubsetOf(CpuSet.parse('0-3', 'list'))), 'default placement never on an isolated CPU');
  for (const policy of ['cores', 'l3', 'spread', 'compact', 'package'] as const) {
    const r = resolvePlacement({ policy, isolated: true }, m, 4);
    assert.deepEqual(lists(r.slots).sort(), ['4', '5', '6', '7'], `${policy} + isolated: one CPU each`);
  }
  assert.equal(resolvePlacement({ policy: 'cores', isolated: true }, m).workers, defaultWorkers({ topology: m, places: 4, isolated: true }), 'default: one per isolated CPU');
  assert.throws(() => resolvePlacement({ policy: 'spread', isolated: true }, syntheticTopology('core:2')), /isolated CPUs asked for, but none is usable/);
});

test('isolated CPUs from isolcpus and nohz_full in a sysfs tree: one each when asked, never a span', (t) => {
  const root = mkdtempSync(join(tmpdir(), `corepin-isolated-${process.pid}-`));
  t.after(() => rmSync(root, { recursive: true, force: true }));
  writeSysfs(syntheticTopology('core:4 pu:2'), root);
  writeFileSync(join(root, 'sys/devices/system/cpu/isolated'), '6-7\n');
  writeFileSync(join(root, 'sys/devices/system/cpu/nohz_full'), '4-5\n');
  const m = readTopology(root);
  assert.equal(m.isolated.toList(), '4-7');
  assert.deepEqual(lists(resolvePlacement('cores', m).slots.slice(0, 2)), ['0-1', '2-3'], 'cores over the 2 cores that are not isolated');
  assert.ok(resolvePlacement('compact', m, 6).slots.every((s) => s!.isSubsetOf(CpuSet.parse('0-3', 'list'))));
  const iso = resolvePlacement({ policy: 'cores', isolated: true }, m, 4);
  assert.deepEqual(lists(iso.slots).sort(), ['4', '5', '6', '7']);
  assert.ok(iso.plan!.slots.every((s) => /isolated CPU \d/.test(s.reason)), 'each slot says why it has one CPU');
  const wrapped = resolvePlacement({ policy: 'l3', isolated: true }, m, 6);
  assert.ok(wrapped.slots.every((s) => s!.size === 1), 'more slots than isolated CPUs wrap, still one CPU each');
});

test('readUsableCpus reads the same usable view as readTopology, on every fixture and on this machine', () => {
  for (const name of ['intel-2s-smt', 'amd-epyc', 'intel-hybrid', 'arm-biglittle', 'intel-snc', 'vm-nocache', 'offline-holes', 'restricted-cpuset']) {
    const root = fixtureRoot(name);
    assert.equal(readUsableCpus(root).toList(), readTopology(root).usable.toList(), name);
  }
  assert.equal(readUsableCpus().toList(), readTopology().usable.toList(), 'this machine');
});

/** Resolves the same request again after the usable CPUs change, and applies the moves as Pool does. */
function replanned(request: Parameters<typeof resolvePlacement>[0], before: ReturnType<typeof syntheticTopology>, after: ReturnType<typeof syntheticTopology>, workers: number): (string | null)[] {
  const own = resolvePlacement(request, before, workers).slots;
  const fresh = resolvePlacement(request, after, workers).slots;
  const current = [...own];
  for (const m of replanSlots(own, own, fresh, after.usable)) current[m.slot] = m.to;
  return lists(current);
}

test('re-resolving the same request: cores stays cores, l3 stays l3, numa stays numa (an explicit list cannot)', () => {
  // CPUs 1 and 3 (second threads) come back online: `cores` gives each slot its whole core again.
  const half = syntheticTopology('core:2 pu:2 online:0,2');
  const full = syntheticTopology('core:2 pu:2');
  assert.deepEqual(replanned('cores', half, full, 2), ['0-1', '2-3']);
  assert.deepEqual(replanned(['0', '2'], half, full, 2), ['0', '2'], 'the list the CLI used to hand over stays as it was');
  // One L3 of four cores loses two: `l3` slots stay on whole L3 domains (what is left of them).
  const l3 = syntheticTopology('l3:2 core:4 pu:1'); // L3 0 = 0-3, L3 1 = 4-7
  const l3down = syntheticTopology('l3:2 core:4 pu:1 online:0-1,4-7');
  assert.deepEqual(replanned('l3', l3, l3down, 2), ['0-1', '4-7']);
  assert.deepEqual(replanned('l3', l3down, l3, 2), ['0-3', '4-7'], 'back: the whole domain again');
  // A NUMA node goes away: both slots on the one left, each on the whole node.
  const numa = syntheticTopology('numa:2 core:2 pu:1');
  const numaDown = syntheticTopology('numa:2 core:2 pu:1 online:0-1');
  assert.deepEqual(replanned('numa', numa, numaDown, 2), ['0-1', '0-1']);
  assert.deepEqual(replanned({ policy: 'numa', within: '2-3' }, numa, syntheticTopology('numa:2 core:2 pu:1 online:0-2'), 2), ['2', '2'], 'within stays within');
});

test('re-resolving on fixtures (l3 on amd-epyc, numa on intel-snc): every slot is a whole domain of what is usable', (t) => {
  for (const [name, policy, type] of [['amd-epyc', 'l3', 'l3'], ['intel-snc', 'numa', 'numa'], ['intel-2s-smt', 'cores', 'core']] as const) {
    const scratch = mkdtempSync(join(tmpdir(), `corepin-replan-${process.pid}-`));
    t.after(() => rmSync(scratch, { recursive: true, force: true }));
    writeSysfs(readTopology(fixtureRoot(name)), scratch);
    const before = readTopology(scratch);
    const objects = before.objects(type);
    // Half of the first domain goes offline.
    const lost = CpuSet.from(objects[0]!.cpus.toArray().slice(0, Math.max(1, objects[0]!.cpus.size >> 1)));
    writeFileSync(join(scratch, 'sys/devices/system/cpu/online'), `${before.online.difference(lost).toList()}\n`);
    const after = readTopology(scratch);
    const workers = objects.length;
    const own = resolvePlacement(policy, before, workers).slots;
    const current = [...own];
    for (const m of replanSlots(own, own, resolvePlacement(policy, after, workers).slots, after.usable)) current[m.slot] = m.to;
    for (const [i, cpus] of current.entries()) {
      const domain = objects.find((o) => o.cpus.intersect(cpus!).size > 0)!;
      assert.equal(cpus!.toList(), domain.cpus.intersect(after.usable).toList(), `${name} ${policy}: slot ${i} is the usable part of one ${type}`);
    }
  }
});
