import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { COMMANDS } from '../../src/cli/commands/commandRegistry.js';
import { importsOf, tsFiles } from '../support/importsOf.js';

/** The repository (tests run from dist/test/cli). */
const REPO = fileURLToPath(new URL('../../../', import.meta.url));
const CLI_SRC = join(REPO, 'src/cli');

test('the import scan sees every form of import (so the next test cannot pass by missing one)', () => {
  const source = `import { a } from '../os/procfs.js';\nimport type { B } from "../../os/validId.js";\nexport { c } from '../os/x.js';\nimport '../os/side.js';\nconst m = await import('../os/lazy.js');\nnew URL('../os/addon.node', import.meta.url);\n`;
  assert.deepEqual(importsOf(source).sort(), ['../../os/validId.js', '../os/addon.node', '../os/lazy.js', '../os/procfs.js', '../os/side.js', '../os/x.js']);
});

test('no file under src/cli imports src/os: the CLI reaches the kernel only through the library', () => {
  const offenders: string[] = [];
  const files = tsFiles(CLI_SRC);
  assert.ok(files.length > 30, `scanned ${files.length} files under ${CLI_SRC}`);
  for (const file of files) {
    for (const spec of importsOf(readFileSync(file, 'utf8'))) {
      if (!spec.startsWith('.')) continue;
      const target = relative(REPO, resolve(dirname(file), spec));
      if (target === 'src/os' || target.startsWith('src/os/')) offenders.push(`${relative(REPO, file)} imports ${spec}`);
    }
  }
  assert.deepEqual(offenders, [], `use the public library (src/affinity.ts, src/index.ts) instead:\n${offenders.join('\n')}`);
});

test('one registry of commands: every command module under src/cli/commands is in it, and it names nothing else', () => {
  const modules = readdirSync(join(CLI_SRC, 'commands'))
    .filter((f) => f.endsWith('.ts') && /^export function command\(\)/m.test(readFileSync(join(CLI_SRC, 'commands', f), 'utf8')))
    .map((f) => f.replace(/\.ts$/, ''))
    .sort();
  assert.deepEqual(Object.keys(COMMANDS).sort(), modules);
  const registry = readFileSync(join(CLI_SRC, 'commands/commandRegistry.ts'), 'utf8');
  for (const [name, load] of Object.entries(COMMANDS)) assert.match(String(load), new RegExp(`\\./${name}\\.js`), `${name} loads its own module`);
  assert.doesNotMatch(registry + readFileSync(join(CLI_SRC, 'commands/completion.ts'), 'utf8'), /readdirSync/, 'completion uses the registry, not a directory listing');
});
