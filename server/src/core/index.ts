/**
 * Kube Route Lens engine: the public surface used by the language server, the CLI and the tests.
 * Pure: no IO, no LSP connection, no `vscode`.
 */
export { Workspace, compareFindings } from './workspace/workspace';
export type { FileChange, UpdateResult } from './workspace/workspace';
export { summarizeFile } from './parse/summarizeFile';
export { DEFAULT_SETTINGS, parsePortRange } from './analysis/settings';
export type { EngineSettings } from './analysis/settings';
export type { Finding, Link, LinkKind, LinkStatus, LinkTarget, Location, NearMiss, RelatedLocation, Replacement } from './analysis/types';
export { DIAGNOSTIC_SOURCE, effectiveSeverity, ruleDocUrl, toDiagnostic, toDiagnostics } from './analysis/diagnostics';
export type { RuleSeverities } from './analysis/diagnostics';
export { RULES, RULE_IDS, compareSeverity, isRuleId, isSeverity, ruleInfo } from './rules/registry';
export type { RuleId, RuleInfo, Severity } from './rules/registry';
export * from './model';
export { listRoutes } from './routes/listRoutes';
export type { RouteSummary } from './routes/listRoutes';
