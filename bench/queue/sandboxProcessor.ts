// BullMQ sandboxed processor of the queue benchmark: job name = export of queueJobs.
import type { SandboxedJob } from 'bullmq';
import * as jobs from '../tasks/queueJobs.js';

export default async function processor(job: SandboxedJob): Promise<unknown> {
  return (jobs as Record<string, (x: never) => unknown>)[job.name]!(job.data as never);
}
