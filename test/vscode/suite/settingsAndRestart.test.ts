/** Settings take effect without a reload; the server comes back after a crash; commands exist. */
import * as assert from 'node:assert';
import * as vscode from 'vscode';
import { activateExtension, waitForDiagnostics, waitForStatus, workspaceFile } from './helpers';
import type { Api } from './helpers';

suite('Kube Route Lens settings, commands and crash recovery', () => {
  let api: Api;

  suiteSetup(async () => {
    api = await activateExtension();
    await api.ready;
  });

  test('changing rule severities re-checks without a reload', async () => {
    const ingress = workspaceFile('mistakes/ingress.yaml');
    await waitForDiagnostics(ingress, (rules) => rules.includes('ingress-backend-port-missing'));
    const config = vscode.workspace.getConfiguration('kubeRouteLens');
    await config.update('rules', { 'ingress-backend-port-missing': 'off', 'rewrite-target-capture-missing': 'hint' }, vscode.ConfigurationTarget.Workspace);
    const diagnostics = await waitForDiagnostics(ingress, (rules) => !rules.includes('ingress-backend-port-missing'));
    const rewrite = diagnostics.find((d) => typeof d.code === 'object' && d.code.value === 'rewrite-target-capture-missing');
    assert.strictEqual(rewrite?.severity, vscode.DiagnosticSeverity.Hint);
    await config.update('rules', undefined, vscode.ConfigurationTarget.Workspace);
    await waitForDiagnostics(ingress, (rules) => rules.includes('ingress-backend-port-missing'));
  });

  test('the commands are contributed under one category', async () => {
    const commands = await vscode.commands.getCommands(true);
    for (const command of ['kubeRouteLens.restartServer', 'kubeRouteLens.showOutput']) assert.ok(commands.includes(command), command);
    await vscode.commands.executeCommand('kubeRouteLens.showOutput');
  });

  test('the server is restarted after a crash, and diagnostics come back', async () => {
    const before = await api.serverInfo();
    const restarted = waitForStatus(api, (status) => status.state === 'ready');
    process.kill(before.pid, 'SIGKILL');
    await restarted;
    const after = await api.serverInfo();
    assert.notStrictEqual(after.pid, before.pid);
    await waitForDiagnostics(workspaceFile('mistakes/ingress.yaml'), (rules) => rules.includes('ingress-backend-service-missing'));
  });

  test('"Restart Server" starts a new server process', async () => {
    const before = await api.serverInfo();
    const restarted = waitForStatus(api, (status) => status.state === 'ready');
    await vscode.commands.executeCommand('kubeRouteLens.restartServer');
    await restarted;
    assert.notStrictEqual((await api.serverInfo()).pid, before.pid);
  });
});
