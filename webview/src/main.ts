/**
 * The routing graph panel's script. It receives graphs from the extension (`ToWebview`), draws
 * them with Mermaid, maps clicks on nodes back to graph node ids, and posts what the user asks
 * for (`FromWebview`). The page skeleton comes from `client/src/graphHtml.ts`; every string from
 * the manifests goes into the DOM as text.
 */
import '../media/graph.css';
import type { FromWebview, GraphMessage, NodeInfo, ScopeChoice, ToWebview, WebviewState } from './protocol';
import { openView } from './openView';
import { PanZoom } from './panZoom';
import type { View } from './panZoom';
import { nodeElements, patchLabels, renderMermaid, svgForExport } from './render';
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
  note: byId<HTMLDivElement>('note'),
  group: byId<HTMLSelectElement>('group'),
  filter: byId<HTMLInputElement>('filter'),
};

function post(message: FromWebview): void {
  vscode.postMessage(message);
}

let state: WebviewState = vscode.getState() ?? {};
function saveState(next: Partial<WebviewState>): void {
  state = { ...state, ...next };
  vscode.setState(state);
}

interface Drawn {
  message: GraphMessage;
  drawing: Rendered;
  /** The drawing before decoration, for Export SVG. */
  pristine: SVGSVGElement;
  /** The Mermaid options it was drawn with, as JSON (a theme change needs a new drawing). */
  theme: string;
  /** Node elements → graph node ids. */
  elements: Map<SVGGElement, string>;
  /** Mermaid node id (`n3`) → node element. */
  byMermaidId: Map<string, SVGGElement>;
}

let rendered: Drawn | undefined;
/** The nodes of the graph on screen, by graph node id (tooltips and clicks read it when they happen). */
let nodeInfo = new Map<string, NodeInfo>();

const panZoom = new PanZoom(ui.viewport, ui.canvas, () => rendered?.drawing, (view: View, byUser: boolean) => {
  saveState(byUser ? { view, viewMode: 'user' } : { view });
  if (byUser) ui.note.hidden = true;
});
panZoom.onFitKey = fitAll;
const picker = new ScopePicker(byId('scope-kind'), byId('scope-value'), (scope: ScopeChoice) => post({ type: 'setScope', scope }));

byId('zoom-in').addEventListener('click', () => panZoom.zoomBy(1.25));
byId('zoom-out').addEventListener('click', () => panZoom.zoomBy(0.8));
byId('zoom-fit').addEventListener('click', fitAll);
ui.group.addEventListener('change', () => {
  const group = (['namespace', 'controller', 'none'] as const).find((g) => g === ui.group.value);
  if (group) post({ type: 'setGroup', group });
});
ui.filter.addEventListener('input', applyFilter);
ui.filter.addEventListener('keydown', (event) => {
  if (event.key !== 'Escape') return;
  ui.filter.value = '';
  applyFilter();
});

/** The Fit button, F and 0: the whole graph, kept fitted through live redraws. */
function fitAll(): void {
  panZoom.fit();
  saveState({ viewMode: 'all' });
  ui.note.hidden = true;
}
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
  ui.group.value = message.group;
  showBanner(message);
  const theme = vscodeTheme(document.body);
  const themeKey = JSON.stringify(theme);
  const previous = rendered?.message;
  nodeInfo = new Map(message.nodes.map((n) => [n.id, n]));
  // A live edit often leaves the Mermaid text as it was, or changes only label text: keep the
  // drawing (and its layout) then, instead of laying out the whole graph again.
  const kept = rendered && rendered.theme === themeKey && sameIds(rendered.message, message) && (rendered.message.mermaid === message.mermaid || patchLabels(rendered.message.mermaid, message.mermaid, rendered.drawing, [rendered.drawing.svg, rendered.pristine]));
  if (rendered && kept) {
    rendered.message = message;
    for (const [element, id] of rendered.elements) decorate(element, id);
  } else {
    let drawing: Rendered;
    try {
      drawing = await renderMermaid(message.mermaid, theme);
    } catch (error) {
      const text = error instanceof Error ? error.message : String(error);
      showError(`The graph could not be drawn: ${text}`);
      post({ type: 'renderFailed', version: message.version, message: text.slice(0, 2000) });
      return;
    }
    const pristine = drawing.svg.cloneNode(true) as SVGSVGElement;
    const elements = nodeElements(drawing, message.mermaidIds);
    const byMermaidId = new Map<string, SVGGElement>();
    const mermaidIdOf = new Map(Object.entries(message.mermaidIds).map(([m, g]) => [g, m]));
    for (const [element, id] of elements) {
      decorate(element, id);
      const mermaidId = mermaidIdOf.get(id);
      if (mermaidId) byMermaidId.set(mermaidId, element);
    }
    hideTooltip();
    ui.canvas.replaceChildren(drawing.svg);
    rendered = { message, drawing, pristine, theme: themeKey, elements, byMermaidId };
  }
  showError(undefined);
  ui.placeholder.hidden = message.nodes.length > 0;
  ui.placeholder.textContent = emptyText(message);
  // The trace box first: it takes width from the viewport a fit must know about.
  renderTrace(ui.trace, message.trace, new Set(message.nodes.filter((n) => n.revealable).map((n) => n.id)), {
    reveal: (nodeId) => post({ type: 'reveal', nodeId }),
    close: () => post({ type: 'clearTrace' }),
  });
  setView(message, previous);
  applyFilter();
  const durationMs = Math.round(performance.now() - started);
  post({ type: 'rendered', version: message.version, nodeCount: message.nodes.length, durationMs });
}

