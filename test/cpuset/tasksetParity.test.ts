/**
 * Parity of corepin's grammar with util-linux taskset's own parsing (checked against taskset 2.38).
 *
 * Each row is run through real `taskset -p -c LIST PID` (list) or `taskset -p MASK PID` (mask) on a
 * sleeping child, and through `CpuSet.parse(text, 'list' | 'mask')`. Three outcomes are compared:
 *   - syntax: taskset says "failed to parse CPU list/mask"; corepin throws CpuSetSyntaxError;
 *   - einval: valid syntax, but no CPU of it is usable here (taskset: "Invalid argument"); for
 *     corepin: parsed, and the set has no CPU in common with the CPUs the kernel lets the child use;
 *   - ok: taskset's "new affinity" equals corepin's set ∩ the usable CPUs.
 *
 * Intended differences (rows with `taskset:` say what taskset does instead, and are checked too, so
 * a taskset that changes is noticed):
 *   - corepin accepts the kernel's `N-M:USED/GROUP` form (`0-31:1/4`, and `0-31:0/3`, which adds
 *     nothing), `all`, `none`, `N` (the last possible CPU) and spaces after commas (`0, 1`); taskset
 *     rejects them all. (A space *before* a comma, `0 ,1`, both accept: taskset ignores it as junk.)
 *   - taskset only checks the text after the *last* item, so `0abc,1`, `0:2,1`, `0-1-2,1`
 *     are accepted there with the junk ignored; corepin rejects them, naming the junk.
 *   - taskset reads numbers as 32-bit and wraps: `0-4294967296:2` is `0-0`, stride `4294967297` is 1.
 *     corepin refuses CPUs above 65535 and takes strides exactly (a stride past the range = its start).
 *   - CPUs above 65535 (`65536`), and masks wider than 65536 bits: taskset accepts the syntax and
 *     ignores CPUs beyond its mask size, so the kernel answers EINVAL; corepin refuses the text.
 *   - corepin ignores surrounding whitespace (`' 0'`, `'3 '`, file contents with a newline); taskset
 *     refuses it.
 *   - Masks: taskset skips any commas (`3,3` = 0x33, `3,` = 3) and accepts an empty mask (`''`,
 *     `0x`) as the empty set; corepin accepts only the kernel's grouping (8 digits after the first
 *     group) and needs at least one hex digit. taskset rejects `0X2`; corepin takes `0X` like `0x`.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { CpuSet } from '../../src/cpuset/CpuSet.js';
import { CpuSetSyntaxError } from '../../src/errors.js';
import { parseUserCpus } from '../../src/os/procfs.js';

type Outcome = { kind: 'syntax' } | { kind: 'einval' } | { kind: 'ok'; cpus: number[] };

interface Row {
  readonly text: string;
  readonly mode: 'list' | 'mask';
  /** What taskset does where corepin intentionally differs (see the header); absent when they agree. */
  readonly taskset?: Outcome | ((usable: readonly number[]) => Outcome);
}

const SYNTAX: Outcome = { kind: 'syntax' };
const EINVAL: Outcome = { kind: 'einval' };
/** taskset's answer is `cpus` limited to the CPUs the child may use. */
const OK = (cpus: number[]) => (usable: readonly number[]): Outcome => restrict(cpus, usable);

