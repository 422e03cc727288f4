/**
 * Gateway API in the route graph, read from the links and `attachRoute` like everything else:
 *
 *   hostname ─► Gateway listener (Gateway, class and controller; port, protocol, hostname)
 *            ─► route rule (matches, filters) ─► Service (port, weight) ─► workloads
 *
 * One node per listener (so listener isolation shows: a rule hangs under the listeners that
 * accept its route), one node per route rule. Broken links end in `missing` nodes: a parent
 * Gateway or ListenerSet the workspace lacks, a sectionName or port no listener has, a backend
 * Service that does not exist. Refused attachments (namespace, kind, hostname) and backends a
 * ReferenceGrant does not permit are broken edges with the reason as label.
 */
import type { Gateway, GatewayRoute, Listener, Resource, RouteRule, Service } from '../model';
import type { Link } from '../analysis/types';
import { attachRoute, isServiceRef } from '../links/gatewayLinks';
import { backendRefLinks, backendRefPermitted, gatewayClassOf, parentLinkOf } from '../links/gatewayReads';
import type { ListenerAttachment } from '../links/gatewayLinks';
import { describeFilter, describeListener, describeMatch, gatewayName, listenerKey, weightShares } from '../links/gatewayDescribe';
import { sameRange } from '../text/ranges';
import type { Workspace } from '../workspace/workspace';
import { nodeId } from './ids';
import type { GraphEdge, GraphNode } from './model';
import { known } from '../model';

/** What the graph builder offers (buildGraph.ts). */
export interface GraphSink {
  node(node: GraphNode): string;
  edge(edge: GraphEdge): void;
}

/** Draws every Gateway and ListenerSet listener, and every route with its rules and backends. */
export function addGatewayApi(ws: Workspace, b: GraphSink, resources: readonly Resource[], serviceNode: (service: Service) => string): void {
  for (const resource of resources) if (resource.type === 'gateway' && !resource.opaqueIdentity) resource.listeners.forEach((l, i) => b.node(listenerNode(ws, resource, l, i)));
  for (const resource of resources) if (resource.type === 'route' && !resource.opaqueIdentity) addRoute(ws, b, resource, serviceNode);
}

/** The Gateway a listener belongs to: itself, or a ListenerSet's parent (through its link). */
function rootGateway(ws: Workspace, owner: Gateway): Gateway | undefined {
  if (!owner.parentRef) return owner;
  const link = ws.linksFrom(owner.id).find((l) => l.kind === 'listenerset-parent' && l.status === 'resolved');
  const parent = link ? ws.resource(link.targets[0].resourceId) : undefined;
  return parent?.type === 'gateway' ? parent : undefined;
}

/** `class eg (gateway.envoyproxy.io/gatewayclass-controller)`, or `class eg (not in the workspace)`. */
function classText(ws: Workspace, gateway: Gateway | undefined): string | undefined {
  if (!gateway) return undefined;
  const className = known(gateway.gatewayClassName);
  if (className === undefined) return undefined;
  const gatewayClass = gatewayClassOf(ws.linksFrom(gateway.id), (id) => ws.resource(id));
  const controller = known(gatewayClass?.controllerName);
  return `class ${className}${controller ? ` (${controller})` : gatewayClass ? '' : ' (not in the workspace)'}`;
}

export function listenerNode(ws: Workspace, owner: Gateway, listener: Listener, index: number): GraphNode {
  const root = rootGateway(ws, owner);
  const cls = classText(ws, root);
  const of = owner.parentRef ? `of ${root ? gatewayName(root) : `Gateway ${owner.parentRef.namespace}/${known(owner.parentRef.name) ?? '?'}`}` : undefined;
  const listenerText = `listener ${describeListener(listener, index)}`;
  return {
    id: nodeId.listener(owner.id, listenerKey(listener, index)),
    kind: 'gateway',
    label: gatewayName(owner),
    details: [...(of ? [of] : []), ...(cls ? [cls] : []), listenerText],
    namespace: owner.namespace,
    location: { uri: owner.uri, range: listener.range },
    summary: `${gatewayName(owner)}${of ? ` (${of})` : ''}${cls ? `, ${cls}` : ''}: ${listenerText}`,
  };
}

