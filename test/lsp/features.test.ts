/** Every editor feature over real LSP, against the built server (stdio). */
import { strict as assert } from 'node:assert';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { after, before, describe, test } from 'node:test';
import {
  CodeActionRequest,
  CodeLensRequest,
  CompletionRequest,
  DefinitionRequest,
  DocumentSymbolRequest,
  HoverRequest,
  PrepareRenameRequest,
  ReferencesRequest,
  RenameRequest,
  WorkspaceSymbolRequest,
} from 'vscode-languageserver-protocol/node';
import type { CodeAction, CompletionItem, Hover, Location, MarkupContent, WorkspaceEdit } from 'vscode-languageserver-protocol/node';
import { TestClient } from '../helpers/lspClient';
import { ROUTE_GRAPH_REQUEST, TRACE_REQUEST } from '../../server/src/protocol';
import type { RouteGraphResult } from '../../server/src/protocol';
import type { TraceResult } from '../../server/src/core';

const EXAMPLES = path.resolve(__dirname, '../../examples');

describe('language server features over LSP', () => {
  let client: TestClient;
  let root: string;
  const uri = (file: string) => `file://${path.join(root, file)}`;
  const text = (file: string) => readFileSync(path.join(root, file), 'utf8');
  /** Position of `needle` (plus `offset` characters) in a file. */
  const at = (file: string, needle: string, offset = 0) => {
    const content = text(file);
    const index = content.indexOf(needle);
    assert.ok(index >= 0, `${needle} not in ${file}`);
    const before = content.slice(0, index + offset);
    return { line: before.split('\n').length - 1, character: before.length - before.lastIndexOf('\n') - 1 };
  };

  before(async () => {
    root = mkdtempSync(path.join(tmpdir(), 'krl-features-'));
    // The Gateway API example repeats the seed's Services on purpose (each example stands alone); these tests ask about the Ingress example.
    cpSync(EXAMPLES, root, { recursive: true, filter: (source) => path.basename(source) !== 'gateway-api' });
    client = await TestClient.start({ rootPath: root, pull: false });
    await client.open(uri('seed-routing/web.yaml'), text('seed-routing/web.yaml'));
  });
  after(async () => client.stop());

  test('hover explains the port chain', async () => {
    const hover = (await client.connection.sendRequest(HoverRequest.type, { textDocument: { uri: uri('seed-routing/web.yaml') }, position: at('seed-routing/web.yaml', 'nodePort: 30000', 11) })) as Hover;
    assert.match((hover.contents as MarkupContent).value, /`node:30000` → Service `web-nodeport:8080` → targetPort `http` → containerPort `80` \(httpd\) in 3 pods of Deployment `web`/);
  });

  test('definition jumps from an Ingress backend to the Service in another file', async () => {
    const locations = (await client.connection.sendRequest(DefinitionRequest.type, { textDocument: { uri: uri('seed-routing/ingress.yaml') }, position: at('seed-routing/ingress.yaml', 'name: abc-svc', 8) })) as Location[];
    assert.deepEqual(locations.map((l) => [l.uri, l.range.start.line]), [[uri('seed-routing/shop.yaml'), at('seed-routing/shop.yaml', 'name: abc-svc').line]]);
  });

  test('references of a Service list the Ingress backends', async () => {
    const locations = (await client.connection.sendRequest(ReferencesRequest.type, { textDocument: { uri: uri('seed-routing/shop.yaml') }, position: at('seed-routing/shop.yaml', 'name: dfc-svc', 7), context: { includeDeclaration: false } })) as Location[];
    assert.deepEqual(locations.map((l) => l.uri), [uri('seed-routing/ingress.yaml')]);
  });

  test('rename of a Service edits the Service and the Ingress, refused elsewhere', async () => {
    const position = at('seed-routing/shop.yaml', 'name: abc-svc', 7);
    const prepared = await client.connection.sendRequest(PrepareRenameRequest.type, { textDocument: { uri: uri('seed-routing/shop.yaml') }, position });
    assert.deepEqual(prepared && 'placeholder' in prepared ? prepared.placeholder : undefined, 'abc-svc');
    const edit = (await client.connection.sendRequest(RenameRequest.type, { textDocument: { uri: uri('seed-routing/shop.yaml') }, position, newName: 'abc' })) as WorkspaceEdit;
    assert.deepEqual(Object.keys(edit.changes ?? {}).sort(), [uri('seed-routing/ingress.yaml'), uri('seed-routing/shop.yaml')]);
    await assert.rejects(client.connection.sendRequest(PrepareRenameRequest.type, { textDocument: { uri: uri('seed-routing/shop.yaml') }, position: at('seed-routing/shop.yaml', 'image: nginx', 9) }), /renames Service names/);
  });

  test('completion offers the Services of the namespace', async () => {
    const file = 'seed-routing/ingress.yaml';
    const changed = text(file).replace('name: abc-svc', 'name: ');
    await client.open(uri(file), changed);
    const items = (await client.connection.sendRequest(CompletionRequest.type, { textDocument: { uri: uri(file) }, position: at(file, 'name: abc-svc', 6) })) as CompletionItem[];
    assert.deepEqual(items.map((i) => i.label).sort(), ['abc-svc', 'dfc-svc', 'web-nodeport']);
    assert.equal(items.find((i) => i.label === 'web-nodeport')?.detail, 'Service · NodePort · 8080/TCP (http)');
    await client.replace(uri(file), text(file));
  });

  test('CodeLens above Services and workloads', async () => {
    const lenses = await client.connection.sendRequest(CodeLensRequest.type, { textDocument: { uri: uri('seed-routing/web.yaml') } });
    assert.deepEqual(lenses?.map((l) => l.command?.title), ['exposed by Service web-nodeport:8080 (NodePort 30000)', 'selects 3 pods of Deployment web']);
    assert.equal(lenses?.[0].command?.command, 'kubeRouteLens.showLocations');
  });

  test('code actions: a quick fix with its diagnostic, and the Ingress migration', async () => {
    const file = 'mistakes/legacy.yaml';
    await client.open(uri(file), text(file));
    const position = at(file, 'apiVersion: extensions/v1beta1', 14);
    const actions = (await client.connection.sendRequest(CodeActionRequest.type, { textDocument: { uri: uri(file) }, range: { start: position, end: position }, context: { diagnostics: [] } })) as CodeAction[];
    const migrate = actions.find((a) => a.title === 'Migrate Ingress to networking.k8s.io/v1');
    assert.ok(migrate, actions.map((a) => a.title).join(', '));
    assert.equal(migrate.kind, 'quickfix');
    assert.equal(migrate.diagnostics?.[0].code, 'ingress-api-removed');
    const newText = migrate.edit?.changes?.[uri(file)]?.[0].newText ?? '';
    assert.match(newText, /apiVersion: networking\.k8s\.io\/v1\n/);
    assert.match(newText, /defaultBackend:\n    service:\n      name: shop-svc\n      port:\n        number: 80/);
  });

  test('document and workspace symbols', async () => {
    const symbols = await client.connection.sendRequest(DocumentSymbolRequest.type, { textDocument: { uri: uri('seed-routing/shop.yaml') } });
    assert.deepEqual((symbols as { name: string }[]).map((s) => s.name), ['abc', 'abc-svc', 'dfc', 'dfc-svc']);
    const found = await client.connection.sendRequest(WorkspaceSymbolRequest.type, { query: 'nginx' });
    assert.deepEqual((found as { name: string }[]).map((s) => s.name).sort(), ['ingress-nginx', 'ingress-nginx-controller', 'ingress-nginx-controller', 'nginx']);
  });
});

