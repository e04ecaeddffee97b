import { test } from 'node:test';
import assert from 'node:assert/strict';
import { performance } from 'node:perf_hooks';
import { CpuSet, MAX_CPU, type CpuSetFormat } from '../../src/cpuset/CpuSet.js';
import { CpuSetSyntaxError } from '../../src/errors.js';

/** Number of random strings; each is parsed in all three formats. */
const CASES = 100_000;
/** Hang guard, not a performance assertion: a parse that takes this long is stuck. */
const HANG_MS = 1000;

/** mulberry32: a tiny seeded PRNG, so every run fuzzes the same strings. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const rand = prng(Number(process.env['COREPIN_FUZZ_SEED'] ?? 20240601));
const int = (n: number): number => Math.floor(rand() * n);
const pick = <T>(xs: readonly T[]): T => xs[int(xs.length)]!;

/** Mostly the grammar's own characters, with hex letters, whitespace and a few strangers. */
const ALPHABET = [...'0123456789'.repeat(4), ...',,,,----::://', ...'xXabcdefABCDEF', ' ', '\t', '\n', '+', '.', 'N', 'g', '٣', '\u00a0', '\u0000', '😀'];

const VALID = [
  '0', '1', '0-3', '0-3,8,10-15', '0-31:2', '1-31:2', '0-31:1/4', '0-1023:2/256', '0-9:3/4', '65535', '65500-65535:3',
  '0x0', '0x3', '0xff', '0X1055', '3', 'ff', 'ffffffff,00000003', '1,00000000', '0x80000000,00000000,00000001',
  ' 0-1\n', '007', '0-7:2,12',
];

function randomGrammarish(): string {
  const len = int(rand() < 0.9 ? 24 : 200);
  let s = '';
  for (let i = 0; i < len; i++) s += rand() < 0.03 ? '9'.repeat(1 + int(30)) : pick(ALPHABET);
  return s;
}

function mutate(text: string): string {
  let s = text;
  for (let n = 1 + int(4); n > 0; n--) {
    const i = int(s.length + 1);
    switch (int(8)) {
      case 0: s = s.slice(0, i) + pick(ALPHABET) + s.slice(i); break; // insert
      case 1: s = s.slice(0, i) + s.slice(i + 1); break; // delete
      case 2: s = s.slice(0, i) + pick(ALPHABET) + s.slice(i + 1); break; // replace
      case 3: s = s.slice(0, i) + s.slice(int(s.length), int(s.length + 1)) + s.slice(i); break; // copy a piece
      case 4: s = s.slice(0, i) + pick(['99999999999', '65536', '4294967296', '0', '00000000', ',', '-', ':0', '/0']) + s.slice(i); break;
      case 5: s = s.slice(0, i); break; // truncate
      case 6: s = `${s},${pick(VALID)}`; break; // join
      default: s = s.slice(i) + s.slice(0, i); // rotate
    }
  }
  return s;
}

function randomValidList(): string {
  const items: string[] = [];
  for (let n = 1 + int(5); n > 0; n--) {
    const a = int(rand() < 0.9 ? 64 : MAX_CPU + 1);
    const b = Math.min(MAX_CPU, a + int(100));
    items.push(pick([`${a}`, `${a}-${b}`, `${a}-${b}:${1 + int(9)}`, `${a}-${b}:${1 + int(3)}/${4 + int(5)}`]));
  }
  return items.join(',');
}

function nextCase(): string {
  const r = rand();
  if (r < 0.45) return randomGrammarish();
  if (r < 0.9) return mutate(rand() < 0.5 ? pick(VALID) : randomValidList());
  return rand() < 0.5 ? randomValidList() : pick(VALID);
}

/**
 * An independent, deliberately naive reading of the list grammar (regex + BigInt + brute force),
 * used as the oracle: the real parser must accept exactly what this accepts, with the same CPUs.
 */
function referenceList(text: string): number[] | null {
  const t = text.trim();
  if (t === '') return null;
  if (t === 'none') return [];
  const items: Array<[number, number, number, number]> = [];
  // Whitespace around commas is allowed (the kernel's grammar); a used count of 0 adds nothing.
  for (const item of t.split(',').map((i) => i.trim())) {
    const m = /^([0-9]+)(?:-([0-9]+)(?::([0-9]+)(?:\/([0-9]+))?)?)?$/.exec(item);
    if (!m) return null;
    const first = BigInt(m[1]!);
    const last = m[2] === undefined ? first : BigInt(m[2]);
    const used = m[4] === undefined ? 1n : BigInt(m[3]!);
    const group = m[4] !== undefined ? BigInt(m[4]) : m[3] !== undefined ? BigInt(m[3]) : 1n;
    if (first > BigInt(MAX_CPU) || last > BigInt(MAX_CPU) || last < first) return null;
    if (used < 0n || group < 1n || used > group) return null;
    // Bounds are checked, so plain numbers are exact from here on.
    items.push([first, last, used, group].map((v) => Number(v > 65536n ? 65536n : v)) as [number, number, number, number]);
  }
  const marks = new Uint8Array(Math.max(...items.map((it) => it[1])) + 1);
  for (const [f, l, u, g] of items) for (let c = f; c <= l; c++) if ((c - f) % g < u) marks[c] = 1;
  const out: number[] = [];
  for (let c = 0; c < marks.length; c++) if (marks[c]) out.push(c);
  return out;
}

