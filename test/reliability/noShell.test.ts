import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { corepin } from '../support/cli.js';

/** Arguments that a shell would turn into commands, each creating a marker file in `dir`. */
function hostile(dir: string): string[] {
  return [
    `$(touch ${dir}/dollar)`,
    `\`touch ${dir}/backtick\``,
    `; touch ${dir}/semicolon`,
    `| touch ${dir}/pipe`,
    `&& touch ${dir}/and`,
    `> ${dir}/redirect`,
    `$HOME`,
    `${dir}/*`,
    `'quoted' "double"`,
  ];
}

function withMarkers(fn: (dir: string) => void): void {
  const dir = mkdtempSync(join(tmpdir(), 'corepin-noshell-'));
  try {
    fn(dir);
    assert.deepEqual(readdirSync(dir), [], 'no marker file was created: nothing went through a shell');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

test('the launcher (corepin -c LIST -- CMD ARGS) passes shell syntax through literally and runs no shell', () => {
  withMarkers((dir) => {
    const args = hostile(dir);
    const r = corepin(['-c', '0', '--', 'echo', ...args]);
    assert.equal(r.status, 0, r.stderr);
    assert.equal(r.stdout, `${args.join(' ')}\n`, 'echo received every argument unchanged');
  });
});

test('a command name made of shell syntax is looked up as a file, not run by a shell', () => {
  withMarkers((dir) => {
    const r = corepin(['-c', '0', `true; touch ${dir}/name`]);
    assert.equal(r.status, 127, r.stderr);
    assert.match(r.stderr, /^corepin: failed to execute true; touch .*: No such file or directory\n$/);
  });
});

test('exec without --shell substitutes input lines as single arguments, never as shell text', () => {
  withMarkers((dir) => {
    const lines = hostile(dir);
    const r = corepin(['exec', '-j', '1', '-k', '--progress', 'none', '--', 'echo', '[{}]'], `${lines.join('\n')}\n`);
    assert.equal(r.status, 0, r.stderr);
    assert.equal(r.stdout, lines.map((l) => `[${l}]\n`).join(''));
  });
});

test('exec --shell passes each input line as "$1", never as script text, so a line cannot inject shell syntax', () => {
  withMarkers((dir) => {
    const lines = hostile(dir);
    const r = corepin(['exec', '-j', '1', '-k', '--progress', 'none', '--shell', '--', 'echo {}'], `${lines.join('\n')}\n`);
    assert.equal(r.status, 0, r.stderr);
    assert.equal(r.stdout, lines.map((l) => `${l}\n`).join(''));
  });
});
