import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { CpuSet, Pool, usableCpus } from '../../src/index.js';
import { allowedMemNodes } from '../../src/launch/memoryPolicy.js';
import { corepin, oneLine } from '../support/cli.js';

const node0 = allowedMemNodes('self')[0] ?? 0;
const THREAD_VARS = ['OMP_NUM_THREADS', 'OMP_PLACES', 'OMP_PROC_BIND', 'OPENBLAS_NUM_THREADS', 'MKL_NUM_THREADS', 'GOMAXPROCS', 'UV_THREADPOOL_SIZE'];
/** The test's environment without the thread variables, so what the job sees comes from corepin. */
const cleanEnv = Object.fromEntries(Object.entries(process.env).filter(([k]) => !THREAD_VARS.includes(k)));
function cli(args: string[], input?: string, env: NodeJS.ProcessEnv = {}): ReturnType<typeof corepin> {
  return spawnSync(process.execPath, [fileURLToPath(new URL('../../src/cli/main.js', import.meta.url)), ...args], { encoding: 'utf8', input, env: { ...cleanEnv, ...env }, timeout: 120_000 });
}

// The job reports itself from /proc: memory policy word (numa_maps), nice (stat 19), class (sched), thread env.
const PROBE = 'set -- $(head -1 /proc/self/numa_maps); m=$2; n=$(cut -d" " -f19 /proc/self/stat); p=$(sed -n "s/^policy *: *//p" /proc/self/sched); echo "$m $n $p ${OMP_NUM_THREADS:-unset} ${OMP_PLACES:-unset} ${MKL_NUM_THREADS:-unset}"';

test('exec --mem bind --nice 4 --sched batch: every job has them from birth (/proc), thread env fits its slot, the report shows them', (t) => {
  const dir = mkdtempSync(join(tmpdir(), `corepin-exec-settings-${process.pid}-`));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const report = join(dir, 'run.json');
  const r = cli(['exec', '-j', '2', '-k', '--mem', 'bind', '--nice', '4', '--sched', 'batch', '--report', report, '--progress', 'none', '--', 'sh', '-c', PROBE, 'sh', '{}'], 'a\nb\nc\n', { MKL_NUM_THREADS: '5' });
  assert.equal(r.status, 0, r.stderr);
  const lines = r.stdout.trim().split('\n');
  assert.equal(lines.length, 3);
  const saved = JSON.parse(readFileSync(report, 'utf8')) as { entries: { slot: number; cpus: string; memory: string; nice: number; sched: string }[] };
  const slotSizes = new Set(saved.entries.map((e) => String(CpuSet.parse(e.cpus, 'list').size)));
  for (const line of lines) {
    const [mem, nice, policy, omp, places, mkl] = line.split(' ');
    assert.equal(mem, `bind:${node0}`);
    assert.equal(nice, '4');
    assert.equal(policy, '3', 'SCHED_BATCH');
    assert.ok(slotSizes.has(omp!), `OMP_NUM_THREADS ${omp} is a slot size`);
    assert.match(places!, /^\{\d+\}(,\{\d+\})*$/);
    assert.equal(mkl, '5', 'a value the user set is kept');
  }
  for (const e of saved.entries) {
    assert.equal(e.memory, `bind:${node0}`);
    assert.equal(e.nice, 4);
    assert.equal(e.sched, 'batch');
  }
});

test('exec --no-thread-env: no thread variables', () => {
  const r = cli(['exec', '-j', '1', '--no-thread-env', '--progress', 'none', '--', 'sh', '-c', PROBE, 'sh', '{}'], 'a\n');
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, / unset unset unset\n$/);
  assert.match(r.stdout, /^default 0 0 /, 'nothing else was changed either');
});

