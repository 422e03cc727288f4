/**
 * Go to definition and find references: both read the links (definition follows a link to its
 * targets, references collect the links that reach what is under the cursor).
 */
import type { Position } from 'vscode-languageserver-types';
import type { Link, Location } from '../analysis/types';
import type { Resource, Service, ServicePort, Workload } from '../model';
import { sameRange } from '../text/ranges';
import { portOfTargetPortAt } from '../links/serviceLinks';
import type { Workspace } from '../workspace/workspace';
import { targetPortLink } from './related';
import { siteAt } from './sites';
import type { Site } from './sites';

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
      // From a backend's Service name, references of that Service.
      return site.link.kind === 'ingress-service' && site.link.status === 'resolved' ? nameReferences(ws, ws.resource(site.link.targets[0].resourceId)!) : [];
    case 'pod-label':
      return selectorReferences(ws, site.resource, site.entry?.key);
    case 'container-port':
      return containerPortReferences(ws, site.resource, site.port.range);
    case 'service-port':
      return servicePortReferences(ws, site.resource, site.port);
    default:
      return [];
  }
}

/** Where other objects name this one: Ingress backends for a Service, HPAs for a workload. */
function nameReferences(ws: Workspace, resource: Resource): Location[] {
  const kinds = resource.type === 'service' ? ['ingress-service'] : resource.type === 'ingressClass' ? ['ingress-class'] : ['hpa-target'];
  return ws.linksTo(resource.id).filter((l) => kinds.includes(l.kind));
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

function servicePortReferences(ws: Workspace, service: Service, port: ServicePort): Link[] {
  return ws.linksTo(service.id).filter((l) => l.kind === 'ingress-service-port' && l.targets.some((t) => sameRange(t.range, port.range)));
}
