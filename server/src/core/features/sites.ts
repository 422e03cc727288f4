/**
 * What is at a position: the field of which resource the cursor is on. Every editor feature
 * (hover, definition, references, rename, CodeLens) starts here and then reads links; none of
 * them re-resolves references.
 */
import type { Position, Range } from 'vscode-languageserver-types';
import type { Link } from '../analysis/types';
import type {
  Container,
  ContainerPort,
  Gateway,
  GatewayBackendRef,
  GatewayRoute,
  Hpa,
  Ingress,
  IngressPath,
  IngressRule,
  LabelEntry,
  Listener,
  ReferenceGrant,
  Resource,
  RouteFilter,
  RouteMatch,
  RouteParentRef,
  RouteRule,
  Service,
  ServicePort,
  Workload,
} from '../model';
import { rangeContains, sameRange } from '../text/ranges';
import type { Workspace } from '../workspace/workspace';

export type ServicePortField = 'name' | 'port' | 'targetPort' | 'nodePort';

export type Site =
  /** A reference that a link resolves (backend Service name or port, class, HPA target). */
  | { readonly kind: 'link'; readonly resource: Resource; readonly link: Link; readonly range: Range }
  | { readonly kind: 'name'; readonly resource: Resource; readonly range: Range }
  | { readonly kind: 'service-port'; readonly resource: Service; readonly port: ServicePort; readonly field: ServicePortField; readonly range: Range }
  | { readonly kind: 'service-selector'; readonly resource: Service; readonly entry?: LabelEntry; readonly range: Range }
  | { readonly kind: 'service-type'; readonly resource: Service; readonly range: Range }
  | { readonly kind: 'traffic-policy'; readonly resource: Service; readonly range: Range }
  | { readonly kind: 'pod-label'; readonly resource: Workload; readonly entry?: LabelEntry; readonly range: Range }
  | { readonly kind: 'workload-selector'; readonly resource: Workload; readonly entry?: LabelEntry; readonly range: Range }
  | { readonly kind: 'container-port'; readonly resource: Workload; readonly container: Container; readonly port: ContainerPort; readonly field: 'name' | 'containerPort'; readonly range: Range }
  | { readonly kind: 'ingress-host'; readonly resource: Ingress; readonly rule: IngressRule; readonly range: Range }
  | { readonly kind: 'ingress-path'; readonly resource: Ingress; readonly rule: IngressRule; readonly path: IngressPath; readonly range: Range }
  | { readonly kind: 'rewrite-target'; readonly resource: Ingress; readonly range: Range }
  | { readonly kind: 'scale-target'; readonly resource: Hpa; readonly link?: Link; readonly range: Range }
  // Gateway API (the class name and certificateRefs are plain `link` sites).
  /** A route's parentRef (or a ListenerSet's `spec.parentRef`): which field the cursor is on, `ref` elsewhere in it. */
  | { readonly kind: 'gw-parent-ref'; readonly resource: GatewayRoute | Gateway; readonly ref: RouteParentRef; readonly field: 'name' | 'sectionName' | 'port' | 'namespace' | 'ref'; readonly range: Range }
  | { readonly kind: 'gw-backend-ref'; readonly resource: GatewayRoute; readonly rule: RouteRule; readonly ruleIndex: number; readonly ref: GatewayBackendRef; readonly field: 'name' | 'port' | 'namespace' | 'weight' | 'ref'; readonly range: Range }
  | { readonly kind: 'gw-match'; readonly resource: GatewayRoute; readonly rule: RouteRule; readonly ruleIndex: number; readonly match: RouteMatch; readonly matchIndex: number; readonly range: Range }
  /** A filter of a rule, or of one of its backendRefs (`backendRef`). */
  | { readonly kind: 'gw-filter'; readonly resource: GatewayRoute; readonly rule: RouteRule; readonly ruleIndex: number; readonly filter: RouteFilter; readonly backendRef?: GatewayBackendRef; readonly range: Range }
  | { readonly kind: 'gw-listener'; readonly resource: Gateway; readonly listener: Listener; readonly field: 'name' | 'listener'; readonly range: Range }
  /** An entry of a ReferenceGrant's `from` or `to` list. */
  | { readonly kind: 'gw-grant-entry'; readonly resource: ReferenceGrant; readonly side: 'from' | 'to'; readonly index: number; readonly range: Range };

