import { Command, Option } from 'commander';
import { ExitCode } from '../errors.js';
import { parseCount } from '../args.js';
import { CLI_POLICIES, parseCliPolicy, poolOfFlags, type CliPolicy } from '../SlotPlan.js';
import { readTopology } from '../../topology/readTopology.js';
import { defaultRedisUrl } from '../../queue/redisConnection.js';

interface WorkerOptions {
  queue: string;
  redis?: string;
  fn?: string;
  jobs?: number;
  policy?: CliPolicy;
  cpus?: string;
  isolated?: boolean;
  kind: 'process' | 'thread';
  maxTasksPerChild?: number;
  name?: string;
  prefetch?: number;
  lockDuration?: number;
  stalledInterval?: number;
  heartbeatTtl?: number;
}

/** `corepin worker MODULE --queue NAME`: a queue host — takes BullMQ jobs from Redis and runs them on a pinned pool. */
export function command(): Command {
  return new Command('worker')
    .description('serve a BullMQ queue on Redis: run its jobs (exports of MODULE) on a pool of pinned workers')
    .argument('<module>', 'task module (.js/.mjs/.cjs): a path, or a file: URL')
    .requiredOption('--queue <name>', 'the BullMQ queue to take jobs from')
    .option('--redis <url>', 'Redis URL (default: $REDIS_URL, else redis://127.0.0.1:6379)')
    .option('--fn <name>', 'call this export for every job (default: the job name is the export)')
    .option('-j, --jobs <n>', 'slots (default: one per CPU place the policy finds)', parseCount)
    .addOption(new Option('--policy <name>', `placement of the slots: ${CLI_POLICIES.join(', ')}`).argParser(parseCliPolicy))
    .option('--cpus <location>', 'use only these CPUs: a list (0-3) or a location (core:0-1, numa:0)')
    .option('--isolated', 'place on isolated CPUs only (isolcpus, nohz_full), one CPU per slot')
    .addOption(new Option('--kind <kind>', 'worker kind').choices(['process', 'thread']).default('process'))
    .option('--max-tasks-per-child <n>', "replace a worker after N jobs (it stays on its slot's CPUs)", parseCount)
    .option('--name <host>', 'name of this host in results and `corepin fleet` (default: hostname:pid)')
    .addOption(new Option('--prefetch <n>', 'jobs held beyond the slots, so no slot waits for Redis (default: 2 per slot)').argParser(parseCount))
    .addOption(new Option('--lock-duration <ms>', "BullMQ lock: a dead host's jobs are taken back after it (default 30000)").argParser(parseCount))
    .addOption(new Option('--stalled-interval <ms>', 'BullMQ stalled-job check interval (default 30000)').argParser(parseCount))
    .addOption(new Option('--heartbeat-ttl <ms>', '`corepin fleet` forgets a dead host after this long (default 10000)').argParser(parseCount))
    .addHelpText(
      'after',
      `
Each job runs export <job name> (or --fn) of MODULE with the job's input, on one pinned slot, and
stores {"value", "host", "slot", "cpus", "cpu", "pid"} as its result (a job of several inputs, from
map --queue --chunksize: {"values": [...], ...}). Jobs submitted for another
module (corepin map --queue with another file name) fail with a clear error. SIGTERM or Ctrl-C:
take no more jobs, finish the running ones, exit 0. Jobs of a host that dies are run again
elsewhere once their BullMQ lock expires (at-least-once: see docs/deploy.md).

Examples:
  corepin worker hash.mjs --queue hash                          one slot per CPU, spread
  corepin worker score.mjs --queue score --redis redis://10.0.0.5:6379 -j 4 --policy cores
  corepin map hash.mjs --queue hash < inputs.jsonl              (on any machine) submit, collect`,
    )
    .action(async (module: string, opts: WorkerOptions) => {
      const { QueueWorker } = await import('../../queue/QueueWorker.js');
      const topology = readTopology();
      const { options, request, usable } = poolOfFlags(module, opts, topology);
      const url = opts.redis ?? defaultRedisUrl();
      const host = new QueueWorker({
        queue: opts.queue,
        connection: url,
        pool: options,
        placementLabel: `${request.policy}${opts.cpus !== undefined ? ` in ${usable.toList()}` : ''}`,
        ...(opts.fn !== undefined ? { fn: opts.fn } : {}),
        ...(opts.name !== undefined ? { name: opts.name } : {}),
        ...(opts.prefetch !== undefined ? { prefetch: opts.prefetch } : {}),
        ...(opts.lockDuration !== undefined ? { lockDuration: opts.lockDuration } : {}),
        ...(opts.stalledInterval !== undefined ? { stalledInterval: opts.stalledInterval } : {}),
        ...(opts.heartbeatTtl !== undefined ? { heartbeatTtl: opts.heartbeatTtl } : {}),
      });
      await serve(host, url, opts);
    });
}

type Host = InstanceType<typeof import('../../queue/QueueWorker.js').QueueWorker>;

async function serve(host: Host, url: string, opts: WorkerOptions): Promise<void> {
  let stopping = false;
  const stopped = new Promise<void>((resolveStop, rejectStop) => {
    const onSignal = (signal: NodeJS.Signals): void => {
      // A second Ctrl-C does not wait for the running jobs (BullMQ gives them to another host later).
      if (stopping) process.exit(ExitCode.INTERRUPTED);
      stopping = true;
      process.stderr.write(`corepin worker: ${signal}: taking no more jobs, finishing the running ones\n`);
      host.close().then(resolveStop, rejectStop);
    };
    process.on('SIGINT', onSignal);
    process.on('SIGTERM', onSignal);
    host.on('error', (err) => {
      stopping = true;
      void host.close();
      rejectStop(err);
    });
  });
  // Keeps the process alive while it serves (the pool unrefs idle workers).
  const hold = setInterval(() => {}, 1 << 30);
  try {
    await Promise.race([host.ready(), stopped]).catch(async (err: unknown) => {
      await host.close();
      throw err;
    });
    if (!stopping) {
      const b = host.bindings();
      process.stderr.write(
        `corepin worker: ${host.name} serves queue ${JSON.stringify(host.queue)} at ${url}: ${host.module} on ${b.length} ${opts.kind} slot${b.length === 1 ? '' : 's'} ` +
          `(${b.map((x) => `slot ${x.slot}: ${x.cpus?.toList() ?? 'unpinned'}`).join(', ')})\n`,
      );
    }
    await stopped;
    process.stderr.write('corepin worker: stopped\n');
    process.exitCode = ExitCode.OK;
  } finally {
    clearInterval(hold);
    // Everything is closed; should a connection linger, it must not keep a stopped host alive.
    setTimeout(() => process.exit(), 3000).unref();
  }
}
