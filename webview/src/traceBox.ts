/**
 * The box listing a traced request's steps beside the graph. Every string goes in with
 * `textContent`; text between backticks becomes a <code> element.
 */
import type { TraceView } from './protocol';

export interface TraceBoxActions {
  reveal(nodeId: string): void;
  close(): void;
}

export function renderTrace(box: HTMLElement, trace: TraceView | undefined, revealable: ReadonlySet<string>, actions: TraceBoxActions): void {
  box.hidden = trace === undefined;
  if (!trace) {
    box.replaceChildren();
    return;
  }
  const header = element('div', 'trace-header');
  const title = element('h2', 'trace-title', 'Trace');
  const close = element('button', 'icon-button', '×');
  close.type = 'button';
  close.title = 'Close the trace';
  close.setAttribute('aria-label', 'Close the trace');
  close.addEventListener('click', () => actions.close());
  header.append(title, close);

  const url = element('div', 'trace-url', trace.url);
  const verdict = element('div', trace.found ? 'trace-verdict found' : 'trace-verdict not-found');
  const redirect = trace.found && trace.status !== undefined && trace.status >= 300 && trace.status < 400;
  const host = trace.upstreamHost !== undefined ? ` for host \`${trace.upstreamHost}\`` : '';
  const found = redirect
    ? `Answers ${trace.status}: a redirect the manifests configure.`
    : `Reaches the pods; ${trace.upstreamPath !== undefined ? `the backend receives \`${trace.upstreamPath}\`${host}` : 'the path the backend receives cannot be known offline'}.`;
  verdict.append(withCode(trace.found ? found : (trace.reason ?? 'Goes nowhere.')));
  const parts: HTMLElement[] = [header, url, verdict];
  if (!trace.found && trace.closest) {
    const closest = element('div', 'trace-closest');
    closest.append(element('span', 'trace-closest-label', 'Closest: '), withCode(trace.closest));
    parts.push(closest);
  }
  const list = element('ol', 'trace-steps');
  for (const step of trace.steps) list.append(stepItem(step, revealable, actions));
  parts.push(list);
  box.replaceChildren(...parts);
}

function stepItem(step: TraceView['steps'][number], revealable: ReadonlySet<string>, actions: TraceBoxActions): HTMLLIElement {
  const item = element('li', `trace-step kind-${/^[a-z]+$/.test(step.kind) ? step.kind : 'other'}`);
  item.append(element('span', 'trace-kind', step.kind), withCode(step.text));
  const nodeId = step.nodeId;
  if (nodeId !== undefined && revealable.has(nodeId)) {
    item.classList.add('revealable');
    item.tabIndex = 0;
    item.title = 'Open in the editor';
    item.addEventListener('click', () => actions.reveal(nodeId));
    item.addEventListener('keydown', (event) => {
      if (event.key !== 'Enter' && event.key !== ' ') return;
      event.preventDefault();
      actions.reveal(nodeId);
    });
  }
  return item;
}

/** Text with `code` spans: a <span> of text nodes and <code> elements. */
function withCode(text: string): HTMLSpanElement {
  const wrapper = element('span', 'trace-text');
  text.split('`').forEach((part, i) => {
    if (part !== '') wrapper.append(i % 2 === 1 ? element('code', '', part) : document.createTextNode(part));
  });
  return wrapper;
}

function element<K extends keyof HTMLElementTagNameMap>(tag: K, className: string, text?: string): HTMLElementTagNameMap[K] {
  const created = document.createElement(tag);
  if (className) created.className = className;
  if (text !== undefined) created.textContent = text;
  return created;
}
