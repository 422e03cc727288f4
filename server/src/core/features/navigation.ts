/**
 * Go to definition and find references: both read the links (definition follows a link to its
 * targets, references collect the links that reach what is under the cursor).
 */
import type { Position } from 'vscode-languageserver-types';
import type { Link, Location } from '../analysis/types';
import type { Gateway, GatewayBackendRef, GatewayRoute, Listener, ReferenceGrant, Resource, RouteParentRef, Service, ServicePort, Workload } from '../model';
import { backendGrantQuestion, grantsPermitting, isCrossNamespace } from '../links/gatewayLinks';
import { grantPermits } from '../semantics/gatewayApi';
import { key } from '../workspace/keys';
import { sameRange } from '../text/ranges';
import { portOfTargetPortAt } from '../links/serviceLinks';
import type { Workspace } from '../workspace/workspace';
import { targetPortLink } from './related';
import { backendRefLinks, backendService, backendServicePort, linkedParents, listenerNamed, parentLinkOf, refLocation, routesOnListener } from './gatewayRelated';
import { siteAt } from './sites';
import type { Site } from './sites';
import { known } from '../model';

function toLocations(items: readonly Location[]): Location[] {
  const seen = new Set<string>();
  const out: Location[] = [];
  for (const item of items) {
    const id = `${item.uri}#${JSON.stringify(item.range)}`;
    if (seen.has(id)) continue;
    seen.add(id);
    out.push({ uri: item.uri, range: item.range });
  }
  return out;
}

export function findDefinition(ws: Workspace, uri: string, position: Position): Location[] {
  const site = siteAt(ws, uri, position);
  if (!site) return [];
  return toLocations(definitionTargets(ws, site));
}

function definitionTargets(ws: Workspace, site: Site): readonly Location[] {
  switch (site.kind) {
    case 'link':
      return site.link.targets;
    case 'service-selector':
      return ws.linksFrom(site.resource.id).find((l) => l.kind === 'service-selector')?.targets ?? [];
    case 'service-port':
      return site.field === 'targetPort' ? (targetPortLink(ws, site.resource, site.port)?.targets ?? []) : [];
    case 'scale-target':
      return site.link?.targets ?? [];
    case 'workload-selector':
      return ws.linksFrom(site.resource.id).find((l) => l.kind === 'workload-selector')?.targets ?? [];
    case 'gw-parent-ref':
      return parentRefDefinition(ws, site.resource, site.ref, site.field);
    case 'gw-backend-ref':
      return backendRefDefinition(ws, site.resource, site.ref, site.field);
    case 'gw-grant-entry':
      return permittedReferences(ws, site.resource, site.side, site.index);
    default:
      return [];
  }
}

export function findReferences(ws: Workspace, uri: string, position: Position, includeDeclaration: boolean): Location[] {
  const site = siteAt(ws, uri, position);
  if (!site) return [];
  const declaration = includeDeclaration ? [{ uri: site.resource.uri, range: site.range }] : [];
  return toLocations([...declaration, ...referencesOf(ws, site)]);
}

function referencesOf(ws: Workspace, site: Site): Location[] {
  switch (site.kind) {
    case 'name':
      return nameReferences(ws, site.resource);
    case 'link':
      // From a backend's Service name (or a Gateway's class), references of what it names.
      return (site.link.kind === 'ingress-service' || site.link.kind === 'gateway-class') && site.link.status === 'resolved' ? nameReferences(ws, ws.resource(site.link.targets[0].resourceId)!) : [];
    case 'pod-label':
      return selectorReferences(ws, site.resource, site.entry?.key);
    case 'container-port':
      return containerPortReferences(ws, site.resource, site.port.range);
    case 'service-port':
      return servicePortReferences(ws, site.resource, site.port);
    case 'gw-listener':
      return listenerReferences(ws, site.resource, site.listener);
    case 'gw-parent-ref': {
      const parent = linkedParents(ws, parentLinkOf(ws, site.resource, site.ref))[0];
      if (!parent) return [];
      if (site.field !== 'sectionName') return nameReferences(ws, parent);
      const listener = listenerNamed(parent, known(site.ref.sectionName) ?? '');
      return listener ? listenerReferences(ws, parent, listener) : [];
    }
    case 'gw-backend-ref': {
      const links = backendRefLinks(ws, site.resource, site.ref);
      const service = backendService(ws, links.service);
      if (!service) return [];
      const port = site.field === 'port' ? backendServicePort(service, links.port) : undefined;
      return port ? servicePortReferences(ws, service, port) : nameReferences(ws, service);
    }
    default:
      return [];
  }
}

/** Which links name an object of a type. */
const NAMING_LINKS: Partial<Record<Resource['type'], readonly string[]>> = {
  service: ['ingress-service', 'route-backend'],
  ingressClass: ['ingress-class'],
  gatewayClass: ['gateway-class'],
  gateway: ['route-parent', 'listenerset-parent'],
};

/** Where other objects name this one: Ingress backends and route backendRefs for a Service, parentRefs for a Gateway, HPAs for a workload. */
function nameReferences(ws: Workspace, resource: Resource): Location[] {
  const kinds = NAMING_LINKS[resource.type] ?? ['hpa-target'];
  return ws.linksTo(resource.id).filter((l) => kinds.includes(l.kind));
}

