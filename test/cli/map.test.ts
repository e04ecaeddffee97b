import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { BindingReport } from '../../src/cli/report/BindingReport.js';
import { ExitCode } from '../../src/cli/errors.js';
import { planSlots } from '../../src/cli/SlotPlan.js';
import { corepin, oneLine } from '../support/cli.js';

const TASK = fileURLToPath(new URL('../../../test/fixtures/cli/mapTask.mjs', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'corepin-map-'));
const file = (name: string, text: string): string => {
  const p = join(dir, name);
  writeFileSync(p, text);
  return p;
};
const jsonLines = (s: string): unknown[] => s.trim().split('\n').map((l) => JSON.parse(l) as unknown);

test('map over a JSONL file writes results in input order and a correct binding report', () => {
  const input = file('nums.jsonl', `${Array.from({ length: 40 }, (_, i) => i).join('\n')}\n`);
  const reportFile = join(dir, 'report.json');
  const r = corepin(['map', TASK, '-j', '2', '-i', input, '--report', reportFile]);
  assert.equal(r.status, ExitCode.OK, r.stderr);
  assert.deepEqual(jsonLines(r.stdout), Array.from({ length: 40 }, (_, i) => i * i));
  assert.match(r.stderr, /40 inputs in .* on 2 process workers: 40 ok, 0 failed/);

  const where = corepin(['map', TASK, '--fn', 'where', '-j', '2', '-i', input, '--report', reportFile]);
  assert.equal(where.status, ExitCode.OK, where.stderr);
  const report = JSON.parse(readFileSync(reportFile, 'utf8')) as BindingReport;
  const expected = planSlots({ jobs: 2 }).slots.map((s) => s!.toList());
  assert.equal(report.entries.length, 2);
  assert.deepEqual(report.entries.map((e) => e.slot), [0, 1]);
  assert.deepEqual(report.entries.map((e) => e.cpus), expected, "each slot's CPUs are the placement's");
  for (const e of report.entries) assert.equal(e.verified, true, `slot ${e.slot} read back from /proc inside its CPUs`);
  const results = jsonLines(where.stdout) as { n: number; pid: number; cpus: string }[];
  assert.deepEqual(results.map((x) => x.n), Array.from({ length: 40 }, (_, i) => i));
  const cpusOfPid = new Map(report.entries.map((e) => [e.pid, e.cpus]));
  for (const x of results) {
    assert.ok(cpusOfPid.has(x.pid), `task ${x.n} ran in pid ${x.pid}, a worker of the report`);
    assert.equal(x.cpus, cpusOfPid.get(x.pid), `task ${x.n} ran on its worker's slot CPUs`);
  }
});

test('map --report without a file draws the table and the core map on stderr', () => {
  const r = corepin(['map', TASK, '--fn', 'where', '-j', '2', '--report'], '1\n2\n');
  assert.equal(r.status, ExitCode.OK, r.stderr);
  assert.match(r.stderr, /Binding report: map .* \(process workers, spread\)/);
  assert.match(r.stderr, /SLOT +PID +TID +NAME +CPUS/);
  assert.match(r.stderr, /slot 0 pid \d+ \(.*\): \[[B./]+\]/);
});

test('map --kind thread, --unordered and --chunksize give every result', () => {
  const input = `${Array.from({ length: 30 }, (_, i) => i).join('\n')}\n`;
  const squares = Array.from({ length: 30 }, (_, i) => i * i);
  const thread = corepin(['map', TASK, '--kind', 'thread', '--chunksize', '4', '-j', '2'], input);
  assert.equal(thread.status, ExitCode.OK, thread.stderr);
  assert.deepEqual(jsonLines(thread.stdout), squares);
  const unordered = corepin(['map', TASK, '--unordered', '-j', '2'], input);
  assert.equal(unordered.status, ExitCode.OK, unordered.stderr);
  assert.deepEqual((jsonLines(unordered.stdout) as number[]).sort((a, b) => a - b), squares);
});

test('map --keep-going writes error records with line numbers and exits 3; without it the run stops at the line', () => {
  const input = file('picky.jsonl', '1\n2\n3\n\n4\n{oops\n6\n7\n');
  const keep = corepin(['map', TASK, '--fn', 'picky', '--keep-going', '-i', input]);
  assert.equal(keep.status, ExitCode.PARTIAL, keep.stderr);
  const out = jsonLines(keep.stdout) as unknown[];
  assert.deepEqual(out.slice(0, 2), [1, 2]);
  assert.deepEqual(out[2], { line: 3, error: { name: 'RangeError', message: 'no multiples of 3 (3)' } });
  assert.equal(out[3], 4);
  assert.equal((out[4] as { line: number }).line, 6, 'malformed line, counted as in an editor (blank lines too)');
  assert.equal((out[4] as { error: { code: string } }).error.code, 'ERR_INPUT_LINE');
  assert.deepEqual(out[5], { line: 7, error: { name: 'RangeError', message: 'no multiples of 3 (6)' } });
  assert.equal(out[6], 7);
  assert.match(keep.stderr, /7 inputs in /);
  assert.match(keep.stderr, /4 ok, 2 failed, 1 malformed/);

  // No progress lines: under load the pool can take over 2 s to start, and a progress line is not the error line.
  const stop = corepin(['map', TASK, '--fn', 'picky', '-i', input, '--progress', 'none']);
  assert.equal(stop.status, ExitCode.FAILURE);
  assert.deepEqual(jsonLines(stop.stdout), [1, 2], 'results before the failure are written');
  assert.ok(oneLine(stop.stderr), stop.stderr);
  assert.match(stop.stderr, /the task for input line 3 failed: RangeError: no multiples of 3 \(3\)/);
});

test('map: bad inputs each give one line on stderr and their exit code', () => {
  const good = file('good.jsonl', '1\n2\n');
  const malformed = file('malformed.jsonl', '1\n2\n[1, 2\n4\n');
  const cases: [string[], number, RegExp][] = [
    [['map', join(dir, 'missing.mjs'), '-i', good], ExitCode.FAILURE, /task module ".*missing\.mjs" was not found/],
    [['map', TASK, '--fn', 'nope', '-i', good], ExitCode.FAILURE, /has no function export "nope"; its function exports are "default", "picky", "where"/],
    [['map', TASK, '--fn', 'notAFunction', '-i', good], ExitCode.FAILURE, /has no function export "notAFunction"/],
    [['map', TASK, '-i', malformed], ExitCode.FAILURE, /malformed\.jsonl line 3 is not valid JSON/],
    [['map', TASK, '--cpus', '1-0', '-i', good], ExitCode.FAILURE, /bad location "1-0"/],
    [['map', TASK, '--policy', 'fastest', '-i', good], ExitCode.USAGE, /unknown placement policy "fastest"/],
    [['map', TASK, '--kind', 'fiber', '-i', good], ExitCode.USAGE, /--kind.*'fiber' is invalid/],
    [['map', TASK, '-i', join(dir, 'nope.jsonl')], ExitCode.FAILURE, /cannot open .*nope\.jsonl: no such file/],
    [['map'], ExitCode.USAGE, /missing required argument 'module'/],
  ];
  for (const [args, code, message] of cases) {
    const r = corepin(args);
    assert.equal(r.status, code, `${args.join(' ')}: ${r.stderr}`);
    assert.ok(oneLine(r.stderr), `one line for ${args.join(' ')}: ${JSON.stringify(r.stderr)}`);
    assert.match(r.stderr, message);
  }
});
