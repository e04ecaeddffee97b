// The raw addon attacked with wrong-typed, missing and out-of-range arguments in every position of
// every function: it must refuse each with a TypeError or RangeError naming the argument, before any
// system call, and never abort the process, read garbage, or act on the calling thread instead.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { loadNativeAddon } from '../../src/os/nativeAddon.js';

const ADDON_JS = fileURLToPath(new URL('../../src/os/nativeAddon.js', import.meta.url));
const FIXTURE = fileURLToPath(new URL('../../../test/fixtures/hostileAddonArgs.mjs', import.meta.url));
const NO_ADDON = loadNativeAddon() === null ? 'the native addon did not load on this machine' : false;

interface Line {
  fn?: string;
  arg?: string;
  value?: string;
  start?: boolean;
  threw?: boolean;
  type?: string;
  code?: string;
  message?: string;
  returned?: string;
  ignored?: boolean;
  done?: boolean;
  before?: Record<string, number | string>;
  after?: Record<string, number | string>;
}

// How each argument is named in the messages.
const NAMED: Record<string, RegExp> = {
  tid: /\btid\b/,
  'output buffer': /output buffer/,
  mask: /\bmask\b/,
  'mask bits': /\bmask bits\b/,
  signal: /\bsignal\b/,
  mode: /\bmode\b/,
  nodes: /\bnode mask\b/,
  nice: /\bnice\b/,
  policy: /\bpolicy\b/,
};

test('every addon function refuses a hostile argument in every position with a typed error naming it, and the process survives unchanged', { skip: NO_ADDON }, () => {
  // In a child: an abort would take the test runner with it.
  const r = spawnSync(process.execPath, [FIXTURE, ADDON_JS], { encoding: 'utf8', timeout: 60_000 });
  const lines = r.stdout.trim().split('\n').filter(Boolean).map((l) => JSON.parse(l) as Line);
  const last = lines.filter((l) => l.start).at(-1);
  assert.equal(r.status, 0, `the process survived the hostile calls; it died (signal ${r.signal}) during ${JSON.stringify(last)}: ${r.stderr.slice(0, 400)}`);
  const results = lines.filter((l) => l.start !== true && l.threw !== undefined);
  for (const fn of ['setAffinityBits', 'pinAndReadBits']) assert.ok(results.some((o) => o.fn === fn), `${fn} was attacked`);
  assert.ok(results.length > 100, `every position was attacked (${results.length} calls)`);
  const wrong: string[] = [];
  for (const o of results) {
    const what = `${o.fn}(${o.arg} = ${o.value})`;
    if (!o.threw) wrong.push(`${what} returned ${o.returned}`);
    else if (o.type !== 'TypeError' && o.type !== 'RangeError') wrong.push(`${what} threw a ${o.type}: ${o.message}`);
    else if (!['ERR_INVALID_ARG_TYPE', 'ERR_OUT_OF_RANGE', 'ERR_INVALID_ID'].includes(o.code ?? '')) wrong.push(`${what} code ${o.code}`);
    else if (!NAMED[o.arg!]!.test(o.message ?? '')) wrong.push(`${what} message does not name the argument: ${o.message}`);
  }
  assert.deepEqual(wrong, [], `hostile arguments all refused properly:\n${wrong.join('\n')}`);
  for (const o of lines.filter((l) => l.ignored !== undefined)) assert.ok(o.ignored, `${o.fn} ignores extra arguments: ${o.message}`);
  const done = lines.at(-1)!;
  assert.ok(done.done, 'the fixture ran to the end');
  assert.deepEqual(done.after, done.before, 'no refused call changed the thread (nice, scheduling class, memory policy, affinity)');
});
