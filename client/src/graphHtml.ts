/**
 * The pure half of the routing graph panel (no `vscode` import, so tests run it in plain Node):
 * the panel's HTML, the check of every message the webview sends (the webview is the less
 * trusted side), and the `graph` message built from the server's answer.
 *
 * The HTML is a fixed skeleton: the only values interpolated are the webview's CSP source, the
 * nonce and the two bundle URIs. Data reaches the page by `postMessage` only.
 */
import type { RouteGraphResult, TraceResult, TraceStepKind } from '../../server/src/protocol';
import type { FromWebview, GraphMessage, Grouping, NodeKind, ScopeChoice, TraceView } from '../../webview/src/protocol';
import { checkNonce, escapeHtml as attribute, graphPageCsp } from '../../webview/src/pageHtml';

export interface GraphHtmlOptions {
  /** `webview.cspSource`. */
  readonly cspSource: string;
  /** Base64, fresh for every page. */
  readonly nonce: string;
  /** `webview/dist/graph.js` as a webview URI. */
  readonly scriptUri: string;
  /** `webview/dist/graph.css` as a webview URI. */
  readonly styleUri: string;
}

/** The Content-Security-Policy of the panel: the shared one, with the webview's resource origin. */
export function graphCsp(cspSource: string, nonce: string): string {
  return graphPageCsp(nonce, cspSource);
}

const KIND_LEGEND: readonly [NodeKind, string, string][] = [
  ['host', 'host', 'A hostname requests arrive for'],
  ['entry', 'entry', 'A way in: node port or load balancer'],
  ['controller', 'controller', 'Ingress controller (IngressClass)'],
  ['gateway', 'Gateway', 'A Gateway API listener: Gateway, class and controller, port, protocol and hostname'],
  ['route', 'route', 'One path of an Ingress rule, or one rule of an HTTPRoute'],
  ['service', 'Service', 'Service'],
  ['workload', 'workload', 'Deployment, StatefulSet, DaemonSet … (its pods)'],
  ['hpa', 'HPA', 'HorizontalPodAutoscaler'],
  ['missing', 'missing', 'The missing end of a broken link'],
];

const EDGE_LEGEND: readonly [string, string, string][] = [
  ['normal', 'traffic', 'Where requests go'],
  ['local', 'Local', 'externalTrafficPolicy: Local (only nodes running a pod answer)'],
  ['broken', 'broken', 'A broken link'],
  ['traced', 'traced', 'The route of the traced request'],
];

function legend(): string {
  const kinds = KIND_LEGEND.map(([kind, text, title]) => `<span class="legend-item" title="${title}"><span class="swatch ${kind}"></span>${text}</span>`);
  const edges = EDGE_LEGEND.map(([kind, text, title]) => `<span class="legend-item" title="${title}"><span class="edge ${kind}"></span>${text}</span>`);
  return [...kinds, ...edges].join('\n    ');
}

export function renderGraphHtml(options: GraphHtmlOptions): string {
  checkNonce(options.nonce);
  const csp = attribute(graphCsp(options.cspSource, options.nonce));
  return `<!DOCTYPE html>
<html lang="en">
<head>
  <meta charset="UTF-8">
  <meta http-equiv="Content-Security-Policy" content="${csp}">
  <meta name="viewport" content="width=device-width, initial-scale=1.0">
  <link rel="stylesheet" href="${attribute(options.styleUri)}">
  <title>Routing Graph</title>
</head>
<body>
  <header class="toolbar" role="toolbar" aria-label="Routing graph">
    <label>Scope
      <select id="scope-kind">
        <option value="workspace">Workspace</option>
        <option value="namespace">Namespace</option>
        <option value="host">Host</option>
        <option value="file">Current file</option>
        <option value="cursor">Follow cursor</option>
      </select>
    </label>
    <select id="scope-value" aria-label="Namespace" hidden></select>
    <label>Group
      <select id="group" title="Box the graph by namespace or by controller">
        <option value="namespace">by namespace</option>
        <option value="controller">by controller</option>
        <option value="none">none</option>
      </select>
    </label>
    <input type="search" id="filter" placeholder="Filter hosts, Services, workloads" aria-label="Filter: highlight matching nodes" spellcheck="false">
    <span class="spacer"></span>
    <span class="group" role="group" aria-label="Zoom">
      <button type="button" id="zoom-out" title="Zoom out (-)" aria-label="Zoom out">&#8722;</button>
      <button type="button" id="zoom-fit" title="Fit the whole graph to the panel (F or 0)">Fit</button>
      <button type="button" id="zoom-in" title="Zoom in (+)" aria-label="Zoom in">+</button>
    </span>
    <button type="button" id="trace-request" class="primary" title="Trace where a URL goes">Trace Request&#8230;</button>
    <button type="button" id="copy-mermaid" title="Copy the Mermaid source of this graph">Copy Mermaid</button>
    <button type="button" id="export-svg" title="Save this graph as an SVG file">Export SVG</button>
  </header>
  <div id="banner" class="banner" role="status" hidden></div>
  <div id="error" class="banner error" role="alert" hidden></div>
  <div id="note" class="banner note" role="status" hidden></div>
  <main class="content">
    <div id="viewport" class="viewport" tabindex="0" aria-label="Routing graph: drag to pan, wheel or plus and minus to zoom, F or 0 to fit">
      <div id="canvas" class="canvas"></div>
      <p id="placeholder" class="placeholder">Loading the routing graph&#8230;</p>
    </div>
    <aside id="trace" class="trace" aria-label="Request trace" hidden></aside>
  </main>
  <footer class="legend" aria-label="Legend">
    ${legend()}
    <span id="status" class="status"></span>
  </footer>
  <div id="tooltip" class="tooltip" role="tooltip" hidden></div>
  <script nonce="${attribute(options.nonce)}" src="${attribute(options.scriptUri)}"></script>
</body>
</html>
`;
}

