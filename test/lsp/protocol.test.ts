/** The built language server over stdio, driven like Neovim (push) and like VS Code (pull). */
import { strict as assert } from 'node:assert';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { after, before, describe, test } from 'node:test';
import {
  DidChangeConfigurationNotification,
  DidChangeWatchedFilesNotification,
  DocumentDiagnosticRequest,
  FileChangeType,
  WorkspaceDiagnosticRequest,
} from 'vscode-languageserver-protocol/node';
import type { FullDocumentDiagnosticReport, WorkspaceDiagnosticReport } from 'vscode-languageserver-protocol/node';
import { TestClient } from '../helpers/lspClient';

const EXAMPLES = path.resolve(__dirname, '../../examples/mistakes');

function copyExamples(): { root: string; uri: (file: string) => string; text: (file: string) => string } {
  const root = mkdtempSync(path.join(tmpdir(), 'krl-lsp-'));
  cpSync(EXAMPLES, root, { recursive: true });
  return { root, uri: (file) => `file://${path.join(root, file)}`, text: (file) => readFileSync(path.join(root, file), 'utf8') };
}

describe('language server, push diagnostics (a client without pull support, like Neovim 0.7)', () => {
  let client: TestClient;
  let ws: ReturnType<typeof copyExamples>;

  before(async () => {
    ws = copyExamples();
    client = await TestClient.start({ rootPath: ws.root, pull: false });
  });
  after(async () => client.stop());

  test('indexes the workspace and publishes diagnostics for closed files', async () => {
    await client.waitFor(() => client.rules(ws.uri('ingress.yaml')).length === 3, 'diagnostics of ingress.yaml');
    assert.deepEqual(client.rules(ws.uri('ingress.yaml')), ['ingress-backend-port-missing', 'ingress-backend-service-missing', 'rewrite-target-capture-missing']);
    const diagnostic = client.diagnostics.get(ws.uri('ingress.yaml'))!.find((d) => d.code === 'ingress-backend-service-missing')!;
    assert.equal(diagnostic.source, 'kube-route-lens');
    assert.match(diagnostic.codeDescription!.href, /README\.md#ingress-backend-service-missing$/);
    assert.deepEqual(diagnostic.range, { start: { line: 27, character: 22 }, end: { line: 27, character: 31 } });
    assert.equal(diagnostic.relatedInformation?.[0].location.uri, ws.uri('shop.yaml'));
  });

  test('an edit in one file re-checks the files that depend on it', async () => {
    const uri = ws.uri('shop.yaml');
    await client.open(uri, ws.text('shop.yaml'));
    // Rename Service shop-admin to shop-admn: the Ingress in another file now resolves.
    await client.replace(uri, ws.text('shop.yaml').replace('name: shop-admin', 'name: shop-admn'));
    await client.waitFor(() => !client.rules(ws.uri('ingress.yaml')).includes('ingress-backend-service-missing'), 'ingress.yaml to be re-checked');
    // shop-admin is a NodePort Service, hence the hint that ClusterIP would do.
    assert.deepEqual(client.rules(ws.uri('ingress.yaml')), ['ingress-backend-nodeport', 'ingress-backend-port-missing', 'rewrite-target-capture-missing']);
  });

  test('files changed on disk are re-read (workspace/didChangeWatchedFiles)', async () => {
    const file = path.join(ws.root, 'extra.yaml');
    writeFileSync(file, 'apiVersion: v1\nkind: Service\nmetadata:\n  name: extra\n  namespace: store\nspec:\n  ports:\n    - port: 0\n');
    await client.connection.sendNotification(DidChangeWatchedFilesNotification.type, { changes: [{ uri: `file://${file}`, type: FileChangeType.Created }] });
    await client.waitFor(() => client.rules(`file://${file}`).includes('port-invalid'), 'diagnostics of the new file');
    await client.connection.sendNotification(DidChangeWatchedFilesNotification.type, { changes: [{ uri: `file://${file}`, type: FileChangeType.Deleted }] });
    await client.waitFor(() => client.rules(`file://${file}`).length === 0, 'the deleted file to be cleared');
  });

  test('a .kube-route-lens.yaml written on disk reconfigures the workspace; removing it restores the defaults', async () => {
    const shop = ws.uri('shop.yaml');
    await client.waitFor(() => client.rules(shop).includes('nodeport-out-of-range'), 'node port 3000 outside the default range');
    const config = path.join(ws.root, '.kube-route-lens.yaml');
    writeFileSync(config, 'cluster:\n  nodePortRange: 1000-32767\n');
    await client.connection.sendNotification(DidChangeWatchedFilesNotification.type, { changes: [{ uri: `file://${config}`, type: FileChangeType.Created }] });
    await client.waitFor(() => !client.rules(shop).includes('nodeport-out-of-range'), 'the declared range to apply');
    writeFileSync(config, 'cluster:\n  nodePortRange: 1000-32767\n  bogus: 1\n');
    await client.connection.sendNotification(DidChangeWatchedFilesNotification.type, { changes: [{ uri: `file://${config}`, type: FileChangeType.Changed }] });
    await client.waitFor(() => client.rules(`file://${config}`).includes('yaml-syntax'), 'a mistake in the configuration is reported on it');
    rmSync(config);
    await client.connection.sendNotification(DidChangeWatchedFilesNotification.type, { changes: [{ uri: `file://${config}`, type: FileChangeType.Deleted }] });
    await client.waitFor(() => client.rules(shop).includes('nodeport-out-of-range'), 'the default range again');
  });

  test('broken YAML gives a yaml-syntax diagnostic and the rest keeps working', async () => {
    const uri = ws.uri('broken.yaml');
    await client.open(uri, 'apiVersion: v1\nkind: Service\nmetadata:\n  name: [unclosed\n');
    await client.waitFor(() => client.rules(uri).includes('yaml-syntax'), 'a yaml-syntax diagnostic');
    await client.replace(ws.uri('shop.yaml'), ws.text('shop.yaml'));
    await client.waitFor(() => client.rules(ws.uri('ingress.yaml')).includes('ingress-backend-service-missing'), 'the server to keep working');
  });

  test('settings change severities without a restart (workspace/configuration + didChangeConfiguration)', async () => {
    client.settings = { kubeRouteLens: { rules: { 'ingress-backend-port-missing': 'off', 'rewrite-target-capture-missing': 'hint' } } };
    await client.connection.sendNotification(DidChangeConfigurationNotification.type, { settings: {} });
    await client.waitFor(() => !client.rules(ws.uri('ingress.yaml')).includes('ingress-backend-port-missing'), 'the rule to be turned off');
    const hint = client.diagnostics.get(ws.uri('ingress.yaml'))!.find((d) => d.code === 'rewrite-target-capture-missing');
    assert.equal(hint?.severity, 4);
    client.settings = {};
    await client.connection.sendNotification(DidChangeConfigurationNotification.type, { settings: {} });
    await client.waitFor(() => client.rules(ws.uri('ingress.yaml')).includes('ingress-backend-port-missing'), 'the rule to come back');
  });
});

describe('language server, pull diagnostics (a client like VS Code)', () => {
  let client: TestClient;
  let ws: ReturnType<typeof copyExamples>;

  before(async () => {
    ws = copyExamples();
    client = await TestClient.start({ rootPath: ws.root, pull: true });
  });
  after(async () => client.stop());

  test('declares pull diagnostics with inter-file dependencies and pushes nothing', async () => {
    assert.deepEqual((client.serverCapabilities as { diagnosticProvider: unknown }).diagnosticProvider, { identifier: 'kube-route-lens', interFileDependencies: true, workspaceDiagnostics: true });
    assert.equal(client.diagnostics.size, 0);
  });

  test('workspace diagnostics report closed files; document diagnostics the open ones', async () => {
    const report = (await client.connection.sendRequest(WorkspaceDiagnosticRequest.type, { previousResultIds: [] })) as WorkspaceDiagnosticReport;
    const ingress = report.items.find((i) => i.uri === ws.uri('ingress.yaml')) as FullDocumentDiagnosticReport & { uri: string };
    assert.equal(ingress.items.length, 3);
    await client.open(ws.uri('shop.yaml'), ws.text('shop.yaml'));
    const doc = (await client.connection.sendRequest(DocumentDiagnosticRequest.type, { textDocument: { uri: ws.uri('shop.yaml') } })) as FullDocumentDiagnosticReport;
    assert.deepEqual(doc.items.map((d) => d.code).sort(), ['nodeport-out-of-range', 'service-selects-nothing', 'service-target-port-unresolved']);
    const again = await client.connection.sendRequest(DocumentDiagnosticRequest.type, { textDocument: { uri: ws.uri('shop.yaml') }, previousResultId: doc.resultId });
    assert.equal(again.kind, 'unchanged');
  });

  test('an edit asks the client to refresh, and a held workspace request answers with the other file', async () => {
    const first = (await client.connection.sendRequest(WorkspaceDiagnosticRequest.type, { previousResultIds: [] })) as WorkspaceDiagnosticReport;
    const previousResultIds = first.items.map((i) => ({ uri: i.uri, value: (i as { resultId: string }).resultId }));
    // Nothing changed yet: this request is held open until something does.
    const held = client.connection.sendRequest(WorkspaceDiagnosticRequest.type, { previousResultIds }) as Promise<WorkspaceDiagnosticReport>;
    const refreshesBefore = client.refreshes.length;
    await client.replace(ws.uri('shop.yaml'), ws.text('shop.yaml').replace('name: shop-admin', 'name: shop-admn'));
    const report = await held;
    const ingress = report.items.find((i) => i.uri === ws.uri('ingress.yaml')) as FullDocumentDiagnosticReport;
    assert.ok(ingress, 'ingress.yaml is reported after editing shop.yaml');
    assert.ok(!ingress.items.some((d) => d.code === 'ingress-backend-service-missing'));
    await client.waitFor(() => client.refreshes.length > refreshesBefore, 'a diagnostics refresh request');
  });
});

describe('the CLI entry `kube-route-lens lsp --stdio`', () => {
  test('speaks LSP over stdio', async () => {
    const ws = copyExamples();
    const cli = path.resolve(__dirname, '../../server/dist/cli.js');
    const client = await TestClient.start({ rootPath: ws.root, pull: false, command: [process.execPath, cli, 'lsp', '--stdio'] });
    await client.waitFor(() => client.rules(ws.uri('legacy.yaml')).length > 0, 'diagnostics');
    assert.deepEqual(client.rules(ws.uri('legacy.yaml')), ['hpa-target-missing', 'ingress-api-removed', 'workload-selector-mismatch']);
    await client.stop();
  });
});
