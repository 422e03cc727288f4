/**
 * The routing graph panel's script. It receives graphs from the extension (`ToWebview`), draws
 * them with Mermaid, maps clicks on nodes back to graph node ids, and posts what the user asks
 * for (`FromWebview`). The page skeleton comes from `client/src/graphHtml.ts`; every string from
 * the manifests goes into the DOM as text.
 */
import '../media/graph.css';
import type { FromWebview, GraphMessage, NodeInfo, ScopeChoice, ToWebview, WebviewState } from './protocol';
import { PanZoom } from './panZoom';
import type { View } from './panZoom';
import { nodeElements, renderMermaid, svgForExport } from './render';
import type { Rendered } from './render';
import { ScopePicker } from './scopePicker';
import { vscodeTheme } from './theme';
import { renderTrace } from './traceBox';

const vscode = acquireVsCodeApi<WebviewState>();

function byId<T extends HTMLElement>(id: string): T {
  const found = document.getElementById(id);
  if (!found) throw new Error(`the page has no #${id}`);
  return found as T;
}

const ui = {
  viewport: byId<HTMLDivElement>('viewport'),
  canvas: byId<HTMLDivElement>('canvas'),
  placeholder: byId<HTMLParagraphElement>('placeholder'),
  banner: byId<HTMLDivElement>('banner'),
  error: byId<HTMLDivElement>('error'),
  trace: byId<HTMLElement>('trace'),
  tooltip: byId<HTMLDivElement>('tooltip'),
  status: byId<HTMLSpanElement>('status'),
};

function post(message: FromWebview): void {
  vscode.postMessage(message);
}

let state: WebviewState = vscode.getState() ?? {};
function saveState(next: Partial<WebviewState>): void {
  state = { ...state, ...next };
  vscode.setState(state);
}

let rendered: { message: GraphMessage; drawing: Rendered; pristine: SVGSVGElement } | undefined;

const panZoom = new PanZoom(ui.viewport, ui.canvas, () => rendered?.drawing, (view: View) => saveState({ view }));
const picker = new ScopePicker(byId('scope-kind'), byId('scope-value'), (scope: ScopeChoice) => post({ type: 'setScope', scope }));

byId('zoom-in').addEventListener('click', () => panZoom.zoomBy(1.25));
byId('zoom-out').addEventListener('click', () => panZoom.zoomBy(0.8));
byId('zoom-fit').addEventListener('click', () => panZoom.fit());
byId('trace-request').addEventListener('click', () => post({ type: 'trace' }));
byId('copy-mermaid').addEventListener('click', () => post({ type: 'copyMermaid' }));
byId('export-svg').addEventListener('click', () => {
  if (rendered) post({ type: 'exportSvg', svg: svgForExport(rendered.pristine) });
});

// ---------------------------------------------------------------------------------------------
// Rendering: one at a time; a graph that arrives meanwhile replaces any still waiting.

let waiting: GraphMessage | undefined;
let busy = false;

async function enqueue(message: GraphMessage): Promise<void> {
  waiting = message;
  if (busy) return;
  busy = true;
  try {
    while (waiting) {
      const next = waiting;
      waiting = undefined;
      await draw(next);
    }
  } finally {
    busy = false;
  }
}

async function draw(message: GraphMessage): Promise<void> {
  const started = performance.now();
  picker.update(message.scope, message.namespaces, message.hosts, message.fileName);
  showBanner(message);
  let drawing: Rendered;
  try {
    drawing = await renderMermaid(message.mermaid, vscodeTheme(document.body));
  } catch (error) {
    const text = error instanceof Error ? error.message : String(error);
    showError(`The graph could not be drawn: ${text}`);
    post({ type: 'renderFailed', version: message.version, message: text.slice(0, 2000) });
    return;
  }
  const pristine = drawing.svg.cloneNode(true) as SVGSVGElement;
  const nodes = new Map(message.nodes.map((n) => [n.id, n]));
  for (const [element, id] of nodeElements(drawing, message.mermaidIds)) {
    const node = nodes.get(id);
    if (node) decorate(element, node);
  }
  hideTooltip();
  ui.canvas.replaceChildren(drawing.svg);
  const previous = rendered?.message;
  rendered = { message, drawing, pristine };
  showError(undefined);
  ui.placeholder.hidden = message.nodes.length > 0;
  ui.placeholder.textContent = emptyText(message);
  // The trace box first: it takes width from the viewport a fit must know about.
  renderTrace(ui.trace, message.trace, new Set(message.nodes.filter((n) => n.revealable).map((n) => n.id)), {
    reveal: (nodeId) => post({ type: 'reveal', nodeId }),
    close: () => post({ type: 'clearTrace' }),
  });
  keepOrFitView(message, previous);
  const durationMs = Math.round(performance.now() - started);
  ui.status.textContent = `${count(message.nodes.length, 'node')} · ${count(message.edgeCount, 'edge')}`;
  post({ type: 'rendered', version: message.version, nodeCount: message.nodes.length, durationMs });
}

