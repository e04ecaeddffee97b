import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { elfInfo } from './elfInfo.js';
import { ROOT } from './installProject.js';

const EM_X86_64 = 62;
const EM_AARCH64 = 183;
const ET_DYN = 3;

for (const [dir, machine] of [['linux-x64', EM_X86_64], ['linux-arm64', EM_AARCH64]] as const) {
  test(`prebuilds/${dir} is an ${dir} ELF shared object exporting napi_register_module_v1`, () => {
    const elf = elfInfo(join(ROOT, 'prebuilds', dir, 'corepin.glibc.node'));
    assert.equal(elf.is64, true);
    assert.equal(elf.type, ET_DYN);
    assert.equal(elf.machine, machine);
    assert.ok(elf.exported.includes('napi_register_module_v1'), `exports: ${elf.exported.join(', ')}`);
  });
}
