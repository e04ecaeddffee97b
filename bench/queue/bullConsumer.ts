// A BullMQ consumer process of the queue benchmark: node bullConsumer.js MODE QUEUE URL CONCURRENCY
// MODE: inprocess (processor function here), process / thread (BullMQ's sandboxed processor).
// Prints "ready" once it takes jobs; SIGTERM closes it.
import { fileURLToPath } from 'node:url';
import { Worker } from 'bullmq';
import * as jobs from '../tasks/queueJobs.js';

const [mode, queue, url, concurrency] = process.argv.slice(2);
const sandbox = fileURLToPath(new URL('./sandboxProcessor.js', import.meta.url));
const connection = { url: url!, maxRetriesPerRequest: null };
const table = jobs as Record<string, (x: never) => unknown>;
const worker =
  mode === 'inprocess'
    ? new Worker(queue!, async (job) => table[job.name]!(job.data as never), { connection, concurrency: Number(concurrency) })
    : new Worker(queue!, sandbox, { connection, concurrency: Number(concurrency), useWorkerThreads: mode === 'thread' });
worker.on('error', (err) => process.stderr.write(`consumer: ${err.message}\n`));
await worker.waitUntilReady();
process.stdout.write('ready\n');
process.once('SIGTERM', () => void worker.close().then(() => process.exit(0)));
