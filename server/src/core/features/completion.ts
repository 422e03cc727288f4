/**
 * Completion of the values that link resources: Service names and ports in Ingress backends,
 * selector labels from the pod templates of the namespace, targetPorts from the selected pods,
 * HPA targets and IngressClasses. Candidates come from the index; each item says what it is.
 */
import type { Position } from 'vscode-languageserver-types';
import type { Gateway, GatewayBackendRef, GatewayClass, GatewayRoute, Resource, RouteParentRef, Service, Workload } from '../model';
import { backendsOf, describePort, portLabel } from '../links/ingressLinks';
import { nameOf } from '../links/describe';
import { SCALABLE_KINDS } from '../parse/kinds';
import { key } from '../workspace/keys';
import type { Workspace } from '../workspace/workspace';
import { backendLinks, linkedService, replicasOf, selectedWorkloads } from './related';
import { endsWith, yamlContextAt } from './yamlContext';
import { backendRefLinks, backendService, linkedParents, parentKindOf, parentLinkOf } from './gatewayRelated';
import type { YamlContext } from './yamlContext';
import { known } from '../model';

export type CompletionKind = 'service' | 'port' | 'label' | 'workload' | 'class' | 'gateway' | 'listener';

export interface CompletionCandidate {
  readonly label: string;
  readonly detail: string;
  readonly kind: CompletionKind;
  /** Sorts the most relevant first (lower is better). */
  readonly sortText?: string;
}

export function doComplete(ws: Workspace, uri: string, position: Position): CompletionCandidate[] {
  const text = ws.text(uri);
  const context = text === undefined ? undefined : yamlContextAt(text, position);
  if (!context) return [];
  const resource = ws.resourcesOf(uri).find((r) => r.range.start.line <= position.line && position.line <= r.range.end.line + 1);
  const namespace = resource?.namespace ?? ws.getSettings().defaultNamespace;
  return candidates(ws, context, resource, namespace, position);
}

function candidates(ws: Workspace, context: YamlContext, resource: Resource | undefined, namespace: string, position: Position): CompletionCandidate[] {
  const { path, inValue } = context;
  if (inValue && (endsWith(path, 'backend', 'service', 'name') || endsWith(path, 'backend', 'serviceName') || endsWith(path, 'defaultBackend', 'service', 'name'))) {
    return serviceNames(ws, namespace);
  }
  if (inValue && (endsWith(path, 'service', 'port', 'number') || endsWith(path, 'service', 'port', 'name') || endsWith(path, 'backend', 'servicePort'))) {
    return backendPorts(ws, resource, position, path[path.length - 1]);
  }
  if (resource?.type === 'service' && endsWith(path.slice(0, inValue ? -1 : undefined), 'spec', 'selector')) {
    return inValue ? labelValues(ws, namespace, path[path.length - 1]) : labelKeys(ws, namespace);
  }
  if (inValue && resource?.type === 'service' && endsWith(path, 'ports', 'targetPort')) return targetPorts(ws, resource);
  if (inValue && resource?.type === 'hpa' && endsWith(path, 'scaleTargetRef', 'name')) {
    const kind = resource.scaleTargetRef?.kind && !resource.scaleTargetRef.kind.unknown ? resource.scaleTargetRef.kind.value : undefined;
    return workloadNames(ws, namespace, kind);
  }
  if (inValue && (endsWith(path, 'spec', 'ingressClassName') || endsWith(path, 'annotations', 'kubernetes.io/ingress.class'))) return ingressClasses(ws);
  if (inValue && resource?.type === 'route') {
    if (endsWith(path, 'spec', 'parentRefs', 'name')) return parentNames(ws, parentRefAtLine(resource.parentRefs, position), resource.namespace);
    if (endsWith(path, 'spec', 'parentRefs', 'sectionName')) return sectionNames(ws, resource, parentRefAtLine(resource.parentRefs, position));
    if (endsWith(path, 'backendRefs', 'name')) return serviceNames(ws, backendRefAtLine(resource, position)?.namespace ?? namespace);
    if (endsWith(path, 'backendRefs', 'port')) return backendRefPorts(ws, resource, backendRefAtLine(resource, position));
  }
  if (inValue && resource?.type === 'gateway' && resource.parentRef && endsWith(path, 'spec', 'parentRef', 'name')) return parentNames(ws, resource.parentRef, resource.namespace);
  if (inValue && endsWith(path, 'spec', 'gatewayClassName')) return gatewayClasses(ws);
  return [];
}

