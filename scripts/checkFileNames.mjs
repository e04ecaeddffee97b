#!/usr/bin/env node
// The file-name rule (docs/architecture.md, "Names"): a file is named after what it exports —
// PascalCase when it exports a class or a type and no function or value, camelCase when it exports
// functions or values; never ALL_CAPS. A PascalCase file must export a class or type. `index` and a
// layer's `errors` are exempt; entry files (no exports) are too.
// Usage: node scripts/checkFileNames.mjs [dir…]   (default: src bench). Exit 1 and one line per offender.
import { readdirSync, readFileSync } from 'node:fs';
import { basename, join, relative } from 'node:path';
import ts from 'typescript';

function sourceFiles(dir) {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const path = join(dir, e.name);
    if (e.isDirectory()) return sourceFiles(path);
    return /\.[cm]?ts$/.test(e.name) && !/\.d\.[cm]?ts$/.test(e.name) ? [path] : [];
  });
}

/** What `path` exports at its top level: 'type' (class, interface, type, enum) and/or 'value'. */
function exportKinds(path) {
  const sf = ts.createSourceFile(path, readFileSync(path, 'utf8'), ts.ScriptTarget.Latest, true);
  const kinds = new Set();
  for (const st of sf.statements) {
    if (!(ts.canHaveModifiers(st) && ts.getModifiers(st)?.some((m) => m.kind === ts.SyntaxKind.ExportKeyword))) continue;
    if (ts.isClassDeclaration(st) || ts.isInterfaceDeclaration(st) || ts.isTypeAliasDeclaration(st) || ts.isEnumDeclaration(st)) kinds.add('type');
    else if (ts.isFunctionDeclaration(st) || ts.isVariableStatement(st)) kinds.add('value');
  }
  return kinds;
}

/** One line per file that breaks the rule. */
export function checkFileNames(dirs) {
  const problems = [];
  for (const file of dirs.flatMap(sourceFiles).sort()) {
    const name = basename(file).replace(/\.[cm]?ts$/, '');
    if (name === 'index' || name === 'errors') continue;
    const shown = relative(process.cwd(), file) || file;
    const kinds = exportKinds(file);
    if (/^[A-Z0-9_]+$/.test(name) && name.length > 1) problems.push(`${shown}: ALL_CAPS file name (PascalCase for a class or type, camelCase for functions)`);
    else if (/^[A-Z]/.test(name) && kinds.size > 0 && !kinds.has('type')) problems.push(`${shown}: PascalCase but exports no class or type (name it in camelCase after its function)`);
    else if (/^[a-z]/.test(name) && kinds.size === 1 && kinds.has('type')) problems.push(`${shown}: camelCase but exports only classes or types (name it in PascalCase after its type)`);
  }
  return problems;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const dirs = process.argv.length > 2 ? process.argv.slice(2) : ['src', 'bench'];
  const problems = checkFileNames(dirs);
  for (const p of problems) console.error(p);
  if (problems.length > 0) process.exit(1);
  console.log(`checkFileNames: every file in ${dirs.join(', ')} is named by the rule`);
}
