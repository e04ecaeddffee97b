import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';

/** The functions native/corepin.cc exports. */
export interface NativeAddon {
  getAffinity(tid: number): Buffer;
  getAffinityInto(tid: number, out: Uint8Array): number;
  setAffinity(tid: number, mask: Uint8Array): void;
  gettid(): number;
  getcpu(): number;
  setParentDeathSignal(signal: number): void;
}

let cached: NativeAddon | null | undefined;
let loadError: string | undefined;

/** Loads the addon once (through node-gyp-build, which also finds prebuilt binaries); null when it cannot load. */
export function loadNativeAddon(): NativeAddon | null {
  if (cached !== undefined) return cached;
  if (process.platform !== 'linux') {
    loadError = `not Linux (${process.platform})`;
    return (cached = null);
  }
  try {
    const require = createRequire(import.meta.url);
    const load = require('node-gyp-build') as (dir: string) => NativeAddon;
    // dist/src/os -> package root
    cached = load(join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..'));
  } catch (err) {
    loadError = err instanceof Error ? err.message.split('\n')[0] : String(err);
    cached = null;
  }
  return cached;
}

/** Why the addon did not load, for the fallback warning. */
export function nativeAddonLoadError(): string | undefined {
  return loadError;
}
