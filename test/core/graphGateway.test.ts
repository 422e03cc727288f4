/**
 * Gateway API in the route graph (graph/gatewayGraph.ts): hostname → Gateway listener → route rule
 * → Service (with weights) → workloads, beside the Ingress routes; broken links as missing nodes;
 * scopes, the node budget and stable ids.
 */
import { strict as assert } from 'node:assert';
import { readFileSync, readdirSync } from 'node:fs';
import * as path from 'node:path';
import { describe, test } from 'node:test';
import { Workspace, buildRouteGraph, nodeId, toMermaid } from '../../server/src/core';
import type { RouteGraph } from '../../server/src/core';
import { expectSnapshot } from '../helpers/expect';

const EXAMPLES = path.resolve(__dirname, '../../examples');

/** examples/gateway-api (and the seed's Ingress example beside it), as `file:///ex/<folder>/<file>`. */
function examples(folders: readonly string[], extra: Record<string, string> = {}): Workspace {
  const ws = new Workspace();
  ws.update([
    ...folders.flatMap((folder) => readdirSync(path.join(EXAMPLES, folder)).map((f) => ({ uri: `file:///ex/${folder}/${f}`, text: readFileSync(path.join(EXAMPLES, folder, f), 'utf8') }))),
    ...Object.entries(extra).map(([name, text]) => ({ uri: `file:///ws/${name}`, text })),
  ]);
  return ws;
}

function workspace(files: Record<string, string>): Workspace {
  return examples([], files);
}

