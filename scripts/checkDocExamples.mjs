// Part of `npm run docs`: every public export must show an example. TypeDoc's own validation
// (typedoc.json: notDocumented, treatWarningsAsErrors) already fails on a missing or broken comment;
// it has no rule for @example, so this reads TypeDoc's JSON output and fails on an export without one.
import { readFileSync } from 'node:fs';

const api = JSON.parse(readFileSync(new URL('../docs/api/api.json', import.meta.url), 'utf8'));
const hasExample = (comment) => comment?.blockTags?.some((t) => t.tag === '@example') ?? false;
const missing = [];
for (const mod of api.children ?? []) {
  for (const item of mod.children ?? []) {
    if (item.variant === 'reference') continue; // a re-export, documented where it is declared
    const comments = [item.comment, ...(item.signatures ?? []).map((s) => s.comment)];
    if (!comments.some(hasExample)) missing.push(`${mod.name}: ${item.name}`);
  }
}
if (missing.length > 0) {
  console.error(`docs: ${missing.length} public export(s) without an @example in their doc comment:\n  ${missing.join('\n  ')}`);
  process.exit(1);
}
console.log(`docs: every public export of ${api.children.length} entry points has an example`);
