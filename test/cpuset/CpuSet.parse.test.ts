import { test } from 'node:test';
import assert from 'node:assert/strict';
import { CpuSet, MAX_CPU, type CpuSetFormat } from '../../src/cpuset/CpuSet.js';
import { CorepinError, CpuSetSyntaxError } from '../../src/errors.js';

/** Every CPU from `a` to `b` stepping by `step`, written out by hand so the parser is not its own oracle. */
function seq(a: number, b: number, step = 1): number[] {
  const out: number[] = [];
  for (let c = a; c <= b; c += step) out.push(c);
  return out;
}

function cpus(text: string, format: CpuSetFormat = 'auto'): number[] {
  return CpuSet.parse(text, format).toArray();
}

interface Rejection {
  readonly text: string;
  readonly format?: CpuSetFormat;
  readonly token: string;
  readonly position: number;
  /** What the message must say about the cause. */
  readonly why: RegExp;
}

function assertRejected(r: Rejection): void {
  const label = `${r.format ?? 'auto'} ${JSON.stringify(r.text)}`;
  let thrown: unknown;
  try {
    CpuSet.parse(r.text, r.format);
  } catch (e) {
    thrown = e;
  }
  assert.ok(thrown instanceof CpuSetSyntaxError, `${label}: expected CpuSetSyntaxError, got ${String(thrown)}`);
  assert.ok(thrown instanceof CorepinError);
  assert.equal(thrown.code, 'ERR_CPUSET_SYNTAX', label);
  assert.equal(thrown.input, r.text, label);
  assert.equal(thrown.token, r.token, `${label}: token`);
  assert.equal(thrown.position, r.position, `${label}: position`);
  // The token is the text found at that position, so a caller can underline it.
  assert.ok(r.text.startsWith(thrown.token, thrown.position), `${label}: token is not at its position`);
  assert.match(thrown.message, r.why, `${label}: message ${thrown.message}`);
  assert.ok(thrown.message.includes(`position ${r.position}`), `${label}: message names the position`);
  assert.ok(thrown.message.includes(JSON.stringify(r.text.length > 80 ? r.text.slice(0, 77) : r.text).slice(0, -1)), label);
  assert.ok(!thrown.message.includes('\n'), `${label}: one line`);
}

test('lists: single CPUs, ranges and any order or overlap', () => {
  assert.deepEqual(cpus('0'), [0]);
  assert.deepEqual(cpus('7'), [7]);
  assert.deepEqual(cpus('0-3'), [0, 1, 2, 3]);
  assert.deepEqual(cpus('5-5'), [5]);
  assert.deepEqual(cpus('0-3,8'), [0, 1, 2, 3, 8]);
  assert.deepEqual(cpus('8,0-3'), [0, 1, 2, 3, 8]);
  assert.deepEqual(cpus('3,1,2,1,0-2'), [0, 1, 2, 3]);
  assert.deepEqual(cpus('10-15,0-3,8'), [0, 1, 2, 3, 8, 10, 11, 12, 13, 14, 15]);
  assert.deepEqual(cpus('007,0010'), [7, 10], 'leading zeros are decimal, as strtoul reads them');
  assert.deepEqual(cpus('00000000000000000000001'), [1], 'leading zeros do not make a number too large');
  assert.deepEqual(cpus(`${MAX_CPU}`), [MAX_CPU]);
  assert.deepEqual(cpus(`65530-${MAX_CPU}`), seq(65530, MAX_CPU));
  assert.equal(CpuSet.parse(`0-${MAX_CPU}`).size, MAX_CPU + 1);
});

test('lists: surrounding whitespace (a file read with its newline) is ignored', () => {
  assert.deepEqual(cpus('0-1\n'), [0, 1]);
  assert.deepEqual(cpus('  2,4\t'), [2, 4]);
  assert.deepEqual(cpus(' 0x3 '), [0, 1]);
  assert.deepEqual(cpus('\n3\n', 'mask'), [0, 1]);
});

