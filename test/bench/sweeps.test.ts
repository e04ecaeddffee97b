import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { quantile } from '../../bench/measure/summarize.js';
import { SweepBook } from '../../bench/sweeps/SweepBook.js';
import { payloadTasks } from '../../bench/sweeps/payloadSweep.js';
import { durationTasks } from '../../bench/sweeps/durationSweep.js';
import { formatSweepTable } from '../../bench/report/formatSweepTable.js';
import { size, spin } from '../../bench/tasks/sweepTasks.js';

test('p99 by nearest rank', () => {
  const xs = Array.from({ length: 400 }, (_, i) => 400 - i);
  assert.equal(quantile(xs, 0.99), 396);
  assert.equal(quantile([7], 0.99), 7);
  assert.ok(Number.isNaN(quantile([], 0.99)));
});

test('sweep book: medians and spreads per x, gaps stay null, series in first-seen order', () => {
  const b = new SweepBook(3);
  b.add('a', 'corepin-thread', 0, 10);
  b.add('a', 'corepin-thread', 0, 20);
  b.add('a', 'corepin-thread', 0, 30);
  b.add('a', 'corepin-thread', 2, 5, 1 << 20);
  b.add('b', 'piscina', 1, 7);
  b.note('n');
  b.note('n');
  const r = b.result({ id: 'payload', title: 't', xTitle: 'x', xLabels: ['1', '2', '3'], unit: 'tasks/s' });
  assert.deepEqual(r.series.map((s) => s.label), ['a', 'b']);
  assert.deepEqual(r.series[0]!.medians, [20, null, 5]);
  assert.equal(r.series[0]!.spreads[0], 1);
  assert.deepEqual(r.series[0]!.extra, [null, null, 1 << 20]);
  assert.equal(r.series[1]!.extra, undefined);
  assert.deepEqual(r.notes, ['n']);
  const table = formatSweepTable(r);
  assert.match(table, /a\s+20\.0\/s ±50%\s+—\s+5\.0\/s, 1 MB/);
});

test('sample sizes: a byte budget for payloads, an ideal-time budget for durations', () => {
  assert.equal(payloadTasks(16, 32 << 20, 5000), 5000);
  assert.equal(payloadTasks(64 * 1024, 32 << 20, 5000), 512);
  assert.equal(payloadTasks(1 << 20, 16 << 20, 5000), 32, 'never under 32 tasks');
  assert.equal(durationTasks(0, 2, 200, 5000), 5000);
  assert.equal(durationTasks(1000, 2, 200, 5000), 400);
  assert.equal(durationTasks(10_000, 2, 200, 5000), 40);
  assert.equal(durationTasks(10_000, 8, 10, 5000), 64, 'at least 8 per worker');
});

test('sweep tasks: size measures strings and buffers; spin depends on its iteration count', () => {
  assert.equal(size('x'.repeat(1024)), 1024);
  assert.equal(size(new ArrayBuffer(64)), 64);
  assert.equal(size(new Uint8Array(10)), 10);
  assert.equal(size({}), -1);
  assert.notEqual(spin(1000), spin(1001));
});

test("the peers' chunk task returns packed arrays (holey ones clone ~2× slower)", (t) => {
  const mod = fileURLToPath(new URL('../../bench/tasks/trivial.js', import.meta.url));
  const code = `import(${JSON.stringify(mod)}).then(({ noopChunk }) => {
    const out = noopChunk(Array.from({ length: 1000 }, (_, i) => i));
    console.log(%HasHoleyElements(out) ? 'holey' : 'packed');
  });`;
  const r = spawnSync(process.execPath, ['--allow-natives-syntax', '-e', code], { encoding: 'utf8' });
  if (r.status !== 0) return t.skip(`node --allow-natives-syntax unavailable: ${r.stderr.split('\n')[0]}`);
  assert.equal(r.stdout.trim(), 'packed');
});
