import { test } from 'node:test';
import assert from 'node:assert/strict';
import { CpuSet } from '../../src/cpuset/CpuSet.js';
import { plan } from '../../src/placement/plan.js';
import type { PolicyName } from '../../src/placement/plan.js';
import { PlacementError } from '../../src/placement/errors.js';
import { readTopology } from '../../src/topology/readTopology.js';
import { fixtureRoot } from '../topology/fixtureRoot.js';

type Expect = Record<Exclude<PolicyName, 'list'>, string>;

/** Slot CPU lists joined with ` | `, per policy, for each fixture (worked out from the layouts in test/fixtures/sysfs/README.md). */
const CASES: { fixture: string; workers: number; expect: Expect }[] = [
  {
    fixture: 'intel-2s-smt', // 2 packages x 8 cores, siblings n / n+16
    workers: 6,
    expect: {
      'round-robin': '0 | 1 | 2 | 3 | 4 | 5',
      compact: '0 | 16 | 1 | 17 | 2 | 18',
      spread: '0 | 2 | 5 | 8 | 10 | 13', // 3 per package, evenly spaced over 8 cores
      cores: '0,16 | 1,17 | 2,18 | 3,19 | 4,20 | 5,21',
      l3: '0-7,16-23 | 8-15,24-31 | 0-7,16-23 | 8-15,24-31 | 0-7,16-23 | 8-15,24-31',
      numa: '0-7,16-23 | 8-15,24-31 | 0-7,16-23 | 8-15,24-31 | 0-7,16-23 | 8-15,24-31',
      package: '0-7,16-23 | 8-15,24-31 | 0-7,16-23 | 8-15,24-31 | 0-7,16-23 | 8-15,24-31',
      'performance-first': '0 | 1 | 2 | 3 | 4 | 5',
    },
  },
  {
    fixture: 'amd-epyc', // 1 package, 2 NUMA x 2 L3 x 4 cores, siblings n / n+16
    workers: 6,
    expect: {
      'round-robin': '0 | 1 | 2 | 3 | 4 | 5',
      compact: '0 | 16 | 1 | 17 | 2 | 18',
      spread: '0 | 2 | 4 | 8 | 10 | 12', // 3 per NUMA node: 2 + 1 over its L3s
      cores: '0,16 | 1,17 | 2,18 | 3,19 | 4,20 | 5,21',
      l3: '0-3,16-19 | 4-7,20-23 | 8-11,24-27 | 12-15,28-31 | 0-3,16-19 | 4-7,20-23',
      numa: '0-7,16-23 | 8-15,24-31 | 0-7,16-23 | 8-15,24-31 | 0-7,16-23 | 8-15,24-31',
      package: '0-31 | 0-31 | 0-31 | 0-31 | 0-31 | 0-31',
      'performance-first': '0 | 1 | 2 | 3 | 4 | 5',
    },
  },
  {
    fixture: 'intel-hybrid', // 8 P-cores (0-15, SMT) + 4 E-cores (16-19)
    workers: 10,
    expect: {
      'round-robin': '0 | 1 | 2 | 3 | 4 | 5 | 6 | 7 | 8 | 9',
      compact: '0 | 1 | 2 | 3 | 4 | 5 | 6 | 7 | 8 | 9',
      spread: '0 | 2 | 4 | 6 | 8 | 12 | 14 | 16 | 17 | 18',
      cores: '0-1 | 2-3 | 4-5 | 6-7 | 8-9 | 10-11 | 12-13 | 14-15 | 16 | 17',
      l3: Array(10).fill('0-19').join(' | '),
      numa: Array(10).fill('0-19').join(' | '),
      package: Array(10).fill('0-19').join(' | '),
      'performance-first': '0 | 2 | 4 | 6 | 8 | 10 | 12 | 14 | 16 | 17', // P first threads, then E, then P siblings
    },
  },
  {
    fixture: 'arm-biglittle', // little 0-3, big 4-5, no package, no L3, no NUMA
    workers: 4,
    expect: {
      'round-robin': '0 | 1 | 2 | 3',
      compact: '0 | 1 | 2 | 3',
      spread: '0 | 1 | 2 | 4', // 3 + 1 in proportion to the clusters
      cores: '0 | 1 | 2 | 3',
      l3: '0-5 | 0-5 | 0-5 | 0-5', // no L3, NUMA or package: the whole machine
      numa: '0-5 | 0-5 | 0-5 | 0-5',
      package: '0-5 | 0-5 | 0-5 | 0-5',
      'performance-first': '4 | 5 | 0 | 1',
    },
  },
  {
    fixture: 'offline-holes', // usable 0-3,8-11 (4,5 offline, 6,7 absent); 11 isolated, so left out unless asked
    workers: 9,
    expect: {
      'round-robin': '0 | 1 | 2 | 3 | 8 | 9 | 10 | 0 | 1',
      compact: '0 | 1 | 2 | 3 | 8 | 9 | 10 | 0 | 1',
      spread: '0 | 1 | 2 | 3 | 8 | 9 | 10 | 0 | 1',
      cores: '0 | 1 | 2 | 3 | 8 | 9 | 10 | 0 | 1',
      l3: Array(9).fill('0-3,8-10').join(' | '),
      numa: Array(9).fill('0-3,8-10').join(' | '),
      package: Array(9).fill('0-3,8-10').join(' | '),
      'performance-first': '0 | 1 | 2 | 3 | 8 | 9 | 10 | 0 | 1',
    },
  },
  {
    fixture: 'vm-nocache', // 4 single-thread cores, no caches, no NUMA
    workers: 6,
    expect: {
      'round-robin': '0 | 1 | 2 | 3 | 0 | 1',
      compact: '0 | 1 | 2 | 3 | 0 | 1',
      spread: '0 | 1 | 2 | 3 | 0 | 1',
      cores: '0 | 1 | 2 | 3 | 0 | 1',
      l3: Array(6).fill('0-3').join(' | '), // no L3, no NUMA: falls back to the package
      numa: Array(6).fill('0-3').join(' | '),
      package: Array(6).fill('0-3').join(' | '),
      'performance-first': '0 | 1 | 2 | 3 | 0 | 1',
    },
  },
  {
    fixture: 'restricted-cpuset', // cores {0,1} {2,3} {4,5} {6,7}; usable 3-5
    workers: 4,
    expect: {
      'round-robin': '3 | 4 | 5 | 3',
      compact: '3 | 4 | 5 | 3',
      spread: '3 | 4 | 5 | 3',
      cores: '3 | 4-5 | 3 | 4-5',
      l3: '3-5 | 3-5 | 3-5 | 3-5',
      numa: '3-5 | 3-5 | 3-5 | 3-5',
      package: '3-5 | 3-5 | 3-5 | 3-5',
      'performance-first': '3 | 4 | 5 | 3',
    },
  },
  {
    fixture: 'intel-snc', // one L3 over NUMA 0 (0-3) and NUMA 1 (4-7)
    workers: 3,
    expect: {
      'round-robin': '0 | 1 | 2',
      compact: '0 | 1 | 2',
      spread: '0 | 2 | 4',
      cores: '0 | 1 | 2',
      l3: '0-7 | 0-7 | 0-7',
      numa: '0-3 | 4-7 | 0-3',
      package: '0-7 | 0-7 | 0-7',
      'performance-first': '0 | 1 | 2',
    },
  },
  {
    fixture: 'numa256', // 2 packages x 4 NUMA x 2 L3 x 8 cores x 2 threads, siblings n / n+128
    workers: 10,
    expect: {
      'round-robin': '0 | 1 | 2 | 3 | 4 | 5 | 6 | 7 | 8 | 9',
      compact: '0 | 128 | 1 | 129 | 2 | 130 | 3 | 131 | 4 | 132',
      spread: '0 | 8 | 16 | 32 | 48 | 64 | 72 | 80 | 96 | 112', // 5 per package: 2+1+1+1 over NUMA nodes
      cores: '0,128 | 1,129 | 2,130 | 3,131 | 4,132 | 5,133 | 6,134 | 7,135 | 8,136 | 9,137',
      l3: '0-7,128-135 | 8-15,136-143 | 16-23,144-151 | 24-31,152-159 | 32-39,160-167 | 40-47,168-175 | 48-55,176-183 | 56-63,184-191 | 64-71,192-199 | 72-79,200-207',
      numa: '0-15,128-143 | 16-31,144-159 | 32-47,160-175 | 48-63,176-191 | 64-79,192-207 | 80-95,208-223 | 96-111,224-239 | 112-127,240-255 | 0-15,128-143 | 16-31,144-159',
      package: '0-63,128-191 | 64-127,192-255 | 0-63,128-191 | 64-127,192-255 | 0-63,128-191 | 64-127,192-255 | 0-63,128-191 | 64-127,192-255 | 0-63,128-191 | 64-127,192-255',
      'performance-first': '0 | 1 | 2 | 3 | 4 | 5 | 6 | 7 | 8 | 9',
    },
  },
];

