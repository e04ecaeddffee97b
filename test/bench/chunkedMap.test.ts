import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { chunkedMap, pythonChunksize } from '../../bench/workloads/chunkedMap.js';
import type { BenchPool, TaskName } from '../../bench/peers/Peer.js';
import { MAX_AUTO_CHUNKSIZE } from '../../src/pool/defaultChunksize.js';

// Python's Pool._map_async: chunksize, extra = divmod(len, workers * 4); if extra: chunksize += 1
function pythonRule(n: number, workers: number): number {
  const q = Math.floor(n / (workers * 4));
  return n % (workers * 4) ? q + 1 : q;
}

test("chunk size follows Python's rule", () => {
  for (const [n, w] of [[1_000_000, 2], [100_000, 2], [17, 2], [8, 2], [7, 4], [1, 1]] as const) {
    assert.equal(pythonChunksize(n, w), Math.max(1, pythonRule(n, w)), `${n} items, ${w} workers`);
  }
  assert.equal(pythonChunksize(0, 2), 1, 'never 0 (Python would not chunk an empty list at all)');
});

test('chunk size equals what python3 itself computes, when python3 is present', (t) => {
  const code = 'import sys\nfor n, w in [(1000000,2),(100000,2),(17,2),(7,4),(123457,3)]:\n    c, e = divmod(n, w * 4)\n    print(c + 1 if e else c)';
  const r = spawnSync('python3', ['-c', code], { encoding: 'utf8' });
  if (r.error || r.status !== 0) return t.skip('python3 is not available');
  const expected = r.stdout.trim().split('\n').map(Number);
  assert.deepEqual([pythonChunksize(1e6, 2), pythonChunksize(1e5, 2), pythonChunksize(17, 2), pythonChunksize(7, 4), pythonChunksize(123457, 3)], expected);
});

test('chunked map returns every result in order, one task per chunk', async () => {
  const calls: unknown[][] = [];
  const pool: BenchPool = {
    async apply(task: TaskName, arg: unknown) {
      assert.equal(task, 'noopChunk');
      calls.push(arg as unknown[]);
      // Finish out of order, as a real pool may.
      await new Promise((r) => setTimeout(r, (3 - (calls.length % 3)) * 2));
      return (arg as number[]).map((x) => x * 10);
    },
    async close() {},
  };
  const items = Array.from({ length: 37 }, (_, i) => i);
  const out = await chunkedMap(pool, items, 2);
  assert.deepEqual(out, items.map((x) => x * 10));
  assert.equal(calls.length, Math.ceil(37 / pythonChunksize(37, 2)));
});

test("chunked map cuts at most MAX_AUTO_CHUNKSIZE items per task, as corepin's own map", async () => {
  const sizes: number[] = [];
  const pool: BenchPool = {
    async apply(_task: TaskName, arg: unknown) {
      sizes.push((arg as unknown[]).length);
      return arg;
    },
    async close() {},
  };
  for (const n of [4 * 2 * MAX_AUTO_CHUNKSIZE, 4 * 2 * MAX_AUTO_CHUNKSIZE + 1, 1_000_000]) {
    sizes.length = 0;
    const items = Array.from({ length: n }, (_, i) => i);
    assert.deepEqual(await chunkedMap(pool, items, 2), items);
    assert.equal(Math.max(...sizes), Math.min(pythonChunksize(n, 2), MAX_AUTO_CHUNKSIZE), `${n} items`);
  }
});
