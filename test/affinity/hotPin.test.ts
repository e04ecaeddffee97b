// pin('thread') again with the input of its last pin takes the hot path (the addon call alone). Attacked
// here: the cgroup cpuset narrowed under a hot set (one CPU: the kernel refuses; several: it narrows),
// sets alternating, and a text; the answer must always be what /proc shows.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { makeCpuset } from '../support/cgroupCpuset.js';
import { cpusOfThread } from '../support/procStatus.js';
import { startStalePinChild } from '../support/startStalePinChild.js';
import { CpuSet, pin, usableCpus, currentThreadId } from '../../src/index.js';

const ALL = usableCpus();
const TWO = ALL.size < 2 ? `only one usable CPU (${ALL.toList()})` : false;

for (const list of ['1', '0-1']) {
  test(`pin('thread', '${list}') repeated (hot), then the cgroup cpuset narrowed to CPU 0: refused as CpusUnavailableError, /proc shows 0; served again once it grows`, { skip: TWO }, async (t) => {
    const cs = makeCpuset(`corepin-hot-${list}-${process.pid}`, '0-1');
    if (typeof cs === 'string') return t.skip(cs);
    const { child, next, send, stop } = startStalePinChild(cs.dir, 'thread', list);
    try {
      const proc = (): string => cpusOfThread(child.pid!, child.pid!);
      assert.deepEqual(await next(), { ok: true, cpus: list, now: list }, 'first pin (full path)');
      for (let i = 0; i < 3; i++) {
        send('again');
        assert.deepEqual(await next(), { ok: true, cpus: list, now: list }, `hot pin ${i}`);
        assert.equal(proc(), list);
      }
      cs.setCpus('0');
      send('again');
      const refused = await next();
      assert.equal(refused.code, 'ERR_CPUS_UNAVAILABLE', JSON.stringify(refused));
      assert.match(refused.message!, /CPU 1 is not in this process's cpuset/);
      assert.equal(refused.now, '0');
      assert.equal(proc(), '0', '/proc: the kernel left the thread on CPU 0');
      cs.setCpus('0-1');
      for (let i = 0; i < 2; i++) {
        send('again');
        assert.deepEqual(await next(), { ok: true, cpus: list, now: list }, `served again (${i})`);
        assert.equal(proc(), list);
      }
      send('exit');
    } finally {
      await stop();
      cs.remove();
    }
  });
}

test('hot pins alternating with other inputs (the same text, another set, an array) each apply and answer their own CPUs, as /proc shows', { skip: TWO }, () => {
  const a = CpuSet.of(ALL.first!);
  const b = CpuSet.of(ALL.first!, ALL.last!);
  const here = (): string => cpusOfThread(process.pid, currentThreadId());
  try {
    for (let i = 0; i < 20; i++) {
      for (const input of [a, a, b, b, `${ALL.last}`, `${ALL.last}`, a, [ALL.last!], b, [ALL.first!]] as const) {
        const want = CpuSet.from(typeof input === 'string' ? [Number(input)] : input).toList();
        assert.equal(pin('thread', input).toList(), want, `round ${i}: ${String(input)}`);
        assert.equal(here(), want, `round ${i}: /proc for ${String(input)}`);
      }
    }
  } finally {
    pin('thread', ALL);
  }
});
