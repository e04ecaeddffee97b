import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fc from 'fast-check';
import { parseWorkerMessage, DONE, READY, FAIL, CRASH, RUN, Mode, isPoolTagged, isRunMessage, writeRunTask } from '../../src/pool/protocol.js';
import { fromRemoteError, toRemoteError } from '../../src/pool/remoteError.js';
import { defaultChunksize, MAX_AUTO_CHUNKSIZE } from '../../src/pool/defaultChunksize.js';
import { defaultExecArgv } from '../../src/pool/runtime/processRuntime.js';

test('parseWorkerMessage: anything a worker may send is checked, never thrown on', () => {
  fc.assert(
    fc.property(fc.anything(), (m) => {
      const r = parseWorkerMessage(m);
      assert.ok(typeof r === 'string' || typeof r === 'object');
    }),
    { numRuns: 2000 },
  );
  const tags = fc.constantFrom<unknown>(DONE, READY, FAIL, CRASH, 'cp:other', 7, null);
  fc.assert(
    fc.property(tags, fc.array(fc.anything(), { maxLength: 8 }), (tag, rest) => {
      const r = parseWorkerMessage([tag, ...rest]);
      assert.ok(typeof r === 'string' || typeof r === 'object');
      assert.equal(isPoolTagged([tag, ...rest]), [DONE, READY, FAIL, CRASH].includes(tag as string));
    }),
    { numRuns: 5000 },
  );
});

test('parseWorkerMessage: well-formed messages pass, malformed ones are named', () => {
  const err = toRemoteError(new TypeError('x'));
  assert.deepEqual(parseWorkerMessage([DONE, 0.5, 1, 0, 'v', 2, 2, err]), { type: DONE, busyMs: 0.5, data: [DONE, 0.5, 1, 0, 'v', 2, 2, err] });
  assert.deepEqual(parseWorkerMessage([READY, 10, 11, ['a']]), { type: READY, pid: 10, tid: 11, exports: ['a'] });
  assert.deepEqual(parseWorkerMessage([FAIL, 'import', err]), { type: FAIL, phase: 'import', error: err });
  assert.deepEqual(parseWorkerMessage([CRASH, err]), { type: CRASH, error: err });
  const bad: [unknown, RegExp][] = [
    ['hello', /not a pool message/],
    [[DONE, -1, 1, 0, 1], /busy time/],
    [[DONE, 0, 1, 0], /partial/],
    [[DONE, 0], /partial/],
    [[DONE, 0, 1.5, 0, 1], /non-integer/],
    [[DONE, 0, 1, 9, 1], /unknown status/],
    [[DONE, 0, 1, 2, { name: 1 }], /malformed error/],
    [[READY, 0, 1, []], /pid and tid/],
    [[READY, 1, 1, [1]], /export names/],
    [[FAIL, 'later', err], /phase/],
    [[CRASH, 'boom'], /without an error/],
  ];
  for (const [m, why] of bad) assert.match(parseWorkerMessage(m) as string, why, JSON.stringify(m));
});

test('remote errors keep name, message, stack, code, data properties and cause', () => {
  class CustomError extends Error {
    override name = 'CustomError';
    code = 'E_X';
    count = 3;
    handle = (): number => 1; // not data: dropped
  }
  const original = new CustomError('outer', { cause: new RangeError('inner') });
  const back = fromRemoteError(JSON.parse(JSON.stringify(toRemoteError(original))));
  assert.equal(back.name, 'CustomError');
  assert.equal(back.message, 'outer');
  assert.equal(back.stack, original.stack);
  assert.equal((back as Error & { code: string }).code, 'E_X');
  assert.equal((back as Error & { count: number }).count, 3);
  assert.equal((back as Error & { handle?: unknown }).handle, undefined);
  assert.ok(back.cause instanceof RangeError);
  assert.equal((back.cause as Error).message, 'inner');
  assert.ok(fromRemoteError(toRemoteError(new TypeError('t'))) instanceof TypeError, 'built-in error classes come back as themselves');
});

