import { Command, InvalidArgumentError } from 'commander';
import { NoSuchProcessError } from '../../errors.js';
import { machineLayout } from '../report/CpuLayout.js';
import { parsePid } from '../args.js';
import { LiveScreen } from '../render/LiveScreen.js';
import { renderWatchFrame } from '../render/renderWatchFrame.js';
import { watchRecord } from '../watch/watchRecord.js';
import { ThreadSampler, type ProcessSample } from '../watch/ThreadSampler.js';

interface WatchOptions {
  interval: number;
  once?: boolean;
  json?: boolean;
}

/** `corepin watch PID`: a live view of where each thread of a process runs. */
export function command(): Command {
  return new Command('watch')
    .description('live view of every thread of a process: allowed CPUs, CPU now, CPU %, migrations, per-core strip')
    .argument('<pid>', 'process id')
    .option('-n, --interval <seconds>', 'seconds between samples', parseInterval, 1)
    .option('--once', 'take two samples one interval apart, print once and exit')
    .option('--json', 'JSON instead of the view: one line per sample')
    .addHelpText(
      'after',
      `
Follows threads as they start and exit; ends by itself when the process exits.
Press q or Ctrl-C to stop watching. In the strip each package is in brackets, cores are
separated by /, one character per PU: # on it now, - allowed, . not allowed.

Examples:
  corepin watch $(pgrep -n node)
  corepin watch 1234 --interval 0.5
  corepin watch 1234 --once --json | jq '.threads[] | {name, cpus, migrations}'`,
    )
    .action(async (pidText: string, opts: WatchOptions) => {
      const pid = parsePid(pidText);
      const sampler = new ThreadSampler(pid);
      const first = sampler.sample();
      if (first === null) throw new NoSuchProcessError(`pid ${pid}`);
      await (opts.once ? once(sampler, first, opts) : live(sampler, first, opts));
    });
}

function parseInterval(text: string): number {
  const n = Number(text);
  if (!Number.isFinite(n) || n < 0.1 || n > 3600) throw new InvalidArgumentError(`use seconds between 0.1 and 3600, e.g. 1 or 0.5`);
  return n;
}

async function once(sampler: ThreadSampler, first: ProcessSample, opts: WatchOptions): Promise<void> {
  await new Promise((r) => setTimeout(r, opts.interval * 1000));
  // If the process exited meanwhile, the first sample is still a true answer.
  const s = sampler.sample() ?? first;
  if (opts.json) process.stdout.write(`${JSON.stringify(watchRecord(s))}\n`);
  else process.stdout.write(`${renderWatchFrame(s, { layout: machineLayout(), intervalSeconds: opts.interval, elapsedSeconds: opts.interval }).join('\n')}\n`);
}

async function live(sampler: ThreadSampler, first: ProcessSample, opts: WatchOptions): Promise<void> {
  const screen = new LiveScreen();
  const layout = machineLayout();
  const started = Date.now();
  let wake: () => void = () => {};
  let stopped = false;
  const stop = (): void => {
    stopped = true;
    wake();
  };
  const stdin = process.stdin;
  const keys = (data: Buffer): void => {
    if (data.includes(0x71) || data.includes(0x03)) stop(); // q, or Ctrl-C in raw mode
  };
  const raw = stdin.isTTY === true && !opts.json;
  if (raw) {
    stdin.setRawMode(true);
    stdin.on('data', keys);
  }
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
  let s: ProcessSample | null = first;
  try {
    while (s !== null && !stopped) {
      if (opts.json) process.stdout.write(`${JSON.stringify(watchRecord(s))}\n`);
      else screen.draw(renderWatchFrame(s, { layout, intervalSeconds: opts.interval, elapsedSeconds: (Date.now() - started) / 1000, maxRows: screen.rows - 8 }));
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, opts.interval * 1000);
        wake = () => {
          clearTimeout(timer);
          resolve();
        };
      });
      if (!stopped) s = sampler.sample();
    }
  } finally {
    process.off('SIGINT', stop);
    process.off('SIGTERM', stop);
    if (raw) {
      stdin.off('data', keys);
      stdin.setRawMode(false);
      stdin.pause();
    }
  }
  const seconds = Math.round((Date.now() - started) / 1000);
  const end = s === null ? `pid ${sampler.pid} exited; watched for ${seconds}s` : undefined;
  if (opts.json) {
    if (end) process.stderr.write(`corepin: ${end}\n`);
  } else screen.end(end);
}
