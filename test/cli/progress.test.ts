import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ProgressCounter, formatRate, formatSeconds } from '../../src/cli/progress/ProgressCounter.js';

test('the progress counter derives rate and ETA from its clock', () => {
  let now = 0;
  const c = new ProgressCounter(100, () => now);
  assert.equal(c.rate, 0);
  assert.equal(c.eta, undefined, 'no ETA before the first unit');
  now = 2000;
  for (let i = 0; i < 10; i++) c.tick(i !== 3);
  assert.equal(c.done, 10);
  assert.equal(c.failed, 1);
  assert.equal(c.rate, 5);
  assert.equal(c.eta, 18);
  c.total = undefined;
  assert.equal(c.eta, undefined, 'no ETA without a total');
});

test('rates and durations are short', () => {
  assert.equal(formatRate(3.14159), '3.1/s');
  assert.equal(formatRate(250), '250/s');
  assert.equal(formatRate(1234), '1.2k/s');
  assert.equal(formatRate(56789), '57k/s');
  assert.equal(formatSeconds(4.4), '4s');
  assert.equal(formatSeconds(125), '2m05s');
  assert.equal(formatSeconds(3725), '1h02m');
  assert.equal(formatSeconds(undefined), '?');
});
