import type { JobResult } from '../run/runJobs.js';

/**
 * The end-of-run summary of `corepin exec` for stderr: counts, then each failed job (at most
 * `limit`) with its input and how it ended.
 */
export function renderJobSummary(results: readonly JobResult[], total: number, seconds: number, limit = 10): string {
  const failed = results.filter((r) => r.code !== 0);
  const notRun = total - results.length;
  const head =
    `corepin exec: ${results.length} job${results.length === 1 ? '' : 's'} in ${seconds.toFixed(1)}s: ${results.length - failed.length} ok, ${failed.length} failed` +
    (notRun > 0 ? `, ${notRun} not run` : '');
  const lines = [head];
  for (const r of failed.slice(0, limit)) lines.push(`  job ${r.job} (slot ${r.slot}) ${JSON.stringify(r.input)}: ${howEnded(r)}`);
  if (failed.length > limit) lines.push(`  … and ${failed.length - limit} more`);
  return `${lines.join('\n')}\n`;
}

function howEnded(r: JobResult): string {
  if (r.spawnError) return `could not start (${r.spawnError})`;
  if (r.signal) return `killed by ${r.signal}`;
  return `exit ${r.code}`;
}
