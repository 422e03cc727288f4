/** Editor features in real VS Code: hover, go to definition across files, a quick fix, CodeLens. */
import * as assert from 'node:assert';
import * as vscode from 'vscode';
import { activateExtension, waitForDiagnostics, workspaceFile } from './helpers';

async function positionOf(uri: vscode.Uri, needle: string, offset = 0): Promise<{ document: vscode.TextDocument; position: vscode.Position }> {
  const document = await vscode.workspace.openTextDocument(uri);
  const index = document.getText().indexOf(needle);
  assert.ok(index >= 0, `${needle} not found in ${uri.path}`);
  return { document, position: document.positionAt(index + offset) };
}

function hoverText(hovers: vscode.Hover[]): string {
  return hovers.flatMap((h) => h.contents.map((c) => (typeof c === 'string' ? c : 'value' in c ? c.value : ''))).join('\n');
}

suite('Kube Route Lens editor features in VS Code', () => {
  suiteSetup(async () => {
    const api = await activateExtension();
    await api.ready;
  });

  test('hovering a nodePort shows the resolved port chain', async () => {
    const { document, position } = await positionOf(workspaceFile('seed-routing/web.yaml'), 'nodePort: 30000', 12);
    const hovers = await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', document.uri, position);
    assert.match(hoverText(hovers), /`node:30000` → Service `web-nodeport:8080` → targetPort `http` → containerPort `80` \(httpd\) in 3 pods of Deployment `web`/);
  });

  test('hovering the key externalTrafficPolicy: explains it like its value, with the key as the range', async () => {
    const { document, position } = await positionOf(workspaceFile('seed-routing/web.yaml'), 'externalTrafficPolicy: Local', 8);
    const hovers = await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', document.uri, position);
    assert.match(hoverText(hovers), /\*\*externalTrafficPolicy: Local\*\* on NodePort Service `web-nodeport`/);
    const ours = hovers.find((h) => hoverText([h]).includes('externalTrafficPolicy: Local'));
    assert.equal(ours?.range && document.getText(ours.range), 'externalTrafficPolicy');
  });

  test('F12 on an Ingress backend opens the Service in another file', async () => {
    const { document, position } = await positionOf(workspaceFile('seed-routing/ingress.yaml'), 'name: abc-svc', 8);
    const editor = await vscode.window.showTextDocument(document);
    editor.selection = new vscode.Selection(position, position);
    const changed = new Promise<vscode.TextEditor | undefined>((resolve) => {
      const subscription = vscode.window.onDidChangeActiveTextEditor((active) => {
        if (active?.document.uri.path.endsWith('seed-routing/shop.yaml')) {
          subscription.dispose();
          resolve(active);
        }
      });
    });
    await vscode.commands.executeCommand('editor.action.revealDefinition');
    const target = await changed;
    assert.ok(target);
    assert.strictEqual(target.document.lineAt(target.selection.active.line).text.trim(), 'name: abc-svc');
  });

  test('a quick fix applies: did you mean `shop-admin`?', async () => {
    const ingress = workspaceFile('mistakes/ingress.yaml');
    await waitForDiagnostics(ingress, (rules) => rules.includes('ingress-backend-service-missing'));
    const { document, position } = await positionOf(ingress, 'name: shop-admn', 8);
    const actions = await vscode.commands.executeCommand<vscode.CodeAction[]>('vscode.executeCodeActionProvider', document.uri, new vscode.Range(position, position), vscode.CodeActionKind.QuickFix.value);
    const fix = actions.find((a) => a.title === 'Change to `shop-admin`');
    assert.ok(fix?.edit, `no fix among: ${actions.map((a) => a.title).join(', ')}`);
    assert.ok(await vscode.workspace.applyEdit(fix.edit));
    assert.ok(document.getText().includes('name: shop-admin'));
    await waitForDiagnostics(ingress, (rules) => !rules.includes('ingress-backend-service-missing'));
    // Put the example back for the other tests.
    const restore = new vscode.WorkspaceEdit();
    const fixed = document.getText().indexOf('name: shop-admin');
    restore.replace(ingress, new vscode.Range(document.positionAt(fixed), document.positionAt(fixed + 'name: shop-admin'.length)), 'name: shop-admn');
    assert.ok(await vscode.workspace.applyEdit(restore));
    await waitForDiagnostics(ingress, (rules) => rules.includes('ingress-backend-service-missing'));
  });

  test('hovering a Gateway API backendRef shows its share of the rule and the chain to the pods', async () => {
    // test/vscode/fixture-workspace/gateway-hover, copied into the workspace by vscode.test.mjs.
    const { document, position } = await positionOf(workspaceFile('gateway-hover/route.yaml'), '- name: hover-svc', 10);
    const hovers = await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', document.uri, position);
    const text = hoverText(hovers);
    assert.match(text, /\*\*backendRef → Service `hover-svc`\*\* · weight 9 of 10 → \*\*90%\*\* of rule 1's requests/);
    assert.match(text, /Service `hover-svc:8080` → targetPort `http` → containerPort `80` \(web\) in 2 pods of Deployment `hover-app`/);
    const parent = await positionOf(workspaceFile('gateway-hover/route.yaml'), 'sectionName: http', 14);
    const parentHover = hoverText(await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', parent.document.uri, parent.position));
    assert.match(parentHover, /- listener `http` · 80\/HTTP · hostname `hover\.krl\.test` → serves `hover\.krl\.test`/);
  });

  test('CodeLens above a Service summarises the pods it selects', async () => {
    const uri = workspaceFile('seed-routing/web.yaml');
    const lenses = await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', uri);
    assert.deepStrictEqual(lenses.map((l) => l.command?.title), ['exposed by Service web-nodeport:8080 (NodePort 30000)', 'selects 3 pods of Deployment web']);
  });
});
