/**
 * The last part of a trace: a Service backend → Service port → targetPort → containerPort →
 * pods, read from the links. What it finds becomes steps, a `TraceBackend` of the route, and
 * whether the controller has an endpoint to send to (no endpoint: 503, as ingress-nginx answers
 * for a Service without ready endpoints).
 */
import type { Link, Location } from '../analysis/types';
import type { Ingress, IngressBackend, Service, ServicePort, Workload } from '../model';
import { nodeId } from '../graph/ids';
import { describePort, portLabel } from '../links/ingressLinks';
import { code, nameOf } from '../links/describe';
import { backendLinks, linkedService, linkedServicePort, podSummary, reachedPorts, replicasOf, selectedWorkloads, targetPortLink } from '../features/related';
import type { Workspace } from '../workspace/workspace';
import type { TraceBackend, TraceStepKind } from './types';
import type { ForwardTarget } from './hostRules';
import { key } from '../workspace/keys';
import { nearest } from '../workspace/scopes';

/** How following a backend ended. */
export interface BackendOutcome {
  /** The Service receives it and has pods (or is an ExternalName Service). */
  readonly reached: boolean;
  readonly backend?: TraceBackend;
  /** The status the controller answers with when there is no endpoint. */
  readonly status?: number;
  readonly reason?: string;
  readonly closest?: string;
}

export type StepSink = (kind: TraceStepKind, text: string, location?: Location, node?: string) => void;

