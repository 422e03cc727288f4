/**
 * The language server: an adapter between LSP and the engine. It keeps open buffers
 * authoritative, reads closed files from disk, and publishes diagnostics for every file an edit
 * affects (push for clients without pull support, pull with workspace reports otherwise).
 */
import {
  CodeActionKind,
  CodeLensRefreshRequest,
  DidChangeConfigurationNotification,
  DidChangeWatchedFilesNotification,
  DocumentDiagnosticReportKind,
  FileChangeType,
  TextDocumentSyncKind,
  TextDocuments,
} from 'vscode-languageserver/node';
import type {
  CancellationToken,
  Connection,
  DocumentDiagnosticReport,
  InitializeParams,
  InitializeResult,
  WorkspaceDiagnosticReport,
  WorkspaceFolder,
} from 'vscode-languageserver/node';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { Workspace, toDiagnostics } from '../core';
import type { FileChange } from '../core';
import { DOCS_BASE_URL, PRODUCT_VERSION } from '../productInfo';
import { SERVER_INFO_REQUEST, STATUS_NOTIFICATION } from '../protocol';
import type { ServerInfo, ServerStatus } from '../protocol';
import { DiagnosticsStore } from './diagnosticsStore';
import { registerFeatures } from './features';
import { registerMigrateRequest } from './migrate';
import { registerGraphRequest, registerRunRouteTestsRequest, registerTraceGatewaysRequest, registerTraceRequest } from './graph';
import { runSafe } from './runSafe';
import { DEFAULT_SERVER_SETTINGS, readSettings, record } from './settings';
import type { ServerSettings } from './settings';
import { WorkspaceFiles } from './workspaceFiles';
import type { ServerIO } from './workspaceFiles';

/** How long typing must pause before a document is re-analysed. */
const DEBOUNCE_MS = 150;
/** Files read from disk are fed to the engine in batches, yielding to requests in between. */
const INDEX_BATCH = 250;
/** Resources analysed between two looks at the message queue while indexing. */
const ANALYSIS_SLICE = 1000;

interface ClientSupport {
  pull: boolean;
  refresh: boolean;
  configuration: boolean;
  watchedFilesRegistration: boolean;
  progress: boolean;
  workspaceFolders: boolean;
  changeAnnotations: boolean;
  codeLensRefresh: boolean;
  codeActionResolve: boolean;
}

