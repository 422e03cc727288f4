/** Diagnostics as VS Code shows them: the real extension, the real server, the real vscode API. */
import * as assert from 'node:assert';
import * as vscode from 'vscode';
import { activateExtension, rulesOf, waitForDiagnostics, workspaceFile } from './helpers';

suite('Kube Route Lens diagnostics in VS Code', () => {
  suiteSetup(async () => {
    const api = await activateExtension();
    const indexed = await api.ready;
    assert.ok(indexed.files >= 8, `indexed ${indexed.files} files`);
  });

  test('findings of closed files appear in the diagnostics API with rule ids and documentation links', async () => {
    const ingress = workspaceFile('mistakes/ingress.yaml');
    const diagnostics = await waitForDiagnostics(ingress, (rules) => rules.length === 3);
    assert.deepStrictEqual(rulesOf(ingress), ['ingress-backend-port-missing', 'ingress-backend-service-missing', 'rewrite-target-capture-missing']);
    const missing = diagnostics.find((d) => typeof d.code === 'object' && d.code.value === 'ingress-backend-service-missing')!;
    assert.strictEqual(missing.severity, vscode.DiagnosticSeverity.Error);
    assert.deepStrictEqual([missing.range.start.line, missing.range.start.character], [27, 22]);
    assert.match(missing.message, /did you mean `shop-admin`\?/);
    const code = missing.code as { value: string; target: vscode.Uri };
    assert.match(code.target.toString(), /README\.md#ingress-backend-service-missing$/);
    // The seed example next to it is clean.
    assert.deepStrictEqual(rulesOf(workspaceFile('seed-routing/ingress.yaml')), []);
    assert.deepStrictEqual(rulesOf(workspaceFile('seed-routing/web.yaml')), []);
  });

  test('an edit in one file updates the diagnostics of another file', async () => {
    const shop = workspaceFile('mistakes/shop.yaml');
    const ingress = workspaceFile('mistakes/ingress.yaml');
    await waitForDiagnostics(ingress, (rules) => rules.includes('ingress-backend-service-missing'));
    const document = await vscode.workspace.openTextDocument(shop);
    const offset = document.getText().indexOf('name: shop-admin');
    const edit = new vscode.WorkspaceEdit();
    edit.replace(shop, new vscode.Range(document.positionAt(offset), document.positionAt(offset + 'name: shop-admin'.length)), 'name: shop-admn');
    assert.ok(await vscode.workspace.applyEdit(edit));
    await waitForDiagnostics(ingress, (rules) => !rules.includes('ingress-backend-service-missing'));
    // Undo, so later tests see the example as shipped.
    const undo = new vscode.WorkspaceEdit();
    const changed = document.getText().indexOf('name: shop-admn');
    undo.replace(shop, new vscode.Range(document.positionAt(changed), document.positionAt(changed + 'name: shop-admn'.length)), 'name: shop-admin');
    assert.ok(await vscode.workspace.applyEdit(undo));
    await waitForDiagnostics(ingress, (rules) => rules.includes('ingress-backend-service-missing'));
  });
});
