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
  toDiagnostic,
  workspaceSymbols,
} from '../core';
import type { CompletionKind, RenameEdit, Workspace } from '../core';
import { DOCS_BASE_URL } from '../productInfo';
import { SHOW_LOCATIONS_COMMAND } from '../protocol';
import { runSafe } from './runSafe';
import type { ServerSettings } from './settings';


export interface FeatureContext {
  workspace(): Workspace;
  settings(): ServerSettings;
  /** Applies a pending (debounced) edit of this document now. */
  flush(uri: string): void;
  /** Applies every pending edit now. */
  flushAll(): void;
  ready: Promise<void>;
  log(message: string): void;
  /** Whether the client accepts annotated edits (VS Code shows a preview before applying them). */
  changeAnnotations(): boolean;
}

const COMPLETION_KINDS: Record<CompletionKind, CompletionItemKind> = {
  service: CompletionItemKind.Reference,
  port: CompletionItemKind.Value,
  label: CompletionItemKind.Value,
  workload: CompletionItemKind.Class,
  class: CompletionItemKind.EnumMember,
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
  const prepare = async (uri: string) => {
    await ctx.ready;
    ctx.flush(uri);
    return ctx.workspace();
  };

  connection.onHover(async ({ textDocument, position }) => {
    const ws = await prepare(textDocument.uri);
    return runSafe(ctx.log, () => {
      const hover = doHover(ws, textDocument.uri, position);
      return hover ? { contents: { kind: MarkupKind.Markdown, value: hover.markdown }, range: hover.range } : null;
    }, null);
  });

  connection.onDefinition(async ({ textDocument, position }) => {
    const ws = await prepare(textDocument.uri);
    return runSafe(ctx.log, () => findDefinition(ws, textDocument.uri, position), []);
  });

  connection.onReferences(async ({ textDocument, position, context }) => {
    const ws = await prepare(textDocument.uri);
    return runSafe(ctx.log, () => findReferences(ws, textDocument.uri, position, context.includeDeclaration), []);
  });

  connection.onPrepareRename(async ({ textDocument, position }) => {
    const ws = await prepare(textDocument.uri);
    const result = prepareRename(ws, textDocument.uri, position);
    if ('error' in result) throw new ResponseError(ErrorCodes.InvalidRequest, result.error);
    return result;
  });

  connection.onRenameRequest(async ({ textDocument, position, newName }) => {
    const ws = await prepare(textDocument.uri);
    const result = rename(ws, textDocument.uri, position, newName);
    if ('error' in result) throw new ResponseError(ErrorCodes.InvalidRequest, result.error);
    return toWorkspaceEdit(result.edits, ctx.changeAnnotations(), result.description);
  });

  connection.onCompletion(async ({ textDocument, position }) => {
    const ws = await prepare(textDocument.uri);
    return runSafe(ctx.log, () =>
      doComplete(ws, textDocument.uri, position).map((c): CompletionItem => ({ label: c.label, kind: COMPLETION_KINDS[c.kind], detail: c.detail, sortText: c.sortText })),
    [] as CompletionItem[]);
  });

  connection.onCodeLens(async ({ textDocument }) => {
    const ws = await prepare(textDocument.uri);
    return runSafe(ctx.log, () =>
      codeLenses(ws, textDocument.uri).map((lens): CodeLens => ({
        range: lens.range,
        command: { title: lens.title, command: lens.locations.length > 0 ? SHOW_LOCATIONS_COMMAND : '', arguments: [textDocument.uri, lens.range.start, lens.locations.map((l) => ({ uri: l.uri, range: l.range }))] },
      })),
    [] as CodeLens[]);
  });

  connection.onCodeAction(async ({ textDocument, range }) => {
    const ws = await prepare(textDocument.uri);
    return runSafe(ctx.log, () =>
      codeActions(ws, textDocument.uri, range).map((action): CodeAction => {
        const severity = action.fixes ? effectiveSeverity(action.fixes, ctx.settings().rules) : undefined;
        return {
          title: action.title,
          kind: action.kind === 'quickfix' ? CodeActionKind.QuickFix : CodeActionKind.RefactorRewrite,
          diagnostics: action.fixes && severity ? [toDiagnostic(action.fixes, severity, DOCS_BASE_URL)] : undefined,
          isPreferred: action.isPreferred,
          edit: toWorkspaceEdit(action.edits, ctx.changeAnnotations(), action.title),
        };
      }),
    [] as CodeAction[]);
  });

  connection.onDocumentSymbol(async ({ textDocument }) => {
    const ws = await prepare(textDocument.uri);
    return runSafe(ctx.log, () =>
      documentSymbols(ws, textDocument.uri).map((s): DocumentSymbol => ({
        name: s.name,
        detail: `${s.kind}${s.namespace ? ` · ${s.namespace}` : ''}`,
        kind: symbolKind(s.kind, WORKLOAD_KINDS.has(s.kind)),
        range: s.range,
        selectionRange: s.selectionRange,
      })),
    [] as DocumentSymbol[]);
  });

  connection.onWorkspaceSymbol(async ({ query }) => {
    await ctx.ready;
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
