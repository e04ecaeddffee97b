import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { DONE, Mode, RUN, Status, isPoolTagged, isRunMessage, parseWorkerMessage, writeRunTask } from '../../src/pool/protocol.js';
import { DONE_SEQ, RUN_SEQ, packDone, packRun, unpackDone, unpackRun } from '../../src/pool/runtime/leanFrames.js';
import { toRemoteError } from '../../src/pool/remoteError.js';
import { Pool } from '../../src/index.js';
import { WorkerCrashedError } from '../../src/pool/errors.js';
import { taskFixture } from '../support/taskFixture.js';

// The process pipe's lean framing: whatever the pool or a worker writes comes out of pack + JSON +
// unpack exactly as the usual message would, the common burst is actually packed, and a lean
// message a task forges is treated as a broken pool message (the worker is replaced).

const json = (v: unknown): unknown => JSON.parse(JSON.stringify(v));
const value = fc.oneof(fc.integer(), fc.double({ noNaN: true, noDefaultInfinity: true }), fc.string(), fc.constant(null), fc.boolean(), fc.array(fc.integer(), { maxLength: 3 }));
const task = fc.record({
  gap: fc.constantFrom(1, 1, 1, 2, 0),
  fn: fc.constantFrom('noop', 'noop', 'noop', 'other'),
  mode: fc.constantFrom(Mode.Apply, Mode.Apply, Mode.Apply, Mode.Reporting, Mode.Map, Mode.Star),
  args: fc.oneof(fc.array(value, { minLength: 1, maxLength: 1 }), fc.array(value, { minLength: 1, maxLength: 1 }), fc.array(value, { maxLength: 10 })),
});

function runMessage(first: number, tasks: { gap: number; fn: string; mode: Mode; args: unknown[] }[]): unknown[] {
  const msg: unknown[] = [RUN];
  let id = first;
  let fn: string | null = null;
  for (const t of tasks) {
    writeRunTask(msg, id, t.fn === fn ? null : t.fn, t.mode, t.mode === Mode.Map || t.mode === Mode.Star ? t.args.map((a) => [a]) : t.args);
    fn = t.fn;
    id += t.gap;
  }
  return msg;
}

test('leanFrames: a RUN message comes out of packRun, JSON and unpackRun as it went in', () => {
  fc.assert(
    fc.property(fc.integer({ min: 0, max: 2 ** 40 }), fc.array(task, { minLength: 1, maxLength: 40 }), (first, tasks) => {
      const msg = runMessage(first, tasks);
      assert.ok(isRunMessage(msg));
      assert.deepEqual(unpackRun(json(packRun(msg))), json(msg));
      assert.deepEqual(unpackRun(packRun(msg)), msg);
    }),
    { numRuns: 3000 },
  );
});

test('leanFrames: a burst of one-argument applies is packed to one value a task', () => {
  const msg = runMessage(1000, Array.from({ length: 256 }, (_, i) => ({ gap: 1, fn: 'noop', mode: Mode.Apply, args: [i] })));
  const packed = packRun(msg);
  assert.deepEqual(packed.slice(0, 4), [RUN_SEQ, 1000, 'noop', 0]);
  assert.equal(packed.length, 3 + 256);
  assert.ok(JSON.stringify(packed).length * 3 < JSON.stringify(msg).length);
  // Anything else stays as it was: another export inside, a gap in the ids, two arguments, a map chunk.
  for (const breakAt of [{ fn: 'other' }, { gap: 2 }, { args: [1, 2] }, { mode: Mode.Map, args: [1] }, { mode: Mode.Reporting }]) {
    const tasks = Array.from({ length: 8 }, (_, i) => ({ gap: 1, fn: 'noop', mode: Mode.Apply, args: [i] as unknown[] }));
    tasks[3] = { ...tasks[3]!, ...breakAt };
    const m = runMessage(5, tasks);
    assert.equal(packRun(m), m, JSON.stringify(breakAt));
  }
});

test('leanFrames: a DONE message comes out of packDone, JSON and unpackDone as it went in, and the pool accepts it', () => {
  const err = toRemoteError(new TypeError('x'));
  const result = fc.record({ gap: fc.constantFrom(1, 1, 1, 1, 3), status: fc.constantFrom(Status.Ok, Status.Ok, Status.Ok, Status.Ok, Status.Undefined, Status.Threw, Status.ThrewValue), v: value });
  fc.assert(
    fc.property(fc.integer({ min: 0, max: 2 ** 40 }), fc.double({ min: 0, max: 1e6, noNaN: true }), fc.array(result, { minLength: 1, maxLength: 40 }), (first, busy, results) => {
      const msg: unknown[] = [DONE, busy];
      let id = first;
      for (const r of results) {
        msg.push(id, r.status, r.status === Status.Threw ? err : r.status === Status.Undefined ? null : r.v);
        id += r.gap;
      }
      const back = unpackDone(json(packDone(msg)));
      assert.deepEqual(back, json(msg));
      assert.equal(typeof parseWorkerMessage(back), 'object');
    }),
    { numRuns: 3000 },
  );
  const burst: unknown[] = [DONE, 0.25];
  for (let i = 0; i < 100; i++) burst.push(7 + i, Status.Ok, i);
  assert.deepEqual(packDone(burst).slice(0, 4), [DONE_SEQ, 0.25, 7, 0]);
  assert.equal(packDone(burst).length, 103);
});

