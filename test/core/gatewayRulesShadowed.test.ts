/**
 * route-match-shadowed (docs/gateway-api-semantics.md §6.4): a match that never wins because an
 * identical match takes precedence, in an earlier rule of the same route or in another route applied
 * together on the same listener with the same hostnames; never across alternatives, and never when
 * anything that counts for precedence or for the requests matched differs.
 */
import { strict as assert } from 'node:assert';
import { describe, test } from 'node:test';
import { effectiveSeverity } from '../../server/src/core';
import { allFindings, workspaceOf } from '../helpers/check';
import type { CheckOptions } from '../helpers/check';
import { parseFixture } from '../helpers/fixture';

/**
 * checkFindings (test/helpers/check.ts) for rules whose ranges run to the end of a line (a rule's
 * or a match's first line, written with end character MAX_SAFE_INTEGER as LSP allows): such a
 * range is compared as ending at the end of its line, so its annotation's carets reach the end of
 * the line. Everything else is compared as checkFindings does.
 */
function checkLines(source: string, options: CheckOptions = {}): void {
  const fixture = parseFixture(source);
  const lines = new Map(fixture.files.map((f) => [f.uri, f.text.split('\n')]));
  const findings = allFindings(workspaceOf(fixture, options.settings)).filter((f) => !options.only || options.only.includes(f.rule));
  const render = (uri: string, line: number, start: number, end: number, label: string) => `${uri.replace('file://', '')}:${line + 1}:${start + 1}-${Math.min(end, lines.get(uri)![line].length) + 1} ${label}`;
  const actual = findings.map((f) => render(f.uri, f.range.start.line, f.range.start.character, f.range.end.line === f.range.start.line ? f.range.end.character : Number.MAX_SAFE_INTEGER, `${effectiveSeverity(f, {})} ${f.rule}`));
  const expected = fixture.annotations.map((a) => {
    const [label, contains] = a.label.split('~').map((s) => s.trim());
    if (contains) {
      const match = findings.find((f) => f.uri === a.uri && f.range.start.line === a.range.start.line && f.range.start.character === a.range.start.character && `${effectiveSeverity(f, {})} ${f.rule}` === label);
      assert.ok(match, `no finding for annotation "${a.label}"`);
      assert.ok(match.message.includes(contains), `message "${match.message}" does not contain "${contains}"`);
    }
    return render(a.uri, a.range.start.line, a.range.start.character, a.range.end.character, label);
  });
  assert.deepEqual(actual.sort(), expected.sort(), `findings differ.\nMessages:\n${findings.map((f) => `  ${f.rule}: ${f.message}`).join('\n')}`);
}

const GATEWAY = `
apiVersion: gateway.networking.k8s.io/v1
kind: Gateway
metadata:
  name: edge
spec:
  gatewayClassName: eg
  listeners:
    - name: web
      port: 80
      protocol: HTTP
    - name: admin
      port: 8080
      protocol: HTTP
`;

/** An HTTPRoute on `edge` with one rule matching `PathPrefix /api` (plus `extra` match fields). */
function route(name: string, options: { hostnames?: readonly string[]; section?: string; extra?: string; annotation?: string } = {}): string {
  return `
apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata:
  name: ${name}
spec:
  parentRefs:
    - name: edge
${options.section ? `      sectionName: ${options.section}\n` : ''}${options.hostnames ? `  hostnames:\n${options.hostnames.map((h) => `    - ${h}\n`).join('')}` : ''}  rules:
    - matches:
        - path:
            type: PathPrefix
${options.annotation ?? ''}            value: /api
${options.extra ?? ''}      backendRefs:
        - name: api
          port: 80
`;
}

const ONLY = { only: ['route-match-shadowed'] };
const SHADOWED = '          # ^^^^^^^^^^^^^^^^ warning route-match-shadowed';

describe('route-match-shadowed within a route', () => {
  test('an identical match in a later rule never wins; a trailing / of a PathPrefix changes nothing', () => {
    checkLines(`
apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata:
  name: r
spec:
  parentRefs:
    - name: edge
  rules:
    - matches:
        - path:
            type: PathPrefix
            value: /a
      backendRefs:
        - name: s
          port: 80
    - matches:
        - path:
            type: PathPrefix
          # ^^^^^^^^^^^^^^^^ warning route-match-shadowed ~ HTTPRoute \`r\`: the match \`PathPrefix /a/\` of rule 2 never wins: rule 1 of the same route has the same match, and the first rule in list order takes precedence
            value: /a/
        - path:
            type: Exact
            value: /a
      backendRefs:
        - name: s
          port: 80
    - matches:
        - path:
            type: PathPrefix
            value: /a
          method: GET
        - path:
            type: PathPrefix
            value: /a
          headers:
            - name: version
              value: v2
        - path:
            type: PathPrefix
            value: /a
          queryParams:
            - name: v
              value: "2"
        - path:
            type: PathPrefix
            value: /ab
      backendRefs:
        - name: s
          port: 80
    - matches:
        - path:
            type: PathPrefix
          # ^^^^^^^^^^^^^^^^ warning route-match-shadowed ~ rule 3 of the same route has the same match
            value: /a
          headers:
            - name: Version
              value: v2
      backendRefs:
        - name: s
          port: 80
`, ONLY);
  });

  test('header values, methods and query parameters that differ make different matches', () => {
    checkLines(`
apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata:
  name: r
spec:
  parentRefs:
    - name: edge
  rules:
    - matches:
        - path:
            type: PathPrefix
            value: /a
          method: GET
          headers:
            - name: version
              value: v1
      backendRefs:
        - name: s
          port: 80
    - matches:
        - path:
            type: PathPrefix
            value: /a
          method: POST
          headers:
            - name: version
              value: v1
        - path:
            type: PathPrefix
            value: /a
          method: GET
          headers:
            - name: version
              value: v2
        - path:
            type: PathPrefix
            value: /a
          method: GET
          headers:
            - name: version
              value: v1
              type: RegularExpression
      backendRefs:
        - name: s
          port: 80
`, ONLY);
  });
});