test("lists: taskset's stride N-M:S selects every S-th CPU from N", () => {
  assert.deepEqual(cpus('0-31:2'), seq(0, 30, 2));
  assert.deepEqual(cpus('1-31:2'), seq(1, 31, 2));
  assert.deepEqual(cpus('0-7:3'), [0, 3, 6]);
  assert.deepEqual(cpus('0-7:1'), seq(0, 7));
  assert.deepEqual(cpus('4-4:9'), [4]);
  assert.deepEqual(cpus('0-9:100'), [0], 'a stride longer than the range selects its start');
  assert.deepEqual(cpus('0-9:99999999999999999999999'), [0], 'a huge stride is exact, not a float');
  assert.deepEqual(cpus('0-7:2,12'), [0, 2, 4, 6, 12]);
  assert.deepEqual(cpus('0-65535:4096'), seq(0, 65535, 4096));
});

test("lists: the kernel's N-M:USED/GROUP form selects the first USED of every GROUP CPUs", () => {
  assert.deepEqual(cpus('0-31:1/4'), seq(0, 28, 4));
  assert.deepEqual(cpus('0-9:3/4'), [0, 1, 2, 4, 5, 6, 8, 9]);
  // The kernel documentation's example: 0-1023:2/256 ==> 0,1,256,257,512,513,768,769.
  assert.deepEqual(cpus('0-1023:2/256'), [0, 1, 256, 257, 512, 513, 768, 769]);
  assert.deepEqual(cpus('2-11:2/5'), [2, 3, 7, 8]);
  assert.deepEqual(cpus('0-7:4/4'), seq(0, 7), 'all of every group');
  assert.deepEqual(cpus('0-7:1/1'), seq(0, 7));
  assert.deepEqual(cpus('0-7:2/99999999999999999999'), [0, 1]);
  assert.deepEqual(cpus('0-31:1/4,1'), [0, 1, 4, 8, 12, 16, 20, 24, 28]);
});

test('masks: hex with or without 0x, any case, leading zeros', () => {
  assert.deepEqual(cpus('0x1'), [0]);
  assert.deepEqual(cpus('0x3'), [0, 1]);
  assert.deepEqual(cpus('0xff'), seq(0, 7));
  assert.deepEqual(cpus('0XFF'), seq(0, 7));
  assert.deepEqual(cpus('0xAa'), [1, 3, 5, 7]);
  assert.deepEqual(cpus('0x1055'), [0, 2, 4, 6, 12]);
  assert.deepEqual(cpus('0x0'), []);
  assert.deepEqual(cpus('0x0000000000000004'), [2]);
  assert.deepEqual(cpus('0x100000000'), [32]);
  assert.deepEqual(cpus('3', 'mask'), [0, 1]);
  assert.deepEqual(cpus('ff', 'mask'), seq(0, 7));
  assert.deepEqual(cpus('10', 'mask'), [4]);
  assert.deepEqual(cpus('0', 'mask'), []);
  assert.deepEqual(cpus('8000000000000000', 'mask'), [63]);
  // The widest mask: bit 65535 is the last CPU corepin supports.
  assert.deepEqual(cpus(`0x8${'0'.repeat(16383)}`), [MAX_CPU]);
  assert.equal(CpuSet.parse('f'.repeat(16384), 'mask').size, MAX_CPU + 1);
  // Zeros above the highest CPU are just width (kernel masks are as wide as the possible CPUs).
  assert.deepEqual(cpus(`${'0'.repeat(100000)}5`, 'mask'), [0, 2]);
});

test("masks: the kernel's comma-grouped form", () => {
  assert.deepEqual(cpus('ffffffff,00000003'), [0, 1, ...seq(32, 63)]);
  assert.deepEqual(cpus('1,00000000'), [32]);
  assert.deepEqual(cpus('00000000,00000003'), [0, 1]);
  assert.deepEqual(cpus('80000000,00000000,00000001'), [0, 95]);
  assert.deepEqual(cpus('0xffffffff,00000001'), [0, ...seq(32, 63)]);
  assert.deepEqual(cpus('3', 'mask'), [0, 1], 'a single group is the kernel form on small machines');
  assert.deepEqual(cpus('ffffffff,00000003', 'mask'), [0, 1, ...seq(32, 63)]);
});

