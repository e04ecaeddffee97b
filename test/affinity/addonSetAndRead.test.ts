// The addon's set paths (setAffinity, and pinAndRead: pin()'s set + read-back in one call) attacked
// directly: what the kernel applied must come back exactly, bad arguments must be refused alike and
// never abort the process.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { CpuSet, usableCpus, pin, currentThreadId, toCpuSet } from '../../src/index.js';
import { loadNativeAddon } from '../../src/os/nativeAddon.js';
import { currentBackend } from '../../src/os/currentBackend.js';
import { cpusOfThread } from '../support/procStatus.js';
import { makeCpuset } from '../support/cgroupCpuset.js';

const ADDON_JS = fileURLToPath(new URL('../../src/os/nativeAddon.js', import.meta.url));
const IN_CPUSET = fileURLToPath(new URL('../../../test/fixtures/inCpuset.mjs', import.meta.url));
const SET_AND_READ = fileURLToPath(new URL('../../../test/fixtures/setAndRead.mjs', import.meta.url));
const ALL = usableCpus();
const addon = loadNativeAddon();
const NO_ADDON = addon === null ? 'the native addon did not load on this machine' : false;
const lastPossible = CpuSet.parse(readFileSync('/sys/devices/system/cpu/possible', 'utf8').trim()).last!;

function bytesOf(cpus: Iterable<number>, length: number): Uint8Array {
  const out = new Uint8Array(length);
  for (const c of cpus) out[c >> 3]! |= 1 << (c & 7);
  return out;
}

function cpusIn(bytes: Uint8Array, used: number): string {
  const list: number[] = [];
  for (let i = 0; i < used * 8; i++) if (bytes[i >> 3]! & (1 << (i & 7))) list.push(i);
  return CpuSet.from(list).toList();
}

const here = (): string => cpusOfThread(process.pid, currentThreadId());

test('the set paths refuse a mask or output that is not a Uint8Array with a TypeError, without aborting the process or touching the mask', { skip: NO_ADDON }, () => {
  // In a child: a native abort would take the test runner with it.
  const code = `
const { loadNativeAddon } = await import(${JSON.stringify(ADDON_JS)});
const a = loadNativeAddon();
const { readFileSync } = await import('node:fs');
const now = () => /^Cpus_allowed_list:\\s*(.*)$/m.exec(readFileSync('/proc/self/task/' + a.gettid() + '/status', 'utf8'))[1];
const before = now();
const good = new Uint8Array([1]);
const bad = [[1], 'ab', null, undefined, 3, new Uint16Array([1]), new DataView(new ArrayBuffer(8)), new ArrayBuffer(8)];
const out = [];
for (const m of bad) {
  for (const [name, fn] of [['setAffinity', () => a.setAffinity(0, m)], ['pinAndRead mask', () => a.pinAndRead(0, m, new Uint8Array(128))], ['pinAndRead out', () => a.pinAndRead(0, good, m)]]) {
    try { fn(); out.push({ name, arg: String(m), threw: false }); } catch (e) { out.push({ name, arg: String(m), threw: e instanceof TypeError, code: e.code, message: e.message }); }
  }
}
console.log(JSON.stringify({ out, before, after: now() }));`;
  const r = spawnSync(process.execPath, ['--input-type=module', '-e', code], { encoding: 'utf8' });
  assert.equal(r.status, 0, `the process survived: ${r.stderr.slice(0, 300)}`);
  const { out, before, after } = JSON.parse(r.stdout) as { out: { name: string; arg: string; threw: boolean; code?: string; message?: string }[]; before: string; after: string };
  for (const o of out) {
    assert.ok(o.threw, `${o.name}(${o.arg}) throws a TypeError: ${JSON.stringify(o)}`);
    assert.equal(o.code, 'ERR_INVALID_ARG_TYPE', JSON.stringify(o));
    assert.match(o.message!, /Uint8Array/, JSON.stringify(o));
  }
  assert.equal(after, before, 'no refused call changed the mask');
});

test('pinAndRead with a 256-CPU mask answers what the kernel applied: a CPU beyond the machine is dropped, so the answer is not "as asked"', { skip: NO_ADDON || (lastPossible >= 255 ? `this machine can have CPU 255 (possible: 0-${lastPossible})` : false) }, () => {
  const out = new Uint8Array(128);
  try {
    const used = addon!.pinAndRead(0, bytesOf([...ALL, 255], 32), out);
    assert.ok(used > 0, `the significant bytes of the kernel's mask, not "as asked" (-1): ${used}`);
    assert.equal(cpusIn(out, used), ALL.toList());
    assert.equal(here(), ALL.toList());
    // The same CPUs in a 32-byte mask (trailing zero bytes): the kernel applied exactly that.
    assert.equal(addon!.pinAndRead(0, bytesOf(ALL, 32), out), -1);
  } finally {
    pin('thread', ALL);
  }
});

