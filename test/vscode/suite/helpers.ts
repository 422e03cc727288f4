/** Shared helpers of the VS Code suite: wait on VS Code events, never on time. */
import * as vscode from 'vscode';
import type { KubeRouteLensApi } from '../../../client/src/extension';
import type { ServerStatus } from '../../../server/src/protocol';

export const EXTENSION_ID = 'kube-route-lens.kube-route-lens';

export function codeOf(diagnostic: vscode.Diagnostic): string {
  const code = diagnostic.code;
  return typeof code === 'object' && code !== null ? String(code.value) : String(code);
}

export function ours(uri: vscode.Uri): vscode.Diagnostic[] {
  return vscode.languages.getDiagnostics(uri).filter((d) => d.source === 'kube-route-lens');
}

export function rulesOf(uri: vscode.Uri): string[] {
  return ours(uri).map(codeOf).sort();
}

/** Resolves with our diagnostics of `uri` once `predicate` accepts them (checked on every change). */
export function waitForDiagnostics(uri: vscode.Uri, predicate: (rules: string[]) => boolean): Promise<vscode.Diagnostic[]> {
  return new Promise((resolve) => {
    let subscription: vscode.Disposable | undefined;
    const check = (): boolean => {
      if (!predicate(rulesOf(uri))) return false;
      subscription?.dispose();
      resolve(ours(uri));
      return true;
    };
    if (check()) return;
    subscription = vscode.languages.onDidChangeDiagnostics((event) => {
      if (event.uris.some((u) => u.toString() === uri.toString())) check();
    });
  });
}

export function workspaceFile(relative: string): vscode.Uri {
  const folder = vscode.workspace.workspaceFolders?.[0];
  if (!folder) throw new Error('no workspace folder is open');
  return vscode.Uri.joinPath(folder.uri, relative);
}

export type Api = KubeRouteLensApi;

export async function activateExtension(): Promise<KubeRouteLensApi> {
  const extension = vscode.extensions.getExtension<KubeRouteLensApi>(EXTENSION_ID);
  if (!extension) throw new Error(`extension ${EXTENSION_ID} is not installed`);
  return extension.activate();
}

/** Resolves with the first status the server sends that satisfies `predicate`. */
export function waitForStatus(api: KubeRouteLensApi, predicate: (status: ServerStatus) => boolean): Promise<ServerStatus> {
  return new Promise((resolve) => {
    const subscription = api.onDidChangeStatus((status) => {
      if (!predicate(status)) return;
      subscription.dispose();
      resolve(status);
    });
  });
}
