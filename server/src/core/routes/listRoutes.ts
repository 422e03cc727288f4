/**
 * A plain-text view of how traffic reaches pods, read off the links: Ingress paths and Services
 * exposed on node ports or load balancers. Used by the CLI's route summary.
 */
import type { Link } from '../analysis/types';
import type { Ingress, Resource, Service, ServicePort, Workload } from '../model';
import { describePort, findServicePort } from '../links/ingressLinks';
import { nameOf } from '../links/describe';
import { sameRange } from '../text/ranges';
import type { Workspace } from '../workspace/workspace';
import { replicasOf } from '../features/related';

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
  const links = workspace.links(ingress.uri).filter((l) => l.sourceId === ingress.id && l.kind === 'ingress-service');
  const routes: RouteSummary[] = [];
  const className = ingress.ingressClassName ?? ingress.classAnnotation;
  const via = `Ingress ${nameOf(ingress)}${className && !className.unknown ? ` (class ${className.value})` : ''}`;
  const add = (entry: string, name: Link | undefined, port: number | string | undefined) => {
    const service = serviceHops(workspace, name, port);
    routes.push({ entry, hops: [via, ...service.hops], broken: service.broken });
  };
  for (const rule of ingress.rules) {
    const host = rule.host && !rule.host.unknown ? rule.host.value : '*';
    for (const path of rule.paths) {
      const p = path.path && !path.path.unknown ? path.path.value : '/';
      const backend = path.backend?.service;
      add(`${host}${p}`, links.find((l) => backend !== undefined && sameRange(l.range, backend.name.range)), portValue(backend?.port));
    }
  }
  const fallback = ingress.defaultBackend?.service;
  if (fallback) add('(default backend)', links.find((l) => sameRange(l.range, fallback.name.range)), portValue(fallback.port));
  return routes;
}

function portValue(port: { unknown?: boolean; value?: number | string } | undefined): number | string | undefined {
  return port && !port.unknown ? port.value : undefined;
}

function serviceHops(workspace: Workspace, link: Link | undefined, port: number | string | undefined): { hops: string[]; broken: boolean } {
  if (!link) return { hops: ['(no Service backend)'], broken: false };
  const service = link.status === 'resolved' ? workspace.resource(link.targets[0].resourceId) : undefined;
  if (!service || service.type !== 'service') return { hops: [`Service ${link.text} (missing)`], broken: link.status === 'missing' };
  const servicePort = port === undefined ? undefined : findServicePort(service, port);
  const portText = servicePort ? ` ${describePort(servicePort)}` : port === undefined ? '' : ` port ${port} (missing)`;
  const target = servicePort ? targetPortHop(workspace, service, servicePort) : undefined;
  const pods = podHops(workspace, service);
  const hops = [`Service ${nameOf(service)}${portText}`, ...(target ? [target.hop] : []), ...pods.hops];
  return { hops, broken: pods.broken || (port !== undefined && !servicePort) || target?.broken === true };
}

/** `targetPort http → containerPort 80`, read off the Service port's target-port link. */
function targetPortHop(workspace: Workspace, service: Service, port: ServicePort): { hop: string; broken: boolean } | undefined {
  const target = port.targetPort;
  if (!target || target.unknown) return undefined;
  const link = workspace.links(service.uri).find((l) => l.sourceId === service.id && l.kind === 'service-target-port' && sameRange(l.range, target.range));
  const numbers = [...new Set((link?.targets ?? []).map((t) => t.port).filter((n): n is number => n !== undefined))];
  const reached = numbers.length > 0 ? ` → containerPort ${numbers.join('/')}` : '';
  if (typeof target.value === 'number') return { hop: `targetPort ${target.value}`, broken: false };
  const broken = link?.status === 'missing';
  return { hop: `targetPort ${target.value}${broken ? ' (not declared by the pods)' : reached}`, broken };
}

function podHops(workspace: Workspace, service: Service): { hops: string[]; broken: boolean } {
  if (service.serviceType.value === 'ExternalName') return { hops: ['(ExternalName)'], broken: false };
  const selector = workspace.links(service.uri).find((l) => l.sourceId === service.id && l.kind === 'service-selector');
  if (!selector) return { hops: ['(no selector)'], broken: false };
  if (selector.status !== 'resolved') return { hops: [`pods ${selector.text} (${selector.status === 'missing' ? 'none match' : 'unknown'})`], broken: selector.status === 'missing' };
  const workloads = selector.targets.map((t) => workspace.resource(t.resourceId)).filter((r): r is Resource => r !== undefined);
  return { hops: [workloads.map((w) => describeWorkload(w as Workload)).join(', ')], broken: false };
}

function describeWorkload(workload: Workload): string {
  const replicas = replicasOf(workload);
  const count = replicas !== undefined ? ` (${replicas} replica${replicas === 1 ? '' : 's'})` : '';
  return `${workload.kind} ${nameOf(workload)}${count}`;
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
