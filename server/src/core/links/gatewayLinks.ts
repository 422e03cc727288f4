/**
 * Gateway API references: Gateway → GatewayClass, listener certificateRefs → Secrets, ListenerSet
 * → Gateway, route parentRefs → Gateways / ListenerSets (and which of their listeners accept the
 * route), route backendRefs → Services and their ports. Candidates are the nearest ones
 * (workspace/scopes.ts), as for every other reference.
 *
 * `attachRoute` is the one place that decides how a route attaches to a parent (§5.1 of
 * docs/gateway-api-semantics.md): the relevant listeners (sectionName, port), and which of them
 * accept the route (kind, namespace, hostname). Rules, hovers, the graph and the tracer all read it.
 */
import type { Link, LinkTarget } from '../analysis/types';
import type { Query } from '../analysis/query';
import type { Gateway, GatewayBackendRef, GatewayRoute, LabelSelector, Listener, ReferenceGrant, Resource, RouteParentRef, RouteRule, Service } from '../model';
import { key } from '../workspace/keys';
import { nearbyReach, nearest, within } from '../workspace/scopes';
import { matchesSelector } from '../semantics/labels';
import { GATEWAY_GROUP, effectiveHostnames, grantPermits, listenerAcceptsKind } from '../semantics/gatewayApi';
import type { GrantQuestion } from '../semantics/gatewayApi';
import { sameRange } from '../text/ranges';
import { makeLink } from './makeLink';
import { closestNameMiss } from './nearMisses';
import { describe } from './describe';
import { known } from '../model';

function target(resource: Resource, range = resource.anchor): LinkTarget {
  return { resourceId: resource.id, uri: resource.uri, range };
}

function isGateway(r: Resource): r is Gateway {
  return r.type === 'gateway' && !r.opaqueIdentity;
}

/** The kind key a parentRef of `kind` looks up (an experimental XListenerSet is a ListenerSet). */
function parentKinds(kind: string): string[] {
  return kind === 'ListenerSet' ? ['ListenerSet', 'XListenerSet'] : [kind];
}

// ── Gateway and ListenerSet ────────────────────────────────────────────────────────────────

export function resolveGatewayLinks(gateway: Gateway, q: Query): Link[] {
  const links: Link[] = [];
  const className = gateway.gatewayClassName;
  if (className) {
    const base = { kind: 'gateway-class' as const, sourceId: gateway.id, uri: gateway.uri, range: className.range, text: known(className) ?? '' };
    if (className.unknown) links.push(makeLink(base, { status: 'unknown', targets: [] }));
    else {
      const found = q.lookup(key.object('GatewayClass', '', className.value)).filter((r) => r.type === 'gatewayClass');
      const nearMisses = found.length > 0 ? [] : classMisses(className.value, className.range, q);
      links.push(makeLink(base, { status: found.length > 0 ? 'resolved' : 'missing', targets: found.map((r) => target(r)), nearMisses }));
    }
  }
  if (gateway.parentRef) links.push(resolveParentObject(gateway, gateway.parentRef, 'listenerset-parent', q));
  for (const listener of gateway.listeners) {
    for (const ref of listener.tls?.certificateRefs ?? []) {
      if (!ref.name) continue;
      const base = { kind: 'gateway-certificate' as const, sourceId: gateway.id, uri: gateway.uri, range: ref.name.range, text: known(ref.name) ?? '' };
      if (ref.name.unknown || ref.group !== '' || ref.kind !== 'Secret') {
        links.push(makeLink(base, { status: 'unknown', targets: [] }));
        continue;
      }
      const found = nearest(gateway, q.lookup(key.object('Secret', ref.namespace, ref.name.value)), q).items;
      links.push(makeLink(base, { status: found.length > 0 ? 'resolved' : 'missing', targets: found.map((r) => target(r)) }));
    }
  }
  return links;
}

function classMisses(name: string, range: Link['range'], q: Query): NonNullable<Link['nearMisses']> {
  return closestNameMiss(name, range, q.lookup(key.anyGatewayClass()).filter((r) => r.type === 'gatewayClass'));
}

