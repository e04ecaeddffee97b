import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { closeSync, existsSync, openSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { ExitCode } from '../../src/cli/errors.js';
import { CLI, corepin, oneLine } from '../support/cli.js';

const TASK = fileURLToPath(new URL('../../../test/fixtures/cli/mapTask.mjs', import.meta.url));
const INPUT = `${Array.from({ length: 20 }, (_, i) => i).join('\n')}\n`;
const full = existsSync('/dev/full');

// A disk that fills up is the user's problem to fix, but corepin must say so: one line naming where
// it was writing and why, a failing exit code, and never a summary that claims the results were saved.
test('map -o on a full disk: one line naming the file, exit 1, no "ok" summary', { skip: full ? false : 'this machine has no /dev/full to fill' }, () => {
  const r = corepin(['map', TASK, '-j', '2', '-o', '/dev/full'], INPUT);
  assert.equal(r.status, ExitCode.FAILURE, r.stderr);
  assert.ok(oneLine(r.stderr), `one line: ${JSON.stringify(r.stderr)}`);
  assert.match(r.stderr, /cannot write results to \/dev\/full: no space left on device \(ENOSPC\)/);
  assert.doesNotMatch(r.stderr, / ok, /);
});

test('map with stdout on a full disk: one line naming stdout, exit 1, no stack trace', { skip: full ? false : 'this machine has no /dev/full to fill' }, () => {
  const fd = openSync('/dev/full', 'w');
  try {
    const r = spawnSync(process.execPath, [CLI, 'map', TASK, '-j', '2'], { input: INPUT, stdio: ['pipe', fd, 'pipe'], encoding: 'utf8', timeout: 120_000 });
    assert.equal(r.status, ExitCode.FAILURE, r.stderr);
    assert.ok(oneLine(r.stderr), `one line: ${JSON.stringify(r.stderr)}`);
    assert.match(r.stderr, /cannot write results to stdout: no space left on device \(ENOSPC\)/);
  } finally {
    closeSync(fd);
  }
});
