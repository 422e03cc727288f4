/**
 * Mermaid → an SVG element, shared by the VS Code panel and the standalone page. Mermaid runs
 * with `securityLevel: 'strict'` (labels sanitised, no click directives), and its output is parsed
 * into an inert document and stripped of anything active before it is adopted, so a label that
 * slipped through both the server's escaping and Mermaid's sanitiser still cannot run or load
 * anything.
 */
import mermaid from 'mermaid';

export type MermaidTheme = 'default' | 'dark' | 'base';

export interface RenderOptions {
  readonly theme: MermaidTheme;
  readonly themeVariables?: Record<string, string | boolean>;
  readonly fontFamily?: string;
}

export interface Rendered {
  readonly svg: SVGSVGElement;
  /** The id Mermaid gave the diagram; node elements are `<id>-flowchart-<mermaidId>-<n>`. */
  readonly renderId: string;
  readonly width: number;
  readonly height: number;
}

let renderCount = 0;
let initialized = '';

function initialize(options: RenderOptions): void {
  const key = JSON.stringify(options);
  if (key === initialized) return;
  initialized = key;
  mermaid.initialize({
    startOnLoad: false,
    securityLevel: 'strict',
    theme: options.theme,
    themeVariables: options.themeVariables,
    fontFamily: options.fontFamily,
    // The server caps the graph at 300 nodes; these are Mermaid's own guards, raised to fit that.
    maxTextSize: 5_000_000,
    maxEdges: 20_000,
    // Errors go to the page's banner, not into a Mermaid error diagram.
    suppressErrorRendering: true,
    flowchart: { useMaxWidth: false, htmlLabels: true, curve: 'basis', padding: 12, nodeSpacing: 40, rankSpacing: 60 },
  });
}

/**
 * Why this text is not what the server writes, or undefined if it is. The server escapes every
 * label (`#60;` for `<` …), so its only raw `<` is `<br/>`, and it writes no `%%{…}%%`
 * directives and no `click` lines. Anything else is refused before Mermaid sees it: Mermaid
 * measures labels in the live page before its own sanitising is done, so markup in a label would
 * reach the DOM (where only the CSP would stop it).
 */
export function unexpectedMermaid(source: string): string | undefined {
  if (/<(?!br\/>)/.test(source)) return 'a label contains unescaped markup';
  if (source.includes('%%{')) return 'it contains a Mermaid directive';
  if (/^\s*click\s/m.test(source)) return 'it contains a click directive';
  return undefined;
}

/** Renders Mermaid text as the server writes it; throws on anything else and on Mermaid's parse errors. */
export async function renderMermaid(source: string, options: RenderOptions): Promise<Rendered> {
  const unexpected = unexpectedMermaid(source);
  if (unexpected) throw new Error(`refused to draw this Mermaid text: ${unexpected}`);
  initialize(options);
  const renderId = `krl-graph-${++renderCount}`;
  const { svg: text } = await mermaid.render(renderId, source);
  const svg = parseSvg(text);
  const box = svg.viewBox.baseVal;
  const width = box && box.width > 0 ? box.width : Number.parseFloat(svg.getAttribute('width') ?? '') || 100;
  const height = box && box.height > 0 ? box.height : Number.parseFloat(svg.getAttribute('height') ?? '') || 100;
  svg.setAttribute('width', String(width));
  svg.setAttribute('height', String(height));
  svg.style.maxWidth = 'none';
  return { svg, renderId, width, height };
}

/** Elements that run code, load something or navigate; none belongs in a Mermaid flowchart. */
const ACTIVE_ELEMENTS = 'script, img, image, iframe, frame, object, embed, link, meta, base, form, input, button, textarea, select, audio, video, source, track, picture, a, animate, set, animateMotion, animateTransform, use, feImage, portal';

/** Parses Mermaid's output in an inert document, strips active content, and adopts the SVG. */
function parseSvg(text: string): SVGSVGElement {
  const doc = new DOMParser().parseFromString(`<!DOCTYPE html><body>${text}`, 'text/html');
  const svg = doc.body.querySelector('svg');
  if (!svg) throw new Error('Mermaid produced no SVG');
  for (const element of Array.from(svg.querySelectorAll(ACTIVE_ELEMENTS))) element.remove();
  for (const element of [svg, ...Array.from(svg.querySelectorAll('*'))]) stripAttributes(element);
  return document.adoptNode(svg);
}

