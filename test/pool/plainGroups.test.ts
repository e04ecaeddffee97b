import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { DONE, Mode, RUN, Status, isRunMessage, parseWorkerMessage } from '../../src/pool/protocol.js';
import { runMessage } from '../../src/pool/runMessage.js';
import { Task } from '../../src/pool/Task.js';
import { WorkerLoop } from '../../src/pool/worker/WorkerLoop.js';
import { plainRunning, plainState, plainUnsent, runPlainRun } from '../../src/pool/worker/runPlainRun.js';

// Mode.Plain groups (pool → worker) and Status.OkRun groups (worker → pool): a run of plain applies
// travels as one value a task instead of five (bench/history/burst4.md). The attacker's questions:
// does every task still arrive once, in order, with its own argument and id; is every malformed
// group refused; does a worker stopping part-way through a group (clock check, thenable, throw)
// resume exactly where it stopped?

const FIXTURE = new URL('../../../test/fixtures/tasks/plainRun.mjs', import.meta.url).href;

/** The tasks a RUN message asks for, as `[id, fn, mode, args]`, read the way the worker reads it. */
function decode(msg: readonly unknown[]): [number, string, Mode, unknown][] {
  const out: [number, string, Mode, unknown][] = [];
  let fn = '';
  for (let k = 1; k < msg.length; ) {
    const id = msg[k] as number;
    if (msg[k + 1] !== null) fn = msg[k + 1] as string;
    const mode = msg[k + 2] as Mode;
    if (mode === Mode.Plain) {
      const n = msg[k + 3] as number;
      for (let j = 0; j < n; j++) out.push([id + j, fn, Mode.Apply, [msg[k + 4 + j]]]);
      k += 4 + n;
    } else if (mode === Mode.Apply || mode === Mode.Reporting) {
      const n = msg[k + 3] as number;
      out.push([id, fn, mode, n === -1 ? msg[k + 4] : msg.slice(k + 4, k + 4 + n)]);
      k += n === -1 ? 5 : 4 + n;
    } else {
      out.push([id, fn, mode, msg[k + 3]]);
      k += 4;
    }
  }
  return out;
}

/** The mode of every group in a RUN message. */
function groupModes(msg: readonly unknown[]): Mode[] {
  const modes: Mode[] = [];
  for (let k = 1; k < msg.length; ) {
    const mode = msg[k + 2] as Mode;
    modes.push(mode);
    const n = msg[k + 3] as number;
    k += mode === Mode.Map || mode === Mode.Star ? 4 : n === -1 ? 5 : 4 + n;
  }
  return modes;
}

test('runMessage: runs of plain applies become Plain groups; every task arrives once, in order, with its arguments', () => {
  const task = fc.record({
    gap: fc.constantFrom(1, 1, 1, 1, 2),
    fn: fc.constantFrom('a', 'a', 'a', 'b'),
    mode: fc.constantFrom(Mode.Apply, Mode.Apply, Mode.Apply, Mode.Map, Mode.Reporting),
    args: fc.oneof(fc.tuple(fc.jsonValue()), fc.array(fc.jsonValue(), { maxLength: 3 })),
  });
  fc.assert(
    fc.property(fc.array(task, { minLength: 1, maxLength: 40 }), (specs) => {
      let id = 100;
      const batch = specs.map((s) => new Task((id += s.gap), s.fn, s.mode, s.mode === Mode.Map ? [1, 2] : s.args, null));
      for (const plain of [true, false]) {
        const msg = runMessage(batch, [], plain);
        assert.ok(isRunMessage(msg), JSON.stringify(msg));
        assert.deepEqual(
          decode(msg),
          batch.map((t) => [t.id, t.fn, t.mode, t.payload]),
        );
        if (!plain) assert.ok(!groupModes(msg).includes(Mode.Plain), 'plain: false never writes a Plain group');
      }
    }),
    { numRuns: 400 },
  );
  // A burst: one group, one value a task.
  const burst = Array.from({ length: 256 }, (_, i) => new Task(1000 + i, 'noop', Mode.Apply, [i], null));
  const msg = runMessage(burst, [], true);
  assert.deepEqual(msg.slice(0, 5), [RUN, 1000, 'noop', Mode.Plain, 256]);
  assert.equal(msg.length, 5 + 256);
  // A process pool's message keeps the per-task form (its pipe packs it: leanFrames.ts).
  assert.equal(runMessage(burst, [], false).length, 1 + 5 * 256);
});