for (const { fixture, workers, expect } of CASES) {
  test(`${fixture}: every policy places ${workers} workers as expected`, () => {
    const t = readTopology(fixtureRoot(fixture));
    for (const [policy, want] of Object.entries(expect) as [PolicyName, string][]) {
      const p = plan(t, workers, policy);
      assert.equal(p.slots.map((s) => s.cpus.toList()).join(' | '), want, `${fixture} ${policy}`);
      for (const s of p.slots) {
        assert.ok(s.cpus.isSubsetOf(t.usable), `${policy} slot ${s.slot} uses unusable CPUs`);
        assert.equal(s.wrapped, s.slot >= p.places);
        assert.ok(s.reason.startsWith(`${policy}:`), s.reason);
      }
    }
    const usable = t.usable.toArray();
    const pair = CpuSet.of(usable[1]!, usable[2]!);
    const p = plan(t, workers, 'list', { list: [String(usable[0]), pair] });
    assert.deepEqual(
      p.slots.map((s) => s.cpus.toList()),
      Array.from({ length: workers }, (_, i) => (i % 2 === 0 ? String(usable[0]) : pair.toList())),
    );
  });
}

test('fallbacks and wrap-around are explained in the reasons', () => {
  const vm = plan(readTopology(fixtureRoot('vm-nocache')), 5, 'l3');
  assert.match(vm.slots[0]!.reason, /l3: whole package 0, 4 usable CPUs \(no L3 domain information: using packages\)/);
  assert.match(vm.slots[1]!.reason, /wraps around: 5 workers > 1 places, shares with slot 0/);
  const arm = plan(readTopology(fixtureRoot('arm-biglittle')), 1, 'numa');
  assert.equal(arm.slots[0]!.object.type, 'machine');
  assert.match(arm.slots[0]!.reason, /no NUMA node information: the whole machine/);
  const hy = plan(readTopology(fixtureRoot('intel-hybrid')), 1, 'performance-first');
  assert.match(hy.slots[0]!.where, /package 0 · NUMA 0 · L3 0 · core 0 · performance/);
});

