/**
 * Every regular expression that comes from a manifest (Ingress paths in regex mode, rewrite
 * targets' paths, canary header patterns, NGINX Inc. regex locations, ALB and GCE path patterns,
 * kustomize patch targets) is evaluated here, never with `new RegExp(...).exec`.
 *
 * JavaScript's engine backtracks: `/(.?){40}.{40}` against a 40-character path takes longer than
 * anyone waits, and the language server would stop answering. re2js (a port of RE2) runs in time
 * linear in the input, whatever the pattern, so there is no time budget to tune and no worker to
 * kill. What it does not support (lookaround, backreferences, possessive quantifiers, atomic
 * groups: PCRE features RE2 leaves out because they need backtracking) is reported as
 * `unsupported`, and callers say that the pattern cannot be evaluated offline instead of guessing.
 *
 * Semantics: leftmost-first matching with Perl's submatch rules, as PCRE (what nginx uses) and
 * JavaScript do; unset groups read as '' (nginx's `$N`). Patterns are limited in length and
 * compiled programs are cached (bounded).
 */
import { RE2JS } from 're2js';

/** Longer patterns are not evaluated (RE2 programs grow with counted repetitions). */
export const MAX_PATTERN_LENGTH = 4096;

export type CompiledRegex =
  | {
      readonly kind: 'ok';
      /** Unanchored search (anchor in the pattern): `[whole match, group 1, …]`, or undefined. */
      exec(input: string): string[] | undefined;
      test(input: string): boolean;
    }
  /** Not a valid regular expression (neither PCRE-like syntax nor RE2 reads it). */
  | { readonly kind: 'invalid'; readonly error: string }
  /** Valid, but uses a backtracking-only feature this engine does not evaluate. */
  | { readonly kind: 'unsupported'; readonly error: string };

const cache = new Map<string, CompiledRegex>();
const CACHE_SIZE = 2000;

/** Compiles `pattern` (PCRE-style, as written in a manifest); `caseless` as nginx's `~*`. */
export function compileRegex(pattern: string, caseless = false): CompiledRegex {
  const key = `${caseless ? 'i' : '-'}${pattern}`;
  const cached = cache.get(key);
  if (cached) return cached;
  const compiled = compile(pattern, caseless);
  if (cache.size >= CACHE_SIZE) cache.delete(cache.keys().next().value as string);
  cache.set(key, compiled);
  return compiled;
}

function compile(pattern: string, caseless: boolean): CompiledRegex {
  if (pattern.length > MAX_PATTERN_LENGTH) return { kind: 'unsupported', error: `the pattern is longer than ${MAX_PATTERN_LENGTH} characters` };
  // PCRE's Python-style named groups `(?P<n>…)` are RE2 syntax too; JavaScript needs `(?<n>…)`.
  const jsSource = pattern.replace(/\(\?P</g, '(?<');
  try {
    // Compiling runs nothing: it only tells a syntax error from an unsupported feature.
    new RegExp(jsSource, caseless ? 'i' : '');
  } catch (error) {
    return { kind: 'invalid', error: firstLine(error) };
  }
  let program: RE2JS;
  try {
    program = RE2JS.compile(pattern, caseless ? RE2JS.CASE_INSENSITIVE : 0);
  } catch (error) {
    return { kind: 'unsupported', error: `it uses what a linear-time engine cannot evaluate (${firstLine(error).replace(/^error parsing regexp: /, '')})` };
  }
  const groups = program.groupCount();
  return {
    kind: 'ok',
    exec(input: string): string[] | undefined {
      const matcher = program.matcher(input);
      if (!matcher.find()) return undefined;
      const out: string[] = [];
      for (let i = 0; i <= groups; i++) out.push(matcher.group(i) ?? '');
      return out;
    },
    test(input: string): boolean {
      return program.matcher(input).find();
    },
  };
}

function firstLine(error: unknown): string {
  return (error instanceof Error ? error.message : String(error)).split('\n')[0];
}