/** A parentRef (of a route, or a ListenerSet's) → the Gateway or ListenerSet object it names. */
function resolveParentObject(from: Resource, ref: RouteParentRef, kind: 'route-parent' | 'listenerset-parent', q: Query): Link {
  const name = ref.name;
  const base = { kind, sourceId: from.id, uri: from.uri, range: name?.range ?? ref.range, text: known(name) ?? '' };
  if (!name || name.unknown) return makeLink(base, { status: 'unknown', targets: [] });
  // A mesh parent (a Service) or another implementation's parent kind is not judged here.
  if (ref.group !== GATEWAY_GROUP || (ref.kind !== 'Gateway' && ref.kind !== 'ListenerSet')) return makeLink(base, { status: 'unknown', targets: [] });
  const candidates = parentKinds(ref.kind).flatMap((k) => q.lookup(key.object(k, ref.namespace, name.value))).filter(isGateway);
  const found = nearest(from, candidates, q).items;
  if (found.length > 0) return makeLink(base, { status: 'resolved', targets: found.map((r) => target(r)) });
  const all = q.lookup(key.anyGateway()).filter(isGateway).filter((g) => g.namespace === ref.namespace && parentKinds(ref.kind).includes(g.kind));
  return makeLink(base, { status: 'missing', targets: [], nearMisses: closestNameMiss(name.value, name.range, all) });
}

// ── routes ─────────────────────────────────────────────────────────────────────────────────

export function resolveRouteLinks(route: GatewayRoute, q: Query): Link[] {
  const links: Link[] = route.parentRefs.map((ref) => resolveParentObject(route, ref, 'route-parent', q));
  for (const rule of route.rules) {
    for (const ref of rule.backendRefs) links.push(...resolveBackendRef(route, ref, q));
    // RequestMirror backendRefs are resolved like the others: a missing one is BackendNotFound
    // too (ResolvedRefs, docs/gateway-api-semantics.md §9.1).
    for (const filter of [...rule.filters, ...rule.backendRefs.flatMap((b) => b.filters)]) {
      if (filter.mirror) links.push(...resolveBackendRef(route, filter.mirror, q));
    }
  }
  return links;
}

/** Whether a backendRef names a core Service (the only kind judged: others are implementation-specific). */
export function isServiceRef(ref: GatewayBackendRef): boolean {
  return ref.group === '' && ref.kind === 'Service';
}

function resolveBackendRef(route: GatewayRoute, ref: GatewayBackendRef, q: Query): Link[] {
  const name = ref.name;
  if (!name) return [];
  const base = { kind: 'route-backend' as const, sourceId: route.id, uri: route.uri, range: name.range, text: known(name) ?? '' };
  if (name.unknown || !isServiceRef(ref)) return [makeLink(base, { status: 'unknown', targets: [] })];
  const services = nearest(route, q.lookup(key.service(ref.namespace, name.value)), q).items.filter((r): r is Service => r.type === 'service');
  if (services.length === 0) {
    const inNamespace = q.lookup(key.servicesIn(ref.namespace)).filter((r): r is Service => r.type === 'service');
    // As for Ingress backends (ingressLinks.ts): a Service whose identity a template decides may be
    // the one named; a did-you-mean comes only from nearby (its folder), never from another
    // example or repository that happens to share the namespace.
    const status = inNamespace.some((s) => s.opaqueIdentity) ? 'unknown' : 'missing';
    const nearMisses = closestNameMiss(name.value, name.range, within(route, inNamespace, q, nearbyReach(route, q)));
    return [makeLink(base, { status, targets: [], nearMisses })];
  }
  const links = [makeLink(base, { status: 'resolved', targets: services.map((s) => target(s)) })];
  const port = ref.port;
  if (port) {
    const portBase = { kind: 'route-backend-port' as const, sourceId: route.id, uri: route.uri, range: port.range, text: port.unknown ? '' : String(port.value) };
    if (port.unknown || services[0].ports.some((p) => p.port?.unknown)) links.push(makeLink(portBase, { status: 'unknown', targets: [] }));
    else {
      const hits = services.flatMap((s) => s.ports.filter((p) => p.port && !p.port.unknown && p.port.value === port.value).map((p) => target(s, p.port!.range)));
      const first = services[0];
      const nearMisses = hits.length > 0 ? [] : first.ports.filter((p) => p.port && !p.port.unknown).slice(0, 1).map((p) => ({ resourceId: first.id, uri: first.uri, range: p.range, description: `${describe(first)} has port ${(p.port as { value: number }).value}${p.name && !p.name.unknown ? ` (${p.name.value})` : ''}`, fix: { range: port.range, newText: String((p.port as { value: number }).value) } }));
      links.push(makeLink(portBase, { status: hits.length > 0 ? 'resolved' : 'missing', targets: hits, nearMisses }));
    }
  }
  return links;
}

