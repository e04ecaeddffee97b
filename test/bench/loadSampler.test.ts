import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { describeLoad, loadRecord, OTHER_WORK_LIMIT, startLoadSampler } from '../../bench/measure/loadSampler.js';
import { cpuSnapshot, cpuUse, parsePidStat, parseProcStat, treeJiffies } from '../../bench/measure/cpuTime.js';
import { formatMachineLine, machineInfo } from '../../bench/measure/machineInfo.js';

test('noisy is decided by the load before the run and by other work, not by the load during it', () => {
  // The suite's own workers push the load during the run above 2 CPUs: that alone is not noisy.
  assert.equal(loadRecord(0.3, [3.5, 4.1], 2, [0.05, 0.1]).noisy, false, 'own load during the run');
  assert.equal(loadRecord(2.5, [0.5], 2, [0]).noisy, true, 'loaded before');
  assert.equal(loadRecord(0.3, [1], 2, [0.1, 0.6, 0.2]).noisy, true, 'other work averaging 0.3 CPU');
  assert.equal(loadRecord(0.3, [1], 2, [0.1, 0.6, 0.2], 0.2).noisy, false, 'weighted mean given');
  assert.equal(loadRecord(0.3, [1], 2, [OTHER_WORK_LIMIT]).noisy, false, 'at the limit');
  assert.equal(loadRecord(0.3, [1], 2, []).noisy, true, 'other work unknown: not proven clean');
  const r = loadRecord(1, [1, 3], 2, [0.2, 0.4]);
  assert.equal(r.duringMean, 2);
  assert.equal(r.duringMax, 3);
  assert.ok(Math.abs(r.otherMean! - 0.3) < 1e-12);
  assert.equal(r.otherMax, 0.4);
});

test('no description calls a run quiet, loaded or not; a noisy one says why', () => {
  for (const r of [loadRecord(0, [0], 2, [0]), loadRecord(0.1, [5], 2, [1]), loadRecord(9, [9], 2, [2]), loadRecord(0, [0], 2, [])]) {
    assert.doesNotMatch(describeLoad(r), /quiet/i);
  }
  assert.match(describeLoad(loadRecord(3, [4], 2, [0])), /noisy: load before above the 2 CPUs/);
  assert.match(describeLoad(loadRecord(0.5, [4], 2, [0.9])), /other work 0\.90 CPUs mean.*noisy: other work above 0\.25 CPUs/);
  assert.doesNotMatch(describeLoad(loadRecord(0.5, [4], 2, [0.1])), /noisy/);
  const line = formatMachineLine({ ...machineInfo(null), cpus: 2, loadavg: 3 });
  assert.match(line, /load 3\.00 at start \(noisy: above 2 CPUs\)/);
});

test('CPU accounting on numbers: /proc/stat busy and total, a tree with reaped children, other = busy − tree', () => {
  const m = parseProcStat('cpu  100 5 50 800 20 3 2 10 7 0\ncpu0 1 2 3 4 5 6 7 8 9 0\n');
  assert.deepEqual(m, { busy: 170, total: 990 });
  // A command name with spaces and a parenthesis must not shift the fields.
  const p = parsePidStat('42 (a b) c) S 7 42 42 0 -1 0 0 0 0 0 11 13 17 19 20 0 1 0 5 0 0');
  assert.deepEqual(p, { pid: 42, ppid: 7, jiffies: 11 + 13 + 17 + 19 });
  const procs = [
    { pid: 1, ppid: 0, jiffies: 1000 },
    { pid: 10, ppid: 1, jiffies: 30 }, // root
    { pid: 11, ppid: 10, jiffies: 5 },
    { pid: 12, ppid: 11, jiffies: 7 }, // grandchild
    { pid: 13, ppid: 1, jiffies: 500 }, // outside
  ];
  assert.equal(treeJiffies(10, procs), 42);
  assert.equal(treeJiffies(99, procs), 0);
  // 2 CPUs, 100 jiffies each elapsed; 150 busy of which 60 ours: 0.9 CPU of other work.
  const u = cpuUse({ machine: { busy: 0, total: 0 }, tree: 10 }, { machine: { busy: 150, total: 200 }, tree: 70 }, 2);
  assert.deepEqual(u, { busyCpus: 1.5, treeCpus: 0.6, otherCpus: 0.9 });
  assert.equal(cpuUse({ machine: { busy: 0, total: 0 }, tree: 0 }, { machine: { busy: 10, total: 200 }, tree: 30 }, 2).otherCpus, 0, 'never below 0');
});

