import { UsageError } from '../errors.js';

/** The name `$0` has in every `exec --shell` script (what the shell prints in its own errors). */
export const SHELL_SCRIPT_NAME = 'corepin-exec';

/** Where a `{}` can be rewritten by a lexer that knows only quotes and backslashes. */
type Context = 'plain' | 'single' | 'double';

/** What each context turns `{}` into: always one expansion of the line as data, never its text. */
const REWRITE: Record<Context, string> = {
  plain: '"$1"',
  // Close the single quotes, expand "$1", reopen them.
  single: `'"$1"'`,
  // Braces keep a following digit out of the name ("{}0" must not become $10).
  double: '${1}',
};

/**
 * The `/bin/sh -c` script of `corepin exec --shell`: the template words joined by spaces, with
 * every `{}` rewritten to an expansion of `$1`. The input line itself is never spliced into shell
 * text: it is passed as the script's first positional parameter
 * (`sh -c SCRIPT corepin-exec LINE`), so the shell never parses it.
 *
 * The rewrite is made only where it is provably right: `{}` unquoted (→ `"$1"`), inside single
 * quotes (→ `'"$1"'`) or inside double quotes (→ `${1}`). A script with `{}` that also uses a
 * construct this lexer does not model — `$(…)`, backquotes, `${…}`, `$'…'`, `$"…"`, `$[…]`,
 * `((…))`, `[[…]]`, a here-document, `\{}` — or that leaves a quote open is refused; its author
 * writes `"$1"` there instead. A script without `{}` is run as written (nothing is appended).
 *
 * @throws {UsageError} when the template has `{}` and cannot be rewritten safely.
 */
export function shellScript(template: readonly string[]): string {
  const script = template.join(' ');
  if (!script.includes('{}')) return script;
  let out = '';
  let context: Context = 'plain';
  for (let i = 0; i < script.length; i++) {
    const c = script[i]!;
    const rest = script.slice(i, i + 3);
    if (rest.startsWith('{}')) {
      out += REWRITE[context];
      i++;
      continue;
    }
    if (context === 'single') {
      if (c === "'") context = 'plain';
      out += c;
      continue;
    }
    const construct = unmodelled(rest, context);
    if (construct !== null) throw refused(script, construct);
    if (c === '\\') {
      // The escaped character is copied as is; an escaped placeholder is ambiguous.
      if (script.startsWith('{}', i + 1) || script[i + 1] === '{') throw refused(script, '\\{');
      out += script.slice(i, i + 2);
      i++;
    } else if (c === '"') {
      context = context === 'double' ? 'plain' : 'double';
      out += c;
    } else if (c === "'" && context === 'plain') {
      context = 'single';
      out += c;
    } else {
      out += c;
    }
  }
  if (context !== 'plain') throw refused(script, context === 'single' ? "an unclosed '" : 'an unclosed "');
  return out;
}

/** The construct starting at `text` (outside single quotes) that the rewrite cannot see through. */
function unmodelled(text: string, context: Context): string | null {
  if (text.startsWith('`')) return '`…`';
  if (/^\$[({['"]/.test(text)) return text.slice(0, 2) + '…';
  if (context === 'plain' && /^(<<|\(\(|\[\[)/.test(text)) return text.slice(0, 2) === '<<' ? 'a here-document (<<)' : text.slice(0, 2) + '…';
  return null;
}

function refused(script: string, construct: string): UsageError {
  const shown = JSON.stringify(script.length > 60 ? `${script.slice(0, 57)}...` : script);
  return new UsageError(
    `cannot put {} safely into the --shell script ${shown} (it uses ${construct}); write "$1" where the input line goes instead of {}, e.g. --shell -- 'echo "$(basename "$1")"'`,
  );
}
