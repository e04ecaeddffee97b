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
import { validId } from './os/validId.js';
import type { AffinityBackend } from './os/AffinityBackend.js';
import { currentBackend } from './os/currentBackend.js';
import { pinnableCpus } from './os/pinnableCpus.js';
import { allowedCpus, lastCpu, migrations, parseUserCpus, readCpuListFile, taskIds, threadName } from './os/procfs.js';
import { loadNativeAddon } from './os/nativeAddon.js';
import { hasTaskset } from './os/currentBackend.js';

/**
 * What to pin or read:
 * - a pid (number): every thread of that process (reads answer for its main thread, like taskset);
 * - `{ tid }`: one thread, by OS thread id;
 * - `'self'`: every thread of this process;
 * - `'thread'`: the calling thread only (a worker thread pins itself this way).
 *
 * @example
 * ```ts
 * import { pin, type Target } from 'corepin';
 * const targets: Target[] = [1234, { tid: 5678 }, 'self', 'thread'];
 * for (const t of targets) pin(t, '0-1');
 * ```
 */
export type Target =
  | number
  | {
      /** One OS thread id (of any process). */
      tid: number;
    }
  | 'self'
  | 'thread';

/**
 * CPUs as a {@link CpuSet}, a list or mask string (`'0-3'`, `'0x3'`), or CPU numbers.
 *
 * @example
 * ```ts
 * import { pin, CpuSet, type CpusInput } from 'corepin';
 * const inputs: CpusInput[] = ['0-3', '0x3', [0, 2], CpuSet.of(1)];
 * pin('thread', inputs[0]!);
 * ```
 */
export type CpusInput = CpuSet | string | Iterable<number>;

/**
 * One thread of a process, as `/proc` shows it.
 *
 * @example
 * ```ts
 * import { threadsOf, type ThreadInfo } from 'corepin';
 * const busy: ThreadInfo[] = threadsOf(process.pid).filter((t) => (t.migrations ?? 0) > 100);
 * for (const t of busy) console.log(t.tid, t.name, t.cpus.toList(), t.lastCpu);
 * ```
 */
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

// Parsed CPU list texts (see toCpuSet); at most 64, cleared when full.
const parsedCpus = new Map<string, CpuSet>();

/**
 * Turns any {@link CpusInput} into a CpuSet (`N` and `all` in a list: up to the last possible CPU). @throws {CpuSetSyntaxError}
 *
 * @example
 * ```ts
 * import { toCpuSet } from 'corepin';
 * toCpuSet('0-3').size;      // 4
 * toCpuSet([5, 1]).toList(); // '1,5'
 * toCpuSet('0x5').toList();  // '0,2'
 * ```
 */
export function toCpuSet(cpus: CpusInput): CpuSet {
  if (cpus instanceof CpuSet) return cpus;
  if (typeof cpus === 'string') {
    // Parsing costs more than the system call itself; a caller pinning with the same text again
    // (a loop, every worker of a pool) gets the same immutable set. `N`/`all` read the possible
    // CPUs, which are fixed at boot, so the cache stays right.
    let set = parsedCpus.get(cpus);
    if (set === undefined) {
      set = parseUserCpus(cpus);
      if (parsedCpus.size >= 64) parsedCpus.clear();
      parsedCpus.set(cpus, set);
    }
    return set;
  }
  return CpuSet.from(cpus);
}

/**
 * Pins `target` to `cpus` and returns the effective set the kernel applied.
 * For a pid or `'self'`, every thread is pinned; `/proc/<pid>/task` is read again until no new
 * thread appears, and threads that exit meanwhile are skipped.
 * CPUs that are offline, outside the process's cgroup cpuset or beyond the machine are refused
 * with {@link CpusUnavailableError}: before the kernel is asked when corepin's view of them is
 * current. This process's pinnable set is cached (hot pins skip four file reads), so after a cpuset
 * shrink or a CPU going offline one request can reach the kernel: when the kernel then applies fewer
 * CPUs than asked, or refuses them all (EINVAL), the set is re-read and the same
 * `CpusUnavailableError` is thrown — its message says what the kernel left the target on.
 * For one thread (`'thread'`, `{ tid }`) the kernel's answer is read back in the same native call;
 * for a single CPU it is not read back at all, as the kernel either applies exactly that CPU or
 * refuses with EINVAL.
 *
 * @throws {InvalidIdError} when a pid or tid is not a positive integer below the kernel's pid_max.
 * @throws {CpusUnavailableError | NoSuchProcessError | AffinityPermissionError | InvalidAffinityError}
 *
 * @example
 * ```ts
 * import { pin, CpuSet } from 'corepin';
 * pin('self', '0-3');          // every thread of this process; children inherit it
 * pin('thread', '2');          // only the calling thread (e.g. inside a worker_thread)
 * pin(1234, CpuSet.of(0, 1));  // every thread of pid 1234
 * ```
 */
