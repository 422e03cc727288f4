/** ingress-nginx path and rewrite semantics used by the checks (see docs: ingress-path-matching, rewrite). */
import type { Field, Ingress } from '../model';
import { isValidRewriteTarget } from './nginxAnnotations';

/**
 * Number of capturing groups in a PCRE path: unescaped `(` outside character classes, not
 * followed by `?` — except named groups (`(?<n>`, `(?P<n>`, `(?'n'`), which do capture.
 */
export function countCaptureGroups(pattern: string): number {
  let count = 0;
  let inClass = false;
  for (let i = 0; i < pattern.length; i++) {
    const ch = pattern[i];
    if (ch === '\\') {
      i++;
    } else if (inClass) {
      if (ch === ']') inClass = false;
    } else if (ch === '[') {
      inClass = true;
      // A `]` right after `[` or `[^` is a literal member of the class.
      if (pattern[i + 1] === '^') i++;
      if (pattern[i + 1] === ']') i++;
    } else if (ch === '(' && isCapturingGroup(pattern, i)) {
      count++;
    }
  }
  return count;
}

function isCapturingGroup(pattern: string, open: number): boolean {
  if (pattern[open + 1] !== '?') return true;
  const rest = pattern.slice(open + 2, open + 4);
  return rest.startsWith('P<') || rest.startsWith("'") || (rest.startsWith('<') && rest[1] !== '=' && rest[1] !== '!');
}

/** The highest `$N` a rewrite target refers to (nginx supports `$1`…`$9`), 0 when none. */
export function highestCaptureReference(target: string): number {
  let highest = 0;
  for (const match of target.matchAll(/\$(\d)/g)) {
    highest = Math.max(highest, Number(match[1]));
  }
  return highest;
}

/**
 * ingress-nginx ≥ 1.12 validates Exact and Prefix paths strictly (`strict-validate-path-type`,
 * on by default): only letters, digits, `.`, `_`, `-` and `/` are allowed. Anything else (a regex)
 * needs `pathType: ImplementationSpecific`.
 */
export function isStrictPath(path: string): boolean {
  return /^\/[A-Za-z0-9._\-/]*$/.test(path);
}

/** ingress-nginx `needsRewrite`: a rewrite-target that differs from the path (a templated one counts, as it may). */
export function needsRewrite(target: Field<string> | undefined, path: string): boolean {
  if (!target) return false;
  return target.unknown === true || target.value !== path;
}

/**
 * What puts this Ingress's host in regex mode in ingress-nginx (`enforceRegexModifier`):
 * `use-regex: "true"`, or a known rewrite-target that differs from one of its paths. A templated
 * rewrite-target is left out here, so checks and hovers only speak of what the manifest says.
 */
export function regexModeCause(ingress: Ingress): 'use-regex' | 'rewrite-target' | undefined {
  if (ingress.useRegex) return 'use-regex';
  const target = ingress.rewriteTarget;
  // A value that fails the controller's validation is ignored by it (rewrite.go ParseAnnotations).
  if (!target || target.unknown || !isValidRewriteTarget(target.value)) return undefined;
  const differs = ingress.rules.some((rule) => rule.paths.some((p) => p.path?.unknown === true || needsRewrite(target, p.path?.value ?? '/')));
  return differs ? 'rewrite-target' : undefined;
}
