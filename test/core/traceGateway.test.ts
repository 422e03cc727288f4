/**
 * The request tracer through Gateway API Gateways (trace/gatewayRouter.ts), end to end: inline
 * YAML → traceRequest with `options.gateway` (or without) → status, route object, upstreamPath,
 * upstreamHost, redirect, steps. Section numbers refer to docs/gateway-api-semantics.md.
 */
import { strict as assert } from 'node:assert';
import { readFileSync, readdirSync } from 'node:fs';
import * as path from 'node:path';
import { describe, test } from 'node:test';
import { Workspace, buildRouteGraph, traceGatewayChoices, traceRequest } from '../../server/src/core';
import type { TraceOptions, TraceResult } from '../../server/src/core';

function workspace(files: Record<string, string>): Workspace {
  const ws = new Workspace();
  ws.update(Object.entries(files).map(([name, text]) => ({ uri: `file:///ws/${name}`, text })));
  return ws;
}

function trace(files: Record<string, string> | Workspace, url: string, options: TraceOptions = {}): TraceResult {
  return traceRequest(files instanceof Workspace ? files : workspace(files), url, options);
}

const texts = (result: TraceResult, kind?: string) => result.steps.filter((s) => kind === undefined || s.kind === kind).map((s) => s.text).join('\n');

const CLASS = `apiVersion: gateway.networking.k8s.io/v1
kind: GatewayClass
metadata: { name: eg }
spec: { controllerName: gateway.envoyproxy.io/gatewayclass-controller }
`;

/** A Gateway in `namespace` with listeners given as flow mappings (allowedRoutes: All unless given). */
function gateway(name: string, namespace: string, listeners: string[], extra = ''): string {
  const items = listeners.map((l) => `    - ${l.includes('allowedRoutes') ? l : l.replace(/ }$/, ', allowedRoutes: { namespaces: { from: All } } }')}`).join('\n');
  return `apiVersion: gateway.networking.k8s.io/v1
kind: Gateway
metadata: { name: ${name}, namespace: ${namespace} }
spec:
  gatewayClassName: eg
${extra}  listeners:
${items}
`;
}

/** A Deployment and its ClusterIP Service `name` (port 80 → 8080). */
function app(name: string, namespace = 'apps', replicas = 2): string {
  return `apiVersion: apps/v1
kind: Deployment
metadata: { name: ${name}, namespace: ${namespace} }
spec:
  replicas: ${replicas}
  selector: { matchLabels: { app: ${name} } }
  template:
    metadata: { labels: { app: ${name} } }
    spec:
      containers:
        - name: main
          image: nginx
          ports: [{ name: http, containerPort: 8080 }]
---
apiVersion: v1
kind: Service
metadata: { name: ${name}, namespace: ${namespace} }
spec:
  selector: { app: ${name} }
  ports: [{ name: http, port: 80, targetPort: http }]
`;
}

function route(name: string, namespace: string, spec: string, metadata = ''): string {
  return `apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata: { name: ${name}, namespace: ${namespace}${metadata} }
spec:
${spec}`;
}

const EDGE = gateway('edge', 'infra', [
  '{ name: any, port: 80, protocol: HTTP }',
  '{ name: foo, port: 80, protocol: HTTP, hostname: foo.example.com }',
  '{ name: wild, port: 80, protocol: HTTP, hostname: "*.example.com" }',
  '{ name: bar, port: 80, protocol: HTTP, hostname: "*.bar.example.com" }',
  '{ name: alt, port: 8080, protocol: HTTP, hostname: example.org }',
  '{ name: tls, port: 443, protocol: HTTPS, hostname: foo.example.com, tls: { certificateRefs: [{ name: cert }] } }',
]);

/** One route per listener, each sending `/` to its own app, so the listener that took the request shows in the answer. */
function perListener(): Record<string, string> {
  const files: Record<string, string> = { 'class.yaml': CLASS, 'gateway.yaml': EDGE };
  for (const listener of ['any', 'foo', 'wild', 'bar', 'alt', 'tls']) {
    files[`${listener}.yaml`] = `${app(`app-${listener}`)}---\n${route(`r-${listener}`, 'apps', `  parentRefs: [{ name: edge, namespace: infra, sectionName: ${listener} }]\n  rules:\n    - backendRefs: [{ name: app-${listener}, port: 80 }]\n`)}`;
  }
  return files;
}

const EXAMPLE = path.resolve(__dirname, '../../examples/gateway-api');

function exampleWorkspace(): Workspace {
  const ws = new Workspace();
  ws.update(readdirSync(EXAMPLE).map((f) => ({ uri: `file:///example/${f}`, text: readFileSync(path.join(EXAMPLE, f), 'utf8') })));
  return ws;
}

