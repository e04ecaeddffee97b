import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CorepinError } from '../../src/errors.js';
import { Pool } from '../../src/index.js';
import { childPids } from '../support/childPids.js';

// A task module is resolved and checked in `new Pool()` itself: a bad path throws a typed error
// there, before any worker process exists to import it.
test('a missing or unusable task module fails in new Pool(), before any worker starts', () => {
  const dir = mkdtempSync(join(tmpdir(), 'corepin-module-'));
  try {
    for (const module of ['/nonexistent/tasks.mjs', 'no-such-relative-tasks.mjs', dir, `file://${dir}/missing.mjs`, '']) {
      for (const kind of ['process', 'thread'] as const) {
        assert.throws(
          () => new Pool({ module, kind, workers: 2 }),
          (err: unknown) => err instanceof CorepinError && /^ERR_POOL_/.test(err.code) && !err.message.includes('\n'),
          `${kind} pool with module ${JSON.stringify(module)}`,
        );
      }
      assert.deepEqual(childPids(), [], `no worker process was started for ${JSON.stringify(module)}`);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
