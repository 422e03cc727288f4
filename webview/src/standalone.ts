/**
 * The script of the self-contained page `kube-route-lens graph --format html` writes. On load it
 * reads the Mermaid source from `<script type="text/plain" id="graph-source">` (as text), draws
 * it into `<div id="graph">` with the same strict Mermaid settings as the VS Code panel, and adds
 * pan and zoom. No VS Code API; nothing exported. Styles are set through the CSSOM, so the page
 * needs no stylesheet of its own (Mermaid's SVG still carries an inline <style>).
 */
import { openView } from './openView';
import { PanZoom } from './panZoom';
import { renderMermaid } from './render';
import type { Rendered } from './render';

function button(text: string, label: string, onClick: () => void): HTMLButtonElement {
  const created = document.createElement('button');
  created.type = 'button';
  created.textContent = text;
  created.title = label;
  created.setAttribute('aria-label', label);
  Object.assign(created.style, { minWidth: '30px', padding: '3px 8px', font: 'inherit', cursor: 'pointer', border: '1px solid #8886', borderRadius: '3px', background: 'Canvas', color: 'CanvasText' });
  created.addEventListener('click', onClick);
  return created;
}

function showError(host: HTMLElement, text: string): void {
  const message = document.createElement('p');
  message.textContent = text;
  Object.assign(message.style, { color: '#d33', margin: '12px' });
  host.replaceChildren(message);
}

/** Whether the graph sits on a dark background (the page's own, else the system's preference). */
function onDarkBackground(host: HTMLElement): boolean {
  for (let element: HTMLElement | null = host; element; element = element.parentElement) {
    const match = /rgba?\(([\d.]+),\s*([\d.]+),\s*([\d.]+)(?:,\s*([\d.]+))?\)/.exec(getComputedStyle(element).backgroundColor);
    if (!match || Number(match[4] ?? 1) === 0) continue;
    const [r, g, b] = [match[1], match[2], match[3]].map(Number);
    return 0.2126 * r + 0.7152 * g + 0.0722 * b < 128;
  }
  return window.matchMedia('(prefers-color-scheme: dark)').matches;
}

async function start(): Promise<void> {
  const host = document.getElementById('graph');
  if (!host) return;
  const source = document.getElementById('graph-source')?.textContent ?? '';
  if (source.trim() === '') {
    showError(host, 'This page holds no graph.');
    return;
  }
  let drawing: Rendered;
  try {
    drawing = await renderMermaid(source, { theme: onDarkBackground(host) ? 'dark' : 'default' });
  } catch (error) {
    showError(host, `The graph could not be drawn: ${error instanceof Error ? error.message : String(error)}`);
    return;
  }
  const canvas = document.createElement('div');
  Object.assign(canvas.style, { position: 'absolute', top: '0', left: '0' });
  canvas.append(drawing.svg);
  Object.assign(host.style, { position: 'relative', overflow: 'hidden', cursor: 'grab', touchAction: 'none', userSelect: 'none' });
  // Without a height from the page, take most of the window.
  if (host.clientHeight < 100) host.style.height = '85vh';
  host.tabIndex = 0;
  host.setAttribute('aria-label', 'Routing graph: drag to pan, wheel or plus and minus to zoom, F or 0 to fit');
  const note = document.createElement('div');
  note.id = 'graph-note';
  note.setAttribute('role', 'status');
  Object.assign(note.style, { position: 'absolute', left: '8px', bottom: '8px', margin: '0', padding: '4px 8px', zIndex: '1', background: 'Canvas', color: 'CanvasText', border: '1px solid #1a85ff', borderRadius: '3px' });
  const panZoom = new PanZoom(host, canvas, () => drawing, (_view, byUser) => {
    if (byUser) note.hidden = true;
  });
  const fitAll = () => {
    panZoom.fit();
    note.hidden = true;
  };
  panZoom.onFitKey = fitAll;
  const controls = document.createElement('div');
  Object.assign(controls.style, { position: 'absolute', top: '8px', right: '8px', display: 'flex', gap: '4px', zIndex: '1' });
  controls.append(button('\u2212', 'Zoom out', () => panZoom.zoomBy(0.8)), button('Fit', 'Fit to the window (F)', fitAll), button('+', 'Zoom in', () => panZoom.zoomBy(1.25)));
  controls.addEventListener('pointerdown', (event) => event.stopPropagation());
  host.replaceChildren(canvas, controls, note);
  // Mermaid's default label size is 16 px (no themeVariables.fontSize here). No file is "current"
  // on this page: a graph too large to read whole opens at its start (top-left).
  const opened = openView(panZoom, canvas, [], 16);
  const nodes = drawing.svg.querySelectorAll('g.node').length;
  note.hidden = opened.whole;
  note.textContent = opened.whole ? '' : `Showing the start of the graph at a readable size: press Fit (F) to see all ${nodes} nodes.`;
  host.dataset.rendered = 'true';
}

if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', () => void start());
else void start();
