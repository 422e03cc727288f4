/** The status bar item: indexing progress, then the number of objects and problems. */
import * as vscode from 'vscode';
import type { ServerStatus } from '../../server/src/protocol';

export class StatusBar implements vscode.Disposable {
  private readonly item: vscode.StatusBarItem;

  constructor() {
    this.item = vscode.window.createStatusBarItem('kubeRouteLens.status', vscode.StatusBarAlignment.Left, 10);
    this.item.name = 'Kube Route Lens';
    this.item.command = 'workbench.actions.view.problems';
    this.starting();
    this.item.show();
  }

  starting(): void {
    this.item.text = '$(sync~spin) Kube Route Lens';
    this.item.tooltip = 'Kube Route Lens: starting the language server…';
    this.item.backgroundColor = undefined;
  }

  stopped(reason: string): void {
    this.item.text = '$(error) Kube Route Lens';
    this.item.tooltip = `Kube Route Lens: ${reason}`;
    this.item.command = 'kubeRouteLens.restartServer';
    this.item.backgroundColor = new vscode.ThemeColor('statusBarItem.errorBackground');
  }

  update(status: ServerStatus): void {
    this.item.backgroundColor = undefined;
    this.item.command = 'workbench.actions.view.problems';
    if (status.state === 'indexing') {
      this.item.text = `$(sync~spin) Kube Route Lens: indexing ${status.files}/${status.totalFiles ?? '?'} files`;
      this.item.tooltip = 'Kube Route Lens is reading the Kubernetes manifests of the workspace.';
      this.item.accessibilityInformation = { label: `Kube Route Lens: indexing ${status.files} of ${status.totalFiles ?? 'unknown'} files` };
      return;
    }
    const icon = status.errors > 0 ? '$(error)' : status.warnings > 0 ? '$(warning)' : '$(check)';
    this.item.text = `${icon} Kube Route Lens: ${status.resources} ${status.resources === 1 ? 'object' : 'objects'}`;
    const tooltip = new vscode.MarkdownString(
      `**Kube Route Lens**\n\n${status.resources} Kubernetes objects in ${status.files} YAML files\n\n` +
        `${status.errors} errors, ${status.warnings} warnings\n\nClick to open the Problems panel.`,
    );
    this.item.tooltip = tooltip;
    // Screen readers get the plain sentence, not the tooltip's markdown.
    this.item.accessibilityInformation = {
      label: `Kube Route Lens: ${status.resources} Kubernetes objects in ${status.files} YAML files, ${status.errors} errors, ${status.warnings} warnings`,
    };
  }

  dispose(): void {
    this.item.dispose();
  }
}
