/**
 * The routing graph panel in real VS Code: the command opens a webview tab, the graph is redrawn
 * after an edit, and revealing a node opens its file. (A click inside the webview cannot be made
 * from the extension host; test/webview covers the click → `reveal` message.)
 */
import * as assert from 'node:assert';
import * as vscode from 'vscode';
import type { RouteGraph } from '../../../server/src/core';
import { activateExtension, workspaceFile } from './helpers';
import type { Api } from './helpers';

const VIEW_TYPE = 'kubeRouteLens.routingGraph';

function graphTabs(): vscode.Tab[] {
  return vscode.window.tabGroups.all.flatMap((group) => group.tabs).filter((tab) => tab.input instanceof vscode.TabInputWebview && tab.input.viewType.includes(VIEW_TYPE));
}

function waitForGraphTab(): Promise<vscode.Tab> {
  return new Promise((resolve) => {
    const check = (): boolean => {
      const tab = graphTabs()[0];
      if (tab) resolve(tab);
      return tab !== undefined;
    };
    if (check()) return;
    const subscription = vscode.window.tabGroups.onDidChangeTabs(() => {
      if (check()) subscription.dispose();
    });
  });
}

/** Resolves at the first render from now on whose graph satisfies `predicate`. */
function waitForRender(api: Api, predicate: (graph: RouteGraph) => boolean): Promise<RouteGraph> {
  return new Promise((resolve) => {
    const subscription = api.graphPanel.onDidRender(() => {
      const graph = api.graphPanel.lastGraph();
      if (!graph || !predicate(graph)) return;
      subscription.dispose();
      resolve(graph);
    });
  });
}

const hasNode = (kind: string, label: string) => (graph: RouteGraph) => graph.nodes.some((n) => n.kind === kind && n.label === label);

/** Replaces the first `from` in the document with `to` through a WorkspaceEdit. */
async function replaceFirst(document: vscode.TextDocument, from: string, to: string): Promise<void> {
  const offset = document.getText().indexOf(from);
  assert.ok(offset >= 0, `${from} not found in ${document.uri.path}`);
  const edit = new vscode.WorkspaceEdit();
  edit.replace(document.uri, new vscode.Range(document.positionAt(offset), document.positionAt(offset + from.length)), to);
  assert.ok(await vscode.workspace.applyEdit(edit));
}

