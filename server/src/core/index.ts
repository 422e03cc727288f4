/**
 * Kube Route Lens engine: the public surface used by the language server, the CLI and the tests.
 * Pure: no IO, no LSP connection, no `vscode`.
 */
export { Workspace, compareFindings } from './workspace/workspace';
export type { FileChange, UpdateResult } from './workspace/workspace';
export { summarizeFile } from './parse/summarizeFile';
export { WORKSPACE_CONFIG_NAMES, isWorkspaceConfigUri } from './parse/workspaceConfig';
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
export { doHover } from './features/hover';
export type { HoverResult } from './features/hover';
export { siteAt } from './features/sites';
export type { Site } from './features/sites';
export { findDefinition, findReferences } from './features/navigation';
export { prepareRename, rename } from './features/rename';
export type { PrepareRenameResult, RenameEdit, RenameResult } from './features/rename';
export { doComplete } from './features/completion';
export type { CompletionCandidate, CompletionKind } from './features/completion';
export { codeLenses } from './features/codeLens';
export type { Lens } from './features/codeLens';
export { codeActions } from './features/codeActions';
export type { CodeActionResult } from './features/codeActions';
export { documentSymbols, workspaceSymbols } from './features/symbols';
export type { ResourceSymbol } from './features/symbols';
export { buildRouteGraph, DEFAULT_NODE_BUDGET } from './graph/buildGraph';
export type { GraphEdge, GraphEdgeKind, GraphNode, GraphNodeKind, GraphScope, RouteGraph } from './graph/model';
export { escapeLabel, toMermaid } from './graph/mermaid';
export type { MermaidResult } from './graph/mermaid';
export { nodeId } from './graph/ids';
export { rangeContains, sameRange } from './text/ranges';
export { traceGatewayChoices, traceRequest } from './trace/traceRequest';
export type { GatewayChoice } from './trace/traceRequest';
export { parseTraceInput, parseTraceUrl } from './trace/parseUrl';
export type { ParsedTraceInput, ParsedTraceUrl, TraceInput, TraceUrl } from './trace/parseUrl';
export type { TraceBackend, TraceOptions, TraceResult, TraceRoute, TraceRouteMatch, TraceStep, TraceStepKind, TraceWorkload } from './trace/types';
export { migrateIngresses } from './migrate/ingressToGateway';
export type { MigrateOptions, MigratedObject, MigrationNote, MigrationResult, MigrationSample, NoteKind, SampleVariant } from './migrate/ingressToGateway';
export { MIGRATED_URI, formatMigrationReport, migrateAndProve, migrationReportJson, proveMigration, routeTestFile } from './migrate/prove';
export type { MigrationProof, MigrationReport, SampleVerdict } from './migrate/prove';