test('reserve keeps CPUs free; smt:false keeps one thread per core and is applied before reserve', () => {
  const t = readTopology(fixtureRoot('intel-2s-smt'));
  const r = plan(t, 3, 'cores', { reserve: '0' });
  assert.deepEqual(r.slots.map((s) => s.cpus.toList()), ['16', '1,17', '2,18']);
  assert.equal(r.reserved.toList(), '0');
  const rc = plan(t, 3, 'cores', { reserve: 'core:0' });
  assert.deepEqual(rc.slots.map((s) => s.cpus.toList()), ['1,17', '2,18', '3,19']);
  const n = plan(t, 3, 'compact', { smt: false, reserve: '0' });
  assert.deepEqual(n.slots.map((s) => s.cpus.toList()), ['1', '2', '3']); // core 0 is gone, not half-used via CPU 16
  assert.equal(n.usable.toList(), '1-15');
  const c = plan(t, 17, 'cores', { smt: false });
  assert.equal(c.places, 16);
  assert.equal(c.slots[16]!.cpus.toList(), '0');
});

test('bad input is a PlacementError naming it', () => {
  const t = readTopology(fixtureRoot('restricted-cpuset'));
  const cases: [() => unknown, RegExp][] = [
    [() => plan(t, 0, 'spread'), /cannot place 0 workers/],
    [() => plan(t, 2.5, 'spread'), /cannot place 2.5 workers/],
    [() => plan(t, 1, 'nearest' as PolicyName), /unknown placement policy "nearest"; choose one of round-robin, compact/],
    [() => plan(t, 1, 'spread', { reserve: '3-5' }), /no usable CPU left .* usable CPUs are 3-5, reserved 3-5/],
    [() => plan(t, 1, 'list'), /policy list needs the CPU sets/],
    [() => plan(t, 2, 'list', { list: ['3', '0-1'] }), /list item 1 \("0-1"\) has CPU 0-1 that cannot be used; usable CPUs are 3-5/],
    [() => plan(t, 1, 'list', { list: ['4'], reserve: '4' }), /has CPU 4 that cannot be used \(reserved\)/],
  ];
  for (const [fn, re] of cases) assert.throws(fn, (e: unknown) => e instanceof PlacementError && e.code === 'ERR_PLACEMENT' && re.test(e.message), String(re));
  assert.throws(() => plan(t, 1, 'spread', { reserve: 'core:9' }), /bad location "core:9"/);
});
