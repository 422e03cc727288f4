/** Ingress backends → Service and Service port; Ingress → IngressClass. */
import type { Range } from 'vscode-languageserver-types';
import type { Link, NearMiss } from '../analysis/types';
import type { Query } from '../analysis/query';
import type { Ingress, IngressBackend, Service, ServicePort } from '../model';
import { closestMatch } from '../semantics/names';
import { makeLink } from './makeLink';
import { closestNameMiss } from './nearMisses';
import { key } from '../workspace/keys';
import { REACH, nearbyReach, nearest, within } from '../workspace/scopes';
import { ALB_USE_ANNOTATION } from '../semantics/controllers';

/** Every backend of an Ingress: rule paths in order, then the default backend. */
export function backendsOf(ingress: Ingress): IngressBackend[] {
  const backends: IngressBackend[] = [];
  for (const rule of ingress.rules) {
    for (const path of rule.paths) if (path.backend) backends.push(path.backend);
  }
  if (ingress.defaultBackend) backends.push(ingress.defaultBackend);
  return backends;
}

export function resolveIngressLinks(ingress: Ingress, q: Query): Link[] {
  const links: Link[] = [];
  for (const backend of backendsOf(ingress)) links.push(...resolveBackend(ingress, backend, q));
  const classLink = resolveIngressClass(ingress, q);
  if (classLink) links.push(classLink);
  return links;
}

/**
 * AWS Load Balancer Controller's `port.name: use-annotation`: the backend is the action of
 * annotation `alb.ingress.kubernetes.io/actions.<service name>` (redirect, fixed response,
 * forward), not a Service port.
 */
export function isAnnotationAction(backend: IngressBackend): boolean {
  const port = backend.service?.port;
  return port !== undefined && !port.unknown && port.value === ALB_USE_ANNOTATION;
}

/**
 * The Service of a backend: of the Services of that name in the namespace, the nearest (the
 * Ingress's file, apply unit, folder, then the workspace), so that a same-named Service of
 * another example is never checked in its place.
 */
function resolveBackend(ingress: Ingress, backend: IngressBackend, q: Query): Link[] {
  const name = backend.service?.name;
  if (!name || isAnnotationAction(backend)) return [];
  const base = { kind: 'ingress-service' as const, sourceId: ingress.id, uri: ingress.uri, range: name.range };
  if (name.unknown) return [makeLink(base, { status: 'unknown', targets: [], text: '' })];
  const all = q.lookup(key.service(ingress.namespace, name.value)) as Service[];
  if (all.length === 0) {
    const inNamespace = q.lookup(key.servicesIn(ingress.namespace)) as Service[];
    const status = inNamespace.some((s) => s.opaqueIdentity) ? 'unknown' : 'missing';
    const near = within(ingress, inNamespace, q, nearbyReach(ingress, q));
    return [makeLink(base, { status, targets: [], text: name.value, nearMisses: closestNameMiss(name.value, name.range, near) })];
  }
  const near = nearest(ingress, all, q);
  const services = near.items;
  const far = near.reach === REACH.workspace;
  const targets = services.map((s) => ({ resourceId: s.id, uri: s.uri, range: s.anchor }));
  const serviceLink: Link = makeLink(base, { status: 'resolved', targets, text: name.value, far });
  const portLink = resolveBackendPort(ingress, backend, services, far);
  return portLink ? [serviceLink, portLink] : [serviceLink];
}

export function findServicePort(service: Service, ref: number | string): ServicePort | undefined {
  return service.ports.find((p) => {
    const field = typeof ref === 'number' ? p.port : p.name;
    return field !== undefined && !field.unknown && field.value === ref;
  });
}