/** The item of a list the cursor is in: the last one starting at or above the cursor's line. */
function atLine<T extends { readonly range: { readonly start: Position } }>(items: readonly T[], position: Position): T | undefined {
  return items.filter((i) => i.range.start.line <= position.line).sort((a, b) => b.range.start.line - a.range.start.line)[0];
}

function parentRefAtLine(refs: readonly RouteParentRef[], position: Position): RouteParentRef | undefined {
  return atLine(refs, position);
}

function backendRefAtLine(route: GatewayRoute, position: Position): GatewayBackendRef | undefined {
  return atLine(route.rules.flatMap((r) => r.backendRefs), position);
}

/** Gateways (or ListenerSets, for `kind: ListenerSet`) of the parentRef's namespace. */
function parentNames(ws: Workspace, ref: RouteParentRef | undefined, namespace: string): CompletionCandidate[] {
  const ns = ref?.namespace ?? namespace;
  const kind = ref?.kind ?? 'Gateway';
  return ws
    .lookup(key.anyGateway())
    .filter((g): g is Gateway => g.type === 'gateway' && g.name !== undefined && g.namespace === ns && parentKindOf(g) === kind)
    .map((g) => ({
      label: nameOf(g),
      kind: 'gateway',
      detail: `${parentKindOf(g)}${g.gatewayClassName && !g.gatewayClassName.unknown ? ` · class ${g.gatewayClassName.value}` : ''} · ${g.listeners.map((l) => `${known(l.name) ?? '?'} ${known(l.port) ?? '?'}/${known(l.protocol) ?? '?'}`).join(', ') || 'no listeners'}`,
    }));
}

/** The listeners of the parent the parentRef's link resolved to. */
function sectionNames(ws: Workspace, route: GatewayRoute, ref: RouteParentRef | undefined): CompletionCandidate[] {
  const parent = ref ? linkedParents(ws, parentLinkOf(ws, route, ref))[0] : undefined;
  if (!parent) return [];
  return parent.listeners
    .filter((l) => known(l.name) !== undefined)
    .map((l) => ({
      label: known(l.name)!,
      kind: 'listener',
      detail: `${known(l.port) ?? '?'}/${known(l.protocol) ?? '?'} · ${known(l.hostname) ?? 'any hostname'} · ${parent.kind} ${nameOf(parent)}`,
    }));
}

/** The port numbers of the Service the backendRef's link resolved to (a backendRef names the Service port, never a name). */
function backendRefPorts(ws: Workspace, route: GatewayRoute, ref: GatewayBackendRef | undefined): CompletionCandidate[] {
  const service = ref ? backendService(ws, backendRefLinks(ws, route, ref).service) : undefined;
  if (!service) return [];
  return service.ports
    .filter((p) => p.port && !p.port.unknown)
    .map((p) => ({ label: String((p.port as { value: number }).value), kind: 'port', detail: `Service ${nameOf(service)} · ${describePort(p)}${p.targetPort && !p.targetPort.unknown ? ` → targetPort ${p.targetPort.value}` : ''}` }));
}

function gatewayClasses(ws: Workspace): CompletionCandidate[] {
  return ws
    .lookup(key.anyGatewayClass())
    .filter((c): c is GatewayClass => c.type === 'gatewayClass' && c.name !== undefined)
    .map((c) => ({ label: nameOf(c), kind: 'class', detail: `GatewayClass · ${known(c.controllerName) ?? 'no controllerName'}` }));
}

function serviceNames(ws: Workspace, namespace: string): CompletionCandidate[] {
  return (ws.lookup(key.servicesIn(namespace)) as Service[])
    .filter((s) => s.name)
    .map((s) => ({ label: nameOf(s), kind: 'service', detail: `Service · ${s.serviceType.value} · ${s.ports.map(portLabel).join(', ') || 'no ports'}` }));
}