const ROWS: Row[] = [
  // Lists where both agree.
  { text: '0', mode: 'list' },
  { text: '1', mode: 'list' },
  { text: '0-1', mode: 'list' },
  { text: '0,1', mode: 'list' },
  { text: '1,0', mode: 'list' },
  { text: '0-1:1', mode: 'list' },
  { text: '0-3:2', mode: 'list' },
  { text: '1-31:2', mode: 'list' },
  { text: '0-7,1', mode: 'list' },
  { text: '007', mode: 'list' },
  { text: '100', mode: 'list' },
  { text: '0-1,100', mode: 'list' },
  { text: '65535', mode: 'list' },
  { text: 'abc', mode: 'list' },
  { text: '1-0', mode: 'list' },
  { text: '0-', mode: 'list' },
  { text: '-1', mode: 'list' },
  { text: '0-1:0', mode: 'list' },
  { text: '0,,1', mode: 'list' },
  { text: ',0', mode: 'list' },
  { text: '0,', mode: 'list' },
  { text: '', mode: 'list' },
  { text: '0:2', mode: 'list' },
  { text: '0-1:2:3', mode: 'list' },
  { text: '0--1', mode: 'list' },
  { text: '0x1', mode: 'list' },
  { text: '+1', mode: 'list' },
  // Lists where corepin differs on purpose.
  { text: '0-31:1/4', mode: 'list', taskset: SYNTAX },
  { text: '0-7:1/4', mode: 'list', taskset: SYNTAX },
  { text: '0abc,1', mode: 'list', taskset: OK([0, 1]) },
  { text: '0 ,1', mode: 'list' },
  { text: '0, 1', mode: 'list', taskset: SYNTAX },
  { text: '0-31:0/3', mode: 'list', taskset: SYNTAX },
  { text: '0-31:0/3,1', mode: 'list', taskset: SYNTAX },
  { text: 'all', mode: 'list', taskset: SYNTAX },
  { text: 'none', mode: 'list', taskset: SYNTAX },
  { text: 'N', mode: 'list', taskset: SYNTAX },
  { text: '0-N', mode: 'list', taskset: SYNTAX },
  { text: '0:2,1', mode: 'list', taskset: OK([0, 1]) },
  { text: '0-1-2,1', mode: 'list', taskset: OK([0, 1]) },
  { text: '0-4294967296:2', mode: 'list', taskset: OK([0]) },
  { text: '0-1:4294967297', mode: 'list', taskset: OK([0, 1]) },
  { text: '65536', mode: 'list', taskset: EINVAL },
  { text: ' 0', mode: 'list', taskset: SYNTAX },
  { text: '0 ', mode: 'list', taskset: SYNTAX },
  // Masks where both agree.
  { text: '1', mode: 'mask' },
  { text: '2', mode: 'mask' },
  { text: '3', mode: 'mask' },
  { text: '0x3', mode: 'mask' },
  { text: 'ff', mode: 'mask' },
  { text: 'FF', mode: 'mask' },
  { text: '00000000,00000003', mode: 'mask' },
  { text: '0xffffffff,00000001', mode: 'mask' },
  { text: '1,00000000', mode: 'mask' },
  { text: '0x0', mode: 'mask' },
  { text: '0', mode: 'mask' },
  { text: 'g', mode: 'mask' },
  { text: '-1', mode: 'mask' },
  { text: 'x3', mode: 'mask' },
  { text: '1 0', mode: 'mask' },
  { text: '3,,3', mode: 'mask' },
  // Masks where corepin differs on purpose.
  { text: '0X2', mode: 'mask', taskset: SYNTAX },
  { text: '', mode: 'mask', taskset: EINVAL },
  { text: '0x', mode: 'mask', taskset: EINVAL },
  { text: '3,', mode: 'mask', taskset: OK([0, 1]) },
  { text: '3,3', mode: 'mask', taskset: OK([0, 1, 4, 5]) },
  { text: ' 3', mode: 'mask', taskset: SYNTAX },
  { text: `1${'0'.repeat(16384)}`, mode: 'mask', taskset: EINVAL },
];

function restrict(cpus: readonly number[], usable: readonly number[]): Outcome {
  const kept = cpus.filter((c) => usable.includes(c));
  return kept.length === 0 ? EINVAL : { kind: 'ok', cpus: kept };
}

/** Reads taskset's and the kernel's list output (`0,2-3`) without corepin's parser. */
function decodeList(text: string): number[] {
  const out: number[] = [];
  for (const item of text.split(',')) {
    const [a, b = a] = item.split('-').map(Number) as [number, number?];
    for (let c = a; c <= b; c++) out.push(c);
  }
  return out;
}

