import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { once } from 'node:events';
import { Worker } from 'node:worker_threads';
import {
  CpuSet,
  pin,
  affinityOf,
  threadsOf,
  usableCpus,
  spawnPinned,
  currentThreadId,
  currentCpu,
  selectBackend,
  CpusUnavailableError,
  NoSuchProcessError,
  isSupported,
  toCpuSet,
} from '../../src/index.js';
import { cpusOfEveryThread, cpusOfThread } from '../support/procStatus.js';
import { startThreadedChild, stop } from '../support/children.js';

const ALL = usableCpus();
const LAST = CpuSet.of(ALL.last!);
const FIRST = CpuSet.of(ALL.first!);
/** With one usable CPU, pinning to it changes nothing, so these checks would pass whatever pin did. */
const ONE_CPU = ALL.size < 2 ? `only one usable CPU (${ALL.toList()}): pinning to it cannot be told apart from not pinning` : false;

for (const backend of ['native', 'taskset'] as const) {
  describe(`pinning on the ${backend} backend`, () => {
    before(() => {
      selectBackend(backend);
    });
    after(() => {
      pin('self', ALL);
      selectBackend('native');
    });

    test('isSupported is true on this Linux machine', () => {
      assert.equal(isSupported(), true);
    });

    test("pin('thread') pins only the calling thread, as /proc shows", { skip: ONE_CPU }, () => {
      const tid = currentThreadId();
      assert.equal(tid, process.pid, 'the test runs on the main thread, whose tid is the pid');
      const effective = pin('thread', LAST);
      assert.equal(effective.toList(), LAST.toList());
      assert.equal(cpusOfThread(process.pid, tid), LAST.toList());
      assert.equal(affinityOf('thread').toList(), LAST.toList());
      const others = [...cpusOfEveryThread(process.pid)].filter(([t]) => t !== tid);
      assert.ok(others.length > 0, 'node has helper threads');
      assert.ok(others.every(([, c]) => c === ALL.toList()), 'other threads keep their affinity');
      pin('thread', ALL);
      assert.equal(cpusOfThread(process.pid, tid), ALL.toList());
    });

    test('a worker thread pins itself, and its OS tid is what /proc lists', { skip: ONE_CPU }, async () => {
      const w = new Worker(
        `const { parentPort, workerData } = require('node:worker_threads');
         import(workerData.url).then((m) => {
           m.selectBackend(workerData.backend);
           const cpus = m.pin('thread', workerData.cpus).toList();
           parentPort.postMessage({ tid: m.currentThreadId(), cpus, cpu: m.currentCpu() });
           setTimeout(() => {}, 2000);
         });`,
        { eval: true, workerData: { url: new URL('../../src/index.js', import.meta.url).href, backend, cpus: LAST.toList() } },
      );
      const [msg] = (await once(w, 'message')) as [{ tid: number; cpus: string; cpu: number }];
      assert.notEqual(msg.tid, process.pid);
      assert.equal(msg.cpus, LAST.toList());
      assert.equal(cpusOfThread(process.pid, msg.tid), LAST.toList(), '/proc agrees for the worker thread');
      assert.equal(msg.cpu, LAST.first, 'the worker runs on its only allowed CPU');
      assert.equal(cpusOfThread(process.pid, process.pid), ALL.toList(), 'the main thread is untouched');
      await w.terminate();
    });

    test('pin(pid) pins every thread of a real multi-threaded process', { skip: ONE_CPU }, async () => {
      const child = await startThreadedChild(3);
      try {
        const before = cpusOfEveryThread(child.pid);
        assert.ok(before.size >= 4, `expected main + 3 workers + helpers, saw ${before.size}`);
        const effective = pin(child.pid, FIRST);
        assert.equal(effective.toList(), FIRST.toList());
        const now = cpusOfEveryThread(child.pid);
        for (const [tid, cpus] of now) assert.equal(cpus, FIRST.toList(), `thread ${tid}`);
        assert.equal(affinityOf(child.pid).toList(), FIRST.toList());
        const infos = threadsOf(child.pid);
        assert.equal(infos.length, now.size);
        for (const t of infos) {
          assert.equal(t.cpus.toList(), FIRST.toList());
          assert.equal(typeof t.name, 'string');
          assert.ok(t.lastCpu === null || ALL.has(t.lastCpu));
          assert.ok(t.migrations === null || t.migrations >= 0);
        }
      } finally {
        await stop(child);
      }
    });

    test('pin({ tid }) pins one thread of another process', { skip: ONE_CPU }, async () => {
      const child = await startThreadedChild(1);
      try {
        const tids = [...cpusOfEveryThread(child.pid).keys()];
        const one = tids.find((t) => t !== child.pid)!;
        pin({ tid: one }, LAST);
        assert.equal(cpusOfThread(child.pid, one), LAST.toList());
        assert.equal(cpusOfThread(child.pid, child.pid), ALL.toList());
      } finally {
        await stop(child);
      }
    });

    test("pin('self') pins every thread of this process, and children inherit it (level 0)", { skip: ONE_CPU }, async () => {
      pin('self', LAST);
      try {
        for (const [tid, cpus] of cpusOfEveryThread(process.pid)) assert.equal(cpus, LAST.toList(), `thread ${tid}`);
        const child = spawn('sleep', ['5']);
        await once(child, 'spawn');
        assert.equal(cpusOfThread(child.pid!, child.pid!), LAST.toList());
        await stop(child);
      } finally {
        pin('self', ALL);
      }
      for (const [, cpus] of cpusOfEveryThread(process.pid)) assert.equal(cpus, ALL.toList());
    });

    test('spawnPinned starts a child whose every thread is inside the set from birth (level 1)', { skip: ONE_CPU }, async () => {
      // The child reports its threads' masks on its first line, before it could pin anything itself.
      const code = `
        const fs = require('node:fs');
        const out = fs.readdirSync('/proc/self/task').map((t) =>
          /Cpus_allowed_list:\\s*(.*)/.exec(fs.readFileSync('/proc/self/task/' + t + '/status', 'utf8'))[1]);
        console.log(JSON.stringify(out));`;
      const child = spawnPinned(LAST, process.execPath, ['-e', code], { stdio: ['ignore', 'pipe', 'inherit'] });
      let text = '';
      child.stdout!.on('data', (d: Buffer) => (text += d));
      await once(child, 'exit');
      const masks = JSON.parse(text) as string[];
      assert.ok(masks.length >= 4, `node starts several threads, saw ${masks.length}`);
      assert.deepEqual(new Set(masks), new Set([LAST.toList()]));
      assert.equal(cpusOfThread(process.pid, process.pid), ALL.toList(), 'the launcher restored its own mask');
    });

    test('CPUs beyond the machine are refused before the kernel, naming the CPU', () => {
      const beyond = 4000;
      assert.throws(
        () => pin('thread', CpuSet.of(ALL.first!, beyond)),
        (err: unknown) => {
          assert.ok(err instanceof CpusUnavailableError);
          assert.equal(err.code, 'ERR_CPUS_UNAVAILABLE');
          assert.deepEqual(err.cpus, [beyond]);
          assert.match(err.message, /CPU 4000 is beyond this machine/);
          return true;
        },
      );
      assert.throws(() => pin('thread', '4000-4002'), /CPUs 4000-4002 are beyond this machine/);
      assert.equal(cpusOfThread(process.pid, process.pid), ALL.toList(), 'nothing changed');
    });

    test('a dead pid gives NoSuchProcessError (ESRCH) naming it', () => {
      const r = spawnSync('true');
      const dead = r.pid!;
      assert.throws(() => pin(dead, ALL), (e: unknown) => e instanceof NoSuchProcessError && e.code === 'ESRCH' && e.message.includes(`pid ${dead}`));
      assert.throws(() => affinityOf(dead), (e: unknown) => e instanceof NoSuchProcessError && e.code === 'ESRCH');
    });

    test('currentCpu is one of the allowed CPUs', () => {
      pin('thread', FIRST);
      assert.equal(currentCpu(), FIRST.first);
      pin('thread', ALL);
    });
  });
}

test('a repeated CPU list text is parsed once: the same immutable set comes back, and pin answers with it', { skip: ONE_CPU }, () => {
  const text = `${ALL.first!},${ALL.last!}`;
  assert.equal(toCpuSet(text), toCpuSet(text));
  assert.equal(toCpuSet(text).toList(), CpuSet.of(ALL.first!, ALL.last!).toList());
  // Two CPUs: read back in the same native call; the kernel applied what was asked, so the asked set is the answer.
  assert.equal(pin('thread', text), toCpuSet(text));
  assert.equal(cpusOfThread(process.pid, currentThreadId()), toCpuSet(text).toList());
  pin('thread', ALL);
});
