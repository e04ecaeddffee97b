import { spawn, type ChildProcess, type SpawnOptions } from 'node:child_process';
import { CpuSet, type CpuSetFormat } from './cpuset/CpuSet.js';
import { EmptyCpuSetError, NoSuchProcessError } from './affinity/errors.js';
import { UnsupportedPlatformError } from './os/errors.js';
import { validId } from './os/validId.js';
import type { AffinityBackend } from './os/AffinityBackend.js';
import { currentBackend } from './os/currentBackend.js';
import { pinnableCpus } from './os/pinnableCpus.js';
import { allowedCpus, migrations, readCpuListFile, taskIds, threadName, threadStat } from './os/procfs.js';
import { checkTarget, describeTarget } from './affinity/checkTarget.js';
import { parseCpusCached } from './affinity/parseCpusCached.js';
import { checkPinnable, confirmed, kernelError, pinAllThreads, pinnableStamp, pinThread, setAndRead } from './affinity/pinThreads.js';
import { pinHot, rememberHotPin } from './affinity/hotPin.js';
import { loadNativeAddon } from './os/nativeAddon.js';
import { hasTaskset } from './os/currentBackend.js';
import { currentPidMax } from './os/validId.js';

export { pinnableCpus, type PinnableCpus } from './os/pinnableCpus.js';
export { clockTicks } from './os/clockTicks.js';

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
  /**
   * CPU time it has used, user + system, in clock ticks (`/proc/…/stat` fields 14 and 15; divide by
   * {@link clockTicks} for seconds), or null where not shown.
   */
  readonly cpuTicks: number | null;
  /** Its state letter (`/proc/…/stat` field 3): `R` running, `S` sleeping, `D` in I/O, `T` stopped, `Z` zombie …; null when unknown. */
  readonly state: string | null;
}

/**
 * Turns any {@link CpusInput} into a CpuSet (`N` and `all` in a list: up to the last possible CPU).
 * A string is read as `format` says: `auto` (default; a list unless it looks like a mask), or
 * `list` / `mask` to read it as taskset's `-c` does or does not. @throws {CpuSetSyntaxError}
 *
 * @example
 * ```ts
 * import { toCpuSet } from 'corepin';
 * toCpuSet('0-3').size;          // 4
 * toCpuSet([5, 1]).toList();     // '1,5'
 * toCpuSet('0x5').toList();      // '0,2'
 * toCpuSet('5', 'mask').toList(); // '0,2' (taskset's mask argument)
 * ```
 */
export function toCpuSet(cpus: CpusInput, format: CpuSetFormat = 'auto'): CpuSet {
  if (cpus instanceof CpuSet) return cpus;
  if (typeof cpus === 'string') return parseCpusCached(cpus, format);
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
 * refuses with EINVAL. `'thread'` again with the same CpuSet or text as its last pin makes only that
 * native call (the checks it passed still hold while the cached pinnable set is the same).
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
  // The calling thread again with the CPUs of its last pin (same CpuSet or text): the addon call alone.
  const hot = target === 'thread' ? pinHot(cpus, pinnableStamp()) : undefined;
  if (hot !== undefined) return hot;
  checkTarget(target);
  const set = toCpuSet(cpus);
  const backend = currentBackend();
  if (set.isEmpty) throw new EmptyCpuSetError(`cannot pin ${describeTarget(target)} to an empty CPU set; name at least one CPU`);
  checkPinnable(set, target);
  if (target === 'thread' || typeof target === 'object') {
    const tid = target === 'thread' ? 0 : target.tid;
    // One CPU: the kernel applies request ∩ cpuset and refuses an empty result (or an inactive CPU)
    // with EINVAL, so success already says the effective set is exactly this CPU: no read-back.
    let got = set;
    if (set.size === 1) pinThread(tid, set, target);
    else got = confirmed(setAndRead(backend, tid, set, target), set, target);
    if (tid === 0 && got === set) rememberHotPin(set, typeof cpus === 'string' ? cpus : set, pinnableStamp());
    return got;
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
    throw kernelError(err, describeTarget(target), '');
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
    const thread = readThread(pid, tid);
    if (thread !== null) out.push(thread); // null: exited while we looked
  }
  return out;
}

/**
 * One thread of `pid`, as {@link threadsOf} gives it; null when it does not exist (or has exited).
 * @throws {InvalidIdError} for a pid or tid that is not a positive integer below the kernel's pid_max.
 *
 * @example
 * ```ts
 * import { threadOf, currentThreadId } from 'corepin';
 * const me = threadOf(process.pid, currentThreadId());
 * console.log(me?.name, me?.cpus.toList(), me?.lastCpu, me?.state); // 'node' '0-7' 3 'R'
 * ```
 */
export function threadOf(pid: number, tid: number): ThreadInfo | null {
  validId(pid, 'pid');
  validId(tid, 'tid');
  if (process.platform !== 'linux') throw new UnsupportedPlatformError('threadOf');
  return readThread(pid, tid);
}

function readThread(pid: number, tid: number): ThreadInfo | null {
  const cpus = allowedCpus(pid, tid);
  if (cpus === null) return null;
  const stat = threadStat(pid, tid);
  return { tid, name: threadName(pid, tid) ?? '?', cpus, lastCpu: stat?.lastCpu ?? null, migrations: migrations(pid, tid), cpuTicks: stat?.cpuTicks ?? null, state: stat?.state ?? null };
}

/**
 * The kernel's `pid_max` (`/proc/sys/kernel/pid_max`): every pid and tid is below it. Read once and
 * remembered; `{ reread: true }` reads it again (an admin may raise it), as corepin does before
 * refusing an id at or above it. 2^22, the kernel's own limit, where the file cannot be read.
 *
 * @example
 * ```ts
 * import { pidMax } from 'corepin';
 * const pid = Number('4294967297');
 * if (!Number.isSafeInteger(pid) || pid <= 0 || pid >= pidMax({ reread: true })) console.error(`not a pid (pid_max is ${pidMax()})`);
 * ```
 */
export function pidMax(options: { reread?: boolean } = {}): number {
  return currentPidMax(options.reread === true);
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
  if (set.isEmpty) throw new EmptyCpuSetError(`cannot launch ${command} on an empty CPU set; name at least one CPU`);
  checkPinnable(set, 'self', command);
  const before = backend.get(0);
  pinThread(0, set, 'thread');
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
