import { test } from 'node:test';
import assert from 'node:assert/strict';
import { inspect } from 'node:util';
import { CpuSet, MAX_CPU } from '../../src/cpuset/CpuSet.js';
import { CpuSetSyntaxError } from '../../src/errors.js';

test('parses a list with stride and prints it compactly', () => {
  const s = CpuSet.parse('0-7:2,12');
  assert.deepEqual(s.toArray(), [0, 2, 4, 6, 12]);
  assert.equal(s.toList(), '0,2,4,6,12');
  assert.equal(s.toMask(), '0x1055');
});

test('of / from / range build sorted, unique sets', () => {
  assert.deepEqual(CpuSet.of(3, 1, 2, 1).toArray(), [1, 2, 3]);
  assert.deepEqual(CpuSet.of().toArray(), []);
  assert.equal(CpuSet.of(), CpuSet.EMPTY);
  assert.deepEqual(CpuSet.from(new Set([9, 0, 4])).toArray(), [0, 4, 9]);
  assert.deepEqual(CpuSet.from([MAX_CPU, 0]).toArray(), [0, MAX_CPU]);
  assert.deepEqual(CpuSet.range(2, 5).toArray(), [2, 3, 4, 5]);
  assert.deepEqual(CpuSet.range(7, 7).toArray(), [7]);
  assert.equal(CpuSet.range(0, MAX_CPU).size, MAX_CPU + 1);
  const s = CpuSet.of(1);
  assert.equal(CpuSet.from(s), s, 'a CpuSet is its own copy (immutable)');
});

test('of / from / range refuse non-CPU numbers', () => {
  for (const bad of [-1, 1.5, NaN, Infinity, MAX_CPU + 1, 2 ** 32]) {
    assert.throws(() => CpuSet.of(bad), CpuSetSyntaxError, String(bad));
  }
  assert.throws(() => CpuSet.of(MAX_CPU + 1), { message: /CPU 65536 is above the largest supported CPU 65535/ });
  assert.throws(() => CpuSet.from(['1'] as unknown as number[]), { message: /whole number >= 0/ });
  assert.throws(() => CpuSet.range(3, 1), { message: /range 3-1 ends before it starts/ });
  assert.throws(() => CpuSet.range(0, MAX_CPU + 1), CpuSetSyntaxError);
  assert.throws(() => CpuSet.range(0, Infinity), CpuSetSyntaxError, 'refused before any allocation');
  assert.throws(() => CpuSet.range(-1, 2), CpuSetSyntaxError);
});

test('size, isEmpty, first, last, at, has', () => {
  const s = CpuSet.parse('2-4,9,64');
  assert.equal(s.size, 5);
  assert.equal(s.isEmpty, false);
  assert.equal(s.first, 2);
  assert.equal(s.last, 64);
  assert.equal(s.at(0), 2);
  assert.equal(s.at(3), 9);
  assert.equal(s.at(-1), 64);
  assert.equal(s.at(5), undefined);
  for (const c of [2, 3, 4, 9, 64]) assert.equal(s.has(c), true, String(c));
  for (const c of [0, 1, 5, 8, 10, 63, 65, MAX_CPU, -1, 2.5]) assert.equal(s.has(c), false, String(c));
  const e = CpuSet.EMPTY;
  assert.equal(e.size, 0);
  assert.equal(e.isEmpty, true);
  assert.equal(e.first, undefined);
  assert.equal(e.last, undefined);
  assert.equal(e.has(0), false);
});

test('iteration is ascending whatever the input order', () => {
  assert.deepEqual([...CpuSet.parse('64,9,2-4,0')], [0, 2, 3, 4, 9, 64]);
  assert.deepEqual([...CpuSet.of(5, 3, 1)], [1, 3, 5]);
  assert.deepEqual([...CpuSet.EMPTY], []);
  assert.deepEqual(Array.from(CpuSet.parse('ffffffff,00000003')).slice(0, 3), [0, 1, 32]);
});

test('sets are immutable: toArray is a copy and instances are frozen', () => {
  const s = CpuSet.of(1, 2);
  const a = s.toArray();
  a.push(99);
  assert.deepEqual(s.toArray(), [1, 2]);
  assert.ok(Object.isFrozen(s));
  assert.throws(() => {
    (s as unknown as { extra: number }).extra = 1;
  }, TypeError);
});

test('toList is compact, as Cpus_allowed_list', () => {
  assert.equal(CpuSet.of(0, 1, 2, 3, 8, 10, 11, 12, 13, 14, 15).toList(), '0-3,8,10-15');
  assert.equal(CpuSet.of(0, 1).toList(), '0-1');
  assert.equal(CpuSet.of(5).toList(), '5');
  assert.equal(CpuSet.of(1, 3, 5).toList(), '1,3,5');
  assert.equal(CpuSet.EMPTY.toList(), '');
  assert.equal(CpuSet.range(0, MAX_CPU).toList(), '0-65535');
  assert.equal(`${CpuSet.of(0, 1, 2)}`, '0-2');
  assert.equal(JSON.stringify({ cpus: CpuSet.of(0, 2) }), '{"cpus":"0,2"}');
});