/** The hostnames a rule node stands for: every effective hostname of every accepting listener (`*` for any). */
function ruleHosts(attachments: readonly ListenerAttachment[], route: GatewayRoute): string[] {
  const hosts = new Set<string>();
  for (const a of attachments) for (const h of a.hostnames) hosts.add(h ?? '*');
  if (hosts.size === 0) for (const h of route.hostnames) hosts.add(known(h) ?? '*');
  if (hosts.size === 0) hosts.add('*');
  return [...hosts];
}

function ruleNode(route: GatewayRoute, rule: RouteRule, r: number, hosts: readonly string[]): GraphNode {
  const host = hosts[0];
  const first = rule.matches[0];
  const path = first?.grpc ? `/${known(first.grpc.service) ?? '*'}/${known(first.grpc.method) ?? '*'}` : first ? (known(first.path.value) ?? '/') : '';
  const name = `${route.routeKind} ${route.namespace}/${route.name?.value ?? '(unnamed)'}${route.rules.length > 1 || known(rule.name) ? ` rule ${known(rule.name) ?? r}` : ''}`;
  const matches = rule.matches.map(describeMatch);
  const shown = matches.length > 4 ? [...matches.slice(0, 3), `+${matches.length - 3} more matches`] : matches;
  const filters = rule.filters.map(describeFilter);
  const redirect = rule.filters.some((f) => known(f.type) === 'RequestRedirect');
  const answers = rule.backendRefs.length === 0 && !redirect ? [route.rulesDefaulted ? 'no rules: 500' : 'no backendRefs: 500'] : [];
  return {
    id: nodeId.gatewayRule(route.id, r),
    kind: 'route',
    host,
    hosts,
    label: first ? `${host}${path.startsWith('/') ? path : ` ${route.routeKind}`}` : `${host} ${route.routeKind}`,
    details: [name, ...shown, ...filters, ...answers],
    namespace: route.namespace,
    location: { uri: route.uri, range: rule.range },
    summary: `${name}: ${[...matches, ...filters, ...answers].join('; ') || 'every request'}${hosts.length > 0 ? ` (${hosts.join(', ')})` : ''}`,
  };
}

function addRoute(ws: Workspace, b: GraphSink, route: GatewayRoute, serviceNode: (service: Service) => string): void {
  const q = ws.query();
  const links = ws.linksFrom(route.id);
  const accepted: ListenerAttachment[] = [];
  const edges: (() => void)[] = [];
  const ruleIds = route.rules.map((_, r) => nodeId.gatewayRule(route.id, r));
  for (const ref of route.parentRefs) {
    const link = parentLinkOf(links, ref);
    if (!link || link.status === 'unknown') continue;
    const name = known(ref.name) ?? '';
    if (link.status === 'missing') {
      const missing: GraphNode = {
        id: nodeId.missingParent(ref.kind, ref.namespace, name),
        kind: 'missing',
        label: `${ref.kind} ${ref.namespace}/${name}`,
        details: ['missing'],
        namespace: ref.namespace,
        location: { uri: route.uri, range: link.range },
        summary: `No ${ref.kind} ${name} in namespace ${ref.namespace} (parentRef of ${route.routeKind} ${route.namespace}/${route.name?.value ?? ''})`,
      };
      edges.push(() => {
        const id = b.node(missing);
        for (const host of route.hostnames) if (known(host)) b.edge({ from: b.node(hostNode(known(host)!)), to: id, kind: 'host', style: 'normal' });
        for (const rule of ruleIds) b.edge({ from: id, to: rule, kind: 'route', style: 'broken' });
      });
      continue;
    }
    const parents = link.targets.map((t) => ws.resource(t.resourceId)).filter((r): r is Gateway => r?.type === 'gateway');
    const attachment = attachRoute(route, ref, parents, q);
    if (attachment.problem === 'NoMatchingParent') {
      const selector = attachment.selector === 'sectionName' ? known(ref.sectionName) : attachment.selector === 'port' ? `port ${known(ref.port)}` : undefined;
      const parent = parents[0];
      if (!parent || selector === undefined) continue;
      const missing: GraphNode = {
        id: nodeId.missingListener(parent.id, selector),
        kind: 'missing',
        label: `listener ${selector}`,
        details: [`not in ${gatewayName(parent)}`],
        namespace: parent.namespace,
        location: { uri: route.uri, range: ref.sectionName?.range ?? ref.port?.range ?? link.range },
        summary: `${gatewayName(parent)} has no listener ${attachment.selector === 'sectionName' ? `named ${selector}` : `on ${selector}`}`,
      };
      edges.push(() => {
        const id = b.node(missing);
        for (const rule of ruleIds) b.edge({ from: id, to: rule, kind: 'route', label: 'NoMatchingParent', style: 'broken' });
      });
      continue;
    }
    // Refusals are drawn only when no listener of the parent accepts the route (then it is not attached at all).
    for (const a of attachment.accepted.length > 0 ? attachment.accepted : attachment.relevant) {
      const listenerId = nodeId.listener(a.parent.id, listenerKey(a.listener, a.parent.listeners.indexOf(a.listener)));
      if (a.refusal === undefined) {
        accepted.push(a);
        edges.push(() => {
          for (const host of a.hostnames) b.edge({ from: b.node(hostNode(host ?? '*')), to: listenerId, kind: 'host', style: 'normal' });
          for (const rule of ruleIds) b.edge({ from: listenerId, to: rule, kind: 'route', style: 'normal' });
        });
      } else {
        const reason = a.refusal === 'namespace' ? 'namespace not allowed' : a.refusal === 'kind' ? `${route.routeKind} not allowed` : 'no hostname in common';
        edges.push(() => {
          for (const rule of ruleIds) b.edge({ from: listenerId, to: rule, kind: 'route', label: reason, style: 'broken' });
        });
      }
    }
  }
  const hosts = ruleHosts(accepted, route);
  route.rules.forEach((rule, r) => {
    b.node(ruleNode(route, rule, r, hosts));
    addBackends(ws, b, route, rule, ruleIds[r], links, serviceNode);
  });
  for (const draw of edges) draw();
}

