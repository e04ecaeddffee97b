// pin('thread', cpus) with the very input of the calling thread's last pin — the same immutable
// CpuSet, or the same text (a text always parses to the same set; an array can change, so it is
// never remembered): a loop, a worker re-pinning itself. Only the addon call is made. The full path's checks are
// known to pass — the set was checked against this process's pinnable CPUs, and that cached view is
// the same object (it is replaced whenever it is re-read) — and the answer is still the kernel's own:
// for one CPU the set succeeding proves it (the kernel applies request ∩ cpuset and refuses an empty
// result with EINVAL), for several the kernel's mask is read back and compared in the same native
// call. Anything else (an error, a narrower mask) drops the record and runs the full path, which sets
// the same mask again (idempotent), reads it back and refuses or reports exactly as it always does.
// Skipping the layers saves ~0.2–0.3 µs per call (bench/history/pin3.md): after every system call
// the TLB is empty here, and each object the checks touch costs a page walk.
import type { CpuSet } from '../cpuset/CpuSet.js';
import type { AffinityBackend } from '../os/AffinityBackend.js';
import { currentBackend } from '../os/currentBackend.js';
import { loadNativeAddon, type NativeAddon } from '../os/nativeAddon.js';

interface Hot {
  readonly set: CpuSet;
  /** What pin was given: `set` itself or the text it was parsed from. */
  readonly input: CpuSet | string;
  /** The backend it was pinned with (selectBackend makes a new one). */
  readonly backend: AffinityBackend;
  /** The pinnable set it was checked against (its identity: a re-read replaces it). */
  readonly pinnable: CpuSet;
  readonly addon: NativeAddon;
  /** The mask as a number (bit n is CPU n). */
  readonly bits: number;
  readonly one: boolean;
}

let hot: Hot | undefined;

/**
 * Pins the calling thread when `cpus` is the input remembered by {@link rememberHotPin} and nothing
 * it was checked against changed; returns the set, which the kernel applied exactly. Undefined:
 * nothing is known (another input, or the call failed or applied another mask) — take the full path.
 */
export function pinHot(cpus: unknown, pinnable: CpuSet | undefined): CpuSet | undefined {
  const h = hot;
  if (h === undefined || (cpus !== h.input && cpus !== h.set) || h.pinnable !== pinnable || h.backend !== currentBackend()) return undefined;
  try {
    if (h.one) {
      h.addon.setAffinityBits!(0, h.bits);
      return h.set;
    }
    if (h.addon.pinAndReadBits!(0, h.bits) === -1) return h.set;
  } catch {
    // The full path repeats the call and turns the refusal into corepin's typed error.
  }
  hot = undefined;
  return undefined;
}

/**
 * Remembers `set` (given to pin as `input`: the set itself or a text) after the full path pinned the
 * calling thread to exactly it, checked against `pinnable`. Only on the native backend with the
 * addon's number paths, and only for CPUs below 53.
 */
export function rememberHotPin(set: CpuSet, input: CpuSet | string, pinnable: CpuSet | undefined): void {
  const backend = currentBackend();
  const addon = backend.name === 'native' ? loadNativeAddon() : null;
  const last = set.last;
  if (pinnable === undefined || addon === null || typeof addon.setAffinityBits !== 'function' || typeof addon.pinAndReadBits !== 'function' || last === undefined || last >= 53) {
    hot = undefined;
    return;
  }
  let bits = 0;
  for (const c of set.toArray()) bits += 2 ** c;
  hot = { set, input, backend, pinnable, addon, bits, one: set.size === 1 };
}