test('launch mode: corepin -c LIST --mem interleave --nice 6 --sched idle -- cmd gets them from birth, and thread env', () => {
  const cpu = usableCpus().first!;
  const r = cli(['-c', String(cpu), '--mem', 'interleave', '--nice', '6', '--sched', 'idle', '--', 'sh', '-c', PROBE]);
  assert.equal(r.status, 0, r.stderr);
  assert.equal(r.stdout, `interleave:${node0} 6 5 1 {${cpu}} 1\n`);
  const pref = cli(['-c', String(cpu), '--mem=preferred', '--', 'sh', '-c', PROBE]);
  assert.equal(pref.stdout, `prefer:${node0} 0 0 1 {${cpu}} 1\n`);
});

test('bad values on exec and launch mode: one line, exit 2', () => {
  const cases: [string[], RegExp][] = [
    [['exec', '--mem', 'near', '--', 'true'], /--mem must be one of local, bind, preferred, interleave; got "near"/],
    [['exec', '--nice', '99', '--', 'true'], /--nice must be a whole number from -20 to 19; got "99"/],
    [['exec', '--sched', 'rr', '--', 'true'], /--sched must be one of other, batch, idle; got "rr"/],
    [['-c', '0', '--sched', 'fifo', '--', 'true'], /--sched must be one of other, batch, idle/],
    [['-c', '0', '--mem'], /--mem needs a value/],
    [['--nice', '5', '-p', String(process.pid)], /apply to launching a command .* not to -p/],
  ];
  for (const [args, message] of cases) {
    const r = cli(args, '');
    assert.equal(r.status, 2, `${args.join(' ')}: ${r.stderr}`);
    assert.ok(oneLine(r.stderr), r.stderr);
    assert.match(r.stderr, message);
  }
});

/** Compiles the OpenMP fixture, or says why it cannot. */
function buildOmp(dir: string): string | { skip: string } {
  const src = fileURLToPath(new URL('../../../test/fixtures/omp/ompPlaces.c', import.meta.url));
  const out = join(dir, 'ompPlaces');
  const r = spawnSync('gcc', ['-fopenmp', '-O1', '-o', out, src], { encoding: 'utf8' });
  if (r.error) return { skip: `gcc is not installed (${r.error.message}); .ci/run installs it` };
  assert.equal(r.status, 0, `gcc -fopenmp failed: ${r.stderr}`);
  return out;
}

/** Lines `threads tid allowed` of the OpenMP fixture → checks: team = slot size, each thread on one slot CPU, all distinct. */
function checkTeam(stdout: string, slot: number[]): void {
  const rows = stdout.trim().split('\n').map((l) => l.split(' '));
  assert.equal(rows.length, slot.length, `one thread per slot CPU: ${stdout}`);
  const seen = new Set<string>();
  for (const [n, , allowed] of rows) {
    assert.equal(Number(n), slot.length, 'omp_get_num_threads() = slot size');
    assert.ok(slot.includes(Number(allowed)), `thread allowed on exactly one slot CPU (OMP_PLACES, OMP_PROC_BIND=close), got ${allowed}`);
    seen.add(allowed!);
  }
  assert.equal(seen.size, slot.length, 'each thread on its own CPU of the slot');
}

test('a real OpenMP program (gcc -fopenmp) in an exec job and in launch mode: team size = slot size, each thread on a slot CPU', (t) => {
  const usable = [...usableCpus()];
  if (usable.length < 2) return t.skip(`needs 2 usable CPUs for a 2-CPU slot; this process has ${usable.length}`);
  const dir = mkdtempSync(join(tmpdir(), `corepin-omp-${process.pid}-`));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const bin = buildOmp(dir);
  if (typeof bin !== 'string') return t.skip(bin.skip);
  const slot = usable.slice(0, 2);
  // --policy none: the one slot is all of --cpus.
  const e = cli(['exec', '-j', '1', '--policy', 'none', '--cpus', slot.join(','), '--progress', 'none', '--', bin], 'x\n');
  assert.equal(e.status, 0, e.stderr);
  checkTeam(e.stdout, slot);
  const l = cli(['-c', slot.join(','), '--', bin]);
  assert.equal(l.status, 0, l.stderr);
  checkTeam(l.stdout, slot);
});