function hostNode(host: string): GraphNode {
  return { id: nodeId.host(host), kind: 'host', label: host, details: [], summary: host === '*' ? 'Requests for any host' : `Requests for ${host}` };
}

function addBackends(ws: Workspace, b: GraphSink, route: GatewayRoute, rule: RouteRule, from: string, links: readonly Link[], serviceNode: (service: Service) => string): void {
  const shares = weightShares(rule.backendRefs);
  const several = rule.backendRefs.length > 1;
  rule.backendRefs.forEach((ref, i) => {
    const name = known(ref.name);
    if (name === undefined || !isServiceRef(ref)) return;
    const portText = known(ref.port) !== undefined ? String(known(ref.port)) : '';
    const weight = several || shares[i] === 0 ? `${shares[i]}%` : '';
    const label = (extra?: string) => [portText, weight, extra].filter((t) => t).join(' · ') || undefined;
    const { service: serviceLink, port: portLink } = backendRefLinks(links, ref);
    if (!serviceLink || serviceLink.status === 'unknown') return;
    if (serviceLink.status === 'missing') {
      const missing = b.node({ id: nodeId.missingService(ref.namespace, name), kind: 'missing', label: `Service ${name}`, details: ['missing'], namespace: ref.namespace, location: { uri: route.uri, range: serviceLink.range }, summary: `No Service ${name} in namespace ${ref.namespace}` });
      b.edge({ from, to: missing, kind: 'backend', label: label(), style: 'broken' });
      return;
    }
    const service = ws.resource(serviceLink.targets[0].resourceId);
    if (service?.type !== 'service') return;
    const grant = backendRefPermitted(route, ref, ws.query());
    const noPort = portLink?.status === 'missing' || ref.port === undefined;
    const problem = !grant.permitted ? 'no ReferenceGrant' : noPort ? (ref.port === undefined ? 'no port' : 'no such port') : undefined;
    b.edge({ from, to: serviceNode(service), kind: 'backend', label: label(problem), style: problem ? 'broken' : 'normal' });
  });
}

/** The Service port a resolved `route-backend-port` link lands on (its target is the port's `port:` value). */
export function backendServicePort(service: Service, portLink: Link | undefined): Service['ports'][number] | undefined {
  const target = portLink?.status === 'resolved' ? portLink.targets.find((t) => t.resourceId === service.id) : undefined;
  return target ? service.ports.find((p) => p.port && sameRange(p.port.range, target.range)) : undefined;
}

