/**
 * Builds the route graph from the links: hosts → controllers → Ingress rules → Services →
 * workloads, hosts → Gateway listeners → route rules → Services (gatewayGraph.ts), entry points for Services reachable from outside, HPAs on their workloads, and
 * `missing` nodes where a link is broken. Then keeps the part the scope asks for.
 */
import type { Hpa, Ingress, IngressBackend, Resource, Service, Workload } from '../model';
import { describePort, portLabel } from '../links/ingressLinks';
import { nameOf } from '../links/describe';
import { backendLinks, controllerServices, linkedService, reachedPorts, replicaBounds, replicaDetail, selectedWorkloads, targetPortLink } from '../features/related';
import { sameRange } from '../text/ranges';
import { controllerOf } from '../links/ingressController';
import type { ControllerChoice } from '../links/ingressController';
import type { ControllerService } from '../features/related';
import type { Workspace } from '../workspace/workspace';
import { DEFAULT_CLASS_LABEL, nodeId } from './ids';
import { addGatewayApi } from './gatewayGraph';
import type { GraphEdge, GraphNode, GraphScope, RouteGraph } from './model';

export const DEFAULT_NODE_BUDGET = 300;

class GraphBuilder {
  readonly nodes = new Map<string, GraphNode>();
  readonly edges: GraphEdge[] = [];
  private readonly edgeKeys = new Set<string>();

  node(node: GraphNode): string {
    if (!this.nodes.has(node.id)) this.nodes.set(node.id, node);
    return node.id;
  }

  edge(edge: GraphEdge): void {
    const id = `${edge.from}\u0000${edge.to}\u0000${edge.label ?? ''}`;
    if (this.edgeKeys.has(id)) return;
    this.edgeKeys.add(id);
    this.edges.push(edge);
  }
}

export function buildRouteGraph(ws: Workspace, scope: GraphScope = { kind: 'workspace' }, budget = DEFAULT_NODE_BUDGET): RouteGraph {
  const builder = new GraphBuilder();
  const resources = ws.allResources();
  const controllers = controllerServices(ws);
  for (const resource of resources) {
    if (resource.type === 'ingress' && !resource.opaqueIdentity) addIngress(ws, builder, resource, controllers);
    // A controller's own Service and pods are drawn as the controller node.
    if (resource.type === 'service' && !resource.opaqueIdentity && !controllers.has(resource.id)) addService(ws, builder, resource);
    if (resource.type === 'hpa') addHpa(ws, builder, resource);
  }
  // Gateway API routes are drawn beside the Ingresses, to the same Service nodes.
  addGatewayApi(ws, builder, resources, (service) => {
    if (!builder.nodes.has(serviceId(service))) addService(ws, builder, service);
    return serviceId(service);
  });
  if (scope.kind === 'file' || scope.kind === 'resource') {
    for (const resource of resources) if (resource.type === 'workload' && resource.template) builder.node(workloadNode(resource));
  }
  return limit(select(builder, scope, ws), budget);
}

function location(resource: Resource) {
  return { uri: resource.uri, range: resource.anchor };
}

/**
 * The Services in front of the controller that serves an Ingress: those selecting its controller
 * pods (two installations with two classes are two entries, each to its own class).
 */
function exposureOf(choice: ControllerChoice, controllers: ReadonlyMap<string, ControllerService>): Service[] {
  return [...controllers.values()].filter((c) => c.workloads.some((w) => choice.workloads.includes(w))).map((c) => c.service);
}

function controllerNode(choice: ControllerChoice, exposed: readonly Service[]): GraphNode {
  const ingressClass = choice.ingressClass;
  const name = choice.className || DEFAULT_CLASS_LABEL;
  const exposure = exposed.flatMap((s) => s.ports.map((p) => (p.nodePort && !p.nodePort.unknown && p.nodePort.value ? `${s.serviceType.value} ${p.nodePort.value}${p.name && !p.name.unknown ? ` (${p.name.value})` : ''}` : ''))).filter((t) => t);
  const controller = ingressClass?.controller?.value;
  return {
    id: nodeId.controller(name),
    kind: 'controller',
    label: `IngressClass ${name}`,
    details: [...(controller ? [controller] : []), ...exposure],
    location: ingressClass ? location(ingressClass) : undefined,
    summary: `Ingress controller of class ${name}${controller ? ` (${controller})` : ''}${exposure.length > 0 ? `, reached on ${exposure.join(', ')}` : ''}`,
  };
}

