import { test } from 'node:test';
import assert from 'node:assert/strict';
import { pinLimit } from '../../bench/report/evaluateGoals.js';

test('the several-CPU pin goal states its limit from the addon rows: set, read-back, and what pin adds, against Python', () => {
  const cpu = new Map<string, number>([
    ['native-pin', 3000],
    ['native-set-get', 2800],
    ['native-set-only', 1600],
    ['python-setaffinity', 2000],
  ]);
  const line = pinLimit((id) => cpu.get(id) ?? null);
  assert.ok(line !== null);
  assert.match(line, /set \+ read-back alone is 1\.40× Python/);
  assert.match(line, /set 1\.60 µs \+ read-back 1\.20 µs/);
  assert.match(line, /pin measured 0\.20 µs above it/);
  assert.doesNotMatch(line, /the same answer/, 'no Python set + read-back figure without its row');
  cpu.set('python-set-get', 2500);
  assert.match(pinLimit((id) => cpu.get(id) ?? null)!, /Python's set \+ read-back \(the same answer\) is 2\.50 µs: pin is 1\.20× that/);
  // Noise can put pin under the addon call it wraps: said as such, never as a negative cost.
  cpu.set('native-pin', 2750);
  const under = pinLimit((id) => cpu.get(id) ?? null)!;
  assert.match(under, /pin measured 0\.05 µs under it, within noise/);
  assert.doesNotMatch(under, /-0\.05/);
  cpu.delete('native-set-get');
  assert.equal(pinLimit((id) => cpu.get(id) ?? null), null, 'no limit is claimed without the addon rows');
});
