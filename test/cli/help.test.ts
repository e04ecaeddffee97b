import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { ExitCode } from '../../src/cli/errors.js';
import { corepin } from '../support/cli.js';

const MINE = ['map', 'exec', 'watch', 'report', 'demo', 'completion'];

test('every command has --help with an example, and is listed in the top-level help', () => {
  const top = corepin(['--help']);
  assert.equal(top.status, ExitCode.OK);
  for (const name of MINE) {
    assert.match(top.stdout, new RegExp(`^  ${name}\\b`, 'm'), `${name} listed`);
    const r = corepin([name, '--help']);
    assert.equal(r.status, ExitCode.OK, `${name} --help: ${r.stderr}`);
    assert.match(r.stdout, new RegExp(`^Usage: corepin ${name} `, 'm'));
    assert.match(r.stdout, /\nExamples?:\n {2}\S/, `${name} has an example`);
  }
});

test('completion bash is a valid bash script that completes commands, options and policies', (t) => {
  const r = corepin(['completion', 'bash']);
  assert.equal(r.status, ExitCode.OK, r.stderr);
  const probe = (words: string[]): string[] => {
    const script = `${r.stdout}\nCOMP_WORDS=(${words.map((w) => `'${w}'`).join(' ')}); COMP_CWORD=${words.length - 1}; _corepin; printf '%s\\n' "\${COMPREPLY[@]}"`;
    const b = spawnSync('bash', ['-c', script], { encoding: 'utf8' });
    assert.equal(b.status, 0, b.stderr);
    return b.stdout.split('\n').filter(Boolean);
  };
  if (spawnSync('bash', ['--version']).status !== 0) return t.skip('bash is not installed');
  assert.ok(probe(['corepin', '']).includes('exec'));
  assert.deepEqual(probe(['corepin', 'ma']), ['map']);
  assert.ok(probe(['corepin', 'exec', '--']).includes('--keep-order'));
  assert.deepEqual(probe(['corepin', 'map', '--kind', '']), ['process', 'thread']);
  assert.ok(probe(['corepin', 'exec', '--policy', '']).includes('spread'));
  const bad = corepin(['completion', 'tcsh']);
  assert.equal(bad.status, ExitCode.USAGE);
});