/** The Service named by the backend the cursor is in: the last backend starting above the cursor. */
function backendServiceAt(ws: Workspace, resource: Resource | undefined, position: Position): Service | undefined {
  if (resource?.type !== 'ingress') return undefined;
  const backend = backendsOf(resource)
    .filter((b) => b.range.start.line <= position.line)
    .sort((a, b) => b.range.start.line - a.range.start.line)[0];
  return backend ? linkedService(ws, backendLinks(ws, resource, backend).service) : undefined;
}

function backendPorts(ws: Workspace, resource: Resource | undefined, position: Position, field: string): CompletionCandidate[] {
  const service = backendServiceAt(ws, resource, position);
  if (!service) return [];
  const items: CompletionCandidate[] = [];
  for (const port of service.ports) {
    const detail = `Service ${nameOf(service)} · ${describePort(port)}`;
    if (field !== 'name' && port.port && !port.port.unknown) items.push({ label: String(port.port.value), kind: 'port', detail });
    if (field !== 'number' && port.name && !port.name.unknown) items.push({ label: port.name.value, kind: 'port', detail });
  }
  return items;
}

function templatesIn(ws: Workspace, namespace: string): Workload[] {
  return (ws.lookup(key.podsIn(namespace)) as Workload[]).filter((w) => w.template);
}

function labelKeys(ws: Workspace, namespace: string): CompletionCandidate[] {
  const keys = new Map<string, string[]>();
  for (const workload of templatesIn(ws, namespace)) {
    for (const entry of workload.template!.labels.entries) keys.set(entry.key, [...(keys.get(entry.key) ?? []), nameOf(workload)]);
  }
  return [...keys].map(([label, owners]) => ({ label, kind: 'label', detail: `pod label of ${owners.slice(0, 3).join(', ')}${owners.length > 3 ? ` and ${owners.length - 3} more` : ''}` }));
}

function labelValues(ws: Workspace, namespace: string, labelKey: string): CompletionCandidate[] {
  const values = new Map<string, Workload[]>();
  for (const workload of templatesIn(ws, namespace)) {
    const entry = workload.template!.labels.entries.find((e) => e.key === labelKey);
    if (entry) values.set(entry.value, [...(values.get(entry.value) ?? []), workload]);
  }
  return [...values].map(([label, workloads]) => ({
    label,
    kind: 'label',
    detail: workloads.map((w) => `${w.kind} ${nameOf(w)}${replicasOf(w) !== undefined ? ` (${replicasOf(w)} replicas)` : ''}`).join(', '),
  }));
}

function targetPorts(ws: Workspace, service: Service): CompletionCandidate[] {
  const workloads = selectedWorkloads(ws, service);
  const pool = workloads.length > 0 ? workloads : templatesIn(ws, service.namespace);
  const items = new Map<string, CompletionCandidate>();
  for (const workload of pool) {
    for (const container of workload.template?.containers ?? []) {
      for (const port of container.ports) {
        const number = port.containerPort && !port.containerPort.unknown ? port.containerPort.value : undefined;
        const detail = `containerPort ${number ?? '?'}/${port.protocol} · ${container.name} in ${workload.kind} ${nameOf(workload)}`;
        if (port.name && !port.name.unknown) items.set(port.name.value, { label: port.name.value, kind: 'port', detail, sortText: `0${port.name.value}` });
        if (number !== undefined && !items.has(String(number))) items.set(String(number), { label: String(number), kind: 'port', detail, sortText: `1${number}` });
      }
    }
  }
  return [...items.values()];
}

function workloadNames(ws: Workspace, namespace: string, kind: string | undefined): CompletionCandidate[] {
  return (ws.lookup(key.workloadsIn(namespace)) as Resource[])
    .filter((w) => w.name && SCALABLE_KINDS.has(w.kind) && (kind === undefined || w.kind === kind))
    .map((w) => ({ label: nameOf(w), kind: 'workload', detail: `${w.kind}${w.type === 'workload' && replicasOf(w) !== undefined ? ` · ${replicasOf(w)} replicas` : ''}` }));
}

function ingressClasses(ws: Workspace): CompletionCandidate[] {
  return ws
    .lookup(key.anyIngressClass())
    .filter((c) => c.name)
    .map((c) => ({ label: nameOf(c), kind: 'class', detail: `IngressClass · ${c.type === 'ingressClass' && c.controller ? c.controller.value : 'no controller'}${c.type === 'ingressClass' && c.isDefault ? ' (default)' : ''}` }));
}