/** A new graph opens no smaller than this (the Fit button goes further). */
const READABLE_SCALE = 0.5;

/**
 * The user's pan and zoom survive re-renders of the same view; a new scope, or a new trace
 * (whose route should be in sight), starts fitted.
 */
function keepOrFitView(message: GraphMessage, previous: GraphMessage | undefined): void {
  const key = viewKey(message);
  const same = previous === undefined ? state.viewKey === key : viewKey(previous) === key;
  saveState({ viewKey: key });
  if (same && state.view) panZoom.set(state.view);
  else panZoom.fit(READABLE_SCALE);
}

function viewKey(message: GraphMessage): string {
  return JSON.stringify(message.trace ? { scope: message.scope, trace: message.trace.url } : message.scope);
}

function count(n: number, noun: string): string {
  return `${n} ${noun}${n === 1 ? '' : 's'}`;
}

function emptyText(message: GraphMessage): string {
  switch (message.scope.kind) {
    case 'file':
      return `Nothing in ${message.fileName ?? 'this file'} takes part in a route. Pick another scope, or open a file with Ingresses, Services or workloads.`;
    case 'cursor':
      return `The object under the cursor${message.fileName ? ` in ${message.fileName}` : ''} takes part in no route. Move the cursor to an Ingress, Service or workload.`;
    default:
      return 'No routes here: no Ingress, Service or workload in this scope.';
  }
}

function showBanner(message: GraphMessage): void {
  const truncated = message.truncated;
  ui.banner.hidden = truncated === undefined;
  ui.banner.textContent = truncated ? `Showing ${truncated.shown} of ${truncated.total} nodes: ${truncated.total - truncated.shown} left out. ${truncated.hint}` : '';
}

function showError(text: string | undefined): void {
  ui.error.hidden = text === undefined;
  ui.error.textContent = text ?? '';
}

// ---------------------------------------------------------------------------------------------
// Nodes: click or Enter reveals the definition; hover or focus shows the summary.

function decorate(element: SVGGElement, node: NodeInfo): void {
  element.classList.add('krl-node');
  element.setAttribute('aria-label', node.summary);
  element.addEventListener('mouseenter', (event) => showTooltip(node, event.clientX, event.clientY));
  element.addEventListener('mousemove', (event) => moveTooltip(event.clientX, event.clientY));
  element.addEventListener('mouseleave', hideTooltip);
  if (!node.revealable) return;
  element.classList.add('revealable');
  element.setAttribute('tabindex', '0');
  element.setAttribute('role', 'button');
  element.addEventListener('click', () => post({ type: 'reveal', nodeId: node.id }));
  element.addEventListener('keydown', (event) => {
    if (event.key !== 'Enter' && event.key !== ' ') return;
    event.preventDefault();
    post({ type: 'reveal', nodeId: node.id });
  });
  element.addEventListener('focus', () => {
    const box = element.getBoundingClientRect();
    showTooltip(node, box.left + box.width / 2, box.bottom);
  });
  element.addEventListener('blur', hideTooltip);
}

function showTooltip(node: NodeInfo, x: number, y: number): void {
  const hint = document.createElement('div');
  hint.className = 'tooltip-hint';
  hint.textContent = node.revealable ? 'Click to open its definition' : '';
  const summary = document.createElement('div');
  summary.textContent = node.summary;
  ui.tooltip.replaceChildren(summary, ...(node.revealable ? [hint] : []));
  ui.tooltip.hidden = false;
  moveTooltip(x, y);
}

function moveTooltip(x: number, y: number): void {
  const margin = 12;
  const width = ui.tooltip.offsetWidth;
  const height = ui.tooltip.offsetHeight;
  const left = Math.min(x + margin, window.innerWidth - width - 4);
  const top = y + margin + height > window.innerHeight ? y - height - margin : y + margin;
  ui.tooltip.style.left = `${Math.max(4, left)}px`;
  ui.tooltip.style.top = `${Math.max(4, top)}px`;
}

function hideTooltip(): void {
  ui.tooltip.hidden = true;
}

// ---------------------------------------------------------------------------------------------
// Messages and theme changes.

function isToWebview(data: unknown): data is ToWebview {
  if (typeof data !== 'object' || data === null) return false;
  const message = data as { type?: unknown; mermaid?: unknown; nodes?: unknown; message?: unknown };
  if (message.type === 'graph') return typeof message.mermaid === 'string' && Array.isArray(message.nodes);
  return message.type === 'error' && typeof message.message === 'string';
}

window.addEventListener('message', (event: MessageEvent<unknown>) => {
  const message = event.data;
  if (!isToWebview(message)) return;
  if (message.type === 'graph') void enqueue(message);
  else {
    // An older drawing stays under the error rather than a blank panel.
    showError(message.message);
    if (!rendered) ui.placeholder.hidden = true;
  }
});

// VS Code swaps the body's theme classes when the user changes the colour theme: redraw.
new MutationObserver(() => {
  if (rendered) void enqueue(rendered.message);
}).observe(document.body, { attributes: true, attributeFilter: ['class'] });

post({ type: 'ready' });
