import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';

const index = new URL('../../src/index.js', import.meta.url).href;

test('off Linux every operation throws UnsupportedPlatformError and isSupported() is false', () => {
  // A fresh process that believes it runs on macOS: corepin must refuse clearly, not misbehave.
  const code = `
    Object.defineProperty(process, 'platform', { value: 'darwin' });
    const m = await import(${JSON.stringify(index)});
    const out = { supported: m.isSupported(), errors: [] };
    for (const [name, fn] of [
      ['pin', () => m.pin('thread', '0')],
      ['affinityOf', () => m.affinityOf('self')],
      ['usableCpus', () => m.usableCpus()],
      ['threadsOf', () => m.threadsOf(process.pid)],
      ['spawnPinned', () => m.spawnPinned('0', 'true')],
      ['currentCpu', () => m.currentCpu()],
    ]) {
      try { fn(); out.errors.push([name, 'no error']); }
      catch (e) { out.errors.push([name, e.name, e.code, e.message]); }
    }
    console.log(JSON.stringify(out));`;
  const r = spawnSync(process.execPath, ['--input-type=module', '-e', code], { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  const out = JSON.parse(r.stdout) as { supported: boolean; errors: string[][] };
  assert.equal(out.supported, false);
  assert.equal(out.errors.length, 6);
  for (const [name, cls, codeName, message] of out.errors) {
    assert.equal(cls, 'UnsupportedPlatformError', `${name}: ${cls}`);
    assert.equal(codeName, 'ERR_UNSUPPORTED_PLATFORM');
    assert.match(message!, /needs Linux .* this is darwin/);
  }
});
