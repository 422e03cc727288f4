/** Detects Red Hat's YAML extension and the user's own `yaml-syntax` setting (see yamlSyntaxDefault.ts). */
import * as vscode from 'vscode';
import { applyYamlSyntaxDefault } from './yamlSyntaxDefault';

export const RED_HAT_YAML = 'redhat.vscode-yaml';

export function withYamlSyntaxDefault(section: unknown): unknown {
  const configured = vscode.workspace.getConfiguration('kubeRouteLens').inspect<Record<string, string>>('rules');
  const userConfigured = [configured?.globalValue, configured?.workspaceValue, configured?.workspaceFolderValue].some((v) => v !== undefined && 'yaml-syntax' in v);
  return applyYamlSyntaxDefault(section, { redHatYaml: vscode.extensions.getExtension(RED_HAT_YAML) !== undefined, userConfigured });
}