describe('route-match-shadowed across routes', () => {
  test('two routes of one file on the same listener with the same hostnames: each names the other', () => {
    checkLines(`${GATEWAY}---${route('a', { hostnames: ['shop.example.com'], annotation: `${SHADOWED} ~ HTTPRoute \`a\`: its match \`PathPrefix /api\` is also defined by HTTPRoute \`b\` on listener \`web\` (HTTP 80) of Gateway \`edge\` for \`shop.example.com\`; the matches tie on every precedence criterion, so only one of them ever serves these requests: the oldest route (creationTimestamp, which the manifests do not carry), then the first by namespace/name (HTTPRoute \`a\`)\n` })}---${route('b', { hostnames: ['shop.example.com'], annotation: `${SHADOWED} ~ is also defined by HTTPRoute \`a\`\n` })}`, ONLY);
  });

  test('creationTimestamps decide who wins', () => {
    const aged = (text: string, time: string) => text.replace('metadata:\n', `metadata:\n  creationTimestamp: "${time}"\n`);
    checkLines(`${GATEWAY}---${aged(route('a', { annotation: `${SHADOWED} ~ HTTPRoute \`b\`, the oldest (creationTimestamp); this match never wins\n` }), '2024-02-01T00:00:00Z')}---${aged(route('b', { annotation: `${SHADOWED} ~ this route, the oldest (creationTimestamp)\n` }), '2024-01-01T00:00:00Z')}`, ONLY);
  });

  test('not when hostnames, methods or headers differ, nor on different listeners', () => {
    checkLines(`${GATEWAY}---${route('a', { hostnames: ['shop.example.com'] })}---${route('b', { hostnames: ['admin.example.com'] })}`, ONLY);
    checkLines(`${GATEWAY}---${route('a', { hostnames: ['shop.example.com'] })}---${route('b', { hostnames: ['shop.example.com', 'www.example.com'] })}`, ONLY);
    checkLines(`${GATEWAY}---${route('a')}---${route('b', { extra: '          method: POST\n' })}`, ONLY);
    checkLines(`${GATEWAY}---${route('a')}---${route('b', { extra: '          headers:\n            - name: canary\n              value: "true"\n' })}`, ONLY);
    checkLines(`${GATEWAY}---${route('a', { section: 'web' })}---${route('b', { section: 'admin' })}`, ONLY);
  });

  test('not when the other route is not accepted on the listener (another namespace, Same)', () => {
    checkLines(`${GATEWAY}---${route('a')}---${route('b').replace('  name: b\n', '  name: b\n  namespace: other\n').replace('    - name: edge\n', '    - name: edge\n      namespace: default\n')}`, ONLY);
  });

  test('not across alternatives: routes in sibling folders or in separate files of a folder are independent examples', () => {
    checkLines(`
#- /examples/a/gateway.yaml
${GATEWAY}
---
${route('a')}
#- /examples/b/gateway.yaml
${GATEWAY}
---
${route('b')}
`, ONLY);
    checkLines(`
#- /app/gateway.yaml
${GATEWAY}
#- /app/route-a.yaml
${route('a')}
#- /app/route-b.yaml
${route('b')}
`, ONLY);
  });

  test('GRPCRoutes: the same service/method in two rules', () => {
    checkLines(`
apiVersion: gateway.networking.k8s.io/v1
kind: GRPCRoute
metadata:
  name: g
spec:
  parentRefs:
    - name: edge
  rules:
    - matches:
        - method:
            service: shop.Cart
      backendRefs:
        - name: s
          port: 80
    - matches:
        - method:
            service: shop.Cart
            method: Get
        - method:
        # ^^^^^^^ warning route-match-shadowed ~ the method match \`shop.Cart/*\` of rule 2 never wins
            service: shop.Cart
      backendRefs:
        - name: s
          port: 80
`, ONLY);
  });
});