export function pin(target: Target, cpus: CpusInput): CpuSet {
  checkTarget(target);
  const set = toCpuSet(cpus);
  const backend = currentBackend();
  if (set.isEmpty) throw new CorepinError('ERR_EMPTY_CPUSET', `cannot pin ${describe(target)} to an empty CPU set; name at least one CPU`);
  checkPinnable(set, target);
  if (target === 'thread' || typeof target === 'object') {
    const tid = target === 'thread' ? 0 : target.tid;
    // One CPU: the kernel applies request ∩ cpuset and refuses an empty result (or an inactive CPU)
    // with EINVAL, so success already says the effective set is exactly this CPU: no read-back.
    if (set.size === 1) {
      setOne(tid, set, target);
      return set;
    }
    return confirmed(setAndRead(backend, tid, set, target), set, target);
  }
  const pid = target === 'self' ? process.pid : target;
  pinAllThreads(pid, set, target);
  return confirmed(affinityOf(pid), set, target);
}

/**
 * The affinity of `target` (a pid answers for its main thread, like taskset).
 * @throws {InvalidIdError | NoSuchProcessError}
 *
 * @example
 * ```ts
 * import { affinityOf } from 'corepin';
 * affinityOf('thread').toList(); // '0-7'
 * affinityOf(1234).toMask();     // as `taskset -p 1234` shows it
 * ```
 */
export function affinityOf(target: Target): CpuSet {
  checkTarget(target);
  const backend = currentBackend();
  const tid = target === 'thread' ? 0 : target === 'self' ? process.pid : typeof target === 'object' ? target.tid : target;
  try {
    return backend.get(tid);
  } catch (err) {
    throw kernelError(err, describe(target), '');
  }
}

/**
 * Every thread of `pid` with its name, allowed CPUs, last CPU and migrations. @throws {InvalidIdError | NoSuchProcessError}
 *
 * @example
 * ```ts
 * import { threadsOf } from 'corepin';
 * for (const t of threadsOf(process.pid)) console.log(t.tid, t.name, t.cpus.toList(), t.lastCpu, t.migrations);
 * ```
 */
