/**
 * "Convert to Gateway API" over the real language server (stdio): offered on an Ingress as a
 * refactor.rewrite, resolved lazily into a WorkspaceEdit that creates the Gateway API file and the
 * route test file under a change annotation with needsConfirmation (VS Code's refactor preview),
 * plus the command that shows the report; and the kubeRouteLens/migrate request of the command.
 */
import { strict as assert } from 'node:assert';
import { copyFileSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { pathToFileURL } from 'node:url';
import { parseAllDocuments } from 'yaml';
import { CodeActionRequest, CodeActionResolveRequest } from 'vscode-languageserver-protocol/node';
import type { CodeAction, CreateFile, TextDocumentEdit } from 'vscode-languageserver-protocol/node';
import { MIGRATE_REQUEST, SHOW_MIGRATION_REPORT_COMMAND } from '../../server/src/protocol';
import type { MigrateResult } from '../../server/src/protocol';
import { TestClient } from '../helpers/lspClient';

const SEED = path.resolve(__dirname, '../../examples/seed-routing');

describe('LSP: Convert to Gateway API', () => {
  let root: string;
  let client: TestClient;
  const uri = (file: string) => pathToFileURL(path.join(root, file)).href;

  before(async () => {
    root = mkdtempSync(path.join(tmpdir(), 'krl-migrate-lsp-'));
    for (const file of readdirSync(SEED)) copyFileSync(path.join(SEED, file), path.join(root, file));
    client = await TestClient.start({ rootPath: root, pull: false, richEdits: true });
    await client.open(uri('ingress.yaml'), readFileSync(path.join(root, 'ingress.yaml'), 'utf8'));
  });
  after(async () => {
    await client.stop();
    rmSync(root, { recursive: true, force: true });
  });

  const actionsAt = (line: number) => client.connection.sendRequest(CodeActionRequest.type, { textDocument: { uri: uri('ingress.yaml') }, range: { start: { line, character: 4 }, end: { line, character: 4 } }, context: { diagnostics: [] } }) as Promise<CodeAction[]>;

  test('offered on the Ingress (not elsewhere), resolved into an annotated edit creating two files, and the report command', async () => {
    const actions = await actionsAt(13);
    const convert = actions.find((a) => a.title === 'Convert to Gateway API');
    assert.ok(convert, `offered: ${actions.map((a) => a.title).join(', ')}`);
    assert.equal(convert.kind, 'refactor.rewrite');
    assert.equal(convert.edit, undefined, 'computed on resolve (the proof traces every sample)');

    const resolved = await client.connection.sendRequest(CodeActionResolveRequest.type, convert);
    const changes = resolved.edit?.documentChanges ?? [];
    const creates = changes.filter((c): c is CreateFile => 'kind' in c && c.kind === 'create');
    const edits = changes.filter((c): c is TextDocumentEdit => 'textDocument' in c);
    assert.deepEqual(creates.map((c) => path.basename(new URL(c.uri).pathname)), ['test-ingress.gateway.yaml', 'test-ingress.migration.routes.yaml']);
    assert.ok(creates.every((c) => c.annotationId === 'kube-route-lens-migrate' && c.options?.overwrite === false));
    assert.deepEqual(resolved.edit?.changeAnnotations?.['kube-route-lens-migrate'], { label: 'Convert to Gateway API', needsConfirmation: true, description: '10 of 10 sample requests equivalent' });

    const yaml = (edits[0].edits[0] as { newText: string }).newText;
    const route = parseAllDocuments(yaml).map((d) => d.toJS()).find((o) => o.kind === 'HTTPRoute');
    assert.deepEqual(route.spec.rules[0].matches, [{ path: { type: 'PathPrefix', value: '/abc' } }]);
    assert.deepEqual(route.spec.rules[0].filters[0].urlRewrite.path, { type: 'ReplacePrefixMatch', replacePrefixMatch: '/' });
    assert.match((edits[1].edits[0] as { newText: string }).newText, /^tests:/m);

    assert.equal(resolved.command?.command, SHOW_MIGRATION_REPORT_COMMAND);
    assert.match(String(resolved.command?.arguments?.[0]), /10 of 10 sample requests reach the same Service port with the same upstream path\./);

    // A line outside every object gets no such action.
    const elsewhere = await client.connection.sendRequest(CodeActionRequest.type, { textDocument: { uri: uri('ingress.yaml') }, range: { start: { line: 200, character: 0 }, end: { line: 200, character: 0 } }, context: { diagnostics: [] } }) as CodeAction[];
    assert.ok(!elsewhere.some((a) => a.title === 'Convert to Gateway API'));
  });

  test('kubeRouteLens/migrate (the command): every Ingress, files in <folder>/gateway-api, the report', async () => {
    const result = (await client.connection.sendRequest(MIGRATE_REQUEST, { gatewayClass: 'eg', folder: pathToFileURL(root).href })) as MigrateResult;
    assert.deepEqual(result.files.map((f) => path.relative(root, new URL(f).pathname)), [path.join('gateway-api', 'gateway-api.yaml'), path.join('gateway-api', 'migration.routes.yaml')]);
    assert.equal(result.equivalent, true);
    assert.deepEqual([result.same, result.total], [10, 10]);
    assert.match(result.report, /^# Ingress → Gateway API migration/);
    const edit = result.edit as { documentChanges: (CreateFile | TextDocumentEdit)[] };
    const text = (edit.documentChanges[1] as TextDocumentEdit).edits[0].newText;
    assert.match(text, /gatewayClassName: eg/);
  });
});