test('pinAndRead asks for a bigger buffer (< -1) when its output is too small, never answering a wrong set', { skip: NO_ADDON }, () => {
  try {
    for (const size of [0, 4, 7]) {
      const small = new Uint8Array(size);
      const r = addon!.pinAndRead(0, bytesOf(ALL, 1), small);
      assert.ok(r < -1, `output of ${size} bytes: asks for more (${Object.is(r, -0) ? '-0' : r})`);
      const out = new Uint8Array(-r);
      const again = addon!.pinAndRead(0, bytesOf(ALL, 1), out);
      assert.equal(again, -1, `with ${-r} bytes the kernel's mask is read and equals the request`);
    }
    assert.equal(here(), ALL.toList());
  } finally {
    pin('thread', ALL);
  }
});

test('setAffinity and pinAndRead refuse alike: ERR_INVALID_ID, EINVAL for no usable CPU, ESRCH for an exited thread; the mask is unchanged', { skip: NO_ADDON }, () => {
  const before = here();
  const gone = spawnSync('true').pid!;
  const calls: [string, (tid: number, mask: Uint8Array) => unknown][] = [
    ['setAffinity', (tid, mask) => addon!.setAffinity(tid, mask)],
    ['pinAndRead', (tid, mask) => addon!.pinAndRead(tid, mask, new Uint8Array(128))],
  ];
  for (const [name, call] of calls) {
    for (const id of [NaN, -1, 1.5, 2 ** 31, 2 ** 32 + 1]) {
      assert.throws(() => call(id, bytesOf(ALL, 8)), (e: Error & { code?: string }) => e instanceof TypeError && e.code === 'ERR_INVALID_ID', `${name}(${id})`);
    }
    if (lastPossible < 255) assert.throws(() => call(0, bytesOf([255], 32)), { code: 'EINVAL' }, `${name}: only CPU 255`);
    assert.throws(() => call(0, new Uint8Array(8)), { code: 'EINVAL' }, `${name}: no CPU at all`);
    assert.throws(() => call(gone, bytesOf(ALL, 8)), { code: 'ESRCH' }, `${name}: exited pid ${gone}`);
    assert.equal(here(), before, `${name}: refused calls leave the mask alone`);
  }
});

test('inside a real cgroup v1 cpuset of one CPU, pinAndRead of two CPUs answers the one CPU the kernel applied, as /proc shows', { skip: NO_ADDON || (ALL.size < 2 ? `only one usable CPU (${ALL.toList()})` : false) }, (t) => {
  const first = ALL.first!;
  const second = [...ALL][1]!;
  const cs = makeCpuset(`corepin-setread-${process.pid}`, String(first));
  if (typeof cs === 'string') return t.skip(cs);
  try {
    for (const mode of ['bytes', 'bits']) {
      const run = (cpus: number[]): { used: number; out: number[]; now: string } => {
        const r = spawnSync(process.execPath, [IN_CPUSET, cs.dir, SET_AND_READ, ADDON_JS, JSON.stringify(cpus), '8', '128', mode], { encoding: 'utf8' });
        assert.equal(r.status, 0, r.stderr);
        return JSON.parse(r.stdout) as { used: number; out: number[]; now: string };
      };
      const narrowed = run([first, second]);
      assert.ok(narrowed.used > 0, `${mode}: not "as asked": ${JSON.stringify(narrowed)}`);
      assert.deepEqual(narrowed.out, [first], `${mode}: ${JSON.stringify(narrowed)}`);
      assert.equal(narrowed.now, String(first));
      const exact = run([first]);
      assert.equal(exact.used, -1, `${mode}: exactly what was asked: ${JSON.stringify(exact)}`);
      assert.equal(exact.now, String(first));
    }
  } finally {
    cs.remove();
  }
});

test('pin with a fresh set every call (arrays, CpuSet.of, texts in each format) pins exactly those CPUs, as /proc shows: no cache hands back another set', { skip: ALL.size < 2 ? `only one usable CPU (${ALL.toList()})` : false }, () => {
  const first = ALL.first!;
  const last = ALL.last!;
  const both = CpuSet.of(first, last).toList();
  try {
    for (let i = 0; i < 3; i++) {
      const arr = [first];
      assert.equal(pin('thread', arr).toList(), String(first));
      assert.equal(here(), String(first));
      arr[0] = last; // the same array object, now other CPUs
      assert.equal(pin('thread', arr).toList(), String(last));
      assert.equal(here(), String(last));
      assert.equal(pin('thread', CpuSet.of(first, last)).toList(), both);
      assert.equal(here(), both);
      assert.equal(pin('thread', CpuSet.of(first)).toList(), String(first));
      assert.equal(here(), String(first));
    }
    // One text, three formats: '1' is CPU 1 as a list, CPU 0 as a mask; the cache keeps them apart.
    assert.equal(toCpuSet('1', 'list').toList(), '1');
    assert.equal(toCpuSet('1', 'mask').toList(), '0');
    assert.equal(toCpuSet('1').toList(), '1');
    assert.equal(toCpuSet('3', 'mask').toList(), '0-1');
    assert.equal(toCpuSet('3', 'list').toList(), '3');
    // More texts than the cache holds, then the first ones again.
    for (let c = 0; c < 200; c++) assert.equal(toCpuSet(`${c}`, 'list').toList(), `${c}`);
    assert.equal(toCpuSet('1', 'mask').toList(), '0');
    assert.equal(pin('thread', `${last}`).toList(), String(last));
    assert.equal(here(), String(last));
  } finally {
    pin('thread', ALL);
  }
});