/** Whether two graphs map Mermaid ids to the same graph nodes (then a drawing of one can serve the other). */
function sameIds(a: GraphMessage, b: GraphMessage): boolean {
  const keys = Object.keys(a.mermaidIds);
  return keys.length === Object.keys(b.mermaidIds).length && keys.every((k) => a.mermaidIds[k] === b.mermaidIds[k]);
}

/** The label font size of the panel's drawings (`themeVariables.fontSize` in theme.ts). */
const LABEL_FONT_PX = 14;

/**
 * A new scope (or a new trace, whose route should be in sight) opens as `openView` decides:
 * fitted, or the readable part around the active file's nodes with a note. A live redraw of the
 * same scope does that again unless the user has panned or zoomed since (their view is kept), or
 * pressed Fit (the whole graph is fitted again).
 */
function setView(message: GraphMessage, previous: GraphMessage | undefined): void {
  const key = viewKey(message);
  const same = previous === undefined ? state.viewKey === key : viewKey(previous) === key;
  const mode = same ? (state.viewMode ?? 'user') : 'auto';
  saveState({ viewKey: key, viewMode: mode });
  if (mode === 'user' && state.view) {
    panZoom.set(state.view);
    return;
  }
  if (mode === 'all') {
    panZoom.fit();
    return;
  }
  // The part to show when the whole is unreadable: the traced route, else the active file's objects.
  const elements = [...(rendered?.elements ?? [])];
  const traced = message.trace ? elements.filter(([element]) => element.classList.contains('traced')) : [];
  const focus = (traced.length > 0 ? traced : elements.filter(([, id]) => nodeInfo.get(id)?.inActiveFile)).map(([element]) => element);
  const opened = openView(panZoom, ui.canvas, focus, LABEL_FONT_PX);
  const where = !opened.aroundFocus ? 'the start of the graph' : traced.length > 0 ? 'the traced route' : `the part around ${message.activeFileName ?? 'the current file'}`;
  ui.note.hidden = opened.whole;
  ui.note.textContent = opened.whole ? '' : `Showing ${where} at a readable size: press Fit (F) to see all ${count(message.nodes.length, 'node')}.`;
}

/**
 * The filter box: nodes whose label or summary contains the text (any case) are highlighted,
 * the others and the edges between them dimmed. Classes only: nothing is laid out again.
 */
function applyFilter(): void {
  const query = ui.filter.value.trim().toLowerCase();
  if (!rendered) return;
  const summary = `${count(rendered.message.nodes.length, 'node')} · ${count(rendered.message.edgeCount, 'edge')}`;
  const svg = rendered.drawing.svg;
  svg.classList.toggle('krl-filtering', query !== '');
  if (query === '') {
    for (const element of svg.querySelectorAll('.krl-match, .krl-dim')) element.classList.remove('krl-match', 'krl-dim');
    ui.status.textContent = summary;
    return;
  }
  const matched = new Set<string>();
  for (const [mermaidId, element] of rendered.byMermaidId) {
    const id = rendered.message.mermaidIds[mermaidId];
    const info = nodeInfo.get(id);
    const hit = (element.textContent ?? '').toLowerCase().includes(query) || (info?.summary.toLowerCase().includes(query) ?? false);
    element.classList.toggle('krl-match', hit);
    element.classList.toggle('krl-dim', !hit);
    if (hit) matched.add(mermaidId);
  }
  // Edges are `L_<from>_<to>_<n>` (Mermaid ids are the server's n0, n1 …): lit when they touch a match.
  for (const edge of svg.querySelectorAll<SVGElement>('path.flowchart-link, .edgeLabel [data-id], .edgeLabel')) {
    const id = edge.getAttribute('data-id') ?? edge.id;
    const ends = /^L_(n\d+)_(n\d+)_\d+$/.exec(id);
    const lit = ends !== null && (matched.has(ends[1]) || matched.has(ends[2]));
    edge.classList.toggle('krl-dim', !lit);
  }
  ui.status.textContent = `${matched.size} of ${summary} match`;
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

/** Listeners are added once per element (`decorated`); they read `nodeInfo` when they fire, so a kept drawing shows the newest summaries. */
const decorated = new WeakSet<SVGGElement>();

function decorate(element: SVGGElement, id: string): void {
  const node = nodeInfo.get(id);
  if (!node) return;
  element.classList.add('krl-node');
  element.setAttribute('aria-label', node.summary);
  element.classList.toggle('revealable', node.revealable);
  if (node.revealable) {
    element.setAttribute('tabindex', '0');
    element.setAttribute('role', 'button');
  } else {
    element.removeAttribute('tabindex');
    element.removeAttribute('role');
  }
  if (decorated.has(element)) return;
  decorated.add(element);
  const current = () => nodeInfo.get(id);
  const reveal = () => {
    if (current()?.revealable) post({ type: 'reveal', nodeId: id });
  };
  element.addEventListener('mouseenter', (event) => {
    const info = current();
    if (info) showTooltip(info, event.clientX, event.clientY);
  });
  element.addEventListener('mousemove', (event) => moveTooltip(event.clientX, event.clientY));
  element.addEventListener('mouseleave', hideTooltip);
  element.addEventListener('click', reveal);
  element.addEventListener('keydown', (event) => {
    if (event.key !== 'Enter' && event.key !== ' ') return;
    event.preventDefault();
    reveal();
  });
  element.addEventListener('focus', () => {
    const info = current();
    if (!info?.revealable) return;
    const box = element.getBoundingClientRect();
    showTooltip(info, box.left + box.width / 2, box.bottom);
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