test('isRunMessage: a malformed Plain group is refused', () => {
  assert.ok(isRunMessage([RUN, 1, 'a', Mode.Plain, 2, 'x', 'y']));
  assert.ok(isRunMessage([RUN, 1, 'a', Mode.Plain, 1, 'x', 2, null, Mode.Apply, 1, 'y']));
  for (const n of [0, -1, 1.5, 3, '2', null, Infinity]) assert.equal(isRunMessage([RUN, 1, 'a', Mode.Plain, n, 'x', 'y']), false, String(n));
  assert.equal(isRunMessage([RUN, 1, null, Mode.Plain, 1, 'x']), false, 'the first group cannot borrow a name');
  assert.equal(isRunMessage([RUN, Number.MAX_SAFE_INTEGER, 'a', Mode.Plain, 2, 'x', 'y']), false, 'ids past the safe integers');
  assert.equal(isRunMessage([RUN, 1.5, 'a', Mode.Plain, 1, 'x']), false);
});

test('parseWorkerMessage: OkRun groups pass; a count of 0, past the end or not an integer is refused', () => {
  const m = [DONE, 0.5, 7, Status.OkRun, 3, 'a', 'b', 'c', 10, Status.Undefined, null, 11, Status.OkRun, 1, 0];
  assert.deepEqual(parseWorkerMessage(m), { type: DONE, busyMs: 0.5, data: m });
  for (const n of [0, -1, 4, 1.5, '3', null]) assert.match(parseWorkerMessage([DONE, 0, 7, Status.OkRun, n, 'a', 'b', 'c']) as string, /partial/, String(n));
  assert.match(parseWorkerMessage([DONE, 0, 7, Status.OkRun, 2, 'a', 'b', 9]) as string, /partial/);
  assert.match(parseWorkerMessage([DONE, 0, 7, 7, 1]) as string, /unknown status/);
});

test('parseWorkerMessage: OkList groups pass; an empty list or one that is not an array is refused', () => {
  const m = [DONE, 0.5, 7, Status.OkList, ['a', 'b', 'c'], 10, Status.Undefined, null, 11, Status.OkList, [0]];
  assert.deepEqual(parseWorkerMessage(m), { type: DONE, busyMs: 0.5, data: m });
  for (const list of [[], null, 'abc', 3, { length: 1, 0: 'a' }]) assert.match(parseWorkerMessage([DONE, 0, 7, Status.OkList, list]) as string, /result list/, JSON.stringify(list));
  assert.match(parseWorkerMessage([DONE, 0, 7, Status.OkList]) as string, /partial/);
});

test('runPlainRun: a Plain group stopped part-way is written back as its remaining tasks, and resumes there', () => {
  const double = (x: unknown): unknown => {
    if (x === 'throw') throw new RangeError('no');
    if (x === 'later') return Promise.resolve(1);
    return (x as number) * 2;
  };
  const batch: unknown[] = [RUN, 10, null, Mode.Plain, 7, 1, 2, 'throw', 4, 'later', 6, 7];
  const out: unknown[] = [DONE, 0];
  const s = plainState();
  let k = runPlainRun(batch, 1, 2, double, out, s);
  assert.equal(s.ran, 2);
  assert.deepEqual(batch.slice(k, k + 4), [12, null, Mode.Plain, 5], 'the rest of the group, in place');
  assert.deepEqual(out, [DONE, 0, 10, Status.OkList, [2, 4]]);
  k = runPlainRun(batch, k, 100, double, out, s);
  assert.equal(s.ran, 3, 'stops after the thenable');
  assert.equal(s.current, 14, 'the thenable task is still the one running');
  assert.equal(plainRunning(s), 14);
  assert.ok(s.thenable !== undefined);
  assert.deepEqual(out.slice(0, 5), [DONE, 0, 10, Status.OkList, [2, 4]]);
  assert.equal(out[5], 12);
  assert.equal(out[6], Status.Threw);
  assert.deepEqual(out.slice(8), [13, Status.OkList, [8]]);
  s.thenable = undefined;
  s.current = null;
  out.push(14, Status.Ok, 1); // as drain answers the thenable
  k = runPlainRun(batch, k, 100, double, out, s);
  assert.equal(s.ran, 2);
  assert.equal(k, batch.length);
  assert.deepEqual(out.slice(14), [15, Status.OkList, [12, 14]], 'a new run after another answer, never a wrong id');
  assert.equal(plainRunning(s), null, 'nothing running once the run is over');
  assert.ok(batch.slice(5).every((v) => v === undefined || typeof v === 'number' || v === null), 'arguments taken are released');
});

