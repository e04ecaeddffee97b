import { readFileSync } from 'node:fs';

/** What the install tests need to know of an ELF shared object. */
export interface ElfInfo {
  /** 64-bit (ELFCLASS64). */
  readonly is64: boolean;
  /** `e_machine`: 62 x86-64, 183 AArch64. */
  readonly machine: number;
  /** `e_type`: 3 for a shared object. */
  readonly type: number;
  /** Names in the dynamic symbol table that are defined here (exported), not imported. */
  readonly exported: readonly string[];
}

/** Reads a little-endian ELF64 file's header and its .dynsym (so the test needs no binutils). */
export function elfInfo(file: string): ElfInfo {
  const b = readFileSync(file);
  if (b.readUInt32BE(0) !== 0x7f454c46) throw new Error(`${file} is not an ELF file`);
  const is64 = b[4] === 2;
  if (!is64 || b[5] !== 1) throw new Error(`${file}: only little-endian ELF64 is read here`);
  const type = b.readUInt16LE(16);
  const machine = b.readUInt16LE(18);
  const shoff = Number(b.readBigUInt64LE(0x28));
  const shentsize = b.readUInt16LE(0x3a);
  const shnum = b.readUInt16LE(0x3c);
  const section = (i: number) => {
    const o = shoff + i * shentsize;
    return { type: b.readUInt32LE(o + 4), offset: Number(b.readBigUInt64LE(o + 0x18)), size: Number(b.readBigUInt64LE(o + 0x20)), link: b.readUInt32LE(o + 0x28), entsize: Number(b.readBigUInt64LE(o + 0x38)) };
  };
  const exported: string[] = [];
  for (let i = 0; i < shnum; i++) {
    const s = section(i);
    if (s.type !== 11) continue; // SHT_DYNSYM
    const strtab = section(s.link);
    for (let o = s.offset; o + s.entsize <= s.offset + s.size; o += s.entsize) {
      const nameOff = b.readUInt32LE(o);
      const shndx = b.readUInt16LE(o + 6);
      if (nameOff === 0 || shndx === 0) continue; // unnamed, or undefined (an import)
      const start = strtab.offset + nameOff;
      exported.push(b.toString('latin1', start, b.indexOf(0, start)));
    }
  }
  return { is64, machine, type, exported };
}
