import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { planSlots } from '../../src/cli/SlotPlan.js';
import { ExitCode } from '../../src/cli/errors.js';
import type { BindingReport } from '../../src/cli/report/BindingReport.js';
import { corepin, oneLine } from '../support/cli.js';

const JOB = fileURLToPath(new URL('../../../test/fixtures/cli/jobCpus.mjs', import.meta.url));

test('exec runs 50 jobs with -j 2; every thread of each job is inside its slot\'s CPUs', () => {
  const dir = mkdtempSync(join(tmpdir(), 'corepin-exec-'));
  const reportFile = join(dir, 'report.json');
  const inputs = Array.from({ length: 50 }, (_, i) => `item-${i}`);
  const r = corepin(['exec', '-j', '2', '--report', reportFile, '--', process.execPath, JOB, '{}'], `${inputs.join('\n')}\n`);
  assert.equal(r.status, ExitCode.OK, r.stderr);
  const expected = planSlots({ jobs: 2 }).slots.map((s) => s!.toList());
  const lines = r.stdout.trim().split('\n').map((l) => JSON.parse(l) as { input: string; slot: number; threads: number; cpus: string[] });
  assert.deepEqual(lines.map((l) => l.input).sort(), [...inputs].sort(), 'each input ran exactly once');
  const slotsUsed = new Set<number>();
  for (const l of lines) {
    assert.ok(l.slot === 0 || l.slot === 1, `slot ${l.slot}`);
    slotsUsed.add(l.slot);
    assert.ok(l.threads > 1, 'node has several threads; all are checked');
    assert.deepEqual(l.cpus, [expected[l.slot]], `job ${l.input} in slot ${l.slot}: every thread on ${expected[l.slot]}`);
  }
  assert.deepEqual([...slotsUsed].sort(), [0, 1], 'both slots ran jobs');
  assert.match(r.stderr, /50 jobs in .*: 50 ok, 0 failed/);
  const report = JSON.parse(readFileSync(reportFile, 'utf8')) as BindingReport;
  assert.deepEqual(report.entries.map((e) => e.cpus), expected);
  assert.equal(report.entries.reduce((n, e) => n + (e.tasks ?? 0), 0), 50);
  // Each job (a node process, alive for tens of ms) is read back from /proc by corepin itself.
  for (const e of report.entries) assert.equal(e.verified, true, `slot ${e.slot}: every job read back from /proc on exactly its CPUs`);
});

test('exec --cpus narrows the CPUs, {} stays one argv element, -k keeps input order', () => {
  const last = String(planSlots({}).usable.last);
  const r = corepin(['exec', '-j', '3', '-k', '--cpus', last, '--', 'sh', '-c', 'printf "%s|%s\\n" "$1" "$COREPIN_CPUS"', 'sh', '{}'], 'a b\n"q" ; x\n\nlast\n');
  assert.equal(r.status, ExitCode.OK, r.stderr);
  assert.equal(r.stdout, `a b|${last}\n"q" ; x|${last}\nlast|${last}\n`, 'empty line skipped, spaces and quotes are data');
});

test('exec --shell passes the input as "$1" of the one /bin/sh -c script', () => {
  const r = corepin(['exec', '--shell', '-k', '--', 'echo [{}] | tr a-z A-Z'], "it's; echo pwned\n");
  assert.equal(r.status, ExitCode.OK, r.stderr);
  assert.equal(r.stdout, "[IT'S; ECHO PWNED]\n");
});

test('exec: failing jobs give exit 3 and a summary naming them; output of each job stays together', () => {
  const r = corepin(['exec', '-j', '2', '-k', '--', 'sh', '-c', 'echo start $1; echo mid $1; echo end $1; [ "$1" != 2 ]', 'sh', '{}'], '1\n2\n3\n');
  assert.equal(r.status, ExitCode.PARTIAL);
  assert.equal(r.stdout, ['1', '2', '3'].map((n) => `start ${n}\nmid ${n}\nend ${n}\n`).join(''));
  assert.match(r.stderr, /3 jobs in .*: 2 ok, 1 failed/);
  assert.match(r.stderr, /job 2 \(slot \d\) "2": exit 1/);
});

test('exec: bad inputs give one line and their exit code', () => {
  const cases: [string[], number, RegExp][] = [
    [['exec', '--', 'no-such-command-corepin', '{}'], ExitCode.NOT_FOUND, /failed to execute no-such-command-corepin: No such file/],
    [['exec', '--policy', 'fastest', '--', 'true'], ExitCode.USAGE, /unknown placement policy "fastest"; choose one of .*spread/],
    [['exec', '--cpus', '0-x', '--', 'true'], ExitCode.FAILURE, /bad location "0-x"/],
    [['exec', '--cpus', '4000', '--', 'true'], ExitCode.FAILURE, /cannot pin --cpus 4000: CPU 4000 is beyond this machine/],
    [['exec', '--cpus', 'core:999', '--', 'true'], ExitCode.FAILURE, /bad location "core:999": is out of range: there are \d+ usable cores/],
    [['exec', '-j', 'two', '--', 'true'], ExitCode.USAGE, /--jobs.*'two' is invalid/],
    [['exec', '-a', '/no/such/file', '--', 'true'], ExitCode.FAILURE, /cannot open \/no\/such\/file: no such file/],
  ];
  for (const [args, code, message] of cases) {
    const r = corepin(args, 'x\n');
    assert.equal(r.status, code, `${args.join(' ')}: ${r.stderr}`);
    assert.ok(oneLine(r.stderr), `one line for ${args.join(' ')}: ${JSON.stringify(r.stderr)}`);
    assert.match(r.stderr, message);
  }
});
