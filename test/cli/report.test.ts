import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { usableCpus } from '../../src/index.js';
import type { BindingReport } from '../../src/cli/report/BindingReport.js';
import { ExitCode } from '../../src/cli/errors.js';
import { machineLayout, bindingMap } from '../../src/cli/report/CpuLayout.js';
import { corepinAsync, oneLine } from '../support/cli.js';
import { stop } from '../support/children.js';
import { freePid } from '../support/freePid.js';

/** A pid in the kernel's range that no process has (999999999 is now a usage error: above pid_max). */
const GONE = freePid();

const TARGET = fileURLToPath(new URL('../../../test/fixtures/cli/watchTarget.mjs', import.meta.url));
const INDEX = fileURLToPath(new URL('../../src/index.js', import.meta.url));
const USABLE = usableCpus();
const LAST = USABLE.last!;

test('report PID: every thread in the table and the JSON, with its mpirun-style map', async () => {
  const child = spawn(process.execPath, [TARGET, INDEX, String(LAST)], { stdio: ['pipe', 'pipe', 'inherit'] });
  try {
    const first = await createInterface({ input: child.stdout! })[Symbol.asyncIterator]().next();
    const ids = JSON.parse(first.value as string) as { pid: number; main: number; pinned: number };
    const json = await corepinAsync(['report', String(ids.pid), '--json']);
    assert.equal(json.status, ExitCode.OK, json.stderr);
    const report = JSON.parse(json.stdout) as BindingReport;
    assert.equal(report.corepinReport, 1);
    assert.match(report.subject, new RegExp(`^pid ${ids.pid} `));
    assert.deepEqual(report.layout, machineLayout());
    const pinned = report.entries.find((e) => e.tid === ids.pinned);
    const main = report.entries.find((e) => e.tid === ids.main);
    assert.equal(pinned?.cpus, String(LAST));
    assert.equal(main?.cpus, USABLE.toList());

    const text = await corepinAsync(['report', String(ids.pid)]);
    assert.equal(text.status, ExitCode.OK, text.stderr);
    const pinnedMap = bindingMap(report.layout, { has: (c) => c === LAST });
    assert.ok(text.stdout.includes(`pid ${ids.pid} tid ${ids.pinned} (`), text.stdout);
    assert.match(text.stdout, new RegExp(`tid ${ids.pinned} \\([^)]*\\): +${pinnedMap.replace(/[[\]./]/g, '\\$&')}\\n`));
    assert.ok(/^\[[B./]+\](\[[B./]+\])*$/.test(pinnedMap), pinnedMap);
    assert.equal(pinnedMap.split('B').length - 1, 1, 'one B: one CPU');
  } finally {
    await stop(child);
  }
});

test('report FILE draws a saved report; bad files and pids give one line', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'corepin-report-'));
  const saved: BindingReport = {
    corepinReport: 1,
    subject: 'map task.mjs',
    usable: '0-3',
    layout: [[[0, 1], [2, 3]]],
    entries: [
      { slot: 0, pid: 10, tid: 10, name: 'node', cpus: '0', lastCpu: 0, migrations: 0, verified: true },
      { slot: 1, pid: 11, tid: 11, name: 'node', cpus: '2-3', lastCpu: 3, migrations: 4, verified: true },
    ],
  };
  const file = join(dir, 'run.json');
  writeFileSync(file, JSON.stringify(saved));
  const r = await corepinAsync(['report', file]);
  assert.equal(r.status, ExitCode.OK, r.stderr);
  assert.match(r.stdout, /slot 0 pid 10 \(node\): \[B\.\/\.\.\]/);
  assert.match(r.stdout, /slot 1 pid 11 \(node\): \[\.\.\/BB\]/);
  writeFileSync(join(dir, 'other.json'), '{"hello": 1}');
  for (const [args, code, msg] of [
    [['report', join(dir, 'none.json')], ExitCode.FAILURE, /cannot read report .*none\.json: no such file/],
    [['report', join(dir, 'other.json')], ExitCode.FAILURE, /not a corepin binding report/],
    [['report', String(GONE)], ExitCode.FAILURE, new RegExp(`No such process: pid ${GONE}`)],
    [['report', '0'], ExitCode.USAGE, /invalid PID argument: "0"/],
  ] as [string[], number, RegExp][]) {
    const x = await corepinAsync(args);
    assert.equal(x.status, code, `${args.join(' ')}: ${x.stderr}`);
    assert.ok(oneLine(x.stderr), x.stderr);
    assert.match(x.stderr, msg);
  }
});
