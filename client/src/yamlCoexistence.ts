/**
 * Red Hat's YAML extension already reports YAML syntax errors. When it is installed, our
 * `yaml-syntax` rule is off by default in VS Code (the user's explicit setting still wins; the
 * CLI always keeps the rule), so people never see each syntax error twice.
 */
import * as vscode from 'vscode';

export const RED_HAT_YAML = 'redhat.vscode-yaml';

export function redHatYamlPresent(): boolean {
  return vscode.extensions.getExtension(RED_HAT_YAML) !== undefined;
}

/** Adds `yaml-syntax: off` to the rules unless the user configured that rule themselves. */
export function withYamlSyntaxDefault(section: unknown): unknown {
  if (!redHatYamlPresent() || section === null || typeof section !== 'object') return section;
  const configured = vscode.workspace.getConfiguration('kubeRouteLens').inspect<Record<string, string>>('rules');
  const explicit = [configured?.globalValue, configured?.workspaceValue, configured?.workspaceFolderValue].some((v) => v !== undefined && 'yaml-syntax' in v);
  if (explicit) return section;
  const settings = section as { rules?: Record<string, string> };
  return { ...settings, rules: { ...(settings.rules ?? {}), 'yaml-syntax': 'off' } };
}
