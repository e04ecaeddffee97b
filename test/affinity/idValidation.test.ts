import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { affinityOf, pin, threadsOf, type Target } from '../../src/affinity.js';
import { CpuSet } from '../../src/cpuset/CpuSet.js';
import { currentBackend, selectBackend } from '../../src/os/currentBackend.js';
import { loadNativeAddon } from '../../src/os/nativeAddon.js';
import { ExitCode } from '../../src/cli/errors.js';
import { corepin, oneLine } from '../support/cli.js';

const PID_MAX = Number(readFileSync('/proc/sys/kernel/pid_max', 'utf8'));

/** Ids that wrap, truncate or mean "the calling thread" when cast to a 32-bit pid_t. */
const BAD_IDS: [string, unknown][] = [
  ['NaN', NaN],
  ['Infinity', Infinity],
  ['-Infinity', -Infinity],
  ['0', 0],
  ['-0', -0],
  ['-1', -1],
  ['1.5', 1.5],
  ['2^31', 2 ** 31],
  ['2^32 + 1', 2 ** 32 + 1],
  ['2^53', 2 ** 53],
  ['pid_max', PID_MAX],
  ['the string "1"', '1'],
  ['null', null],
  ['undefined', undefined],
  ['an object', {}],
  ['1n', 1n],
];

/** What a call did with a bad id: the error's class, code and whether the message names the value. */
function outcome(fn: () => unknown, shown: string): string {
  try {
    fn();
    return 'returned';
  } catch (err) {
    const e = err as Error & { code?: string };
    return `${e instanceof TypeError ? 'TypeError' : e.name} ${e.code} ${e.message.includes(shown) ? 'names the value' : `does not name ${shown}: ${e.message}`}`;
  }
}

function shownAs(v: unknown): string {
  return typeof v === 'string' ? JSON.stringify(v) : typeof v === 'bigint' ? `${v}n` : typeof v === 'number' ? (Object.is(v, -0) ? '0' : String(v)) : typeof v === 'object' && v !== null ? 'object' : String(v);
}

const EXPECTED = 'TypeError ERR_INVALID_ID names the value';

test('id validation: every bad pid and tid is a TypeError naming the value, the same on the native and taskset backends, and nothing is pinned', () => {
  const before = affinityOf('thread');
  const answers = new Map<string, string[]>();
  try {
    for (const backend of ['native', 'taskset'] as const) {
      selectBackend(backend);
      const got: string[] = [];
      for (const [name, id] of BAD_IDS) {
        const shown = shownAs(id);
        const calls: [string, () => unknown][] = [
          ['pin({ tid })', () => pin({ tid: id } as Target, '0')],
          ['pin(pid)', () => pin(id as Target, '0')],
          ['affinityOf({ tid })', () => affinityOf({ tid: id } as Target)],
          ['affinityOf(pid)', () => affinityOf(id as Target)],
          ['threadsOf(pid)', () => threadsOf(id as number)],
        ];
        for (const [call, fn] of calls) {
          const o = outcome(fn, shown);
          assert.equal(o, EXPECTED, `${backend}: ${call} with ${name}`);
          got.push(`${call} ${name}: ${o}`);
        }
        // The backends themselves take what a pid_t holds: 0 (the calling thread) up to 2^31 - 1.
        if (!(Number.isInteger(id) && (id as number) >= 0 && (id as number) < 2 ** 31)) {
          for (const [call, fn] of [
            ['backend.get', () => currentBackend().get(id as number)],
            ['backend.set', () => currentBackend().set(id as number, CpuSet.parse('0'))],
          ] as [string, () => unknown][]) {
            const o = outcome(fn, shown);
            assert.match(o, /^TypeError ERR_INVALID_ID/, `${backend}: ${call} with ${name}`);
            got.push(`${call} ${name}: ${o.split(' ').slice(0, 2).join(' ')}`);
          }
        }
      }
      answers.set(backend, got);
      assert.ok(affinityOf('thread').equals(before), `${backend}: the calling thread was not pinned by any bad id`);
    }
  } finally {
    selectBackend('native');
  }
  assert.deepEqual(answers.get('taskset'), answers.get('native'), 'both backends answer alike');
});

test('id validation: the addon refuses non-numbers, NaN, fractions, negatives and ids >= 2^31 instead of wrapping them', (t) => {
  const addon = loadNativeAddon();
  if (addon === null) return t.skip('the native addon did not load on this machine');
  const mask = CpuSet.parse('0').toBytes();
  const bad: unknown[] = [NaN, Infinity, -1, 1.5, 2 ** 31, 2 ** 32 + 1, 2 ** 32, '1', null, undefined, {}];
  for (const id of bad) {
    for (const [call, fn] of [
      ['getAffinity', () => addon.getAffinity(id as number)],
      ['getAffinityInto', () => addon.getAffinityInto(id as number, new Uint8Array(128))],
      ['setAffinity', () => addon.setAffinity(id as number, mask)],
    ] as [string, () => unknown][]) {
      assert.throws(fn, (e: Error & { code?: string }) => e instanceof TypeError && e.code === 'ERR_INVALID_ID', `${call}(${String(id)})`);
    }
  }
  assert.ok(addon.getAffinity(0).length > 0, '0 is the calling thread for the addon (used internally)');
});

test('id validation: corepin -p with an id that wraps to pid 1 is a usage error naming it, not pid 1\'s mask', () => {
  for (const args of [['-p', '4294967297'], ['-pc', '4294967297'], ['-p', String(PID_MAX)], ['-p', '99999999999999999999'], ['threads', '4294967297'], ['report', '4294967297']]) {
    const r = corepin(args);
    assert.equal(r.status, ExitCode.USAGE, `${args.join(' ')}: ${r.stdout}${r.stderr}`);
    assert.equal(r.stdout, '', `${args.join(' ')}: nothing printed on stdout`);
    assert.ok(oneLine(r.stderr), `${args.join(' ')}: ${JSON.stringify(r.stderr)}`);
    assert.ok(r.stderr.includes(args.at(-1)!), `${args.join(' ')}: names the value: ${r.stderr}`);
    assert.match(r.stderr, /pid_max/);
  }
});
