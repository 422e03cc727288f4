/**
 * Index keys. Every resource publishes the keys under which other resources may look it up;
 * every cross-resource question is a lookup by key. Because analysis records the keys it looked
 * up, an edit re-checks exactly the resources that asked about a key whose contents changed.
 */
import type { Range } from 'vscode-languageserver-types';
import type { Ingress, PodTemplate, Resource, Workload } from '../model';
import { isBuiltInGroup } from '../parse/kinds';
import { conflictScope } from './scopes';
import { directoryOf } from '../text/uris';
import { GATEWAY_GROUP } from '../semantics/gatewayApi';

/** Joined rather than concatenated: `join` yields one flat string, where template literals build string trees that stay in memory. */
const make = (...parts: (string | number)[]) => parts.join('\u0000');

export const key = {
  /** Any object, by kind, namespace and name (duplicates, HPA targets). */
  object: (kind: string, namespace: string, name: string) => make('obj', kind, namespace, name),
  service: (namespace: string, name: string) => make('svc', namespace, name),
  servicesIn: (namespace: string) => make('svc-ns', namespace),
  /** Workloads with a pod template, in a namespace. */
  podsIn: (namespace: string) => make('pods', namespace),
  /** Workloads whose pod template carries this label. */
  podLabel: (namespace: string, label: string, value: string) => make('podlabel', namespace, label, value),
  /** Workloads whose controller puts this label on its pods with a value not known exactly (GeneratedLabel). */
  podLabelAny: (namespace: string, label: string) => make('podlabel-any', namespace, label),
  /** Workloads whose pod template labels are partly templated (could match anything). */
  opaquePodsIn: (namespace: string) => make('pods-opaque', namespace),
  /** Workloads by metadata label (a Service selector copied from the wrong labels). */
  workloadLabel: (namespace: string, label: string, value: string) => make('wllabel', namespace, label, value),
  workloadsIn: (namespace: string) => make('wl-ns', namespace),
  ingressClass: (name: string) => make('ic', name),
  /** Custom resources (kinds of other API groups than Kubernetes' own), whose operators may create pods and Services. */
  customResources: () => 'custom-resources',
  /** Template files in a folder (see OtherResource.templateMarker). */
  templatesIn: (folder: string) => make('templates', folder),
  /** Workloads whose pods run an Ingress controller. */
  ingressControllers: () => 'ingress-controllers',
  anyIngressClass: () => 'ic-any',
  nodePort: (port: number) => make('np', port),
  /** A node port within one conflict scope (scopes.ts `conflictScope`: only objects surely applied together conflict). */
  nodePortIn: (unit: string, port: number) => make('np-unit', unit, port),
  /** Every object of a kind that features list (MetalLB address pools). */
  kind: (kind: string) => make('kind', kind),
  route: (unit: string, ingressClass: string, host: string, path: string, pathType: string) => make('route', unit, ingressClass, host, path, pathType),
  /** Objects of a kind in a namespace (Secrets, for certificate references). */
  kindIn: (kind: string, namespace: string) => make('kind-ns', kind, namespace),
  /** Any Gateway (or ListenerSet) / GatewayClass in the workspace: absent ones may live with a platform team. */
  anyGateway: () => 'gw-any',
  anyGatewayClass: () => 'gwc-any',
  /** ListenerSets whose parentRef names this Gateway. */
  listenerSetsOf: (namespace: string, name: string) => make('ls-of', namespace, name),
  /** Gateway API routes whose parentRefs name this Gateway or ListenerSet. */
  routesOfParent: (kind: string, namespace: string, name: string) => make('routes-of', kind, namespace, name),
  /** Gateway API routes whose backendRefs name this Service. */
  routesToService: (namespace: string, name: string) => make('routes-to', namespace, name),
  referenceGrantsIn: (namespace: string) => make('refgrants', namespace),
  /**
   * Gateway API routes of one conflict scope (scopes.ts `conflictScope`) whose parentRefs name this
   * Gateway or ListenerSet: the routes whose matches compete (route-match-shadowed).
   */
  routesOfParentIn: (scope: string, kind: string, namespace: string, name: string) => make('routes-of-in', scope, kind, namespace, name),
} as const;