test('toMask is hex with 0x, lowest CPU in the lowest bit', () => {
  assert.equal(CpuSet.of(0).toMask(), '0x1');
  assert.equal(CpuSet.of(0, 1).toMask(), '0x3');
  assert.equal(CpuSet.of(4).toMask(), '0x10');
  assert.equal(CpuSet.of(0, 2, 4, 6, 12).toMask(), '0x1055');
  assert.equal(CpuSet.of(63).toMask(), `0x8${'0'.repeat(15)}`);
  assert.equal(CpuSet.EMPTY.toMask(), '0x0');
  assert.equal(CpuSet.of(MAX_CPU).toMask().length, 2 + 16384);
});

test("toKernelMask is the kernel's comma-grouped form, without leading zero groups", () => {
  assert.equal(CpuSet.of(0, 1).toKernelMask(), '3');
  assert.equal(CpuSet.of(0, 1, ...CpuSet.range(32, 63)).toKernelMask(), 'ffffffff,00000003');
  assert.equal(CpuSet.of(32).toKernelMask(), '1,00000000');
  assert.equal(CpuSet.of(35, 0, 1).toKernelMask(), '8,00000003');
  assert.equal(CpuSet.of(0, 95).toKernelMask(), '80000000,00000000,00000001');
  assert.equal(CpuSet.range(0, 31).toKernelMask(), 'ffffffff');
  assert.equal(CpuSet.EMPTY.toKernelMask(), '0');
});

test('toBytes / fromBytes use the kernel cpu_set_t layout', () => {
  assert.deepEqual([...CpuSet.of(0, 1).toBytes()], [3]);
  assert.deepEqual([...CpuSet.of(0, 9).toBytes()], [1, 2]);
  assert.deepEqual([...CpuSet.of(7, 8).toBytes()], [0x80, 0x01]);
  assert.deepEqual([...CpuSet.of(0).toBytes(8)], [1, 0, 0, 0, 0, 0, 0, 0]);
  assert.deepEqual([...CpuSet.of(20).toBytes(1)], [0, 0, 0x10], 'grows past minBytes when needed');
  assert.deepEqual([...CpuSet.EMPTY.toBytes()], []);
  assert.deepEqual([...CpuSet.EMPTY.toBytes(4)], [0, 0, 0, 0]);
  assert.equal(CpuSet.of(MAX_CPU).toBytes().length, 8192);

  assert.deepEqual(CpuSet.fromBytes(Uint8Array.of(3)).toArray(), [0, 1]);
  assert.deepEqual(CpuSet.fromBytes(Uint8Array.of(0x80, 0x01, 0, 0)).toArray(), [7, 8]);
  assert.deepEqual(CpuSet.fromBytes(new Uint8Array(16)).toArray(), []);
  assert.deepEqual(CpuSet.fromBytes(Buffer.from([0, 0, 0, 0x40])).toArray(), [30]);
  const s = CpuSet.parse('0-5,31,32,100,1000-1010:3');
  assert.ok(CpuSet.fromBytes(s.toBytes(128)).equals(s));

  // Zero bytes past CPU 65535 are just a wide mask; a set bit there is refused.
  const wide = new Uint8Array(8192 + 16);
  wide[0] = 1;
  assert.deepEqual(CpuSet.fromBytes(wide).toArray(), [0]);
  wide[8192] = 0b100;
  assert.throws(() => CpuSet.fromBytes(wide), { name: 'CpuSetSyntaxError', message: /CPU 65538, above|sets CPU 65538/ });
});

test('union / intersect / difference / isSubsetOf / equals', () => {
  const a = CpuSet.parse('0-3,8');
  const b = CpuSet.parse('2-5,8,9');
  assert.equal(a.union(b).toList(), '0-5,8-9');
  assert.equal(a.intersect(b).toList(), '2-3,8');
  assert.equal(a.difference(b).toList(), '0-1');
  assert.equal(b.difference(a).toList(), '4-5,9');
  assert.equal(a.union(CpuSet.EMPTY), a);
  assert.equal(CpuSet.EMPTY.union(a), a);
  assert.ok(a.intersect(CpuSet.EMPTY).isEmpty);
  assert.ok(a.difference(a).isEmpty);
  assert.ok(a.difference(CpuSet.EMPTY).equals(a));
  assert.ok(CpuSet.parse('0-1').isSubsetOf(a));
  assert.ok(!b.isSubsetOf(a));
  assert.ok(CpuSet.EMPTY.isSubsetOf(a));
  assert.ok(a.isSubsetOf(a));
  assert.ok(a.equals(CpuSet.of(8, 3, 2, 1, 0)));
  assert.ok(a.equals(CpuSet.parse('0x10f')));
  assert.ok(!a.equals(b));
  assert.ok(!a.equals(CpuSet.parse('0-3')));
  assert.ok(CpuSet.EMPTY.equals(CpuSet.parse('0x0')));
  assert.equal(a.equals('0-3,8' as unknown as CpuSet), false, 'a string is not a set');
  assert.equal(a.equals(null as unknown as CpuSet), false);
  // Operations never change their operands.
  assert.equal(a.toList(), '0-3,8');
  assert.equal(b.toList(), '2-5,8-9');
});

test('console.log / util.inspect show CpuSet(list)', () => {
  assert.equal(inspect(CpuSet.parse('0-3,8')), 'CpuSet(0-3,8)');
  assert.equal(inspect(CpuSet.EMPTY), 'CpuSet()');
  assert.equal(inspect({ cpus: CpuSet.of(1) }), '{ cpus: CpuSet(1) }');
  const long = inspect(CpuSet.parse('0-65535:2'));
  assert.match(long, /^CpuSet\(0,2,4,.*,… 32768 CPUs\)$/);
  assert.ok(long.length < 160, long);
});
