import { test } from 'node:test';
import assert from 'node:assert/strict';
import { describeLoad, loadRecord, startLoadSampler } from '../../bench/measure/loadSampler.js';
import { formatMachineLine, machineInfo } from '../../bench/measure/machineInfo.js';

test('a run is noisy when the load before or at any sample during it exceeds the CPU count', () => {
  assert.equal(loadRecord(0.3, [0.5, 1.9], 2).noisy, false);
  assert.equal(loadRecord(2.5, [0.5], 2).noisy, true, 'loaded before');
  assert.equal(loadRecord(0.3, [0.5, 2.1, 0.4], 2).noisy, true, 'loaded during only');
  const r = loadRecord(1, [1, 3], 2);
  assert.equal(r.duringMean, 2);
  assert.equal(r.duringMax, 3);
});

test('no description calls a run quiet, loaded or not', () => {
  for (const r of [loadRecord(0, [0], 2), loadRecord(0.1, [5], 2), loadRecord(9, [9], 2)]) {
    assert.doesNotMatch(describeLoad(r), /quiet/i);
  }
  assert.match(describeLoad(loadRecord(3, [4], 2)), /noisy/);
  assert.doesNotMatch(describeLoad(loadRecord(0.5, [1], 2)), /noisy/);
  const line = formatMachineLine({ ...machineInfo(null), cpus: 2, loadavg: 3 });
  assert.match(line, /load 3\.00 at start \(noisy: above 2 CPUs\)/);
});

test('the sampler samples during the run and at stop', async () => {
  const s = startLoadSampler(20);
  await new Promise((r) => setTimeout(r, 90));
  const r = s.stop();
  assert.ok(r.during.length >= 3, `${r.during.length} samples`);
  assert.ok(r.during.every((x) => Number.isFinite(x) && x >= 0));
});
