import { test } from 'node:test';
import assert from 'node:assert/strict';
import { makeCpuset } from '../support/cgroupCpuset.js';
import { startStalePinChild } from '../support/startStalePinChild.js';

for (const target of ['thread', 'self'] as const) {
  test(`pin('${target}') after the cgroup cpuset shrank under a warm cache: refused as CpusUnavailableError, not a silent narrower pin`, async (t) => {
    const cs = makeCpuset(`corepin-stale-${target}-${process.pid}`, '0-1');
    if (typeof cs === 'string') return t.skip(cs);
    const { next, send, stop } = startStalePinChild(cs.dir, target, '0-1');
    try {
      const first = await next();
      assert.deepEqual(first, { ok: true, cpus: '0-1', now: '0-1' }, 'first pin inside the cpuset (the cache is now warm)');
      cs.setCpus('0');
      // None of the CPUs is left: the kernel says EINVAL, reported as the same refusal.
      send('pin 1');
      const none = await next();
      assert.equal(none.code, 'ERR_CPUS_UNAVAILABLE', JSON.stringify(none));
      assert.match(none.message!, /CPU 1 is not in this process's cpuset/);
      cs.setCpus('0-1');
      send('again');
      assert.deepEqual(await next(), { ok: true, cpus: '0-1', now: '0-1' }, 'a grown cpuset is seen at once');
      cs.setCpus('0');
      send('again');
      const second = await next();
      assert.equal(second.code, 'ERR_CPUS_UNAVAILABLE', JSON.stringify(second));
      assert.match(second.message!, /CPU 1 is not in this process's cpuset/);
      cs.setCpus('0-1');
      send('again');
      assert.deepEqual(await next(), { ok: true, cpus: '0-1', now: '0-1' }, 'served again once the cpuset grew back');
      send('exit');
    } finally {
      await stop();
      cs.remove();
    }
  });
}