function addIngress(ws: Workspace, b: GraphBuilder, ingress: Ingress, controllers: ReadonlyMap<string, ControllerService>): void {
  const choice = controllerOf(ws.query(), ingress);
  const exposed = exposureOf(choice, controllers);
  const controller = b.node(controllerNode(choice, exposed));
  for (const service of exposed) {
    for (const port of service.ports) {
      const entry = entryNode(service, port.nodePort && !port.nodePort.unknown ? port.nodePort.value : undefined);
      if (entry) b.edge({ from: b.node(entry), to: controller, kind: 'expose', label: portLabel(port), style: policyStyle(service) });
    }
  }
  const rewrite = ingress.rewriteTarget && !ingress.rewriteTarget.unknown ? ingress.rewriteTarget.value : undefined;
  ingress.rules.forEach((rule, r) => {
    const host = rule.host && !rule.host.unknown ? rule.host.value : '*';
    const hostId = b.node({ id: nodeId.host(host), kind: 'host', label: host, details: [], summary: host === '*' ? 'Requests for any host' : `Requests for ${host}` });
    b.edge({ from: hostId, to: controller, kind: 'host', style: 'normal' });
    rule.paths.forEach((path, p) => {
      const value = path.path && !path.path.unknown ? path.path.value : '/';
      const pathType = path.pathType?.value ?? 'ImplementationSpecific';
      const id = b.node({
        id: nodeId.route(ingress.id, r, p),
        kind: 'route',
        host,
        label: `${host}${value}`,
        details: [`Ingress ${nameOf(ingress)}`, pathType, ...(rewrite ? [`rewrite → ${rewrite}`] : [])],
        namespace: ingress.namespace,
        location: { uri: ingress.uri, range: path.path?.range ?? path.range },
        summary: `Ingress ${nameOf(ingress)}: ${host}${value} (${pathType})${rewrite ? `, rewritten to ${rewrite}` : ''}`,
      });
      b.edge({ from: controller, to: id, kind: 'route', style: 'normal' });
      if (path.backend) addBackend(ws, b, ingress, path.backend, id);
    });
  });
  if (ingress.defaultBackend) {
    const id = b.node({ id: nodeId.defaultRoute(ingress.id), kind: 'route', label: '(default backend)', details: [`Ingress ${nameOf(ingress)}`], namespace: ingress.namespace, location: { uri: ingress.uri, range: ingress.defaultBackend.range }, summary: `Default backend of Ingress ${nameOf(ingress)}` });
    b.edge({ from: controller, to: id, kind: 'route', style: 'normal' });
    addBackend(ws, b, ingress, ingress.defaultBackend, id);
  }
}

function addBackend(ws: Workspace, b: GraphBuilder, ingress: Ingress, backend: IngressBackend, from: string): void {
  const name = backend.service?.name;
  if (!name || name.unknown) return;
  const links = backendLinks(ws, ingress, backend);
  const service = linkedService(ws, links.service);
  const port = backend.service?.port;
  const portText = port && !port.unknown ? String(port.value) : '';
  if (!service) {
    if (links.service?.status !== 'missing') return;
    const missing = b.node({ id: nodeId.missingService(ingress.namespace, name.value), kind: 'missing', label: `Service ${name.value}`, details: ['missing'], namespace: ingress.namespace, rule: 'ingress-backend-service-missing', location: { uri: ingress.uri, range: name.range }, summary: `No Service ${name.value} in namespace ${ingress.namespace}` });
    b.edge({ from, to: missing, kind: 'backend', label: portText || undefined, style: 'broken' });
    return;
  }
  const broken = links.port?.status === 'missing';
  b.edge({ from, to: serviceId(service), kind: 'backend', label: broken ? `${portText} (no such port)` : portText || undefined, style: broken ? 'broken' : 'normal' });
}

function serviceId(service: Service): string {
  return nodeId.service(service.id);
}

function policyStyle(service: Service): GraphEdge['style'] {
  const policy = service.externalTrafficPolicy;
  return policy && !policy.unknown && policy.value === 'Local' ? 'local' : 'normal';
}

function entryNode(service: Service, nodePort: number | undefined): GraphNode | undefined {
  const type = service.serviceType.value;
  if (type !== 'NodePort' && type !== 'LoadBalancer') return undefined;
  const label = nodePort ? `node:${nodePort}` : type === 'LoadBalancer' ? 'load balancer' : 'node:(assigned)';
  return { id: nodeId.entry(service.id, nodePort), kind: 'entry', label, details: [type], namespace: service.namespace, location: location(service), summary: `${type} entry of Service ${nameOf(service)}${nodePort ? ` on node port ${nodePort}` : ''}` };
}

