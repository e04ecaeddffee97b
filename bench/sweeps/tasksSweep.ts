import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { PhaseContext } from '../phases/PhaseContext.js';
import { SweepBook, type SweepResult } from './SweepBook.js';

const IMAP_MEMORY = fileURLToPath(new URL('../imapMemory.js', import.meta.url));

/** What one imapMemory.js --json run reports. */
interface ImapRun {
  readonly count: number;
  readonly seconds: number;
  readonly peakRss: number;
  readonly workerPeakRss: number | null;
  readonly wrong: number;
}

function imapRun(kind: 'thread' | 'process', count: number, timeoutMs: number): Promise<ImapRun> {
  return new Promise((resolve, reject) => {
    execFile(process.execPath, [IMAP_MEMORY, '--kind', kind, '--count', String(count), '--chunksize', '1000', '--json'], { timeout: timeoutMs }, (err, stdout) => {
      const line = stdout.trim().split('\n').pop() ?? '';
      // imapMemory exits 1 above its RSS limit but still prints the numbers: those are what we want.
      if (line.startsWith('{')) return resolve(JSON.parse(line) as ImapRun);
      reject(err ?? new Error(`imapMemory printed no result: ${line}`));
    });
  });
}

/**
 * 10³ … 10⁶ (10⁷ in the full run, once per kind) generator inputs through `imap` (chunk size 1,000),
 * each count in a fresh process (bench/imapMemory.js) so its peak RSS (`ru_maxrss`) is that count's
 * alone: tasks/s and peak RSS of the parent, which must stay flat as the count grows.
 */
export async function tasksSweep(ctx: PhaseContext): Promise<SweepResult> {
  const { cfg } = ctx;
  const counts = cfg.sweeps.taskCounts;
  const book = new SweepBook(counts.length);
  const kinds = (['thread', 'process'] as const).filter((k) => ctx.peers.some((p) => p.id === `corepin-${k}`));
  for (let r = 0; r < cfg.sweeps.rounds; r++) {
    for (const kind of r % 2 === 0 ? kinds : [...kinds].reverse()) {
      for (const [x, count] of counts.entries()) {
        // The largest count runs once per kind: it alone takes as long as the rest together.
        if (count >= 1e7 && r > 0) continue;
        try {
          const run = await imapRun(kind, count, cfg.sampleTimeoutMs * 2);
          if (run.wrong !== 0 || run.count !== count) throw new Error(`${run.wrong} wrong results, ${run.count} of ${count}`);
          book.add(`corepin (${kind}) imap`, `corepin-${kind}`, x, count / run.seconds, run.peakRss);
        } catch (err) {
          book.note(`corepin (${kind}) imap ${count}: ${(err as Error).message.split('\n')[0]}`);
        }
      }
    }
    ctx.log(`sweep tasks: round ${r + 1}/${cfg.sweeps.rounds} done`);
  }
  if (!counts.some((c) => c >= 1e7)) book.note('10⁷ tasks only in the full run (the quick run stops at the largest count shown).');
  return book.result({ id: 'tasks', title: 'tasks through imap (chunk size 1,000), each count in a fresh process', xTitle: 'tasks', xLabels: counts.map((c) => `10^${Math.round(Math.log10(c))}`), unit: 'tasks/s', extraUnit: 'bytes' });
}
