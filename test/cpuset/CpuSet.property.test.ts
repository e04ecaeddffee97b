import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { CpuSet, MAX_CPU } from '../../src/cpuset/CpuSet.js';

/**
 * Fixed seed so a failure reproduces in CI; set COREPIN_FC_SEED to explore other cases locally.
 * fast-check prints the seed and the shrunk counterexample when a property fails.
 */
const seed = Number(process.env['COREPIN_FC_SEED'] ?? 0x0c0e_5e7);
const params = { seed, numRuns: 300 };

/** CPU numbers as a plain array, so the model is a JS Set and not CpuSet itself. */
const sparse = fc.uniqueArray(fc.integer({ min: 0, max: 4095 }), { maxLength: 200 });
/** Dense sets: a few runs, so toList has ranges and masks have full words. */
const runs = fc
  .array(fc.tuple(fc.integer({ min: 0, max: 4095 }), fc.integer({ min: 0, max: 300 })), { maxLength: 8 })
  .map((rs) => rs.flatMap(([a, n]) => Array.from({ length: Math.min(n, 4095 - a) + 1 }, (_, i) => a + i)));
/** Any set of CPUs 0 … 4095, empty included. */
const cpuArray: fc.Arbitrary<number[]> = fc.oneof(sparse, runs, fc.constant([] as number[]), fc.constant<number[]>([4095]), fc.constant<number[]>([0]));
const cpuSet = cpuArray.map((a) => CpuSet.from(a));
const nonEmptySet = cpuSet.filter((s) => !s.isEmpty);

function model(a: readonly number[]): number[] {
  return [...new Set(a)].sort((x, y) => x - y);
}

test('from() keeps exactly the given CPUs, ascending, and has() agrees', () => {
  fc.assert(
    fc.property(cpuArray, fc.integer({ min: 0, max: 4200 }), (a, probe) => {
      const s = CpuSet.from(a);
      assert.deepEqual(s.toArray(), model(a));
      assert.deepEqual([...s], model(a));
      assert.equal(s.size, new Set(a).size);
      assert.equal(s.has(probe), a.includes(probe));
    }),
    params,
  );
});

test('parse(toList(s)) equals s for non-empty sets up to 4096 CPUs', () => {
  fc.assert(
    fc.property(nonEmptySet, (s) => {
      assert.ok(CpuSet.parse(s.toList()).equals(s), s.toList());
      assert.ok(CpuSet.parse(s.toList(), 'list').equals(s));
    }),
    params,
  );
});

test('parse(toMask(s)) equals s, the empty set included', () => {
  fc.assert(
    fc.property(cpuSet, (s) => {
      assert.ok(CpuSet.parse(s.toMask()).equals(s), s.toMask());
      assert.ok(CpuSet.parse(s.toMask(), 'mask').equals(s));
      assert.ok(CpuSet.parse(s.toMask().slice(2), 'mask').equals(s), 'without 0x, as taskset takes it');
    }),
    params,
  );
});

test("parse(toKernelMask(s), 'mask') equals s; 'auto' too once it has two groups", () => {
  fc.assert(
    fc.property(cpuSet, (s) => {
      const k = s.toKernelMask();
      assert.ok(CpuSet.parse(k, 'mask').equals(s), k);
      // A single group (CPUs < 32) reads as a list in 'auto'; two or more are unambiguous.
      if ((s.last ?? 0) >= 32) assert.ok(CpuSet.parse(k).equals(s), k);
      // Leading zero groups, as a machine with more possible CPUs prints them, change nothing.
      const wide = `00000000,${k.split(',').map((g) => g.padStart(8, '0')).join(',')}`;
      assert.ok(CpuSet.parse(wide).equals(s), wide);
    }),
    params,
  );
});

test('round trips hold for sparse sets over the whole 0 … 65535 range', () => {
  const wide = fc.uniqueArray(fc.integer({ min: 0, max: MAX_CPU }), { minLength: 1, maxLength: 50 }).map((a) => CpuSet.from(a));
  fc.assert(
    fc.property(wide, (s) => {
      assert.ok(CpuSet.parse(s.toList()).equals(s));
      assert.ok(CpuSet.parse(s.toMask()).equals(s));
      assert.ok(CpuSet.parse(s.toKernelMask(), 'mask').equals(s));
      assert.ok(CpuSet.fromBytes(s.toBytes()).equals(s));
    }),
    { ...params, numRuns: 100 },
  );
});

test('fromBytes(toBytes(s)) equals s at any minimum size', () => {
  fc.assert(
    fc.property(cpuSet, fc.integer({ min: 0, max: 1024 }), (s, min) => {
      const bytes = s.toBytes(min);
      assert.ok(bytes.length >= min);
      assert.ok(CpuSet.fromBytes(bytes).equals(s));
    }),
    params,
  );
});

