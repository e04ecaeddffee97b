import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { ExitCode } from '../../src/cli/errors.js';
import { corepin } from '../support/cli.js';

const version = (JSON.parse(readFileSync(new URL('../../../package.json', import.meta.url), 'utf8')) as { version: string }).version;

/** Every command the top-level help lists (so commands added later are covered too). */
function listedCommands(): string[] {
  const help = corepin(['--help']).stdout;
  const section = help.split('\nCommands:\n')[1]!.split('\n\n')[0]!;
  return section.split('\n').map((l) => /^ {2}(\S+) {2,}/.exec(l)?.[1]).filter((n): n is string => n !== undefined);
}

test('corepin --version and -V print the package version', () => {
  for (const flag of ['--version', '-V']) {
    const r = corepin([flag]);
    assert.equal(r.status, ExitCode.OK);
    assert.equal(r.stdout, `corepin ${version}\n`);
    assert.equal(r.stderr, '');
  }
});

test('corepin --help and every listed command --help exit 0 with a usage line', () => {
  const commands = listedCommands();
  assert.ok(commands.length >= 9, `listed: ${commands.join(', ')}`);
  for (const name of commands) {
    const r = corepin([name, '--help']);
    assert.equal(r.status, ExitCode.OK, `${name} --help: ${r.stderr}`);
    assert.match(r.stdout, new RegExp(`^Usage: corepin ${name}\\b`, 'm'));
  }
});

test('completion bash completes every listed command', () => {
  const script = corepin(['completion', 'bash']).stdout;
  const b = spawnSync('bash', ['-c', `${script}\nCOMP_WORDS=(corepin ''); COMP_CWORD=1; _corepin; printf '%s\\n' "\${COMPREPLY[@]}"`], { encoding: 'utf8' });
  assert.equal(b.status, 0, b.stderr);
  for (const name of listedCommands()) assert.ok(b.stdout.split('\n').includes(name), `bash does not complete ${name}`);
});

const zsh = spawnSync('zsh', ['--version']).status === 0;

test('completion zsh is valid zsh that offers every command, its options and their values', { skip: zsh ? false : 'zsh is not installed (.ci/run installs it)' }, () => {
  const r = corepin(['completion', 'zsh']);
  assert.equal(r.status, ExitCode.OK, r.stderr);
  assert.match(r.stdout, /^#compdef corepin\n/);
  const syntax = spawnSync('zsh', ['-n'], { input: r.stdout, encoding: 'utf8' });
  assert.equal(syntax.status, 0, syntax.stderr);
  // zsh's completion helpers replaced by stubs that print what they were given: what the real
  // _describe and _arguments would offer for the words typed so far.
  const offer = (words: string[]): string[] => {
    const stubs = `compdef() { :; }\n_describe() { print -rl -- "\${(@P)\${@[-1]}}"; }\n_arguments() { shift; print -rl -- "$@"; }\n_files() { print FILES; }`;
    const run = `${stubs}\n${r.stdout}\nwords=(${words.map((w) => `'${w}'`).join(' ')}); CURRENT=${words.length}; _corepin`;
    const z = spawnSync('zsh', ['-f', '-c', run], { encoding: 'utf8' });
    assert.equal(z.status, 0, z.stderr);
    return z.stdout.split('\n').filter(Boolean);
  };
  const first = offer(['corepin', '']).map((l) => l.split(':')[0]);
  for (const name of listedCommands()) assert.ok(first.includes(name), `zsh does not offer ${name}`);
  assert.ok(offer(['corepin', '-']).some((l) => l.startsWith('--cpu-list:')));
  const map = offer(['corepin', 'map', '--kind', '']);
  assert.ok(map.includes('--kind[worker kind]:kind:(process thread)'), map.join('\n'));
  assert.ok(offer(['corepin', 'exec', '--policy', '']).some((s) => s.startsWith('--policy[') && s.includes('spread')));
  assert.ok(offer(['corepin', 'threads', '']).includes('*:pid:_pids'));
  assert.ok(offer(['corepin', 'completion', '']).includes('1:shell:(bash zsh)'));
  const bad = corepin(['completion', 'fish']);
  assert.equal(bad.status, ExitCode.USAGE);
  assert.match(bad.stderr, /^corepin: no completion for "fish"; corepin completes bash and zsh\n$/);
});
