import { test } from 'node:test';
import assert from 'node:assert/strict';
import { CpuSet } from '../../src/cpuset/CpuSet.js';

test('parses a list with stride and prints it compactly', () => {
  const s = CpuSet.parse('0-7:2,12');
  assert.deepEqual(s.toArray(), [0, 2, 4, 6, 12]);
  assert.equal(s.toList(), '0,2,4,6,12');
  assert.equal(s.toMask(), '0x1055');
});
