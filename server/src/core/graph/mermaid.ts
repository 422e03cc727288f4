/**
 * The route graph as Mermaid flowchart text. Labels come from untrusted manifests (names, hosts,
 * regex paths), so every label goes through `escapeLabel`, which turns anything but plain
 * letters, digits and a few safe punctuation marks into Mermaid entity codes (`#60;`), and node
 * ids are generated (`n0`, `n1` …), never taken from the manifests. Pure: the CLI and the
 * webview both use it.
 */
import type { GraphEdge, GraphNode, RouteGraph } from './model';

/** Characters kept as they are in labels; everything else (`"`, `<`, `#`, `$` of Mermaid's math, backticks of its markdown …) becomes `#<code>;`. */
const SAFE = /[A-Za-z0-9 .,:/_+=*?^~@!()-]/;

/** Longest label line, so a hostile 10 000-character name cannot blow up the layout. */
const MAX_LINE = 80;

/**
 * Written between two dollar signs: U+2060 WORD JOINER, invisible and never a line break. Mermaid
 * typesets `$$…$$` as KaTeX math (and an unknown command fails the whole drawing), and `#36;` alone
 * does not prevent it: in a label with a line break, Mermaid's sanitiser (DOMPurify) parses the
 * label as HTML and writes it back with the entity decoded, before it looks for math. Two dollars
 * that never meet cannot open math, however often the label is decoded.
 */
const DOLLAR_JOINER = '#8288;';

export function escapeLabel(text: string): string {
  const clipped = text.length > MAX_LINE ? `${text.slice(0, MAX_LINE - 1)}…` : text;
  let out = '';
  let previous = '';
  for (const ch of clipped) {
    if (ch === '$' && previous === '$') out += DOLLAR_JOINER;
    out += SAFE.test(ch) ? ch : `#${ch.codePointAt(0)};`;
    previous = ch;
  }
  return out;
}

export interface MermaidResult {
  readonly text: string;
  /** Mermaid node id (`n3`) → graph node id, for mapping clicks back to resources. */
  readonly ids: Readonly<Record<string, string>>;
}

const SHAPES: Record<GraphNode['kind'], [string, string]> = {
  host: ['([', '])'],
  entry: ['[/', '/]'],
  controller: ['{{', '}}'],
  gateway: ['{{', '}}'],
  route: ['[', ']'],
  service: ['[[', ']]'],
  workload: ['(', ')'],
  hpa: ['>', ']'],
  missing: ['[', ']'],
};

const CLASSES = [
  'classDef host fill:#e7f0ff,stroke:#326ce5,color:#1d3f8f',
  'classDef entry fill:#fff4d6,stroke:#b38600,color:#5c4500',
  'classDef controller fill:#ede7ff,stroke:#6b4fbb,color:#3b2a70',
  'classDef gateway fill:#e0f4f4,stroke:#0f7b7b,color:#0a4747',
  'classDef route fill:#f3f6f9,stroke:#5b6b7b,color:#1f2933',
  'classDef service fill:#e3f6ec,stroke:#1f8a4c,color:#0e4d2a',
  'classDef workload fill:#fdeee3,stroke:#c1571b,color:#6b2d0b',
  'classDef hpa fill:#f1f1f1,stroke:#777,color:#333',
  'classDef missing fill:#ffe3e3,stroke:#d33,color:#8a1010,stroke-dasharray:4 3',
];

function nodeText(node: GraphNode): string {
  const lines = [node.label, ...node.details].map(escapeLabel);
  return `"${lines.join('<br/>')}"`;
}

function arrow(edge: GraphEdge): string {
  const label = edge.label ? `|"${escapeLabel(edge.label)}"|` : '';
  if (edge.style === 'broken') return `-.->${label}`;
  if (edge.style === 'local') return `==>${label}`;
  return `-->${label}`;
}

/**
 * How nodes are boxed into Mermaid subgraphs: `namespace` (each namespace's routes, Services and
 * workloads in one box; hosts and controllers, which belong to none, outside), `controller` (each
 * Ingress controller or Gateway listener with the hosts, routes, Services and workloads only it
 * serves), or `none`. A graph whose boxed nodes would all share one box is not boxed.
 */
export type GraphGrouping = 'namespace' | 'controller' | 'none';

export interface MermaidOptions {
  readonly group?: GraphGrouping;
}

