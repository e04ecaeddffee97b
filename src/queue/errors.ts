import { CorepinError } from '../CorepinError.js';

/** `bullmq` (or `ioredis`, which it needs beside it) is not installed: the message names the install command. */
export class QueueDependencyError extends CorepinError<'ERR_QUEUE_DEPENDENCY'> {
  constructor(missing: string, options?: { cause?: unknown }) {
    super('ERR_QUEUE_DEPENDENCY', `corepin/queue needs ${missing}: install it with \`npm install bullmq ioredis\``, options);
  }
}

/** Redis did not answer at `url` (refused, timed out, or lost for longer than the reconnect window). */
export class RedisUnreachableError extends CorepinError<'ERR_REDIS_UNREACHABLE'> {
  readonly url: string;
  constructor(url: string, why: string, options?: { cause?: unknown }) {
    super('ERR_REDIS_UNREACHABLE', `cannot reach Redis at ${url} (${why}); start redis-server there or pass --redis URL / set REDIS_URL`, options);
    this.url = url;
  }
}

/** Bad options of QueueWorker, submit or fleetStatus (queue name, URL, numbers). */
export class QueueOptionsError extends CorepinError<'ERR_QUEUE_OPTIONS'> {
  constructor(message: string) {
    super('ERR_QUEUE_OPTIONS', message);
  }
}

/** A job names a task module other than the one this host serves: the job fails (not retried). */
export class JobModuleMismatchError extends CorepinError<'ERR_QUEUE_MODULE_MISMATCH'> {
  constructor(wanted: string, served: string) {
    super('ERR_QUEUE_MODULE_MISMATCH', `the job is for module ${JSON.stringify(wanted)} but this host serves ${JSON.stringify(served)}; start a host with that module on this queue`);
  }
}

/** A job names an export its module does not have: the job fails (not retried). */
export class JobExportNotFoundError extends CorepinError<'ERR_QUEUE_EXPORT_NOT_FOUND'> {
  constructor(fn: string, module: string, exports: readonly string[]) {
    super('ERR_QUEUE_EXPORT_NOT_FOUND', `module ${JSON.stringify(module)} has no function export ${JSON.stringify(fn)} (its exports: ${exports.join(', ') || 'none'})`);
  }
}

/** What `submit` yields for a job that failed for good: `failedReason` is the task's error message. */
export class JobFailedError extends CorepinError<'ERR_QUEUE_JOB_FAILED'> {
  /** BullMQ job id. */
  readonly jobId: string;
  /** 0-based position of the job's input. */
  readonly index: number;
  constructor(jobId: string, index: number, failedReason: string) {
    super('ERR_QUEUE_JOB_FAILED', failedReason || `job ${jobId} failed`);
    this.jobId = jobId;
    this.index = index;
  }
}