describe('Gateway trace: the example (examples/gateway-api)', () => {
  test('/abc/index.html → URLRewrite ReplacePrefixMatch / → abc-svc receives /index.html; the route object', () => {
    const ws = exampleWorkspace();
    const result = trace(ws, 'http://www.test.pri/abc/index.html', { gateway: 'default/test-gateway' });
    assert.equal(result.found, true, result.reason);
    assert.equal(result.status, undefined);
    assert.equal(result.upstreamPath, '/index.html');
    assert.equal(result.upstreamHost, undefined);
    assert.deepEqual(result.route, {
      controller: { kind: 'gateway-api', class: 'nginx', controller: 'gateway.nginx.org/nginx-gateway-controller' },
      gateway: { namespace: 'default', name: 'test-gateway', listener: 'http' },
      route: { kind: 'HTTPRoute', namespace: 'default', name: 'test-route', rule: { index: 0, match: { index: 0, path: { type: 'PathPrefix', value: '/abc' } } }, hostname: 'www.test.pri' },
      backends: [{ kind: 'Service', namespace: 'default', name: 'abc-svc', port: 80, weight: 100, targetPort: 'http', containerPort: 80, workloads: [{ kind: 'Deployment', name: 'abc', replicas: 2 }] }],
    });
    assert.deepEqual(result.steps.filter((s) => s.kind !== 'note').map((s) => s.kind), ['controller', 'controller', 'host', 'path', 'rewrite', 'service', 'port', 'pods']);
    assert.match(texts(result, 'note'), /Listener isolation is modelled: only the routes attached to listener `http` can answer/);
    // Every step's node is a node of the graph, so the panel highlights the traced route.
    const ids = new Set(buildRouteGraph(ws).nodes.map((n) => n.id));
    const stepIds = result.steps.flatMap((s) => (s.nodeId ? [s.nodeId] : []));
    assert.ok(stepIds.length >= 6);
    for (const id of stepIds) assert.ok(ids.has(id), `${id} is not a graph node`);
  });

  test('the ReplacePrefixMatch table (§7.2) and element-wise PathPrefix', () => {
    const ws = exampleWorkspace();
    const upstream = (url: string) => trace(ws, url, { gateway: 'default/test-gateway' }).upstreamPath;
    assert.equal(upstream('http://www.test.pri/abc'), '/');
    assert.equal(upstream('http://www.test.pri/abc/'), '/');
    assert.equal(upstream('http://www.test.pri/abc/new/'), '/new/');
    assert.equal(upstream('http://www.test.pri/dfc/a?b=c'), '/a?b=c');
    const miss = trace(ws, 'http://www.test.pri/abcdef', { gateway: 'default/test-gateway' });
    assert.equal(miss.found, false);
    assert.equal(miss.status, 404);
    assert.match(miss.reason ?? '', /no rule of the HTTPRoutes on listener `http` matches `\/abcdef`; the Gateway answers 404/);
    assert.match(miss.closest ?? '', /`PathPrefix \/abc` of HTTPRoute `default\/test-route` rule 0 shares `\/abc`/);
    assert.deepEqual(miss.route?.backends, []);
    assert.deepEqual(miss.route?.gateway, { namespace: 'default', name: 'test-gateway', listener: 'http' });
  });

  test('without --gateway the one Gateway that accepts port 80 and the host is used', () => {
    const result = trace(exampleWorkspace(), 'http://www.test.pri/dfc/x');
    assert.equal(result.found, true, result.reason);
    assert.match(result.steps[0].text, /it is the only Gateway whose listeners accept port 80 and host `www\.test\.pri`/);
    assert.equal(result.route?.backends[0].name, 'dfc-svc');
    assert.equal(result.upstreamPath, '/x');
  });
});

