/**
 * Folding hosts that are served alike, so a repository with dozens of hostnames for the same
 * applications draws each route once. Two hosts fold when they reach the same Ingress
 * controller(s) and their Ingress rule paths have the same shape: the same path, details
 * (Ingress, pathType, rewrite) and the same backends with the same edge labels and styles. The
 * folded host keeps the first host's node (label `N hosts`, the names in its details and in its
 * summary, which the panel shows as the tooltip), and each folded route keeps the first host's
 * route node. `folded` lists the graph node ids each node stands for.
 *
 * Gateway API rules are never folded (a rule already serves every hostname it lists), nor are
 * nodes in `keep` (a traced route stays as it is, so its highlight lands on the right node).
 * Pure: the LSP request and the CLI's HTML page use it; `graph --format json` does not.
 */
import type { GraphEdge, GraphNode, RouteGraph } from './model';

/** Host names written into a folded host's label; the rest are counted (the summary lists all). */
const NAMES_IN_LABEL = 3;

function edgeShape(edge: GraphEdge): string {
  return JSON.stringify([edge.kind, edge.to, edge.label ?? '', edge.style]);
}

export function foldHosts(graph: RouteGraph, keep: ReadonlySet<string> = new Set()): RouteGraph {
  const byId = new Map(graph.nodes.map((n) => [n.id, n]));
  const outgoing = new Map<string, GraphEdge[]>();
  const incoming = new Map<string, GraphEdge[]>();
  for (const edge of graph.edges) {
    outgoing.set(edge.from, [...(outgoing.get(edge.from) ?? []), edge]);
    incoming.set(edge.to, [...(incoming.get(edge.to) ?? []), edge]);
  }

  // Each foldable host's signature, and its route nodes in a fixed order.
  const groups = new Map<string, { host: GraphNode; routes: GraphNode[] }[]>();
  for (const host of graph.nodes) {
    if (host.kind !== 'host' || keep.has(host.id)) continue;
    const out = outgoing.get(host.id) ?? [];
    if (out.length === 0 || out.some((e) => e.kind !== 'host' || byId.get(e.to)?.kind !== 'controller')) continue;
    const controllers = out.map((e) => e.to).sort();
    const routes: { node: GraphNode; shape: string }[] = [];
    let foldable = true;
    for (const controller of controllers) {
      for (const edge of outgoing.get(controller) ?? []) {
        const route = byId.get(edge.to);
        if (!route || route.kind !== 'route' || route.host !== host.label || route.hosts) continue;
        const into = incoming.get(route.id) ?? [];
        if (keep.has(route.id) || into.length !== 1 || !route.label.startsWith(host.label)) {
          foldable = false;
          break;
        }
        const shape = JSON.stringify([controller, route.label.slice(host.label.length), route.details, route.namespace ?? '', (outgoing.get(route.id) ?? []).map(edgeShape).sort()]);
        routes.push({ node: route, shape });
      }
    }
    if (!foldable || routes.length === 0) continue;
    routes.sort((a, b) => (a.shape < b.shape ? -1 : a.shape > b.shape ? 1 : 0));
    const signature = JSON.stringify([controllers, routes.map((r) => r.shape)]);
    groups.set(signature, [...(groups.get(signature) ?? []), { host, routes: routes.map((r) => r.node) }]);
  }

  const replaced = new Map<string, GraphNode>();
  const removed = new Set<string>();
  for (const members of groups.values()) {
    if (members.length < 2) continue;
    const [first] = members;
    const names = members.map((m) => m.host.label);
    const shown = names.slice(0, NAMES_IN_LABEL);
    replaced.set(first.host.id, {
      ...first.host,
      label: `${names.length} hosts`,
      details: names.length > NAMES_IN_LABEL ? [...shown, `+${names.length - NAMES_IN_LABEL} more`] : shown,
      summary: `Requests for ${names.length} hosts served alike: ${names.join(', ')}`,
      folded: members.map((m) => m.host.id),
    });
    first.routes.forEach((route, i) => {
      const path = route.label.slice(first.host.label.length) || '/';
      replaced.set(route.id, {
        ...route,
        label: path,
        details: [...route.details, `on ${names.length} hosts`],
        summary: `${route.summary.replace(`${first.host.label}${path}`, path)}, on ${names.length} hosts: ${names.join(', ')}`,
        folded: members.map((m) => m.routes[i].id),
      });
    });
    for (const member of members.slice(1)) {
      removed.add(member.host.id);
      for (const route of member.routes) removed.add(route.id);
    }
  }
  if (removed.size === 0) return graph;
  return {
    ...graph,
    nodes: graph.nodes.filter((n) => !removed.has(n.id)).map((n) => replaced.get(n.id) ?? n),
    edges: graph.edges.filter((e) => !removed.has(e.from) && !removed.has(e.to)),
  };
}
