/**
 * ingress-nginx rewrites: `rewrite "(?i)<path>" <target> break;`. The path is a PCRE matched
 * case-insensitively; `$N` in the target takes its capture groups. JavaScript regular
 * expressions agree with PCRE on the constructs Ingress paths use.
 */

/** The path as a JavaScript regular expression, or undefined if it does not compile. */
export function toRegExp(pattern: string, anchored: boolean): RegExp | undefined {
  const source = pattern.replace(/\(\?P</g, '(?<').replace(/^\(\?i\)/, '');
  try {
    return new RegExp(anchored ? `^(?:${source})` : source, 'i');
  } catch {
    return undefined;
  }
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
  const groups = match.slice(1).map((g) => g ?? '');
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
