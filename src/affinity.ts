import type { CpuSet } from './cpuset/CpuSet.js';
import { EmptyCpuSetError } from './affinity/errors.js';
import { currentBackend, hasTaskset } from './os/currentBackend.js';
import { pinnableCpus } from './os/pinnableCpus.js';
import { checkTarget, describeTarget } from './affinity/checkTarget.js';
import { checkPinnable, confirmed, kernelError, pinAllThreads, pinnableStamp, pinThread, setAndRead } from './affinity/pinThreads.js';
import { pinHot, rememberHotPin } from './affinity/hotPin.js';
import { toCpuSet, type CpusInput } from './affinity/toCpuSet.js';
import { loadNativeAddon } from './os/nativeAddon.js';
import { currentPidMax } from './os/validId.js';

// The library's affinity operations, one module path for them all (src/index.ts and the CLI import
// from here): pin and affinityOf are in this file; the others live beside them in affinity/.
export { pinnableCpus, type PinnableCpus } from './os/pinnableCpus.js';
export { clockTicks } from './os/clockTicks.js';
export { toCpuSet, type CpusInput } from './affinity/toCpuSet.js';
export { threadsOf, threadOf, type ThreadInfo } from './affinity/threadsOf.js';
export { spawnPinned, restoreCallingThread } from './affinity/spawnPinned.js';
export { currentThreadId, currentCpu } from './affinity/currentCpu.js';

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
