/**
 * The routing graph panel: one webview panel, reused, that shows the server's route graph for a
 * scope and redraws it while the user types. The webview (`webview/src/main.ts`) only draws;
 * this side asks the server (`kubeRouteLens/routeGraph`, `kubeRouteLens/trace`,
 * `kubeRouteLens/traceGateways` for the Gateway picker), checks every
 * message the webview sends (`parseWebviewMessage`), and does what needs VS Code: opening files,
 * the clipboard, the save dialog.
 */
import { randomBytes } from 'node:crypto';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { ROUTE_GRAPH_REQUEST, TRACE_GATEWAYS_REQUEST, TRACE_REQUEST, parseTraceInput, parseTraceUrl } from '../../server/src/protocol';
import type { ParsedTraceInput } from '../../server/src/protocol';
import type { GraphScopeParam, RouteGraph, RouteGraphParams, RouteGraphResult, ServerStatus, TraceGatewaysParams, TraceGatewaysResult, TraceParams, TraceResult } from '../../server/src/protocol';
import type { FromWebview, GraphMessage, Grouping, ScopeChoice, ToWebview } from '../../webview/src/protocol';
import { parseTraceAnswer, parseWebviewMessage, renderGraphHtml, toGraphMessage, traceHighlight, traceReport } from './graphHtml';

export const GRAPH_VIEW_TYPE = 'kubeRouteLens.routingGraph';
/** Quiet time after the last keystroke (or status) before the graph is requested again. */
const REFRESH_DELAY_MS = 150;
const TRACE_PLACEHOLDER = 'http://www.test.pri:31085/abc/index.html';

export interface GraphRenderEvent {
  readonly version: number;
  readonly nodeCount: number;
  readonly durationMs: number;
}

/**
 * What the extension API exposes of the panel, for tests (a click inside the webview cannot be
 * made from the extension host, so `reveal` stands in for it).
 */
export interface GraphPanelApi {
  /** Fires each time the webview reports a graph on screen (first draw and every live re-render). */
  readonly onDidRender: vscode.Event<GraphRenderEvent>;
  /** The graph of the last render, as the server sent it. */
  lastGraph(): RouteGraph | undefined;
  /** Opens a node's definition, as a click on it does; false if the node is not in the graph shown. */
  reveal(nodeId: string): Promise<boolean>;
}

export interface GraphPanelDependencies {
  readonly extensionUri: vscode.Uri;
  /** `languageClient.sendRequest`. */
  readonly request: <R>(method: string, params: unknown) => Promise<R>;
  readonly output: vscode.OutputChannel;
  /** The server's status notifications (sent after every re-analysis that changes the counts). */
  readonly onDidChangeStatus: vscode.Event<ServerStatus>;
}