type Candidate = Site | undefined;

/** Links whose source is a plain reference (the other link kinds have richer sites). */
const LINK_SITES: ReadonlySet<string> = new Set(['ingress-service', 'ingress-service-port', 'ingress-class', 'gateway-class', 'gateway-certificate']);

function within(range: Range | undefined, position: Position): range is Range {
  return range !== undefined && rangeContains(range, position);
}

/** The most specific site at a position, or undefined when the cursor is on nothing we model. */
export function siteAt(workspace: Workspace, uri: string, position: Position): Site | undefined {
  const resource = workspace.resourcesOf(uri).find((r) => rangeContains(r.range, position));
  if (!resource) return undefined;
  const link = workspace.linksFrom(resource.id).find((l) => LINK_SITES.has(l.kind) && rangeContains(l.range, position));
  if (link) return { kind: 'link', resource, link, range: link.range };
  const specific = siteInResource(workspace, resource, position);
  if (specific) return specific;
  if (resource.name && within(resource.name.range, position)) return { kind: 'name', resource, range: resource.name.range };
  return undefined;
}

function siteInResource(workspace: Workspace, resource: Resource, position: Position): Candidate {
  switch (resource.type) {
    case 'service':
      return serviceSite(resource, position);
    case 'workload':
      return workloadSite(resource, position);
    case 'ingress':
      return ingressSite(resource, position);
    case 'hpa': {
      const ref = resource.scaleTargetRef;
      const range = [ref?.name?.range, ref?.kind?.range].find((r) => within(r, position));
      if (!range) return undefined;
      const link = workspace.linksFrom(resource.id).find((l) => l.kind === 'hpa-target');
      return { kind: 'scale-target', resource, link, range };
    }
    case 'route':
      return routeSite(resource, position);
    case 'gateway':
      return gatewaySite(resource, position);
    case 'referenceGrant': {
      const from = resource.from.findIndex((e) => within(e.range, position));
      if (from >= 0) return { kind: 'gw-grant-entry', resource, side: 'from', index: from, range: resource.from[from].range };
      const to = resource.to.findIndex((e) => within(e.range, position));
      return to >= 0 ? { kind: 'gw-grant-entry', resource, side: 'to', index: to, range: resource.to[to].range } : undefined;
    }
    default:
      return undefined;
  }
}

function labelAt(entries: readonly LabelEntry[], position: Position): LabelEntry | undefined {
  return entries.find((e) => !e.injected && (rangeContains(e.keyRange, position) || rangeContains(e.valueRange, position)));
}

function serviceSite(service: Service, position: Position): Candidate {
  for (const port of service.ports) {
    for (const field of ['name', 'port', 'targetPort', 'nodePort'] as const) {
      const value = port[field];
      // A defaulted targetPort has the range of `port`: the cursor there means `port`.
      if (field === 'targetPort' && port.targetPort?.defaulted) continue;
      if (value && within(value.range, position)) return { kind: 'service-port', resource: service, port, field, range: value.range };
    }
  }
  const selector = service.selector;
  if (selector) {
    const entry = labelAt(selector.entries, position);
    if (entry) return { kind: 'service-selector', resource: service, entry, range: rangeContains(entry.keyRange, position) ? entry.keyRange : entry.valueRange };
    if (within(selector.range, position)) return { kind: 'service-selector', resource: service, range: selector.range };
  }
  if (service.serviceType.range && within(service.serviceType.range, position)) return { kind: 'service-type', resource: service, range: service.serviceType.range };
  const policy = service.externalTrafficPolicy;
  if (policy && within(policy.range, position)) return { kind: 'traffic-policy', resource: service, range: policy.range };
  return undefined;
}