test("'auto' reads 0x… and kernel-grouped text as masks and everything else as a list", () => {
  assert.deepEqual(cpus('10'), [10], 'decimal digits are a CPU number, not a mask');
  assert.deepEqual(cpus('10', 'list'), [10]);
  assert.deepEqual(cpus('10', 'mask'), [4]);
  assert.deepEqual(cpus('1,2'), [1, 2]);
  // An 8-digit list number is above MAX_CPU unless zero-padded, so the grouped rule cannot hide a valid list…
  assert.throws(() => CpuSet.parse('12345678,1'), CpuSetSyntaxError);
  // …except zero-padded numbers, which 'auto' reads as the kernel mask they look like.
  assert.deepEqual(cpus('00000001,00000002'), [1, 32]);
  assert.deepEqual(cpus('00000001,00000002', 'list'), [1, 2]);
  // 'list' never reads masks.
  assert.throws(() => CpuSet.parse('0x3', 'list'), CpuSetSyntaxError);
});

test('rejected lists name the bad token and its position', () => {
  const cases: Rejection[] = [
    { text: 'abc', token: 'abc', position: 0, why: /unexpected character "a" \(a hex mask needs 0x: 0xabc\)/ },
    { text: 'abc', format: 'list', token: 'abc', position: 0, why: /unexpected character "a"(?! \(a hex)/ },
    { text: 'ff', token: 'ff', position: 0, why: /0xff/ },
    { text: '1-0', token: '1-0', position: 0, why: /range 1-0 ends before it starts \(write 0-1\)/ },
    { text: '0-3,9-8', token: '9-8', position: 4, why: /range 9-8 ends before it starts/ },
    { text: '0-', token: '0-', position: 0, why: /no range end after "-"/ },
    { text: '1,0-', token: '0-', position: 2, why: /no range end after "-"/ },
    { text: '0-,1', token: '0-', position: 0, why: /no range end after "-"/ },
    { text: '-1', token: '-1', position: 0, why: /negative CPU number/ },
    { text: '0--1', token: '0--1', position: 0, why: /"-" where the range end belongs/ },
    { text: '0-1:0', token: '0', position: 4, why: /stride of 0 \(it must be at least 1\)/ },
    { text: '0-1:000', token: '000', position: 4, why: /stride of 0/ },
    { text: '0-7:1/0', token: '0', position: 6, why: /group size of 0/ },
    { text: '0-7:5/4', token: '0-7:5/4', position: 0, why: /used count 5 larger than the group size 4/ },
    { text: '0-1:', token: '0-1:', position: 0, why: /no stride after ":"/ },
    { text: '0-1:/4', token: '0-1:/4', position: 0, why: /"\/" where the stride belongs/ },
    { text: '0-1:2/', token: '0-1:2/', position: 0, why: /no group size after "\/"/ },
    { text: '0-1:2:3', token: '0-1:2:3', position: 0, why: /unexpected ":"/ },
    { text: '0-1:2/4/5', token: '0-1:2/4/5', position: 0, why: /unexpected "\/"/ },
    { text: '0:2', token: '0:2', position: 0, why: /stride without a range before it/ },
    { text: '0-1-2', token: '0-1-2', position: 0, why: /second "-"/ },
    { text: ':1', token: ':1', position: 0, why: /":" without a CPU number before it/ },
    { text: '0/2', token: '0/2', position: 0, why: /unexpected "\/"/ },
    { text: '0,,1', token: ',', position: 2, why: /empty item between two commas/ },
    { text: ',0', token: ',', position: 0, why: /empty item before the first comma/ },
    { text: '0,', token: ',', position: 1, why: /empty item after the last comma/ },
    { text: ',', token: ',', position: 0, why: /empty item before the first comma/ },
    { text: '', token: '', position: 0, why: /the list is empty/ },
    { text: '  \n', token: '', position: 0, why: /the list is empty/ },
    { text: ' 0,,1', token: ',', position: 3, why: /empty item/ },
    { text: '0 1', token: ' ', position: 1, why: /separated by whitespace without a comma/ },
    { text: '1,2x', token: 'x', position: 3, why: /unexpected character "x"/ },
    { text: '0-3x,1', token: 'x', position: 3, why: /unexpected character "x"/ },
    { text: '+1', token: '+', position: 0, why: /unexpected character "\+"/ },
    { text: '1.5', token: '.', position: 1, why: /unexpected character "\."/ },
    { text: '٣', token: '٣', position: 0, why: /unexpected character/ },
    { text: '65536', token: '65536', position: 0, why: /CPU 65536 above the largest supported CPU 65535/ },
    { text: '0-65536', token: '65536', position: 2, why: /CPU 65536 above/ },
    { text: '0,4294967296', token: '4294967296', position: 2, why: /CPU 4294967296 above/ },
    {
      text: `1-${'9'.repeat(40)}`,
      token: '9'.repeat(24),
      position: 2,
      why: /CPU 9{24} above the largest supported CPU 65535/,
    },
    { text: '0x3', format: 'list', token: 'x', position: 1, why: /unexpected character "x"/ },
  ];
  for (const c of cases) assertRejected(c);
});

test('rejected masks name the bad token and its position', () => {
  const cases: Rejection[] = [
    { text: '', format: 'mask', token: '', position: 0, why: /mask without hex digits \(write 0x0 for no CPU\)/ },
    { text: '0x', token: '0x', position: 0, why: /mask without hex digits/ },
    { text: ' 0x ', token: '0x', position: 1, why: /mask without hex digits/ },
    { text: '0xg', token: 'g', position: 2, why: /"g", not a hex digit/ },
    { text: 'zz', format: 'mask', token: 'zz', position: 0, why: /"z", not a hex digit/ },
    { text: '0x1 2', token: ' ', position: 3, why: /" ", not a hex digit/ },
    { text: '-1', format: 'mask', token: '-', position: 0, why: /"-", not a hex digit/ },
    { text: '0x0x3', token: 'x', position: 3, why: /"x", not a hex digit/ },
    { text: '0x,3', token: ',', position: 2, why: /empty group in the mask \(a comma at the start/ },
    { text: '3,', format: 'mask', token: ',', position: 1, why: /empty group in the mask \(a comma at the end/ },
    { text: '3,,00000000', format: 'mask', token: ',', position: 2, why: /empty group in the mask \(a comma doubled/ },
    { text: 'ff,ff', format: 'mask', token: 'ff', position: 3, why: /group of 2 hex digits where the groups after the first have exactly 8/ },
    { text: '1,000000000', format: 'mask', token: '000000000', position: 2, why: /group of 9 hex digits/ },
    { text: '123456789,00000000', format: 'mask', token: '123456789', position: 0, why: /first group of 9 hex digits where at most 8/ },
    {
      text: `0x1${'0'.repeat(16384)}`,
      token: `1${'0'.repeat(23)}`,
      position: 2,
      why: /mask 65540 bits wide, wider than the 65536 CPUs corepin supports/,
    },
    {
      text: `0${'f'.repeat(16385)}`,
      format: 'mask',
      token: 'f'.repeat(24),
      position: 1,
      why: /mask 65540 bits wide/,
    },
  ];
  for (const c of cases) assertRejected(c);
});

test('huge bad input gives a short message, quickly, without allocating for it', () => {
  const huge = `0-${'9'.repeat(1_000_000)}`;
  assert.throws(
    () => CpuSet.parse(huge),
    (e: unknown) => e instanceof CpuSetSyntaxError && e.message.length < 400 && e.token.length <= 24,
  );
  const wide = `0x1${'0'.repeat(1_000_000)}`;
  assert.throws(
    () => CpuSet.parse(wide),
    (e: unknown) => e instanceof CpuSetSyntaxError && e.message.length < 400 && e.position === 2,
  );
});

test('parse refuses non-strings with CpuSetSyntaxError and unknown formats with TypeError', () => {
  assert.throws(() => CpuSet.parse(3 as unknown as string), CpuSetSyntaxError);
  assert.throws(() => CpuSet.parse(undefined as unknown as string), CpuSetSyntaxError);
  assert.throws(() => CpuSet.parse('0', 'hex' as CpuSetFormat), {
    name: 'TypeError',
    message: /unknown format "hex"; use 'auto', 'list' or 'mask'/,
  });
});
