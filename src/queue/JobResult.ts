/**
 * What a corepin host stores as a job's BullMQ return value: the task's value and where it ran.
 *
 * @example
 * { "value": 49, "host": "node-a:4121", "slot": 1, "cpus": "3", "cpu": 3, "pid": 4130 }
 */
export interface JobResult<T = unknown> {
  /** The task's return value (JSON). */
  readonly value: T;
  /** The host's name (QueueWorker `name`, default `hostname:pid` of the host process). */
  readonly host: string;
  /** Slot of the host's pool that ran the task. */
  readonly slot: number;
  /** The slot's CPUs as a list (`'2-3'`), or null when the host's pool is not pinned. */
  readonly cpus: string | null;
  /** The CPU the task was on when it returned (sched_getcpu in the worker). */
  readonly cpu: number;
  /** Process id of the worker that ran the task (thread workers: the host's pid). */
  readonly pid: number;
}

/**
 * The data of a job added by `submit` / `corepin map --queue`: the input, and the file name of the
 * module it was submitted for so that a host serving another module refuses it. Jobs added by other
 * producers may carry any data: a host passes their `job.data` to the export as it is.
 */
export interface JobEnvelope {
  /** File name (basename) of the task module, or null to run on any module. */
  readonly corepinModule: string | null;
  /** The export's one argument. */
  readonly input: unknown;
}

/**
 * The data of a job that carries several inputs (`submit`'s `chunksize` > 1, `corepin map --queue
 * --chunksize K`): the host runs the export on each input in turn, in one slot, and the job succeeds or
 * fails as a whole — BullMQ's attempts, stalled-job recovery and at-least-once then apply per chunk.
 */
export interface JobChunkEnvelope {
  /** File name (basename) of the task module, or null to run on any module. */
  readonly corepinModule: string | null;
  /** The export's argument for each input, in order. */
  readonly inputs: readonly unknown[];
}

/**
 * What a corepin host stores as the return value of a {@link JobChunkEnvelope} job: one value per
 * input, in order, and where they ran (one slot ran the whole chunk; `cpu` is where the last one ended).
 *
 * @example
 * { "values": [1, 4, 9], "host": "node-a:4121", "slot": 0, "cpus": "2", "cpu": 2, "pid": 4130 }
 */
export interface JobChunkResult<T = unknown> extends Omit<JobResult<T>, 'value'> {
  /** The task's return value for each input of the chunk, in order. */
  readonly values: readonly T[];
}

/** Whether a job's data is a {@link JobChunkEnvelope}. */
export function isJobChunk(data: unknown): data is JobChunkEnvelope {
  return typeof data === 'object' && data !== null && 'corepinModule' in data && 'inputs' in data && Array.isArray((data as { inputs: unknown }).inputs);
}

/** Whether a job's data is a {@link JobEnvelope}. */
export function isJobEnvelope(data: unknown): data is JobEnvelope {
  return typeof data === 'object' && data !== null && 'corepinModule' in data && 'input' in data;
}