/** The keys a resource provides, in its apply unit (scopes.ts). */
export function providedKeys(resource: Resource, unit: string): string[] {
  if (resource.type === 'other' && resource.templateMarker) return [key.templatesIn(directoryOf(resource.uri))];
  if (resource.opaqueIdentity) return opaqueKeys(resource);
  const keys: string[] = [];
  const ns = resource.namespace;
  if (resource.name) keys.push(key.object(resource.kind, ns, resource.name.value));
  switch (resource.type) {
    case 'workload':
      keys.push(key.workloadsIn(ns));
      for (const entry of resource.labels?.entries ?? []) keys.push(key.workloadLabel(ns, entry.key, entry.value));
      for (const template of podTemplatesOf(resource)) {
        keys.push(key.podsIn(ns));
        if (template.labels.partial) keys.push(key.opaquePodsIn(ns));
        for (const entry of template.labels.entries) keys.push(key.podLabel(ns, entry.key, entry.value));
        for (const label of template.generatedLabels) {
          keys.push(label.value !== undefined ? key.podLabel(ns, label.key, label.value) : key.podLabelAny(ns, label.key));
        }
        if (template.containers.some((c) => c.ingressController)) keys.push(key.ingressControllers());
      }
      break;
    case 'service':
      keys.push(key.servicesIn(ns));
      if (resource.name) keys.push(key.service(ns, resource.name.value));
      for (const port of nodePortsOf(resource)) keys.push(key.nodePort(port), key.nodePortIn(conflictScope(unit, resource.uri), port));
      break;
    case 'ingress':
      keys.push(...routeKeys(resource, unit));
      break;
    case 'ingressClass':
      keys.push(key.anyIngressClass());
      if (resource.name) keys.push(key.ingressClass(resource.name.value));
      break;
    case 'gatewayClass':
      keys.push(key.anyGatewayClass());
      break;
    case 'gateway':
      keys.push(key.anyGateway());
      if (resource.parentRef?.name && !resource.parentRef.name.unknown) keys.push(key.listenerSetsOf(resource.parentRef.namespace, resource.parentRef.name.value));
      break;
    case 'route':
      for (const ref of resource.parentRefs) {
        if (!ref.name || ref.name.unknown) continue;
        keys.push(key.routesOfParent(ref.kind, ref.namespace, ref.name.value));
        if (ref.group === GATEWAY_GROUP && (ref.kind === 'Gateway' || ref.kind === 'ListenerSet')) keys.push(key.routesOfParentIn(conflictScope(unit, resource.uri), ref.kind, ref.namespace, ref.name.value));
      }
      for (const rule of resource.rules) {
        for (const ref of rule.backendRefs) if (ref.kind === 'Service' && ref.group === '' && ref.name && !ref.name.unknown) keys.push(key.routesToService(ref.namespace, ref.name.value));
      }
      break;
    case 'referenceGrant':
      keys.push(key.referenceGrantsIn(ns));
      break;
    default:
      if (resource.type === 'other' && resource.addresses) keys.push(key.kind(resource.kind));
      if (resource.type === 'other' && resource.kind === 'Secret' && resource.apiVersion === 'v1') keys.push(key.kindIn('Secret', ns));
      if (resource.type === 'other' && !isBuiltInGroup(resource.apiVersion)) keys.push(key.customResources());
      break;
  }
  return [...new Set(keys)];
}

/**
 * A resource whose name or namespace is a template placeholder could be anything: it only makes
 * "nothing found" conclusions in its namespace uncertain.
 */
function opaqueKeys(resource: Resource): string[] {
  if (resource.type === 'workload' && podTemplatesOf(resource).length > 0) return [key.opaquePodsIn(resource.namespace), key.workloadsIn(resource.namespace)];
  if (resource.type === 'service') return [key.servicesIn(resource.namespace)];
  return [];
}

/** The pod templates of a workload: its template, then further ones (LeaderWorkerSet's leader). */
export function podTemplatesOf(workload: Workload): PodTemplate[] {
  return [...(workload.template ? [workload.template] : []), ...(workload.extraTemplates ?? [])];
}

export function nodePortsOf(resource: Resource): number[] {
  if (resource.type !== 'service') return [];
  const ports: number[] = [];
  for (const port of resource.ports) {
    if (port.nodePort && !port.nodePort.unknown && port.nodePort.value !== 0) ports.push(port.nodePort.value);
  }
  const health = resource.healthCheckNodePort;
  if (health && !health.unknown && health.value !== 0) ports.push(health.value);
  return ports;
}

/** The class an Ingress is served by: the field, else the legacy annotation, else the cluster default (''). */
export function effectiveIngressClass(ingress: Ingress): string | undefined {
  const field = ingress.ingressClassName ?? ingress.classAnnotation;
  if (!field) return '';
  return field.unknown ? undefined : field.value;
}

export interface ConcreteRoute {
  readonly key: string;
  readonly host: string;
  readonly path: string;
  readonly pathType: string;
  readonly range: Range;
}

/**
 * The routes an Ingress claims: one per concrete host + path + pathType of its class. Canary
 * Ingresses share routes on purpose and claim none; templated hosts and paths are skipped.
 */
export function concreteRoutes(ingress: Ingress, unit: string): ConcreteRoute[] {
  const ingressClass = effectiveIngressClass(ingress);
  if (ingress.canary || ingressClass === undefined) return [];
  const routes: ConcreteRoute[] = [];
  for (const rule of ingress.rules) {
    if (rule.host?.unknown) continue;
    const host = rule.host?.value ?? '';
    for (const path of rule.paths) {
      if (path.path?.unknown) continue;
      const value = path.path?.value ?? '';
      const pathType = path.pathType?.value ?? 'ImplementationSpecific';
      routes.push({ key: key.route(conflictScope(unit, ingress.uri), ingressClass, host, value, pathType), host, path: value, pathType, range: path.path?.range ?? path.range });
    }
  }
  return routes;
}

export function routeKeys(ingress: Ingress, unit: string): string[] {
  return concreteRoutes(ingress, unit).map((route) => route.key);
}