function addService(ws: Workspace, b: GraphBuilder, service: Service): void {
  const id = b.node({
    id: serviceId(service),
    kind: 'service',
    label: `Service ${nameOf(service)}`,
    details: [`${service.serviceType.value}${service.headless ? ' (headless)' : ''}`, ...service.ports.map(portLabel)],
    namespace: service.namespace,
    location: location(service),
    summary: `Service ${nameOf(service)} · ${service.serviceType.value} · ${service.ports.map(describePort).join(', ')}`,
  });
  for (const port of service.ports) {
    const nodePort = port.nodePort && !port.nodePort.unknown && port.nodePort.value !== 0 ? port.nodePort.value : undefined;
    const entry = entryNode(service, nodePort);
    if (!entry) continue;
    const policy = policyStyle(service) === 'local' ? ' · Local' : '';
    b.edge({ from: b.node(entry), to: id, kind: 'expose', label: `${nodePort ?? '?'} → ${port.port && !port.port.unknown ? port.port.value : '?'}${policy}`, style: policyStyle(service) });
  }
  addPods(ws, b, service, id);
}

function mapping(ws: Workspace, service: Service): string | undefined {
  const parts = service.ports.map((port) => {
    const target = port.targetPort;
    const number = port.port && !port.port.unknown ? port.port.value : '?';
    if (!target || target.unknown) return `${number}`;
    const reached = reachedPorts(targetPortLink(ws, service, port));
    const suffix = typeof target.value === 'string' ? `${target.value}${reached.length > 0 ? `(${reached.join('/')})` : ''}` : String(target.value);
    return `${number} → ${suffix}`;
  });
  return parts.length > 0 ? parts.join(', ') : undefined;
}

function addPods(ws: Workspace, b: GraphBuilder, service: Service, from: string): void {
  const selector = ws.linksFrom(service.id).find((l) => l.kind === 'service-selector');
  if (!selector) return;
  const label = mapping(ws, service);
  if (selector.status === 'missing') {
    const missing = b.node({ id: nodeId.missingPods(service.id), kind: 'missing', label: `pods ${selector.text}`, details: ['no pod template matches'], namespace: service.namespace, rule: 'service-selects-nothing', location: { uri: service.uri, range: selector.range }, summary: `No pod template in namespace ${service.namespace} has ${selector.text}` });
    b.edge({ from, to: missing, kind: 'select', label, style: 'broken' });
    return;
  }
  for (const workload of selectedWorkloads(ws, service)) b.edge({ from, to: b.node(workloadNode(workload)), kind: 'select', label, style: 'normal' });
}

function workloadNode(workload: Workload): GraphNode {
  const detail = replicaDetail(workload);
  return {
    id: nodeId.workload(workload.id),
    kind: 'workload',
    label: `${workload.kind} ${nameOf(workload)}`,
    details: detail ? [detail] : [],
    namespace: workload.namespace,
    location: location(workload),
    summary: `${workload.kind} ${nameOf(workload)}${detail ? ` (${detail})` : ''} in namespace ${workload.namespace}`,
  };
}

function addHpa(ws: Workspace, b: GraphBuilder, hpa: Hpa): void {
  const link = ws.linksFrom(hpa.id).find((l) => l.kind === 'hpa-target');
  const target = link?.status === 'resolved' ? ws.resource(link.targets[0].resourceId) : undefined;
  if (target?.type !== 'workload') return;
  const bounds = `${replicaBounds(hpa)} replicas`;
  const id = b.node({ id: nodeId.hpa(hpa.id), kind: 'hpa', label: `HPA ${nameOf(hpa)}`, details: [bounds], namespace: hpa.namespace, location: location(hpa), summary: `HorizontalPodAutoscaler ${nameOf(hpa)} scales ${target.kind} ${nameOf(target)} between ${bounds}` });
  b.edge({ from: id, to: b.node(workloadNode(target)), kind: 'scale', style: 'normal' });
}