describe('routing graph and trace requests over LSP', () => {
  let client: TestClient;
  let root: string;
  before(async () => {
    root = mkdtempSync(path.join(tmpdir(), 'krl-graph-'));
    cpSync(EXAMPLES, root, { recursive: true });
    client = await TestClient.start({ rootPath: root, pull: true });
  });
  after(async () => client.stop());

  test('kubeRouteLens/routeGraph returns the graph, its Mermaid text and the scope choices', async () => {
    const result = (await client.connection.sendRequest(ROUTE_GRAPH_REQUEST, { scope: { kind: 'host', host: 'www.test.pri' } })) as RouteGraphResult;
    assert.ok(result.graph.nodes.some((n) => n.label === 'Service abc-svc'));
    assert.ok(!result.graph.nodes.some((n) => n.label.startsWith('shop.test.pri')));
    assert.match(result.mermaid, /^flowchart LR\n/);
    assert.deepEqual(result.hosts, ['shop.test.pri', 'www.test.pri']);
    assert.ok(result.namespaces.includes('store'));
    const file = `file://${path.join(root, 'seed-routing/web.yaml')}`;
    const cursor = (await client.connection.sendRequest(ROUTE_GRAPH_REQUEST, { scope: { kind: 'cursor', uri: file, position: { line: 30, character: 4 } } })) as RouteGraphResult;
    assert.deepEqual(cursor.graph.nodes.map((n) => n.label).sort(), ['Deployment web', 'Service web-nodeport', 'node:30000']);
  });

  test('kubeRouteLens/trace follows a URL to the pods; highlighting colours its route', async () => {
    const trace = (await client.connection.sendRequest(TRACE_REQUEST, { url: 'http://www.test.pri:31085/abc/index.html' })) as TraceResult;
    assert.equal(trace.found, true);
    assert.equal(trace.upstreamPath, '/index.html');
    const highlight = trace.steps.map((s) => s.nodeId).filter((id): id is string => id !== undefined);
    const graph = (await client.connection.sendRequest(ROUTE_GRAPH_REQUEST, { scope: { kind: 'workspace' }, highlight })) as RouteGraphResult;
    assert.match(graph.mermaid, /class .* traced/);
  });
});

