import { strict as assert } from 'node:assert';
import { readFileSync, readdirSync } from 'node:fs';
import * as path from 'node:path';
import { describe, test } from 'node:test';
import { Workspace, buildRouteGraph, escapeLabel, foldHosts, toMermaid } from '../../server/src/core';
import type { RouteGraph } from '../../server/src/core';
import { expectSnapshot } from '../helpers/expect';

const SEED = path.resolve(__dirname, '../../examples/seed-routing');

function seedWorkspace(extra: Record<string, string> = {}): Workspace {
  const ws = new Workspace();
  ws.update([
    ...readdirSync(SEED).map((f) => ({ uri: `file:///seed/${f}`, text: readFileSync(path.join(SEED, f), 'utf8') })),
    ...Object.entries(extra).map(([uri, text]) => ({ uri, text })),
  ]);
  return ws;
}

/** A readable rendering of the graph model for snapshots. */
function render(graph: RouteGraph): string {
  const lines = graph.nodes.map((n) => `${n.kind.padEnd(10)} ${n.id}  "${[n.label, ...n.details].join(' | ')}"${n.rule ? ` [${n.rule}]` : ''}`);
  lines.push('');
  for (const e of graph.edges) lines.push(`${e.from} -${e.kind}${e.style === 'normal' ? '' : `(${e.style})`}-> ${e.to}${e.label ? `  "${e.label}"` : ''}`);
  if (graph.truncated) lines.push('', `truncated: ${graph.truncated.shown}/${graph.truncated.total} ${graph.truncated.hint}`);
  return lines.join('\n');
}

describe('route graph', () => {
  test('the seed example: host → controller (node:31085) → rules → Services → workloads, NodePort entry with Local, HPA', () => {
    expectSnapshot(render(buildRouteGraph(seedWorkspace())), 'graph/seed-model.txt');
  });

  test('broken links become missing nodes with the rule that reports them', () => {
    const ws = seedWorkspace({
      'file:///broken.yaml': `apiVersion: networking.k8s.io/v1
kind: Ingress
metadata:
  name: broken
spec:
  rules:
    - host: broken.test.pri
      http:
        paths:
          - path: /x
            pathType: Prefix
            backend:
              service:
                name: nope
                port:
                  number: 80
---
apiVersion: v1
kind: Service
metadata:
  name: lonely
spec:
  selector:
    app: nobody
  ports:
    - port: 80
`,
    });
    const graph = buildRouteGraph(ws, { kind: 'host', host: 'broken.test.pri' });
    const missing = graph.nodes.filter((n) => n.kind === 'missing');
    assert.deepEqual(missing.map((n) => [n.label, n.rule]), [['Service nope', 'ingress-backend-service-missing']]);
    assert.ok(graph.edges.some((e) => e.style === 'broken' && e.to === missing[0].id));
    const lonely = buildRouteGraph(ws, { kind: 'file', uri: 'file:///broken.yaml' }).nodes.find((n) => n.kind === 'missing' && n.rule === 'service-selects-nothing');
    assert.equal(lonely?.label, 'pods app=nobody');
  });

  test('scopes: a host keeps only its routes; a namespace, a file and a resource keep what routes through them', () => {
    const ws = seedWorkspace({
      'file:///other.yaml': `apiVersion: networking.k8s.io/v1
kind: Ingress
metadata:
  name: other
spec:
  ingressClassName: nginx
  rules:
    - host: other.test.pri
      http:
        paths:
          - path: /
            pathType: Prefix
            backend:
              service:
                name: dfc-svc
                port:
                  number: 80
`,
    });
    const host = buildRouteGraph(ws, { kind: 'host', host: 'www.test.pri' });
    assert.ok(!host.nodes.some((n) => n.label.startsWith('other.test.pri')));
    assert.ok(host.nodes.some((n) => n.label === 'www.test.pri'));
    assert.ok(host.nodes.some((n) => n.label === 'node:31085'), 'the controller entry is kept');
    const file = buildRouteGraph(ws, { kind: 'file', uri: 'file:///seed/web.yaml' });
    assert.deepEqual(file.nodes.map((n) => n.label).sort(), ['Deployment web', 'HPA web', 'Service web-nodeport', 'node:30000']);
    const web = ws.allResources().find((r) => r.kind === 'Deployment' && r.name?.value === 'abc')!;
    const resource = buildRouteGraph(ws, { kind: 'resource', resourceId: web.id });
    assert.ok(resource.nodes.some((n) => n.label === 'www.test.pri/abc(/|$)(.*)'));
    assert.ok(!resource.nodes.some((n) => n.label === 'Deployment web'));
    const ns = buildRouteGraph(ws, { kind: 'namespace', namespace: 'ingress-nginx' });
    assert.deepEqual(ns.nodes.map((n) => n.label), ['node:31085', 'node:31443', 'IngressClass nginx']);
    const apps = buildRouteGraph(ws, { kind: 'namespace', namespace: 'default' });
    assert.ok(apps.nodes.some((n) => n.label === 'www.test.pri') && apps.nodes.some((n) => n.label === 'Deployment web'));
  });

  test('above the node budget, whole routes are kept and the rest is explained', () => {
    const apps = Array.from({ length: 40 }, (_, i) => `apiVersion: v1
kind: Service
metadata:
  name: s${i}
spec:
  type: NodePort
  selector:
    app: a${i}
  ports:
    - port: 80
      nodePort: ${30100 + i}
---
apiVersion: v1
kind: Pod
metadata:
  name: p${i}
  labels:
    app: a${i}
spec:
  containers: []`).join('\n---\n');
    const ws = new Workspace();
    ws.setFile('file:///many.yaml', apps);
    const graph = buildRouteGraph(ws, { kind: 'workspace' }, 30);
    assert.equal(graph.nodes.length, 30);
    assert.deepEqual(graph.truncated && [graph.truncated.shown, graph.truncated.total], [30, 120]);
    assert.match(graph.truncated!.hint, /namespace, a host or the current file/);
    // Every kept Service still has its entry: routes are not cut in the middle.
    for (const service of graph.nodes.filter((n) => n.kind === 'service')) assert.ok(graph.edges.some((e) => e.to === service.id));
  });
});