test('setAffinityBits and pinAndReadBits (the mask as a number) refuse as the byte paths do, and leave the mask alone', { skip: NO_ADDON }, () => {
  const before = here();
  const gone = spawnSync('true').pid!;
  const bits = [...ALL].filter((c) => c < 53).reduce((a, c) => a + 2 ** c, 0);
  const calls: [string, (tid: number, bits: number) => unknown][] = [
    ['setAffinityBits', (tid, b) => addon!.setAffinityBits!(tid, b)],
    ['pinAndReadBits', (tid, b) => addon!.pinAndReadBits!(tid, b)],
  ];
  for (const [name, call] of calls) {
    for (const id of [NaN, -1, 1.5, 2 ** 31, 2 ** 32 + 1]) {
      assert.throws(() => call(id, bits), (e: Error & { code?: string }) => e instanceof TypeError && e.code === 'ERR_INVALID_ID', `${name}(${id})`);
    }
    for (const b of [0, -1, 1.5, NaN, 2 ** 53, 2 ** 60]) {
      assert.throws(() => call(0, b), (e: Error & { code?: string }) => e instanceof RangeError && e.code === 'ERR_OUT_OF_RANGE', `${name}(0, ${b})`);
    }
    if (lastPossible < 52) assert.throws(() => call(0, 2 ** 52), { code: 'EINVAL' }, `${name}: only CPU 52`);
    assert.throws(() => call(gone, bits), { code: 'ESRCH' }, `${name}: exited pid ${gone}`);
    assert.equal(here(), before, `${name}: refused calls leave the mask alone`);
  }
});

test('pinAndReadBits answers the number of the CPUs the kernel applied: -1 for exactly the request, the narrower mask when a CPU does not exist', { skip: NO_ADDON || (lastPossible >= 52 ? `this machine can have CPU 52 (possible: 0-${lastPossible})` : false) }, () => {
  const first = ALL.first!;
  try {
    assert.equal(addon!.pinAndReadBits!(0, 2 ** first), -1);
    assert.equal(here(), String(first));
    // CPU 52 is beyond the machine: the kernel drops it silently, and the answer says so.
    assert.equal(addon!.pinAndReadBits!(0, 2 ** 52 + 2 ** first), 2 ** first);
    assert.equal(here(), String(first));
  } finally {
    pin('thread', ALL);
  }
});

test('pin with the same CpuSet objects again and again, alternating, answers and applies each one (no cached answer of the other set), as /proc shows', { skip: ALL.size < 2 ? `only one usable CPU (${ALL.toList()})` : false }, () => {
  const first = CpuSet.of(ALL.first!);
  const last = CpuSet.of(ALL.last!);
  const both = CpuSet.of(ALL.first!, ALL.last!);
  try {
    for (let i = 0; i < 50; i++) {
      for (const s of [first, both, last, both, first, last]) {
        const got = pin('thread', s);
        assert.equal(got.toList(), s.toList(), `round ${i}: the answer is the set asked`);
        assert.equal(here(), s.toList(), `round ${i}: /proc shows it`);
      }
    }
  } finally {
    pin('thread', ALL);
  }
});

test('the backend pins a set with a CPU of 53 or more through the byte path and answers what the kernel applied', { skip: NO_ADDON || (lastPossible >= 60 ? `this machine can have CPU 60 (possible: 0-${lastPossible})` : false) }, () => {
  const first = ALL.first!;
  const backend = currentBackend();
  try {
    for (let i = 0; i < 3; i++) {
      const got = backend.setAndGet!(0, CpuSet.of(first, 60));
      assert.equal(got.toList(), String(first), 'CPU 60 does not exist: the kernel applied only the first');
      assert.equal(here(), String(first));
      assert.equal(backend.setAndGet!(0, ALL).toList(), ALL.toList());
      assert.equal(here(), ALL.toList());
    }
  } finally {
    pin('thread', ALL);
  }
});
