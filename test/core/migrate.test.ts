/**
 * Ingress → Gateway API migration (core/migrate): the mapping (docs/gateway-api-semantics.md
 * §12.4), the ingress2gateway pitfalls (§12.3) each as a fixture that must come out right, and the
 * proof (every sample traced through ingress-nginx and through the generated Gateway).
 */
import { strict as assert } from 'node:assert';
import { readFileSync, readdirSync } from 'node:fs';
import * as path from 'node:path';
import { describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { parseAllDocuments } from 'yaml';
import { Workspace } from '../../server/src/core';
import { migrateAndProve, formatMigrationReport } from '../../server/src/core/migrate/prove';
import type { MigrationReport } from '../../server/src/core/migrate/prove';
import type { MigrateOptions } from '../../server/src/core/migrate/ingressToGateway';

function workspace(files: Record<string, string>): Workspace {
  const ws = new Workspace();
  ws.update(Object.entries(files).map(([name, text]) => ({ uri: `file:///ws/${name}`, text })));
  return ws;
}

function migrate(files: Record<string, string>, options: Partial<MigrateOptions> = {}): MigrationReport {
  return migrateAndProve(workspace(files), { gatewayClass: 'eg', ...options });
}

type Obj = { kind: string; metadata: { name: string; namespace: string }; spec: any };
const objects = (report: MigrationReport): Obj[] => parseAllDocuments(report.result.yaml).map((d) => d.toJS() as Obj);
const routes = (report: MigrationReport) => objects(report).filter((o) => o.kind === 'HTTPRoute');
const routeNamed = (report: MigrationReport, name: string) => {
  const found = routes(report).find((r) => r.metadata.name === name);
  assert.ok(found, `no HTTPRoute ${name} in\n${report.result.yaml}`);
  return found;
};
const gateways = (report: MigrationReport) => objects(report).filter((o) => o.kind === 'Gateway');
const report = (r: MigrationReport) => formatMigrationReport(r, (uri, line) => `${uri}:${line}`);
const notes = (r: MigrationReport, kind: string) => r.notes.filter((n) => n.kind === kind).map((n) => n.message);

/** An ingress-nginx controller (default class), a Deployment and Services in `shop`. */
const BASE = `apiVersion: networking.k8s.io/v1
kind: IngressClass
metadata:
  name: nginx
  annotations: { ingressclass.kubernetes.io/is-default-class: "true" }
spec: { controller: k8s.io/ingress-nginx }
---
apiVersion: apps/v1
kind: Deployment
metadata: { name: app, namespace: shop }
spec:
  selector: { matchLabels: { app: app } }
  template:
    metadata: { labels: { app: app } }
    spec: { containers: [{ name: app, image: app, ports: [{ name: http, containerPort: 8080 }] }] }
---
apiVersion: apps/v1
kind: Deployment
metadata: { name: other, namespace: shop }
spec:
  selector: { matchLabels: { app: other } }
  template:
    metadata: { labels: { app: other } }
    spec: { containers: [{ name: other, image: other, ports: [{ name: http, containerPort: 8080 }] }] }
---
apiVersion: v1
kind: Service
metadata: { name: app, namespace: shop }
spec:
  selector: { app: app }
  ports: [{ name: http, port: 80, targetPort: http }]
---
apiVersion: v1
kind: Service
metadata: { name: other, namespace: shop }
spec:
  selector: { app: other }
  ports: [{ name: web, port: 8080, targetPort: http }]
`;

function ingress(name: string, spec: string, annotations: Record<string, string> = {}, extra = ''): string {
  const ann = Object.keys(annotations).length > 0 ? `\n  annotations:\n${Object.entries(annotations).map(([k, v]) => `    nginx.ingress.kubernetes.io/${k}: ${JSON.stringify(v)}`).join('\n')}` : '';
  return `apiVersion: networking.k8s.io/v1
kind: Ingress
metadata:
  name: ${name}
  namespace: shop${extra}${ann}
spec:
${spec}
`;
}

const rule = (host: string, paths: [string, string, string, number][]) => `    - host: "${host}"
      http:
        paths:
${paths.map(([p, type, svc, port]) => `          - { path: "${p}", pathType: ${type}, backend: { service: { name: ${svc}, port: { number: ${port} } } } }`).join('\n')}`;

const spec = (...rules: string[]) => `  ingressClassName: nginx\n  rules:\n${rules.join('\n')}`;

const assertProved = (r: MigrationReport) => {
  if (process.env.DEBUG_MIGRATE) console.log(r.result.yaml, report(r));
  assert.ok(r.proof.total > 0, 'no samples');
  assert.equal(r.proof.same, r.proof.total, report(r));
};

describe('migrate: the seed example', () => {
  const dir = path.join(path.dirname(fileURLToPath(import.meta.url)), '../../examples/seed-routing');
  const files = Object.fromEntries(readdirSync(dir).filter((f) => f.endsWith('.yaml')).map((f) => [f, readFileSync(path.join(dir, f), 'utf8')]));
  const r = migrate(files);

  test('`/abc(/|$)(.*)` + `/$2` becomes PathPrefix /abc + ReplacePrefixMatch /', () => {
    const route = routeNamed(r, 'test-ingress');
    assert.deepEqual(route.spec.hostnames, ['www.test.pri']);
    assert.deepEqual(route.spec.rules[0].matches, [{ path: { type: 'PathPrefix', value: '/abc' } }]);
    assert.deepEqual(route.spec.rules[0].filters, [{ type: 'URLRewrite', urlRewrite: { path: { type: 'ReplacePrefixMatch', replacePrefixMatch: '/' } } }]);
    assert.deepEqual(route.spec.rules[0].backendRefs, [{ name: 'abc-svc', port: 80 }]);
    // The named port `http` is resolved to the Service's port number, as Gateway API needs.
    assert.deepEqual(route.spec.rules[1].backendRefs, [{ name: 'dfc-svc', port: 80 }]);
    assert.doesNotMatch(r.result.yaml, /replace\w*: .*\$/, 'the capture group never survives as a literal');
  });

  test('the proof: 100 % of the samples, each variant', () => {
    assertProved(r);
    assert.ok(r.equivalent);
    assert.match(report(r), /^10 of 10 sample requests reach the same Service port with the same upstream path\.$/m);
    const abc = r.proof.verdicts.filter((v) => v.sample.path === '/abc(/|$)(.*)');
    assert.deepEqual(abc.map((v) => [v.sample.variant, v.sample.url, v.after.path ?? `status ${v.after.status}`]), [
      ['path', 'http://www.test.pri/abc', '/'],
      ['slash', 'http://www.test.pri/abc/', '/'],
      ['deeper', 'http://www.test.pri/abc/deeper/index.html', '/deeper/index.html'],
      ['query', 'http://www.test.pri/abc/a?q=1', '/a?q=1'],
      ['near-miss', 'http://www.test.pri/abcx', 'status 404'],
    ]);
  });

  test('one Gateway for class nginx with the given gatewayClassName; the Ingress comment carried over', () => {
    const [gw] = gateways(r);
    assert.equal(gw.spec.gatewayClassName, 'eg');
    assert.deepEqual(gw.spec.listeners.map((l: any) => [l.name, l.hostname, l.port, l.protocol]), [['http-www-test-pri', 'www.test.pri', 80, 'HTTP']]);
    assert.match(r.result.yaml, /# http:\/\/www\.test\.pri:31085\/abc\/index\.html → abc-svc receives \/index\.html/);
  });

  test('the route test file expects the migrated answers', () => {
    const tests = (parseAllDocuments(r.routeTests)[0].toJS() as { tests: any[] }).tests;
    assert.equal(tests.length, 10);
    assert.deepEqual(tests[2], { url: 'http://www.test.pri/abc/deeper/index.html', gateway: 'default/nginx', expect: { backend: 'default/abc-svc:80', path: '/deeper/index.html', host: 'www.test.pri' } });
    assert.deepEqual(tests[4].expect, { status: 404 });
  });
});

describe('migrate: ingress-nginx documented rewrites (docs/examples/rewrite)', () => {
  test('`/something(/|$)(.*)` + `/$2`', () => {
    const r = migrate({ 'a.yaml': `${BASE}---\n${ingress('rw', spec(rule('rewrite.bar.com', [['/something(/|$)(.*)', 'ImplementationSpecific', 'app', 80]])), { 'rewrite-target': '/$2', 'use-regex': 'true' })}` });
    const route = routeNamed(r, 'rw');
    assert.deepEqual(route.spec.rules[0].matches[0].path, { type: 'PathPrefix', value: '/something' });
    assert.deepEqual(route.spec.rules[0].filters[0].urlRewrite.path, { type: 'ReplacePrefixMatch', replacePrefixMatch: '/' });
    assertProved(r);
    assert.equal(r.proof.verdicts.find((v) => v.sample.url.endsWith('/something/new'))?.after.path, undefined);
    assert.equal(r.proof.verdicts.find((v) => v.sample.variant === 'deeper')?.after.path, '/deeper/index.html');
  });

  test('`/api/(.*)` + `/v2/$1`: a prefix replaced', () => {
    const r = migrate({ 'a.yaml': `${BASE}---\n${ingress('rw', spec(rule('api.com', [['/api/(.*)', 'ImplementationSpecific', 'app', 80]])), { 'rewrite-target': '/v2/$1' })}` });
    assert.deepEqual(routeNamed(r, 'rw').spec.rules[0].filters[0].urlRewrite.path, { type: 'ReplacePrefixMatch', replacePrefixMatch: '/v2' });
    assert.equal(r.proof.verdicts.find((v) => v.sample.variant === 'deeper')?.after.path, '/v2/deeper/index.html');
    assert.equal(r.proof.verdicts.find((v) => v.sample.variant === 'deeper')?.before.path, '/v2/deeper/index.html');
  });

  test('a constant target becomes ReplaceFullPath; only the near miss differs, and why', () => {
    const r = migrate({ 'a.yaml': `${BASE}---\n${ingress('rw', spec(rule('c.com', [['/old', 'Prefix', 'app', 80]])), { 'rewrite-target': '/new.html' })}` });
    assert.deepEqual(routeNamed(r, 'rw').spec.rules[0], { matches: [{ path: { type: 'PathPrefix', value: '/old' } }], filters: [{ type: 'URLRewrite', urlRewrite: { path: { type: 'ReplaceFullPath', replaceFullPath: '/new.html' } } }], backendRefs: [{ name: 'app', port: 80 }] });
    assert.deepEqual(r.proof.verdicts.map((v) => v.after.path ?? v.after.status), ['/new.html', '/new.html', '/new.html', '/new.html?q=1', 404]);
    // ingress-nginx (regex mode, because of the rewrite) also caught `/oldx` (§12.4).
    const differences = r.proof.verdicts.filter((v) => !v.same);
    assert.deepEqual(differences.map((v) => v.sample.url), ['http://c.com/oldx']);
    assert.match(differences[0].difference!, /Ingress: shop\/app:80 as \/new\.html; Gateway API: status 404 .* ingress-nginx matches `\/old` by characters/);
  });

  test('an Exact path with a rewrite is matched as a prefix, as ingress-nginx does in regex mode', () => {
    const r = migrate({ 'a.yaml': `${BASE}---\n${ingress('rw', spec(rule('c.com', [['/old', 'Exact', 'app', 80]])), { 'rewrite-target': '/new.html' })}` });
    assert.deepEqual(routeNamed(r, 'rw').spec.rules[0].matches, [{ path: { type: 'PathPrefix', value: '/old' } }]);
  });

  test('a target that reorders capture groups is untranslatable, with the reason', () => {
    const r = migrate({ 'a.yaml': `${BASE}---\n${ingress('rw', spec(rule('c.com', [['/api/(v[0-9]+)/(.*)', 'ImplementationSpecific', 'app', 80]])), { 'rewrite-target': '/$2/$1' })}` });
    assert.equal(routes(r).length, 0);
    assert.match(notes(r, 'untranslatable').join('\n'), /rewrite-target `\/\$2\/\$1` on path `\/api\/\(v\[0-9\]\+\)\/\(\.\*\)` uses capture groups in a way Gateway API cannot express/);
    assert.ok(!r.equivalent);
  });

  test('app-root: `/` redirects (302) to the app root, everything else is proxied', () => {
    const r = migrate({ 'a.yaml': `${BASE}---\n${ingress('root', spec(rule('approot.bar.com', [['/', 'Prefix', 'app', 80]])), { 'app-root': '/app1' })}` });
    const route = routeNamed(r, 'root');
    assert.deepEqual(route.spec.rules[0], { matches: [{ path: { type: 'Exact', value: '/' } }], filters: [{ type: 'RequestRedirect', requestRedirect: { path: { type: 'ReplaceFullPath', replaceFullPath: '/app1' }, statusCode: 302 } }] });
    const root = r.proof.verdicts.find((v) => v.sample.url === 'http://approot.bar.com/');
    assert.deepEqual(root?.after.redirect, { status: 302, location: 'http://approot.bar.com/app1' });
    assertProved(r);
  });

  test('use-regex: a regular expression becomes RegularExpression, with a warning', () => {
    const r = migrate({ 'a.yaml': `${BASE}---\n${ingress('rx', spec(rule('rx.com', [['/v[0-9]+/users', 'ImplementationSpecific', 'app', 80]])), { 'use-regex': 'true' })}` });
    assert.deepEqual(routeNamed(r, 'rx').spec.rules[0].matches[0].path, { type: 'RegularExpression', value: '/v[0-9]+/users' });
    assert.match(notes(r, 'warning').join('\n'), /becomes a `RegularExpression` match, whose dialect, anchoring and precedence are implementation-specific/);
  });

  test('permanent-redirect answers 301 with the URL; temporal-redirect 302', () => {
    const r = migrate({ 'a.yaml': `${BASE}---\n${ingress('moved', spec(rule('old.com', [['/', 'Prefix', 'app', 80]])), { 'permanent-redirect': 'https://new.example.com/start' })}---\n${ingress('tmp', spec(rule('tmp.com', [['/', 'Prefix', 'app', 80]])), { 'temporal-redirect': 'https://tmp.example.com/' })}` });
    assert.deepEqual(routeNamed(r, 'moved').spec.rules[0].filters[0].requestRedirect, { scheme: 'https', hostname: 'new.example.com', path: { type: 'ReplaceFullPath', replaceFullPath: '/start' }, statusCode: 301 });
    assert.equal(routeNamed(r, 'moved').spec.rules[0].backendRefs, undefined);
    assert.equal(routeNamed(r, 'tmp').spec.rules[0].filters[0].requestRedirect.statusCode, 302);
    // The one difference: nginx's `return 301 URL` drops the query, Gateway API leaves it to the implementation.
    const differences = r.proof.verdicts.filter((v) => !v.same);
    assert.deepEqual(differences.map((v) => v.sample.variant), ['query', 'query']);
    assert.match(differences[0].difference!, /leaves the query string of a redirect to the implementation/);
  });
});

describe('migrate: ingress2gateway pitfalls (§12.3) come out right', () => {
  test('`*.foo.com` and `foo.com`: distinct listener names, both hosts attach', () => {
    const r = migrate({ 'a.yaml': `${BASE}---\n${ingress('wild', `  ingressClassName: nginx\n  rules:\n${rule('*.foo.com', [['/', 'Prefix', 'app', 80]])}\n${rule('foo.com', [['/', 'Prefix', 'other', 8080]])}`)}` });
    const names = gateways(r)[0].spec.listeners.map((l: any) => l.name);
    assert.deepEqual(names, ['http-wildcard-foo-com', 'http-foo-com']);
    assert.deepEqual(routes(r).map((x) => [x.metadata.name, x.spec.parentRefs[0].sectionName]), [['wild-wildcard-foo-com', 'http-wildcard-foo-com'], ['wild-foo-com', 'http-foo-com']]);
    assertProved(r);
    assert.equal(r.proof.verdicts.find((v) => v.sample.url === 'http://x.foo.com/')?.after.backend, 'shop/app:80');
    assert.equal(r.proof.verdicts.find((v) => v.sample.url === 'http://foo.com/')?.after.backend, 'shop/other:8080');
  });

  test('an Ingress without a class is kept (default IngressClass)', () => {
    const r = migrate({ 'a.yaml': `${BASE}---\n${ingress('plain', `  rules:\n${rule('plain.com', [['/', 'Prefix', 'app', 80]])}`)}` });
    assert.deepEqual(routes(r).map((x) => x.metadata.name), ['plain']);
    assert.equal(gateways(r)[0].metadata.name, 'nginx');
    assert.match(notes(r, 'info').join('\n'), /has no class: migrated as served by the default IngressClass `nginx`/);
    assertProved(r);
  });

  test('an Ingress without a class and no default IngressClass is kept too', () => {
    const r = migrate({ 'a.yaml': `${BASE.replace('"true"', '"false"')}---\n${ingress('plain', `  rules:\n${rule('plain.com', [['/', 'Prefix', 'app', 80]])}`)}` });
    assert.deepEqual(routes(r).map((x) => x.metadata.name), ['plain']);
    assert.equal(gateways(r)[0].metadata.name, 'eg');
  });

  test('the same host + path in two Ingresses: the oldest only, never a traffic split', () => {
    const newer = ingress('newer', `  ingressClassName: nginx\n  rules:\n${rule('dup.com', [['/x', 'Prefix', 'other', 8080]])}`, {}, '\n  creationTimestamp: "2024-05-01T00:00:00Z"');
    const older = ingress('older', `  ingressClassName: nginx\n  rules:\n${rule('dup.com', [['/x', 'Prefix', 'app', 80]])}`, {}, '\n  creationTimestamp: "2023-05-01T00:00:00Z"');
    const r = migrate({ 'a.yaml': `${BASE}---\n${newer}---\n${older}` });
    assert.deepEqual(routes(r).map((x) => [x.metadata.name, x.spec.rules[0].backendRefs]), [['older', [{ name: 'app', port: 80 }]]]);
    assert.ok(!r.result.yaml.includes('weight'));
    assert.match(notes(r, 'warning').join('\n'), /`dup\.com\/x` is also defined by Ingress `shop\/older`, which ingress-nginx serves/);
    assertProved(r);
    assert.equal(r.proof.verdicts[0].before.backend, 'shop/app:80');
  });
});

describe('migrate: TLS, canaries, upstream-vhost, annotations, Gateways', () => {
  test('a TLS host: HTTPS listener with certificateRefs, routes there, http redirected (308) as ingress-nginx does', () => {
    const r = migrate({ 'a.yaml': `${BASE}---\n${ingress('secure', `  ingressClassName: nginx\n  tls: [{ hosts: [s.com], secretName: s-tls }]\n  rules:\n${rule('s.com', [['/api', 'Prefix', 'app', 80]])}`)}` });
    const listeners = gateways(r)[0].spec.listeners;
    assert.deepEqual(listeners.find((l: any) => l.protocol === 'HTTPS').tls, { mode: 'Terminate', certificateRefs: [{ kind: 'Secret', name: 's-tls' }] });
    assert.deepEqual(routeNamed(r, 'secure').spec.parentRefs, [{ name: 'nginx', sectionName: 'https-s-com' }]);
    assert.deepEqual(routeNamed(r, 'secure-https-redirect').spec.rules[0].filters[0].requestRedirect, { scheme: 'https', statusCode: 308 });
    assert.equal(r.proof.verdicts.find((v) => v.sample.url === 'https://s.com/api/deeper/index.html')?.after.backend, 'shop/app:80');
    assert.deepEqual(r.proof.verdicts.find((v) => v.sample.url === 'http://s.com/api')?.after.redirect, { status: 308, location: 'https://s.com/api' });
    // ingress-nginx cuts one trailing slash from the https redirect: the only difference, explained.
    assert.deepEqual(r.proof.verdicts.filter((v) => !v.same).map((v) => v.sample.url), []);
  });

  test('canary-weight becomes weighted backendRefs; upstream-vhost a hostname rewrite', () => {
    const main = ingress('main', `  ingressClassName: nginx\n  rules:\n${rule('can.com', [['/', 'Prefix', 'app', 80]])}`, { 'upstream-vhost': 'internal.shop' });
    const canary = ingress('main-canary', `  ingressClassName: nginx\n  rules:\n${rule('can.com', [['/', 'Prefix', 'other', 8080]])}`, { canary: 'true', 'canary-weight': '20' });
    const r = migrate({ 'a.yaml': `${BASE}---\n${main}---\n${canary}` });
    const rules = routeNamed(r, 'main').spec.rules;
    assert.deepEqual(rules[0].backendRefs, [{ name: 'app', port: 80, weight: 80 }, { name: 'other', port: 8080, weight: 20 }]);
    assert.deepEqual(rules[0].filters, [{ type: 'URLRewrite', urlRewrite: { hostname: 'internal.shop' } }]);
    assert.equal(r.result.migrated.length, 2);
    assertProved(r);
    assert.equal(r.proof.verdicts[0].after.host, 'internal.shop');
  });

  test('canary-by-header becomes a header match rule', () => {
    const main = ingress('main', `  ingressClassName: nginx\n  rules:\n${rule('can.com', [['/', 'Prefix', 'app', 80]])}`);
    const canary = ingress('main-canary', `  ingressClassName: nginx\n  rules:\n${rule('can.com', [['/', 'Prefix', 'other', 8080]])}`, { canary: 'true', 'canary-by-header': 'X-Canary' });
    const r = migrate({ 'a.yaml': `${BASE}---\n${main}---\n${canary}` });
    assert.deepEqual(routeNamed(r, 'main').spec.rules[1], { matches: [{ path: { type: 'PathPrefix', value: '/' }, headers: [{ name: 'X-Canary', value: 'always' }] }], backendRefs: [{ name: 'other', port: 8080 }] });
  });

  test('annotations without an equivalent are listed as not migrated, with what to use', () => {
    const r = migrate({ 'a.yaml': `${BASE}---\n${ingress('x', `  ingressClassName: nginx\n  rules:\n${rule('x.com', [['/', 'Prefix', 'app', 80]])}`, { 'proxy-read-timeout': '30', 'configuration-snippet': 'more_set_headers "A: b";' })}` });
    assert.deepEqual(notes(r, 'not-migrated'), ['annotation `proxy-read-timeout` is not migrated: use HTTPRoute `timeouts.request` / `timeouts.backendRequest` (one whole-request timeout, not per operation)', 'annotation `configuration-snippet` is not migrated: use nothing: snippets have no Gateway API equivalent']);
    assertProved(r);
    assert.ok(!r.equivalent, 'not migrated annotations make the migration not equivalent');
  });

  test('defaultBackend becomes a catch-all rule on a listener without hostname', () => {
    const r = migrate({ 'a.yaml': `${BASE}---\n${ingress('fallback', '  ingressClassName: nginx\n  defaultBackend: { service: { name: app, port: { number: 80 } } }')}` });
    assert.deepEqual(routeNamed(r, 'fallback').spec.rules, [{ matches: [{ path: { type: 'PathPrefix', value: '/' } }], backendRefs: [{ name: 'app', port: 80 }] }]);
    assert.deepEqual(gateways(r)[0].spec.listeners.map((l: any) => l.name), ['http']);
  });

  test('--gateway naming a Gateway of another namespace that the manifests lack: generated, accepting the route namespaces, with a ReferenceGrant for the certificates', () => {
    const r = migrate({ 'a.yaml': `${BASE}---\n${ingress('secure', `  ingressClassName: nginx\n  tls: [{ hosts: [s.com], secretName: s-tls }]\n  rules:\n${rule('s.com', [['/', 'Prefix', 'app', 80]])}`)}` }, { gateway: 'infra/shared' });
    const [gw] = gateways(r);
    assert.deepEqual([gw.metadata.namespace, gw.metadata.name], ['infra', 'shared']);
    assert.deepEqual(gw.spec.listeners[0].allowedRoutes, { namespaces: { from: 'Selector', selector: { matchExpressions: [{ key: 'kubernetes.io/metadata.name', operator: 'In', values: ['shop'] }] } } });
    assert.deepEqual(gw.spec.listeners[1].tls.certificateRefs, [{ kind: 'Secret', name: 's-tls', namespace: 'shop' }]);
    const grant = objects(r).find((o) => o.kind === 'ReferenceGrant');
    assert.deepEqual(grant?.spec, { from: [{ group: 'gateway.networking.k8s.io', kind: 'Gateway', namespace: 'infra' }], to: [{ group: '', kind: 'Secret', name: 's-tls' }] });
    assert.deepEqual(routeNamed(r, 'secure').spec.parentRefs, [{ name: 'shared', namespace: 'infra', sectionName: 'https-s-com' }]);
    assertProved(r);
  });

  // In a file of its own, as a shared Gateway is (the proof traces the originals from the Ingress's file).
  const existing = (from: string) => `apiVersion: gateway.networking.k8s.io/v1
kind: Gateway
metadata: { name: prod, namespace: infra }
spec:
  gatewayClassName: eg
  listeners:
    - { name: web, port: 80, protocol: HTTP, allowedRoutes: { namespaces: { from: ${from} } } }
`;
  test('--gateway naming an existing Gateway: routes attach to its listeners', () => {
    const r = migrate({ 'a.yaml': `${BASE}---\n${ingress('x', `  ingressClassName: nginx\n  rules:\n${rule('x.com', [['/', 'Prefix', 'app', 80]])}`)}`, 'gw.yaml': existing('All') }, { gateway: 'infra/prod' });
    assert.equal(gateways(r).length, 0);
    assert.deepEqual(routeNamed(r, 'x').spec.parentRefs, [{ name: 'prod', namespace: 'infra', sectionName: 'web' }]);
    assertProved(r);
    assert.ok(r.equivalent);
  });

  test('--gateway naming an existing Gateway that would not accept the routes: reported', () => {
    const r = migrate({ 'a.yaml': `${BASE}---\n${ingress('x', `  ingressClassName: nginx\n  rules:\n${rule('x.com', [['/', 'Prefix', 'app', 80]])}`)}`, 'gw.yaml': existing('Same') }, { gateway: 'infra/prod' });
    assert.match(notes(r, 'untranslatable').join('\n'), /the generated HTTPRoute `shop\/x`: .*\(route-not-allowed-by-listeners\)/);
    assert.ok(r.proof.same < r.proof.total);
    assert.ok(!r.equivalent);
  });

  test('broken and templated input never crashes', () => {
    for (const text of ['kind: Ingress\nspec: [', 'apiVersion: networking.k8s.io/v1\nkind: Ingress\nmetadata: { name: "{{ .Values.name }}" }\nspec:\n  rules: [{ host: "{{ .Values.host }}", http: { paths: [{ path: /, pathType: Prefix, backend: { service: { name: "{{ x }}", port: { number: 80 } } } }] } }]', `${ingress('y', '  rules:\n    - http:\n        paths:\n          - { path: /, pathType: Prefix, backend: { resource: { kind: Bucket, name: b } } }')}`]) {
      const r = migrate({ 'a.yaml': text });
      assert.ok(r.proof.same <= r.proof.total);
    }
  });
});