/** The box each node goes into (its title), or undefined for none. */
function groupsOf(graph: RouteGraph, group: GraphGrouping): Map<string, string> {
  const boxes = new Map<string, string>();
  if (group === 'namespace') {
    for (const node of graph.nodes) if (node.namespace !== undefined) boxes.set(node.id, `namespace ${node.namespace}`);
    return boxes;
  }
  if (group === 'none') return boxes;
  const successors = new Map<string, string[]>();
  for (const edge of graph.edges) successors.set(edge.from, [...(successors.get(edge.from) ?? []), edge.to]);
  // Which controllers reach each node downstream.
  const owners = new Map<string, Set<string>>();
  const heads = graph.nodes.filter((n) => n.kind === 'controller' || n.kind === 'gateway');
  const headIds = new Set(heads.map((h) => h.id));
  for (const head of heads) {
    const queue = [head.id];
    const seen = new Set(queue);
    for (let i = 0; i < queue.length; i++) {
      owners.set(queue[i], (owners.get(queue[i]) ?? new Set()).add(head.id));
      for (const next of successors.get(queue[i]) ?? []) {
        if (seen.has(next) || headIds.has(next)) continue;
        seen.add(next);
        queue.push(next);
      }
    }
  }
  // Nodes upstream of the controllers (hosts, entries) and beside them (HPAs): their successors' owner.
  for (const node of graph.nodes) {
    if (owners.has(node.id)) continue;
    const found = new Set<string>();
    for (const next of successors.get(node.id) ?? []) for (const owner of owners.get(next) ?? []) found.add(owner);
    if (found.size > 0) owners.set(node.id, found);
  }
  const titles = new Map(heads.map((h) => [h.id, h.label]));
  for (const [id, set] of owners) if (set.size === 1) boxes.set(id, titles.get([...set][0]) ?? '');
  return boxes;
}

export function toMermaid(graph: RouteGraph, highlight: ReadonlySet<string> = new Set(), options: MermaidOptions = {}): MermaidResult {
  const ids: Record<string, string> = {};
  const mermaidId = new Map<string, string>();
  graph.nodes.forEach((node, i) => {
    mermaidId.set(node.id, `n${i}`);
    ids[`n${i}`] = node.id;
  });
  const lines = ['flowchart LR'];
  const nodeLine = (node: GraphNode, indent: string) => {
    const [open, close] = SHAPES[node.kind];
    return `${indent}${mermaidId.get(node.id)}${open}${nodeText(node)}${close}:::${node.kind}`;
  };
  // A node belongs to the subgraph it is first written in: nodes are written inside their box,
  // edges after all boxes.
  const grouped = groupsOf(graph, options.group ?? 'none');
  // One box separates nothing and costs a compound layout (about 200 ms of Mermaid's dagre at 300
  // nodes: test/bench/webviewProfile.mjs): a graph whose nodes would all share one box has none.
  const boxes = new Set(grouped.values()).size > 1 ? grouped : new Map<string, string>();
  const boxed = new Map<string, GraphNode[]>();
  for (const node of graph.nodes) {
    const box = boxes.get(node.id);
    if (box === undefined) lines.push(nodeLine(node, '  '));
    else boxed.set(box, [...(boxed.get(box) ?? []), node]);
  }
  let box = 0;
  for (const [title, members] of boxed) {
    lines.push(`  subgraph g${box++}["${escapeLabel(title)}"]`, ...members.map((node) => nodeLine(node, '    ')), '  end');
  }
  const linkStyles: string[] = [];
  let i = -1;
  for (const edge of graph.edges) {
    const from = mermaidId.get(edge.from);
    const to = mermaidId.get(edge.to);
    if (!from || !to) continue;
    i++;
    lines.push(`  ${from} ${arrow(edge)} ${to}`);
    if (edge.style === 'broken') linkStyles.push(`  linkStyle ${i} stroke:#d33,color:#d33`);
    if (edge.style === 'local') linkStyles.push(`  linkStyle ${i} stroke:#b38600`);
    if (highlight.has(edge.from) && highlight.has(edge.to)) linkStyles.push(`  linkStyle ${i} stroke:#e8590c,stroke-width:4px`);
  }
  lines.push(...linkStyles, ...CLASSES.map((c) => `  ${c}`));
  const highlighted = graph.nodes.filter((n) => highlight.has(n.id)).map((n) => mermaidId.get(n.id));
  if (highlighted.length > 0) lines.push('  classDef traced stroke:#e8590c,stroke-width:4px', `  class ${highlighted.join(',')} traced`);
  return { text: `${lines.join('\n')}\n`, ids };
}
