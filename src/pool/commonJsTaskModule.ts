import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

/**
 * The task module's path if workers should load it with `require()`, else null (`import()`).
 *
 * A CommonJS task module loaded with `require()` from the worker's CommonJS entry never starts Node's
 * ES module loader in the worker: −9.9 % (`.cjs`) to −13.4 % (CommonJS `.js`) of a fresh process
 * worker's instructions (bench/history/recycle4.md). Decided here, once per pool, so ES modules pay
 * nothing for it. CommonJS means Node's own rule: `.cjs`, or `.js` whose nearest package.json does
 * not say `"type": "module"`. Never when module customization hooks may be registered (`--import`,
 * `--loader`, `--experimental-loader` in the workers' flags or NODE_OPTIONS): hooks may transform
 * or load the file, and only `import()` is sure to go through them.
 */
export function commonJsTaskModule(path: string, flags: readonly (string | undefined)[]): string | null {
  if (/--(import|loader|experimental-loader)\b/.test(flags.join(' '))) return null;
  if (path.endsWith('.cjs')) return path;
  if (!path.endsWith('.js')) return null;
  return packageType(dirname(path)) === 'commonjs' ? path : null;
}

/** The `type` of the nearest package.json at or above `dir` ('commonjs' when none), or null when unreadable. */
function packageType(dir: string): 'commonjs' | 'module' | null {
  for (;;) {
    const file = join(dir, 'package.json');
    if (existsSync(file)) {
      try {
        const type = (JSON.parse(readFileSync(file, 'utf8')) as { type?: unknown }).type;
        if (type === 'module') return 'module';
        return type === undefined || type === 'commonjs' ? 'commonjs' : null;
      } catch {
        // Node would refuse to load it; import() gives that error.
        return null;
      }
    }
    const up = dirname(dir);
    if (up === dir) return 'commonjs';
    dir = up;
  }
}
