import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import { stop } from '../support/children.js';
import { cpusOfThread } from '../support/procStatus.js';

const script = fileURLToPath(new URL('../../../test/fixtures/tryPin.mjs', import.meta.url));
const index = fileURLToPath(new URL('../../src/index.js', import.meta.url));

/** Why an unprivileged user cannot run the fixture here, or null when it can. */
function cannotRunAsNobody(): string | null {
  if (process.getuid?.() !== 0) return 'needs root to start a process as user nobody';
  const probe = spawnSync('setpriv', ['--reuid=nobody', '--regid=nogroup', '--clear-groups', 'test', '-r', index]);
  if (probe.error) return `setpriv is not available (${probe.error.message})`;
  if (probe.status !== 0) return `user nobody cannot read ${index} in this checkout`;
  return null;
}

for (const backend of ['native', 'taskset']) {
  test(`${backend}: pinning another user's process without the right gives EPERM naming the pid`, async (t) => {
    const why = cannotRunAsNobody();
    if (why) return t.skip(why);
    const target = spawn('sleep', ['30']);
    await once(target, 'spawn');
    try {
      const before = cpusOfThread(target.pid!, target.pid!);
      const r = spawnSync('setpriv', ['--reuid=nobody', '--regid=nogroup', '--clear-groups', process.execPath, script, index, String(target.pid), '0'], {
        encoding: 'utf8',
        env: { ...process.env, COREPIN_BACKEND: backend },
      });
      assert.equal(r.status, 0, r.stderr);
      const out = JSON.parse(r.stdout) as { name: string; code: string; message: string };
      assert.equal(out.name, 'AffinityPermissionError');
      assert.equal(out.code, 'EPERM');
      assert.match(out.message, new RegExp(`pid ${target.pid}`));
      assert.equal(cpusOfThread(target.pid!, target.pid!), before, 'the target was not changed');
    } finally {
      await stop(target);
    }
  });
}
