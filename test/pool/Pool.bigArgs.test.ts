import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Pool } from '../../src/index.js';
import { taskFixture } from '../support/taskFixture.js';

// Big arguments go a few to a message (sendBatch.ts, MESSAGE_BYTES: 256 KiB of buffers and strings),
// so a worker starts on the first while the rest are still being copied. Each message is a batch of
// its own for the crash rule: a worker SIGKILLed while running one task takes only that message's
// tasks with it; big-argument tasks sent with it in the same window never started, so they run on
// the next worker, once. Sent as one message (before), they failed with the dead worker.

const bigArgs = taskFixture('bigArgs.mjs');
const BIG = 300 * 1024;

for (const serialization of ['json', 'advanced'] as const) {
  test(`process (${serialization}): big-argument tasks sent in the same window as a task that kills its worker run again, once`, { timeout: 30_000 }, async (t) => {
    const pool = new Pool({ module: bigArgs, kind: 'process', workers: 1, serialization });
    t.after(() => pool.terminate());
    // Tiny tasks first: the worker's window grows, so the next dispatch hands it everything queued.
    await Promise.all(Array.from({ length: 2000 }, (_, i) => pool.apply('same', [i])));
    const arg = (k: number): string | ArrayBuffer => (serialization === 'json' ? String(k).repeat(BIG) : new ArrayBuffer(BIG + k));
    const killed = pool.apply('killSelf', [arg(1)]);
    const big = [2, 3, 4].map((k) => pool.apply<number>('lengthOf', [arg(k)]));
    await assert.rejects(killed, { code: 'ERR_WORKER_CRASHED' });
    const lengths = serialization === 'json' ? [2, 3, 4].map((k) => BIG * String(k).length) : [2, 3, 4].map((k) => BIG + k);
    assert.deepEqual(await Promise.all(big), lengths);
    // The fresh worker ran each of them exactly once, in order (the dead one ran none).
    assert.deepEqual(await pool.apply('seenSoFar'), lengths);
  });
}

test('thread: a burst of 1 MB buffers, some moved, is cut into messages and every result comes back in order', async () => {
  await using pool = new Pool({ module: bigArgs, kind: 'thread', workers: 2 });
  const bufs = Array.from({ length: 40 }, (_, i) => new ArrayBuffer((1 << 20) + i));
  const sizes = bufs.map((b) => b.byteLength);
  const got = bufs.map((b, i) => pool.apply<number>('lengthOf', [b], i % 3 === 0 ? { transfer: [b] } : {}));
  assert.deepEqual(await Promise.all(got), sizes);
  assert.deepEqual(bufs.map((b, i) => (i % 3 === 0 ? b.byteLength : sizes[i])), sizes.map((s, i) => (i % 3 === 0 ? 0 : s)), 'moved buffers are detached, copied ones kept');
});
