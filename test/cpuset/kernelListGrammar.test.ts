/**
 * The kernel's list grammar (lib/bitmap-str.c bitmap_parselist, exercised by lib/test_bitmap.c):
 * `all`, `none`, `N` (the last CPU), a used count of 0 (`0-31:0/3` adds nothing) and spaces around
 * commas. `all` and `N` need the machine's last CPU, given as `lastCpu`.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { CpuSet } from '../../src/cpuset/CpuSet.js';
import { CpuSetSyntaxError } from '../../src/errors.js';
import { toCpuSet } from '../../src/affinity.js';
import { readCpuListFile } from '../../src/os/procfs.js';

const LAST = 7;
const ACCEPTED: [string, number[]][] = [
  ['0-31:0/3', []],
  ['0-3:0/1,5', [5]],
  ['all', [0, 1, 2, 3, 4, 5, 6, 7]],
  ['ALL', [0, 1, 2, 3, 4, 5, 6, 7]],
  ['all:1/2', [0, 2, 4, 6]],
  ['all:3', [0, 3, 6]],
  ['none', []],
  [' none\n', []],
  ['N', [7]],
  ['0-N', [0, 1, 2, 3, 4, 5, 6, 7]],
  ['N-N', [7]],
  ['1-N:1/2', [1, 3, 5, 7]],
  ['0,N', [0, 7]],
  ['0, 1', [0, 1]],
  ['0 ,1', [0, 1]],
  ['0,\t1', [0, 1]],
  ['0-1,  4-6:1/2 , N', [0, 1, 4, 6, 7]],
];

const REFUSED = ['al', 'alll', 'nonee', 'none,1', 'N1', '1N', 'NN', '0-31:1/0', '0-31:4/3', '0 1', '0,,1', ',0', '0,', 'n', 'all-3', '8-N'];

test('kernel list grammar: all, none, N, used count 0 and spaces around commas', () => {
  for (const [text, cpus] of ACCEPTED) assert.deepEqual(CpuSet.parse(text, 'list', { lastCpu: LAST }).toArray(), cpus, JSON.stringify(text));
  for (const [text, cpus] of ACCEPTED) {
    if (/all|N/i.test(text) || text.includes('none')) continue;
    assert.deepEqual(CpuSet.parse(text).toArray(), cpus, `auto format, no lastCpu needed: ${JSON.stringify(text)}`);
  }
});

test('kernel list grammar: what the kernel refuses is refused with CpuSetSyntaxError', () => {
  for (const text of REFUSED) assert.throws(() => CpuSet.parse(text, 'list', { lastCpu: LAST }), CpuSetSyntaxError, JSON.stringify(text));
});

test('kernel list grammar: all and N without the machine\'s last CPU say how to give it', () => {
  for (const text of ['all', 'N', '0-N']) {
    assert.throws(() => CpuSet.parse(text), (e: Error) => e instanceof CpuSetSyntaxError && /lastCpu/.test(e.message), text);
  }
});

test('kernel list grammar: pin()/the CLI read all and N as this machine\'s last possible CPU, as the kernel does', () => {
  const possible = readCpuListFile('/sys/devices/system/cpu/possible')!;
  assert.deepEqual(toCpuSet('all').toArray(), CpuSet.parse(`0-${possible.last}`).toArray());
  assert.deepEqual(toCpuSet('N').toArray(), [possible.last]);
});