/** Keeps the nodes of the scope and everything upstream and downstream of them. */
function select(b: GraphBuilder, scope: GraphScope, ws: Workspace): RouteGraph {
  const all = [...b.nodes.values()];
  let seeds: GraphNode[];
  switch (scope.kind) {
    case 'workspace':
      return sorted(all, b.edges);
    case 'namespace':
      seeds = all.filter((n) => n.namespace === scope.namespace);
      break;
    case 'host':
      return hostScope(b, scope.host);
    case 'file':
      seeds = all.filter((n) => n.location?.uri === scope.uri);
      break;
    case 'resource': {
      const resource = ws.resource(scope.resourceId);
      seeds = all.filter((n) => n.id.includes(scope.resourceId) || (resource !== undefined && n.location?.uri === resource.uri && sameRange(n.location.range, resource.anchor)));
      break;
    }
  }
  const keep = reachable(seeds.map((n) => n.id), b.edges);
  // A namespace scope draws the way in (hosts, controllers, Gateway listeners) but not other namespaces' objects.
  if (scope.kind === 'namespace') for (const node of all) if (node.namespace !== undefined && node.namespace !== scope.namespace && node.kind !== 'gateway') keep.delete(node.id);
  return sorted(all.filter((n) => keep.has(n.id)), b.edges.filter((e) => keep.has(e.from) && keep.has(e.to)));
}

/**
 * A host's routes: its rule paths (Ingress paths, Gateway API rules) and everything downstream of
 * them, plus the host, the controllers or Gateway listeners in between and the entries that reach those controllers (not the controllers'
 * other hosts' routes).
 */
function hostScope(b: GraphBuilder, host: string): RouteGraph {
  const all = [...b.nodes.values()];
  const routes = all.filter((n) => n.kind === 'route' && (n.host === host || n.hosts?.includes(host))).map((n) => n.id);
  const keep = new Set<string>(reachable(routes, b.edges, 'down'));
  const controllers = b.edges.filter((e) => routes.includes(e.to)).map((e) => e.from);
  for (const id of controllers) keep.add(id);
  for (const edge of b.edges) if (controllers.includes(edge.to) && (edge.kind === 'expose' || edge.from === nodeId.host(host))) keep.add(edge.from);
  return sorted(all.filter((n) => keep.has(n.id)), b.edges.filter((e) => keep.has(e.from) && keep.has(e.to)));
}

function reachable(seeds: readonly string[], edges: readonly GraphEdge[], direction: 'both' | 'down' = 'both'): Set<string> {
  const keep = new Set(seeds);
  const walk = (next: (e: GraphEdge) => [string, string]) => {
    const queue = [...seeds];
    const seen = new Set(seeds);
    while (queue.length > 0) {
      const id = queue.shift()!;
      for (const edge of edges) {
        const [from, to] = next(edge);
        if (from === id && !seen.has(to)) {
          seen.add(to);
          keep.add(to);
          queue.push(to);
        }
      }
    }
  };
  walk((e) => [e.from, e.to]);
  if (direction === 'both') walk((e) => [e.to, e.from]);
  return keep;
}

const KIND_ORDER: Record<GraphNode['kind'], number> = { host: 0, entry: 1, controller: 2, gateway: 3, route: 4, service: 5, missing: 6, hpa: 7, workload: 8 };

function sorted(nodes: readonly GraphNode[], edges: readonly GraphEdge[]): RouteGraph {
  const ordered = [...nodes].sort((a, b) => KIND_ORDER[a.kind] - KIND_ORDER[b.kind] || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  const index = new Map(ordered.map((n, i) => [n.id, i]));
  const orderedEdges = [...edges].sort((a, b) => index.get(a.from)! - index.get(b.from)! || index.get(a.to)! - index.get(b.to)!);
  return { nodes: ordered, edges: orderedEdges };
}

/**
 * Above the budget, keeps whole routes: walks downstream from the entry side (hosts, node ports)
 * breadth-first until the budget is reached, and says what was left out.
 */
function limit(graph: RouteGraph, budget: number): RouteGraph {
  if (graph.nodes.length <= budget) return graph;
  const targets = new Set(graph.edges.map((e) => e.to));
  const queue = graph.nodes.filter((n) => !targets.has(n.id)).map((n) => n.id);
  const kept = new Set<string>();
  while (queue.length > 0 && kept.size < budget) {
    const id = queue.shift()!;
    if (kept.has(id)) continue;
    kept.add(id);
    for (const edge of graph.edges) if (edge.from === id && !kept.has(edge.to)) queue.push(edge.to);
  }
  return {
    nodes: graph.nodes.filter((n) => kept.has(n.id)),
    edges: graph.edges.filter((e) => kept.has(e.from) && kept.has(e.to)),
    truncated: { shown: kept.size, total: graph.nodes.length, hint: 'Pick a namespace, a host or the current file to see the rest.' },
  };
}