export function threadsOf(pid: number): ThreadInfo[] {
  validId(pid, 'pid');
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
 *
 * @example
 * ```ts
 * import { usableCpus } from 'corepin';
 * const cpus = usableCpus();
 * console.log(cpus.size, cpus.toList()); // e.g. 4 '2-5' inside `docker run --cpuset-cpus 2-5`
 * ```
 */
export function usableCpus(): CpuSet {
  return affinityOf(process.pid).intersect(pinnableCpus('self').cpus);
}

/**
 * Like `child_process.spawn`, but the child — and every thread it will ever start — is inside `cpus`
 * from its first instruction: the calling thread is pinned for the instant of the fork (children
 * inherit the forking thread's mask) and restored right after. Argv is passed as given; no shell.
 *
 * @example
 * ```ts
 * import { spawnPinned } from 'corepin';
 * const child = spawnPinned('0-1', 'make', ['-j2'], { stdio: 'inherit' });
 * child.on('exit', (code) => console.log('make exited', code));
 * ```
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

/**
 * Whether corepin can work here: Linux, with the native addon or util-linux taskset.
 *
 * @example
 * ```ts
 * import { isSupported, pin } from 'corepin';
 * if (isSupported()) pin('self', '0-1');
 * else console.warn('CPU affinity is not available on this platform');
 * ```
 */
export function isSupported(): boolean {
  return process.platform === 'linux' && (loadNativeAddon() !== null || hasTaskset());
}

/**
 * The calling thread's OS thread id (gettid), unlike a worker's `threadId`.
 *
 * @example
 * ```ts
 * import { currentThreadId, affinityOf } from 'corepin';
 * const tid = currentThreadId();       // the OS thread id, as /proc/<pid>/task/<tid> names it
 * affinityOf({ tid }).toList();
 * ```
 */
export function currentThreadId(): number {
  return currentBackend().tid();
}

/**
 * The CPU the calling thread is running on right now (sched_getcpu).
 *
 * @example
 * ```ts
 * import { currentCpu, pin } from 'corepin';
 * pin('thread', '1');
 * currentCpu(); // 1
 * ```
 */
export function currentCpu(): number {
  return currentBackend().cpu();
}

// Pinnable CPUs of this process, remembered so hot pins skip four file reads. A request outside it
// is re-read before refusing, so a grown cpuset is seen at once; a shrunk one (or an offline CPU)
// shows as the kernel applying fewer CPUs than asked, or EINVAL, and is re-read then (`confirmed`).
let selfPinnable: CpuSet | undefined;

function checkPinnable(set: CpuSet, target: Target, what?: string): void {
  const pid = typeof target === 'number' ? target : 'self';
  if (pid === 'self' && selfPinnable && set.isSubsetOf(selfPinnable)) return;
  const refusal = unpinnable(set, target, what);
  if (refusal) throw refusal;
}

/** The refusal of `set` for `target` from a fresh read of its pinnable CPUs, or null when all are pinnable. */
function unpinnable(set: CpuSet, target: Target, what?: string): CpusUnavailableError | null {
  const pid = typeof target === 'number' ? target : 'self';
  const p = pinnableCpus(pid);
  if (pid === 'self') selfPinnable = p.cpus;
  const bad = set.difference(p.cpus);
  if (bad.isEmpty) return null;
  const reasons = new Map<number, UnavailableReason>();
  for (const c of bad) reasons.set(c, p.why(c));
  return new CpusUnavailableError(`${what ?? describe(target)} to CPUs ${set.toList()}`, reasons, p.cpus.toList());
}

/**
 * The effective set, once it is known to be what was asked. Fewer CPUs than asked means the
 * pinnable set changed since it was read (the kernel intersects with the cpuset and online CPUs
 * without an error): re-read it and refuse the request as if it had been checked first.
 */
function confirmed(effective: CpuSet, set: CpuSet, target: Target): CpuSet {
  if (effective === set || effective.equals(set)) return effective;
  selfPinnable = undefined;
  const refusal = unpinnable(set, target);
  if (refusal === null) return effective;
  refusal.message += `; the cpuset or online CPUs changed since corepin last read them, and the kernel left ${describe(target)} on ${effective.toList() || '(none)'}`;
  throw refusal;
}

/** Sets one thread and reads back what the kernel applied: one backend step where it has one (the native addon). */
function setAndRead(backend: AffinityBackend, tid: number, set: CpuSet, target: Target): CpuSet {
  if (backend.setAndGet === undefined) {
    setOne(tid, set, target);
    return backend.get(tid);
  }
  try {
    return backend.setAndGet(tid, set);
  } catch (err) {
    throw setError(err, set, target);
  }
}

function setOne(tid: number, set: CpuSet, target: Target): void {
  try {
    currentBackend().set(tid, set);
  } catch (err) {
    throw setError(err, set, target);
  }
}

/** The error to throw for a failed set: a stale pinnable cache is re-read first, so EINVAL names the unusable CPUs. */
function setError(err: unknown, set: CpuSet, target: Target): Error {
  selfPinnable = undefined;
  // EINVAL: none of the CPUs is usable now; a stale cache let the request through.
  if ((err as { code?: unknown }).code === 'EINVAL') {
    const refusal = unpinnable(set, target);
    if (refusal) return refusal;
  }
  return kernelError(err, describe(target), set.toList());
}

function pinAllThreads(pid: number, set: CpuSet, target: Target): void {
  const what = describe(target);
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
        if (code === 'EINVAL') {
          if (typeof target !== 'number') selfPinnable = undefined;
          const refusal = unpinnable(set, target);
          if (refusal) throw refusal;
        }
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

/** Refuses a pid or tid that a 32-bit pid_t would turn into another task (see {@link validId}). */
function checkTarget(target: Target): void {
  if (target === 'self' || target === 'thread') return;
  if (typeof target === 'object' && target !== null && 'tid' in target) validId((target as { tid: unknown }).tid, 'tid');
  else validId(target, 'pid');
}

function describe(target: Target): string {
  if (target === 'thread') return 'the calling thread';
  if (target === 'self') return `this process (pid ${process.pid})`;
  if (typeof target === 'object') return `thread ${target.tid}`;
  return `pid ${target}`;
}