describe('trace requests carry headers and the file the user is in', () => {
  let client: TestClient;
  let root: string;
  /** An independent example: an Ingress for shop.example, its Service and Deployment. */
  const example = (app: string, containerPort: number) => `apiVersion: networking.k8s.io/v1
kind: Ingress
metadata:
  name: shop
spec:
  rules:
    - host: shop.example
      http:
        paths:
          - { path: /, pathType: Prefix, backend: { service: { name: ${app}, port: { number: 80 } } } }
---
apiVersion: v1
kind: Service
metadata:
  name: ${app}
spec:
  selector: { app: ${app} }
  ports: [{ port: 80, targetPort: ${containerPort} }]
---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: ${app}
spec:
  selector: { matchLabels: { app: ${app} } }
  template:
    metadata: { labels: { app: ${app} } }
    spec:
      containers: [{ name: web, image: nginx, ports: [{ containerPort: ${containerPort} }] }]
`;
  before(async () => {
    root = mkdtempSync(path.join(tmpdir(), 'krl-trace-options-'));
    for (const [dir, app, port] of [['one', 'one', 8080], ['two', 'two', 9090]] as const) {
      mkdirSync(path.join(root, 'examples', dir), { recursive: true });
      writeFileSync(path.join(root, 'examples', dir, 'app.yaml'), example(app, port));
    }
    client = await TestClient.start({ rootPath: root, pull: true });
  });
  after(async () => client.stop());

  test('from: the example of the file in the editor answers; Host names the virtual host; junk options are ignored', async () => {
    const file = (dir: string) => `file://${path.join(root, 'examples', dir, 'app.yaml')}`;
    for (const [dir, port] of [['one', 8080], ['two', 9090]] as const) {
      const trace = (await client.connection.sendRequest(TRACE_REQUEST, { url: 'http://10.0.0.5/', headers: { Host: 'shop.example' }, from: file(dir) })) as TraceResult;
      assert.equal(trace.found, true, trace.reason);
      assert.equal(trace.route?.backends[0]?.containerPort, port);
      assert.match(trace.steps[0].text, /The Host header names the virtual host `shop.example`/);
    }
    const junk = (await client.connection.sendRequest(TRACE_REQUEST, { url: 'http://shop.example/', headers: { 'X-A': 7, Host: null }, method: 3, from: 42 })) as TraceResult;
    assert.equal(junk.found, true);
  });
});
