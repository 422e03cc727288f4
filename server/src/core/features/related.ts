/**
 * Small reads over links shared by the features: the workloads a Service selects, the Services
 * that select a workload, the target-port link of a Service port, the links of an Ingress backend.
 * Links only; no resolving.
 */
import type { Link } from '../analysis/types';
import type { Hpa, Ingress, IngressBackend, IngressClass, Resource, Service, ServicePort, Workload } from '../model';
import { nameOf } from '../links/describe';
import { sameRange } from '../text/ranges';
import { key } from '../workspace/keys';
import type { Workspace } from '../workspace/workspace';
import { controllerPods } from '../links/ingressController';

export function selectedWorkloads(ws: Workspace, service: Service): Workload[] {
  const link = ws.linksFrom(service.id).find((l) => l.kind === 'service-selector');
  if (!link || link.status !== 'resolved') return [];
  return link.targets.map((t) => ws.resource(t.resourceId)).filter((r): r is Workload => r?.type === 'workload');
}

export function servicesSelecting(ws: Workspace, workload: Workload): Service[] {
  const services = ws
    .linksTo(workload.id)
    .filter((l) => l.kind === 'service-selector')
    .map((l) => ws.resource(l.sourceId))
    .filter((r): r is Service => r?.type === 'service');
  return [...new Set(services)];
}

export function targetPortLink(ws: Workspace, service: Service, port: ServicePort): Link | undefined {
  const target = port.targetPort;
  if (!target) return undefined;
  return ws.linksFrom(service.id).find((l) => l.kind === 'service-target-port' && sameRange(l.range, target.range));
}

export interface BackendLinks {
  /** The `ingress-service` link of the backend's Service name. */
  readonly service?: Link;
  /** The `ingress-service-port` link of the backend's port. */
  readonly port?: Link;
}

/** The links an Ingress backend starts: the one of its Service name and the one of its port. */
export function backendLinks(ws: Workspace, ingress: Ingress, backend: IngressBackend): BackendLinks {
  const ref = backend.service;
  if (!ref) return {};
  const links = ws.linksFrom(ingress.id);
  const portRange = ref.port?.range;
  return {
    service: links.find((l) => l.kind === 'ingress-service' && sameRange(l.range, ref.name.range)),
    port: portRange ? links.find((l) => l.kind === 'ingress-service-port' && sameRange(l.range, portRange)) : undefined,
  };
}

/** The Service a resolved `ingress-service` link names. */
export function linkedService(ws: Workspace, link: Link | undefined): Service | undefined {
  if (link?.status !== 'resolved') return undefined;
  const service = ws.resource(link.targets[0].resourceId);
  return service?.type === 'service' ? service : undefined;
}

/** The Service and port a resolved `ingress-service-port` link lands on. */
export function linkedServicePort(ws: Workspace, link: Link | undefined): { service: Service; port: ServicePort } | undefined {
  const service = linkedService(ws, link);
  const target = link?.targets[0];
  const port = target && service?.ports.find((p) => sameRange(p.range, target.range));
  return service && port ? { service, port } : undefined;
}

/** The distinct container ports a target-port link reaches. */
export function reachedPorts(link: Link | undefined): number[] {
  return [...new Set((link?.targets ?? []).map((t) => t.port).filter((n): n is number => n !== undefined))];
}

function isIngressClass(r: Resource): r is IngressClass {
  return r.type === 'ingressClass' && !r.opaqueIdentity;
}

/** The IngressClass of this name, if the workspace has one. */
export function ingressClassNamed(ws: Workspace, name: string): IngressClass | undefined {
  return ws.lookup(key.ingressClass(name)).find(isIngressClass);
}

/** Replica count as written, with the API's default of 1; undefined where it does not apply. */
export function replicasOf(workload: Workload): number | undefined {
  if (workload.kind === 'DaemonSet' || workload.kind === 'Job' || workload.kind === 'CronJob') return undefined;
  if (workload.kind === 'Pod') return 1;
  const replicas = workload.replicas;
  if (!replicas) return 1;
  return replicas.unknown ? undefined : replicas.value;
}

/** `3 replicas`, `one pod per node`; undefined where the manifest does not say. */
export function replicaDetail(workload: Workload): string | undefined {
  if (workload.kind === 'DaemonSet') return 'one pod per node';
  const replicas = replicasOf(workload);
  return replicas === undefined ? undefined : `${replicas} replica${replicas === 1 ? '' : 's'}`;
}

/** `2–10`: an HPA's replica bounds, minReplicas defaulting to 1. */
export function replicaBounds(hpa: Hpa): string {
  return `${hpa.minReplicas && !hpa.minReplicas.unknown ? hpa.minReplicas.value : 1}–${hpa.maxReplicas && !hpa.maxReplicas.unknown ? hpa.maxReplicas.value : '?'}`;
}

/** `3 pods of Deployment web` / `5 pods of 2 workloads`. */
export function podSummary(workloads: readonly Workload[]): string {
  const counts = workloads.map(replicasOf);
  const known = counts.every((c) => c !== undefined);
  const total = counts.reduce<number>((sum, c) => sum + (c ?? 0), 0);
  const pods = known ? `${total} pod${total === 1 ? '' : 's'}` : 'the pods';
  if (workloads.length === 1) return `${pods} of ${workloads[0].kind} \`${nameOf(workloads[0])}\``;
  return `${pods} of ${workloads.length} workloads`;
}

/** A Service in front of Ingress controller pods: how requests reach the controller. */
export interface ControllerService {
  readonly service: Service;
  /** The controller workloads it selects. */
  readonly workloads: readonly Workload[];
}

/**
 * The Services in front of the workspace's Ingress controllers, recognised by their pods (image
 * and arguments, semantics/controllers.ts), never by names.
 */
export function controllerServices(ws: Workspace): Map<string, ControllerService> {
  const found = new Map<string, { service: Service; workloads: Workload[] }>();
  for (const { workload } of controllerPods(ws.query())) {
    for (const service of servicesSelecting(ws, workload)) {
      const entry = found.get(service.id) ?? { service, workloads: [] };
      if (!entry.workloads.includes(workload)) entry.workloads.push(workload);
      found.set(service.id, entry);
    }
  }
  return found;
}
