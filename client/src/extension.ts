/**
 * VS Code face of Kube Route Lens: starts the bundled language server over IPC for YAML files.
 * All analysis happens in the server; the client only wires VS Code to it.
 */
import * as vscode from 'vscode';
import { LanguageClient, TransportKind } from 'vscode-languageclient/node';
import type { LanguageClientOptions, ServerOptions } from 'vscode-languageclient/node';

let client: LanguageClient | undefined;

/** What `activate` returns, so tests (and other extensions) can wait for the first index. */
export interface KubeRouteLensApi {
  /** Resolves once the server has indexed the workspace the first time. */
  readonly ready: Promise<{ files: number; resources: number }>;
}

export async function activate(context: vscode.ExtensionContext): Promise<KubeRouteLensApi> {
  const serverModule = context.asAbsolutePath('server/dist/server.js');
  const serverOptions: ServerOptions = {
    run: { module: serverModule, transport: TransportKind.ipc },
    debug: { module: serverModule, transport: TransportKind.ipc, options: { execArgv: ['--nolazy', '--inspect=6009'] } },
  };
  const clientOptions: LanguageClientOptions = {
    documentSelector: [
      { scheme: 'file', language: 'yaml' },
      { scheme: 'untitled', language: 'yaml' },
    ],
  };
  client = new LanguageClient('kubeRouteLens', 'Kube Route Lens', serverOptions, clientOptions);
  let resolveReady: (value: { files: number; resources: number }) => void = () => undefined;
  const ready = new Promise<{ files: number; resources: number }>((resolve) => (resolveReady = resolve));
  context.subscriptions.push(client.onNotification('kubeRouteLens/indexed', (params: { files: number; resources: number }) => resolveReady(params)));
  await client.start();
  return { ready };
}

export async function deactivate(): Promise<void> {
  await client?.stop();
  client = undefined;
}
