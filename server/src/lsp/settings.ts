/** The server's view of user settings (`kubeRouteLens.*`), read defensively from untyped JSON. */
import { DEFAULT_SETTINGS, isRuleId, isSeverity, parsePortRange } from '../core';
import type { EngineSettings, RuleSeverities } from '../core';

export interface ServerSettings {
  /** Master switch: when false the server reports nothing. */
  readonly enable: boolean;
  readonly engine: EngineSettings;
  readonly rules: RuleSeverities;
  /** Glob patterns of the files to analyse (relative to a workspace folder). */
  readonly include: readonly string[];
  /** Glob patterns of files to leave out (our own setting plus VS Code's `files.exclude`). */
  readonly exclude: readonly string[];
}

export const DEFAULT_INCLUDE: readonly string[] = ['**/*.yaml', '**/*.yml'];

export const DEFAULT_SERVER_SETTINGS: ServerSettings = {
  enable: true,
  engine: DEFAULT_SETTINGS,
  rules: {},
  include: DEFAULT_INCLUDE,
  exclude: [],
};

/** `value` as an object to read fields from; anything else (arrays included) reads as empty. */
export function record(value: unknown): Record<string, unknown> {
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
  const include = Array.isArray(raw.include) ? raw.include.filter((p): p is string => typeof p === 'string' && p.trim() !== '') : [];
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
    include: include.length > 0 ? include : DEFAULT_INCLUDE,
    exclude: [...ownExcludes, ...editorExcludes],
  };
}