/** Reads taskset's mask output (`3`, `ff`) without corepin's parser. */
function decodeMask(text: string): number[] {
  const out: number[] = [];
  for (let i = 0, v = BigInt(`0x${text.replaceAll(',', '')}`); v !== 0n; i++, v >>= 1n) if (v & 1n) out.push(i);
  return out;
}

function runTaskset(row: Row, pid: number): Outcome {
  const args = row.mode === 'list' ? ['-p', '-c', '--', row.text, String(pid)] : ['-p', '--', row.text, String(pid)];
  const r = spawnSync('taskset', args, { encoding: 'utf8' });
  if (/failed to parse CPU (list|mask)/.test(r.stderr)) return SYNTAX;
  if (/Invalid argument/.test(r.stderr)) return EINVAL;
  const m = /new affinity (list|mask): (\S+)/.exec(r.stdout);
  if (r.status !== 0 || !m) throw new Error(`unexpected taskset answer for ${JSON.stringify(row.text)}: ${r.status} ${r.stdout} ${r.stderr}`);
  return { kind: 'ok', cpus: m[1] === 'list' ? decodeList(m[2]!) : decodeMask(m[2]!) };
}

function runCorepin(row: Row, usable: readonly number[]): Outcome {
  try {
    // As the CLI reads it (`N` and `all`: up to the last possible CPU).
    return restrict(parseUserCpus(row.text, row.mode).toArray(), usable);
  } catch (e) {
    if (e instanceof CpuSetSyntaxError) return SYNTAX;
    throw e;
  }
}

const tasksetVersion = spawnSync('taskset', ['--version'], { encoding: 'utf8' });
const skipReason =
  process.platform !== 'linux'
    ? `taskset parity needs Linux, this is ${process.platform}`
    : tasksetVersion.error || tasksetVersion.status !== 0
      ? 'util-linux taskset is not installed (apt-get install util-linux)'
      : undefined;

test('CpuSet parses lists and masks as util-linux taskset does, except the documented differences', (t) => {
  if (skipReason !== undefined) {
    t.skip(skipReason);
    return;
  }
  t.diagnostic(tasksetVersion.stdout.trim());
  const child = spawn('sleep', ['600'], { stdio: 'ignore' });
  t.after(() => child.kill());
  const pid = child.pid!;
  // The CPUs the kernel lets the child use (its cpuset ∩ online): taskset ignores CPUs past its own
  // mask size, and the kernel drops the unusable ones, so asking for "all" answers with exactly those.
  const all = runTaskset({ text: '0-4095', mode: 'list' }, pid);
  assert.equal(all.kind, 'ok');
  const usable = all.kind === 'ok' ? all.cpus : [];
  t.diagnostic(`usable CPUs: ${usable.join(',')}`);

  const mismatches: string[] = [];
  let differences = 0;
  for (const row of ROWS) {
    const actual = runTaskset(row, pid);
    const mine = runCorepin(row, usable);
    const expectedTaskset = row.taskset === undefined ? mine : typeof row.taskset === 'function' ? row.taskset(usable) : row.taskset;
    const label = `${row.mode} ${JSON.stringify(row.text.length > 30 ? `${row.text.slice(0, 30)}…` : row.text)}`;
    if (JSON.stringify(actual) !== JSON.stringify(expectedTaskset)) {
      mismatches.push(`${label}: taskset ${JSON.stringify(actual)}, expected ${JSON.stringify(expectedTaskset)} (corepin ${JSON.stringify(mine)})`);
    }
    if (row.taskset !== undefined) {
      differences++;
      // A documented difference must really be one, or the row belongs with the agreeing ones
      // (the rows are written for a machine where CPUs 0 and 1 are usable).
      const tableMachine = usable.includes(0) && usable.includes(1);
      if (tableMachine && JSON.stringify(actual) === JSON.stringify(mine)) mismatches.push(`${label}: listed as a difference, but both say ${JSON.stringify(mine)}`);
    }
  }
  assert.deepEqual(mismatches, []);
  t.diagnostic(`${ROWS.length} rows, ${ROWS.length - differences} agree, ${differences} documented differences`);
});
