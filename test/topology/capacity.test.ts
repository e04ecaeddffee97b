import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { capacity } from '../../src/topology/capacity.js';
import { readCgroupCpuQuota } from '../../src/os/cgroupCpuQuota.js';
import { plan } from '../../src/placement/plan.js';
import { syntheticTopology } from '../../src/topology/syntheticTopology.js';
import { WorkerCountError } from '../../src/topology/errors.js';

// A 16-CPU machine: the quota, not the CPUs, must decide the default.
const SIXTEEN = syntheticTopology('core:8 pu:2');
const NO_ENV = {};

/** Writes a fixture root: files given as path → text (paths relative to the root). */
function tree(files: Record<string, string>): string {
  const root = mkdtempSync(join(tmpdir(), `corepin-capacity-${process.pid}-`));
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), text);
  }
  return root;
}

function withTree<T>(files: Record<string, string>, fn: (root: string) => T): T {
  const root = tree(files);
  try {
    return fn(root);
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}

const V2_MOUNT = '30 22 0:26 / /sys/fs/cgroup rw,nosuid - cgroup2 cgroup2 rw,nsdelegate\n';
const V1_MOUNT = '31 22 0:28 / /sys/fs/cgroup/cpu,cpuacct rw,nosuid - cgroup cgroup rw,cpu,cpuacct\n';

test('cgroup v2: the tightest cpu.max over the ancestors wins (a tighter parent beats the child)', () => {
  withTree(
    {
      'proc/self/cgroup': '0::/kubepods/pod1/ctr\n',
      'proc/self/mountinfo': V2_MOUNT,
      'sys/fs/cgroup/kubepods/cpu.max': 'max 100000\n',
      'sys/fs/cgroup/kubepods/pod1/cpu.max': '200000 100000\n',
      'sys/fs/cgroup/kubepods/pod1/ctr/cpu.max': '400000 100000\n',
    },
    (root) => {
      const c = capacity({ root, topology: SIXTEEN, env: NO_ENV });
      assert.equal(c.quota?.cpus, 2);
      assert.equal(c.quota?.cgroup, '/kubepods/pod1');
      assert.equal(c.workers, 2);
      assert.equal(c.decidedBy, 'quota');
      assert.equal(c.reason, 'default workers 2: 16 usable CPUs, quota 2.0 CPUs (cpu.max of /kubepods/pod1)');
    },
  );
});

test('cgroup v2: floor, not ceil, and never below one worker', () => {
  const quota = (text: string): number =>
    withTree({ 'proc/self/cgroup': '0::/a\n', 'proc/self/mountinfo': V2_MOUNT, 'sys/fs/cgroup/a/cpu.max': text }, (root) => capacity({ root, topology: SIXTEEN, env: NO_ENV }).workers);
  assert.equal(quota('250000 100000\n'), 2); // 2.5 CPUs: ceil would give 3 and throttle
  assert.equal(quota('50000 100000\n'), 1); // half a CPU
  assert.equal(quota('3200000 100000\n'), 16); // 32 CPUs of quota, 16 CPUs
  assert.equal(quota('150000\n'), 1); // period omitted: the kernel's default 100000
});

test('cgroup v2: "max" everywhere and missing files mean no quota', () => {
  withTree({ 'proc/self/cgroup': '0::/a/b\n', 'proc/self/mountinfo': V2_MOUNT, 'sys/fs/cgroup/a/cpu.max': 'max 100000\n' }, (root) => {
    assert.equal(readCgroupCpuQuota(root), null);
    const c = capacity({ root, topology: SIXTEEN, env: NO_ENV });
    assert.equal(c.workers, 16);
    assert.equal(c.reason, 'default workers 16: 16 usable CPUs, no CPU quota');
  });
  withTree({ 'proc/self/cgroup': '0::/a\n', 'proc/self/mountinfo': V2_MOUNT }, (root) => assert.equal(readCgroupCpuQuota(root), null));
  withTree({}, (root) => assert.equal(readCgroupCpuQuota(root), null));
  withTree({ 'proc/self/cgroup': '0::/a\n', 'proc/self/mountinfo': V2_MOUNT, 'sys/fs/cgroup/a/cpu.max': 'garbage\n' }, (root) => assert.equal(readCgroupCpuQuota(root), null));
});

test('cgroup v1: cpu.cfs_quota_us / cpu.cfs_period_us, tighter parent, -1 unlimited, via mountinfo or /proc/mounts', () => {
  const files = {
    'proc/self/cgroup': '5:memory:/docker/abc\n4:cpu,cpuacct:/docker/abc\n0::/\n',
    'sys/fs/cgroup/cpu,cpuacct/cpu.cfs_quota_us': '-1\n',
    'sys/fs/cgroup/cpu,cpuacct/cpu.cfs_period_us': '100000\n',
    'sys/fs/cgroup/cpu,cpuacct/docker/cpu.cfs_quota_us': '150000\n',
    'sys/fs/cgroup/cpu,cpuacct/docker/cpu.cfs_period_us': '100000\n',
    'sys/fs/cgroup/cpu,cpuacct/docker/abc/cpu.cfs_quota_us': '300000\n',
    'sys/fs/cgroup/cpu,cpuacct/docker/abc/cpu.cfs_period_us': '100000\n',
  };
  withTree({ ...files, 'proc/self/mountinfo': V1_MOUNT }, (root) => {
    const c = capacity({ root, topology: SIXTEEN, env: NO_ENV });
    assert.equal(c.quota?.cpus, 1.5);
    assert.equal(c.quota?.file, 'cpu.cfs_quota_us');
    assert.equal(c.workers, 1);
    assert.equal(c.reason, 'default workers 1: 16 usable CPUs, quota 1.5 CPUs (cpu.cfs_quota_us of /docker)');
  });
  withTree({ ...files, 'proc/mounts': 'cgroup /sys/fs/cgroup/cpu,cpuacct cgroup rw,nosuid,cpu,cpuacct 0 0\n' }, (root) => {
    assert.equal(readCgroupCpuQuota(root)?.cpus, 1.5);
  });
  withTree({ ...files, 'proc/self/mountinfo': V1_MOUNT, 'sys/fs/cgroup/cpu,cpuacct/docker/cpu.cfs_quota_us': '-1\n' }, (root) => {
    assert.equal(readCgroupCpuQuota(root)?.cpus, 3);
    assert.equal(capacity({ root, topology: SIXTEEN, env: NO_ENV }).workers, 3);
  });
  // A period file missing: that level says nothing.
  withTree({ ...files, 'proc/self/mountinfo': V1_MOUNT, 'sys/fs/cgroup/cpu,cpuacct/docker/cpu.cfs_period_us': '' }, (root) => {
    assert.equal(readCgroupCpuQuota(root)?.cpus, 3);
  });
});

test('a container that sees only its subtree (mount root /kubepods/pod1) still finds its cgroup', () => {
  withTree(
    {
      'proc/self/cgroup': '0::/kubepods/pod1/ctr\n',
      'proc/self/mountinfo': '30 22 0:26 /kubepods/pod1 /sys/fs/cgroup rw - cgroup2 cgroup2 rw\n',
      'sys/fs/cgroup/cpu.max': '300000 100000\n',
      'sys/fs/cgroup/ctr/cpu.max': 'max 100000\n',
    },
    (root) => assert.deepEqual(readCgroupCpuQuota(root), { cpus: 3, quotaUs: 300000, periodUs: 100000, file: 'cpu.max', cgroup: '/' }),
  );
});

test('COREPIN_WORKERS and workers override the quota; a bad value is a typed error naming it', () => {
  const c = capacity({ topology: SIXTEEN, quota: { cpus: 2, quotaUs: 200000, periodUs: 100000, file: 'cpu.max', cgroup: '/x' }, env: { COREPIN_WORKERS: '5' } });
  assert.equal(c.workers, 5);
  assert.equal(c.decidedBy, 'COREPIN_WORKERS');
  assert.equal(capacity({ topology: SIXTEEN, quota: null, env: { COREPIN_WORKERS: '5' }, workers: 7 }).workers, 7);
  for (const bad of ['0', 'two', '-3', '1.5']) {
    assert.throws(() => capacity({ topology: SIXTEEN, quota: null, env: { COREPIN_WORKERS: bad } }), (e: unknown) => e instanceof WorkerCountError && e.code === 'ERR_WORKER_COUNT' && e.message.includes('COREPIN_WORKERS'));
  }
});

test('isolated CPUs: left out by default, used only when asked, one CPU per worker, never a span', () => {
  const t = syntheticTopology('core:4 pu:2 isolated:4-7');
  const c = capacity({ topology: t, quota: null, env: NO_ENV });
  assert.equal(c.usable.toList(), '0-3');
  assert.equal(c.workers, 4);
  assert.equal(capacity({ topology: t, quota: null, env: NO_ENV, isolated: true }).usable.toList(), '4-7');
  // Default placement never touches them, whatever the policy.
  for (const policy of ['spread', 'cores', 'compact', 'round-robin'] as const) {
    for (const s of plan(t, 6, policy).slots) assert.ok(s.cpus.intersect(t.isolated).isEmpty, `${policy}: ${s.cpus.toList()}`);
  }
  // Asked for: each slot is exactly one isolated CPU, even under policies that hand out whole cores.
  for (const policy of ['spread', 'cores', 'compact', 'package'] as const) {
    const p = plan(t, 4, policy, { isolated: true });
    assert.deepEqual(p.slots.map((s) => s.cpus.size), [1, 1, 1, 1], policy);
    assert.equal(p.slots.map((s) => s.cpus.first).sort().join(','), '4,5,6,7', policy);
  }
});