function stripAttributes(element: Element): void {
  for (const attribute of Array.from(element.attributes)) {
    const name = attribute.name.toLowerCase();
    const value = attribute.value.trim().toLowerCase();
    const reference = name === 'href' || name.endsWith(':href') || name === 'src' || name === 'action' || name === 'formaction';
    if (name.startsWith('on') || (reference && !value.startsWith('#')) || (name === 'style' && /url\s*\(|expression\s*\(/.test(value))) {
      element.removeAttribute(attribute.name);
    }
  }
}

/**
 * The SVG elements of graph nodes, with their graph node ids. Mermaid names a node's group
 * `<renderId>-flowchart-<mermaidId>-<counter>`; the Mermaid ids are the server's `n0`, `n1` …,
 * mapped back through `mermaidIds`.
 */
export function nodeElements(rendered: Rendered, mermaidIds: Readonly<Record<string, string>>): Map<SVGGElement, string> {
  const found = new Map<SVGGElement, string>();
  const prefix = `${rendered.renderId}-flowchart-`;
  for (const element of Array.from(rendered.svg.querySelectorAll<SVGGElement>('g.node'))) {
    if (!element.id.startsWith(prefix)) continue;
    const mermaidId = element.id.slice(prefix.length).replace(/-\d+$/, '');
    const graphId = Object.prototype.hasOwnProperty.call(mermaidIds, mermaidId) ? mermaidIds[mermaidId] : undefined;
    if (graphId !== undefined) found.set(element, graphId);
  }
  return found;
}

/** The drawing as well-formed XML (so the file opens in any SVG viewer); pass an undecorated copy. */
export function svgForExport(svg: SVGSVGElement): string {
  const copy = svg.cloneNode(true) as SVGSVGElement;
  copy.removeAttribute('style');
  copy.setAttribute('xmlns', 'http://www.w3.org/2000/svg');
  return `<?xml version="1.0" encoding="UTF-8"?>\n${new XMLSerializer().serializeToString(copy)}`;
}

/** A node line as the server writes it: indent, Mermaid id and opening bracket; the label; the closing bracket and class. */
const NODE_LINE = /^(\s*(n\d+)[^"\s]*)"(.*)"([^"]*)$/;

/** `#60;` entity codes (what `escapeLabel` writes) back to text. */
function decodeLabel(text: string): string {
  return text.replace(/#(\d+);/g, (_, code: string) => String.fromCodePoint(Number(code)));
}

/**
 * Updates the drawing in place when the new Mermaid text differs from the drawn one only in the
 * text of node labels with the same number of lines (a live edit: a replica count, a port, a
 * name), and the new text fits the node as laid out. Returns false, changing nothing, when
 * anything else differs (then the graph must be laid out again). `svgs` are the live drawing and
 * its undecorated copy, patched alike.
 */
export function patchLabels(drawn: string, next: string, rendered: Rendered, svgs: readonly SVGSVGElement[]): boolean {
  if (unexpectedMermaid(next)) return false;
  const before = drawn.split('\n');
  const after = next.split('\n');
  if (before.length !== after.length) return false;
  const changes: { mermaidId: string; lines: string[] }[] = [];
  for (let i = 0; i < before.length; i++) {
    if (before[i] === after[i]) continue;
    const a = NODE_LINE.exec(before[i]);
    const b = NODE_LINE.exec(after[i]);
    if (!a || !b || a[1] !== b[1] || a[4] !== b[4]) return false;
    const lines = b[3].split('<br/>');
    if (lines.length !== a[3].split('<br/>').length) return false;
    changes.push({ mermaidId: b[2], lines: lines.map(decodeLabel) });
  }
  const undo: (() => void)[] = [];
  for (const svg of svgs) {
    for (const { mermaidId, lines } of changes) {
      const node = svg.querySelector(`g.node[id^="${rendered.renderId}-flowchart-${mermaidId}-"]`);
      const holder = node?.querySelector('foreignObject');
      const text = holder?.querySelector('.nodeLabel p') ?? holder?.querySelector('.nodeLabel');
      if (!holder || !text) {
        for (const step of undo.reverse()) step();
        return false;
      }
      const old = Array.from(text.childNodes);
      undo.push(() => text.replaceChildren(...old));
      text.replaceChildren(...lines.flatMap((line, j) => (j === 0 ? [document.createTextNode(line)] : [document.createElement('br'), document.createTextNode(line)])));
      // The node keeps its laid-out size: a label that no longer fits needs a new layout. (Only
      // the live drawing is measured; the copy is not in the page.)
      const box = holder.firstElementChild;
      if (svg.isConnected && box instanceof HTMLElement && box.scrollWidth > Number.parseFloat(holder.getAttribute('width') ?? '0') + 0.5) {
        for (const step of undo.reverse()) step();
        return false;
      }
    }
  }
  return true;
}
