import { test } from 'node:test';
import assert from 'node:assert/strict';
import { CpuSet } from '../../src/cpuset/CpuSet.js';
import { cpuListBytes, sameCpuBytes } from '../../src/os/fastPin.js';

test('cpuListBytes gives the same mask as CpuSet.toBytes for the lists the pool writes', () => {
  for (const list of ['0', '1', '0-1', '0-3,8', '7', '8', '5,9-17,63', '1023']) {
    assert.deepEqual(cpuListBytes(list), CpuSet.parse(list, 'list').toBytes(), list);
  }
});

test('cpuListBytes refuses what is not a plain list, so the worker takes the full path', () => {
  for (const text of ['', '0x3', '3-1', 'a', '0,,1', '0-', '70000']) assert.equal(cpuListBytes(text), null, text);
});

test('sameCpuBytes ignores trailing zero bytes and sees any differing bit', () => {
  assert.equal(sameCpuBytes(Uint8Array.of(3), Uint8Array.of(3, 0, 0, 0)), true);
  assert.equal(sameCpuBytes(Uint8Array.of(3, 0, 1), Uint8Array.of(3)), false);
  assert.equal(sameCpuBytes(Uint8Array.of(2), Uint8Array.of(3)), false);
});