test('leanFrames: a malformed lean DONE unpacks to a malformed pool message (its worker gets replaced); foreign values pass through', () => {
  for (const m of [[DONE_SEQ], [DONE_SEQ, 0], [DONE_SEQ, 0, 1], [DONE_SEQ, 0, 1.5, 'x'], [DONE_SEQ, 0, 'x', 1], [DONE_SEQ, 0, 2 ** 53, 1], [DONE_SEQ, -1, 1, 'x'], [DONE_SEQ, 'fast', 1, 'x']]) {
    const u = unpackDone(json(m));
    assert.ok(isPoolTagged(u), JSON.stringify(m));
    assert.equal(typeof parseWorkerMessage(u), 'string', JSON.stringify(m));
  }
  fc.assert(
    fc.property(fc.anything(), (m) => {
      if (Array.isArray(m) && (m[0] === DONE_SEQ || m[0] === RUN_SEQ)) return;
      assert.equal(unpackDone(m), m);
      assert.equal(unpackRun(m), m);
    }),
  );
  // A lean RUN the pool did not write is left lean: the worker ignores unknown messages.
  for (const m of [[RUN_SEQ], [RUN_SEQ, 1, 'f'], [RUN_SEQ, 'x', 'f', 1], [RUN_SEQ, 1, 2, 1], [RUN_SEQ, 2 ** 53, 'f', 1]]) assert.equal(unpackRun(m), m);
});

test('process pool: a task that sends a lean DONE of its own cannot settle anything; its worker is replaced', async () => {
  const pool = new Pool({ module: taskFixture('rogue.mjs'), kind: 'process', workers: 1 });
  try {
    const exits: string[] = [];
    pool.on('workerExit', (e) => exits.push(e.reason));
    await assert.rejects(pool.apply('forgeLean', [5]), WorkerCrashedError);
    await assert.rejects(pool.apply('forgeLeanMalformed', [6]), WorkerCrashedError);
    assert.deepEqual(exits, ['protocol', 'protocol']);
    assert.equal(await pool.apply('chatter', [9]), 10, 'a fresh worker serves');
  } finally {
    await pool.terminate();
  }
});

test('process pool: a burst with undefined results, throws and other exports among plain ones settles every task in order', async () => {
  const pool = new Pool({ module: taskFixture('basic.mjs'), kind: 'process', workers: 2 });
  try {
    const calls: Promise<unknown>[] = [];
    for (let i = 0; i < 3000; i++) {
      if (i % 397 === 0) calls.push(pool.apply('nothing', []));
      else if (i % 211 === 0) calls.push(pool.apply('fail', [`no ${i}`]).catch((e: Error) => e.message));
      else if (i % 101 === 0) calls.push(pool.apply('add', [i, 1]));
      else calls.push(pool.apply('square', [i]));
    }
    const got = await Promise.all(calls);
    got.forEach((v, i) => {
      const want = i % 397 === 0 ? undefined : i % 211 === 0 ? `no ${i}` : i % 101 === 0 ? i + 1 : i * i;
      assert.equal(v, want, `task ${i}`);
    });
  } finally {
    await pool.close();
  }
});

for (const [kind, how] of [['process', 'process.sends'], ['thread', 'posts on parentPort']] as const) {
  test(`${kind} pool: a task that ${how} a result for its own id cannot choose its result; its worker is replaced`, async () => {
    const pool = new Pool({ module: taskFixture('rogue.mjs'), kind, workers: 1 });
    try {
      const exits: string[] = [];
      pool.on('workerExit', (e) => exits.push(e.reason));
      // The first task of a fresh pool: its id is among the ones forged.
      const outcome = await pool.apply('forgeOwn', ['real']).then(
        (v) => v,
        (e: unknown) => e,
      );
      assert.notEqual(outcome, 'forged');
      assert.ok(outcome instanceof WorkerCrashedError, String(outcome));
      assert.deepEqual(exits, ['protocol']);
      assert.equal(await pool.apply('chatter', [1]), 2, 'a fresh worker serves');
    } finally {
      await pool.terminate();
    }
  });
}

test('thread pool: a task that goes around the wrapped parentPort.postMessage still cannot choose its result; its worker is replaced', async () => {
  const pool = new Pool({ module: taskFixture('rogue.mjs'), kind: 'thread', workers: 1 });
  try {
    const replaced = new Promise<string>((resolve) => pool.on('workerExit', (e) => resolve(e.reason)));
    // The raw post travels beside the pool's own channel: the task's real result may come first.
    const outcome = await pool.apply('forgeAround', ['real']).then(
      (v) => v,
      (e: unknown) => e,
    );
    assert.ok(outcome === 'real' || outcome instanceof WorkerCrashedError, String(outcome));
    assert.equal(await replaced, 'protocol');
    assert.equal(await pool.apply('chatter', [1]), 2, 'a fresh worker serves');
  } finally {
    await pool.terminate();
  }
});