test("defaultChunksize is Python's Pool.map chunk size, capped at MAX_AUTO_CHUNKSIZE", (t) => {
  const cap = MAX_AUTO_CHUNKSIZE;
  const cases: [number, number][] = [];
  const lengths = [0, 1, 2, 7, 8, 9, 15, 16, 17, 100, 999, 1000, 1001, 123457, 1_000_000, 2 ** 31, Number.MAX_SAFE_INTEGER];
  for (const len of lengths) for (const w of [1, 2, 3, 8]) cases.push([len, w]);
  // Around the cap: the last length Python's rule gives the cap for, and the next one (which it does not).
  for (const w of [1, 2, 3, 8]) for (const d of [-4 * w - 1, -4 * w, -1, 0, 1]) cases.push([4 * w * cap + d, w]);
  const py = spawnSync('python3', ['-c', `
import sys, json
out = []
for n, w in json.loads(sys.argv[1]):
    c, extra = divmod(n, w * 4)
    if extra: c += 1
    out.append(max(1, c))
print(json.dumps(out))`, JSON.stringify(cases)], { encoding: 'utf8' });
  if (py.error || py.status !== 0) return t.skip(`python3 is not available to compute the reference (${py.error?.message ?? py.stderr})`);
  const python = JSON.parse(py.stdout) as number[];
  assert.deepEqual(cases.map(([n, w]) => defaultChunksize(n, w)), python.map((c) => Math.min(c, cap)));
  // The cap bites exactly where Python's size passes it, and Python's rule holds up to there.
  for (const w of [1, 2, 3, 8]) {
    assert.equal(defaultChunksize(4 * w * cap, w), cap, `${4 * w * cap} items on ${w}: Python's size is the cap itself`);
    assert.equal(defaultChunksize(4 * w * cap + 1, w), cap, `${4 * w * cap + 1} items on ${w}: Python says ${cap + 1}, capped`);
    assert.equal(defaultChunksize(4 * w * (cap - 1) + 1, w), cap, 'the first length Python rounds up to the cap');
    assert.equal(defaultChunksize(4 * w * (cap - 1), w), cap - 1, 'below the cap: Python exactly');
  }
  assert.equal(defaultChunksize(0, 2), 1, 'no items: chunks of 1 (nothing is sent)');
  assert.equal(defaultChunksize(1, 8), 1);
});

test('process workers get this process\'s node flags, minus test runner, inspector, eval and watch', () => {
  assert.deepEqual(
    defaultExecArgv(['--test', '--test-concurrency=1', '--import', 'tsx', '-e', 'code()', '--inspect=9229', '--max-old-space-size=100', '--watch', '-r', 'x.cjs', '--enable-source-maps', '-p', '1']),
    ['--import', 'tsx', '--max-old-space-size=100', '-r', 'x.cjs', '--enable-source-maps'],
  );
});

test('RUN messages: what writeRunTask builds passes isRunMessage; cut short or corrupted, it does not; nothing throws', () => {
  const task = fc.record({
    id: fc.integer({ min: 1, max: 1e9 }),
    fn: fc.constantFrom('a', 'b', 'default'),
    mode: fc.constantFrom(Mode.Apply, Mode.Reporting, Mode.Map, Mode.Star),
    args: fc.array(fc.jsonValue(), { maxLength: 12 }),
  });
  fc.assert(
    fc.property(fc.array(task, { minLength: 1, maxLength: 20 }), (tasks) => {
      const msg: unknown[] = [RUN];
      let prev: string | null = null;
      for (const t of tasks) {
        writeRunTask(msg, t.id, t.fn === prev ? null : t.fn, t.mode, t.args);
        prev = t.fn;
      }
      assert.ok(isRunMessage(msg));
      assert.equal(msg[2], tasks[0]!.fn, 'the first task always names its export');
      assert.ok(!isRunMessage(msg.slice(0, -1)), 'a message cut short is refused');
    }),
    { numRuns: 500 },
  );
  fc.assert(
    fc.property(fc.array(fc.anything(), { maxLength: 12 }), (rest) => {
      assert.equal(typeof isRunMessage([RUN, ...rest]), 'boolean');
    }),
    { numRuns: 2000 },
  );
  // A count that is not one the writer uses: refused.
  for (const n of [9, -2, 1.5, '1', null]) assert.equal(isRunMessage([RUN, 1, 'a', Mode.Apply, n, 0]), false, String(n));
  assert.equal(isRunMessage([RUN, 1, null, Mode.Apply, 0]), false, 'the first task cannot borrow a name');
  // A thread pool's map chunk of numbers travels as a Float64Array: accepted for Map (a refused RUN
  // would leave the chunk unanswered and the map waiting), never for Star (its items are tuples).
  const chunk: unknown[] = [RUN];
  writeRunTask(chunk, 1, 'square', Mode.Map, new Float64Array([1, 2, 3]));
  assert.ok(isRunMessage(chunk), 'a Float64Array map chunk is a valid RUN');
  assert.equal(isRunMessage([RUN, 1, 'mul', Mode.Star, new Float64Array([1, 2])]), false);
});
