/**
 * Red Hat's YAML extension already reports YAML syntax errors. When it is installed, the
 * `yaml-syntax` rule is off by default in VS Code, unless the user configured that rule
 * themselves (the CLI always keeps it). Pure, so it is tested without VS Code.
 */
export function applyYamlSyntaxDefault(section: unknown, context: { readonly redHatYaml: boolean; readonly userConfigured: boolean }): unknown {
  if (!context.redHatYaml || context.userConfigured || section === null || typeof section !== 'object') return section;
  const settings = section as { rules?: Record<string, string> };
  return { ...settings, rules: { ...(settings.rules ?? {}), 'yaml-syntax': 'off' } };
}
