/**
 * `kube-route-lens trace --gateway` as users run it: the built bundle, a real process, the
 * Gateway API example (examples/gateway-api) and small workspaces written to a temporary folder.
 */
import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { describe, test } from 'node:test';

const ROOT = path.resolve(__dirname, '../..');
const CLI = path.join(ROOT, 'server/dist/cli.js');

function run(args: string[], cwd = ROOT) {
  assert.ok(existsSync(CLI), 'server/dist/cli.js is missing: run `npm run build` first');
  const result = spawnSync(process.execPath, [CLI, ...args], { cwd, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

interface JsonTrace {
  found: boolean;
  status?: number;
  upstreamPath?: string;
  upstreamHost?: string;
  reason?: string;
  route?: Record<string, unknown> & { backends: Record<string, unknown>[]; redirect?: { status: number; location: string } };
  steps: { kind: string; text: string; nodeId?: string; location?: { file: string } }[];
}

const json = (args: string[], cwd = ROOT) => {
  const result = run(['trace', '--format', 'json', ...args], cwd);
  return { code: result.code, trace: JSON.parse(result.stdout) as JsonTrace, stderr: result.stderr };
};

const GATEWAYS = `apiVersion: gateway.networking.k8s.io/v1
kind: Gateway
metadata: { name: public, namespace: infra }
spec:
  gatewayClassName: eg
  listeners: [{ name: http, port: 80, protocol: HTTP, hostname: "*.example.com", allowedRoutes: { namespaces: { from: All } } }]
---
apiVersion: gateway.networking.k8s.io/v1
kind: Gateway
metadata: { name: internal, namespace: infra }
spec:
  gatewayClassName: eg
  listeners: [{ name: http, port: 80, protocol: HTTP, allowedRoutes: { namespaces: { from: All } } }]
---
apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata: { name: moved, namespace: apps }
spec:
  parentRefs: [{ name: public, namespace: infra }]
  rules:
    - matches: [{ path: { type: PathPrefix, value: /old } }]
      filters: [{ type: RequestRedirect, requestRedirect: { scheme: https, statusCode: 301, path: { type: ReplacePrefixMatch, replacePrefixMatch: /new } } }]
    - matches: [{ path: { type: PathPrefix, value: /api } }]
      filters: [{ type: URLRewrite, urlRewrite: { hostname: api.internal } }]
      backendRefs: [{ name: api, port: 80, weight: 3 }, { name: api-next, port: 80, weight: 1 }]
`;

function tempWorkspace(files: Record<string, string>): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'krl-gw-'));
  for (const [name, text] of Object.entries(files)) writeFileSync(path.join(dir, name), text);
  return dir;
}

