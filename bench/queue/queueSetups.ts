import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';

/** A consumer of the queue benchmark, running in its own process. */
export interface QueueSetup {
  readonly id: string;
  readonly label: string;
  /** Inputs per BullMQ job the producer packs (submit's `chunksize`); rates and CPU are then per input. [1] */
  readonly chunk?: number;
  /** Starts the consumer on `queue`; resolves when it takes jobs. */
  start(queue: string, url: string): Promise<RunningSetup>;
}

export interface RunningSetup {
  /** The consumer process (the host): its own CPU time, without its pool's children, is read from /proc. */
  readonly pid: number;
  stop(): Promise<void>;
}

const CONSUMER = fileURLToPath(new URL('./bullConsumer.js', import.meta.url));
const CLI = fileURLToPath(new URL('../../src/cli/main.js', import.meta.url));
/** The job module every setup runs (compiled). */
export const QUEUE_JOBS = fileURLToPath(new URL('../tasks/queueJobs.js', import.meta.url));

function launch(argv: string[], readyOn: 'stdout' | 'stderr', marker: string): Promise<RunningSetup> {
  const child: ChildProcess = spawn(process.execPath, argv, { stdio: ['ignore', 'pipe', 'pipe'] });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const kill = (): void => void child.kill('SIGKILL');
  process.once('exit', kill);
  let out = '';
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`consumer did not start in 30 s: ${out}`)), 30_000);
    const stream = readyOn === 'stdout' ? child.stdout! : child.stderr!;
    (readyOn === 'stdout' ? child.stderr! : child.stdout!).resume();
    stream.setEncoding('utf8').on('data', (d: string) => {
      out += d;
      if (!out.includes(marker)) return;
      clearTimeout(timer);
      resolve({
        pid: child.pid ?? 0,
        async stop() {
          process.off('exit', kill);
          child.kill('SIGTERM');
          const t = setTimeout(kill, 10_000);
          await exited;
          clearTimeout(t);
        },
      });
    });
    void exited.then(() => reject(new Error(`consumer exited before it was ready: ${out}`)));
  });
}

/**
 * A corepin worker with 2 slots taking `prefetch` jobs beyond them (the default row: prefetch = slots),
 * process slots unless `kind` is 'thread'.
 */
export function corepinSetup(prefetch?: number, kind: 'process' | 'thread' = 'process'): QueueSetup {
  const extra = [...(prefetch === undefined ? [] : ['--prefetch', String(prefetch)]), ...(kind === 'thread' ? ['--kind', 'thread'] : [])];
  const id = `corepin${kind === 'thread' ? '-thread' : ''}${prefetch === undefined ? '' : `-prefetch-${prefetch}`}`;
  return {
    id,
    label: `corepin worker -j 2${extra.length > 0 ? ` ${extra.join(' ')}` : ''} (pinned ${kind} slots)`,
    start: (q, url) => launch([CLI, 'worker', QUEUE_JOBS, '--queue', q, '--redis', url, '-j', '2', ...extra], 'stderr', ' serves queue '),
  };
}

/**
 * A corepin worker with 2 slots fed jobs of `chunk` inputs each (what `submit(…, { chunksize })` and
 * `corepin map --queue --chunksize` add): not one input per job, so not the goal's setup — its own row.
 */
export function corepinChunkSetup(chunk: number): QueueSetup {
  return { ...corepinSetup(), id: `corepin-chunk-${chunk}`, label: `corepin worker -j 2, ${chunk} inputs per job (\`--chunksize ${chunk}\`; per input)`, chunk };
}

/** BullMQ's own ways to run a processor, and a corepin worker, each with 2 jobs at a time (2 slots). */
export const QUEUE_SETUPS: readonly QueueSetup[] = [
  { id: 'bullmq-inprocess', label: 'BullMQ Worker, in-process processor', start: (q, url) => launch([CONSUMER, 'inprocess', q, url, '2'], 'stdout', 'ready') },
  { id: 'bullmq-process', label: 'BullMQ Worker, sandboxed (child processes)', start: (q, url) => launch([CONSUMER, 'process', q, url, '2'], 'stdout', 'ready') },
  { id: 'bullmq-thread', label: 'BullMQ Worker, sandboxed (worker threads)', start: (q, url) => launch([CONSUMER, 'thread', q, url, '2'], 'stdout', 'ready') },
  corepinSetup(),
  corepinSetup(undefined, 'thread'),
  corepinChunkSetup(8),
];
