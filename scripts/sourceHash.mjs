// The sha256 of what a prebuild is compiled from (binding.gyp and native/*), so an install can tell
// whether the shipped prebuilds match the sources beside them (a git checkout where native/ changed).
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/** Hex sha256 over binding.gyp and every file of native/, in name order. */
export function sourceHash(root) {
  const files = ['binding.gyp', ...readdirSync(join(root, 'native')).sort().map((f) => join('native', f))];
  const hash = createHash('sha256');
  for (const f of files) hash.update(`${f}\0`).update(readFileSync(join(root, f))).update('\0');
  return hash.digest('hex');
}

/** Where `npm run prebuild` records the hash the prebuilds were built from. */
export const SOURCE_HASH_FILE = join('prebuilds', 'sources.sha256');