function capitalize(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

function listNames(names: readonly string[]): string {
  return names.map(code).join(', ');
}

/**
 * The targets of a load balancer's forward action (ALB `actions.<name>` of type forward): each
 * Service target resolved in the Ingress's namespace (nearest copy first) and followed; the
 * heaviest target is the one the trace follows (the draw is random; all are listed with their
 * weights). Target groups named by ARN live outside the manifests.
 */
export function forwardTargets(ws: Workspace, step: StepSink, ingress: Ingress, action: string, targets: readonly ForwardTarget[]): { backends: TraceBackend[]; received: BackendOutcome } {
  const followed = targets.reduce<ForwardTarget | undefined>((best, t) => (!best || t.weight > best.weight ? t : best), undefined);
  const total = targets.reduce((sum, t) => sum + t.weight, 0);
  if (targets.length > 1) {
    const shares = targets.map((t) => `${code(t.serviceName ?? t.targetGroupARN ?? '?')} ${total > 0 ? Math.round((100 * t.weight) / total) : 0}%`).join(', ');
    step('note', `The action \`${action}\` splits requests by weight: ${shares}; the trace follows the heaviest.`, { uri: ingress.uri, range: ingress.anchor });
  }
  const backends: TraceBackend[] = [];
  let received: BackendOutcome = { reached: false, reason: `the action \`${action}\` of Ingress ${code(nameOf(ingress))} forwards to no target group` };
  for (const target of targets) {
    const sink: StepSink = target === followed ? step : () => undefined;
    const weight = total > 0 ? Math.round((100 * target.weight) / total) : 0;
    const outcome = forwardTarget(ws, sink, ingress, action, target, weight);
    if (outcome.backend) backends.push(outcome.backend);
    if (target === followed) received = outcome;
  }
  return { backends, received };
}

function forwardTarget(ws: Workspace, step: StepSink, ingress: Ingress, action: string, target: ForwardTarget, weight: number): BackendOutcome {
  if (!target.serviceName) {
    step('note', `The action \`${action}\` forwards to the target group ${code(target.targetGroupARN ?? '?')}, which is not in the manifests.`, { uri: ingress.uri, range: ingress.anchor });
    return { reached: true };
  }
  const candidates = ws.lookup(key.service(ingress.namespace, target.serviceName)).filter((r): r is Service => r.type === 'service');
  const service = nearest(ingress, candidates, ws.query()).items[0] as Service | undefined;
  if (!service) return missingService(step, ingress, target.serviceName, undefined);
  step('service', `The action \`${action}\` of Ingress ${code(nameOf(ingress))} forwards it to Service ${code(nameOf(service))} (${serviceType(service)}) in namespace ${code(service.namespace)}.`, { uri: service.uri, range: service.anchor }, nodeId.service(service.id));
  if (service.serviceType.value === 'ExternalName') return externalName(step, service, weight);
  const wanted = target.servicePort;
  const servicePort = service.ports.find((p) => (typeof wanted === 'number' ? p.port && !p.port.unknown && p.port.value === wanted : p.name && !p.name.unknown && p.name.value === wanted));
  if (!servicePort) {
    const ports = service.ports.map(portLabel).join(', ');
    return { reached: false, status: 503, backend: backendOf(service, undefined, weight, []), reason: `Service ${code(nameOf(service))} has no ${typeof wanted === 'number' ? `port ${wanted}` : `port named ${code(String(wanted))}`}${ports ? `; its ports: ${ports}` : ''}` };
  }
  return followService(ws, step, service, servicePort, weight);
}

/** Follows the Service of an Ingress backend (path or default backend). */
export function followIngressBackend(ws: Workspace, step: StepSink, ingress: Ingress, backend: IngressBackend, weight: number): BackendOutcome {
  if (backend.isResource || !backend.service) {
    return { reached: false, status: 404, reason: `the backend of Ingress ${code(nameOf(ingress))} is a resource, not a Service; ingress-nginx sends such requests to its default backend` };
  }
  const name = backend.service.name;
  if (name.unknown) return { reached: false, reason: `the backend Service name of Ingress ${code(nameOf(ingress))} is templated and cannot be followed offline` };
  const links = backendLinks(ws, ingress, backend);
  const service = linkedService(ws, links.service);
  if (!service) return missingService(step, ingress, name.value, links.service);
  step('service', `Ingress ${code(nameOf(ingress))} sends it to Service ${code(nameOf(service))} (${serviceType(service)}) in namespace ${code(service.namespace)}.`, { uri: service.uri, range: service.anchor }, nodeId.service(service.id));
  if ((links.service?.targets.length ?? 0) > 1) variantsNote(step, links.service!);
  if (service.serviceType.value === 'ExternalName') return externalName(step, service, weight);
  const port = backend.service.port;
  let servicePort: ServicePort | undefined;
  if (port === undefined) {
    if (service.ports.length !== 1) return { reached: false, reason: `the backend of Ingress ${code(nameOf(ingress))} names no port of Service ${code(nameOf(service))}` };
    servicePort = service.ports[0];
  } else if (port.unknown) {
    return { reached: false, reason: `the backend port of Ingress ${code(nameOf(ingress))} is templated and cannot be followed offline` };
  } else {
    if (links.port?.status === 'unknown') return { reached: false, reason: `the ports of Service ${code(nameOf(service))} are templated, so port ${code(port.value)} cannot be followed offline` };
    servicePort = linkedServicePort(ws, links.port)?.port;
    if (!servicePort) {
      const ports = service.ports.map(portLabel).join(', ');
      const what = typeof port.value === 'number' ? `port ${port.value}` : `port named ${code(port.value)}`;
      const miss = links.port?.nearMisses?.[0];
      return {
        reached: false,
        status: 503,
        backend: backendOf(service, undefined, weight, []),
        reason: `Service ${code(nameOf(service))} has no ${what}${ports ? `; its ports: ${ports}` : '; it has no ports'}`,
        ...(miss ? { closest: miss.description } : service.ports.length > 0 ? { closest: `Service ${describePort(service.ports[0])}` } : {}),
      };
    }
  }
  return followService(ws, step, service, servicePort, weight);
}

function serviceType(service: Service): string {
  return `${service.serviceType.value}${service.headless ? ', headless' : ''}`;
}

/** A Service the backend names is not in the namespace: the controller has no endpoints (503). */
function missingService(step: StepSink, ingress: Ingress, name: string, link: Link | undefined): BackendOutcome {
  step('service', `Ingress ${code(nameOf(ingress))} sends it to Service ${code(name)}, which is not in namespace ${code(ingress.namespace)}.`, { uri: ingress.uri, range: link?.range ?? ingress.anchor }, nodeId.missingService(ingress.namespace, name));
  if (link?.status === 'unknown') return { reached: false, reason: `Service ${code(name)} in namespace ${code(ingress.namespace)} cannot be known offline (templated names in that namespace)` };
  const miss = link?.nearMisses?.[0];
  return { reached: false, status: 503, reason: `Service ${code(name)} does not exist in namespace ${code(ingress.namespace)}`, ...(miss ? { closest: miss.description } : {}) };
}

/** Several same-named Services at the same distance: alternatives, and the answer depends on which is applied. */
function variantsNote(step: StepSink, link: Link): void {
  const files = [...new Set(link.targets.map((t) => t.uri.slice(t.uri.lastIndexOf('/') + 1)))];
  step('note', `Service ${code(link.text)} is defined ${link.targets.length} times nearby (${listNames(files)}): variants of which one is applied; the first is followed.`, { uri: link.targets[1].uri, range: link.targets[1].range });
}

function externalName(step: StepSink, service: Service, weight: number): BackendOutcome {
  step('note', `Service ${code(nameOf(service))} is an ExternalName Service: the request leaves the cluster for the DNS name it points to; there are no pods to select.`, { uri: service.uri, range: service.serviceType.range ?? service.anchor });
  return { reached: true, backend: backendOf(service, undefined, weight, []) };
}

/** Service port → targetPort → containerPort, then the pods; also for a Service reached on its node port. */
export function followService(ws: Workspace, step: StepSink, service: Service, port: ServicePort, weight: number): BackendOutcome {
  if (service.serviceType.value === 'ExternalName') return externalName(step, service, weight);
  const link = targetPortLink(ws, service, port);
  portStep(step, service, port, link);
  const selector = ws.linksFrom(service.id).find((l) => l.kind === 'service-selector');
  const base = (workloads: readonly Workload[]) => backendOf(service, port, weight, workloads, link);
  if (!selector) {
    return { reached: false, backend: base([]), reason: `Service ${code(nameOf(service))} has no selector: its endpoints are managed by hand (EndpointSlices), which the manifests here do not show` };
  }
  if (selector.status === 'unknown') return { reached: false, backend: base([]), reason: `the pods of Service ${code(nameOf(service))} cannot be known offline (its selector or the pod labels are templated)` };
  const workloads = selectedWorkloads(ws, service);
  if (selector.status === 'missing' || workloads.length === 0) {
    const miss = selector.nearMisses?.[0];
    step('pods', `No pod template in namespace ${code(service.namespace)} has the labels ${code(selector.text)}.`, { uri: service.uri, range: selector.range }, nodeId.missingPods(service.id));
    return { reached: false, status: 503, backend: base([]), reason: `no pod template matches ${selector.text} (the selector of Service ${code(nameOf(service))} in namespace ${code(service.namespace)}), so the Service has no endpoints`, ...(miss ? { closest: miss.description } : {}) };
  }
  if (selector.far) step('note', `The pods that match are defined in other folders; they may belong to another example than this Service.`, { uri: service.uri, range: selector.range });
  for (const workload of workloads) podsStep(step, workload, selector);
  // A named targetPort no selected pod declares: the EndpointSlice has no port for it, so no endpoint.
  const target = port.targetPort && !port.targetPort.unknown ? port.targetPort.value : undefined;
  if (link?.status === 'missing' && typeof target === 'string') {
    return { reached: false, status: 503, backend: base(workloads), reason: `no selected pod declares a port named ${code(target)} (${port.protocol.value}), so Service ${code(nameOf(service))} has no endpoint for port ${describePort(port)}` };
  }
  return { reached: true, backend: base(workloads) };
}

function backendOf(service: Service, port: ServicePort | undefined, weight: number, workloads: readonly Workload[], link?: Link): TraceBackend {
  const number = port?.port && !port.port.unknown ? port.port.value : undefined;
  const target = port?.targetPort && !port.targetPort.unknown ? port.targetPort.value : undefined;
  const reached = reachedPorts(link);
  const containerPort = reached[0] ?? (typeof target === 'number' ? target : undefined);
  return {
    kind: 'Service',
    namespace: service.namespace,
    name: nameOf(service),
    ...(number !== undefined ? { port: number } : {}),
    weight,
    ...(target !== undefined ? { targetPort: target } : {}),
    ...(containerPort !== undefined ? { containerPort } : {}),
    workloads: workloads.map((w) => {
      const replicas = replicasOf(w);
      return { kind: w.kind, name: nameOf(w), ...(replicas !== undefined ? { replicas } : {}) };
    }),
  };
}

function portStep(step: StepSink, service: Service, port: ServicePort, link: Link | undefined): void {
  const chain = [describePort(port)];
  const target = port.targetPort;
  const location = { uri: service.uri, range: port.range };
  const node = nodeId.service(service.id);
  if (!target || target.unknown) {
    step('port', `${capitalize(chain[0])} → targetPort ${target ? '(templated)' : '(none)'}.`, location, node);
    return;
  }
  const numbers = reachedPorts(link);
  const containers = [...new Set((link?.targets ?? []).map((t) => t.containerName).filter((n): n is string => n !== undefined))];
  chain.push(`targetPort ${code(target.value)}${target.defaulted ? ' (defaulted to the port)' : ''}`);
  if (numbers.length > 0) chain.push(`containerPort ${numbers.join('/')}${containers.length > 0 ? ` (container ${listNames(containers)})` : ''}`);
  else if (typeof target.value === 'number') chain.push(`containerPort ${target.value}`);
  step('port', `${capitalize(chain.join(' → '))}.`, location, node);
  if (link && (link.status === 'missing' || link.status === 'partial') && typeof target.value === 'string') {
    step('note', `${link.status === 'missing' ? 'No selected pod' : 'Not every selected pod'} declares a port named ${code(target.value)}: ${link.status === 'missing' ? 'the Service has no endpoint for this port' : 'those pods get no endpoint'}.`, { uri: service.uri, range: target.range });
  } else if (link && link.status !== 'resolved' && link.status !== 'unknown') {
    step('note', `Not every selected pod declares containerPort ${code(target.value)}.`, { uri: service.uri, range: target.range });
  }
}

function podsStep(step: StepSink, workload: Workload, selector: Link): void {
  const replicas = replicasOf(workload);
  const detail = workload.kind === 'DaemonSet' ? ' (one per node)' : '';
  const location = { uri: workload.uri, range: workload.anchor };
  step('pods', `${capitalize(podSummary([workload]))}${detail} serve it (selected by ${code(selector.text)}).`, location, nodeId.workload(workload.id));
  if (replicas === 0) step('note', `${workload.kind} ${code(nameOf(workload))} is scaled to zero: nothing answers until it is scaled up.`, location);
}