/** The port of the backend on the Service: resolved when one of the nearest Services (alternatives of each other) has it. */
function resolveBackendPort(ingress: Ingress, backend: IngressBackend, services: readonly Service[], far: boolean): Link | undefined {
  const port = backend.service?.port;
  if (!port) return undefined;
  const base = { kind: 'ingress-service-port' as const, sourceId: ingress.id, uri: ingress.uri, range: port.range };
  const opaque = (service: Service) => service.ports.some((p) => p.port?.unknown || p.name?.unknown);
  // ExternalName Services need no ports; ingress-nginx uses the backend's port as written.
  if (port.unknown || services.some((s) => opaque(s) || s.serviceType.value === 'ExternalName')) {
    return makeLink(base, { status: 'unknown', targets: [], text: port.unknown ? '' : String(port.value) });
  }
  const targets = services.flatMap((service) => {
    const found = findServicePort(service, port.value);
    return found ? [{ resourceId: service.id, uri: service.uri, range: found.range }] : [];
  });
  if (targets.length > 0) return makeLink(base, { status: 'resolved', targets, text: String(port.value), far });
  return makeLink(base, { status: 'missing', targets: [], text: String(port.value), nearMisses: servicePortMisses(services[0], port.value, port.range), far });
}

export function describePort(port: ServicePort): string {
  return `port ${portLabel(port)}`;
}

/** `80/TCP (http)`: a Service port without the leading word. */
export function portLabel(port: ServicePort): string {
  const name = port.name && !port.name.unknown ? ` (${port.name.value})` : '';
  const number = port.port && !port.port.unknown ? port.port.value : '?';
  return `${number}/${port.protocol.value}${name}`;
}

/** A backend port that is really the targetPort or nodePort, or a name one typo away. */
function servicePortMisses(service: Service, ref: number | string, range: Range): NearMiss[] {
  const misses: NearMiss[] = [];
  for (const port of service.ports) {
    const value = typeof ref === 'number' ? port.port : port.name;
    if (!value || value.unknown) continue;
    const role = typeof ref === 'number' ? numberRole(port, ref) : undefined;
    if (!role) continue;
    misses.push({
      resourceId: service.id,
      uri: service.uri,
      range: port.range,
      description: `${ref} is the ${role} of Service ${describePort(port)}; an Ingress backend names the Service port`,
      fix: { range, newText: String(value.value) },
    });
  }
  if (misses.length > 0 || typeof ref === 'number') return misses;
  const names = service.ports.map((p) => (p.name && !p.name.unknown ? p.name.value : '')).filter((n) => n);
  const closest = closestMatch(ref, names);
  const port = service.ports.find((p) => p.name && !p.name.unknown && p.name.value === closest);
  return closest && port ? [{ resourceId: service.id, uri: service.uri, range: port.range, description: `Service port \`${closest}\` exists`, fix: { range, newText: closest } }] : [];
}

function numberRole(port: ServicePort, ref: number): string | undefined {
  if (port.targetPort && !port.targetPort.unknown && !port.targetPort.defaulted && port.targetPort.value === ref) return 'targetPort';
  if (port.nodePort && !port.nodePort.unknown && port.nodePort.value === ref) return 'nodePort';
  return undefined;
}

function resolveIngressClass(ingress: Ingress, q: Query): Link | undefined {
  const field = ingress.ingressClassName ?? ingress.classAnnotation;
  if (!field) return undefined;
  const base = { kind: 'ingress-class' as const, sourceId: ingress.id, uri: ingress.uri, range: field.range };
  if (field.unknown) return makeLink(base, { status: 'unknown', targets: [], text: '' });
  // A class the workspace configuration says the cluster has.
  if (q.settings.ingressClasses.some((c) => c.name === field.value)) return makeLink(base, { status: 'unknown', targets: [], text: field.value });
  const classes = nearest(ingress, q.lookup(key.ingressClass(field.value)), q).items;
  if (classes.length > 0) {
    return makeLink(base, { status: 'resolved', targets: classes.map((c) => ({ resourceId: c.id, uri: c.uri, range: c.anchor })), text: field.value });
  }
  // With no IngressClass in the workspace at all, classes are installed with the controller: say nothing.
  const any = q.lookup(key.anyIngressClass());
  if (any.length === 0) return makeLink(base, { status: 'unknown', targets: [], text: field.value });
  return makeLink(base, { status: 'missing', targets: [], text: field.value, nearMisses: closestNameMiss(field.value, field.range, any) });
}
