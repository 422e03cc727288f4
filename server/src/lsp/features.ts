/**
 * LSP handlers of the editor features (hover, definition, references, rename, completion,
 * CodeLens, code actions, symbols): each converts between LSP and the engine's feature
 * functions, after applying pending edits of the document so that answers match the buffer.
 */
import {
  CodeActionKind,
  CompletionItemKind,
  MarkupKind,
  ResponseError,
  ErrorCodes,
  SymbolKind,
} from 'vscode-languageserver/node';
import type {
  CodeAction,
  CodeLens,
  CompletionItem,
  Connection,
  DocumentSymbol,
  SymbolInformation,
  TextEdit,
  WorkspaceEdit,
} from 'vscode-languageserver/node';
import {
  codeActions,
  codeLenses,
  doComplete,
  doHover,
  documentSymbols,
  effectiveSeverity,
  findDefinition,
  findReferences,
  prepareRename,
  rename,
  routeTestLenses,
  toDiagnostic,
  workspaceSymbols,
} from '../core';
import type { CompletionKind, RenameEdit } from '../core';
import { DOCS_BASE_URL } from '../productInfo';
import { SHOW_LOCATIONS_COMMAND, TRACE_REQUEST_COMMAND } from '../protocol';
import { routeTestTraceParams } from './graph';
import { documentOf, positionOf, rangeOf } from './params';
import type { TargetContext } from './params';
import { runSafe } from './runSafe';
import { convertAction, resolveConvertAction } from './migrate';
import { record } from './settings';
import type { ServerSettings } from './settings';

export interface FeatureContext extends TargetContext {
  settings(): ServerSettings;
  /** Applies every pending edit now. */
  flushAll(): void;
  log(message: string): void;
  /** Whether the client accepts annotated edits (VS Code shows a preview before applying them). */
  changeAnnotations(): boolean;
  /** Whether the client resolves a code action's edit lazily (codeAction/resolve). */
  codeActionResolve(): boolean;
}

const COMPLETION_KINDS: Record<CompletionKind, CompletionItemKind> = {
  service: CompletionItemKind.Reference,
  port: CompletionItemKind.Value,
  label: CompletionItemKind.Value,
  workload: CompletionItemKind.Class,
  class: CompletionItemKind.EnumMember,
  gateway: CompletionItemKind.Module,
  listener: CompletionItemKind.Field,
};

const SYMBOL_KINDS: Record<string, SymbolKind> = {
  Service: SymbolKind.Interface,
  Ingress: SymbolKind.Module,
  IngressClass: SymbolKind.Enum,
  HorizontalPodAutoscaler: SymbolKind.Event,
  Namespace: SymbolKind.Namespace,
  ConfigMap: SymbolKind.Object,
  Secret: SymbolKind.Key,
};

function symbolKind(kind: string, isWorkload: boolean): SymbolKind {
  return SYMBOL_KINDS[kind] ?? (isWorkload ? SymbolKind.Class : SymbolKind.Struct);
}

const WORKLOAD_KINDS = new Set(['Deployment', 'StatefulSet', 'DaemonSet', 'ReplicaSet', 'ReplicationController', 'Job', 'CronJob', 'Pod', 'DeploymentConfig']);

/** Groups edits by file; with annotations, VS Code previews cross-file edits before applying them. */
export function toWorkspaceEdit(edits: readonly RenameEdit[], annotate: boolean, label: string): WorkspaceEdit {
  const byUri = new Map<string, TextEdit[]>();
  for (const edit of edits) byUri.set(edit.uri, [...(byUri.get(edit.uri) ?? []), { range: edit.range, newText: edit.newText }]);
  const crossFile = byUri.size > 1;
  if (!annotate || !crossFile) return { changes: Object.fromEntries(byUri) };
  return {
    documentChanges: [...byUri].map(([uri, list]) => ({ textDocument: { uri, version: null }, edits: list.map((e) => ({ ...e, annotationId: 'kube-route-lens' })) })),
    changeAnnotations: { 'kube-route-lens': { label, needsConfirmation: true, description: 'Edits in several files' } },
  };
}

