/**
 * Regexes from manifests run in linear time (semantics/safeRegex.ts): they agree with a
 * backtracking engine on what Ingress paths use, and patterns built to backtrack
 * catastrophically finish. The tests with a `timeout` would hang on a backtracking engine; the
 * timeout turns that into a failure (no time is asserted).
 */
import { strict as assert } from 'node:assert';
import { describe, test } from 'node:test';
import { Workspace, doHover, traceRequest } from '../../server/src/core';
import { compileRegex } from '../../server/src/core/semantics/safeRegex';

/** xorshift32: reproducible inputs. */
function random(seed: number): () => number {
  let x = seed >>> 0 || 1;
  return () => {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    return (x >>> 0) / 4294967296;
  };
}

const PATTERNS = [
  '/abc(/|$)(.*)',
  '/api/v[0-9]+/(users|items)/([^/]+)',
  '/something(/|$)(.*)',
  '/(.*)',
  '/foo/bar/[A-Z0-9]{3}',
  '/static/.*\\.(css|js|png)$',
  '/(?P<version>v[12])/(.*)',
  '/a+b*c?',
  '/x{2,4}y',
  '/(a|ab)(c|bcd)(d*)',
  '/[^a-z]+',
  '/\\d{3}-\\w+',
];

describe('safe regexes agree with a backtracking engine on Ingress-style patterns', () => {
  test('the same matches and capture groups on 3,000 generated paths (seeded)', () => {
    const next = random(20261129);
    const alphabet = ['/', 'a', 'b', 'c', 'd', 'x', 'y', 'A', 'Z', '0', '9', '.', '-', '_', 'v1', 'v2', 'api', 'users', 'items', 'abc', 'static', 'css', 'foo', 'bar', 'something'];
    for (let n = 0; n < 3000; n++) {
      const pattern = PATTERNS[n % PATTERNS.length];
      let path = '/';
      for (let k = Math.floor(next() * 8); k > 0; k--) path += alphabet[Math.floor(next() * alphabet.length)];
      const caseless = next() < 0.5;
      const safe = compileRegex(`^(?:${pattern})`, caseless);
      assert.equal(safe.kind, 'ok', pattern);
      if (safe.kind !== 'ok') continue;
      const js = new RegExp(`^(?:${pattern.replace(/\(\?P</g, '(?<')})`, caseless ? 'i' : '').exec(path);
      const expected = js ? [...js].map((g) => g ?? '') : undefined;
      assert.deepEqual(safe.exec(path), expected, `${pattern} on ${path}`);
    }
  });

  test('invalid and unsupported patterns are told apart, never thrown', () => {
    for (const pattern of ['/(unclosed', '/[z-a]', '/a{2,1}', '*x']) assert.equal(compileRegex(pattern).kind, 'invalid', pattern);
    for (const pattern of ['/(?=a)b', '/(a)\\1', '/(?<!x)y', 'x'.repeat(5000)]) assert.equal(compileRegex(pattern).kind, 'unsupported', pattern.slice(0, 20));
  });
});

describe('catastrophic backtracking cannot stall anything', () => {
  const evil = ['/(.?){40}.{40}', '/(a+)+$', '/(a|aa)+b', '/(.*a){30}', '/([a-z]*)*x'];

  test('each evil pattern against 10,000 hostile paths finishes', { timeout: 20_000 }, () => {
    for (const pattern of evil) {
      const compiled = compileRegex(`^(?:${pattern})`, true);
      assert.equal(compiled.kind, 'ok', pattern);
      if (compiled.kind !== 'ok') continue;
      for (let i = 0; i < 10_000; i += 250) compiled.test(`/${'a'.repeat(40 + (i % 60))}!`);
    }
  });

  test('trace and hover of an Ingress with such a path answer', { timeout: 20_000 }, () => {
    const ws = new Workspace();
    const ingress = `apiVersion: networking.k8s.io/v1
kind: Ingress
metadata:
  name: evil
  annotations:
    nginx.ingress.kubernetes.io/rewrite-target: /$2
spec:
  ingressClassName: nginx
  rules:
    - host: evil.example
      http:
        paths:
          - path: /(.?){40}.{40}
            pathType: ImplementationSpecific
            backend:
              service:
                name: web
                port:
                  number: 80
          - path: /(a+)+$
            pathType: ImplementationSpecific
            backend:
              service:
                name: web
                port:
                  number: 80
`;
    ws.update([{ uri: 'file:///ws/evil.yaml', text: ingress }]);
    const result = traceRequest(ws, `http://evil.example/${'a'.repeat(45)}!`);
    assert.equal(typeof result.found, 'boolean');
    const hover = doHover(ws, 'file:///ws/evil.yaml', { line: 12, character: 20 });
    assert.match(hover?.markdown ?? '', /regex/i);
    // Findings (path conflicts run the regexes of other paths) are computed too.
    assert.ok(Array.isArray(ws.findings('file:///ws/evil.yaml')));
  });

  test('a lookahead path is skipped with a note, not guessed', () => {
    const ws = new Workspace();
    ws.update([
      {
        uri: 'file:///ws/look.yaml',
        text: `apiVersion: networking.k8s.io/v1
kind: Ingress
metadata:
  name: look
  annotations:
    nginx.ingress.kubernetes.io/use-regex: "true"
spec:
  ingressClassName: nginx
  rules:
    - host: l.example
      http:
        paths:
          - path: /(?!admin).*
            pathType: ImplementationSpecific
            backend:
              service:
                name: web
                port:
                  number: 80
`,
      },
    ]);
    const result = traceRequest(ws, 'http://l.example/shop');
    assert.match(result.steps.map((s) => s.text).join('\n'), /`\/\(\?!admin\)\.\*` is not a regular expression this tracer can evaluate \(invalid, or using lookaround or backreferences/);
  });
});
