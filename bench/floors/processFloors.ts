import { spawn, type ChildProcess } from 'node:child_process';
import { performance } from 'node:perf_hooks';

// What child processes allow at best, with no pool around them: 2 children echoing `x + 1`.

const IPC_ONE = `process.on('message', (x) => process.send(x + 1));`;
const IPC_BATCH = `process.on('message', (xs) => process.send(xs.map((x) => x + 1)));`;
// Newline-delimited JSON arrays over stdin/stdout, no IPC channel at all.
const PIPE = `let rest = '';
process.stdin.setEncoding('utf8');
process.stdin.on('data', (d) => {
  const lines = (rest + d).split('\\n');
  rest = lines.pop();
  let out = '';
  for (const line of lines) out += JSON.stringify(JSON.parse(line).map((x) => x + 1)) + '\\n';
  if (out) process.stdout.write(out);
});`;

function child(code: string, ipc: boolean): ChildProcess {
  return spawn(process.execPath, ['-e', code], { stdio: ipc ? ['ignore', 'inherit', 'inherit', 'ipc'] : ['pipe', 'pipe', 'inherit'] });
}

async function stopAll(cs: ChildProcess[]): Promise<void> {
  await Promise.all(
    cs.map(
      (c) =>
        new Promise<void>((resolve) => {
          if (c.exitCode !== null || c.signalCode !== null) return resolve();
          c.once('exit', () => resolve());
          c.kill('SIGKILL');
        }),
    ),
  );
}

/** Waits until each child answered one message, so process start-up is not timed. */
async function ready(cs: ChildProcess[], batch: boolean): Promise<void> {
  await Promise.all(
    cs.map(
      (c) =>
        new Promise<void>((resolve, reject) => {
          c.once('message', () => resolve());
          c.once('error', reject);
          c.send(batch ? [0] : 0);
        }),
    ),
  );
}

/** Tasks/s of `n` echoes over fork-style IPC (JSON serialization), one message per task, 2 children. */
export async function processIpcPerTask(n: number, workers = 2): Promise<number> {
  const cs = Array.from({ length: workers }, () => child(IPC_ONE, true));
  try {
    await ready(cs, false);
    const t0 = performance.now();
    await new Promise<void>((resolve) => {
      let got = 0;
      for (const c of cs) c.on('message', () => void (++got === n && resolve()));
      for (let i = 0; i < n; i++) cs[i % workers]!.send(i);
    });
    return n / ((performance.now() - t0) / 1000);
  } finally {
    await stopAll(cs);
  }
}

/** Tasks/s of `n` echoes over IPC in arrays of `batch` (one message per batch each way). */
export async function processIpcBatches(n: number, batch = 1000, workers = 2): Promise<number> {
  const cs = Array.from({ length: workers }, () => child(IPC_BATCH, true));
  try {
    await ready(cs, true);
    const t0 = performance.now();
    await new Promise<void>((resolve) => {
      let got = 0;
      for (const c of cs) c.on('message', (xs: number[]) => void ((got += xs.length) === n && resolve()));
      for (let i = 0, k = 0; i < n; i += batch, k++) {
        const xs: number[] = [];
        for (let j = i; j < Math.min(n, i + batch); j++) xs.push(j);
        cs[k % workers]!.send(xs);
      }
    });
    return n / ((performance.now() - t0) / 1000);
  } finally {
    await stopAll(cs);
  }
}

/** Tasks/s of `n` echoes over raw stdin/stdout pipes, newline-delimited JSON arrays of `batch`. */
export async function processPipeNdjson(n: number, batch = 1000, workers = 2): Promise<number> {
  const cs = Array.from({ length: workers }, () => child(PIPE, false));
  try {
    let got = 0;
    let onBatch: () => void = () => {};
    for (const c of cs) {
      let rest = '';
      c.stdout!.setEncoding('utf8');
      c.stdout!.on('data', (d: string) => {
        const lines = (rest + d).split('\n');
        rest = lines.pop()!;
        for (const line of lines) got += (JSON.parse(line) as number[]).length;
        onBatch();
      });
    }
    // One untimed line each, so start-up is not counted.
    await new Promise<void>((resolve) => {
      onBatch = () => void (got === workers && resolve());
      for (const c of cs) c.stdin!.write('[0]\n');
    });
    got = 0;
    const t0 = performance.now();
    await new Promise<void>((resolve) => {
      onBatch = () => void (got === n && resolve());
      const lines = cs.map(() => [] as string[]);
      for (let i = 0, k = 0; i < n; i += batch, k++) {
        const xs: number[] = [];
        for (let j = i; j < Math.min(n, i + batch); j++) xs.push(j);
        lines[k % workers]!.push(JSON.stringify(xs));
      }
      cs.forEach((c, k) => c.stdin!.write(lines[k]!.join('\n') + '\n'));
    });
    return n / ((performance.now() - t0) / 1000);
  } finally {
    await stopAll(cs);
  }
}
