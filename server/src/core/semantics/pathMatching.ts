/**
 * Which Ingress rule a request reaches: host matching (Kubernetes, §3.2) and path matching in
 * ingress-nginx's two modes (§3.4, §4.2). Pure functions over strings; the tracer applies them to
 * the model.
 *
 * Normal mode: `Exact` is an exact, case-sensitive comparison; `Prefix` compares `/`-separated
 * elements (a trailing `/` on either side is ignored); `ImplementationSpecific` is nginx's plain
 * character prefix. The longest matching path wins; on a tie Exact beats Prefix (and Prefix beats
 * ImplementationSpecific, as nginx's `location = /p` and `location /p/` beat `location /p`).
 *
 * Regex mode (some Ingress of the host has `use-regex` or a `rewrite-target`): every path is
 * `location ~* "^<path>"`, a case-insensitive regex anchored at the start only, tried by
 * descending path length (ties: reverse lexical order); the first that matches wins.
 */
import { toRegExp } from './rewrite';

export type PathMode = 'normal' | 'regex';

export interface PathRule {
  readonly path: string;
  /** `Exact`, `Prefix` or `ImplementationSpecific` (anything else is treated as the latter). */
  readonly pathType: string;
}

export interface PathPick {
  /** Index of the winning rule in the list given to `pickPath`. */
  readonly index: number;
  /** Regex mode: the match (capture groups for rewrite-target). */
  readonly match?: readonly string[];
}

/** `Exact`: the whole path, case-sensitive. */
export function matchesExact(rulePath: string, requestPath: string): boolean {
  return rulePath === requestPath;
}

/** `Prefix`: element-wise on `/`, case-sensitive, a trailing `/` on either side ignored; `/` matches all. */
export function matchesPrefix(rulePath: string, requestPath: string): boolean {
  const rule = rulePath.replace(/\/+$/, '');
  if (rule === '') return requestPath.startsWith('/') || requestPath === '';
  const ruleElements = rule.split('/');
  const requestElements = requestPath.replace(/\/+$/, '').split('/');
  if (requestElements.length < ruleElements.length) return false;
  return ruleElements.every((element, i) => element === requestElements[i]);
}

/** ingress-nginx `ImplementationSpecific` in normal mode: nginx `location /p`, a character prefix (`/foo` matches `/foobar`). */
export function matchesCharacterPrefix(rulePath: string, requestPath: string): boolean {
  return requestPath.startsWith(rulePath === '' ? '/' : rulePath);
}

/** Regex mode: `location ~* "^<path>"`. Undefined when it does not match or does not compile. */
export function matchesRegex(rulePath: string, requestPath: string): string[] | undefined {
  return toRegExp(rulePath === '' ? '/' : rulePath, true)?.exec(requestPath);
}

/** True when the path compiles as a (PCRE-compatible) regular expression. */
export function isValidRegexPath(rulePath: string): boolean {
  return toRegExp(rulePath === '' ? '/' : rulePath, true) !== undefined;
}

/** Whether a rule matches in normal mode, by its pathType. */
export function matchesNormal(rule: PathRule, requestPath: string): boolean {
  if (rule.pathType === 'Exact') return matchesExact(rule.path, requestPath);
  if (rule.pathType === 'Prefix') return matchesPrefix(rule.path, requestPath);
  return matchesCharacterPrefix(rule.path, requestPath);
}

const TYPE_RANK: Record<string, number> = { Exact: 2, Prefix: 1 };

/** Length used for "longest path wins": a Prefix's trailing `/` does not count (it is ignored when matching). */
function normalLength(rule: PathRule): number {
  if (rule.pathType === 'Prefix') return rule.path.replace(/\/+$/, '').length;
  return (rule.path === '' ? '/' : rule.path).length;
}

/** The order ingress-nginx writes regex locations in: descending length, ties in reverse lexical order. */
export function regexOrder(rules: readonly PathRule[]): number[] {
  const pathOf = (i: number) => (rules[i].path === '' ? '/' : rules[i].path);
  return rules
    .map((_, i) => i)
    .sort((a, b) => pathOf(b).length - pathOf(a).length || (pathOf(a) < pathOf(b) ? 1 : pathOf(a) > pathOf(b) ? -1 : a - b));
}

/**
 * The rule a request path reaches, or undefined when none matches. Among equal rules (same path
 * and pathType, e.g. in two Ingresses) the first one listed wins.
 */
export function pickPath(rules: readonly PathRule[], requestPath: string, mode: PathMode): PathPick | undefined {
  if (mode === 'regex') {
    for (const index of regexOrder(rules)) {
      const match = matchesRegex(rules[index].path, requestPath);
      if (match) return { index, match };
    }
    return undefined;
  }
  let best: number | undefined;
  rules.forEach((rule, index) => {
    if (!matchesNormal(rule, requestPath)) return;
    if (best === undefined) {
      best = index;
      return;
    }
    const current = rules[best];
    const longer = normalLength(rule) - normalLength(current);
    if (longer > 0 || (longer === 0 && (TYPE_RANK[rule.pathType] ?? 0) > (TYPE_RANK[current.pathType] ?? 0))) best = index;
  });
  return best === undefined ? undefined : { index: best };
}

/** A rule host `*.example.com`: matches exactly one extra leading label. */
export function isWildcardHost(ruleHost: string): boolean {
  return ruleHost.startsWith('*.');
}

/** Host matching, case-insensitive: exact, or a wildcard matching exactly one extra leading label. */
export function matchesHost(ruleHost: string, requestHost: string): boolean {
  const rule = ruleHost.toLowerCase();
  const request = requestHost.toLowerCase().replace(/\.$/, '');
  if (!isWildcardHost(rule)) return rule === request;
  const dot = request.indexOf('.');
  return dot > 0 && request.slice(dot + 1) === rule.slice(2);
}