export function startServer(connection: Connection, io: ServerIO): void {
  const documents = new TextDocuments(TextDocument);
  const store = new DiagnosticsStore();
  const pending = new Map<string, NodeJS.Timeout>();
  let settings: ServerSettings = DEFAULT_SERVER_SETTINGS;
  let workspace = new Workspace(settings.engine);
  let files = new WorkspaceFiles([], settings, io);
  let support: ClientSupport = { pull: false, refresh: false, configuration: false, watchedFilesRegistration: false, progress: false, workspaceFolders: false, changeAnnotations: false, codeLensRefresh: false, codeActionResolve: false };
  let initializationOptions: unknown;
  let markReady: () => void = () => undefined;
  /** Resolves once, after the first index; requests wait for it rather than answer half-known. */
  const ready = new Promise<void>((resolve) => (markReady = resolve));
  /** Indexing and reconfiguration run one at a time, in order. */
  let queue = Promise.resolve();
  const serial = (task: () => Promise<void>) => {
    queue = queue.then(() => runSafe(log, task));
    return queue;
  };

  const log = (message: string) => connection.console.log(`[kube-route-lens] ${message}`);

  function publish(uris: readonly string[]): void {
    let changed = false;
    for (const uri of uris) {
      // A file that could not be read or checked has one information diagnostic saying why (README, "Bad input").
      const diagnostics = settings.enable ? [...files.skippedDiagnostics(uri, workspace.summary(uri)), ...toDiagnostics(workspace.findings(uri), settings.rules, DOCS_BASE_URL)] : [];
      if (!store.set(uri, diagnostics)) continue;
      changed = true;
      if (!support.pull) void connection.sendDiagnostics({ uri, version: documents.get(uri)?.version, diagnostics });
    }
    if (changed && support.pull && support.refresh) connection.languages.diagnostics.refresh();
  }

  let indexing: { files: number; totalFiles: number } | undefined;
  let indexed = false;
  /** Counts re-analyses; the status carries it so that views can refresh after every one. */
  let generation = 0;
  const changedDuringIndex = new Set<string>();
  let lastStatus = '';

  /** Tells the client what the server is doing (the status bar shows it); only when it changed. */
  function sendStatus(): void {
    const status: ServerStatus = indexing
      ? { state: 'indexing', files: indexing.files, totalFiles: indexing.totalFiles, resources: workspace.resourceCount(), errors: store.errors, warnings: store.warnings, generation }
      : { state: 'ready', files: workspace.fileCount(), resources: workspace.resourceCount(), errors: store.errors, warnings: store.warnings, generation };
    const serialized = JSON.stringify(status);
    if (serialized === lastStatus) return;
    lastStatus = serialized;
    void connection.sendNotification(STATUS_NOTIFICATION, status);
  }

  function apply(changes: readonly FileChange[]): void {
    if (changes.length === 0) return;
    const result = workspace.update(changes);
    generation++;
    // Before the first index is in, diagnostics would be half-known: the swap publishes them.
    if (indexed) publish([...result.affectedUris, ...files.takeSkippedChanges()]);
    // A route test's CodeLens says what its request reaches: an edit of any manifest may change it.
    if (indexed && support.codeLensRefresh && result.affectedUris.some((uri) => workspace.summary(uri)?.routeTests !== undefined)) {
      void connection.sendRequest(CodeLensRefreshRequest.type).catch(() => undefined);
    }
    if (!indexing) sendStatus();
  }

  function flush(uri: string): void {
    const timer = pending.get(uri);
    if (timer === undefined) return;
    clearTimeout(timer);
    pending.delete(uri);
    const document = documents.get(uri);
    if (document) apply([{ uri, text: document.getText() }]);
  }

  /** Applies every pending (debounced) edit now: workspace-wide answers need all of them. */
  function flushAll(): void {
    for (const uri of [...pending.keys()]) flush(uri);
  }

  function schedule(uri: string): void {
    clearTimeout(pending.get(uri));
    pending.set(uri, setTimeout(() => runSafe(log, () => flush(uri)), DEBOUNCE_MS));
  }

  /**
   * Reads the workspace from disk into a fresh engine, then swaps it in and publishes. Nothing
   * is published while it fills, so clients never see the half-known diagnostics of a partial
   * index; edits meanwhile go to the current engine and are replayed after the swap.
   */
  async function indexWorkspace(): Promise<void> {
    const started = Date.now();
    const next = new Workspace(settings.engine);
    const progress = support.progress ? await connection.window.createWorkDoneProgress() : undefined;
    progress?.begin('Kube Route Lens', 0, 'Indexing Kubernetes manifests…', false);
    const paths = await files.listAll();
    indexing = { files: 0, totalFiles: paths.length };
    sendStatus();
    for (let i = 0; i < paths.length; i += INDEX_BATCH) {
      const batch = paths.slice(i, i + INDEX_BATCH);
      next.load(await files.readChanges(batch, (uri) => documents.get(uri) !== undefined));
      indexing = { files: i + batch.length, totalFiles: paths.length };
      sendStatus();
      progress?.report(Math.round(((i + batch.length) / paths.length) * 100), `${i + batch.length}/${paths.length} files`);
      await new Promise((resolve) => setImmediate(resolve));
    }
    // One analysis of everything, in slices so that requests are still answered meanwhile.
    while (next.analyzeLoaded(ANALYSIS_SLICE) > 0) await new Promise((resolve) => setImmediate(resolve));
    const previousUris = [...store.uris()];
    workspace = next;
    workspace.update(documents.all().map((d) => ({ uri: d.uri, text: d.getText() })));
    // Files that changed on disk while they were being read: read them again.
    const changed = [...changedDuringIndex].filter((uri) => !documents.get(uri));
    changedDuringIndex.clear();
    workspace.update(await Promise.all(changed.map((uri) => files.diskState(uri))));
    indexing = undefined;
    generation++;
    progress?.done();
    publish([...new Set([...previousUris, ...workspace.uris(), ...files.skippedUris()])]);
    log(`indexed ${paths.length} YAML files (${workspace.resourceCount()} Kubernetes objects) in ${Date.now() - started} ms`);
    const notRead = files.skippedSummary();
    if (notRead) log(notRead);
    sendStatus();
  }

  async function loadSettings(): Promise<ServerSettings> {
    // Clients without workspace/configuration pass the `kubeRouteLens` settings object as
    // initializationOptions (and later in didChangeConfiguration).
    if (!support.configuration) return readSettings(initializationOptions);
    const [section, filesExclude] = await connection.workspace.getConfiguration([{ section: 'kubeRouteLens' }, { section: 'files.exclude' }]);
    return readSettings(section, filesExclude);
  }

  /** Re-reads settings; re-indexes when the file set or the engine's conclusions can change. */
  async function reconfigure(pushed?: unknown): Promise<void> {
    const next = pushed !== undefined && !support.configuration ? readSettings(record(pushed).kubeRouteLens) : await loadSettings();
    const previous = settings;
    if (JSON.stringify(previous) === JSON.stringify(next)) return;
    settings = next;
    const result = workspace.configure(next.engine);
    if (JSON.stringify([previous.include, previous.exclude]) !== JSON.stringify([next.include, next.exclude])) {
      await reindex();
      return;
    }
    publish([...new Set([...store.uris(), ...workspace.uris(), ...result.affectedUris])]);
    sendStatus();
  }

  /** Starts over from disk and open buffers (the file set changed: excludes, folders). */
  async function reindex(): Promise<void> {
    files = new WorkspaceFiles(files.folders, settings, io);
    await indexWorkspace();
  }

  async function changeFolders(added: readonly WorkspaceFolder[], removed: readonly WorkspaceFolder[]): Promise<void> {
    files = files.withFolders(added.map((f) => f.uri), removed.map((f) => f.uri));
    await reindex();
  }

  connection.onInitialize((params: InitializeParams): InitializeResult => {
    const caps = params.capabilities;
    support = {
      pull: caps.textDocument?.diagnostic !== undefined,
      refresh: caps.workspace?.diagnostics?.refreshSupport === true,
      configuration: caps.workspace?.configuration === true,
      watchedFilesRegistration: caps.workspace?.didChangeWatchedFiles?.dynamicRegistration === true,
      progress: caps.window?.workDoneProgress === true,
      workspaceFolders: caps.workspace?.workspaceFolders === true,
      changeAnnotations: caps.workspace?.workspaceEdit?.changeAnnotationSupport !== undefined && caps.workspace?.workspaceEdit?.documentChanges === true,
      codeLensRefresh: caps.workspace?.codeLens?.refreshSupport === true,
      codeActionResolve: caps.textDocument?.codeAction?.resolveSupport?.properties.includes('edit') === true,
    };
    initializationOptions = params.initializationOptions;
    files = new WorkspaceFiles(workspaceFolderUris(params), settings, io);
    return {
      capabilities: {
        textDocumentSync: { openClose: true, change: TextDocumentSyncKind.Incremental },
        hoverProvider: true,
        definitionProvider: true,
        referencesProvider: true,
        renameProvider: { prepareProvider: true },
        completionProvider: { triggerCharacters: [' '] },
        codeLensProvider: { resolveProvider: false },
        codeActionProvider: { codeActionKinds: [CodeActionKind.QuickFix, CodeActionKind.RefactorRewrite], resolveProvider: true },
        documentSymbolProvider: true,
        workspaceSymbolProvider: true,
        diagnosticProvider: support.pull ? { identifier: 'kube-route-lens', interFileDependencies: true, workspaceDiagnostics: true } : undefined,
        workspace: support.workspaceFolders ? { workspaceFolders: { supported: true, changeNotifications: true } } : undefined,
      },
      serverInfo: { name: 'kube-route-lens', version: PRODUCT_VERSION },
    };
  });

  connection.onInitialized(() => {
    void runSafe(log, async () => {
      if (support.watchedFilesRegistration) {
        await connection.client.register(DidChangeWatchedFilesNotification.type, { watchers: [{ globPattern: '**/*.{yaml,yml}' }] });
      }
      if (support.configuration) await connection.client.register(DidChangeConfigurationNotification.type, { section: ['kubeRouteLens', 'files.exclude'] });
      // Only a client that announced workspace folders may be asked for their changes.
      if (support.workspaceFolders) connection.workspace.onDidChangeWorkspaceFolders((event) => void serial(() => changeFolders(event.added, event.removed)));
    });
    void serial(async () => {
      settings = await loadSettings();
      workspace = new Workspace(settings.engine);
      files = new WorkspaceFiles(files.folders, settings, io);
      await indexWorkspace();
    }).finally(() => {
      indexed = true;
      markReady();
    });
  });

  connection.onDidChangeConfiguration((params) => void serial(() => reconfigure(params.settings)));

  documents.onDidOpen((event) => runSafe(log, () => apply([{ uri: event.document.uri, text: event.document.getText() }])));
  documents.onDidChangeContent((event) => schedule(event.document.uri));
  documents.onDidClose((event) => {
    void runSafe(log, async () => {
      clearTimeout(pending.get(event.document.uri));
      pending.delete(event.document.uri);
      // The file on disk becomes authoritative again (or the file leaves the workspace).
      apply([await files.diskState(event.document.uri)]);
    });
  });

  connection.onDidChangeWatchedFiles((params) => {
    void runSafe(log, async () => {
      const changes: FileChange[] = [];
      for (const change of params.changes) {
        if (indexing) changedDuringIndex.add(change.uri);
        if (documents.get(change.uri) || !files.includes(change.uri)) continue;
        changes.push(change.type === FileChangeType.Deleted ? files.deleted(change.uri) : await files.diskState(change.uri));
      }
      apply(changes);
    });
  });

  const featureContext = {
    workspace: () => workspace,
    settings: () => settings,
    flush,
    flushAll,
    ready,
    log,
    changeAnnotations: () => support.changeAnnotations,
    codeActionResolve: () => support.codeActionResolve,
  };
  registerFeatures(connection, featureContext);
  registerGraphRequest(connection, featureContext);
  registerTraceRequest(connection, featureContext);
  registerTraceGatewaysRequest(connection, featureContext);
  registerRunRouteTestsRequest(connection, featureContext);
  registerMigrateRequest(connection, featureContext);

  connection.onRequest(SERVER_INFO_REQUEST, (): ServerInfo => ({ version: PRODUCT_VERSION, pid: process.pid }));

  connection.languages.diagnostics.on(async (params, token): Promise<DocumentDiagnosticReport> => {
    await ready;
    return runSafe<DocumentDiagnosticReport>(log, () => {
      flush(params.textDocument.uri);
      const current = store.get(params.textDocument.uri);
      if (!token.isCancellationRequested && params.previousResultId === current.resultId) {
        return { kind: DocumentDiagnosticReportKind.Unchanged, resultId: current.resultId };
      }
      return { kind: DocumentDiagnosticReportKind.Full, resultId: current.resultId, items: current.diagnostics };
    }, { kind: DocumentDiagnosticReportKind.Full, items: [] });
  });

  connection.languages.diagnostics.onWorkspace(async (params, token) => workspaceReport(params.previousResultIds, token));

  /** Answers as soon as some file's diagnostics differ from what the client has (a long poll). */
  async function workspaceReport(previousResultIds: readonly { uri: string; value: string }[], token: CancellationToken): Promise<WorkspaceDiagnosticReport> {
    await ready;
    const previous = new Map(previousResultIds.map((p) => [p.uri, p.value]));
    let items = store.changedSince(previous);
    while (items.length === 0 && !token.isCancellationRequested && !shuttingDown) {
      await store.nextChange((listener) => token.onCancellationRequested(listener));
      items = store.changedSince(previous);
    }
    return {
      items: items.map((item) => ({
        kind: DocumentDiagnosticReportKind.Full,
        uri: item.uri,
        version: documents.get(item.uri)?.version ?? null,
        resultId: item.resultId,
        items: item.diagnostics,
      })),
    };
  }

  let shuttingDown = false;
  connection.onShutdown(() => {
    shuttingDown = true;
    for (const timer of pending.values()) clearTimeout(timer);
    store.dispose();
  });

  documents.listen(connection);
}

function workspaceFolderUris(params: InitializeParams): string[] {
  if (params.workspaceFolders && params.workspaceFolders.length > 0) return params.workspaceFolders.map((f) => f.uri);
  if (params.rootUri) return [params.rootUri];
  return [];
}