// ── attachment (§5.1) ──────────────────────────────────────────────────────────────────────

export type AttachmentProblem =
  /** No such parent, or sectionName / port select no listener. */
  | 'NoMatchingParent'
  /** Kind or namespace not allowed on every relevant listener. */
  | 'NotAllowedByListeners'
  /** Hostnames intersect no relevant listener. */
  | 'NoMatchingListenerHostname';

export interface ListenerAttachment {
  readonly parent: Gateway;
  readonly listener: Listener;
  /** Why this listener does not accept the route, when it does not. */
  readonly refusal?: 'kind' | 'namespace' | 'hostname';
  /** The hostnames the route serves on this listener (undefined = any). */
  readonly hostnames: readonly (string | undefined)[];
  /** Whether the namespace decision needed Namespace labels the workspace does not have. */
  readonly namespaceUnknown?: boolean;
}

export interface Attachment {
  /** The parents found for the ref (usually one). */
  readonly parents: readonly Gateway[];
  readonly relevant: readonly ListenerAttachment[];
  readonly accepted: readonly ListenerAttachment[];
  readonly problem?: AttachmentProblem;
  /** For NoMatchingParent: what selected nothing. */
  readonly selector?: 'parent' | 'sectionName' | 'port';
}

/** The listeners of a parent as routes see them: a Gateway's own, or a ListenerSet's (§4). */
export function listenersOf(parent: Gateway): readonly Listener[] {
  return parent.listeners;
}

/** How a route attaches through one parentRef. `parents` are the objects its link resolved to. */
export function attachRoute(route: GatewayRoute, ref: RouteParentRef, parents: readonly Gateway[], q: Query): Attachment {
  if (parents.length === 0) return { parents, relevant: [], accepted: [], problem: 'NoMatchingParent', selector: 'parent' };
  const section = known(ref.sectionName);
  const port = known(ref.port);
  const relevant: ListenerAttachment[] = [];
  for (const parent of parents) {
    for (const listener of listenersOf(parent)) {
      if (section !== undefined && known(listener.name) !== section) continue;
      if (port !== undefined && known(listener.port) !== port) continue;
      relevant.push(judgeListener(route, parent, listener, q));
    }
  }
  if (relevant.length === 0) return { parents, relevant, accepted: [], problem: 'NoMatchingParent', selector: section !== undefined ? 'sectionName' : 'port' };
  const accepted = relevant.filter((l) => l.refusal === undefined);
  if (accepted.length > 0) return { parents, relevant, accepted };
  // NotAllowedByListeners when kind or namespace fails on every relevant listener; a listener that
  // allows the route but whose hostname intersects none of its hostnames makes it NoMatchingListenerHostname.
  const problem = relevant.some((l) => l.refusal === 'hostname') ? 'NoMatchingListenerHostname' : 'NotAllowedByListeners';
  return { parents, relevant, accepted, problem };
}

function judgeListener(route: GatewayRoute, parent: Gateway, listener: Listener, q: Query): ListenerAttachment {
  if (!listenerAcceptsKind(listener, route.routeKind)) return { parent, listener, refusal: 'kind', hostnames: [] };
  const namespace = namespaceAllowed(listener, parent, route, q);
  if (namespace === false) return { parent, listener, refusal: 'namespace', hostnames: [] };
  const hostnames = route.routeKind === 'TCPRoute' || route.routeKind === 'UDPRoute' ? [undefined] : effectiveHostnames(listener, route);
  if (hostnames.length === 0) return { parent, listener, refusal: 'hostname', hostnames };
  return { parent, listener, hostnames, namespaceUnknown: namespace === undefined ? true : undefined };
}

/**
 * `allowedRoutes.namespaces.from`: Same (the listener owner's namespace, a ListenerSet's own for
 * its listeners), All, Selector (the route's Namespace labels; undefined when the workspace does
 * not define that Namespace: not judged).
 */
function namespaceAllowed(listener: Listener, parent: Gateway, route: GatewayRoute, q: Query): boolean | undefined {
  const from = listener.allowedRoutes.from.value;
  if (from === 'All') return true;
  if (from === 'Same') return route.namespace === parent.namespace;
  if (from !== 'Selector' || !listener.allowedRoutes.selector) return undefined;
  return namespaceSelected(listener.allowedRoutes.selector, route.namespace, route, q);
}

