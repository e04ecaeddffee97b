import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import { usableCpus } from '../../src/affinity.js';
import type { PinnedPool } from '../../src/adapters/PinnedPool.js';
import { cpusOfThread } from '../support/procStatus.js';

/** The task module every adapter test runs. */
export const WHERE_TASK = fileURLToPath(new URL('../../../test/adapters/fixtures/whereTask.mjs', import.meta.url));

/** Where a task ran, as its worker read it from /proc at the end (and at the start), and when it ran. */
export interface Where {
  tid: number;
  cpus: string;
  cpusBefore: string;
  start: number;
  end: number;
}

/** The argument of the fixture's default export. */
export interface WhereTask {
  ms: number;
  meet: SharedArrayBuffer;
  expected: number;
}

/** Why this machine cannot run the adapter tests (they need 2 usable CPUs for 2 disjoint slots), or null. */
export function cannotRun(): string | null {
  const n = usableCpus().size;
  return n < 2 ? `needs 2 usable CPUs for two disjoint slots; this process has ${n}` : null;
}

/**
 * Runs one task per slot at the same time (they wait for each other, then sleep 100 ms) and checks what the workers saw in
 * /proc: each was on one slot's CPUs from its task's start to its end, a worker never changed slot,
 * and two tasks that ran at overlapping times on different workers were on different slots (two live
 * workers never share a slot). Then the pool's report (read from /proc by the library) is checked
 * against an independent read of /proc. Returns the results and how many task pairs overlapped.
 */
export async function checkOneRound(pinned: PinnedPool<unknown>, run: (task: WhereTask) => Promise<Where>): Promise<{ got: Where[]; overlapping: number }> {
  const slotLists = pinned.slots.map((s) => s.toList());
  const meet = new SharedArrayBuffer(4);
  const got = await Promise.all(slotLists.map(() => run({ ms: 100, meet, expected: slotLists.length })));
  const slotOf = got.map((w) => {
    const slot = slotLists.indexOf(w.cpus);
    assert.ok(slot >= 0, `worker tid ${w.tid} ran on CPUs ${w.cpus}, which is no slot's (${slotLists.join(' | ')})`);
    assert.equal(w.cpusBefore, w.cpus, `worker tid ${w.tid} changed CPUs during its task`);
    return slot;
  });
  let overlapping = 0;
  for (let i = 0; i < got.length; i++) {
    for (let j = i + 1; j < got.length; j++) {
      const [a, b] = [got[i]!, got[j]!];
      if (a.tid === b.tid) {
        assert.equal(slotOf[i], slotOf[j], `worker tid ${a.tid} moved between slots`);
        continue;
      }
      if (a.start < b.end && b.start < a.end) {
        overlapping++;
        assert.notEqual(slotOf[i], slotOf[j], `two live workers shared slot ${slotOf[i]}: ${JSON.stringify([a, b])}`);
      }
    }
  }
  checkReport(pinned);
  return { got, overlapping };
}

/** The library's report against /proc: live holders distinct, verified, and on their slot's CPUs. */
function checkReport(pinned: PinnedPool<unknown>): void {
  const live = pinned.bindings().filter((b) => b.tid !== null);
  assert.equal(new Set(live.map((b) => b.tid)).size, live.length, 'one thread holds two slots');
  for (const b of live) {
    // A recycled worker may exit between the report and this look: a thread that is gone has no CPUs to check.
    let now: string;
    try {
      now = cpusOfThread(process.pid, b.tid!);
    } catch {
      continue;
    }
    assert.equal(b.verified, true, `slot ${b.slot} (tid ${b.tid}) not verified`);
    assert.equal(now, b.cpus!.toList(), `slot ${b.slot}: /proc disagrees`);
  }
}