describe('route graph: two Ingress controllers', () => {
  /** An ingress-nginx installation: IngressClass, controller Deployment and NodePort Service. */
  function installation(name: string, cls: string, controller: string, nodePort: number): string {
    return `apiVersion: networking.k8s.io/v1
kind: IngressClass
metadata:
  name: ${cls}
spec:
  controller: ${controller}
---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: ${name}
  namespace: ${name}
spec:
  selector:
    matchLabels: { app: ${name} }
  template:
    metadata:
      labels: { app: ${name} }
    spec:
      containers:
        - name: controller
          image: registry.k8s.io/ingress-nginx/controller:v1.12.1
          args: [/nginx-ingress-controller, --controller-class=${controller}, --ingress-class=${cls}]
          ports: [{ name: http, containerPort: 80 }]
---
apiVersion: v1
kind: Service
metadata:
  name: ${name}
  namespace: ${name}
spec:
  type: NodePort
  selector: { app: ${name} }
  ports: [{ name: http, port: 80, targetPort: http, nodePort: ${nodePort} }]
`;
  }
  const ingress = (name: string, cls: string, host: string) => `apiVersion: networking.k8s.io/v1
kind: Ingress
metadata:
  name: ${name}
spec:
  ingressClassName: ${cls}
  rules:
    - host: ${host}
      http:
        paths:
          - { path: /, pathType: Prefix, backend: { service: { name: web, port: { number: 80 } } } }
`;

  test('each controller node is reached only through the Service in front of its own pods', () => {
    const ws = new Workspace();
    ws.update(
      Object.entries({
        'external.yaml': installation('external', 'nginx', 'k8s.io/ingress-nginx', 30080),
        'internal.yaml': installation('internal', 'internal', 'example.com/internal-nginx', 30090),
        'public.yaml': ingress('public', 'nginx', 'shop.example'),
        'private.yaml': ingress('private', 'internal', 'admin.example'),
      }).map(([name, text]) => ({ uri: `file:///ws/${name}`, text })),
    );
    const graph = buildRouteGraph(ws);
    const label = (id: string) => graph.nodes.find((n) => n.id === id)?.label ?? id;
    const exposes = graph.edges.filter((e) => e.kind === 'expose').map((e) => `${label(e.from)} → ${label(e.to)}`).sort();
    assert.deepEqual(exposes, ['node:30080 → IngressClass nginx', 'node:30090 → IngressClass internal']);
    const hosts = graph.edges.filter((e) => e.kind === 'host').map((e) => `${label(e.from)} → ${label(e.to)}`).sort();
    assert.deepEqual(hosts, ['admin.example → IngressClass internal', 'shop.example → IngressClass nginx']);
    const summaries = graph.nodes.filter((n) => n.kind === 'controller').map((n) => n.summary).sort();
    assert.deepEqual(summaries, [
      'Ingress controller of class internal (example.com/internal-nginx), reached on NodePort 30090 (http)',
      'Ingress controller of class nginx (k8s.io/ingress-nginx), reached on NodePort 30080 (http)',
    ]);
  });
});