/**
 * Whether Namespace `namespace` matches a selector (of allowedRoutes or allowedListeners), with
 * the labels Kubernetes gives it: its own plus `kubernetes.io/metadata.name`. Its nearest
 * definitions from `from` count, and alternatives (several files defining it with other labels)
 * never make it refused, so any one that matches admits it. Undefined when that cannot be told:
 * the workspace does not define the Namespace and its name alone does not match, or a label is
 * templated.
 */
export function namespaceSelected(selector: LabelSelector, namespace: string, from: Resource, q: Query): boolean | undefined {
  const namespaces = nearest(from, q.lookup(key.object('Namespace', '', namespace)), q).items;
  const results = (namespaces.length > 0 ? namespaces : [undefined]).map((definition) => {
    const labels = definition?.labels ?? { entries: [], partial: false, range: from.anchor };
    const withName = { ...labels, entries: [...labels.entries, { key: 'kubernetes.io/metadata.name', value: namespace, keyRange: from.anchor, valueRange: from.anchor }] };
    return matchesSelector(selector, withName);
  });
  if (results.includes('match')) return true;
  if (results.includes('unknown') || namespaces.length === 0) return undefined;
  return false;
}

/**
 * Whether a Gateway's `allowedListeners` admits a ListenerSet (§4: None by default, Same, All,
 * Selector over the ListenerSet's Namespace); undefined when a selector cannot be judged.
 */
export function listenerSetAllowed(parent: Gateway, set: Gateway, q: Query): boolean | undefined {
  const from = parent.allowedListeners.from;
  if (from === 'All') return true;
  if (from === 'Same') return parent.namespace === set.namespace;
  if (from === 'Selector' && parent.allowedListeners.selector) return namespaceSelected(parent.allowedListeners.selector, set.namespace, set, q);
  return from === 'None' ? false : undefined;
}

// ── read helpers (features and rules read these; nothing here resolves anew) ────────────────

/** Whether a backendRef leaves its route's namespace, so that it needs a ReferenceGrant (§11). */
export function isCrossNamespace(route: GatewayRoute, ref: GatewayBackendRef): boolean {
  return ref.namespace !== route.namespace;
}

/** The ReferenceGrant question a route's backendRef asks (§11: from the route kind in its namespace, to the Service). */
export function backendGrantQuestion(route: GatewayRoute, ref: GatewayBackendRef): GrantQuestion | undefined {
  const name = known(ref.name);
  if (name === undefined) return undefined;
  return { fromGroup: GATEWAY_GROUP, fromKind: route.routeKind, fromNamespace: route.namespace, toGroup: ref.group, toKind: ref.kind, toName: name };
}

function isGrant(r: Resource): r is ReferenceGrant {
  return r.type === 'referenceGrant' && !r.opaqueIdentity;
}

/** The ReferenceGrants in a namespace (the target's: a grant lives with what it exposes). */
export function grantsIn(namespace: string, q: Query): ReferenceGrant[] {
  return q.lookup(key.referenceGrantsIn(namespace)).filter(isGrant);
}

/**
 * The ReferenceGrants that permit a cross-namespace backendRef (§11): in the backend's namespace,
 * with a `from` entry for the route's kind and namespace and a `to` entry for the backend.
 * Empty for a same-namespace reference (it needs none).
 */
export function grantsPermitting(route: GatewayRoute, ref: GatewayBackendRef, q: Query): ReferenceGrant[] {
  const question = backendGrantQuestion(route, ref);
  if (!question || !isCrossNamespace(route, ref)) return [];
  return grantsIn(ref.namespace, q).filter((grant) => grantPermits(grant, question));
}

/** The backendRef of a route rule whose name is at `range`: what a `route-backend` link starts at. */
export function backendRefAt(route: GatewayRoute, range: Link['range']): { ref: GatewayBackendRef; rule: RouteRule; ruleIndex: number } | undefined {
  for (const [ruleIndex, rule] of route.rules.entries()) {
    for (const ref of rule.backendRefs) if (ref.name && sameRange(ref.name.range, range)) return { ref, rule, ruleIndex };
  }
  return undefined;
}

/** The parentRef of a route whose name is at `range`: what a `route-parent` link starts at. */
export function parentRefAt(route: GatewayRoute, range: Link['range']): RouteParentRef | undefined {
  return route.parentRefs.find((ref) => ref.name && sameRange(ref.name.range, range));
}
