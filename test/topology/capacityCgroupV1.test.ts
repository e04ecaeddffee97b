import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdirSync, readFileSync, rmdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { readCgroupMounts } from '../../src/os/cgroupMounts.js';
import { usableCpus } from '../../src/affinity.js';

// A real cgroup v1 `cpu` controller: a child process moved into a nested cgroup with a tighter
// parent quota must see that quota and size its default pool by it.
const mount = readCgroupMounts().find((m) => m.fstype === 'cgroup' && m.options.includes('cpu'));
const CAPACITY = new URL('../../src/topology/capacity.js', import.meta.url).href;

function tryMkdir(dir: string): string | null {
  try {
    mkdirSync(dir);
    return null;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code ?? String(err);
  }
}

test('real cgroup v1 cpu controller: quota on the parent of a nested cgroup, seen by a child moved in', async (t) => {
  if (!mount) {
    t.skip('no cgroup v1 hierarchy with the cpu controller is mounted on this machine');
    return;
  }
  const outer = join(mount.mountPoint, `corepin-capacity-${process.pid}`);
  const inner = join(outer, 'inner');
  const failed = tryMkdir(outer);
  if (failed !== null) {
    t.skip(`cannot create a cgroup under ${mount.mountPoint} (${failed}): needs root and a writable cgroup v1 cpu hierarchy`);
    return;
  }
  try {
    mkdirSync(inner);
    // 1.5 CPUs on the parent, none (-1) on the child: the child is limited by its parent (v1 refuses a
    // child quota above the parent's, so a looser child can only be -1), and floor(1.5) = 1 where ceil gives 2.
    writeFileSync(join(outer, 'cpu.cfs_period_us'), '100000');
    writeFileSync(join(outer, 'cpu.cfs_quota_us'), '150000');
    writeFileSync(join(inner, 'cpu.cfs_quota_us'), '-1');
    const script = `import { capacity } from ${JSON.stringify(CAPACITY)};
import { readFileSync } from 'node:fs';
process.stdin.once('data', () => { const c = capacity({ env: {} }); process.stdout.write(JSON.stringify({ quota: c.quota, workers: c.workers, usable: c.usable.size, reason: c.reason, cgroup: readFileSync('/proc/self/cgroup', 'utf8') })); process.exit(0); });`;
    const child = spawn(process.execPath, ['--input-type=module', '-e', script], { stdio: ['pipe', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    const exited = new Promise<number | null>((resolve) => child.on('exit', resolve));
    writeFileSync(join(inner, 'cgroup.procs'), String(child.pid));
    assert.match(readFileSync(`/proc/${child.pid}/cgroup`, 'utf8'), new RegExp(`:cpu[,:].*corepin-capacity-${process.pid}/inner|:cpu:/corepin-capacity-${process.pid}/inner`));
    child.stdin.write('go\n');
    assert.equal(await exited, 0);
    const r = JSON.parse(out) as { quota: { cpus: number; cgroup: string; file: string }; workers: number; usable: number; reason: string; cgroup: string };
    const rel = outer.slice(mount.mountPoint.length);
    assert.equal(r.quota.cpus, 1.5);
    assert.equal(r.quota.file, 'cpu.cfs_quota_us');
    assert.equal(r.quota.cgroup, rel);
    assert.equal(r.workers, Math.min(usableCpus().size, 1));
    console.log(`real cgroup v1: ${r.reason}`);
  } finally {
    for (const dir of [inner, outer]) {
      try {
        rmdirSync(dir);
      } catch (err) {
        console.log(`cleanup: ${dir}: ${(err as Error).message}`);
      }
    }
  }
});