/** The same for masks: optional 0x, hex digits, the kernel's 8-digit grouping, at most 65536 bits. */
function referenceMask(text: string): number[] | null {
  let t = text.trim();
  if (/^0[xX]/.test(t)) t = t.slice(2);
  if (t === '' || !/^[0-9a-fA-F,]+$/.test(t)) return null;
  if (t.includes(',')) {
    const groups = t.split(',');
    if (groups[0]!.length < 1 || groups[0]!.length > 8) return null;
    if (groups.slice(1).some((g) => g.length !== 8)) return null;
  }
  const digits = t.replaceAll(',', '');
  const value = BigInt(`0x${digits}`);
  if (value >> BigInt(MAX_CPU + 1) !== 0n) return null;
  const out: number[] = [];
  for (let i = 0, v = value; v !== 0n; i++, v >>= 1n) if (v & 1n) out.push(i);
  return out;
}

function sameCpus(set: CpuSet, expected: readonly number[]): boolean {
  const got = set.toArray();
  if (got.length !== expected.length) return false;
  for (let i = 0; i < got.length; i++) if (got[i] !== expected[i]) return false;
  return true;
}

function reference(text: string, format: CpuSetFormat): number[] | null {
  const t = text.trim();
  const mask = format === 'mask' || (format === 'auto' && (/^0[xX]/.test(t) || /^[0-9a-fA-F]{1,8}(,[0-9a-fA-F]{8})+$/.test(t)));
  return mask ? referenceMask(text) : referenceList(text);
}

test(`fuzz: ${CASES} random strings; only CpuSetSyntaxError, same answers as a naive oracle, no hang`, { timeout: 120_000 }, (t) => {
  let maxMs = 0;
  let slowest = '';
  let accepted = 0;
  const started = performance.now();
  for (let n = 0; n < CASES; n++) {
    const text = nextCase();
    for (const format of ['auto', 'list', 'mask'] as const) {
      let result: CpuSet | undefined;
      let error: unknown;
      const t0 = performance.now();
      try {
        result = CpuSet.parse(text, format);
      } catch (e) {
        error = e;
      }
      const ms = performance.now() - t0;
      if (ms > maxMs) {
        maxMs = ms;
        slowest = `${format} ${JSON.stringify(text)}`;
      }
      const label = (): string => `${format} ${JSON.stringify(text)}`;
      const expected = reference(text, format);
      if (error !== undefined) {
        if (!(error instanceof CpuSetSyntaxError)) assert.fail(`${label()} threw ${String(error)}`);
        if (expected !== null) assert.fail(`${label()} was rejected (${error.message}) but is valid: ${expected.join(',')}`);
        if (!text.startsWith(error.token, error.position)) {
          assert.fail(`${label()}: token ${JSON.stringify(error.token)} is not at position ${error.position}`);
        }
        if (error.token.length > 24 || error.message.length >= 400 || error.message.includes('\n')) {
          assert.fail(`${label()}: unwieldy message ${error.message}`);
        }
      } else {
        accepted++;
        if (!(result instanceof CpuSet)) assert.fail(`${label()} returned ${String(result)}`);
        if (expected === null) assert.fail(`${label()} was accepted as ${result.toList()} but is invalid`);
        if (!sameCpus(result, expected)) assert.fail(`${label()}: got ${result.toList()}, expected ${expected.join(',')}`);
      }
    }
  }
  const totalMs = performance.now() - started;
  t.diagnostic(`${CASES * 3} parses (${accepted} accepted) in ${totalMs.toFixed(0)} ms; slowest ${maxMs.toFixed(2)} ms: ${slowest.slice(0, 80)}`);
  assert.ok(maxMs < HANG_MS, `a single parse took ${maxMs.toFixed(0)} ms: ${slowest.slice(0, 200)}`);
  // Make sure the generator really reaches both outcomes in every format, or the fuzz proves little.
  assert.ok(accepted > CASES * 0.2 && accepted < CASES * 2.8, `accepted ${accepted} of ${CASES * 3}`);
});

test('adversarial inputs stay bounded in time and fail or succeed cleanly', () => {
  const cases: Array<[string, CpuSetFormat]> = [
    [Array(2000).fill('0-65535:1/2').join(','), 'list'], // 2000 items of 32768 groups each
    [Array.from({ length: 2000 }, (_, i) => `${i % 97}-65535:1/${2 + (i % 60)}`).join(','), 'list'], // all different
    [Array(2000).fill(`0-${MAX_CPU}`).join(','), 'auto'],
    ['9'.repeat(2_000_000), 'list'],
    [`0-1:${'9'.repeat(2_000_000)}`, 'list'],
    [`${'0'.repeat(2_000_000)}1`, 'mask'],
    [`0x${'f'.repeat(2_000_000)}`, 'auto'],
    [`${'0,'.repeat(500_000)}`, 'list'],
    [`${'00000000,'.repeat(200_000)}00000001`, 'auto'],
    [`${'-'.repeat(1_000_000)}`, 'list'],
    [`${' '.repeat(1_000_000)}1${' '.repeat(1_000_000)}`, 'auto'],
  ];
  for (const [text, format] of cases) {
    const t0 = performance.now();
    try {
      CpuSet.parse(text, format);
    } catch (e) {
      assert.ok(e instanceof CpuSetSyntaxError, String(e));
      assert.ok(e.message.length < 400);
    }
    const ms = performance.now() - t0;
    assert.ok(ms < 5 * HANG_MS, `${format} ${text.slice(0, 40)}… took ${ms.toFixed(0)} ms`);
  }
});