test('toList is compact: no two items could merge, and items ascend', () => {
  fc.assert(
    fc.property(nonEmptySet, (s) => {
      let prevEnd = -2;
      for (const item of s.toList().split(',')) {
        const [a, b] = item.split('-').map(Number) as [number, number | undefined];
        // A one-CPU range is written N, never N-N.
        if (b !== undefined) assert.ok(b > a, `${item} in ${s.toList()}`);
        assert.ok(a > prevEnd + 1, `${item} touches the previous item in ${s.toList()}`);
        prevEnd = b ?? a;
      }
    }),
    params,
  );
});

test('strides and used/group items select what the kernel rule says', () => {
  const item = fc
    .tuple(
      fc.integer({ min: 0, max: 4095 }),
      fc.integer({ min: 0, max: 600 }),
      fc.integer({ min: 1, max: 70 }),
      fc.integer({ min: 1, max: 70 }),
    )
    .map(([first, len, x, y]) => ({ first, last: Math.min(first + len, 4095), used: Math.min(x, y), group: Math.max(x, y) }));
  fc.assert(
    fc.property(item, ({ first, last, used, group }) => {
      const expected: number[] = [];
      for (let c = first; c <= last; c++) if ((c - first) % group < used) expected.push(c);
      assert.deepEqual(CpuSet.parse(`${first}-${last}:${used}/${group}`).toArray(), expected);
      const strided: number[] = [];
      for (let c = first; c <= last; c += group) strided.push(c);
      assert.deepEqual(CpuSet.parse(`${first}-${last}:${group}`).toArray(), strided);
    }),
    params,
  );
});

test('set algebra agrees with a JS Set model', () => {
  fc.assert(
    fc.property(cpuArray, cpuArray, (xa, ya) => {
      const x = CpuSet.from(xa);
      const y = CpuSet.from(ya);
      const mx = new Set(xa);
      const my = new Set(ya);
      assert.deepEqual(x.union(y).toArray(), model([...xa, ...ya]));
      assert.deepEqual(x.intersect(y).toArray(), model(xa.filter((c) => my.has(c))));
      assert.deepEqual(x.difference(y).toArray(), model(xa.filter((c) => !my.has(c))));
      assert.equal(x.isSubsetOf(y), xa.every((c) => my.has(c)));
      assert.equal(x.equals(y), mx.size === my.size && xa.every((c) => my.has(c)));
    }),
    params,
  );
});

test('set algebra laws', () => {
  const U = CpuSet.range(0, 4095);
  fc.assert(
    fc.property(cpuSet, cpuSet, cpuSet, (a, b, c) => {
      // Commutative, associative, idempotent.
      assert.ok(a.union(b).equals(b.union(a)));
      assert.ok(a.intersect(b).equals(b.intersect(a)));
      assert.ok(a.union(b).union(c).equals(a.union(b.union(c))));
      assert.ok(a.intersect(b).intersect(c).equals(a.intersect(b.intersect(c))));
      assert.ok(a.union(a).equals(a));
      assert.ok(a.intersect(a).equals(a));
      // Distributive and absorptive.
      assert.ok(a.intersect(b.union(c)).equals(a.intersect(b).union(a.intersect(c))));
      assert.ok(a.union(b.intersect(c)).equals(a.union(b).intersect(a.union(c))));
      assert.ok(a.union(a.intersect(b)).equals(a));
      assert.ok(a.intersect(a.union(b)).equals(a));
      // Identities and De Morgan within the universe 0 … 4095.
      assert.ok(a.union(CpuSet.EMPTY).equals(a));
      assert.ok(a.intersect(CpuSet.EMPTY).isEmpty);
      assert.ok(U.difference(a.union(b)).equals(U.difference(a).intersect(U.difference(b))));
      assert.ok(U.difference(a.intersect(b)).equals(U.difference(a).union(U.difference(b))));
      // Difference partitions a.
      assert.ok(a.difference(b).intersect(b).isEmpty);
      assert.ok(a.difference(b).union(a.intersect(b)).equals(a));
      assert.equal(a.difference(b).size + a.intersect(b).size, a.size);
      // Subset relations.
      assert.ok(a.intersect(b).isSubsetOf(a));
      assert.ok(a.isSubsetOf(a.union(b)));
      assert.equal(a.isSubsetOf(b), a.intersect(b).equals(a));
      assert.equal(a.isSubsetOf(b) && b.isSubsetOf(a), a.equals(b));
      // Inclusion–exclusion.
      assert.equal(a.union(b).size, a.size + b.size - a.intersect(b).size);
      // equals is the same as equal text forms.
      assert.equal(a.equals(b), a.toMask() === b.toMask());
    }),
    params,
  );
});