// -----------------------------------------------------------------------------------------------
// Messages from the webview: checked field by field; anything else is dropped.

const MAX_ID = 10_000;
const MAX_NAME = 1_000;
/** Larger than any graph within the server's node budget. */
export const MAX_SVG = 50_000_000;

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isText(value: unknown, max: number): value is string {
  return typeof value === 'string' && value.length > 0 && value.length <= max;
}

function isCount(value: unknown): value is number {
  return typeof value === 'number' && Number.isFinite(value) && value >= 0;
}

/** An SVG document as text: optional XML declaration, one <svg> root. */
export function isSvgText(value: unknown): value is string {
  if (typeof value !== 'string' || value.length > MAX_SVG) return false;
  return /^\s*(<\?xml[^>]*\?>\s*)?<svg[\s>]/.test(value) && /<\/svg>\s*$/.test(value);
}

function parseScope(value: unknown): ScopeChoice | undefined {
  if (!isRecord(value)) return undefined;
  switch (value.kind) {
    case 'workspace':
    case 'file':
    case 'cursor':
      return { kind: value.kind };
    case 'namespace':
      return isText(value.namespace, MAX_NAME) ? { kind: 'namespace', namespace: value.namespace } : undefined;
    case 'host':
      return isText(value.host, MAX_NAME) ? { kind: 'host', host: value.host } : undefined;
    default:
      return undefined;
  }
}

export const GROUPINGS: readonly Grouping[] = ['namespace', 'controller', 'none'];

/** The message, rebuilt from checked fields only, or `undefined` if it is not a valid `FromWebview`. */
export function parseWebviewMessage(value: unknown): FromWebview | undefined {
  if (!isRecord(value)) return undefined;
  switch (value.type) {
    case 'ready':
    case 'copyMermaid':
    case 'trace':
    case 'clearTrace':
      return { type: value.type };
    case 'reveal':
      return isText(value.nodeId, MAX_ID) ? { type: 'reveal', nodeId: value.nodeId } : undefined;
    case 'setScope': {
      const scope = parseScope(value.scope);
      return scope ? { type: 'setScope', scope } : undefined;
    }
    case 'setGroup': {
      const group = GROUPINGS.find((g) => g === value.group);
      return group ? { type: 'setGroup', group } : undefined;
    }
    case 'exportSvg':
      return isSvgText(value.svg) ? { type: 'exportSvg', svg: value.svg } : undefined;
    case 'rendered':
      return isCount(value.version) && isCount(value.nodeCount) && isCount(value.durationMs) ? { type: 'rendered', version: value.version, nodeCount: value.nodeCount, durationMs: value.durationMs } : undefined;
    case 'renderFailed':
      return isCount(value.version) && typeof value.message === 'string' ? { type: 'renderFailed', version: value.version, message: value.message.slice(0, 2_000) } : undefined;
    default:
      return undefined;
  }
}

// -----------------------------------------------------------------------------------------------
// The `graph` message.

