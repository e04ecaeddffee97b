import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { readTopology } from '../../src/topology/readTopology.js';
import type { Topology } from '../../src/topology/Topology.js';

// Core kinds where the kernel names none (no cpu_core/cpu_atom lists, no cpu_capacity): from cpufreq
// frequencies, as hwloc does. The Raptor Lake dump of hwloc's corpus is checked in hwlocCorpus.test.ts.

/** A tree of `cpus` single-thread cores (one package), plus `files` (path → text). */
function withMachine(cpus: number, files: Record<string, string>, fn: (t: Topology) => void): void {
  const root = mkdtempSync(join(tmpdir(), `corepin-kinds-${process.pid}-`));
  const all: Record<string, string> = { 'sys/devices/system/cpu/online': `0-${cpus - 1}\n` };
  for (let n = 0; n < cpus; n++) {
    all[`sys/devices/system/cpu/cpu${n}/topology/core_cpus_list`] = `${n}\n`;
    all[`sys/devices/system/cpu/cpu${n}/topology/package_cpus_list`] = `0-${cpus - 1}\n`;
  }
  try {
    for (const [path, text] of Object.entries({ ...all, ...files })) {
      mkdirSync(dirname(join(root, path)), { recursive: true });
      writeFileSync(join(root, path), text);
    }
    fn(readTopology(root));
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}

const freq = (n: number, file: string, khz: number): [string, string] => [`sys/devices/system/cpu/cpu${n}/cpufreq/${file}`, `${khz}\n`];
const kinds = (t: Topology): string[] => t.kinds.map((k) => `${k.name}:${k.cpus.toList()}:${k.source}`);

test('frequency kinds: Turbo Boost Max 3.0 favoured cores stay one kind with their base frequency', () => {
  // CPUs 0-3: base 1.9 GHz, max 5.0 or 5.2 GHz (4 % apart); CPUs 4-7: base 1.4 GHz, max 3.9 GHz.
  const files = Object.fromEntries([0, 1, 2, 3, 4, 5, 6, 7].flatMap((n) => [
    freq(n, 'cpuinfo_max_freq', n < 4 ? (n % 2 ? 5200000 : 5000000) : 3900000),
    freq(n, 'base_frequency', n < 4 ? 1900000 : 1400000),
  ]));
  withMachine(8, files, (t) => {
    assert.deepEqual(kinds(t), ['performance:0-3:frequency', 'efficiency:4-7:frequency']);
    assert.deepEqual(t.objects('core').map((c) => c.kind), ['performance', 'performance', 'performance', 'performance', 'efficiency', 'efficiency', 'efficiency', 'efficiency']);
  });
});

test('frequency kinds: maxima 10 % or more apart within one base frequency are different kinds', () => {
  const files = Object.fromEntries([0, 1, 2, 3].flatMap((n) => [freq(n, 'cpuinfo_max_freq', n < 2 ? 4400000 : 4000000), freq(n, 'base_frequency', 2000000)]));
  withMachine(4, files, (t) => assert.deepEqual(kinds(t), ['performance:0-1:frequency', 'efficiency:2-3:frequency']));
});

test('frequency kinds: three kinds rank by base frequency; the middle one is named by it', () => {
  const base = [3000000, 3000000, 2000000, 1000000];
  const files = Object.fromEntries([0, 1, 2, 3].flatMap((n) => [freq(n, 'cpuinfo_max_freq', 4000000), freq(n, 'base_frequency', base[n]!)]));
  withMachine(4, files, (t) => assert.deepEqual(kinds(t), ['performance:0-1:frequency', 'middle-2000MHz:2:frequency', 'efficiency:3:frequency']));
});

test('frequency kinds: acpi_cppc nominal_freq stands in for base_frequency (AMD preferred cores are one kind)', () => {
  // amd-pstate: no base_frequency; maxima 5.7 / 5.5 GHz (3.6 % apart) with the same nominal 4.5 GHz.
  const files = Object.fromEntries([0, 1, 2, 3].flatMap((n) => [
    freq(n, 'cpuinfo_max_freq', n === 0 ? 5700000 : 5500000),
    [`sys/devices/system/cpu/cpu${n}/acpi_cppc/nominal_freq`, '4500\n'],
  ]));
  withMachine(4, files, (t) => assert.deepEqual(kinds(t), []));
  // Without any base, the maxima alone decide (hwloc does the same): two kinds.
  const maxOnly = Object.fromEntries([0, 1, 2, 3].map((n) => freq(n, 'cpuinfo_max_freq', n === 0 ? 5700000 : 5500000)));
  withMachine(4, maxOnly, (t) => assert.deepEqual(kinds(t), ['performance:0:frequency', 'efficiency:1-3:frequency']));
});

test('frequency kinds: a CPU without cpufreq, or one whose base is missing, never yields a guessed kind', () => {
  // CPU 3 has no cpufreq at all: kinds need every online CPU.
  const partial = Object.fromEntries([0, 1, 2].flatMap((n) => [freq(n, 'cpuinfo_max_freq', n < 2 ? 5000000 : 3000000), freq(n, 'base_frequency', 2000000)]));
  withMachine(4, partial, (t) => assert.deepEqual(kinds(t), []));
  // CPU 3 lacks base_frequency: the maxima alone are compared (5.0 vs 5.0 GHz: all alike).
  const noBase = Object.fromEntries([0, 1, 2, 3].flatMap((n) => [freq(n, 'cpuinfo_max_freq', 5000000), ...(n < 3 ? [freq(n, 'base_frequency', n < 2 ? 2000000 : 1000000)] : [])]));
  withMachine(4, noBase, (t) => assert.deepEqual(kinds(t), []));
});

test('kind sources: the PMU lists win over cpu_capacity, and cpu_capacity over frequencies', () => {
  const freqs = Object.fromEntries([0, 1, 2, 3].flatMap((n) => [freq(n, 'cpuinfo_max_freq', n < 2 ? 5000000 : 3000000), freq(n, 'base_frequency', n < 2 ? 2000000 : 1000000)]));
  // Capacity says CPUs 0 and 3 are the big ones; frequencies say 0-1.
  const caps = Object.fromEntries([0, 1, 2, 3].map((n) => [`sys/devices/system/cpu/cpu${n}/cpu_capacity`, n === 0 || n === 3 ? '1024\n' : '512\n']));
  withMachine(4, { ...freqs, ...caps }, (t) => assert.deepEqual(kinds(t), ['performance:0,3:capacity', 'efficiency:1-2:capacity']));
  // The PMU lists say CPU 0 only is a P-core.
  const pmu = { 'sys/devices/cpu_core/cpus': '0\n', 'sys/devices/cpu_atom/cpus': '1-3\n' };
  withMachine(4, { ...freqs, ...caps, ...pmu }, (t) => assert.deepEqual(kinds(t), ['performance:0:pmu', 'efficiency:1-3:pmu']));
  // Equal capacities say nothing: the frequencies decide.
  const sameCaps = Object.fromEntries([0, 1, 2, 3].map((n) => [`sys/devices/system/cpu/cpu${n}/cpu_capacity`, '1024\n']));
  withMachine(4, { ...freqs, ...sameCaps }, (t) => assert.deepEqual(kinds(t), ['performance:0-1:frequency', 'efficiency:2-3:frequency']));
});
