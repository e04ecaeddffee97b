import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Pool, WorkerCrashedError } from '../../src/index.js';
import { taskFixture } from '../support/taskFixture.js';

// Attacks on the worker's fast lane (src/pool/worker/runPlainRun.ts): a burst of apply(fn, [x])
// of one export runs there, up to each clock check, with drain running the rest. Whatever a task
// does in it — return, throw, return a promise, kill its worker — each task is answered once, in
// order, and a dying worker names exactly the task it was running.

const plainRun = taskFixture('plainRun.mjs');
const OUTCOMES = ['throw', 'value', 'undefined', 'async', 'reject'] as const;

async function warm(pool: Pool): Promise<void> {
  // Tasks proved short: big batches, clock read every 32nd task, so the fast lane runs long.
  await Promise.all(Array.from({ length: 3000 }, (_, i) => pool.apply('plain', [i])));
}

for (const kind of ['thread', 'process'] as const) {
  test(`${kind}: a burst of one export mixing results, throws, thrown values, undefined and promises settles each task once, in order`, async (t) => {
    const pool = new Pool({ module: plainRun, kind, workers: 2 });
    t.after(() => pool.terminate());
    await warm(pool);
    const input = Array.from({ length: 6000 }, (_, i): unknown => (i % 97 === 13 ? OUTCOMES[(i / 97) % OUTCOMES.length | 0] : i));
    const order: number[] = [];
    const settled = await Promise.allSettled(input.map((x, i) => pool.apply('plain', [x]).finally(() => order.push(i))));
    settled.forEach((s, i) => {
      const x = input[i];
      if (x === 'throw') {
        assert.equal(s.status, 'rejected', `task ${i}`);
        assert.equal((s as PromiseRejectedResult).reason.name, 'RangeError');
      } else if (x === 'value') assert.deepEqual(s, { status: 'rejected', reason: 7 }, `task ${i}`);
      else if (x === 'reject') {
        assert.equal(s.status, 'rejected', `task ${i}`);
        assert.equal((s as PromiseRejectedResult).reason.name, 'TypeError');
      } else if (x === 'undefined') assert.deepEqual(s, { status: 'fulfilled', value: undefined }, `task ${i}`);
      else if (x === 'async') assert.deepEqual(s, { status: 'fulfilled', value: 'later' }, `task ${i}`);
      else assert.deepEqual(s, { status: 'fulfilled', value: (x as number) * 2 }, `task ${i}`);
    });
    // Settled once each (allSettled would not show a second settling; the count would).
    assert.equal(order.length, input.length);
    await pool.close();
  });

  test(`${kind}: a worker that exits inside a run of one export takes exactly that task with it, once`, async (t) => {
    const pool = new Pool({ module: plainRun, kind, workers: 2 });
    t.after(() => pool.terminate());
    await warm(pool);
    let crashes = 0;
    pool.on('workerExit', (e) => void (e.reason === 'crashed' && crashes++));
    const exits = new Set([700, 2100, 3500]);
    const settled = await Promise.allSettled(Array.from({ length: 4000 }, (_, i) => pool.apply('plain', [exits.has(i) ? 'exit' : i])));
    settled.forEach((s, i) => {
      if (exits.has(i)) {
        assert.equal(s.status, 'rejected', `task ${i}`);
        assert.ok((s as PromiseRejectedResult).reason instanceof WorkerCrashedError, `task ${i}: ${String((s as PromiseRejectedResult).reason)}`);
      } else assert.deepEqual(s, { status: 'fulfilled', value: i * 2 }, `task ${i}`);
    });
    // Each exiting task ran once: run again on a fresh worker, it would have killed that one too.
    assert.equal(crashes, exits.size);
    await pool.close();
  });

  test(`${kind}: a result whose \`then\` throws when read fails that task alone, as the worker's general path answers it`, async (t) => {
    const pool = new Pool({ module: plainRun, kind, workers: 2 });
    t.after(() => pool.terminate());
    await warm(pool);
    let crashes = 0;
    pool.on('workerExit', (e) => void (e.reason === 'crashed' && crashes++));
    const bad = new Set([500, 1500, 2500]);
    const settled = await Promise.allSettled(Array.from({ length: 3000 }, (_, i) => pool.apply('plain', [bad.has(i) ? 'bad then' : i])));
    settled.forEach((s, i) => {
      if (bad.has(i)) {
        assert.equal(s.status, 'rejected', `task ${i}`);
        const reason = (s as PromiseRejectedResult).reason as Error;
        assert.equal(reason.name, 'SyntaxError', `task ${i}: ${String(reason)}`);
        assert.equal(reason.message, 'then cannot be read');
      } else assert.deepEqual(s, { status: 'fulfilled', value: i * 2 }, `task ${i}`);
    });
    assert.equal(crashes, 0, 'no worker died of it');
    await pool.close();
  });
}