function workloadSite(workload: Workload, position: Position): Candidate {
  const template = workload.template;
  if (template) {
    const entry = labelAt(template.labels.entries, position);
    if (entry) return { kind: 'pod-label', resource: workload, entry, range: rangeContains(entry.keyRange, position) ? entry.keyRange : entry.valueRange };
    if (within(template.labels.range, position) && !sameRange(template.labels.range, workload.anchor)) return { kind: 'pod-label', resource: workload, range: template.labels.range };
    for (const container of template.containers) {
      for (const port of container.ports) {
        if (port.name && within(port.name.range, position)) return { kind: 'container-port', resource: workload, container, port, field: 'name', range: port.name.range };
        if (port.containerPort && within(port.containerPort.range, position)) return { kind: 'container-port', resource: workload, container, port, field: 'containerPort', range: port.containerPort.range };
      }
    }
  }
  const selector = workload.selector;
  if (selector) {
    const entry = labelAt(selector.matchLabels, position);
    if (entry) return { kind: 'workload-selector', resource: workload, entry, range: rangeContains(entry.keyRange, position) ? entry.keyRange : entry.valueRange };
    if (within(selector.range, position)) return { kind: 'workload-selector', resource: workload, range: selector.range };
  }
  return undefined;
}

function ingressSite(ingress: Ingress, position: Position): Candidate {
  for (const rule of ingress.rules) {
    if (rule.host && within(rule.host.range, position)) return { kind: 'ingress-host', resource: ingress, rule, range: rule.host.range };
    for (const path of rule.paths) {
      if (path.path && within(path.path.range, position)) return { kind: 'ingress-path', resource: ingress, rule, path, range: path.path.range };
    }
  }
  const target = ingress.rewriteTarget;
  if (target && within(target.range, position)) return { kind: 'rewrite-target', resource: ingress, range: target.range };
  return undefined;
}

function parentRefSite(resource: GatewayRoute | Gateway, ref: RouteParentRef, position: Position): Candidate {
  if (!within(ref.range, position)) return undefined;
  const fields = [
    ['name', ref.name?.range],
    ['sectionName', ref.sectionName?.range],
    ['port', ref.port?.range],
    ['namespace', ref.namespaceRange],
  ] as const;
  for (const [field, range] of fields) if (within(range, position)) return { kind: 'gw-parent-ref', resource, ref, field, range };
  return { kind: 'gw-parent-ref', resource, ref, field: 'ref', range: ref.range };
}

function routeSite(route: GatewayRoute, position: Position): Candidate {
  for (const ref of route.parentRefs) {
    const site = parentRefSite(route, ref, position);
    if (site) return site;
  }
  for (const [ruleIndex, rule] of route.rules.entries()) {
    if (!within(rule.range, position)) continue;
    for (const ref of rule.backendRefs) {
      if (!within(ref.range, position)) continue;
      for (const filter of ref.filters) if (within(filter.range, position)) return { kind: 'gw-filter', resource: route, rule, ruleIndex, filter, backendRef: ref, range: filter.range };
      const fields = [
        ['name', ref.name?.range],
        ['port', ref.port?.range],
        ['namespace', ref.namespaceRange],
        // A defaulted weight carries the backendRef's range: only a written one is a field.
        ['weight', sameRange(ref.weight.range, ref.range) ? undefined : ref.weight.range],
      ] as const;
      for (const [field, range] of fields) if (within(range, position)) return { kind: 'gw-backend-ref', resource: route, rule, ruleIndex, ref, field, range };
      return { kind: 'gw-backend-ref', resource: route, rule, ruleIndex, ref, field: 'ref', range: ref.range };
    }
    for (const filter of rule.filters) if (within(filter.range, position)) return { kind: 'gw-filter', resource: route, rule, ruleIndex, filter, range: filter.range };
    // Defaulted matches carry the rule's range: only written ones are sites.
    if (rule.matchesDefaulted) continue;
    for (const [matchIndex, match] of rule.matches.entries()) {
      if (!within(match.range, position)) continue;
      const value = match.path.value;
      const range = !match.path.defaulted && within(value.range, position) ? value.range : match.range;
      return { kind: 'gw-match', resource: route, rule, ruleIndex, match, matchIndex, range };
    }
  }
  return undefined;
}

function gatewaySite(gateway: Gateway, position: Position): Candidate {
  if (gateway.parentRef) {
    const site = parentRefSite(gateway, gateway.parentRef, position);
    if (site) return site;
  }
  for (const listener of gateway.listeners) {
    if (!within(listener.range, position)) continue;
    if (listener.name && within(listener.name.range, position)) return { kind: 'gw-listener', resource: gateway, listener, field: 'name', range: listener.name.range };
    return { kind: 'gw-listener', resource: gateway, listener, field: 'listener', range: listener.range };
  }
  return undefined;
}
