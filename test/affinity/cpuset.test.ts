import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync, type SpawnSyncReturns } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { usableCpus } from '../../src/index.js';
import { makeCpuset } from '../support/cgroupCpuset.js';

const fixture = (name: string): string => fileURLToPath(new URL(`../../../test/fixtures/${name}`, import.meta.url));
const indexUrl = new URL('../../src/index.js', import.meta.url).href;

test('inside a real restricted cpuset, usableCpus() is the cpuset and os.cpus() is not', (t) => {
  const all = usableCpus();
  if (all.size < 2) return t.skip(`needs 2 or more usable CPUs, this process has ${all.toList()}`);
  const inside = String(all.last);
  const outside = String(all.first);
  const cs = makeCpuset(`corepin-test-${process.pid}`, inside);
  if (typeof cs === 'string') return t.skip(cs);
  try {
    for (const backend of ['native', 'taskset']) {
      const r: SpawnSyncReturns<string> = spawnSync(process.execPath, [fixture('inCpuset.mjs'), cs.dir, fixture('reportUsable.mjs'), indexUrl, outside], {
        encoding: 'utf8',
        env: { ...process.env, COREPIN_BACKEND: backend },
      });
      assert.equal(r.status, 0, r.stderr);
      const out = JSON.parse(r.stdout) as { usable: string; osCpus: number; error?: { name: string; code: string; cpus: number[]; message: string } };
      assert.equal(out.usable, inside, `${backend}: usableCpus() is the cpuset`);
      assert.notEqual(out.osCpus, 1, 'os.cpus() ignores the cpuset (why corepin exists)');
      assert.equal(out.error?.name, 'CpusUnavailableError');
      assert.equal(out.error?.code, 'ERR_CPUS_UNAVAILABLE');
      assert.deepEqual(out.error?.cpus, [Number(outside)]);
      assert.match(out.error!.message, new RegExp(`CPU ${outside} is not in this process's cpuset`));
    }
  } finally {
    cs.remove();
  }
});
