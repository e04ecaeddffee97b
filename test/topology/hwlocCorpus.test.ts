import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { readTopology } from '../../src/topology/readTopology.js';
import { compareWithHwloc } from './compareWithHwloc.js';
import { parseHwlocConsole } from './hwlocConsole.js';
import { CORPUS_DIR, corpusCases, extractDump } from './hwlocCorpus.js';

// hwloc's own Linux regression suite: real machines' sysfs and the lstopo output hwloc expects.
// Every case with a console target and no hwloc-only `env:` switch must group PUs exactly as hwloc.
const present = existsSync(join(CORPUS_DIR, 'README.md'));

test('hwloc corpus: corepin groups every machine as hwloc does', { skip: present ? false : `no hwloc corpus at ${CORPUS_DIR} (../shared/hwloc-linux beside the repo)` }, async (t) => {
  const tmp = mkdtempSync(join(tmpdir(), `corepin-hwloc-${process.pid}-`));
  const started = performance.now();
  const matched: string[] = [];
  const failed: string[] = [];
  const timed = new Set<string>();
  try {
    for (const c of corpusCases()) {
      if (c.env.length > 0) {
        console.log(`skip ${c.name}: env variant (${c.env.filter((e) => !e.startsWith('export')).join('; ')}) switches hwloc-only behaviour`);
        continue;
      }
      if (!existsSync(join(CORPUS_DIR, c.source))) {
        console.log(`skip ${c.name}: tarball ${c.source} not in the corpus`);
        continue;
      }
      const root = extractDump(c, tmp);
      const topology = readTopology(root);
      if (topology.pus.length >= 256 && !timed.has(c.source)) {
        // A measurement, printed, never asserted (the machine may be loaded): see also `npm run bench`.
        timed.add(c.source);
        const runs = [1, 2, 3, 4, 5].map(() => {
          const t0 = performance.now();
          const cpu0 = process.cpuUsage();
          readTopology(root);
          const cpu = process.cpuUsage(cpu0);
          return { wall: performance.now() - t0, cpu: (cpu.user + cpu.system) / 1000 };
        });
        const median = (xs: number[]): number => xs.sort((a, b) => a - b)[2]!;
        const load = loadavg()[0]!;
        console.log(
          `read ${c.name} (${topology.pus.length} CPUs): median ${median(runs.map((r) => r.wall)).toFixed(1)} ms wall, ${median(runs.map((r) => r.cpu)).toFixed(1)} ms CPU of 5 reads ` +
            `(load average ${load.toFixed(1)} on ${availableParallelism()} CPUs: ${load > availableParallelism() / 2 ? 'noisy' : 'light load'})`,
        );
      }
      if (!c.target.endsWith('.console') || !existsSync(join(CORPUS_DIR, c.target))) {
        // No expected grouping stored (hwloc keeps XML targets elsewhere): the dump must still read.
        assert.ok(topology.pus.length > 0, c.name);
        console.log(`read ${c.name}: ${topology.pus.length} PUs, ${topology.objects('core').length} cores; no console target (${c.target}) to compare with`);
        continue;
      }
      const expected = parseHwlocConsole(readFileSync(join(CORPUS_DIR, c.target), 'utf8'));
      const mode = {
        disallowed: c.options.includes('--disallowed'),
        onlyShownLevels: c.options.some((o) => o === '--no-caches' || o === '--merge' || o === '--filter'),
      };
      const diffs = compareWithHwloc(topology, expected, mode);
      await t.test(c.name, () => assert.deepEqual(diffs, [], `${c.name} (${root}):\n  ${diffs.join('\n  ')}`));
      (diffs.length === 0 ? matched : failed).push(c.name);
    }
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
  const seconds = ((performance.now() - started) / 1000).toFixed(1);
  console.log(`hwloc corpus: ${matched.length}/${matched.length + failed.length} machines match hwloc (${seconds} s, load average ${loadavg()[0]!.toFixed(1)})${failed.length ? `; differ: ${failed.join(', ')}` : ''}`);
  assert.ok(matched.length + failed.length >= 30, 'expected at least 30 comparable cases in the corpus');
});
