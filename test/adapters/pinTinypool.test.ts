import { test } from 'node:test';
import assert from 'node:assert/strict';
import Tinypool from 'tinypool';
import { pinTinypool, PinnedPoolOptionsError } from '../../src/adapters/pinTinypool.js';
import { WHERE_TASK, cannotRun, checkOneRound, type Where } from './adapterChecks.js';

const skip = cannotRun();
const placement = 'round-robin';

test('tinypool: every worker on its own slot, round after round', { skip: skip ?? false }, async () => {
  const pinned = pinTinypool({ filename: WHERE_TASK, maxThreads: 2 }, { placement });
  const pool = new Tinypool(pinned.options);
  try {
    let overlapping = 0;
    for (let round = 0; round < 4; round++) overlapping += (await checkOneRound(pinned, (task) => pool.run(task) as Promise<Where>)).overlapping;
    assert.ok(overlapping >= 1, 'no two workers ever ran at the same time');
  } finally {
    await pool.destroy();
    pinned.close();
  }
});

test('tinypool isolateWorkers: every fresh worker pinned to a free slot, never two on one', { skip: skip ?? false }, async () => {
  const pinned = pinTinypool({ filename: WHERE_TASK, maxThreads: 2, isolateWorkers: true }, { placement });
  const pool = new Tinypool(pinned.options);
  const tids = new Set<number>();
  let overlapping = 0;
  try {
    for (let round = 0; round < 5; round++) {
      const r = await checkOneRound(pinned, (task) => pool.run(task) as Promise<Where>);
      r.got.forEach((w) => tids.add(w.tid));
      overlapping += r.overlapping;
    }
    assert.equal(tids.size, 10, 'isolateWorkers should give each of the 10 tasks a new thread');
    assert.ok(overlapping >= 1, 'no two workers ever ran at the same time');
  } finally {
    await pool.destroy();
    pinned.close();
  }
});

test('tinypool: after a worker crashes, its replacement takes the free slot', { skip: skip ?? false }, async () => {
  const pinned = pinTinypool({ filename: WHERE_TASK, maxThreads: 2 }, { placement });
  const pool = new Tinypool(pinned.options);
  try {
    const before = new Set((await checkOneRound(pinned, (task) => pool.run(task) as Promise<Where>)).got.map((w) => w.tid));
    await assert.rejects(pool.run(null, { name: 'crash' }), /crash on purpose/);
    let replaced = false;
    for (let round = 0; round < 5 && !replaced; round++) {
      replaced = (await checkOneRound(pinned, (task) => pool.run(task) as Promise<Where>)).got.some((w) => !before.has(w.tid));
    }
    assert.ok(replaced, 'the crashed worker was not replaced by a new thread');
  } finally {
    await pool.destroy();
    pinned.close();
  }
});

test('tinypool: the child_process runtime is refused with a typed error', () => {
  assert.throws(() => pinTinypool({ filename: WHERE_TASK, runtime: 'child_process' }), (err: unknown) => err instanceof PinnedPoolOptionsError && /child_process/.test(err.message));
});
