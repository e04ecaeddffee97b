import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { makeCpuset } from '../support/cgroupCpuset.js';

const IN_CPUSET = fileURLToPath(new URL('../../../test/fixtures/inCpuset.mjs', import.meta.url));
const STALE_PIN = fileURLToPath(new URL('../../../test/fixtures/stalePin.mjs', import.meta.url));
const LIBRARY = fileURLToPath(new URL('../../src/index.js', import.meta.url));

interface Outcome {
  ok?: boolean;
  cpus?: string;
  code?: string;
  message?: string;
  now: string;
}

for (const target of ['thread', 'self'] as const) {
  test(`pin('${target}') after the cgroup cpuset shrank under a warm cache: refused as CpusUnavailableError, not a silent narrower pin`, async (t) => {
    const cs = makeCpuset(`corepin-stale-${target}-${process.pid}`, '0-1');
    if (typeof cs === 'string') return t.skip(cs);
    const child = spawn(process.execPath, [IN_CPUSET, cs.dir, STALE_PIN, LIBRARY, target, '0-1'], { stdio: ['pipe', 'pipe', 'inherit'] });
    try {
      const lines = createInterface({ input: child.stdout! })[Symbol.asyncIterator]();
      const next = async (): Promise<Outcome> => JSON.parse((await lines.next()).value as string) as Outcome;
      const first = await next();
      assert.deepEqual(first, { ok: true, cpus: '0-1', now: '0-1' }, 'first pin inside the cpuset (the cache is now warm)');
      cs.setCpus('0');
      // None of the CPUs is left: the kernel says EINVAL, reported as the same refusal.
      child.stdin!.write('pin 1\n');
      const none = await next();
      assert.equal(none.code, 'ERR_CPUS_UNAVAILABLE', JSON.stringify(none));
      assert.match(none.message!, /CPU 1 is not in this process's cpuset/);
      cs.setCpus('0-1');
      child.stdin!.write('again\n');
      assert.deepEqual(await next(), { ok: true, cpus: '0-1', now: '0-1' }, 'a grown cpuset is seen at once');
      cs.setCpus('0');
      child.stdin!.write('again\n');
      const second = await next();
      assert.equal(second.code, 'ERR_CPUS_UNAVAILABLE', JSON.stringify(second));
      assert.match(second.message!, /CPU 1 is not in this process's cpuset/);
      cs.setCpus('0-1');
      child.stdin!.write('again\n');
      assert.deepEqual(await next(), { ok: true, cpus: '0-1', now: '0-1' }, 'served again once the cpuset grew back');
      child.stdin!.write('exit\n');
    } finally {
      child.kill('SIGKILL');
      await new Promise((r) => (child.exitCode !== null || child.signalCode !== null ? r(null) : child.once('exit', r)));
      cs.remove();
    }
  });
}
