/**
 * A plain-text view of how traffic reaches pods, read off the links: Ingress paths and Services
 * exposed on node ports or load balancers. Used by the CLI's route summary.
 */
import type { Link } from '../analysis/types';
import type { Ingress, IngressBackend, Service, ServicePort } from '../model';
import { describePort } from '../links/ingressLinks';
import { nameOf } from '../links/describe';
import { effectiveIngressClass } from '../workspace/keys';
import type { Workspace } from '../workspace/workspace';
import { backendLinks, linkedService, linkedServicePort, reachedPorts, replicaDetail, selectedWorkloads, targetPortLink } from '../features/related';

export interface RouteSummary {
  /** Where requests enter: `www.test.pri/abc(/|$)(.*)` or `node:30000`. */
  readonly entry: string;
  /** Each hop, in order. */
  readonly hops: readonly string[];
  readonly broken: boolean;
}

export function listRoutes(workspace: Workspace): RouteSummary[] {
  const routes: RouteSummary[] = [];
  for (const resource of workspace.allResources()) {
    if (resource.type === 'ingress') routes.push(...ingressRoutes(workspace, resource));
    if (resource.type === 'service') routes.push(...exposedServiceRoutes(workspace, resource));
  }
  return routes;
}

function ingressRoutes(workspace: Workspace, ingress: Ingress): RouteSummary[] {
  const className = effectiveIngressClass(ingress);
  const via = `Ingress ${nameOf(ingress)}${className ? ` (class ${className})` : ''}`;
  const routes: RouteSummary[] = [];
  const add = (entry: string, backend: IngressBackend | undefined) => {
    const service = backendHops(workspace, ingress, backend);
    routes.push({ entry, hops: [via, ...service.hops], broken: service.broken });
  };
  for (const rule of ingress.rules) {
    const host = rule.host && !rule.host.unknown ? rule.host.value : '*';
    for (const path of rule.paths) add(`${host}${path.path && !path.path.unknown ? path.path.value : '/'}`, path.backend);
  }
  if (ingress.defaultBackend?.service) add('(default backend)', ingress.defaultBackend);
  return routes;
}

/** Service, port, target port and pods of a backend, read off its links. */
function backendHops(workspace: Workspace, ingress: Ingress, backend: IngressBackend | undefined): { hops: string[]; broken: boolean } {
  const links = backend ? backendLinks(workspace, ingress, backend) : {};
  const link = links.service;
  if (!link) return { hops: ['(no Service backend)'], broken: false };
  const service = linkedService(workspace, link);
  if (!service) return { hops: [`Service ${link.text || '(templated)'} (${link.status === 'missing' ? 'missing' : 'unknown'})`], broken: link.status === 'missing' };
  const portLink = links.port;
  const servicePort = linkedServicePort(workspace, portLink)?.port;
  const portText = servicePort ? ` ${describePort(servicePort)}` : !portLink ? '' : portLink.status === 'missing' ? ` port ${portLink.text} (missing)` : ` port ${portLink.text || '(templated)'}`;
  const target = servicePort ? targetPortHop(workspace, service, servicePort) : undefined;
  const pods = podHops(workspace, service);
  const hops = [`Service ${nameOf(service)}${portText}`, ...(target ? [target.hop] : []), ...pods.hops];
  return { hops, broken: pods.broken || portLink?.status === 'missing' || target?.broken === true };
}

/** `targetPort http → containerPort 80`, read off the Service port's target-port link. */
function targetPortHop(workspace: Workspace, service: Service, port: ServicePort): { hop: string; broken: boolean } | undefined {
  const target = port.targetPort;
  if (!target || target.unknown) return undefined;
  if (typeof target.value === 'number') return { hop: `targetPort ${target.value}`, broken: false };
  const link = targetPortLink(workspace, service, port);
  const numbers = reachedPorts(link);
  const broken = link?.status === 'missing';
  return { hop: `targetPort ${target.value}${broken ? ' (not declared by the pods)' : numbers.length > 0 ? ` → containerPort ${numbers.join('/')}` : ''}`, broken };
}

function podHops(workspace: Workspace, service: Service): { hops: string[]; broken: boolean } {
  if (service.serviceType.value === 'ExternalName') return { hops: ['(ExternalName)'], broken: false };
  const selector: Link | undefined = workspace.linksFrom(service.id).find((l) => l.kind === 'service-selector');
  if (!selector) return { hops: ['(no selector)'], broken: false };
  if (selector.status !== 'resolved') return { hops: [`pods ${selector.text} (${selector.status === 'missing' ? 'none match' : 'unknown'})`], broken: selector.status === 'missing' };
  const workloads = selectedWorkloads(workspace, service).map((w) => {
    const detail = replicaDetail(w);
    return `${w.kind} ${nameOf(w)}${detail ? ` (${detail})` : ''}`;
  });
  return { hops: [workloads.join(', ')], broken: false };
}

/** Services reachable from outside on their own: NodePort (node:port) and LoadBalancer. */
function exposedServiceRoutes(workspace: Workspace, service: Service): RouteSummary[] {
  const type = service.serviceType.value;
  if (type !== 'NodePort' && type !== 'LoadBalancer') return [];
  const pods = podHops(workspace, service);
  const policy = service.externalTrafficPolicy && !service.externalTrafficPolicy.unknown ? `, externalTrafficPolicy ${service.externalTrafficPolicy.value}` : '';
  const { min, max } = workspace.getSettings().nodePortRange;
  return service.ports.map((port) => {
    const number = port.nodePort && !port.nodePort.unknown && port.nodePort.value !== 0 ? port.nodePort.value : undefined;
    const outOfRange = number !== undefined && (number < min || number > max);
    const nodePort = number === undefined ? '(auto)' : `${number}${outOfRange ? ` (outside ${min}-${max})` : ''}`;
    const entry = type === 'NodePort' ? `node:${nodePort}` : `load balancer, node:${nodePort}`;
    const target = targetPortHop(workspace, service, port);
    const hops = [`Service ${nameOf(service)} ${describePort(port)}${policy}`, ...(target ? [target.hop] : []), ...pods.hops];
    return { entry, hops, broken: pods.broken || outOfRange || target?.broken === true };
  });
}