export interface GraphMessageInput {
  readonly version: number;
  readonly result: RouteGraphResult;
  readonly scope: ScopeChoice;
  readonly fileName?: string;
  readonly trace?: TraceResult;
  readonly group: Grouping;
  /** The active YAML file: its nodes are marked so a large graph opens around them. */
  readonly activeFile?: { readonly uri: string; readonly name: string };
}

function traceView(trace: TraceResult, nodeIds: ReadonlySet<string>): TraceView {
  return {
    url: trace.url,
    found: trace.found,
    upstreamPath: trace.upstreamPath,
    ...(trace.upstreamHost !== undefined ? { upstreamHost: trace.upstreamHost } : {}),
    ...(trace.status !== undefined ? { status: trace.status } : {}),
    reason: trace.reason,
    closest: trace.closest,
    steps: trace.steps.map((step) => ({ kind: step.kind, text: step.text, nodeId: step.nodeId !== undefined && nodeIds.has(step.nodeId) ? step.nodeId : undefined })),
  };
}

/** What the webview needs to draw the server's graph: Mermaid text, id map, and per node its kind, tooltip and whether it opens. */
export function toGraphMessage(input: GraphMessageInput): GraphMessage {
  const { graph } = input.result;
  const nodeIds = new Set(graph.nodes.map((n) => n.id));
  const active = input.activeFile?.uri;
  const marked = active !== undefined && graph.nodes.some((n) => n.location?.uri === active);
  return {
    type: 'graph',
    version: input.version,
    mermaid: input.result.mermaid,
    mermaidIds: input.result.mermaidIds,
    nodes: graph.nodes.map((n) => ({ id: n.id, kind: n.kind, summary: n.summary, revealable: n.location !== undefined, ...(active !== undefined && n.location?.uri === active ? { inActiveFile: true } : {}) })),
    edgeCount: graph.edges.length,
    truncated: graph.truncated,
    scope: input.scope,
    fileName: input.fileName,
    namespaces: input.result.namespaces,
    hosts: input.result.hosts,
    trace: input.trace ? traceView(input.trace, nodeIds) : undefined,
    group: input.group,
    ...(marked && input.activeFile ? { activeFileName: input.activeFile.name } : {}),
  };
}

/** The graph node ids a trace highlights, in step order. */
export function traceHighlight(trace: TraceResult | undefined): string[] {
  return [...new Set((trace?.steps ?? []).map((s) => s.nodeId).filter((id): id is string => id !== undefined))];
}

function optionalText(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

/** The server's answer to a trace request, if it has the documented shape (the server may be older, or have failed). */
export function parseTraceAnswer(value: unknown): TraceResult | undefined {
  if (!isRecord(value) || typeof value.url !== 'string' || typeof value.found !== 'boolean' || !Array.isArray(value.steps)) return undefined;
  const steps = value.steps.filter(isRecord).flatMap((step) => (typeof step.kind === 'string' && typeof step.text === 'string' ? [{ kind: step.kind as TraceStepKind, text: step.text, nodeId: optionalText(step.nodeId) }] : []));
  const status = typeof value.status === 'number' && Number.isInteger(value.status) ? value.status : undefined;
  const upstreamHost = optionalText(value.upstreamHost);
  return {
    url: value.url,
    found: value.found,
    steps,
    upstreamPath: optionalText(value.upstreamPath),
    reason: optionalText(value.reason),
    closest: optionalText(value.closest),
    ...(status !== undefined ? { status } : {}),
    ...(upstreamHost !== undefined ? { upstreamHost } : {}),
  };
}

/** The trace as lines for the output channel: the verdict, the numbered steps, the closest match. */
export function traceReport(trace: TraceResult): string[] {
  const redirect = trace.found && trace.status !== undefined && trace.status >= 300 && trace.status < 400;
  const host = trace.upstreamHost !== undefined ? ` (Host: ${trace.upstreamHost})` : '';
  const verdict = redirect
    ? `answers ${trace.status}, a redirect the manifests configure`
    : trace.found
      ? `reaches the pods; ${trace.upstreamPath !== undefined ? `the backend receives ${trace.upstreamPath}${host}` : 'the path the backend receives cannot be known offline'}`
      : `goes nowhere: ${trace.reason ?? 'no route matches'}`;
  return [`Trace ${trace.url}: ${verdict}`, ...trace.steps.map((step, i) => `  ${i + 1}. [${step.kind}] ${step.text}`), ...(!trace.found && trace.closest ? [`  closest: ${trace.closest}`] : [])];
}
