import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Piscina } from 'piscina';
import { pinPiscina, PinnedPoolOptionsError } from '../../src/adapters/pinPiscina.js';
import { WHERE_TASK, cannotRun, checkOneRound, type Where } from './adapterChecks.js';

const skip = cannotRun();
const placement = 'round-robin';

test('piscina: every worker on its own slot, round after round', { skip: skip ?? false }, async () => {
  const pinned = pinPiscina({ filename: WHERE_TASK, maxThreads: 2 }, { placement });
  const pool = new Piscina(pinned.options);
  try {
    let overlapping = 0;
    for (let round = 0; round < 4; round++) overlapping += (await checkOneRound(pinned, (task) => pool.run(task) as Promise<Where>)).overlapping;
    assert.ok(overlapping >= 1, 'no two workers ever ran at the same time');
  } finally {
    await pool.destroy();
    pinned.close();
  }
});

test('piscina: workers that idle out and are started again are pinned to a free slot', { skip: skip ?? false }, async () => {
  const pinned = pinPiscina({ filename: WHERE_TASK, maxThreads: 2, minThreads: 0, idleTimeout: 20 }, { placement });
  const pool = new Piscina(pinned.options);
  const tids = new Set<number>();
  let overlapping = 0;
  try {
    for (let round = 0; round < 3; round++) {
      const r = await checkOneRound(pinned, (task) => pool.run(task) as Promise<Where>);
      r.got.forEach((w) => tids.add(w.tid));
      overlapping += r.overlapping;
      // Let the idle workers exit so the next round needs new ones.
      for (let i = 0; i < 200 && pool.threads.length > 0; i++) await new Promise((r) => setTimeout(r, 10));
    }
    assert.ok(tids.size > 2, `expected recycled workers (new threads), saw only ${[...tids].join(', ')}`);
    assert.ok(overlapping >= 1, 'no two workers ever ran at the same time');
  } finally {
    await pool.destroy();
    pinned.close();
  }
});

test('piscina: after a worker crashes, its replacement takes the free slot', { skip: skip ?? false }, async () => {
  const pinned = pinPiscina({ filename: WHERE_TASK, maxThreads: 2 }, { placement });
  const pool = new Piscina(pinned.options);
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

test('piscina: a pool without filename cannot be pinned, with a typed error', () => {
  assert.throws(() => pinPiscina({ maxThreads: 2 }), (err: unknown) => err instanceof PinnedPoolOptionsError && err.code === 'ERR_PINNED_POOL_OPTIONS' && /filename is required/.test(err.message));
});
