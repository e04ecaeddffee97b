#!/usr/bin/env node
// Keeps the source readable in one sitting (issue 11): no file over MAX_FILE_LINES lines, no function
// over MAX_FUNCTION_LINES lines. Functions are found with the TypeScript parser (declarations,
// methods, accessors, constructors, arrow functions and function expressions); a function's length
// is from its first to its last line, nested functions included.
// Usage: node scripts/checkSizes.mjs [dir…]   (default: src). Exit 1 and one line per offender.
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import ts from 'typescript';

export const MAX_FILE_LINES = 350;
export const MAX_FUNCTION_LINES = 80;

/** Every .ts/.cts/.mts file under `dir` (declaration files left out). */
function sourceFiles(dir) {
  const out = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) out.push(...sourceFiles(path));
    else if (/\.[cm]?ts$/.test(entry.name) && !/\.d\.[cm]?ts$/.test(entry.name)) out.push(path);
  }
  return out;
}

function functionName(node, sf) {
  if (node.name !== undefined) return node.name.getText(sf);
  if (ts.isConstructorDeclaration(node)) return 'constructor';
  const parent = node.parent;
  if (parent !== undefined && (ts.isVariableDeclaration(parent) || ts.isPropertyDeclaration(parent) || ts.isPropertyAssignment(parent))) return parent.name.getText(sf);
  return '(anonymous)';
}

/** The offences of one file: `path:line  what  N lines (max M)`. */
export function checkFile(path, text = readFileSync(path, 'utf8')) {
  const problems = [];
  const lines = text.split('\n').length - (text.endsWith('\n') ? 1 : 0);
  if (lines > MAX_FILE_LINES) problems.push(`${path}: file has ${lines} lines (max ${MAX_FILE_LINES})`);
  const sf = ts.createSourceFile(path, text, ts.ScriptTarget.Latest, true);
  const visit = (node) => {
    if (ts.isFunctionLike(node) && 'body' in node && node.body !== undefined) {
      const first = sf.getLineAndCharacterOfPosition(node.getStart(sf)).line;
      const last = sf.getLineAndCharacterOfPosition(node.getEnd()).line;
      const n = last - first + 1;
      if (n > MAX_FUNCTION_LINES) problems.push(`${path}:${first + 1}: function ${functionName(node, sf)} has ${n} lines (max ${MAX_FUNCTION_LINES})`);
    }
    ts.forEachChild(node, visit);
  };
  visit(sf);
  return problems;
}

/** The offences of every source file under `dirs`. */
export function checkSizes(dirs) {
  return dirs.flatMap((dir) => sourceFiles(dir).sort().flatMap((file) => checkFile(relative(process.cwd(), file) || file)));
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const dirs = process.argv.length > 2 ? process.argv.slice(2) : ['src'];
  const problems = checkSizes(dirs);
  for (const p of problems) console.error(p);
  if (problems.length > 0) {
    console.error(`checkSizes: ${problems.length} over the limit: split the file by concern, the function into named steps`);
    process.exit(1);
  }
  console.log(`checkSizes: every file ≤ ${MAX_FILE_LINES} lines, every function ≤ ${MAX_FUNCTION_LINES} lines (${dirs.join(', ')})`);
}
