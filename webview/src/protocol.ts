/**
 * The messages between the routing graph panel (the extension, `client/src/graphPanel.ts`) and its
 * webview (`webview/src/main.ts`), declared once. Types only: the client imports this file with
 * `import type`, and checks every message it receives (`parseWebviewMessage` in
 * `client/src/graphHtml.ts`), because the webview is the less trusted side.
 *
 * Nothing here is ever interpolated into HTML: the webview renders the server's Mermaid text
 * (labels already escaped) and puts every other string in the DOM with `textContent`.
 */

export type NodeKind = 'host' | 'entry' | 'controller' | 'gateway' | 'route' | 'service' | 'workload' | 'hpa' | 'missing';

/**
 * A scope as the webview sees it. `file` and `cursor` mean the active YAML editor (its file, or
 * the object under its cursor): the extension tracks which one that is.
 */
export type ScopeChoice =
  | { readonly kind: 'workspace' }
  | { readonly kind: 'namespace'; readonly namespace: string }
  | { readonly kind: 'host'; readonly host: string }
  | { readonly kind: 'file' }
  | { readonly kind: 'cursor' };

/** What the webview needs about one graph node (the rest is in the Mermaid text). */
export interface NodeInfo {
  /** Graph node id (`svc:…`), the value of `mermaidIds`. */
  readonly id: string;
  readonly kind: NodeKind;
  /** Tooltip text. */
  readonly summary: string;
  /** The node has a source location, so a click opens it. */
  readonly revealable: boolean;
  /** The node is defined in the active YAML file (`activeFileName`): a graph too large to read whole opens around these. */
  readonly inActiveFile?: boolean;
}

/** How the graph is boxed into subgraphs (the server's `GraphGrouping`). */
export type Grouping = 'namespace' | 'controller' | 'none';

export interface TraceStepView {
  readonly kind: string;
  /** One sentence; text in backticks is shown as code. */
  readonly text: string;
  /** The graph node of this step, when it is in the graph shown (a click reveals it). */
  readonly nodeId?: string;
}

export interface TraceView {
  readonly url: string;
  readonly found: boolean;
  readonly upstreamPath?: string;
  /** The Host the backend receives, when a rewrite changed it. */
  readonly upstreamHost?: string;
  /** The status the controller or Gateway answers with itself (a redirect's, when `found`). */
  readonly status?: number;
  readonly reason?: string;
  readonly closest?: string;
  readonly steps: readonly TraceStepView[];
}

/** Extension → webview: a graph to draw (after each re-analysis, scope change or trace). */
export interface GraphMessage {
  readonly type: 'graph';
  /** Increases with every graph the extension sends; echoed in `rendered`. */
  readonly version: number;
  readonly mermaid: string;
  /** Mermaid node id (`n3`) → graph node id. */
  readonly mermaidIds: Readonly<Record<string, string>>;
  readonly nodes: readonly NodeInfo[];
  readonly edgeCount: number;
  readonly truncated?: { readonly shown: number; readonly total: number; readonly hint: string };
  readonly scope: ScopeChoice;
  /** Name of the file `file` and `cursor` scopes refer to, for the picker. */
  readonly fileName?: string;
  readonly namespaces: readonly string[];
  readonly hosts: readonly string[];
  readonly trace?: TraceView;
  /** The grouping this graph was drawn with. */
  readonly group: Grouping;
  /** Name of the active YAML file, whose nodes are marked `inActiveFile`. */
  readonly activeFileName?: string;
}

/** Extension → webview: the graph could not be produced (server down, no YAML file for `file` …). */
export interface ErrorMessage {
  readonly type: 'error';
  readonly message: string;
}

export type ToWebview = GraphMessage | ErrorMessage;

/** Webview → extension. */
export type FromWebview =
  /** The script is loaded (first time, or again after the panel was hidden): send the graph. */
  | { readonly type: 'ready' }
  /** Open the definition of a graph node (a click on it). */
  | { readonly type: 'reveal'; readonly nodeId: string }
  | { readonly type: 'setScope'; readonly scope: ScopeChoice }
  /** Box the graph by namespace, by controller, or not at all. */
  | { readonly type: 'setGroup'; readonly group: Grouping }
  /** Put the current Mermaid source on the clipboard. */
  | { readonly type: 'copyMermaid' }
  /** Save this SVG (the rendered graph) to a file the user picks. */
  | { readonly type: 'exportSvg'; readonly svg: string }
  /** Run the "Trace Request…" command. */
  | { readonly type: 'trace' }
  /** Close the trace box and drop its highlight. */
  | { readonly type: 'clearTrace' }
  /** The graph of `version` is on screen (tests wait for this). */
  | { readonly type: 'rendered'; readonly version: number; readonly nodeCount: number; readonly durationMs: number }
  | { readonly type: 'renderFailed'; readonly version: number; readonly message: string };

/** What the webview keeps with `vscode.setState` across re-renders and hide/show. */
export interface WebviewState {
  /** Pan and zoom. */
  readonly view?: { readonly x: number; readonly y: number; readonly k: number };
  /** The scope (and traced URL) the view belongs to, as JSON: a new one starts fitted. */
  readonly viewKey?: string;
  /**
   * How the view was set: `auto` (as the graph opened: fitted, or the readable part), `all` (the
   * Fit button) or `user` (panned or zoomed). A live redraw applies `auto` and `all` again and
   * keeps a `user` view.
   */
  readonly viewMode?: 'auto' | 'all' | 'user';
}