describe('kube-route-lens trace --gateway', () => {
  test('text: the Gateway, the listener, the rule, the rewrite, the Service and the pods; exit 0', () => {
    const result = run(['trace', 'http://www.test.pri/abc/index.html', '--gateway', 'default/test-gateway', 'examples/gateway-api']);
    assert.equal(result.code, 0, result.stderr);
    const lines = result.stdout.trimEnd().split('\n');
    assert.equal(lines[0], 'Trace http://www.test.pri/abc/index.html');
    assert.match(lines[1], /^ {2}1\. Gateway `default\/test-gateway` \(class `nginx`, controller `gateway\.nginx\.org\/nginx-gateway-controller`\) takes it: it was named with --gateway\. {2}examples\/gateway-api\/gateway\.yaml:\d+:\d+$/);
    assert.match(lines[2], /^ {2}2\. Listener `http` \(port 80, HTTP, hostname `www\.test\.pri`\) takes host `www\.test\.pri` on port 80: its hostname is the host exactly/);
    assert.ok(lines.some((l) => /^ {5}note: Listener isolation is modelled/.test(l)));
    assert.ok(lines.some((l) => /^ {2}\d\. URLRewrite of rule 0 rewrites the path `\/abc\/index\.html` to `\/index\.html` \(ReplacePrefixMatch: the matched prefix `\/abc` becomes `\/`\)/.test(l)));
    assert.ok(lines.some((l) => /^ {2}\d\. 2 pods of Deployment `abc` serve it/.test(l)));
    assert.equal(lines.at(-1), '→ backend receives /index.html');
  });

  test('JSON: the route contract (gateway, route, backends) and graph node ids', () => {
    const { code, trace } = json(['--gateway=default/test-gateway', 'http://www.test.pri/dfc/x?y=1', 'examples/gateway-api']);
    assert.equal(code, 0);
    assert.equal(trace.found, true);
    assert.equal(trace.upstreamPath, '/x?y=1');
    assert.deepEqual(trace.route, {
      controller: { kind: 'gateway-api', class: 'nginx', controller: 'gateway.nginx.org/nginx-gateway-controller' },
      gateway: { namespace: 'default', name: 'test-gateway', listener: 'http' },
      route: { kind: 'HTTPRoute', namespace: 'default', name: 'test-route', rule: { index: 1, match: { index: 0, path: { type: 'PathPrefix', value: '/dfc' } } }, hostname: 'www.test.pri' },
      backends: [{ kind: 'Service', namespace: 'default', name: 'dfc-svc', port: 80, weight: 100, targetPort: 'web', containerPort: 8080, workloads: [{ kind: 'Deployment', name: 'dfc', replicas: 2 }] }],
    });
    assert.equal(trace.steps.find((s) => s.kind === 'path')?.location?.file, 'examples/gateway-api/httproute.yaml');
    const graph = JSON.parse(run(['graph', '--format', 'json', 'examples/gateway-api']).stdout) as { nodes: { id: string; kind: string }[] };
    const ids = new Set(graph.nodes.map((n) => n.id));
    for (const step of trace.steps) if (step.nodeId) assert.ok(ids.has(step.nodeId), step.nodeId);
    assert.ok(graph.nodes.some((n) => n.kind === 'gateway'));
  });

  test('redirect: found, exit 0, `route.redirect`, and the last line says so; URLRewrite hostname: upstreamHost; weights as percentages', () => {
    const dir = tempWorkspace({ 'gateways.yaml': GATEWAYS, 'apps.yaml': APPS });
    const redirect = json(['--gateway', 'infra/public', 'http://shop.example.com/old/a?x=1', '.'], dir);
    assert.equal(redirect.code, 0);
    assert.equal(redirect.trace.found, true);
    assert.equal(redirect.trace.status, 301);
    assert.deepEqual(redirect.trace.route?.redirect, { status: 301, location: 'https://shop.example.com/new/a?x=1' });
    assert.deepEqual(redirect.trace.route?.backends, []);
    const text = run(['trace', '--gateway', 'infra/public', 'http://shop.example.com/old/a', '.'], dir);
    assert.equal(text.stdout.trimEnd().split('\n').at(-1), '→ 301 redirect to https://shop.example.com/new/a');
    const api = json(['--gateway', 'infra/public', 'http://shop.example.com/api/v1', '.'], dir);
    assert.equal(api.trace.found, true, api.trace.reason);
    assert.equal(api.trace.upstreamHost, 'api.internal');
    assert.deepEqual(api.trace.route?.backends.map((b) => [b.name, b.weight]), [['api', 75], ['api-next', 25]]);
    const apiText = run(['trace', '--gateway', 'infra/public', 'http://shop.example.com/api/v1', '.'], dir);
    assert.equal(apiText.stdout.trimEnd().split('\n').at(-1), '→ backend receives /api/v1 (Host: api.internal)');
  });

  test('without --gateway: several Gateways accept the URL → exit 1 and the reason names each; 404 and 500 exit 1', () => {
    const dir = tempWorkspace({ 'gateways.yaml': GATEWAYS, 'apps.yaml': APPS });
    const several = run(['trace', 'http://shop.example.com/api', '.'], dir);
    assert.equal(several.code, 1);
    assert.equal(several.stdout.trimEnd().split('\n').at(-1), '✗ no route: several Gateways accept port 80 and host `shop.example.com`: `infra/internal`, `infra/public`; choose one with --gateway NAMESPACE/NAME');
    const miss = json(['--gateway', 'infra/public', 'http://shop.example.com/nothing', '.'], dir);
    assert.deepEqual([miss.code, miss.trace.found, miss.trace.status], [1, false, 404]);
    const internal = json(['--gateway', 'infra/internal', 'http://shop.example.com/', '.'], dir);
    assert.deepEqual([internal.code, internal.trace.status], [1, 404]);
    const broken = tempWorkspace({ 'gateways.yaml': GATEWAYS.replace('name: api, port: 80, weight: 3', 'name: gone, port: 80, weight: 3').replace(', { name: api-next, port: 80, weight: 1 }', '') , 'apps.yaml': APPS });
    const error = json(['--gateway', 'infra/public', 'http://shop.example.com/api', '.'], broken);
    assert.deepEqual([error.code, error.trace.found, error.trace.status], [1, false, 500]);
    assert.deepEqual(error.trace.route?.backends, [{ kind: 'Service', namespace: 'apps', name: 'gone', port: 80, weight: 100, workloads: [], invalid: 'BackendNotFound' }]);
  });

  test('bad --gateway usage: exit 2 with one line', () => {
    for (const [args, message] of [
      [['--gateway', 'public'], "kube-route-lens: --gateway expects NAMESPACE/NAME, not 'public' (see kube-route-lens --help)\n"],
      [['--gateway', 'Infra/Public'], "kube-route-lens: --gateway expects NAMESPACE/NAME, not 'Infra/Public' (see kube-route-lens --help)\n"],
      [['--gateway'], 'kube-route-lens: --gateway needs a value (see kube-route-lens --help)\n'],
    ] as const) {
      const result = run(['trace', 'http://a.example.com/', 'examples/gateway-api', ...args]);
      assert.equal(result.code, 2, result.stdout);
      assert.equal(result.stderr, message);
      assert.equal(result.stdout, '');
    }
    const unknown = run(['trace', '--gateway', 'infra/nope', 'http://a.example.com/', 'examples/gateway-api']);
    assert.equal(unknown.code, 1);
    assert.match(unknown.stdout, /✗ no route: no Gateway `infra\/nope` in the workspace; its Gateways: `default\/test-gateway`\n$/);
  });
});

const APPS = ['api', 'api-next'].map((name) => `apiVersion: apps/v1
kind: Deployment
metadata: { name: ${name}, namespace: apps }
spec:
  selector: { matchLabels: { app: ${name} } }
  template:
    metadata: { labels: { app: ${name} } }
    spec:
      containers: [{ name: main, image: nginx, ports: [{ containerPort: 80 }] }]
---
apiVersion: v1
kind: Service
metadata: { name: ${name}, namespace: apps }
spec:
  selector: { app: ${name} }
  ports: [{ port: 80 }]
`).join('---\n');