/** The routes a listener accepts: where each names it (its sectionName, else its parentRef's name). */
function listenerReferences(ws: Workspace, parent: Gateway, listener: Listener): Location[] {
  return routesOnListener(ws, parent, listener).attached.map(refLocation);
}

/** A parentRef: the Gateway or ListenerSet, and the listener its sectionName (or port) selects. */
function parentRefDefinition(ws: Workspace, from: GatewayRoute | Gateway, ref: RouteParentRef, field: string): Location[] {
  const link = parentLinkOf(ws, from, ref);
  const parents = linkedParents(ws, link);
  const section = known(ref.sectionName);
  const port = known(ref.port);
  const listeners = parents.flatMap((parent) =>
    parent.listeners
      .filter((l) => (section === undefined || known(l.name) === section) && (port === undefined || known(l.port) === port))
      .map((l) => ({ uri: parent.uri, range: (field === 'port' ? l.port?.range : l.name?.range) ?? l.range })),
  );
  if (field === 'sectionName' || field === 'port') return listeners;
  return [...(link?.status === 'resolved' ? link.targets : []), ...(section !== undefined || port !== undefined ? listeners : [])];
}

/** A backendRef: the Service (name), its port (port), the ReferenceGrant that lets it cross namespaces (namespace). */
function backendRefDefinition(ws: Workspace, route: GatewayRoute, ref: GatewayBackendRef, field: string): readonly Location[] {
  const links = backendRefLinks(ws, route, ref);
  if (field === 'port') return links.port?.status === 'resolved' ? links.port.targets : [];
  if (field === 'namespace') {
    const question = backendGrantQuestion(route, ref);
    if (!question) return [];
    return grantsPermitting(route, ref, ws.query()).map((grant) => {
      const entry = grant.to.find((to) => grantPermits({ from: grant.from, to: [to] }, question));
      return { uri: grant.uri, range: entry?.range ?? grant.anchor };
    });
  }
  return links.service?.status === 'resolved' ? links.service.targets : [];
}

/**
 * A ReferenceGrant's `from` or `to` entry: the backendRefs it lets across namespaces through that
 * entry (routes of a `from` kind and namespace naming a `to` Service of the grant's namespace).
 */
function permittedReferences(ws: Workspace, grant: ReferenceGrant, side: 'from' | 'to', index: number): Location[] {
  const narrowed = { from: side === 'from' ? [grant.from[index]] : grant.from, to: side === 'to' ? [grant.to[index]] : grant.to };
  const names = new Set<string>();
  for (const to of narrowed.to) {
    if (to.group !== '' || to.kind !== 'Service') continue;
    if (to.name) names.add(to.name);
    else for (const service of ws.lookup(key.servicesIn(grant.namespace))) if (service.name) names.add(service.name.value);
  }
  const out: Location[] = [];
  for (const name of names) {
    for (const route of ws.lookup(key.routesToService(grant.namespace, name))) {
      if (route.type !== 'route') continue;
      for (const rule of route.rules) {
        for (const ref of rule.backendRefs) {
          const question = backendGrantQuestion(route, ref);
          if (!ref.name || !question || ref.namespace !== grant.namespace || !isCrossNamespace(route, ref) || question.toName !== name) continue;
          if (grantPermits(narrowed, question)) out.push({ uri: route.uri, range: ref.name.range });
        }
      }
    }
  }
  return out;
}

/** The Service selectors that pick this workload's pods (the matching entry when a label is given). */
function selectorReferences(ws: Workspace, workload: Workload, labelKey: string | undefined): Location[] {
  const locations: Location[] = [];
  for (const link of ws.linksTo(workload.id).filter((l) => l.kind === 'service-selector')) {
    const service = ws.resource(link.sourceId);
    const entry = service?.type === 'service' ? service.selector?.entries.find((e) => e.key === labelKey && !e.injected) : undefined;
    locations.push({ uri: link.uri, range: entry ? entry.valueRange : link.range });
  }
  return locations;
}

/** targetPorts that resolve to this container port, and the Ingress backends of those Service ports. */
function containerPortReferences(ws: Workspace, workload: Workload, portRange: Location['range']): Location[] {
  const locations: Location[] = [];
  for (const link of ws.linksTo(workload.id)) {
    if (link.kind !== 'service-target-port' || !link.targets.some((t) => sameRange(t.range, portRange))) continue;
    locations.push(link);
    const service = ws.resource(link.sourceId);
    const port = service?.type === 'service' ? portOfTargetPortAt(service, link.range) : undefined;
    if (service?.type === 'service' && port) locations.push(...servicePortReferences(ws, service, port));
  }
  return locations;
}

/** Ingress backends naming this Service port (their links land on the port item), and route backendRefs (theirs land on its `port:` field). */
function servicePortReferences(ws: Workspace, service: Service, port: ServicePort): Link[] {
  const field = port.port?.range;
  return ws.linksTo(service.id).filter((l) => (l.kind === 'ingress-service-port' && l.targets.some((t) => sameRange(t.range, port.range))) || (l.kind === 'route-backend-port' && field !== undefined && l.targets.some((t) => sameRange(t.range, field))));
}