/** The graph model as readable lines (ids shortened), for snapshots. */
function render(graph: RouteGraph): string {
  const short = (id: string) => id.replace(/file:\/\/\/ex\//g, '');
  const lines = graph.nodes.map((n) => `${n.kind.padEnd(10)} ${short(n.id)}  "${[n.label, ...n.details].join(' | ')}"${n.hosts ? ` hosts=${n.hosts.join(',')}` : ''}`);
  lines.push('');
  for (const e of graph.edges) lines.push(`${short(e.from)} -${e.kind}${e.style === 'normal' ? '' : `(${e.style})`}-> ${short(e.to)}${e.label ? `  "${e.label}"` : ''}`);
  return lines.join('\n');
}

const label = (graph: RouteGraph, id: string) => graph.nodes.find((n) => n.id === id)?.label ?? id;
const edgesOf = (graph: RouteGraph, kind: string) => graph.edges.filter((e) => e.kind === kind).map((e) => `${label(graph, e.from)} → ${label(graph, e.to)}${e.label ? ` [${e.label}]` : ''}${e.style === 'broken' ? ' (broken)' : ''}`).sort();

const CLASS = `apiVersion: gateway.networking.k8s.io/v1
kind: GatewayClass
metadata: { name: eg }
spec: { controllerName: gateway.envoyproxy.io/gatewayclass-controller }
`;

const GATEWAY = `apiVersion: gateway.networking.k8s.io/v1
kind: Gateway
metadata: { name: edge, namespace: infra }
spec:
  gatewayClassName: eg
  listeners:
    - { name: web, port: 80, protocol: HTTP, hostname: "*.example.com", allowedRoutes: { namespaces: { from: All } } }
    - { name: admin, port: 8080, protocol: HTTP, hostname: admin.example.com }
`;

function app(name: string, namespace = 'apps'): string {
  return `apiVersion: apps/v1
kind: Deployment
metadata: { name: ${name}, namespace: ${namespace} }
spec:
  selector: { matchLabels: { app: ${name} } }
  template:
    metadata: { labels: { app: ${name} } }
    spec:
      containers: [{ name: main, image: nginx, ports: [{ name: http, containerPort: 8080 }] }]
---
apiVersion: v1
kind: Service
metadata: { name: ${name}, namespace: ${namespace} }
spec:
  selector: { app: ${name} }
  ports: [{ name: http, port: 80, targetPort: http }]
`;
}

const ROUTES = `apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata: { name: shop, namespace: apps }
spec:
  parentRefs: [{ name: edge, namespace: infra }]
  hostnames: [shop.example.com]
  rules:
    - matches: [{ path: { type: PathPrefix, value: /cart }, method: POST, headers: [{ name: x-env, value: canary }] }]
      filters: [{ type: URLRewrite, urlRewrite: { hostname: cart.internal, path: { type: ReplacePrefixMatch, replacePrefixMatch: / } } }]
      backendRefs: [{ name: cart, port: 80, weight: 90 }, { name: cart-next, port: 80, weight: 10 }]
    - matches: [{ path: { type: Exact, value: /old } }]
      filters: [{ type: RequestRedirect, requestRedirect: { scheme: https, statusCode: 301 } }]
    - backendRefs: [{ name: ghost, port: 80 }, { name: shared, namespace: other, port: 80 }, { name: cart, port: 81 }]
---
apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata: { name: blog, namespace: apps }
spec:
  parentRefs: [{ name: edge, namespace: infra, sectionName: web }]
  hostnames: [blog.example.com]
  rules:
    - backendRefs: [{ name: blog, port: 80 }]
`;

function gatewayFiles(extra: Record<string, string> = {}): Record<string, string> {
  return { 'class.yaml': CLASS, 'gateway.yaml': GATEWAY, 'routes.yaml': ROUTES, 'apps.yaml': [app('cart'), app('cart-next'), app('blog'), app('shared', 'other')].join('---\n'), ...extra };
}

describe('route graph: Gateway API', () => {
  test('the example beside the seed: www.test.pri → IngressClass nginx and → Gateway listener http, each to its own Services', () => {
    const graph = buildRouteGraph(examples(['seed-routing', 'gateway-api']));
    expectSnapshot(render(graph), 'graph/gateway-example-model.txt');
    assert.deepEqual(edgesOf(graph, 'host'), ['www.test.pri → Gateway default/test-gateway', 'www.test.pri → IngressClass nginx']);
    const listener = graph.nodes.find((n) => n.kind === 'gateway')!;
    assert.equal(listener.id, nodeId.listener('file:///ex/gateway-api/gateway.yaml#Gateway/default/test-gateway', 'http'));
    assert.deepEqual(listener.details, ['class nginx (gateway.nginx.org/nginx-gateway-controller)', 'listener http: 80/HTTP www.test.pri']);
    const rules = graph.nodes.filter((n) => n.id.startsWith('rule:'));
    assert.deepEqual(rules.map((n) => [n.label, n.details]), [
      ['www.test.pri/abc', ['HTTPRoute default/test-route rule 0', 'PathPrefix /abc', 'rewrite prefix → /']],
      ['www.test.pri/dfc', ['HTTPRoute default/test-route rule 1', 'PathPrefix /dfc', 'rewrite prefix → /']],
    ]);
    // The HTTPRoute reaches the Services of its own example, the Ingress those of the seed.
    const backends = graph.edges.filter((e) => e.kind === 'backend');
    assert.ok(backends.filter((e) => e.from.startsWith('rule:')).every((e) => e.to.includes('/gateway-api/')));
    assert.ok(backends.filter((e) => e.from.startsWith('route:')).every((e) => e.to.includes('/seed-routing/')));
    const mermaid = toMermaid(graph).text;
    assert.match(mermaid, /\{\{"Gateway default\/test-gateway<br\/>class nginx \(gateway\.nginx\.org\/nginx-gateway-controller\)<br\/>listener http: 80\/HTTP www\.test\.pri"\}\}:::gateway/);
    assert.match(mermaid, /classDef gateway /);
  });

  test('matches, filters and weights are summarised; every listener is drawn; hosts are the effective hostnames', () => {
    const graph = buildRouteGraph(workspace(gatewayFiles()));
    expectSnapshot(render(graph), 'graph/gateway-model.txt');
    const cart = graph.nodes.find((n) => n.id.endsWith('HTTPRoute/apps/shop:0'))!;
    assert.equal(cart.label, 'shop.example.com/cart');
    assert.deepEqual(cart.details, ['HTTPRoute apps/shop rule 0', 'PathPrefix /cart · POST · header x-env=canary', 'rewrite host → cart.internal prefix → /']);
    assert.deepEqual(cart.hosts, ['shop.example.com']);
    const redirect = graph.nodes.find((n) => n.id.endsWith('HTTPRoute/apps/shop:1'))!;
    assert.deepEqual(redirect.details, ['HTTPRoute apps/shop rule 1', 'Exact /old', 'redirect 301 https://']);
    assert.deepEqual(edgesOf(graph, 'backend').filter((e) => e.includes('cart')), ['shop.example.com/ → Service cart [81 · 33% · no such port] (broken)', 'shop.example.com/cart → Service cart [80 · 90%]', 'shop.example.com/cart → Service cart-next [80 · 10%]']);
    assert.deepEqual(graph.nodes.filter((n) => n.kind === 'gateway').map((n) => n.details.at(-1)), ['listener admin: 8080/HTTP admin.example.com', 'listener web: 80/HTTP *.example.com']);
    assert.deepEqual(edgesOf(graph, 'host'), ['blog.example.com → Gateway infra/edge', 'shop.example.com → Gateway infra/edge']);
    assert.deepEqual(edgesOf(graph, 'route'), ['Gateway infra/edge → blog.example.com/', 'Gateway infra/edge → shop.example.com/', 'Gateway infra/edge → shop.example.com/cart', 'Gateway infra/edge → shop.example.com/old']);
  });

  test('broken links: a missing Service, a cross-namespace backend without ReferenceGrant, a missing parent, a sectionName no listener has, a refused namespace', () => {
    const graph = buildRouteGraph(
      workspace(
        gatewayFiles({
          'more.yaml': `apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata: { name: lost, namespace: apps }
spec:
  parentRefs: [{ name: nowhere, namespace: infra }, { name: edge, namespace: infra, sectionName: nope }, { name: edge, namespace: infra, sectionName: admin }]
  hostnames: [lost.example.com]
  rules:
    - backendRefs: [{ name: blog, port: 80 }]
`,
        }),
      ),
    );
    const missing = graph.nodes.filter((n) => n.kind === 'missing').map((n) => [n.id.replace(/file:\/\/\/ws\//, ''), n.label, n.details.join(' ')]);
    assert.deepEqual(missing, [
      ['missing:gw:infra/nowhere', 'Gateway infra/nowhere', 'missing'],
      ['missing:listener:gateway.yaml#Gateway/infra/edge:nope', 'listener nope', 'not in Gateway infra/edge'],
      ['missing:svc:apps/ghost', 'Service ghost', 'missing'],
    ]);
    const broken = graph.edges.filter((e) => e.style === 'broken').map((e) => `${label(graph, e.from)} → ${label(graph, e.to)}${e.label ? ` [${e.label}]` : ''}`).sort();
    assert.deepEqual(broken, [
      'Gateway infra/edge → lost.example.com/ [namespace not allowed]',
      'Gateway infra/nowhere → lost.example.com/',
      'listener nope → lost.example.com/ [NoMatchingParent]',
      'shop.example.com/ → Service cart [81 · 33% · no such port]',
      'shop.example.com/ → Service ghost [80 · 33%]',
      'shop.example.com/ → Service shared [80 · 33% · no ReferenceGrant]',
    ]);
    const granted = buildRouteGraph(
      workspace(gatewayFiles({ 'grant.yaml': 'apiVersion: gateway.networking.k8s.io/v1beta1\nkind: ReferenceGrant\nmetadata: { name: g, namespace: other }\nspec:\n  from: [{ group: gateway.networking.k8s.io, kind: HTTPRoute, namespace: apps }]\n  to: [{ group: "", kind: Service }]\n' })),
    );
    assert.ok(granted.edges.some((e) => e.to.includes('Service/other/shared') && e.style === 'normal' && e.label === '80 · 33%'));
  });

  test('scopes: a host keeps its rules and listener; a namespace keeps the Gateway as the way in; a file and a resource', () => {
    const ws = workspace(gatewayFiles());
    const blog = buildRouteGraph(ws, { kind: 'host', host: 'blog.example.com' });
    assert.deepEqual(blog.nodes.map((n) => n.label), ['blog.example.com', 'Gateway infra/edge', 'blog.example.com/', 'Service blog', 'Deployment blog']);
    const apps = buildRouteGraph(ws, { kind: 'namespace', namespace: 'apps' });
    assert.ok(apps.nodes.some((n) => n.kind === 'gateway' && n.namespace === 'infra'), 'the listener of another namespace is the way in');
    assert.ok(!apps.nodes.some((n) => n.label === 'Service shared'), 'Services of other namespaces are left out');
    const infra = buildRouteGraph(ws, { kind: 'namespace', namespace: 'infra' });
    // As for the ingress-nginx namespace: the way in, not the other namespaces' objects behind it.
    assert.deepEqual(infra.nodes.map((n) => n.kind), ['host', 'host', 'gateway', 'gateway']);
    const file = buildRouteGraph(ws, { kind: 'file', uri: 'file:///ws/gateway.yaml' });
    assert.ok(file.nodes.some((n) => n.kind === 'gateway') && file.nodes.some((n) => n.label === 'Service blog'));
    const route = ws.allResources().find((r) => r.kind === 'HTTPRoute' && r.name?.value === 'blog')!;
    const resource = buildRouteGraph(ws, { kind: 'resource', resourceId: route.id });
    const labels = resource.nodes.map((n) => n.label);
    for (const wanted of ['blog.example.com', 'Gateway infra/edge', 'blog.example.com/', 'Service blog', 'Deployment blog']) assert.ok(labels.includes(wanted), wanted);
    assert.ok(!labels.includes('Service cart'), 'not the other routes of the listener');
  });

  test('the node budget keeps whole routes', () => {
    const routes = Array.from({ length: 30 }, (_, i) => `apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata: { name: r${i}, namespace: apps }
spec:
  parentRefs: [{ name: edge, namespace: infra }]
  hostnames: [h${i}.example.com]
  rules:
    - backendRefs: [{ name: s${i}, port: 80 }]
---
${app(`s${i}`)}`).join('---\n');
    const graph = buildRouteGraph(workspace({ 'class.yaml': CLASS, 'gateway.yaml': GATEWAY, 'many.yaml': routes }), { kind: 'workspace' }, 40);
    assert.equal(graph.nodes.length, 40);
    assert.ok(graph.truncated && graph.truncated.total > 40);
    for (const rule of graph.nodes.filter((n) => n.id.startsWith('rule:'))) assert.ok(graph.edges.some((e) => e.to === rule.id), `${rule.label} keeps its listener`);
  });
});
