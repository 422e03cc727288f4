/**
 * "Convert to Gateway API" in real VS Code: the refactoring is offered on the seed Ingress, and
 * resolved (VS Code resolves the action's edit on request) into a workspace edit that creates the
 * Gateway API file with the prefix-strip rewrite, plus the command that shows the report; the
 * command palette entry answers the same migration. Applying through the refactor preview needs a
 * click, so the edit is asserted rather than applied.
 */
import * as assert from 'node:assert';
import * as vscode from 'vscode';
import { activateExtension, workspaceFile } from './helpers';

suite('Kube Route Lens: Convert to Gateway API in VS Code', () => {
  suiteSetup(async () => {
    const api = await activateExtension();
    await api.ready;
  });

  test('the seed Ingress offers "Convert to Gateway API" with an edit creating the Gateway API file', async () => {
    const uri = workspaceFile('seed-routing/ingress.yaml');
    const document = await vscode.workspace.openTextDocument(uri);
    const position = document.positionAt(document.getText().indexOf('path: /abc'));
    // The last argument asks VS Code to resolve the first 10 actions (their edits).
    const actions = await vscode.commands.executeCommand<vscode.CodeAction[]>('vscode.executeCodeActionProvider', uri, new vscode.Range(position, position), vscode.CodeActionKind.RefactorRewrite.value, 10);
    const convert = actions.find((a) => a.title === 'Convert to Gateway API');
    assert.ok(convert, `offered: ${actions.map((a) => a.title).join(', ')}`);
    assert.ok(convert.kind && vscode.CodeActionKind.RefactorRewrite.contains(convert.kind));
    assert.ok(convert.edit, 'the edit is resolved');
    const entries = convert.edit.entries();
    const created = entries.find(([u]) => u.path.endsWith('seed-routing/test-ingress.gateway.yaml'));
    assert.ok(created, `files: ${entries.map(([u]) => u.path).join(', ')}`);
    const text = created[1].map((e) => e.newText).join('');
    assert.match(text, /type: PathPrefix\n\s+value: \/abc/);
    assert.match(text, /type: ReplacePrefixMatch\n\s+replacePrefixMatch: \//);
    assert.strictEqual(convert.command?.command, 'kubeRouteLens.showMigrationReport');
    // The workspace also holds examples/mistakes, whose host-less `legacy` Ingress (a default
    // backend) serves only hosts no rule names: the near misses `/abcx` and `/dfcx` stay the
    // seed's 404s, before and after.
    const report = String(convert.command?.arguments?.[0]);
    assert.match(report, /10 of 10 sample requests reach the same Service port with the same upstream path/);
    assert.doesNotMatch(report, /another Ingress's rule or default backend/);
  });

  test('the command answers the migration of the workspace (asked without the input box)', async () => {
    const result = await vscode.commands.executeCommand<{ files: string[]; report: string; same: number; total: number } | null>('kubeRouteLens.convertToGatewayApi', { gatewayClass: 'eg', apply: false });
    assert.ok(result);
    assert.ok(result.files.some((f) => f.endsWith('/gateway-api/gateway-api.yaml')), result.files.join(', '));
    assert.ok(result.total > 0);
    assert.match(result.report, /sample requests reach the same Service port with the same upstream path/);
  });
});
