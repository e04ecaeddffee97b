import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ExitCode } from '../../src/cli/errors.js';
import { corepin, oneLine } from '../support/cli.js';

/**
 * Input lines an attacker (or bad luck) puts in front of `corepin exec`: shell syntax, the
 * replacement patterns of String.replace, printf directives, option-like and glob-like words and
 * control bytes. Each that could run something creates a marker file in `dir` when it does.
 */
function hostileLines(dir: string): string[] {
  return [
    '$(id -u)',
    'a; echo INJECTED',
    `$(touch ${dir}/dollar)`,
    `\`touch ${dir}/backtick\``,
    `'; touch ${dir}/squote; '`,
    `"; touch ${dir}/dquote; "`,
    `x' "$(touch ${dir}/mixed)" '`,
    `a\\'; touch ${dir}/escaped #`,
    `| touch ${dir}/pipe`,
    `&& touch ${dir}/and`,
    `> ${dir}/redirect`,
    'price$&',
    '$$',
    '$`',
    "$'",
    '$1 ${1} $@ $0',
    'a{}b',
    '{}',
    '-n',
    '--help',
    '-',
    '*',
    `${dir}/*`,
    '?[a-z]*',
    '~',
    '#not a comment',
    '%s %d %% \\n',
    'back\\slash \\\\ \\"',
    '\ttab\there\t',
    '  spaces  ',
    '\x01\x1b[31mred\x1b[0m\x7f',
    'é ü 中文 🙂 \u202Eevil',
    "'",
    '"',
    '\\',
    '!',
  ];
}

/** One template of the table: how the user writes `{}`, and what printf must print for a line. */
interface Row {
  readonly name: string;
  readonly shell: boolean;
  readonly template: string[];
  readonly expect: (line: string) => string;
}

const PRINTF = "'[%s]\\n'";
const ROWS: Row[] = [
  { name: 'argv, {} alone', shell: false, template: ['printf', '[%s]\\n', '{}'], expect: (l) => `[${l}]` },
  { name: 'argv, "{}" (the quotes are data)', shell: false, template: ['printf', '[%s]\\n', '"{}"'], expect: (l) => `["${l}"]` },
  { name: "argv, '{}' (the quotes are data)", shell: false, template: ['printf', '[%s]\\n', "'{}'"], expect: (l) => `['${l}']` },
  { name: 'argv, file={}', shell: false, template: ['printf', '[%s]\\n', 'file={}'], expect: (l) => `[file=${l}]` },
  { name: 'argv, no {} (appended)', shell: false, template: ['printf', '[%s]\\n'], expect: (l) => `[${l}]` },
  { name: 'shell, {} unquoted', shell: true, template: [`printf ${PRINTF} {}`], expect: (l) => `[${l}]` },
  { name: 'shell, "{}"', shell: true, template: [`printf ${PRINTF} "{}"`], expect: (l) => `[${l}]` },
  { name: "shell, '{}'", shell: true, template: [`printf ${PRINTF} '{}'`], expect: (l) => `[${l}]` },
  { name: 'shell, "file={}0" and file={}', shell: true, template: [`printf ${PRINTF} "file={}0" file={}`], expect: (l) => `[file=${l}0]\n[file=${l}]` },
  { name: 'shell, "$1" written by the user', shell: true, template: [`printf ${PRINTF} "$1"`], expect: (l) => `[${l}]` },
  { name: 'shell, words joined', shell: true, template: ['printf', PRINTF, '{}'], expect: (l) => `[${l}]` },
];

for (const row of ROWS) {
  test(`safe exec lines: ${row.name}: every hostile line arrives byte for byte and nothing else runs`, () => {
    const dir = mkdtempSync(join(tmpdir(), `corepin-safe-exec-${process.pid}-`));
    try {
      const lines = hostileLines(dir);
      const args = ['exec', '-j', '2', '-k', '--progress', 'none', ...(row.shell ? ['--shell'] : []), '--', ...row.template];
      const r = corepin(args, `${lines.join('\n')}\n`);
      assert.equal(r.status, ExitCode.OK, r.stderr);
      const got = r.stdout.split('\n');
      const want = lines.map((l) => `${row.expect(l)}\n`).join('').split('\n');
      // Line by line first, so a failure names the hostile line that went wrong.
      for (let i = 0; i < Math.max(got.length, want.length); i++) assert.equal(got[i], want[i], `output line ${i}`);
      assert.doesNotMatch(r.stdout, /^(INJECTED|\d+)$/m, 'no injected command printed');
      assert.deepEqual(readdirSync(dir), [], 'no marker file: no line ran as shell code');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
}

test('safe exec lines: --shell templates whose {} cannot be proven safe are refused with one line saying to write "$1"', () => {
  const refused = [
    'echo $(basename {})',
    'echo `basename {}`',
    'echo ${X:-{}}',
    'echo $((1 + {}))',
    "echo $'{}'",
    'echo \\{}',
    'echo "{}',
    "echo '{}",
    'cat <<EOF\n{}\nEOF',
  ];
  for (const script of refused) {
    const r = corepin(['exec', '--progress', 'none', '--shell', '--', script], 'x\n');
    assert.equal(r.status, ExitCode.USAGE, `${JSON.stringify(script)}: ${r.stderr}`);
    assert.ok(oneLine(r.stderr), `one line for ${JSON.stringify(script)}: ${JSON.stringify(r.stderr)}`);
    assert.match(r.stderr, /write "\$1"/, script);
    assert.equal(r.stdout, '', 'nothing ran');
  }
});

test('safe exec lines: a --shell script without {} gets the line as "$1" and nothing is appended to the script', () => {
  const r = corepin(['exec', '-k', '--progress', 'none', '--shell', '--', 'echo start; printf "[%s]\\n" "$1"'], 'a; echo INJECTED\n');
  assert.equal(r.status, ExitCode.OK, r.stderr);
  assert.equal(r.stdout, 'start\n[a; echo INJECTED]\n');
});

test('safe exec lines: a line holding a NUL byte fails as its own job with the reason; the other lines run', () => {
  const r = corepin(['exec', '-k', '--progress', 'none', '--', 'printf', '[%s]\\n', '{}'], 'a\n$&\0b\nc\n');
  assert.equal(r.status, ExitCode.PARTIAL, r.stderr);
  assert.equal(r.stdout, '[a]\n[c]\n');
  assert.match(r.stderr, /job 2 \(slot \d+\) "\$&\\u0000b": could not start \(the line holds a NUL byte, which no argument can carry\)/);
});