describe('Gateway trace: listener selection (§3.5) and isolation', () => {
  const picked = (url: string, files = perListener()) => {
    const result = trace(files, url, { gateway: 'infra/edge' });
    return { listener: result.route?.gateway?.listener, backend: result.route?.backends[0]?.name, result };
  };

  test('exact hostname first, then the most specific wildcard, then the listener without hostname', () => {
    assert.deepEqual(picked('http://foo.example.com/').listener, 'foo');
    assert.deepEqual(picked('http://a.bar.example.com/').listener, 'bar', '*.bar.example.com is more specific than *.example.com');
    assert.deepEqual(picked('http://x.y.example.com/').listener, 'wild', 'a wildcard covers several labels');
    assert.deepEqual(picked('http://example.com/').listener, 'any', '*.example.com does not cover example.com');
    assert.deepEqual(picked('http://other.org/').listener, 'any');
    assert.equal(picked('http://foo.example.com/').backend, 'app-foo');
  });

  test('the port picks the listeners: 8080 by the URL, 443 for https', () => {
    assert.equal(picked('http://example.org:8080/').listener, 'alt');
    assert.equal(picked('https://foo.example.com/').listener, 'tls');
    const none = picked('http://foo.example.com:9090/').result;
    assert.equal(none.found, false);
    assert.equal(none.status, undefined, 'no listener on the port: no HTTP answer at all');
    assert.match(none.reason ?? '', /Gateway `infra\/edge` has no HTTP listener on port 9090 \(its listeners: /);
  });

  test('no listener hostname accepts the host: 404', () => {
    const files = { 'class.yaml': CLASS, 'gw.yaml': gateway('named', 'infra', ['{ name: a, port: 80, protocol: HTTP, hostname: a.example.com }']), 'app.yaml': app('web') };
    const result = trace(files, 'http://b.example.com/', { gateway: 'infra/named' });
    assert.equal(result.found, false);
    assert.equal(result.status, 404);
    assert.match(result.reason ?? '', /no listener of Gateway `infra\/named` on port 80 accepts host `b\.example\.com` \(their hostnames: `a\.example\.com`\)/);
    assert.deepEqual(result.route?.gateway, { namespace: 'infra', name: 'named' });
  });

  test('listener isolation: a route on the less specific listener does not catch a request the chosen listener does not route', () => {
    const files = {
      'class.yaml': CLASS,
      'gateway.yaml': EDGE,
      'apps.yaml': app('web'),
      'routes.yaml': `${route('catch-all', 'apps', '  parentRefs: [{ name: edge, namespace: infra, sectionName: any }]\n  rules:\n    - matches: [{ path: { type: PathPrefix, value: /api } }]\n      backendRefs: [{ name: web, port: 80 }]\n')}---\n${route('foo-only', 'apps', '  parentRefs: [{ name: edge, namespace: infra, sectionName: foo }]\n  rules:\n    - matches: [{ path: { type: PathPrefix, value: /shop } }]\n      backendRefs: [{ name: web, port: 80 }]\n')}`,
    };
    const isolated = trace(files, 'http://foo.example.com/api/x', { gateway: 'infra/edge' });
    assert.equal(isolated.found, false);
    assert.equal(isolated.status, 404);
    assert.equal(isolated.route?.gateway?.listener, 'foo');
    assert.match(texts(isolated, 'note'), /Listener isolation is modelled: only the routes attached to listener `foo` can answer; the routes of listeners `wild`, `any` on the same port, which also accept this host, are not tried/);
    assert.equal(trace(files, 'http://elsewhere.test/api/x', { gateway: 'infra/edge' }).found, true, 'the same route serves hosts that reach its own listener');
  });

  test('a listener of a ListenerSet (§4): listed after the Gateway\'s, when allowedListeners admits it', () => {
    const files = {
      'class.yaml': CLASS,
      'gw.yaml': gateway('shared', 'infra', ['{ name: http, port: 80, protocol: HTTP, hostname: main.example.com }'], '  allowedListeners: { namespaces: { from: All } }\n'),
      'set.yaml': `apiVersion: gateway.networking.k8s.io/v1
kind: ListenerSet
metadata: { name: team, namespace: apps }
spec:
  parentRef: { name: shared, namespace: infra }
  listeners:
    - { name: team-http, port: 80, protocol: HTTP, hostname: team.example.com }
`,
      'app.yaml': app('web'),
      'route.yaml': route('team', 'apps', '  parentRefs: [{ kind: ListenerSet, name: team }]\n  rules:\n    - backendRefs: [{ name: web, port: 80 }]\n'),
    };
    const result = trace(files, 'http://team.example.com/', { gateway: 'infra/shared' });
    assert.equal(result.found, true, result.reason);
    assert.deepEqual(result.route?.gateway, { namespace: 'infra', name: 'shared', listener: 'team-http', listenerSet: { namespace: 'apps', name: 'team' } });
    const closed = { ...files, 'gw.yaml': gateway('shared', 'infra', ['{ name: http, port: 80, protocol: HTTP, hostname: main.example.com }']) };
    assert.equal(trace(closed, 'http://team.example.com/', { gateway: 'infra/shared' }).status, 404, 'allowedListeners defaults to None');
  });
});

describe('Gateway trace: route attachment', () => {
  test('sectionName, and allowedRoutes namespaces: a refused route is not attached, and the trace says why', () => {
    const files = {
      'class.yaml': CLASS,
      'gw.yaml': gateway('same', 'infra', ['{ name: http, port: 80, protocol: HTTP, allowedRoutes: { namespaces: { from: Same } } }']),
      'app.yaml': app('web'),
      'route.yaml': route('web', 'apps', '  parentRefs: [{ name: same, namespace: infra }]\n  rules:\n    - backendRefs: [{ name: web, port: 80 }]\n'),
    };
    const refused = trace(files, 'http://any.test/', { gateway: 'infra/same' });
    assert.equal(refused.found, false);
    assert.equal(refused.status, 404);
    assert.match(refused.reason ?? '', /no HTTPRoute is attached to listener `http` of Gateway `infra\/same`/);
    assert.match(texts(refused, 'note'), /The listener refuses HTTPRoute `apps\/web` \(namespace `apps` not allowed: `allowedRoutes\.namespaces\.from: Same`\)/);
    const allowed = { ...files, 'gw.yaml': gateway('same', 'infra', ['{ name: http, port: 80, protocol: HTTP }']) };
    assert.equal(trace(allowed, 'http://any.test/', { gateway: 'infra/same' }).found, true);
  });

  test('route hostnames intersect the listener\'s: a route for another host is not served here', () => {
    const files = {
      ...perListener(),
      'extra.yaml': route('named', 'apps', '  parentRefs: [{ name: edge, namespace: infra, sectionName: wild }]\n  hostnames: [only.example.com]\n  rules:\n    - matches: [{ path: { type: PathPrefix, value: /named } }]\n      backendRefs: [{ name: app-foo, port: 80 }]\n'),
    };
    const other = trace(files, 'http://other.example.com/named', { gateway: 'infra/edge' });
    assert.equal(other.route?.route?.name, 'r-wild', 'the host-less route of the listener answers');
    const own = trace(files, 'http://only.example.com/named', { gateway: 'infra/edge' });
    assert.equal(own.route?.route?.name, 'named');
    assert.equal(own.route?.route?.hostname, 'only.example.com');
  });
});

describe('Gateway trace: precedence (§6.4)', () => {
  const base = { 'class.yaml': CLASS, 'gw.yaml': gateway('gw', 'infra', ['{ name: http, port: 80, protocol: HTTP }']), 'a.yaml': app('a'), 'b.yaml': app('b'), 'c.yaml': app('c'), 'd.yaml': app('d') };
  const parent = '  parentRefs: [{ name: gw, namespace: infra }]\n';
  const winner = (files: Record<string, string>, url: string, options: TraceOptions = {}) => {
    const result = trace({ ...base, ...files }, url, { gateway: 'infra/gw', ...options });
    assert.equal(result.found, true, result.reason);
    return result.route!.backends.find((b) => b.weight > 0)!.name;
  };

  test('1. the route with the more specific matching hostname wins over a better path', () => {
    const files = {
      'routes.yaml': `${route('precise', 'apps', `${parent}  hostnames: [foo.example.com]\n  rules:\n    - backendRefs: [{ name: a, port: 80 }]\n`)}---\n${route('wild', 'apps', `${parent}  hostnames: ["*.example.com"]\n  rules:\n    - matches: [{ path: { type: Exact, value: /login } }]\n      backendRefs: [{ name: b, port: 80 }]\n`)}`,
    };
    assert.equal(winner(files, 'http://foo.example.com/login'), 'a');
    assert.equal(winner(files, 'http://bar.example.com/login'), 'b');
  });

  test('2–3. Exact before PathPrefix; the longest PathPrefix (trailing / not counted)', () => {
    const files = {
      'route.yaml': route('paths', 'apps', `${parent}  rules:
    - matches: [{ path: { type: PathPrefix, value: /match/ } }]
      backendRefs: [{ name: a, port: 80 }]
    - matches: [{ path: { type: PathPrefix, value: /match/prefix/ } }]
      backendRefs: [{ name: b, port: 80 }]
    - matches: [{ path: { type: PathPrefix, value: /match/prefix/one } }]
      backendRefs: [{ name: c, port: 80 }]
    - matches: [{ path: { type: Exact, value: /match/prefix/one } }]
      backendRefs: [{ name: d, port: 80 }]
`),
    };
    assert.equal(winner(files, 'http://x/match/prefix/one/any'), 'c');
    assert.equal(winner(files, 'http://x/match/prefix/one'), 'd');
    assert.equal(winner(files, 'http://x/match/prefix/two'), 'b');
    assert.equal(winner(files, 'http://x/match/other'), 'a');
  });

  test('4–6. a longer path beats a method; a method beats headers; headers beat query parameters', () => {
    const files = {
      'route.yaml': route('mixed', 'apps', `${parent}  rules:
    - matches: [{ path: { type: PathPrefix, value: /path5 } }]
      backendRefs: [{ name: a, port: 80 }]
    - matches: [{ method: PATCH }]
      backendRefs: [{ name: b, port: 80 }]
    - matches: [{ headers: [{ name: version, value: four }] }]
      backendRefs: [{ name: c, port: 80 }]
    - matches: [{ queryParams: [{ name: animal, value: hydra }] }]
      backendRefs: [{ name: d, port: 80 }]
`),
    };
    assert.equal(winner(files, 'http://x/path5', { method: 'PATCH' }), 'a');
    assert.equal(winner(files, 'http://x/', { method: 'PATCH', headers: { Version: 'four' } }), 'b', 'header names are case-insensitive');
    assert.equal(winner(files, 'http://x/?animal=hydra', { headers: { version: 'four' } }), 'c');
    assert.equal(winner(files, 'http://x/?animal=hydra'), 'd');
    const caseSensitive = trace({ ...base, ...files }, 'http://x/?ANIMAL=hydra', { gateway: 'infra/gw' });
    assert.equal(caseSensitive.status, 404, 'query parameter names are case-sensitive: nothing matches');
  });

  test('7–8. ties across routes: the oldest creationTimestamp, else namespace/name (and the trace says the order depends on creation time)', () => {
    const rule = `${parent}  rules:\n    - matches: [{ path: { type: PathPrefix, value: /same } }]\n      backendRefs: [{ name: BACKEND, port: 80 }]\n`;
    const untimed = { 'r.yaml': `${route('zeta', 'apps', rule.replace('BACKEND', 'a'))}---\n${route('alpha', 'apps', rule.replace('BACKEND', 'b'))}` };
    const byName = trace({ ...base, ...untimed }, 'http://x/same', { gateway: 'infra/gw' });
    assert.equal(byName.route?.route?.name, 'alpha');
    assert.match(texts(byName, 'note'), /HTTPRoute `apps\/zeta` matches as well with the same precedence: the order depends on the routes' creationTimestamp \(the oldest wins\), which the manifests do not carry; the trace falls back to namespace\/name order, where `apps\/alpha` comes first/);
    const timed = {
      'r.yaml': `${route('zeta', 'apps', rule.replace('BACKEND', 'a'), ', creationTimestamp: "2024-01-01T00:00:00Z"')}---\n${route('alpha', 'apps', rule.replace('BACKEND', 'b'), ', creationTimestamp: "2025-01-01T00:00:00Z"')}`,
    };
    const byAge = trace({ ...base, ...timed }, 'http://x/same', { gateway: 'infra/gw' });
    assert.equal(byAge.route?.route?.name, 'zeta');
    assert.match(texts(byAge, 'note'), /`apps\/zeta` is the oldest \(creationTimestamp `2024-01-01T00:00:00Z`\) and wins/);
    assert.doesNotMatch(texts(byAge), /depends on the routes' creationTimestamp/);
  });

  test('9. within a route, the first rule (and match) in order', () => {
    const files = {
      'route.yaml': route('order', 'apps', `${parent}  rules:
    - matches: [{ path: { type: PathPrefix, value: /a } }, { path: { type: PathPrefix, value: /b } }]
      backendRefs: [{ name: a, port: 80 }]
    - matches: [{ path: { type: PathPrefix, value: /b } }]
      backendRefs: [{ name: b, port: 80 }]
`),
    };
    const result = trace({ ...base, ...files }, 'http://x/b/c', { gateway: 'infra/gw' });
    assert.equal(result.route?.route?.rule.index, 0);
    assert.equal(result.route?.route?.rule.match.index, 1);
    assert.deepEqual(result.route?.route?.rule.match.path, { type: 'PathPrefix', value: '/b' });
  });
});

describe('Gateway trace: filters (§7)', () => {
  const base = {
    'class.yaml': CLASS,
    'gw.yaml': gateway('gw', 'infra', ['{ name: http, port: 80, protocol: HTTP }', '{ name: alt, port: 8080, protocol: HTTP }', '{ name: https, port: 443, protocol: HTTPS, tls: { certificateRefs: [{ name: c }] } }']),
    'app.yaml': app('web'),
  };
  const withRule = (rule: string) => ({ ...base, 'route.yaml': route('r', 'apps', `  parentRefs: [{ name: gw, namespace: infra }]\n  rules:\n${rule}`) });

  test('URLRewrite: hostname → upstreamHost; ReplaceFullPath keeps the query', () => {
    const files = withRule(`    - matches: [{ path: { type: PathPrefix, value: /full } }]
      filters: [{ type: URLRewrite, urlRewrite: { hostname: backend.internal, path: { type: ReplaceFullPath, replaceFullPath: /one } } }]
      backendRefs: [{ name: web, port: 80 }]
`);
    const result = trace(files, 'http://example.org/full/one/two?x=1', { gateway: 'infra/gw' });
    assert.equal(result.found, true, result.reason);
    assert.equal(result.upstreamPath, '/one?x=1');
    assert.equal(result.upstreamHost, 'backend.internal');
    assert.match(texts(result, 'rewrite'), /URLRewrite of rule 0 sets the Host header to `backend\.internal` and rewrites the path `\/full\/one\/two` to `\/one` \(ReplaceFullPath `\/one`\)/);
  });

  test('ReplacePrefixMatch, the normative table', () => {
    const cases: [string, string, string, string][] = [
      ['/foo', '/xyz', '/foo/bar', '/xyz/bar'],
      ['/foo/', '/xyz/', '/foo/bar', '/xyz/bar'],
      ['/foo', '/xyz', '/foo', '/xyz'],
      ['/foo', '/xyz', '/foo/', '/xyz/'],
      ['/foo', '""', '/foo/bar', '/bar'],
      ['/foo', '""', '/foo', '/'],
      ['/foo', '/', '/foo/', '/'],
    ];
    for (const [prefix, replacement, request, expected] of cases) {
      const files = withRule(`    - matches: [{ path: { type: PathPrefix, value: ${prefix} } }]
      filters: [{ type: URLRewrite, urlRewrite: { path: { type: ReplacePrefixMatch, replacePrefixMatch: ${replacement} } } }]
      backendRefs: [{ name: web, port: 80 }]
`);
      assert.equal(trace(files, `http://example.org${request}`, { gateway: 'infra/gw' }).upstreamPath, expected, `${request} with ${prefix} → ${replacement}`);
    }
  });

  test('RequestRedirect: 302 by default, found, no backend; Location from the listener port, scheme, hostname and path (§7.1)', () => {
    const redirect = (fields: string, url: string) => {
      const files = withRule(`    - matches: [{ path: { type: PathPrefix, value: /old } }]\n      filters: [{ type: RequestRedirect, requestRedirect: ${fields} }]\n`);
      return trace(files, url, { gateway: 'infra/gw' });
    };
    const plain = redirect('{ hostname: example.org }', 'http://a.test:8080/old/x');
    assert.equal(plain.found, true);
    assert.equal(plain.status, 302);
    assert.deepEqual(plain.route?.redirect, { status: 302, location: 'http://example.org:8080/old/x' });
    assert.deepEqual(plain.route?.backends, []);
    assert.equal(plain.upstreamPath, undefined);
    assert.match(texts(plain, 'rewrite'), /RequestRedirect of rule 0: the Gateway answers 302 with Location `http:\/\/example\.org:8080\/old\/x`; the request goes no further/);
    assert.deepEqual(redirect('{ scheme: https, hostname: example.org }', 'http://a.test:8080/old/x').route?.redirect, { status: 302, location: 'https://example.org/old/x' }, 'scheme set: 443 implied, the listener port dropped');
    assert.deepEqual(redirect('{ scheme: http }', 'https://a.test/old/x').route?.redirect, { status: 302, location: 'http://a.test/old/x' });
    assert.deepEqual(redirect('{ port: 8443, statusCode: 301 }', 'http://a.test/old').route?.redirect, { status: 301, location: 'http://a.test:8443/old' });
    assert.deepEqual(redirect('{ path: { type: ReplacePrefixMatch, replacePrefixMatch: /new }, statusCode: 308 }', 'http://a.test/old/x?q=1').route?.redirect, { status: 308, location: 'http://a.test/new/x?q=1' });
    assert.deepEqual(redirect('{ path: { type: ReplaceFullPath, replaceFullPath: /home } }', 'http://a.test/old/x').route?.redirect, { status: 302, location: 'http://a.test/home' });
  });
});

describe('Gateway trace: backends (§8, §11)', () => {
  const base = { 'class.yaml': CLASS, 'gw.yaml': gateway('gw', 'infra', ['{ name: http, port: 80, protocol: HTTP }']), 'a.yaml': app('a'), 'b.yaml': app('b'), 'other.yaml': app('shared', 'other') };
  const withRule = (rule: string, extra: Record<string, string> = {}) => ({ ...base, ...extra, 'route.yaml': route('r', 'apps', `  parentRefs: [{ name: gw, namespace: infra }]\n  rules:\n${rule}`) });
  const go = (files: Record<string, string>, url = 'http://x/') => trace(files, url, { gateway: 'infra/gw' });

  test('weights: every backend listed with its percentage, weight 0 as 0; the heaviest is followed', () => {
    const result = go(withRule('    - backendRefs: [{ name: a, port: 80, weight: 90 }, { name: b, port: 80, weight: 10 }, { name: shared, namespace: other, port: 80, weight: 0 }]\n', { 'grant.yaml': GRANT }));
    assert.equal(result.found, true, result.reason);
    assert.deepEqual(result.route?.backends.map((b) => [b.name, b.weight]), [['a', 90], ['b', 10], ['shared', 0]]);
    assert.equal(result.route?.backends[1].containerPort, 8080, 'backends not followed are still resolved');
    assert.match(texts(result, 'note'), /Requests are split by weight: `a` 90%, `b` 10%, `shared` 0%; the trace follows `a`/);
    assert.match(texts(result, 'service'), /sends it to Service `a`/);
    const one = go(withRule('    - backendRefs: [{ name: b, port: 80 }]\n'));
    assert.equal(one.route?.backends[0].weight, 100);
  });

  test('a cross-namespace backend needs a ReferenceGrant: without it the rule answers 500', () => {
    const rule = '    - backendRefs: [{ name: shared, namespace: other, port: 80 }]\n';
    const denied = go(withRule(rule));
    assert.equal(denied.found, false);
    assert.equal(denied.status, 500);
    assert.match(denied.reason ?? '', /every backendRef of rule 0 of HTTPRoute `apps\/r` is invalid \(`shared`: RefNotPermitted, no ReferenceGrant in namespace `other` lets HTTPRoutes of namespace `apps` reach Service `shared`\), so the Gateway answers 500/);
    assert.deepEqual(denied.route?.backends, [{ kind: 'Service', namespace: 'other', name: 'shared', port: 80, weight: 100, workloads: [], invalid: 'RefNotPermitted' }]);
    const granted = go(withRule(rule, { 'grant.yaml': GRANT }));
    assert.equal(granted.found, true, granted.reason);
    assert.match(texts(granted, 'note'), /ReferenceGrant `other\/from-apps` lets HTTPRoutes of namespace `apps` reach Service `shared` in namespace `other`/);
    const wrongKind = go(withRule(rule, { 'grant.yaml': GRANT.replace('kind: HTTPRoute', 'kind: GRPCRoute') }));
    assert.equal(wrongKind.status, 500, 'a grant for another route kind permits nothing');
  });

  test('partly invalid: the valid backend is followed, the invalid one is listed and its share gets 500', () => {
    const result = go(withRule('    - backendRefs: [{ name: a, port: 80 }, { name: nope, port: 80 }]\n'));
    assert.equal(result.found, true, result.reason);
    assert.deepEqual(result.route?.backends.map((b) => [b.name, b.weight, b.invalid]), [['a', 50, undefined], ['nope', 50, 'BackendNotFound']]);
    assert.match(texts(result, 'note'), /`nope` is not a valid backend \(BackendNotFound: no Service `nope` in namespace `apps`\): its 50% of the requests get 500/);
  });

  test('all invalid (no such Service, no such port), no backendRefs, omitted rules: 500', () => {
    const missing = go(withRule('    - backendRefs: [{ name: nope, port: 80 }]\n'));
    assert.deepEqual([missing.found, missing.status], [false, 500]);
    assert.ok(missing.steps.some((s) => s.kind === 'service' && s.nodeId === 'missing:svc:apps/nope'));
    const port = go(withRule('    - backendRefs: [{ name: a, port: 81 }]\n'));
    assert.deepEqual([port.found, port.status], [false, 500]);
    assert.match(port.reason ?? '', /`a`: BackendNotFound, Service `a` has no port 81/);
    const none = go(withRule('    - matches: [{ path: { type: PathPrefix, value: / } }]\n'));
    assert.deepEqual([none.found, none.status], [false, 500]);
    assert.match(none.reason ?? '', /rule 0 of HTTPRoute `apps\/r` has no backendRefs and no RequestRedirect, so the Gateway answers 500/);
    const omitted = go({ ...base, 'route.yaml': route('empty', 'apps', '  parentRefs: [{ name: gw, namespace: infra }]\n') });
    assert.deepEqual([omitted.found, omitted.status], [false, 500]);
    assert.match(omitted.reason ?? '', /HTTPRoute `apps\/empty` has no rules: its default rule matches every path and has no backendRefs/);
    const zero = go(withRule('    - backendRefs: [{ name: a, port: 80, weight: 0 }]\n'));
    assert.deepEqual([zero.found, zero.status], [false, 500]);
    assert.match(zero.reason ?? '', /has weight 0/);
  });

  test('a valid backend with no endpoints is the 503 of a Service without pods', () => {
    const files = withRule('    - backendRefs: [{ name: lonely, port: 80 }]\n', { 'lonely.yaml': 'apiVersion: v1\nkind: Service\nmetadata: { name: lonely, namespace: apps }\nspec:\n  selector: { app: nobody }\n  ports: [{ port: 80 }]\n' });
    const result = go(files);
    assert.deepEqual([result.found, result.status], [false, 503]);
  });
});

const GRANT = `apiVersion: gateway.networking.k8s.io/v1beta1
kind: ReferenceGrant
metadata: { name: from-apps, namespace: other }
spec:
  from: [{ group: gateway.networking.k8s.io, kind: HTTPRoute, namespace: apps }]
  to: [{ group: "", kind: Service }]
`;

describe('Gateway trace: choosing the Gateway', () => {
  const two = {
    'class.yaml': CLASS,
    'a.yaml': gateway('public', 'infra', ['{ name: http, port: 80, protocol: HTTP, hostname: "*.example.com" }']),
    'b.yaml': gateway('internal', 'infra', ['{ name: http, port: 80, protocol: HTTP }']),
    'app.yaml': app('web'),
    'routes.yaml': `${route('pub', 'apps', '  parentRefs: [{ name: public, namespace: infra }]\n  rules:\n    - backendRefs: [{ name: web, port: 80 }]\n')}---\n${route('int', 'apps', '  parentRefs: [{ name: internal, namespace: infra }]\n  rules:\n    - backendRefs: [{ name: web, port: 80 }]\n')}`,
  };

  test('several Gateways accept the port and host: found false, and the reason names each', () => {
    const result = trace(two, 'http://shop.example.com/');
    assert.equal(result.found, false);
    assert.equal(result.status, undefined);
    assert.equal(result.reason, 'several Gateways accept port 80 and host `shop.example.com`: `infra/internal`, `infra/public`; choose one with --gateway NAMESPACE/NAME');
    assert.equal(trace(two, 'http://shop.example.com/', { gateway: 'infra/public' }).route?.route?.name, 'pub');
    assert.equal(trace(two, 'http://other.test/').route?.route?.name, 'int', 'only one accepts another host');
    const choices = traceGatewayChoices(workspace(two), 'http://shop.example.com/');
    assert.deepEqual(choices, {
      gateways: [
        { namespace: 'infra', name: 'internal', accepts: true, listeners: ['http: 80/HTTP (any host)'] },
        { namespace: 'infra', name: 'public', accepts: true, listeners: ['http: 80/HTTP *.example.com'] },
      ],
      ingressServesHost: false,
    });
    assert.deepEqual(traceGatewayChoices(workspace(two), 'http://other.test/').gateways.map((g) => g.accepts), [true, false]);
  });

  test('a bad or unknown --gateway says so', () => {
    assert.equal(trace(two, 'http://x.example.com/', { gateway: 'public' }).reason, 'the Gateway must be given as NAMESPACE/NAME, not `public`');
    const unknown = trace(two, 'http://x.example.com/', { gateway: 'infra/nope' });
    assert.equal(unknown.found, false);
    assert.equal(unknown.reason, 'no Gateway `infra/nope` in the workspace; its Gateways: `infra/internal`, `infra/public`');
  });

  test('an Ingress with a rule for the host answers unless the user is in the Gateway\'s example; the trace names the Gateway', () => {
    const ingress = `apiVersion: networking.k8s.io/v1
kind: Ingress
metadata: { name: legacy, namespace: apps }
spec:
  rules:
    - host: shop.example.com
      http:
        paths: [{ path: /, pathType: Prefix, backend: { service: { name: web, port: { number: 80 } } } }]
`;
    const files = { 'class.yaml': CLASS, 'gw/gateway.yaml': two['a.yaml'], 'gw/route.yaml': route('pub', 'apps', '  parentRefs: [{ name: public, namespace: infra }]\n  rules:\n    - backendRefs: [{ name: web, port: 80 }]\n'), 'app.yaml': app('web'), 'ing/ingress.yaml': ingress };
    const viaIngress = trace(files, 'http://shop.example.com/');
    assert.equal(viaIngress.found, true, viaIngress.reason);
    assert.equal(viaIngress.route?.ingress?.name, 'legacy');
    assert.match(viaIngress.steps[0].text, /Gateway `infra\/public` also accepts port 80 and host `shop\.example\.com`; this trace follows the Ingresses \(trace with --gateway NAMESPACE\/NAME to follow a Gateway\)/);
    const fromRoute = trace(files, 'http://shop.example.com/', { from: 'file:///ws/gw/route.yaml' });
    assert.equal(fromRoute.route?.gateway?.name, 'public');
    assert.equal(traceGatewayChoices(workspace(files), 'http://shop.example.com/').ingressServesHost, true);
  });

  test('no Gateway accepts, and no Ingress: the listeners there are', () => {
    const result = trace({ 'class.yaml': CLASS, 'gw.yaml': two['a.yaml'] }, 'http://nope.test/');
    assert.equal(result.found, false);
    assert.equal(result.status, 404);
    assert.equal(result.reason, 'no Gateway has a listener that accepts port 80 and host `nope.test` (listeners: `infra/public` 80/HTTP *.example.com)');
  });

  test('the Host header names the virtual host the listeners match', () => {
    const result = trace(two, 'http://10.0.0.5/', { headers: { Host: 'shop.example.com' }, gateway: 'infra/public' });
    assert.equal(result.found, true, result.reason);
    assert.equal(result.route?.gateway?.listener, 'http');
  });
});
