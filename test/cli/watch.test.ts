import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface, type Interface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { usableCpus } from '../../src/index.js';
import type { WatchRecord } from '../../src/cli/watch/watchRecord.js';
import { ExitCode } from '../../src/cli/errors.js';
import { CLI, corepinAsync, oneLine } from '../support/cli.js';
import { stop } from '../support/children.js';
import { freePid } from '../support/freePid.js';

/** A pid in the kernel's range that no process has (999999999 is now a usage error: above pid_max). */
const GONE = freePid();

const TARGET = fileURLToPath(new URL('../../../test/fixtures/cli/watchTarget.mjs', import.meta.url));
const INDEX = fileURLToPath(new URL('../../src/index.js', import.meta.url));
const USABLE = usableCpus();
const LAST = String(USABLE.last);

interface Target {
  child: ChildProcess;
  lines: AsyncIterator<string>;
  ids: { pid: number; main: number; pinned: number };
}

async function startTarget(): Promise<Target> {
  const child = spawn(process.execPath, [TARGET, INDEX, LAST], { stdio: ['pipe', 'pipe', 'inherit'] });
  const lines = createInterface({ input: child.stdout! })[Symbol.asyncIterator]();
  const first = await lines.next();
  return { child, lines, ids: JSON.parse(first.value as string) as Target['ids'] };
}

test('watch --once --json sees the pinned worker thread and the unpinned main thread', async () => {
  const t = await startTarget();
  try {
    const r = await corepinAsync(['watch', String(t.ids.pid), '--once', '--json', '--interval', '0.3']);
    assert.equal(r.status, ExitCode.OK, r.stderr);
    const rec = JSON.parse(r.stdout) as WatchRecord;
    assert.equal(rec.pid, t.ids.pid);
    assert.equal(rec.usable, USABLE.toList());
    const pinned = rec.threads.find((x) => x.tid === t.ids.pinned);
    const main = rec.threads.find((x) => x.tid === t.ids.main);
    assert.ok(pinned && main, 'both threads listed');
    assert.equal(pinned.cpus, LAST);
    assert.equal(pinned.pinned, USABLE.size > 1, 'a thread on one CPU of several is pinned');
    assert.equal(pinned.cpu, Number(LAST), 'a pinned thread is on its CPU');
    assert.equal(main.cpus, USABLE.toList());
    assert.equal(main.pinned, false);
    for (const th of [pinned, main]) {
      assert.equal(typeof th.name, 'string');
      assert.ok(th.cpuPercent !== null && th.cpuPercent >= 0, 'CPU % measured over the interval');
      assert.ok(th.migrations === null || th.migrations >= 0);
    }
  } finally {
    await stop(t.child);
  }
});

test('watch follows threads that start and exit, and ends cleanly when the process exits', async () => {
  const t = await startTarget();
  const watcher = spawn(process.execPath, [CLI, 'watch', String(t.ids.pid), '--json', '--interval', '0.2'], { stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  watcher.stderr!.setEncoding('utf8').on('data', (d: string) => (stderr += d));
  const records: Interface = createInterface({ input: watcher.stdout! });
  const it = records[Symbol.asyncIterator]();
  const until = async (pred: (r: WatchRecord) => boolean): Promise<WatchRecord> => {
    for (;;) {
      const n = await it.next();
      assert.ok(!n.done, `watch ended early: ${stderr}`);
      const rec = JSON.parse(n.value as string) as WatchRecord;
      if (pred(rec)) return rec;
    }
  };
  try {
    await until(() => true);
    t.child.stdin!.write('start\n');
    const started = JSON.parse((await t.lines.next()).value as string) as { started: number };
    const seen = await until((r) => r.threads.some((x) => x.tid === started.started));
    assert.equal(seen.threads.find((x) => x.tid === started.started)!.cpus, USABLE.toList());
    t.child.stdin!.write('stop\n');
    await t.lines.next();
    const after = await until((r) => !r.threads.some((x) => x.tid === started.started));
    assert.ok(after.exited >= 1, 'the exited thread is counted');
    t.child.stdin!.end();
    const code = await new Promise<number | null>((resolve) => watcher.once('close', (c) => resolve(c)));
    assert.equal(code, ExitCode.OK);
    assert.match(stderr, new RegExp(`pid ${t.ids.pid} exited`));
  } finally {
    watcher.kill();
    await stop(t.child);
  }
});

test('watch: bad pid and missing process give one line and their exit code', async () => {
  const bad = await corepinAsync(['watch', 'abc']);
  assert.equal(bad.status, ExitCode.USAGE);
  assert.ok(oneLine(bad.stderr), bad.stderr);
  const gone = await corepinAsync(['watch', String(GONE), '--once']);
  assert.equal(gone.status, ExitCode.FAILURE);
  assert.ok(oneLine(gone.stderr), gone.stderr);
  assert.match(gone.stderr, new RegExp(`No such process: pid ${GONE}`));
  const interval = await corepinAsync(['watch', '1', '--interval', '0']);
  assert.equal(interval.status, ExitCode.USAGE);
  assert.ok(oneLine(interval.stderr), interval.stderr);
});
