import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';
import { cjsRequire } from './cjsRequire.js';

/** The functions native/corepin.cc exports. */
export interface NativeAddon {
  getAffinity(tid: number): Buffer;
  getAffinityInto(tid: number, out: Uint8Array): number;
  setAffinity(tid: number, mask: Uint8Array): void;
  /** set then get in one call: -1 when the kernel's mask equals `mask`, else its significant bytes in `out`, or -needed when `out` is too small. `out` must not share memory with `mask` (the read would overwrite the request it is compared with). */
  pinAndRead(tid: number, mask: Uint8Array, out: Uint8Array): number;
  /** setAffinity with the mask as a number (bit n is CPU n; 1 to 2^53 - 1). Absent from addons built before it. */
  setAffinityBits?(tid: number, bits: number): void;
  /** pinAndRead with the mask as a number: -1 when the kernel applied exactly `bits`, else its mask as a number, or -2 when a CPU of it is 53 or above (read it with getAffinityInto). */
  pinAndReadBits?(tid: number, bits: number): number;
  gettid(): number;
  getcpu(): number;
  setParentDeathSignal(signal: number): void;
  /** native/sched.cc: the calling thread's memory policy (MPOL_* mode, node mask bytes). */
  setMempolicy(mode: number, nodes: Uint8Array): void;
  getMempolicy(): { mode: number; nodes: Buffer };
  setNice(tid: number, nice: number): void;
  getNice(tid: number): number;
  setScheduler(tid: number, policy: number): void;
  getScheduler(tid: number): number;
  /** errno of trying `nice` / `policy` (-1: unchanged) on a throwaway thread; 0 when allowed. */
  probeSched(nice: number | null, policy: number): number;
}

/** Environment variable through which a pool hands its process workers the addon's resolved path. */
export const ADDON_PATH_ENV = 'COREPIN_ADDON_PATH';

let cached: NativeAddon | null | undefined;
let loadError: string | undefined;
let loadedFrom: string | undefined;

/**
 * Loads the addon once; null when it cannot load. `knownPath` (a path the parent already resolved,
 * given to workers) is required directly, which skips node-gyp-build's directory search (a few ms
 * per worker); if it fails, the search runs as usual.
 */
export function loadNativeAddon(knownPath?: string): NativeAddon | null {
  if (cached !== undefined) return cached;
  if (process.platform !== 'linux') {
    loadError = `not Linux (${process.platform})`;
    return (cached = null);
  }
  const require = cjsRequire(import.meta.url);
  const hint = knownPath ?? process.env[ADDON_PATH_ENV];
  if (hint !== undefined && hint !== '') {
    try {
      cached = require(hint) as NativeAddon;
      loadedFrom = hint;
      return cached;
    } catch {
      // A stale or foreign path: search as usual.
    }
  }
  try {
    const gyp = require('node-gyp-build') as { resolve(dir: string): string };
    // dist/src/os -> package root
    const path = gyp.resolve(join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..'));
    cached = require(path) as NativeAddon;
    loadedFrom = path;
  } catch (err) {
    loadError = err instanceof Error ? err.message.split('\n')[0] : String(err);
    cached = null;
  }
  return cached;
}

/** The file the addon was loaded from, if it was loaded (workers are given it so they need not search). */
export function nativeAddonPath(): string | undefined {
  return loadedFrom;
}

/** Why the addon did not load, for the fallback warning. */
export function nativeAddonLoadError(): string | undefined {
  return loadError;
}
