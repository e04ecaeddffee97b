import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync, type SpawnSyncReturns } from 'node:child_process';
import { once } from 'node:events';
import { chmodSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { usableCpus } from '../../src/index.js';
import { resolveLocation } from '../../src/topology/resolveLocation.js';
import { readTopology } from '../../src/topology/readTopology.js';
import { formatTasksetList } from '../../src/cli/commands/taskset.js';
import { stop, startThreadedChild } from '../support/children.js';
import { cpusOfEveryThread, cpusOfThread } from '../support/procStatus.js';
import { freePid } from '../support/freePid.js';

/** A pid in the kernel's range that no process has (999999999 is now a usage error: above pid_max). */
const GONE = freePid();

const CLI = fileURLToPath(new URL('../../src/cli/main.js', import.meta.url));
const ALL = usableCpus();
const LAST = String(ALL.last);

function corepin(args: string[], env: NodeJS.ProcessEnv = {}): SpawnSyncReturns<string> {
  return spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8', env: { ...process.env, ...env } });
}

function taskset(args: string[]): SpawnSyncReturns<string> {
  return spawnSync('taskset', args, { encoding: 'utf8' });
}

async function sleeper(): Promise<ReturnType<typeof spawn> & { pid: number }> {
  const c = spawn('sleep', ['30']);
  await once(c, 'spawn');
  return c as ReturnType<typeof spawn> & { pid: number };
}

for (const backend of ['native', 'taskset']) {
  describe(`corepin CLI in taskset's conventions (${backend} backend)`, () => {
    const env = { COREPIN_BACKEND: backend };

    test('-p PID shows the mask, -cp the list, with taskset\'s wording', async () => {
      const c = await sleeper();
      try {
        const mask = corepin(['-p', String(c.pid)], env);
        assert.equal(mask.status, 0, mask.stderr);
        assert.equal(mask.stdout, `pid ${c.pid}'s current affinity mask: ${ALL.toMask().slice(2)}\n`);
        assert.equal(mask.stdout, taskset(['-p', String(c.pid)]).stdout, 'byte for byte what taskset prints');
        const list = corepin(['-cp', String(c.pid)], env);
        assert.equal(list.stdout, taskset(['-cp', String(c.pid)]).stdout);
      } finally {
        await stop(c);
      }
    });

    test('-pc LIST PID sets (taskset reads it back) and prints current and new', async () => {
      const c = await sleeper();
      try {
        const r = corepin(['-pc', LAST, String(c.pid)], env);
        assert.equal(r.status, 0, r.stderr);
        assert.equal(r.stdout, `pid ${c.pid}'s current affinity list: ${formatTasksetList(ALL)}\npid ${c.pid}'s new affinity list: ${LAST}\n`);
        assert.equal(taskset(['-cp', String(c.pid)]).stdout, `pid ${c.pid}'s current affinity list: ${LAST}\n`);
        assert.equal(cpusOfThread(c.pid, c.pid), LAST);
        // -p -c spelled apart, and a mask without -c
        assert.equal(corepin(['-p', '-c', ALL.toList(), String(c.pid)], env).status, 0);
        assert.equal(corepin(['-p', '0x1', String(c.pid)], env).status, 0);
        assert.equal(cpusOfThread(c.pid, c.pid), '0');
      } finally {
        await stop(c);
      }
    });

    test('set with taskset, read with corepin', async () => {
      const c = await sleeper();
      try {
        assert.equal(taskset(['-pc', LAST, String(c.pid)]).status, 0);
        const r = corepin(['-cp', String(c.pid), '--json'], env);
        assert.equal(r.status, 0, r.stderr);
        assert.deepEqual(JSON.parse(r.stdout), { pid: c.pid, tid: c.pid, current: LAST });
      } finally {
        await stop(c);
      }
    });

    test('-a pins every thread of a multi-threaded process', async () => {
      const c = await startThreadedChild(2);
      try {
        const r = corepin(['-a', '-pc', LAST, String(c.pid)], env);
        assert.equal(r.status, 0, r.stderr);
        const threads = cpusOfEveryThread(c.pid);
        assert.ok(threads.size >= 3);
        for (const [tid, cpus] of threads) assert.equal(cpus, LAST, `thread ${tid}`);
        assert.equal(r.stdout.split('\n').filter((l) => l.includes('new affinity')).length, threads.size);
      } finally {
        await stop(c);
      }
    });

    test('launch: argv passed exactly, the command pinned, its exit code returned', () => {
      const args = ['a b', '"q"', '$HOME', '*', '--flag'];
      const r = corepin(['-c', LAST, '--', process.execPath, '-e', `
        const fs = require('node:fs');
        const masks = fs.readdirSync('/proc/self/task').map((t) => /Cpus_allowed_list:\\s*(.*)/.exec(fs.readFileSync('/proc/self/task/' + t + '/status', 'utf8'))[1]);
        console.log(JSON.stringify({ argv: process.argv.slice(1), masks: [...new Set(masks)] }));
        process.exit(7);`, ...args], env);
      assert.equal(r.status, 7, r.stderr);
      const out = JSON.parse(r.stdout) as { argv: string[]; masks: string[] };
      assert.deepEqual(out.argv, args);
      assert.deepEqual(out.masks, [LAST]);
      // mask form, no `--`
      const m = corepin([`0x${(1 << Number(LAST)).toString(16)}`, 'grep', 'Cpus_allowed_list', '/proc/self/status'], env);
      assert.equal(m.status, 0, m.stderr);
      assert.match(m.stdout, new RegExp(`Cpus_allowed_list:\\s*${LAST}\\n`));
    });

    test('launch: 127 for a missing command, 126 for a file that is not executable', () => {
      const missing = corepin(['-c', '0', 'corepin-no-such-command'], env);
      assert.equal(missing.status, 127);
      assert.equal(missing.stderr, 'corepin: failed to execute corepin-no-such-command: No such file or directory\n');
      const dir = mkdtempSync(join(tmpdir(), 'corepin-'));
      const file = join(dir, 'script.sh');
      writeFileSync(file, '#!/bin/sh\necho hi\n');
      chmodSync(file, 0o644);
      const notExec = corepin(['-c', '0', file], env);
      assert.equal(notExec.status, 126);
      assert.match(notExec.stderr, /^corepin: failed to execute .*script\.sh: Permission denied\n$/);
    });

    test('launch: a signal sent to corepin is forwarded, and corepin dies of it too', async () => {
      const child = spawn(process.execPath, [CLI, '-c', '0', '--', process.execPath, '-e', `
        process.on('SIGTERM', () => { console.log('child got SIGTERM'); process.exit(0); });
        console.log('up'); setInterval(() => {}, 1000);`], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
      let out = '';
      child.stdout.on('data', (d: Buffer) => (out += d));
      while (!out.includes('up')) await once(child.stdout, 'data');
      child.kill('SIGTERM');
      const [code] = (await once(child, 'exit')) as [number | null];
      assert.match(out, /child got SIGTERM/);
      assert.equal(code, 0, 'the command handled it and exited 0, so does corepin');
    });
  });
}

test('-c takes a location: core:N launches on that core\'s PUs', () => {
  const expected = resolveLocation('core:0', readTopology('/'));
  assert.ok(expected.size >= 1);
  const r = corepin(['-c', 'core:0', '--', 'grep', 'Cpus_allowed_list', '/proc/self/status']);
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, new RegExp(`Cpus_allowed_list:\\s*${expected.toList()}\\n`));
});

describe('corepin CLI errors: one line, taskset\'s exit codes, no stack trace', () => {
  const cases: [string[], number, RegExp][] = [
    [['-c', 'abc', 'true'], 1, /^corepin: failed to parse CPU list: "abc": .*position 0/],
    [['-pc', '1-0', '1'], 1, /^corepin: failed to parse CPU list: "1-0": .*range 1-0 ends before it starts/],
    [['-p', String(GONE)], 1, new RegExp(`^corepin: No such process: pid ${GONE}`)],
    [['-pc', '4000', String(process.pid)], 1, /^corepin: cannot pin pid \d+ to CPUs 4000: CPU 4000 is beyond this machine/],
    [['-x'], 2, /^corepin: unknown option -x/],
    [['-c', 'core:999', 'true'], 1, /^corepin: bad location "core:999": is out of range: there are \d+ usable cores/],
    [['-c', 'bogus:1', 'true'], 1, /^corepin: bad location "bogus:1": has unknown type "bogus"/],
    [['-p', 'abc'], 2, /^corepin: invalid PID argument: "abc"/],
    [['-c', '0'], 2, /^corepin: give a mask or list and a command/],
    [['threads', 'nope'], 2, /^corepin: invalid PID argument/],
    [['threads'], 2, /^corepin: missing required argument 'pid'/],
  ];
  for (const [args, code, message] of cases) {
    test(`corepin ${args.join(' ')} → exit ${code}`, () => {
      const r = corepin(args);
      assert.equal(r.status, code, r.stderr);
      assert.match(r.stderr, message);
      assert.equal(r.stderr.trim().split('\n').length, 1, `one line: ${r.stderr}`);
      assert.doesNotMatch(r.stderr, /\n\s+at /);
    });
  }
});

test('corepin threads PID lists every thread with /proc\'s view', async () => {
  const c = await startThreadedChild(2);
  try {
    const r = corepin(['threads', String(c.pid), '--json']);
    assert.equal(r.status, 0, r.stderr);
    const rows = JSON.parse(r.stdout) as { tid: number; name: string; cpus: string; lastCpu: number; migrations: number | null }[];
    const truth = cpusOfEveryThread(c.pid);
    assert.deepEqual(new Set(rows.map((x) => x.tid)), new Set(truth.keys()));
    for (const row of rows) assert.equal(row.cpus, truth.get(row.tid));
    // The JSON keeps its shape: ThreadInfo's newer fields (state, cpuTicks) are not added to it.
    for (const row of rows) assert.deepEqual(Object.keys(row), ['tid', 'name', 'cpus', 'lastCpu', 'migrations']);
    assert.ok(rows.some((x) => x.name === 'node'));
    const table = corepin(['threads', String(c.pid)]);
    assert.match(table.stdout, /^TID\s+NAME\s+CPUS\s+LAST\s+MIGRATIONS\n/);
  } finally {
    await stop(c);
  }
});
