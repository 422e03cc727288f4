/**
 * Glob patterns of the workspace configuration (`apps/*`, `examples/**`, `test/{a,b}`) as regular
 * expressions over `/`-separated relative paths. `**` spans folders, `*` and `?` stay inside one.
 * Evaluated in linear time (safeRegex.ts): many `*` would make a backtracking engine polynomial.
 */
import { compileRegex } from '../semantics/safeRegex';

/** A compiled glob. */
export interface PathPattern {
  test(path: string): boolean;
}

export function globToRegExp(glob: string): PathPattern {
  let source = '';
  for (let i = 0; i < glob.length; i++) {
    const ch = glob[i];
    if (ch === '*') {
      if (glob[i + 1] === '*') {
        const slash = glob[i + 2] === '/';
        source += slash ? '(?:.*/)?' : '.*';
        i += slash ? 2 : 1;
      } else {
        source += '[^/]*';
      }
    } else if (ch === '?') {
      source += '[^/]';
    } else if (ch === '{') {
      const close = glob.indexOf('}', i);
      if (close < 0) {
        source += '\\{';
        continue;
      }
      source += `(?:${glob.slice(i + 1, close).split(',').map(escape).join('|')})`;
      i = close;
    } else {
      source += escape(ch);
    }
  }
  const compiled = compileRegex(`^${source}$`);
  return compiled.kind === 'ok' ? compiled : { test: () => false };
}

function escape(text: string): string {
  return text.replace(/[.+^$()|[\]\\{}*?]/g, '\\$&');
}
