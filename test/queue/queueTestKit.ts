import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { makeCpuset, type TestCpuset } from '../support/cgroupCpuset.js';
import { startHost, type TestHost } from './queueHost.js';
import { usableCpus } from '../../src/index.js';
import { fleetStatus, type FleetStatus } from '../../src/queue/index.js';

/** The queue tests' task module. */
export const JOBS = fileURLToPath(new URL('../../../test/fixtures/queue/jobs.mjs', import.meta.url));

let queues = 0;
/** A queue name no other test (or parallel run) uses. */
export function uniqueQueue(label: string): string {
  return `corepin-test-${label}-${process.pid}-${++queues}`;
}

/** A run log file (see fixtures/queue/jobs.mjs) and its parsed lines: input → pids of the workers that ran it. */
export function runLog(): { path: string; runs(): Map<string, number[]>; remove(): void } {
  const dir = mkdtempSync(join(tmpdir(), `corepin-runlog-${process.pid}-`));
  const path = join(dir, 'runs.log');
  return {
    path,
    runs() {
      const m = new Map<string, number[]>();
      let text = '';
      try {
        text = readFileSync(path, 'utf8');
      } catch {
        // nothing ran
      }
      for (const line of text.split('\n').filter(Boolean)) {
        const [x, pid] = line.split(' ');
        m.set(x!, [...(m.get(x!) ?? []), Number(pid)]);
      }
      return m;
    },
    remove: () => rmSync(dir, { recursive: true, force: true }),
  };
}

/** Two hosts, each with one CPU: in its own cgroup v1 cpuset when this machine allows, else `--cpus`. */
export interface TwoHosts {
  readonly hosts: readonly [TestHost, TestHost];
  /** Each host's CPU list ('0', '1' …). */
  readonly cpus: readonly [string, string];
  /** 'cgroup' or 'cpus'. */
  readonly confinement: string;
  /** Kills what is left and removes the cgroups. */
  stop(): Promise<void>;
}

/** Starts two `corepin worker` hosts on `args`; null with the reason when the machine has under 2 CPUs. */
export async function startTwoHosts(args: readonly string[], env: NodeJS.ProcessEnv = {}): Promise<TwoHosts | string> {
  const usable = [...usableCpus()];
  if (usable.length < 2) return `needs 2 usable CPUs for two one-CPU hosts; this process has ${usable.join(',')}`;
  const cpus = [String(usable[0]), String(usable[usable.length - 1])] as const;
  const sets: TestCpuset[] = [];
  let why = '';
  for (const [i, c] of cpus.entries()) {
    const cs = makeCpuset(`corepin-queue-${process.pid}-${++queues}-${i}`, c);
    if (typeof cs === 'string') {
      why = cs;
      break;
    }
    sets.push(cs);
  }
  if (sets.length < 2) {
    for (const s of sets) s.remove();
    sets.length = 0;
  }
  const hosts = cpus.map((c, i) => (sets.length === 2 ? startHost(args, env, sets[i]!.dir) : startHost([...args, '--cpus', c], env))) as [TestHost, TestHost];
  const stop = async (): Promise<void> => {
    for (const h of hosts) h.kill();
    await Promise.all(hosts.map((h) => h.exited));
    for (const s of sets) await removeCpuset(s);
  };
  try {
    await Promise.all(hosts.map((h) => h.ready));
  } catch (err) {
    await stop();
    throw err;
  }
  return { hosts, cpus, confinement: sets.length === 2 ? 'cgroup v1 cpuset per host' : `--cpus per host (${why})`, stop };
}

/** Removes a test cpuset, retrying while the killed hosts' workers are still leaving it (EBUSY). */
async function removeCpuset(s: TestCpuset): Promise<void> {
  for (let i = 0; ; i++) {
    try {
      return s.remove();
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EBUSY' || i >= 50) throw err;
      await new Promise((r) => setTimeout(r, 100));
    }
  }
}

/** Polls `fleetStatus` until `ok` holds or `ms` pass; returns the last status and when `ok` first held. */
export async function waitForFleet(queue: string, url: string, ok: (s: FleetStatus) => boolean, ms: number): Promise<{ status: FleetStatus; after: number | null }> {
  const start = Date.now();
  for (;;) {
    const status = await fleetStatus(queue, { connection: url });
    if (ok(status)) return { status, after: Date.now() - start };
    if (Date.now() - start > ms) return { status, after: null };
    await new Promise((r) => setTimeout(r, 100));
  }
}
