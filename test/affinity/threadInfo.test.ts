import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { readFileSync } from 'node:fs';
import { clockTicks, CpuSet, InvalidIdError, pidMax, pinnableCpus, threadOf, threadsOf } from '../../src/index.js';

/** Fields of /proc/PID/task/TID/stat after the name, read by the test itself. */
function stat(pid: number, tid: number): string[] {
  const text = readFileSync(`/proc/${pid}/task/${tid}/stat`, 'utf8');
  return text.slice(text.lastIndexOf(')') + 2).trim().split(' ');
}

async function busyChild(): Promise<import('node:child_process').ChildProcess> {
  // Burns CPU for a while so its CPU time moves; exits on its own in any case.
  const child = spawn(process.execPath, ['-e', 'const end = Date.now() + 20000; while (Date.now() < end);'], { stdio: 'ignore' });
  await once(child, 'spawn');
  return child;
}

test('threadOf and threadsOf give each thread its state and CPU time, as /proc says', async () => {
  const child = await busyChild();
  const pid = child.pid!;
  try {
    await new Promise((r) => setTimeout(r, 300));
    // Read before threadOf, so that its ticks lie between this read and the one after it.
    const before = stat(pid, pid);
    const t = threadOf(pid, pid);
    assert.ok(t !== null);
    assert.equal(t.tid, pid);
    assert.equal(t.cpus.toList(), /^Cpus_allowed_list:\s*(.*)$/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))![1]);
    const [state, utime, stime] = [before[0], before[14 - 3], before[15 - 3]];
    assert.match(t.state ?? '', /^[RS]$/, `a running child is R (or S between slices), got ${t.state}`);
    assert.ok(['R', 'S'].includes(state!));
    // Ticks only grow: what threadOf read is between the test's reads before and after.
    const after = stat(pid, pid);
    assert.ok(t.cpuTicks !== null && t.cpuTicks >= Number(utime) + Number(stime) && t.cpuTicks <= Number(after[11]) + Number(after[12]), `cpuTicks ${t.cpuTicks}`);
    assert.ok(t.cpuTicks > 0, 'a busy child has used CPU time');
    assert.ok(clockTicks() > 0 && Number.isInteger(clockTicks()));
    // The same thread in threadsOf carries the same fields.
    const listed = threadsOf(pid).find((x) => x.tid === pid)!;
    assert.equal(typeof listed.cpuTicks, 'number');
    assert.match(listed.state ?? '', /^[RSD]$/);

    // A stopped process says so: the state is read, not assumed.
    process.kill(pid, 'SIGSTOP');
    for (let i = 0; i < 50 && stat(pid, pid)[0] !== 'T'; i++) await new Promise((r) => setTimeout(r, 20));
    assert.equal(threadOf(pid, pid)?.state, 'T');
    const frozen = threadOf(pid, pid)!.cpuTicks;
    await new Promise((r) => setTimeout(r, 200));
    assert.equal(threadOf(pid, pid)!.cpuTicks, frozen, 'a stopped thread uses no CPU time');
    process.kill(pid, 'SIGCONT');
  } finally {
    child.kill('SIGKILL');
    await once(child, 'exit').catch(() => {});
  }
  assert.equal(threadOf(pid, pid), null, 'a reaped process has no threads');
});

test('threadOf refuses ids a pid_t cannot hold, and pidMax is the kernel file', () => {
  const max = Number(readFileSync('/proc/sys/kernel/pid_max', 'utf8'));
  assert.equal(pidMax({ reread: true }), max);
  assert.equal(pidMax(), max);
  for (const bad of [0, -1, 1.5, Number.NaN, 2 ** 32 + 1, max]) assert.throws(() => threadOf(bad, 1), InvalidIdError, String(bad));
  assert.throws(() => threadOf(process.pid, 2 ** 32 + 1), InvalidIdError);
  // A tid of another process is not a thread of this one.
  assert.equal(threadOf(process.pid, 1), null);
});

test('pinnableCpus is public and agrees with the cgroup cpuset and online CPUs', () => {
  const online = readFileSync('/sys/devices/system/cpu/online', 'utf8').trim();
  const p = pinnableCpus('self');
  assert.ok(p.cpus.size > 0);
  assert.ok(p.cpus.isSubsetOf(CpuSet.parse(online, 'list')));
  assert.ok(pinnableCpus(process.pid).cpus.equals(p.cpus));
  assert.equal(p.why(100_000), 'beyond-machine');
});