function isYaml(document: vscode.TextDocument): boolean {
  return document.languageId === 'yaml' && (document.uri.scheme === 'file' || document.uri.scheme === 'untitled');
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

export class GraphPanelController implements vscode.Disposable {
  private panel: vscode.WebviewPanel | undefined;
  private panelDisposables: vscode.Disposable[] = [];
  private readonly disposables: vscode.Disposable[] = [];
  private readonly renderEmitter = new vscode.EventEmitter<GraphRenderEvent>();

  private scope: ScopeChoice = { kind: 'workspace' };
  /** Mermaid subgraphs: by namespace unless the user picks another in the panel. */
  private group: Grouping = 'namespace';
  /** The YAML file `file` and `cursor` scopes refer to: the last active YAML editor's. */
  private fileUri: vscode.Uri | undefined;
  private cursor: vscode.Position | undefined;
  private editorColumn: vscode.ViewColumn | undefined;
  private trace: TraceResult | undefined;
  private lastTraceInput: string | undefined;
  /** What the shown trace asked, to ask it again after an edit. */
  private traceParams: TraceParams | undefined;

  private version = 0;
  private requestSeq = 0;
  private refreshTimer: ReturnType<typeof setTimeout> | undefined;
  private lastMessage: GraphMessage | undefined;
  private lastMessageKey: string | undefined;
  /** Graphs sent but not yet reported drawn, by version (a few at most). */
  private readonly sent = new Map<number, RouteGraph>();
  private rendered: RouteGraph | undefined;

  readonly api: GraphPanelApi = {
    onDidRender: this.renderEmitter.event,
    lastGraph: () => this.rendered,
    reveal: (nodeId) => this.reveal(nodeId),
  };

  constructor(private readonly deps: GraphPanelDependencies) {
    this.trackEditor(vscode.window.activeTextEditor);
    this.disposables.push(
      this.renderEmitter,
      vscode.workspace.onDidChangeTextDocument((event) => {
        if (this.panel && isYaml(event.document) && event.contentChanges.length > 0) this.scheduleRefresh();
      }),
      deps.onDidChangeStatus((status) => {
        if (this.panel && status.state === 'ready') this.scheduleRefresh();
      }),
      vscode.window.onDidChangeActiveTextEditor((editor) => {
        const before = this.fileUri?.toString();
        this.trackEditor(editor);
        if (this.panel && (this.scope.kind === 'file' || this.scope.kind === 'cursor') && this.fileUri?.toString() !== before) this.scheduleRefresh();
      }),
      vscode.window.onDidChangeTextEditorSelection((event) => {
        if (!isYaml(event.textEditor.document)) return;
        this.trackEditor(event.textEditor);
        if (this.panel && this.scope.kind === 'cursor') this.scheduleRefresh();
      }),
    );
  }

  /** Opens the panel (scope: the active YAML file, else the workspace) or brings it to the front. */
  show(): void {
    if (this.panel) {
      this.panel.reveal(this.panel.viewColumn, true);
      return;
    }
    const editor = vscode.window.activeTextEditor;
    this.trackEditor(editor);
    this.scope = editor && isYaml(editor.document) ? { kind: 'file' } : { kind: 'workspace' };
    this.createPanel();
  }

  /**
   * Asks for a URL (unless given), traces it, lists the steps and highlights its route. The box
   * (and a string argument) takes curl-style `-H 'Name: value'` and `-X METHOD`, or a pasted curl
   * command; other extensions and keybindings may pass `{ url, headers, method, gateway }`. The file in the
   * active editor is sent as `from`: where independent examples serve the host, its own wins.
   * After the box, when several Gateway API Gateways accept the URL's port and host (or one does
   * and an Ingress has a rule for the host too), a picker asks which one to follow.
   */
  async traceRequest(argument?: unknown): Promise<TraceResult | undefined> {
    const given = traceArgument(argument);
    const text =
      given !== undefined
        ? given
        : await vscode.window.showInputBox({
            title: 'Kube Route Lens: Trace Request',
            prompt: "A URL (or host/path) to follow through the Ingresses, Services and pods of this workspace; add -H 'Name: value' for headers, or paste a curl command",
            placeHolder: TRACE_PLACEHOLDER,
            value: this.lastTraceInput,
            ignoreFocusOut: true,
            // The server's own reading of the input, so that what passes here is what it traces.
            validateInput: (value) => (typeof value === 'string' ? parseTraceInput(value).error : undefined),
          });
    if (text === undefined) return undefined;
    const parsed = typeof text === 'string' ? parseTraceInput(text) : checkedObject(text);
    if (parsed.error !== undefined) {
      void vscode.window.showErrorMessage(`Kube Route Lens: ${parsed.error.slice(0, 300)}`);
      return undefined;
    }
    const { url, headers, method } = parsed.input;
    const gateway = typeof text === 'string' ? undefined : checkedGateway(text.gateway);
    if (gateway === null) {
      void vscode.window.showErrorMessage('Kube Route Lens: the gateway of a trace must be NAMESPACE/NAME');
      return undefined;
    }
    if (typeof text === 'string') this.lastTraceInput = text.trim();
    // Only when the user typed the URL: a command called with an argument never waits on a picker.
    const picked = given === undefined && gateway === undefined ? await this.pickGateway(url, headers) : gateway;
    if (picked === null) return undefined;
    const active = vscode.window.activeTextEditor?.document;
    // A route test's trace names its test file (`from`), which decides between independent examples as the test run did.
    const fromArgument = typeof text === 'string' || typeof text.from !== 'string' ? undefined : text.from;
    const from = fromArgument ?? (active && active.languageId === 'yaml' ? active.uri.toString() : this.fileUri?.toString());
    const params: TraceParams = { url, headers, ...(method ? { method } : {}), ...(from ? { from } : {}), ...(picked ? { gateway: picked } : {}) };
    let trace: TraceResult | undefined;
    try {
      trace = parseTraceAnswer(await this.deps.request<unknown>(TRACE_REQUEST, params));
    } catch (error) {
      this.deps.output.appendLine(`Trace of ${url} failed: ${messageOf(error)}`);
      void vscode.window.showErrorMessage(`Kube Route Lens: could not trace ${url}: ${messageOf(error)}`);
      return undefined;
    }
    if (!trace) {
      void vscode.window.showErrorMessage(`Kube Route Lens: the language server returned no trace for ${url} (see the output).`);
      return undefined;
    }
    this.traceParams = params;
    for (const line of traceReport(trace)) this.deps.output.appendLine(line);
    this.trace = trace;
    // The route crosses files and namespaces: show all of it.
    this.scope = { kind: 'workspace' };
    if (this.panel) {
      this.panel.reveal(this.panel.viewColumn, true);
      void this.refresh();
    } else {
      this.trackEditor(vscode.window.activeTextEditor);
      this.createPanel();
    }
    return trace;
  }

  /**
   * The Gateway picker: asks the server which Gateways accept the URL; when that does not single
   * one out (several accept it, or one does and an Ingress has a rule for the host), offers them.
   * Undefined: trace without a Gateway (nothing to pick, or "Let the server decide"); null: the
   * user cancelled.
   */
  private async pickGateway(url: string, headers: Readonly<Record<string, string>>): Promise<string | undefined | null> {
    let choices: TraceGatewaysResult | null;
    try {
      choices = await this.deps.request<TraceGatewaysResult | null>(TRACE_GATEWAYS_REQUEST, { url, headers } satisfies TraceGatewaysParams);
    } catch (error) {
      this.deps.output.appendLine(`Gateways for ${url}: ${messageOf(error)}`);
      return undefined;
    }
    const accepting = (choices?.gateways ?? []).filter((g) => g.accepts);
    if (accepting.length === 0 || (accepting.length === 1 && !choices?.ingressServesHost)) return undefined;
    type Item = vscode.QuickPickItem & { gateway?: string };
    const items: Item[] = accepting.map((g) => ({ label: `${g.namespace}/${g.name}`, description: 'Gateway', detail: g.listeners.join(' · '), gateway: `${g.namespace}/${g.name}` }));
    items.push({ label: choices?.ingressServesHost ? 'The Ingresses' : 'Let the server decide', description: choices?.ingressServesHost ? 'follow the Ingress rules for this host' : 'trace without naming a Gateway' });
    const pick = await vscode.window.showQuickPick(items, {
      title: 'Kube Route Lens: Trace Request through which Gateway?',
      placeHolder: `${accepting.length === 1 ? 'A Gateway' : `${accepting.length} Gateways`} accept${accepting.length === 1 ? 's' : ''} this URL's port and host`,
      ignoreFocusOut: true,
    });
    if (pick === undefined) return null;
    return pick.gateway;
  }

  dispose(): void {
    this.panel?.dispose();
    for (const disposable of this.disposables) disposable.dispose();
  }

  private createPanel(): void {
    const root = vscode.Uri.joinPath(this.deps.extensionUri, 'webview', 'dist');
    const panel = vscode.window.createWebviewPanel(GRAPH_VIEW_TYPE, 'Routing Graph', { viewColumn: vscode.ViewColumn.Beside, preserveFocus: true }, { enableScripts: true, localResourceRoots: [root], retainContextWhenHidden: false });
    panel.iconPath = vscode.Uri.joinPath(this.deps.extensionUri, 'client', 'media', 'icon.png');
    panel.webview.html = renderGraphHtml({
      cspSource: panel.webview.cspSource,
      nonce: randomBytes(16).toString('base64'),
      scriptUri: panel.webview.asWebviewUri(vscode.Uri.joinPath(root, 'graph.js')).toString(),
      styleUri: panel.webview.asWebviewUri(vscode.Uri.joinPath(root, 'graph.css')).toString(),
    });
    this.panel = panel;
    this.panelDisposables = [
      panel.webview.onDidReceiveMessage((raw: unknown) => {
        const message = parseWebviewMessage(raw);
        if (message) void this.handle(message);
        else this.deps.output.appendLine('Routing graph: ignored an invalid message from the webview.');
      }),
      panel.onDidDispose(() => this.onPanelDisposed()),
    ];
  }

  private onPanelDisposed(): void {
    for (const disposable of this.panelDisposables) disposable.dispose();
    this.panelDisposables = [];
    this.panel = undefined;
    clearTimeout(this.refreshTimer);
    this.requestSeq++;
    this.lastMessage = undefined;
    this.lastMessageKey = undefined;
    this.rendered = undefined;
    this.sent.clear();
    this.trace = undefined;
  }

  private trackEditor(editor: vscode.TextEditor | undefined): void {
    if (!editor || !isYaml(editor.document)) return;
    this.fileUri = editor.document.uri;
    this.cursor = editor.selection.active;
    this.editorColumn = editor.viewColumn;
  }

  private async handle(message: FromWebview): Promise<void> {
    switch (message.type) {
      case 'ready':
        // The webview (re)loaded, e.g. after the panel was hidden: draw what it had, then catch up.
        if (this.lastMessage) this.post(this.lastMessage);
        await this.refresh();
        return;
      case 'reveal':
        await this.reveal(message.nodeId);
        return;
      case 'setScope':
        this.setScope(message.scope);
        return;
      case 'setGroup':
        this.group = message.group;
        void this.refresh();
        return;
      case 'copyMermaid':
        if (!this.lastMessage) return;
        await vscode.env.clipboard.writeText(this.lastMessage.mermaid);
        vscode.window.setStatusBarMessage('Kube Route Lens: Mermaid source of the routing graph copied', 4000);
        return;
      case 'exportSvg':
        await this.exportSvg(message.svg);
        return;
      case 'trace':
        await vscode.commands.executeCommand('kubeRouteLens.traceRequest');
        return;
      case 'clearTrace':
        this.trace = undefined;
        await this.refresh();
        return;
      case 'rendered':
        this.onRendered(message.version, message.nodeCount, message.durationMs);
        return;
      case 'renderFailed':
        this.deps.output.appendLine(`Routing graph: Mermaid could not draw graph ${message.version}: ${message.message}`);
        return;
    }
  }

  private onRendered(version: number, nodeCount: number, durationMs: number): void {
    const graph = this.sent.get(version);
    if (!graph) return;
    for (const old of this.sent.keys()) if (old < version) this.sent.delete(old);
    this.rendered = graph;
    this.renderEmitter.fire({ version, nodeCount, durationMs });
  }

  private setScope(scope: ScopeChoice): void {
    // Only names the server offered: the webview is not trusted to invent scopes.
    if (scope.kind === 'namespace' && !this.lastMessage?.namespaces.includes(scope.namespace)) return;
    if (scope.kind === 'host' && !this.lastMessage?.hosts.includes(scope.host)) return;
    this.scope = scope;
    void this.refresh();
  }

  private scheduleRefresh(): void {
    clearTimeout(this.refreshTimer);
    this.refreshTimer = setTimeout(() => void this.refresh(), REFRESH_DELAY_MS);
  }

  private scopeParam(scope: ScopeChoice): GraphScopeParam | undefined {
    switch (scope.kind) {
      case 'workspace':
      case 'namespace':
      case 'host':
        return scope;
      case 'file':
        return this.fileUri ? { kind: 'file', uri: this.fileUri.toString() } : undefined;
      case 'cursor':
        if (!this.fileUri) return undefined;
        return this.cursor ? { kind: 'cursor', uri: this.fileUri.toString(), position: { line: this.cursor.line, character: this.cursor.character } } : { kind: 'file', uri: this.fileUri.toString() };
    }
  }

  /** Asks the server for the graph of the current scope (and the trace again) and sends it, unless unchanged. */
  private async refresh(): Promise<void> {
    clearTimeout(this.refreshTimer);
    if (!this.panel) return;
    const scope = this.scope;
    const param = this.scopeParam(scope);
    // Also when there is nothing to ask: an answer still on its way is for an older scope.
    const seq = ++this.requestSeq;
    if (!param) {
      this.post({ type: 'error', message: 'No YAML file is open: open one to see its routes, or pick another scope.' });
      return;
    }
    try {
      const trace = this.trace && this.traceParams ? await this.retrace(this.traceParams) : undefined;
      const result = await this.deps.request<RouteGraphResult | null>(ROUTE_GRAPH_REQUEST, { scope: param, highlight: traceHighlight(trace), group: this.group } satisfies RouteGraphParams);
      if (seq !== this.requestSeq || !this.panel) return;
      if (!result) {
        this.post({ type: 'error', message: 'The language server could not build the graph (details in the Kube Route Lens output).' });
        return;
      }
      this.trace = trace;
      this.send(result, scope, trace);
    } catch (error) {
      if (seq === this.requestSeq) this.post({ type: 'error', message: `The language server did not answer: ${messageOf(error)}` });
    }
  }

  /** The trace again after an edit; a failure drops the trace rather than the graph. */
  private async retrace(params: TraceParams): Promise<TraceResult | undefined> {
    try {
      return parseTraceAnswer(await this.deps.request<unknown>(TRACE_REQUEST, params));
    } catch (error) {
      this.deps.output.appendLine(`Trace of ${params.url} failed: ${messageOf(error)}`);
      return undefined;
    }
  }

  private send(result: RouteGraphResult, scope: ScopeChoice, trace: TraceResult | undefined): void {
    // Only where it matters: in other scopes a change of editor must not redraw the graph.
    const fileName = this.fileUri && (scope.kind === 'file' || scope.kind === 'cursor') ? path.posix.basename(this.fileUri.path) : undefined;
    const activeFile = this.fileUri ? { uri: this.fileUri.toString(), name: path.posix.basename(this.fileUri.path) } : undefined;
    const message = toGraphMessage({ version: this.version + 1, result, scope, fileName, trace, group: this.group, activeFile });
    const key = JSON.stringify({ ...message, version: 0 });
    if (key === this.lastMessageKey) return;
    this.version = message.version;
    this.lastMessageKey = key;
    this.lastMessage = message;
    this.sent.set(message.version, result.graph);
    if (this.sent.size > 20) this.sent.delete(Math.min(...this.sent.keys()));
    this.post(message);
  }

  private post(message: ToWebview): void {
    void this.panel?.webview.postMessage(message);
  }

  /** Opens the definition of a node of the graph on screen (or the one just sent). */
  private async reveal(nodeId: string): Promise<boolean> {
    const node = this.rendered?.nodes.find((n) => n.id === nodeId) ?? this.sent.get(this.version)?.nodes.find((n) => n.id === nodeId);
    if (!node?.location) return false;
    const { uri, range } = node.location;
    try {
      const document = await vscode.workspace.openTextDocument(vscode.Uri.parse(uri, true));
      const selection = new vscode.Range(range.start.line, range.start.character, range.end.line, range.end.character);
      await vscode.window.showTextDocument(document, { viewColumn: this.revealColumn(), selection, preserveFocus: false });
      return true;
    } catch (error) {
      void vscode.window.showErrorMessage(`Kube Route Lens: could not open ${uri}: ${messageOf(error)}`);
      return false;
    }
  }

  /** The editor column the user last worked in, never the panel's own. */
  private revealColumn(): vscode.ViewColumn {
    const panelColumn = this.panel?.viewColumn;
    if (this.editorColumn !== undefined && this.editorColumn !== panelColumn) return this.editorColumn;
    return panelColumn === vscode.ViewColumn.One ? vscode.ViewColumn.Beside : vscode.ViewColumn.One;
  }

  private async exportSvg(svg: string): Promise<void> {
    const folder = vscode.workspace.workspaceFolders?.[0]?.uri;
    const target = await vscode.window.showSaveDialog({
      title: 'Export Routing Graph',
      saveLabel: 'Export',
      defaultUri: folder ? vscode.Uri.joinPath(folder, 'routing-graph.svg') : undefined,
      filters: { 'SVG image': ['svg'] },
    });
    if (!target) return;
    try {
      await vscode.workspace.fs.writeFile(target, new TextEncoder().encode(svg));
      vscode.window.setStatusBarMessage(`Kube Route Lens: routing graph saved to ${path.posix.basename(target.path)}`, 4000);
    } catch (error) {
      void vscode.window.showErrorMessage(`Kube Route Lens: could not save the SVG: ${messageOf(error)}`);
    }
  }
}

/** The command's argument: a string to read like the box, or an object from another extension. */
function traceArgument(argument: unknown): string | { url: unknown; headers?: unknown; method?: unknown; gateway?: unknown; from?: unknown } | undefined {
  if (typeof argument === 'string') return argument;
  if (argument && typeof argument === 'object' && 'url' in argument) return argument as { url: unknown };
  return undefined;
}

/** The `gateway` of an object argument: undefined when absent, null when not `namespace/name`. */
function checkedGateway(value: unknown): string | undefined | null {
  if (value === undefined) return undefined;
  return typeof value === 'string' && /^[a-z0-9]([-a-z0-9]*[a-z0-9])?\/[a-z0-9]([-.a-z0-9]*[a-z0-9])?$/.test(value) ? value : null;
}

function checkedObject(argument: { url: unknown; headers?: unknown; method?: unknown }): ParsedTraceInput {
  if (typeof argument.url !== 'string') return { error: 'the url of a trace must be a string' };
  const error = parseTraceUrl(argument.url).error;
  if (error !== undefined) return { error };
  const headers: Record<string, string> = {};
  if (argument.headers && typeof argument.headers === 'object') for (const [k, v] of Object.entries(argument.headers)) if (typeof v === 'string') headers[k] = v;
  const method = typeof argument.method === 'string' && /^[A-Za-z]+$/.test(argument.method) ? argument.method.toUpperCase() : undefined;
  return { input: { url: argument.url.trim(), headers, ...(method ? { method } : {}) } };
}
