/**
 * ingress-nginx rewrites: `rewrite "(?i)<path>" <target> break;`. The path is a PCRE matched
 * case-insensitively; `$N` in the target takes its capture groups. Evaluated with the
 * linear-time engine of safeRegex.ts (a pattern from a manifest never backtracks here).
 */
import { compileRegex } from './safeRegex';

/** A compiled path: `exec` gives `[match, group 1, …]`. */
export interface PathRegex {
  exec(input: string): string[] | undefined;
  test(input: string): boolean;
}

/** The path as a case-insensitive regular expression, or undefined if it cannot be evaluated. */
export function toRegExp(pattern: string, anchored: boolean): PathRegex | undefined {
  const source = pattern.replace(/^\(\?i\)/, '');
  const compiled = compileRegex(anchored ? `^(?:${source})` : source, true);
  return compiled.kind === 'ok' ? compiled : undefined;
}

export interface RewriteExample {
  readonly request: string;
  readonly upstream: string;
  readonly groups: readonly string[];
}

/** `target` with `$N` replaced by the capture groups of `pattern` matched against `request`. */
export function applyRewrite(pattern: string, target: string, request: string): RewriteExample | undefined {
  const regexp = toRegExp(pattern, false);
  const match = regexp?.exec(request);
  if (!match) return undefined;
  const groups = match.slice(1);
  const upstream = target.replace(/\$(\d)/g, (_, n: string) => groups[Number(n) - 1] ?? '');
  return { request, upstream, groups };
}

const METACHARACTERS = /[()[\]{}.*+?|^$\\]/;

/** A plausible request path for a rule path: its literal prefix plus a file, if that matches. */
export function exampleRequest(pattern: string): string | undefined {
  const cut = pattern.search(METACHARACTERS);
  const prefix = (cut < 0 ? pattern : pattern.slice(0, cut)).replace(/\/$/, '');
  const regexp = toRegExp(pattern, true);
  if (!regexp) return undefined;
  const candidates = [`${prefix}/index.html`, `${prefix}/api/items`, `${prefix}/`, prefix || '/', `${prefix}x`];
  return candidates.find((candidate) => regexp.test(candidate));
}
