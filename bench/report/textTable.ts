/**
 * Lays out rows of cells as an aligned text table (first column left, the rest right-aligned), or
 * as a Markdown table when `markdown` is set. The first row is the header.
 */
export function textTable(rows: readonly (readonly string[])[], markdown = false): string {
  const cols = Math.max(...rows.map((r) => r.length));
  const cell = (r: readonly string[], c: number): string => r[c] ?? '';
  if (markdown) {
    const line = (r: readonly string[]): string => `| ${Array.from({ length: cols }, (_, c) => cell(r, c).replace(/\|/g, '\\|')).join(' | ')} |`;
    const rule = `|${Array.from({ length: cols }, (_, c) => (c === 0 ? ' :--- ' : ' ---: ')).join('|')}|`;
    return [line(rows[0]!), rule, ...rows.slice(1).map(line)].join('\n');
  }
  const width = Array.from({ length: cols }, (_, c) => Math.max(...rows.map((r) => [...cell(r, c)].length)));
  const pad = (s: string, w: number, left: boolean): string => {
    const fill = ' '.repeat(Math.max(0, w - [...s].length));
    return left ? s + fill : fill + s;
  };
  return rows.map((r) => Array.from({ length: cols }, (_, c) => pad(cell(r, c), width[c]!, c === 0)).join('  ').trimEnd()).join('\n');
}
