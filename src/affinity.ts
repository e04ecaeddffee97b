import { spawn, type ChildProcess, type SpawnOptions } from 'node:child_process';
import { CpuSet } from './cpuset/CpuSet.js';
import {
  AffinityPermissionError,
  CorepinError,
  CpusUnavailableError,
  InvalidAffinityError,
  NoSuchProcessError,
  UnsupportedPlatformError,
  type UnavailableReason,
} from './errors.js';
import { currentBackend } from './os/currentBackend.js';
import { pinnableCpus } from './os/pinnableCpus.js';
import { allowedCpus, lastCpu, migrations, readCpuListFile, taskIds, threadName } from './os/procfs.js';
import { loadNativeAddon } from './os/nativeAddon.js';
import { hasTaskset } from './os/currentBackend.js';

/**
 * What to pin or read:
 * - a pid (number): every thread of that process (reads answer for its main thread, like taskset);
 * - `{ tid }`: one thread, by OS thread id;
 * - `'self'`: every thread of this process;
 * - `'thread'`: the calling thread only (a worker thread pins itself this way).
 */
export type Target = number | { tid: number } | 'self' | 'thread';

/** CPUs as a {@link CpuSet}, a list or mask string (`'0-3'`, `'0x3'`), or CPU numbers. */
export type CpusInput = CpuSet | string | Iterable<number>;

/** One thread of a process, as `/proc` shows it. */
export interface ThreadInfo {
  /** OS thread id. */
  readonly tid: number;
  /** Thread name (`comm`), e.g. `node`, `V8Worker`, `libuv-worker`. */
  readonly name: string;
  /** CPUs the thread may run on (`Cpus_allowed_list`). */
  readonly cpus: CpuSet;
  /** CPU it last ran on (`/proc/…/stat` field 39). */
  readonly lastCpu: number | null;
  /** How often the scheduler moved it between CPUs (`se.nr_migrations`), or null where not shown. */
  readonly migrations: number | null;
}

/** Turns any {@link CpusInput} into a CpuSet. @throws {CpuSetSyntaxError} */
export function toCpuSet(cpus: CpusInput): CpuSet {
  if (cpus instanceof CpuSet) return cpus;
  if (typeof cpus === 'string') return CpuSet.parse(cpus);
  return CpuSet.from(cpus);
}

/**
 * Pins `target` to `cpus` and returns the effective set the kernel applied.
 * For a pid or `'self'`, every thread is pinned; `/proc/<pid>/task` is read again until no new
 * thread appears, and threads that exit meanwhile are skipped.
 * CPUs that are offline, outside the process's cgroup cpuset or beyond the machine are refused
 * before the kernel is asked.
 *
 * @throws {CpusUnavailableError | NoSuchProcessError | AffinityPermissionError | InvalidAffinityError}
 */
export function pin(target: Target, cpus: CpusInput): CpuSet {
  const set = toCpuSet(cpus);
  const backend = currentBackend();
  if (set.isEmpty) throw new CorepinError('ERR_EMPTY_CPUSET', `cannot pin ${describe(target)} to an empty CPU set; name at least one CPU`);
  checkPinnable(set, target);
  if (target === 'thread') {
    setOne(0, set, target);
    return backend.get(0);
  }
  if (typeof target === 'object') {
    setOne(target.tid, set, target);
    return backend.get(target.tid);
  }
  const pid = target === 'self' ? process.pid : target;
  pinAllThreads(pid, set, describe(target));
  return affinityOf(pid);
}

/** The affinity of `target` (a pid answers for its main thread, like taskset). */
export function affinityOf(target: Target): CpuSet {
  const backend = currentBackend();
  const tid = target === 'thread' ? 0 : target === 'self' ? process.pid : typeof target === 'object' ? target.tid : target;
  try {
    return backend.get(tid);
  } catch (err) {
    throw kernelError(err, describe(target), '');
  }
}

/** Every thread of `pid` with its name, allowed CPUs, last CPU and migrations. @throws {NoSuchProcessError} */
export function threadsOf(pid: number): ThreadInfo[] {
  if (process.platform !== 'linux') throw new UnsupportedPlatformError('threadsOf');
  const tids = taskIds(pid);
  if (tids === null) throw new NoSuchProcessError(`pid ${pid}`);
  const out: ThreadInfo[] = [];
  for (const tid of tids.sort((a, b) => a - b)) {
    const cpus = allowedCpus(pid, tid);
    if (cpus === null) continue; // exited while we looked
    out.push({ tid, name: threadName(pid, tid) ?? '?', cpus, lastCpu: lastCpu(pid, tid), migrations: migrations(pid, tid) });
  }
  return out;
}

/**
 * The CPUs this process can really use: its affinity ∩ its cgroup cpuset (v1 or v2) ∩ online CPUs.
 * Unlike `os.cpus().length`, this is right inside containers and Slurm jobs.
 */
export function usableCpus(): CpuSet {
  return affinityOf(process.pid).intersect(pinnableCpus('self').cpus);
}