suite('Kube Route Lens routing graph in VS Code', () => {
  let api: Api;
  const shop = workspaceFile('seed-routing/shop.yaml');

  suiteSetup(async () => {
    api = await activateExtension();
    await api.ready;
  });

  suiteTeardown(async () => {
    await vscode.window.tabGroups.close(graphTabs());
  });

  test('"Show Routing Graph" opens the panel on the routes of the active file', async () => {
    await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(shop));
    const drawn = waitForRender(api, hasNode('service', 'Service abc-svc'));
    await vscode.commands.executeCommand('kubeRouteLens.showRoutingGraph');
    const tab = await waitForGraphTab();
    assert.ok(tab.input instanceof vscode.TabInputWebview);
    const graph = await drawn;
    const labels = graph.nodes.map((n) => n.label);
    for (const label of ['Service abc-svc', 'Service dfc-svc', 'Deployment abc', 'IngressClass nginx', 'www.test.pri']) assert.ok(labels.includes(label), `${label} missing from ${labels.join(', ')}`);
    assert.ok(!labels.includes('Service web-nodeport'), 'the file scope leaves out routes that do not touch shop.yaml');
    // Running the command again reuses the panel.
    await vscode.commands.executeCommand('kubeRouteLens.showRoutingGraph');
    assert.strictEqual(graphTabs().length, 1);
  });

  test('an edit redraws the graph: renaming Service abc-svc', async () => {
    const document = await vscode.workspace.openTextDocument(shop);
    const renamed = waitForRender(api, hasNode('service', 'Service abc-svc-renamed'));
    const started = Date.now();
    await replaceFirst(document, 'name: abc-svc', 'name: abc-svc-renamed');
    const graph = await renamed;
    console.log(`routing graph redrawn ${Date.now() - started} ms after the edit`);
    assert.ok(!hasNode('service', 'Service abc-svc')(graph));
    const restored = waitForRender(api, hasNode('service', 'Service abc-svc'));
    await replaceFirst(document, 'name: abc-svc-renamed', 'name: abc-svc');
    await restored;
    await document.save();
  });

  test('revealing a node opens its definition in the editor', async () => {
    await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(workspaceFile('seed-routing/web.yaml')));
    const graph = api.graphPanel.lastGraph();
    const service = graph?.nodes.find((n) => n.kind === 'service' && n.label === 'Service abc-svc');
    assert.ok(service?.location, 'the graph has Service abc-svc with a location');
    assert.strictEqual(await api.graphPanel.reveal(service.id), true);
    const editor = vscode.window.activeTextEditor;
    assert.ok(editor, 'no active editor');
    assert.ok(editor.document.uri.path.endsWith('seed-routing/shop.yaml'), `active editor: ${editor.document.uri.path}`);
    assert.deepStrictEqual([editor.selection.start.line, editor.selection.start.character], [service.location.range.start.line, service.location.range.start.character]);
    assert.strictEqual(await api.graphPanel.reveal('svc:no-such-node'), false);
  });

  test('"Trace Request…" with a URL traces it and shows the whole route', async () => {
    // A trace shows the whole workspace, with the route highlighted. A redraw of the previous scope
    // (web.yaml alone, after the previous test's edit, or a refresh after that edit re-ran the route
    // tests) can still arrive first and holds web-nodeport too: wait for one with both files' ends.
    const workspaceDrawn = waitForRender(api, (graph) => hasNode('service', 'Service web-nodeport')(graph) && hasNode('service', 'Service abc-svc')(graph) && hasNode('workload', 'Deployment abc')(graph));
    const result = await vscode.commands.executeCommand<{ found: boolean; upstreamPath?: string } | undefined>('kubeRouteLens.traceRequest', 'http://www.test.pri:31085/abc/index.html');
    assert.ok(result, 'the server answered the trace');
    assert.strictEqual(result.found, true);
    assert.strictEqual(result.upstreamPath, '/index.html');
    const graph = await workspaceDrawn;
    assert.ok(hasNode('workload', 'Deployment abc')(graph));
  });

  test('"Trace Request…" takes a pasted curl command: its Host header picks the virtual host', async () => {
    const result = await vscode.commands.executeCommand<{ found: boolean; upstreamPath?: string; steps: { text: string }[] } | undefined>(
      'kubeRouteLens.traceRequest',
      "curl -sv -H 'Host: www.test.pri' http://192.168.56.10:31085/abc/index.html",
    );
    assert.ok(result, 'the server answered the trace');
    assert.strictEqual(result.found, true);
    assert.strictEqual(result.upstreamPath, '/index.html');
    assert.match(result.steps[0].text, /The Host header names the virtual host `www.test.pri`/);
    assert.strictEqual(await vscode.commands.executeCommand('kubeRouteLens.traceRequest', 'curl -d body http://www.test.pri/'), undefined);
  });

  test('"Trace Request…" through a Gateway (examples/gateway-api): the graph shows the Gateway listener beside the Ingress', async () => {
    const drawn = waitForRender(api, hasNode('gateway', 'Gateway default/test-gateway'));
    const result = await vscode.commands.executeCommand<{ found: boolean; upstreamPath?: string; steps: { kind: string; text: string; nodeId?: string }[] } | undefined>('kubeRouteLens.traceRequest', {
      url: 'http://www.test.pri/abc/index.html',
      gateway: 'default/test-gateway',
    });
    assert.ok(result, 'the server answered the trace');
    assert.strictEqual(result.found, true);
    assert.strictEqual(result.upstreamPath, '/index.html');
    assert.match(result.steps[0].text, /^Gateway `default\/test-gateway` \(class `nginx`, controller `gateway\.nginx\.org\/nginx-gateway-controller`\) takes it/);
    const graph = await drawn;
    const listener = graph.nodes.find((n) => n.kind === 'gateway');
    assert.ok(listener && result.steps.some((s) => s.nodeId === listener.id), 'the traced route goes through the listener node');
    assert.ok(hasNode('controller', 'IngressClass nginx')(graph), 'Ingress routes are drawn side by side');
    assert.ok(graph.edges.some((e) => e.from === listener.id && graph.nodes.some((n) => n.id === e.to && n.label === 'www.test.pri/abc')), 'listener → rule');
    assert.strictEqual(await api.graphPanel.reveal(listener.id), true);
    assert.ok(vscode.window.activeTextEditor?.document.uri.path.endsWith('gateway-api/gateway.yaml'));
    assert.strictEqual(await vscode.commands.executeCommand('kubeRouteLens.traceRequest', { url: 'http://www.test.pri/', gateway: 'Not A Name' }), undefined);
  });

  test('"Trace Request…" of a URL that parses as nothing shows an error instead of throwing', async () => {
    assert.strictEqual(await vscode.commands.executeCommand('kubeRouteLens.traceRequest', 'not a url'), undefined);
  });
});
