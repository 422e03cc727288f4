/**
 * Small reads over links shared by the features: the workloads a Service selects, the Services
 * that select a workload, the target-port link of a Service port. Links only; no resolving.
 */
import type { Link } from '../analysis/types';
import type { Service, ServicePort, Workload } from '../model';
import { nameOf } from '../links/describe';
import { sameRange } from '../text/ranges';
import type { Workspace } from '../workspace/workspace';

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

/** Replica count as written, with the API's default of 1; undefined where it does not apply. */
export function replicasOf(workload: Workload): number | undefined {
  if (workload.kind === 'DaemonSet' || workload.kind === 'Job' || workload.kind === 'CronJob') return undefined;
  if (workload.kind === 'Pod') return 1;
  const replicas = workload.replicas;
  if (!replicas) return 1;
  return replicas.unknown ? undefined : replicas.value;
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