/**
 * Like `child_process.spawn`, but the child — and every thread it will ever start — is inside `cpus`
 * from its first instruction: the calling thread is pinned for the instant of the fork (children
 * inherit the forking thread's mask) and restored right after. Argv is passed as given; no shell.
 */
export function spawnPinned(cpus: CpusInput, command: string, args: readonly string[] = [], options: SpawnOptions = {}): ChildProcess {
  const set = toCpuSet(cpus);
  const backend = currentBackend();
  if (set.isEmpty) throw new CorepinError('ERR_EMPTY_CPUSET', `cannot launch ${command} on an empty CPU set; name at least one CPU`);
  checkPinnable(set, 'self', command);
  const before = backend.get(0);
  setOne(0, set, 'thread');
  try {
    return spawn(command, args, { ...options, shell: false });
  } finally {
    restoreCallingThread(before);
  }
}

/**
 * Puts the calling thread back on `before`, its mask before it was pinned for an instant (to fork or
 * to create a thread). A thread that was on every CPU it may use — unpinned, as far as anyone can
 * tell — gets every possible CPU back instead: the kernel keeps it inside its cpuset, and it follows
 * the cpuset when it grows again, as an unpinned thread does. Setting the narrowed mask of a
 * shrunken cpuset would keep it (and the pool's view of the usable CPUs) there for good.
 * @internal
 */
export function restoreCallingThread(before: CpuSet): void {
  const backend = currentBackend();
  let target = before;
  try {
    if (before.equals(pinnableCpus('self').cpus)) target = before.union(readCpuListFile('/sys/devices/system/cpu/possible') ?? before);
  } catch {
    // unreadable sysfs: restore exactly what it had
  }
  for (const mask of target === before ? [before] : [target, before]) {
    try {
      backend.set(0, mask);
      return;
    } catch {
      // The old mask may have become invalid (cpuset shrank); the kernel keeps us on the pinned set, still valid.
    }
  }
}

/** Whether corepin can work here: Linux, with the native addon or util-linux taskset. */
export function isSupported(): boolean {
  return process.platform === 'linux' && (loadNativeAddon() !== null || hasTaskset());
}

/** The calling thread's OS thread id (gettid), unlike a worker's `threadId`. */
export function currentThreadId(): number {
  return currentBackend().tid();
}

/** The CPU the calling thread is running on right now (sched_getcpu). */
export function currentCpu(): number {
  return currentBackend().cpu();
}

// Pinnable CPUs of this process, remembered so hot pins skip four file reads; a request outside it
// is re-read before refusing, so a grown cpuset is seen at once, and a shrunk one is caught by the kernel.
let selfPinnable: CpuSet | undefined;

function checkPinnable(set: CpuSet, target: Target, what?: string): void {
  const pid = typeof target === 'number' ? target : 'self';
  if (pid === 'self' && selfPinnable && set.isSubsetOf(selfPinnable)) return;
  const p = pinnableCpus(pid);
  if (pid === 'self') selfPinnable = p.cpus;
  const bad = set.difference(p.cpus);
  if (bad.isEmpty) return;
  const reasons = new Map<number, UnavailableReason>();
  for (const c of bad) reasons.set(c, p.why(c));
  throw new CpusUnavailableError(`${what ?? describe(target)} to CPUs ${set.toList()}`, reasons, p.cpus.toList());
}

function setOne(tid: number, set: CpuSet, target: Target): void {
  try {
    currentBackend().set(tid, set);
  } catch (err) {
    selfPinnable = undefined;
    throw kernelError(err, describe(target), set.toList());
  }
}

function pinAllThreads(pid: number, set: CpuSet, what: string): void {
  const backend = currentBackend();
  const done = new Set<number>();
  for (;;) {
    const tids = taskIds(pid);
    if (tids === null) throw new NoSuchProcessError(what);
    let fresh = false;
    for (const tid of tids) {
      if (done.has(tid)) continue;
      fresh = true;
      done.add(tid);
      try {
        backend.set(tid, set);
      } catch (err) {
        const code = (err as { code?: unknown }).code;
        if (code === 'ESRCH' && tid !== pid) continue; // thread exited meanwhile: fine
        throw kernelError(err, what, set.toList());
      }
    }
    if (!fresh) return;
  }
}

function kernelError(err: unknown, what: string, cpus: string): Error {
  const code = (err as { code?: unknown }).code;
  if (code === 'ESRCH') return new NoSuchProcessError(what);
  if (code === 'EPERM') return new AffinityPermissionError(what);
  if (code === 'EINVAL') return new InvalidAffinityError(what, cpus);
  return err instanceof Error ? err : new Error(String(err));
}

function describe(target: Target): string {
  if (target === 'thread') return 'the calling thread';
  if (target === 'self') return `this process (pid ${process.pid})`;
  if (typeof target === 'object') return `thread ${target.tid}`;
  return `pid ${target}`;
}
