import { test } from 'node:test';
import assert from 'node:assert/strict';
import { summarize } from '../../bench/measure/summarize.js';

test('median of odd and even counts, spread relative to the median', () => {
  assert.deepEqual(summarize([5, 1, 3]), { median: 3, min: 1, max: 5, spread: 4 / 3, n: 3 });
  const even = summarize([4, 1, 3, 2])!;
  assert.equal(even.median, 2.5);
  assert.equal(even.spread, 3 / 2.5);
  assert.equal(summarize([7])!.spread, 0);
});

test('no values: no summary; does not reorder the caller\'s array', () => {
  assert.equal(summarize([]), null);
  const xs = [3, 1, 2];
  summarize(xs);
  assert.deepEqual(xs, [3, 1, 2]);
});