export function registerFeatures(connection: Connection, ctx: FeatureContext): void {
  // Every handler finds its document and position through `params.ts`: a request naming none the
  // server holds answers its empty result before the engine is asked anything.
  connection.onHover(async (params) => {
    const at = await positionOf(ctx, params);
    if (!at) return null;
    return runSafe(ctx.log, () => {
      const hover = doHover(at.ws, at.uri, at.position);
      return hover ? { contents: { kind: MarkupKind.Markdown, value: hover.markdown }, range: hover.range } : null;
    }, null);
  });

  connection.onDefinition(async (params) => {
    const at = await positionOf(ctx, params);
    if (!at) return [];
    return runSafe(ctx.log, () => findDefinition(at.ws, at.uri, at.position), []);
  });

  connection.onReferences(async (params) => {
    const at = await positionOf(ctx, params);
    if (!at) return [];
    const includeDeclaration = record(record(params).context).includeDeclaration === true;
    return runSafe(ctx.log, () => findReferences(at.ws, at.uri, at.position, includeDeclaration), []);
  });

  connection.onPrepareRename(async (params) => {
    const at = await positionOf(ctx, params);
    if (!at) return null;
    const result = await runSafe(ctx.log, () => prepareRename(at.ws, at.uri, at.position), null);
    if (result && 'error' in result) throw new ResponseError(ErrorCodes.InvalidRequest, result.error);
    return result;
  });

  connection.onRenameRequest(async (params) => {
    const at = await positionOf(ctx, params);
    const { newName } = record(params);
    if (!at || typeof newName !== 'string') return null;
    const result = await runSafe(ctx.log, () => rename(at.ws, at.uri, at.position, newName), null);
    if (result && 'error' in result) throw new ResponseError(ErrorCodes.InvalidRequest, result.error);
    return result && toWorkspaceEdit(result.edits, ctx.changeAnnotations(), result.description);
  });

  connection.onCompletion(async (params) => {
    const at = await positionOf(ctx, params);
    if (!at) return [];
    return runSafe(ctx.log, () =>
      doComplete(at.ws, at.uri, at.position).map((c): CompletionItem => ({ label: c.label, kind: COMPLETION_KINDS[c.kind], detail: c.detail, sortText: c.sortText })),
    [] as CompletionItem[]);
  });

  connection.onCodeLens(async (params) => {
    const document = await documentOf(ctx, params);
    if (!document) return [];
    const { ws, uri } = document;
    return runSafe(ctx.log, () => [
      ...codeLenses(ws, uri).map((lens): CodeLens => ({
        range: lens.range,
        command: { title: lens.title, command: lens.locations.length > 0 ? SHOW_LOCATIONS_COMMAND : '', arguments: [uri, lens.range.start, lens.locations.map((l) => ({ uri: l.uri, range: l.range }))] },
      })),
      // Route tests: what the request reaches now, and its route in the routing graph (VS Code; other clients get the titles).
      ...routeTestLenses(ws, uri).flatMap((lens): CodeLens[] => {
        const trace = routeTestTraceParams(uri, lens.result.test);
        return [
          { range: lens.range, command: { title: lens.title, command: TRACE_REQUEST_COMMAND, arguments: [trace] } },
          { range: lens.range, command: { title: 'Show route', command: TRACE_REQUEST_COMMAND, arguments: [trace] } },
        ];
      }),
    ], [] as CodeLens[]);
  });

  connection.onCodeAction(async (params) => {
    const at = await rangeOf(ctx, params);
    if (!at) return [];
    return runSafe(ctx.log, () =>
      [...codeActions(at.ws, at.uri, at.range).map((action): CodeAction => {
        const severity = action.fixes ? effectiveSeverity(action.fixes, ctx.settings().rules) : undefined;
        return {
          title: action.title,
          kind: action.kind === 'quickfix' ? CodeActionKind.QuickFix : CodeActionKind.RefactorRewrite,
          diagnostics: action.fixes && severity ? [toDiagnostic(action.fixes, severity, DOCS_BASE_URL)] : undefined,
          isPreferred: action.isPreferred,
          edit: toWorkspaceEdit(action.edits, ctx.changeAnnotations(), action.title),
        };
      }), ...(ctx.changeAnnotations() ? [convertAction(at.ws, at.uri, at.range.start.line, ctx.codeActionResolve())].filter((a): a is CodeAction => a !== undefined) : [])],
    [] as CodeAction[]);
  });

  connection.onCodeActionResolve(async (action) => {
    await ctx.ready;
    ctx.flushAll();
    return runSafe(ctx.log, () => resolveConvertAction(ctx.workspace(), action), action);
  });

  connection.onDocumentSymbol(async (params) => {
    const document = await documentOf(ctx, params);
    if (!document) return [];
    return runSafe(ctx.log, () =>
      documentSymbols(document.ws, document.uri).map((s): DocumentSymbol => ({
        name: s.name,
        detail: `${s.kind}${s.namespace ? ` · ${s.namespace}` : ''}`,
        kind: symbolKind(s.kind, WORKLOAD_KINDS.has(s.kind)),
        range: s.range,
        selectionRange: s.selectionRange,
      })),
    [] as DocumentSymbol[]);
  });

  connection.onWorkspaceSymbol(async (params) => {
    await ctx.ready;
    const { query } = record(params);
    if (typeof query !== 'string') return [];
    return runSafe(ctx.log, () =>
      workspaceSymbols(ctx.workspace(), query).map((s): SymbolInformation => ({
        name: s.name,
        kind: symbolKind(s.kind, WORKLOAD_KINDS.has(s.kind)),
        containerName: `${s.kind}${s.namespace ? ` · ${s.namespace}` : ''}`,
        location: { uri: s.uri, range: s.selectionRange },
      })),
    [] as SymbolInformation[]);
  });
}