describe('Mermaid text', () => {
  test('the seed example', () => {
    expectSnapshot(toMermaid(buildRouteGraph(seedWorkspace())).text, 'graph/seed.mmd');
  });

  test('hostile labels are escaped: quotes, backticks, HTML, Mermaid directives, math and huge names', () => {
    const hostile = ['a"b', 'x`y`', '<script>alert(1)</script>', '<img src=x onerror=alert(1)>', '%%{init: {"securityLevel":"loose"}}%%', '$$x^2$$', 'click n0 call alert()', 'javascript:alert(1)', 'a|b]c[d{e}', 'x'.repeat(5000)];
    const graph: RouteGraph = {
      nodes: hostile.map((label) => ({ id: `node:${label}`, kind: 'service' as const, label, details: [label], summary: label })),
      edges: [{ from: `node:${hostile[0]}`, to: `node:${hostile[2]}`, kind: 'backend' as const, label: hostile[3], style: 'normal' as const }],
    };
    const { text, ids } = toMermaid(graph);
    for (const raw of ['"b', '`', '<', '>', '%%', '$$', '{', '}', '|b', ']c', '[d']) {
      const inLabels = text.split('\n').filter((l) => l.includes(':::service') || l.includes('-->')).join('\n').replace(/\["|"\]\]|"\]|\|"|"\||\[\[|-->|:::service|<br\/>/g, '');
      assert.ok(!inLabels.includes(raw), `raw ${JSON.stringify(raw)} in labels:\n${inLabels.slice(0, 400)}`);
    }
    assert.ok(!/^\s*click\b/m.test(text), 'no click directive can be injected');
    assert.ok(text.split('\n').every((line) => line.length < 500), 'long names are clipped');
    assert.deepEqual(Object.keys(ids), hostile.map((_, i) => `n${i}`));
    expectSnapshot(text, 'graph/hostile.mmd');
  });

  test('math in labels ($$…$$ is KaTeX to Mermaid): every $ of hosts, paths, names and edge labels is #36;, and no two ever meet', () => {
    const math = ['$$\\frac{a}{b}$$', '$x$', '$$\\unknowncommand$$', '$', '$$', '$$$', 'shop$$.example.com', '/api/$1/$$x$$'];
    const graph: RouteGraph = {
      nodes: [
        ...math.map((m, i) => ({ id: `host:${i}`, kind: 'host' as const, label: m, details: [], summary: m })),
        ...math.map((m, i) => ({ id: `route:${i}`, kind: 'route' as const, label: `www.test.pri/${m}`, details: [`Ingress ${m}`, 'Prefix'], summary: m })),
        ...math.map((m, i) => ({ id: `service:${i}`, kind: 'service' as const, label: `Service ${m}`, details: [`80/TCP (${m})`], summary: m })),
      ],
      edges: math.map((m, i) => ({ from: `route:${i}`, to: `service:${i}`, kind: 'backend' as const, label: m, style: 'normal' as const })),
    };
    const { text } = toMermaid(graph);
    assert.ok(!text.includes('$'), `a raw $ reached the Mermaid text:\n${text.split('\n').filter((l) => l.includes('$')).join('\n')}`);
    const dollars = graph.nodes.flatMap((n) => [n.label, ...n.details]).concat(graph.edges.map((e) => e.label ?? '')).join('').split('$').length - 1;
    assert.equal(text.split('#36;').length - 1, dollars, 'each $ is written #36;');
    // Mermaid's sanitiser decodes the entities of a label with a line break before it looks for
    // math: decoded, the text still has no `$$`, and without the invisible joiner it reads as given.
    const decoded = text.replace(/#(\d+);/g, (_, code: string) => String.fromCodePoint(Number(code)));
    assert.ok(!decoded.includes('$$'), `two dollars meet once decoded:\n${decoded.split('\n').filter((l) => l.includes('$$')).join('\n')}`);
    for (const m of math) {
      assert.ok(decoded.replaceAll('\u2060', '').includes(`Service ${m}<br/>80/TCP (${m})`), `${m} reads as given`);
    }
    assert.equal(escapeLabel('$$\\frac{a}{b}$$'), '#36;#8288;#36;#92;frac#123;a#125;#123;b#125;#36;#8288;#36;');
    assert.equal(escapeLabel('$x$'), '#36;x#36;');
    assert.equal(escapeLabel('$'), '#36;');
    assert.equal(escapeLabel('$$$'), '#36;#8288;#36;#8288;#36;');
  });

  test('escapeLabel keeps plain text readable', () => {
    assert.equal(escapeLabel('Service web-svc:8080 (http)'), 'Service web-svc:8080 (http)');
    assert.equal(escapeLabel('/abc(/|$)(.*)'), '/abc(/#124;#36;)(.*)');
  });
});

describe('folding hosts and grouping', () => {
  const twoHosts = (second: string) => `apiVersion: networking.k8s.io/v1
kind: IngressClass
metadata:
  name: nginx
spec:
  controller: k8s.io/ingress-nginx
---
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata:
  name: shop
  namespace: shop
spec:
  ingressClassName: nginx
  rules:
${['a.example.com', 'b.example.com', 'c.example.com'].map((h) => `    - host: ${h}\n      http:\n        paths:\n          - path: /\n            pathType: Prefix\n            backend:\n              service:\n                name: web\n                port:\n                  number: 80`).join('\n')}
    - host: d.example.com
      http:
        paths:
          - path: /
            pathType: Prefix
            backend:
              service:
                name: ${second}
                port:
                  number: 80
---
apiVersion: v1
kind: Service
metadata:
  name: web
  namespace: shop
spec:
  selector:
    app: web
  ports:
    - port: 80
`;

  test('hosts with the same controller and route shape fold into one node listing them; a different backend stays apart', () => {
    const ws = new Workspace();
    ws.update([{ uri: 'file:///ws/shop.yaml', text: twoHosts('other') }]);
    const graph = foldHosts(buildRouteGraph(ws));
    const hosts = graph.nodes.filter((n) => n.kind === 'host');
    assert.deepEqual(hosts.map((n) => n.label), ['3 hosts', 'd.example.com']);
    const folded = hosts[0];
    assert.deepEqual(folded.details, ['a.example.com', 'b.example.com', 'c.example.com']);
    assert.equal(folded.summary, 'Requests for 3 hosts served alike: a.example.com, b.example.com, c.example.com');
    assert.deepEqual(folded.folded, ['host:a.example.com', 'host:b.example.com', 'host:c.example.com']);
    const routes = graph.nodes.filter((n) => n.kind === 'route');
    assert.deepEqual(routes.map((n) => n.label), ['/', 'd.example.com/']);
    assert.deepEqual(routes[0].details.at(-1), 'on 3 hosts');
    assert.equal(routes[0].folded?.length, 3);
    // Every edge joins nodes that are still there, and the Service is reached once from the folded route.
    const ids = new Set(graph.nodes.map((n) => n.id));
    for (const edge of graph.edges) assert.ok(ids.has(edge.from) && ids.has(edge.to), `${edge.from} → ${edge.to}`);
    assert.equal(graph.edges.filter((e) => e.to.startsWith('svc:')).length, 1);
  });

  test('nothing folds when the shapes differ only by host, or when a traced node is kept', () => {
    const ws = new Workspace();
    ws.update([{ uri: 'file:///ws/shop.yaml', text: twoHosts('web') }]);
    const built = buildRouteGraph(ws);
    assert.deepEqual(foldHosts(built).nodes.filter((n) => n.kind === 'host').map((n) => n.label), ['4 hosts']);
    const kept = foldHosts(built, new Set(['host:b.example.com']));
    assert.deepEqual(kept.nodes.filter((n) => n.kind === 'host').map((n) => n.label), ['3 hosts', 'b.example.com']);
    const seed = buildRouteGraph(seedWorkspace());
    assert.equal(foldHosts(seed), seed, 'the seed example has one host: nothing to fold');
  });

  test('namespace grouping writes one subgraph per namespace holding its nodes; controller grouping boxes what one controller serves', () => {
    const graph = buildRouteGraph(seedWorkspace());
    const byNamespace = toMermaid(graph, new Set(), { group: 'namespace' }).text;
    const boxes = [...byNamespace.matchAll(/^ {2}subgraph (g\d+)\["([^"]*)"\]\n((?: {4}.*\n)*) {2}end$/gm)].map((m) => ({ title: m[2], members: m[3].trim().split('\n').map((l) => /^\s*(n\d+)/.exec(l)?.[1]) }));
    assert.deepEqual(boxes.map((b) => b.title).sort(), ['namespace default', 'namespace ingress-nginx']);
    const { ids } = toMermaid(graph);
    for (const box of boxes) for (const member of box.members) assert.equal(`namespace ${graph.nodes.find((n) => n.id === ids[member as string])?.namespace}`, box.title);
    assert.equal(boxes.reduce((n, b) => n + b.members.length, 0), graph.nodes.filter((n) => n.namespace).length);
    // The seed has one controller: one box would separate nothing, so there is none.
    assert.doesNotMatch(toMermaid(graph, new Set(), { group: 'controller' }).text, /subgraph/);
    assert.doesNotMatch(toMermaid(graph, new Set(), { group: 'none' }).text, /subgraph/);
    // With the Gateway API example beside it, the IngressClass and the Gateway listener each box what only it serves.
    const gatewayDir = path.resolve(__dirname, '../../examples/gateway-api');
    const both = buildRouteGraph(seedWorkspace(Object.fromEntries(readdirSync(gatewayDir).filter((f) => f.endsWith('.yaml') && !f.includes('.routes.')).map((f) => [`file:///gateway-api/${f}`, readFileSync(path.join(gatewayDir, f), 'utf8')]))));
    const byController = toMermaid(both, new Set(), { group: 'controller' }).text;
    const titles = [...byController.matchAll(/^ {2}subgraph g\d+\["([^"]*)"\]$/gm)].map((m) => m[1]);
    assert.ok(titles.includes('IngressClass nginx'), titles.join(', '));
    assert.ok(titles.some((t) => t.startsWith('Gateway default/test-gateway')), titles.join(', '));
  });

  test('a graph whose nodes would all share one namespace box has no box', () => {
    const ws = new Workspace();
    ws.update([{ uri: 'file:///one/app.yaml', text: 'apiVersion: v1\nkind: Service\nmetadata:\n  name: web\n  namespace: shop\nspec:\n  type: NodePort\n  ports: [{ port: 80, nodePort: 30080 }]\n' }]);
    assert.doesNotMatch(toMermaid(buildRouteGraph(ws), new Set(), { group: 'namespace' }).text, /subgraph/);
  });
});
