/** Route tests in real VS Code: a failing test in a *.routes.yaml gets its diagnostic and a ✗ CodeLens; accepting the answer clears it. */
import * as assert from 'node:assert';
import * as vscode from 'vscode';
import { activateExtension, waitForDiagnostics, workspaceFile } from './helpers';

suite('Kube Route Lens route tests in VS Code', () => {
  suiteSetup(async () => {
    const api = await activateExtension();
    await api.ready;
  });

  test('a failing route test: route-test-failed diagnostic, ✗ CodeLens, and the accept quick fix', async () => {
    const uri = workspaceFile('seed-routing/vscode-suite.routes.yaml');
    const text = 'tests:\n  - url: http://www.test.pri:31085/dfc/index.html\n    expect:\n      backend: default/abc-svc:80\n      path: /index.html\n';
    await vscode.workspace.fs.writeFile(uri, new TextEncoder().encode(text));
    try {
      const document = await vscode.workspace.openTextDocument(uri);
      await vscode.window.showTextDocument(document);
      const [diagnostic] = await waitForDiagnostics(uri, (rules) => rules.includes('route-test-failed'));
      assert.strictEqual(diagnostic.message, 'Route test failed: expected default/abc-svc:80 as /index.html, now reaches default/dfc-svc:80 as /index.html.');
      assert.strictEqual(diagnostic.range.start.line, 1);
      const lenses = await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', uri);
      const titles = lenses.map((l) => l.command?.title);
      assert.ok(titles.includes('✗ reaches dfc-svc:80 as /index.html (expected default/abc-svc:80 as /index.html)'), titles.join('\n'));
      assert.ok(titles.includes('Show route'));
      const actions = await vscode.commands.executeCommand<vscode.CodeAction[]>('vscode.executeCodeActionProvider', uri, diagnostic.range, vscode.CodeActionKind.QuickFix.value);
      const accept = actions.find((a) => a.title === 'Accept the current answer');
      assert.ok(accept?.edit, `no accept among: ${actions.map((a) => a.title).join(', ')}`);
      assert.ok(await vscode.workspace.applyEdit(accept.edit));
      assert.match(document.getText(), /expect:\n {6}backend: default\/dfc-svc:80\n {6}path: \/index\.html\n/);
      await waitForDiagnostics(uri, (rules) => !rules.includes('route-test-failed'));
      await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
    } finally {
      await vscode.workspace.fs.delete(uri);
    }
  });
});