function cpuJiffies(pid: number): number {
  return parsePidStat(readFileSync(`/proc/${pid}/stat`, 'utf8'))!.jiffies;
}

const BUSY = 'const t = Date.now() + 20000; while (Date.now() < t) {}';

async function waitForPid(child: ChildProcess): Promise<number> {
  // setsid -f forks the busy node and exits; the busy node announces its own pid.
  return await new Promise<number>((resolve, reject) => {
    let out = '';
    child.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      const m = /^(\d+)\n/.exec(out);
      if (m) resolve(Number(m[1]));
    });
    child.on('error', reject);
  });
}

test('a busy process outside the tree is other work; a busy child inside the tree is not', { timeout: 60_000 }, async (t) => {
  if (process.platform !== 'linux') return t.skip('needs /proc (Linux)');
  // Outside: `setsid -f` forks the busy process and exits, so its parent is no longer in our tree.
  const launcher = spawn('setsid', ['-f', process.execPath, '-e', `console.log(process.pid); ${BUSY}`], { stdio: ['ignore', 'pipe', 'inherit'] });
  const outside = await waitForPid(launcher);
  const inside = spawn(process.execPath, ['-e', BUSY], { stdio: 'ignore' });
  try {
    await new Promise((r) => setTimeout(r, 300));
    const cpus = (await import('node:os')).cpus().length;
    const a = cpuSnapshot();
    const oa = cpuJiffies(outside);
    const ia = cpuJiffies(inside.pid!);
    await new Promise((r) => setTimeout(r, 2000));
    const b = cpuSnapshot();
    const outsideCpus = (cpuJiffies(outside) - oa) / ((b.machine.total - a.machine.total) / cpus);
    const insideCpus = (cpuJiffies(inside.pid!) - ia) / ((b.machine.total - a.machine.total) / cpus);
    const u = cpuUse(a, b, cpus);
    assert.ok(outsideCpus > 0.05, `the outside process got CPU time (${outsideCpus.toFixed(2)} CPUs)`);
    assert.ok(insideCpus > 0.05, `the inside child got CPU time (${insideCpus.toFixed(2)} CPUs)`);
    // The tree holds the inside child and not the outside one; other work holds the outside one.
    assert.ok(u.treeCpus >= insideCpus * 0.9, `tree ${u.treeCpus.toFixed(2)} CPUs counts the inside child's ${insideCpus.toFixed(2)}`);
    assert.ok(u.treeCpus < insideCpus + outsideCpus * 0.5 + 0.2, `tree ${u.treeCpus.toFixed(2)} CPUs does not count the outside process's ${outsideCpus.toFixed(2)}`);
    assert.ok(u.otherCpus >= outsideCpus * 0.8, `other work ${u.otherCpus.toFixed(2)} CPUs sees the outside process's ${outsideCpus.toFixed(2)}`);
  } finally {
    process.kill(outside, 'SIGKILL');
    inside.kill('SIGKILL');
  }
});

test('a child that exited and was reaped still counts in the tree (through cutime/cstime)', { timeout: 60_000 }, async (t) => {
  if (process.platform !== 'linux') return t.skip('needs /proc (Linux)');
  const a = cpuSnapshot();
  const child = spawn(process.execPath, ['-e', 'const t = process.cpuUsage(); while (process.cpuUsage(t).user < 600000) {}'], { stdio: 'ignore' });
  await new Promise((r) => child.on('exit', r));
  await new Promise((r) => setTimeout(r, 50));
  const b = cpuSnapshot();
  // ≥ 0.6 s of the child's user time, 100 jiffies per second (USER_HZ); the child is gone, only cutime holds it.
  assert.ok(b.tree - a.tree >= 50, `tree grew by ${b.tree - a.tree} jiffies`);
});

test('the sampler samples load and other work during the run and at stop', async () => {
  const s = startLoadSampler(20);
  await new Promise((r) => setTimeout(r, 90));
  const r = s.stop();
  assert.ok(r.during.length >= 3, `${r.during.length} samples`);
  assert.ok(r.during.every((x) => Number.isFinite(x) && x >= 0));
  assert.ok(r.other.length >= 1 && r.other.every((x) => Number.isFinite(x) && x >= 0), `other: ${r.other.join(',')}`);
  assert.equal(typeof r.otherMean, 'number');
});
