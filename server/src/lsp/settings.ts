/** The server's view of user settings (`kubeRouteLens.*`), read defensively from untyped JSON. */
import { DEFAULT_SETTINGS, isRuleId, isSeverity, parsePortRange } from '../core';
import type { EngineSettings, RuleSeverities } from '../core';

export interface ServerSettings {
  /** Master switch: when false the server reports nothing. */
  readonly enable: boolean;
  readonly engine: EngineSettings;
  readonly rules: RuleSeverities;
  /** Glob patterns of files to leave out (our own setting plus VS Code's `files.exclude`). */
  readonly exclude: readonly string[];
}

export const DEFAULT_SERVER_SETTINGS: ServerSettings = {
  enable: true,
  engine: DEFAULT_SETTINGS,
  rules: {},
  exclude: [],
};

function record(value: unknown): Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
}

/**
 * `section` is the `kubeRouteLens` settings object; `filesExclude` is VS Code's `files.exclude`
 * (a map from glob to boolean). Unknown or malformed values fall back to the defaults.
 */
export function readSettings(section: unknown, filesExclude?: unknown): ServerSettings {
  const raw = record(section);
  const rules: Record<string, string> = {};
  for (const [id, severity] of Object.entries(record(raw.rules))) {
    if (isRuleId(id) && typeof severity === 'string' && (severity === 'off' || isSeverity(severity))) rules[id] = severity;
  }
  const range = typeof raw.nodePortRange === 'string' ? parsePortRange(raw.nodePortRange) : undefined;
  const namespace = typeof raw.defaultNamespace === 'string' && raw.defaultNamespace.trim() ? raw.defaultNamespace.trim() : undefined;
  const ownExcludes = Array.isArray(raw.exclude) ? raw.exclude.filter((p): p is string => typeof p === 'string') : [];
  const editorExcludes = Object.entries(record(filesExclude))
    .filter(([, on]) => on === true)
    .map(([glob]) => glob);
  return {
    enable: raw.enable !== false,
    engine: {
      ...DEFAULT_SETTINGS,
      defaultNamespace: namespace ?? DEFAULT_SETTINGS.defaultNamespace,
      nodePortRange: range ?? DEFAULT_SETTINGS.nodePortRange,
    },
    rules: rules as RuleSeverities,
    exclude: [...ownExcludes, ...editorExcludes],
  };
}
