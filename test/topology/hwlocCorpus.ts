import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** `../shared/hwloc-linux` beside the repository (see its README.md). */
export const CORPUS_DIR = fileURLToPath(new URL('../../../../shared/hwloc-linux', import.meta.url));

/**
 * What the topology reader never opens (PCI trees, memory blocks, cache geometry …): left in the
 * tarball so the corpus extracts in a fraction of the time. cpufreq and acpi_cppc stay: core kinds
 * are read from them.
 */
const SKIP = [
  '*/sys/devices/pci*', '*/sys/devices/LNX*', '*/sys/devices/virtual', '*/sys/devices/platform', '*/sys/class',
  '*/sys/kernel', '*/sys/firmware', '*/sys/bus', '*/memory[0-9]*', '*/cpuidle', '*/hugepages',
  '*/power', '*/coherency_line_size', '*/ways_of_associativity', '*/number_of_sets', '*/physical_line_partition',
  '*/uevent', '*/allocation_policy', '*/write_policy', '*/numastat', '*/vmstat', '*/crash_notes*', '*/microcode',
  '*/firmware_node', '*/subsystem', '*/sys/devices/system/cpu/cpu*/driver', '*/proc/device-tree',
];

/** One `NAME.test` of hwloc's Linux regression suite. */
export interface CorpusCase {
  readonly name: string;
  /** The tarball (`source:`). */
  readonly source: string;
  /** Expected output file (`target:`). */
  readonly target: string;
  /** lstopo options (`options:`), split into words. */
  readonly options: readonly string[];
  /** `env:` lines: hwloc-only switches. */
  readonly env: readonly string[];
  /** `exclude:` file for `tar --exclude-from`, or null. */
  readonly exclude: string | null;
}

/** Every `.test` file of the corpus, by name. */
export function corpusCases(dir = CORPUS_DIR): CorpusCase[] {
  return readdirSync(dir)
    .filter((f) => f.endsWith('.test'))
    .sort()
    .map((f) => {
      const fields = new Map<string, string[]>();
      for (const line of readFileSync(join(dir, f), 'utf8').split('\n')) {
        const m = /^(\w+):\s*(.*)$/.exec(line);
        if (m) fields.set(m[1]!, [...(fields.get(m[1]!) ?? []), m[2]!.trim()]);
      }
      return {
        name: f.slice(0, -'.test'.length),
        source: fields.get('source')?.[0] ?? '',
        target: fields.get('target')?.[0] ?? '',
        options: (fields.get('options')?.[0] ?? '').split(/\s+/).filter(Boolean),
        env: fields.get('env') ?? [],
        exclude: fields.get('exclude')?.[0] ?? null,
      };
    });
}

/**
 * Extracts a tarball (once per source and exclude file) under `tmp` and returns the root to read:
 * the one directory the tarball holds (it contains `sys/`).
 */
export function extractDump(c: CorpusCase, tmp: string, dir = CORPUS_DIR): string {
  const dest = join(tmp, `${c.source}${c.exclude ? `-x-${c.exclude}` : ''}`);
  if (!existsSync(dest)) {
    mkdirSync(dest, { recursive: true });
    const args = ['-xjf', join(dir, c.source), '-C', dest, ...SKIP.map((p) => `--exclude=${p}`)];
    if (c.exclude) args.push(`--exclude-from=${join(dir, c.exclude)}`);
    execFileSync('tar', args, { stdio: ['ignore', 'ignore', 'pipe'] });
  }
  const entries = readdirSync(dest);
  return entries.length === 1 ? join(dest, entries[0]!) : dest;
}
