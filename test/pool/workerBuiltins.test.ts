import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { Worker } from 'node:worker_threads';
import { Pool } from '../../src/index.js';
import { taskFixture } from '../support/taskFixture.js';

// A fresh worker's start-up is most of what recycling and start-up cost (bench/README.md, "Measured
// limits"). Every Node builtin a worker loads beyond what a bare child needs is paid on every start:
// node:perf_hooks (~8 M instructions), node:module (~8 M: it brings the ES module loader) and
// node:async_hooks (~2 M) once were. Compared with a bare child of the same kind on this Node.

const BARE_PROCESS = "process.on('message', () => process.send(process.moduleLoadList));";
const BARE_THREAD = "const { parentPort } = require('node:worker_threads'); parentPort.on('message', () => parentPort.postMessage(process.moduleLoadList));";
// The bundle's first line computes its own URL with node:url; a worker thread does not load it by itself.
const THREAD_ALLOWED = new Set(['NativeModule url']);

function bareProcess(): Promise<string[]> {
  return new Promise((resolve, reject) => {
    const c = spawn(process.execPath, ['-e', BARE_PROCESS], { stdio: ['ignore', 'ignore', 'inherit', 'ipc'] });
    c.once('error', reject);
    c.once('exit', (code, signal) => reject(new Error(`the bare child exited (${code ?? signal}) before answering`)));
    c.once('message', (m) => {
      c.kill();
      resolve(m as string[]);
    });
    c.send(1);
  });
}

async function bareThread(): Promise<string[]> {
  const w = new Worker(BARE_THREAD, { eval: true });
  try {
    return await new Promise<string[]>((resolve, reject) => {
      w.once('error', reject);
      w.once('message', (m) => resolve(m as string[]));
      w.postMessage(1);
    });
  } finally {
    await w.terminate();
  }
}

async function workerBuiltins(kind: 'process' | 'thread'): Promise<string[]> {
  const pool = new Pool({ module: taskFixture('builtins.cjs'), kind, workers: 1 });
  try {
    return await pool.apply('builtins', []);
  } finally {
    await pool.close();
  }
}

for (const kind of ['process', 'thread'] as const) {
  test(`a fresh ${kind} worker with a CommonJS task module loads no Node builtin a bare ${kind} child does not`, async () => {
    const bare = new Set(kind === 'process' ? await bareProcess() : await bareThread());
    assert.ok(bare.size > 50, `the bare ${kind} child's list looks wrong: ${bare.size} modules`);
    const extra = (await workerBuiltins(kind)).filter((m) => !bare.has(m) && !(kind === 'thread' && THREAD_ALLOWED.has(m)));
    assert.deepEqual(extra, [], `every ${kind} worker start pays for these, which a bare child does not load`);
  });
}