test('runPlainRun: a task that exits the worker mid-run is the one named running, and the results before it go out with the last words', () => {
  const seen: [number | null, unknown[]][] = [];
  const s = plainState();
  const exiting = (x: unknown): unknown => {
    if (x === 'exit') {
      // What lastWords does when the task calls process.exit here.
      const pending: unknown[] = [DONE, 0];
      plainUnsent(s, pending);
      seen.push([plainRunning(s), pending]);
      return 'survived';
    }
    return x;
  };
  const batch: unknown[] = [RUN, 20, null, Mode.Plain, 5, 'a', 'b', 'exit', 'd', 'e'];
  runPlainRun(batch, 1, 100, exiting, [DONE, 0], s);
  assert.deepEqual(seen, [[22, [DONE, 0, 20, Status.OkList, ['a', 'b']]]]);
});

test('WorkerLoop: Plain groups run each task once, in order, across clock checks, throws, undefined and thenables', async () => {
  const sent: unknown[][] = [];
  const loop = new WorkerLoop({ send: (m) => (sent.push(m), null), onMessage: () => {} }, { pid: 1, tid: 1 }, Promise.resolve(null));
  await loop.start({ module: FIXTURE, initializer: null, initargs: [] });
  const inputs: unknown[] = Array.from({ length: 3000 }, (_, i) => (i % 97 === 5 ? 'throw' : i % 89 === 3 ? 'undefined' : i % 501 === 7 ? 'async' : i));
  // Two messages: one Plain group each (the second's name borrowed from nothing: it names its export).
  loop.batches.push([RUN, 1, 'plain', Mode.Plain, 2000, ...inputs.slice(0, 2000)]);
  loop.batches.push([RUN, 2001, 'plain', Mode.Plain, 500, ...inputs.slice(2000, 2500), 2501, null, Mode.Apply, 1, inputs[2500], 2502, null, Mode.Plain, 499, ...inputs.slice(2501)]);
  await loop.drain();
  const answers = new Map<number, [Status, unknown]>();
  for (const m of sent.slice(1)) {
    assert.notEqual(typeof parseWorkerMessage(m), 'string', JSON.stringify(m).slice(0, 200));
    for (let i = 2; i < m.length; ) {
      if (m[i + 1] === Status.OkList) {
        const list = m[i + 2] as unknown[];
        for (let j = 0; j < list.length; j++) {
          assert.ok(!answers.has((m[i] as number) + j), 'answered once');
          answers.set((m[i] as number) + j, [Status.Ok, list[j]]);
        }
        i += 3;
      } else if (m[i + 1] === Status.OkRun) {
        const n = m[i + 2] as number;
        for (let j = 0; j < n; j++) {
          assert.ok(!answers.has((m[i] as number) + j), 'answered once');
          answers.set((m[i] as number) + j, [Status.Ok, m[i + 3 + j]]);
        }
        i += 3 + n;
      } else {
        assert.ok(!answers.has(m[i] as number), 'answered once');
        answers.set(m[i] as number, [m[i + 1] as Status, m[i + 2]]);
        i += 3;
      }
    }
  }
  assert.deepEqual([...answers.keys()], inputs.map((_, i) => i + 1), 'every task answered, in order');
  inputs.forEach((x, i) => {
    const [status, value] = answers.get(i + 1)!;
    if (x === 'throw') assert.equal(status, Status.Threw);
    else if (x === 'undefined') assert.equal(status, Status.Undefined);
    else if (x === 'async') assert.deepEqual([status, value], [Status.Ok, 'later']);
    else assert.deepEqual([status, value], [Status.Ok, (x as number) * 2], `task ${i + 1}`);
  });
});
