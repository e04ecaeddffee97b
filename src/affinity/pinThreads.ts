// How affinity.ts sets masks: the pinnable-CPU check before the kernel is asked, and the re-check
// after it, which turns a stale view (cpuset shrunk, CPU offline) into the same precise refusal.
import type { CpuSet } from '../cpuset/CpuSet.js';
import { AffinityPermissionError, CpusUnavailableError, InvalidAffinityError, NoSuchProcessError } from './errors.js';
import type { UnavailableReason } from '../os/errors.js';
import type { AffinityBackend } from '../os/AffinityBackend.js';
import { currentBackend } from '../os/currentBackend.js';
import { pinnableCpus } from '../os/pinnableCpus.js';
import { taskIds } from '../os/procfs.js';
import type { Target } from '../affinity.js';
import { describeTarget } from './checkTarget.js';

// Pinnable CPUs of this process, remembered so hot pins skip four file reads. A request outside it
// is re-read before refusing, so a grown cpuset is seen at once; a shrunk one (or an offline CPU)
// shows as the kernel applying fewer CPUs than asked, or EINVAL, and is re-read then (`confirmed`).
let selfPinnable: CpuSet | undefined;
// The last set found inside selfPinnable, and that selfPinnable: the same immutable set pinned again
// skips the subset walk. selfPinnable is replaced (never changed) on every re-read, so a re-read
// cpuset invalidates this by identity.
let acceptedSet: CpuSet | undefined;
let acceptedIn: CpuSet | undefined;

/** This process's cached pinnable CPUs, as an identity: a re-read or a reset gives another value. */
export function pinnableStamp(): CpuSet | undefined {
  return selfPinnable;
}

/** Refuses `set` for `target` unless every CPU is pinnable (this process's set cached; see above). */
export function checkPinnable(set: CpuSet, target: Target, what?: string): void {
  const pid = typeof target === 'number' ? target : 'self';
  if (pid === 'self' && selfPinnable !== undefined) {
    if (set === acceptedSet && acceptedIn === selfPinnable) return;
    if (set.isSubsetOf(selfPinnable)) {
      acceptedSet = set;
      acceptedIn = selfPinnable;
      return;
    }
  }
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
  return new CpusUnavailableError(`${what ?? describeTarget(target)} to CPUs ${set.toList()}`, reasons, p.cpus.toList());
}

/**
 * The effective set, once it is known to be what was asked. Fewer CPUs than asked means the
 * pinnable set changed since it was read (the kernel intersects with the cpuset and online CPUs
 * without an error): re-read it and refuse the request as if it had been checked first.
 */
export function confirmed(effective: CpuSet, set: CpuSet, target: Target): CpuSet {
  if (effective === set || effective.equals(set)) return effective;
  selfPinnable = undefined;
  const refusal = unpinnable(set, target);
  if (refusal === null) return effective;
  refusal.message += `; the cpuset or online CPUs changed since corepin last read them, and the kernel left ${describeTarget(target)} on ${effective.toList() || '(none)'}`;
  throw refusal;
}

/** Sets one thread's mask (0: the calling thread); a kernel refusal becomes corepin's typed error. */
export function pinThread(tid: number, set: CpuSet, target: Target): void {
  try {
    currentBackend().set(tid, set);
  } catch (err) {
    throw setError(err, set, target);
  }
}

/** Sets one thread and reads back what the kernel applied: one backend step where it has one (the native addon). */
export function setAndRead(backend: AffinityBackend, tid: number, set: CpuSet, target: Target): CpuSet {
  if (backend.setAndGet === undefined) {
    pinThread(tid, set, target);
    return backend.get(tid);
  }
  try {
    return backend.setAndGet(tid, set);
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
  return kernelError(err, describeTarget(target), set.toList());
}

/** Sets every thread of `pid`, reading /proc/<pid>/task again until no new thread appears. */
export function pinAllThreads(pid: number, set: CpuSet, target: Target): void {
  const what = describeTarget(target);
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

/** The typed error for a kernel refusal (ESRCH, EPERM, EINVAL) of `what`; other errors as they are. */
export function kernelError(err: unknown, what: string, cpus: string): Error {
  const code = (err as { code?: unknown }).code;
  if (code === 'ESRCH') return new NoSuchProcessError(what);
  if (code === 'EPERM') return new AffinityPermissionError(what);
  if (code === 'EINVAL') return new InvalidAffinityError(what, cpus);
  return err instanceof Error ? err : new Error(String(err));
}

