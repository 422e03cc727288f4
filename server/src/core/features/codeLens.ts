/**
 * CodeLens above Services ("selects 3 pods (Deployment web)", "routed from shop.test.pri/web")
 * and above workloads ("exposed by Service web-svc:8080 (NodePort 30080)"); each lens carries
 * the locations it summarises so that a click can show them. Read from links only.
 */
import type { Range } from 'vscode-languageserver-types';
import type { Link, Location } from '../analysis/types';
import type { Gateway, Ingress, Service, Workload } from '../model';
import { nameOf } from '../links/describe';
import { sameRange } from '../text/ranges';
import type { Workspace } from '../workspace/workspace';
import { podSummary, selectedWorkloads, servicesSelecting } from './related';
import { attachmentOf, qualified, refLocation, routesOnListener, routesToServiceOf } from './gatewayRelated';
import { known } from '../model';

export interface Lens {
  readonly range: Range;
  readonly title: string;
  readonly locations: readonly Location[];
}

export function codeLenses(ws: Workspace, uri: string): Lens[] {
  const lenses: Lens[] = [];
  for (const resource of ws.resourcesOf(uri)) {
    const at: Range = { start: resource.range.start, end: resource.range.start };
    if (resource.type === 'service') lenses.push(...serviceLenses(ws, resource, at));
    if (resource.type === 'workload' && resource.template && resource.kind !== 'Job' && resource.kind !== 'CronJob') lenses.push(workloadLens(ws, resource, at));
    if (resource.type === 'gateway') lenses.push(...listenerLenses(ws, resource));
  }
  return lenses;
}

/** `3 routes attached` above each listener of a Gateway or ListenerSet; a click lists where the routes name it. */
function listenerLenses(ws: Workspace, gateway: Gateway): Lens[] {
  return gateway.listeners.map((listener) => {
    const { attached } = routesOnListener(ws, gateway, listener);
    const title = attached.length === 0 ? 'no routes attached' : `${attached.length} route${attached.length === 1 ? '' : 's'} attached`;
    return { range: { start: listener.range.start, end: listener.range.start }, title, locations: attached.map(refLocation) };
  });
}

/**
 * `routed from example.com/api via Gateway prod/web`: for each backendRef sending to the Service,
 * the hosts its route serves on each listener that accepts it, and the paths of its rule.
 */
function gatewayRouteLens(ws: Workspace, service: Service, at: Range): Lens | undefined {
  const sends = routesToServiceOf(ws, service);
  if (sends.length === 0) return undefined;
  const texts: string[] = [];
  for (const send of sends) {
    const paths = send.rule.matches.map((m) => (m.path.type === 'Exact' || m.path.type === 'PathPrefix' ? known(m.path.value) ?? '/…' : `~${known(m.path.value) ?? '…'}`));
    if (paths.length === 0) paths.push('/');
    let attached = false;
    for (const ref of send.route.parentRefs) {
      for (const a of attachmentOf(ws, send.route, ref).attachment?.accepted ?? []) {
        attached = true;
        const owner = a.parent.parentRef ? `ListenerSet ${qualified(a.parent)}` : `Gateway ${qualified(a.parent)}`;
        for (const host of a.hostnames) for (const path of paths) texts.push(`${host ?? '*'}${path} via ${owner}`);
      }
    }
    if (!attached) texts.push(`${send.route.routeKind} ${qualified(send.route)} (attached to no Gateway)`);
  }
  // Precise hosts first (the most telling), then in text order, so the title does not depend on analysis order.
  const unique = [...new Set(texts)].sort((a, b) => Number(a.startsWith('*')) - Number(b.startsWith('*')) || a.localeCompare(b));
  return { range: at, title: `routed from ${unique[0]}${unique.length > 1 ? ` and ${unique.length - 1} more` : ''}`, locations: sends.map((s) => s.link) };
}

function serviceLenses(ws: Workspace, service: Service, at: Range): Lens[] {
  const lenses: Lens[] = [];
  const selector = ws.linksFrom(service.id).find((l) => l.kind === 'service-selector');
  if (selector) {
    const workloads = selectedWorkloads(ws, service);
    const title = workloads.length === 0 ? 'selects no pods' : `selects ${podSummary(workloads).replace(/`/g, '')}`;
    lenses.push({ range: at, title, locations: selector.targets });
  }
  const routes = ws.linksTo(service.id).filter((l) => l.kind === 'ingress-service');
  if (routes.length > 0) {
    const first = routeText(ws, routes[0]);
    const title = `routed from ${first}${routes.length > 1 ? ` and ${routes.length - 1} more` : ''}`;
    lenses.push({ range: at, title, locations: routes });
  }
  const gatewayRoutes = gatewayRouteLens(ws, service, at);
  if (gatewayRoutes) lenses.push(gatewayRoutes);
  return lenses;
}

/** `host/path` of the Ingress backend a link starts at. */
function routeText(ws: Workspace, link: Link): string {
  const ingress = ws.resource(link.sourceId) as Ingress | undefined;
  if (!ingress || ingress.type !== 'ingress') return 'an Ingress';
  for (const rule of ingress.rules) {
    for (const path of rule.paths) {
      const name = path.backend?.service?.name;
      if (name && sameRange(name.range, link.range)) {
        const host = rule.host && !rule.host.unknown ? rule.host.value : '*';
        return `${host}${path.path && !path.path.unknown ? path.path.value : '/'}`;
      }
    }
  }
  return `Ingress ${nameOf(ingress)} (default backend)`;
}

function workloadLens(ws: Workspace, workload: Workload, at: Range): Lens {
  const services = servicesSelecting(ws, workload);
  if (services.length === 0) return { range: at, title: 'not exposed by any Service', locations: [] };
  const describeService = (s: Service) => {
    const port = s.ports[0];
    const number = port?.port && !port.port.unknown ? `:${port.port.value}` : '';
    const nodePort = port?.nodePort && !port.nodePort.unknown && port.nodePort.value !== 0 ? ` (${s.serviceType.value} ${port.nodePort.value})` : s.serviceType.value !== 'ClusterIP' ? ` (${s.serviceType.value})` : '';
    return `Service ${nameOf(s)}${number}${nodePort}`;
  };
  const title = services.length === 1 ? `exposed by ${describeService(services[0])}` : `exposed by ${services.length} Services: ${services.map(nameOf).join(', ')}`;
  return { range: at, title, locations: services.map((s) => ({ uri: s.uri, range: s.anchor })) };
}