test('a real OpenMP program run by a process pool worker (it inherits the worker env): team size = slot size, each thread on a slot CPU', async (t) => {
  const usable = [...usableCpus()];
  if (usable.length < 2) return t.skip(`needs 2 usable CPUs for a 2-CPU slot; this process has ${usable.length}`);
  const dir = mkdtempSync(join(tmpdir(), `corepin-omp-pool-${process.pid}-`));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const bin = buildOmp(dir);
  if (typeof bin !== 'string') return t.skip(bin.skip);
  const slot = usable.slice(0, 2);
  const tasks = fileURLToPath(new URL('../../../test/fixtures/tasks/launchSettings.mjs', import.meta.url));
  const pool = new Pool({ module: tasks, workers: 1, placement: [slot.join(',')], env: cleanEnv });
  t.after(() => pool.terminate());
  checkTeam(await pool.apply<string>('run', [bin]), slot);
  await pool.close();
});

/** Why an unprivileged user cannot run corepin here, or null when it can. */
function cannotRunAsNobody(): string | null {
  if (process.getuid?.() !== 0) return 'needs root to start a process as user nobody';
  const index = fileURLToPath(new URL('../../src/index.js', import.meta.url));
  const probe = spawnSync('setpriv', ['--reuid=nobody', '--regid=nogroup', '--clear-groups', 'test', '-r', index]);
  if (probe.error) return `setpriv is not available (${probe.error.message})`;
  if (probe.status !== 0) return `user nobody cannot read ${index} in this checkout`;
  return null;
}

test('raising priority without CAP_SYS_NICE: exec and launch mode fail with one line naming the fix, nothing runs', (t) => {
  const why = cannotRunAsNobody();
  if (why) return t.skip(why);
  const asNobody = (args: string[]) =>
    spawnSync('setpriv', ['--reuid=nobody', '--regid=nogroup', '--clear-groups', process.execPath, fileURLToPath(new URL('../../src/cli/main.js', import.meta.url)), ...args], { encoding: 'utf8', input: 'x\n' });
  for (const args of [['-c', '0', '--nice', '-5', '--', 'echo', 'ran'], ['exec', '--nice', '-5', '--progress', 'none', '--', 'echo', 'ran']]) {
    const r = asNobody(args);
    assert.equal(r.status, 1, r.stderr);
    assert.ok(oneLine(r.stderr), r.stderr);
    assert.match(r.stderr, /^corepin: not permitted to set nice -5: raising priority needs CAP_SYS_NICE/);
    assert.equal(r.stdout, '', 'the command did not run');
  }
  const ok = asNobody(['-c', '0', '--nice', '5', '--', 'sh', '-c', 'cut -d" " -f19 /proc/self/stat']);
  assert.equal(ok.stdout, '5\n', 'lowering priority needs no right');
});

test('raising priority without CAP_SYS_NICE: new Pool throws SchedPermissionError at once (process and thread)', (t) => {
  const why = cannotRunAsNobody();
  if (why) return t.skip(why);
  const script = fileURLToPath(new URL('../../../test/fixtures/tryPoolNice.mjs', import.meta.url));
  const index = fileURLToPath(new URL('../../src/index.js', import.meta.url));
  const tasks = fileURLToPath(new URL('../../../test/fixtures/tasks/basic.mjs', import.meta.url));
  for (const kind of ['process', 'thread']) {
    const r = spawnSync('setpriv', ['--reuid=nobody', '--regid=nogroup', '--clear-groups', process.execPath, script, index, tasks, '-3', kind], { encoding: 'utf8' });
    assert.equal(r.status, 0, r.stderr);
    const out = JSON.parse(r.stdout) as { name: string; code: string; message: string };
    assert.equal(out.name, 'SchedPermissionError');
    assert.equal(out.code, 'ERR_SCHED_PERMISSION');
    assert.match(out.message, /nice -3/);
    const fine = spawnSync('setpriv', ['--reuid=nobody', '--regid=nogroup', '--clear-groups', process.execPath, script, index, tasks, '3', kind], { encoding: 'utf8' });
    assert.deepEqual(JSON.parse(fine.stdout), { ok: true });
  }
});
