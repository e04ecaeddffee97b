import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Pool, WorkerCrashedError } from '../../src/index.js';
import { taskFixture } from '../support/taskFixture.js';

/*
 * A burst of applies goes out in big RUN messages while the caller is still queueing (issue 16): the
 * arguments travel inline after a count (more than 8: as their array), an export's name once per run
 * of equal names. Attacked here in one synchronous burst: argument lists of 0 to 11 values of every
 * JSON kind, exports alternating inside one message, tasks that throw, and a worker that dies the
 * hard way (SIGKILL, no last words, for processes) with whole batches in flight. Every accepted task
 * settles exactly once, none runs twice, each result is its own call's.
 */

const MODULE = taskFixture('burstArgs.mjs');
const TASKS = 3000;
const DIE_AT = 1700;

/** Arguments after the id of task `id`: 0 to 10 values, crossing the inline limit of 8. */
function restOf(id: number): unknown[] {
  const values: unknown[] = [id, `s${id}`, null, true, { k: [id, { deep: 'x' }] }, [], -0.5, '', { a: null }, [[id]], 'last'];
  return values.slice(0, id % 11);
}

for (const kind of ['process', 'thread'] as const) {
  test(`${kind}: a burst of ${TASKS} applies with 0–11 arguments, mixed exports and a hard death — each settles once, none runs twice`, { timeout: 60_000 }, async (t) => {
    const dir = mkdtempSync(join(tmpdir(), `corepin-burst-${process.pid}-`));
    const log = join(dir, 'runs.log');
    const pool = new Pool({ module: MODULE, kind, workers: 2, initializer: 'setup', initargs: [log] });
    const exits: string[] = [];
    pool.on('workerExit', (e) => exits.push(e.reason));
    try {
      await pool.ready();
      const settled = new Array<number>(TASKS).fill(0);
      const outcome = new Array<{ ok: boolean; value: unknown }>(TASKS);
      const calls: Promise<void>[] = [];
      for (let id = 0; id < TASKS; id++) {
        const fn = id === DIE_AT ? 'dieHard' : id % 13 === 5 ? 'refuse' : id % 3 === 1 ? 'echoArgsToo' : 'echoArgs';
        const args = id === DIE_AT ? [id, kind] : [id, ...restOf(id)];
        const p = pool.apply(fn, args);
        calls.push(
          p.then(
            (value) => void ((outcome[id] = { ok: true, value }), settled[id]!++),
            (value: unknown) => void ((outcome[id] = { ok: false, value }), settled[id]!++),
          ),
        );
      }
      await Promise.all(calls);
      // Settled once means once: nothing may settle later either.
      await new Promise((r) => setTimeout(r, 50));
      const runs = new Map<number, number>();
      for (const line of readFileSync(log, 'utf8').split('\n')) if (line !== '') runs.set(Number(line), (runs.get(Number(line)) ?? 0) + 1);
      const wrong: string[] = [];
      let crashed = 0;
      for (let id = 0; id < TASKS; id++) {
        const o = outcome[id]!;
        const ran = runs.get(id) ?? 0;
        if (settled[id] !== 1) wrong.push(`task ${id} settled ${settled[id]} times`);
        else if (ran > 1) wrong.push(`task ${id} ran ${ran} times`);
        else if (!o.ok && o.value instanceof WorkerCrashedError) crashed++;
        else if (id === DIE_AT) wrong.push(`task ${id} (the one that dies) settled ${o.ok ? 'with a result' : (o.value as Error).name}`);
        else if (id % 13 === 5) {
          if (o.ok || (o.value as Error).name !== 'RangeError' || (o.value as Error).message !== `task ${id} refused` || ran !== 1) wrong.push(`task ${id}: expected its RangeError`);
        } else {
          const rest = restOf(id);
          const want = id % 3 === 1 ? ['too', rest.length + 1, rest] : [rest.length + 1, rest];
          if (!o.ok || ran !== 1) wrong.push(`task ${id}: ${o.ok ? 'resolved' : (o.value as Error).name} (ran ${ran}×)`);
          else {
            try {
              assert.deepStrictEqual(o.value, want);
            } catch {
              wrong.push(`task ${id}: got ${JSON.stringify(o.value)}, expected ${JSON.stringify(want)}`);
            }
          }
        }
      }
      t.diagnostic(`${kind}: ${crashed} WorkerCrashedError, exits: ${exits.join(', ')}`);
      assert.deepEqual(wrong.slice(0, 10), [], `${wrong.length} tasks settled wrongly`);
      assert.ok(crashed >= 1, 'the task that died failed with WorkerCrashedError');
      assert.ok(exits.includes('crashed'), 'a worker died');
      assert.deepEqual(await pool.apply('echoArgs', [TASKS, 'after']), [2, ['after']], 'still serving');
    } finally {
      await pool.terminate();
      rmSync(dir, { recursive: true, force: true });
    }
  });
}

test('thread: arguments keep what structured clone keeps — undefined, one object twice, a Map — inline or as their array', async () => {
  const pool = new Pool({ module: MODULE, kind: 'thread', workers: 1 });
  try {
    const o = { n: 1 };
    const [count, rest] = (await pool.apply('echoArgs', [0, undefined, o, o, new Map([[1, 2]])])) as [number, unknown[]];
    assert.equal(count, 5);
    assert.equal(rest[0], undefined);
    assert.ok(rest[1] === rest[2], 'one object passed twice arrives as one object');
    assert.deepEqual(rest[3], new Map([[1, 2]]));
    // More than 8 arguments travel as their array: the same answers.
    const many = Array.from({ length: 20 }, (_, i) => (i % 2 ? undefined : i));
    assert.deepEqual(await pool.apply('echoArgs', [0, ...many]), [21, many]);
  } finally {
    await pool.terminate();
  }
});

// A RUN message is allocated at its final length, measured before it is written (dispatch.ts): an
// argument list that answers `length` differently each time (a Proxy) must not leave the message
// short or padded — the worker would refuse it and every task in it would wait forever.
for (const kind of ['process', 'thread'] as const) {
  test(`${kind}: an argument list whose length changes between reads, in a burst — every task still answers`, { timeout: 30_000 }, async () => {
    const pool = new Pool({ module: MODULE, kind, workers: 2 });
    try {
      await pool.ready();
      // Three arguments at the first read, one ever after: measured longer than it is written.
      let reads = 0;
      const shifty = new Proxy([7, 'a', 'b'], {
        get(target, key, receiver) {
          if (key === 'length') return reads++ === 0 ? 3 : 1;
          return Reflect.get(target, key, receiver);
        },
      });
      const calls: Promise<unknown>[] = [];
      for (let id = 0; id < 600; id++) calls.push(pool.apply('echoArgs', id === 300 ? shifty : [id, id]));
      let timer: NodeJS.Timeout | undefined;
      const stuck = new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error('tasks were never answered (a malformed RUN message was refused)')), 15_000);
      });
      const out = await Promise.race([Promise.allSettled(calls), stuck]).finally(() => clearTimeout(timer));
      out.forEach((r, id) => {
        if (id === 300) return assert.equal(r.status, 'fulfilled', 'the shifty task is sent on its own');
        assert.deepEqual(r, { status: 'fulfilled', value: [2, [id]] }, `task ${id}`);
      });
    } finally {
      await pool.terminate();
    }
  });
}
