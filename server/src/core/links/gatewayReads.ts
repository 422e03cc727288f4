/**
 * Gateway API read helpers for the route graph and the tracer: the link of a parentRef or a
 * backendRef, whether a ReferenceGrant permits a backendRef, the listeners a Gateway serves
 * (its own and its ListenerSets'), its GatewayClass. They read links (links/gatewayLinks.ts made
 * them) and index keys; nothing here resolves a reference anew.
 */
import type { Link } from '../analysis/types';
import type { Query } from '../analysis/query';
import type { Gateway, GatewayBackendRef, GatewayClass, GatewayRoute, Listener, ReferenceGrant, Resource, RouteParentRef } from '../model';
import { key } from '../workspace/keys';
import { listenerSetAllowed } from './gatewayLinks';
import { GATEWAY_GROUP, grantPermits } from '../semantics/gatewayApi';
import { sameRange } from '../text/ranges';
import { known } from '../model';

/** The `route-parent` link of one parentRef of a route (links as `resolveRouteLinks` made them). */
export function parentLinkOf(links: readonly Link[], ref: RouteParentRef): Link | undefined {
  const range = ref.name?.range ?? ref.range;
  return links.find((l) => l.kind === 'route-parent' && sameRange(l.range, range));
}

/** The `route-backend` link of one backendRef and, when its port was judged, the `route-backend-port` link. */
export function backendRefLinks(links: readonly Link[], ref: GatewayBackendRef): { readonly service?: Link; readonly port?: Link } {
  const name = ref.name;
  if (!name) return {};
  const service = links.find((l) => l.kind === 'route-backend' && sameRange(l.range, name.range));
  const port = ref.port ? links.find((l) => l.kind === 'route-backend-port' && sameRange(l.range, ref.port!.range)) : undefined;
  return { ...(service ? { service } : {}), ...(port ? { port } : {}) };
}

/**
 * Whether a ReferenceGrant lets a route's backendRef reach a Service of another namespace (§11):
 * a grant in the Service's namespace with `from` = the route's group, kind and namespace and `to`
 * = core `Service` (and the name, when it names one). Same-namespace references need no grant.
 */
export function backendRefPermitted(route: GatewayRoute, ref: GatewayBackendRef, q: Query): { readonly permitted: boolean; readonly grant?: ReferenceGrant; readonly needed: boolean } {
  if (ref.namespace === route.namespace) return { permitted: true, needed: false };
  const name = known(ref.name) ?? '';
  const question = { fromGroup: GATEWAY_GROUP, fromKind: route.routeKind, fromNamespace: route.namespace, toGroup: ref.group, toKind: ref.kind, toName: name };
  const grants = q.lookup(key.referenceGrantsIn(ref.namespace)).filter((r): r is ReferenceGrant => r.type === 'referenceGrant');
  const grant = grants.find((g) => grantPermits(g, question));
  return { permitted: grant !== undefined, needed: true, ...(grant ? { grant } : {}) };
}

/** A listener as requests reach it: its Gateway, and the object that declares it (the Gateway, or a ListenerSet of it). */
export interface GatewayListener {
  readonly gateway: Gateway;
  readonly owner: Gateway;
  readonly listener: Listener;
  readonly index: number;
}

/**
 * The listeners of a Gateway (§4): its own, then those of the ListenerSets that name it and that
 * its `allowedListeners` admits (`None` by default; a `Selector` the workspace cannot judge admits),
 * oldest first, then by namespace/name.
 */
export function gatewayListeners(gateway: Gateway, q: Query, linksFrom: (id: string) => readonly Link[]): GatewayListener[] {
  const out: GatewayListener[] = gateway.listeners.map((listener, index) => ({ gateway, owner: gateway, listener, index }));
  if (gateway.parentRef || !gateway.name) return out;
  const sets = q
    .lookup(key.listenerSetsOf(gateway.namespace, gateway.name.value))
    .filter((r): r is Gateway => r.type === 'gateway' && r.parentRef !== undefined && !r.opaqueIdentity)
    // The ListenerSet's own link says which copy of the Gateway it attaches to.
    .filter((set) => linksFrom(set.id).some((l) => l.kind === 'listenerset-parent' && l.status === 'resolved' && l.targets.some((t) => t.resourceId === gateway.id)))
    .filter((set) => admits(gateway, set, q))
    .sort((a, b) => compareAge(a, b) || `${a.namespace}/${a.name?.value ?? ''}`.localeCompare(`${b.namespace}/${b.name?.value ?? ''}`));
  for (const set of sets) set.listeners.forEach((listener, index) => out.push({ gateway, owner: set, listener, index }));
  return out;
}

/** Listeners of a ListenerSet count unless its Gateway refuses it: a selector that cannot be judged admits it. */
function admits(gateway: Gateway, set: Gateway, q: Query): boolean {
  const allowed = listenerSetAllowed(gateway, set, q);
  return allowed === true || (allowed === undefined && gateway.allowedListeners.from === 'Selector');
}

function compareAge(a: Resource, b: Resource): number {
  if (a.creationTimestamp && b.creationTimestamp && a.creationTimestamp !== b.creationTimestamp) return a.creationTimestamp < b.creationTimestamp ? -1 : 1;
  return 0;
}


/** The GatewayClass a Gateway names (through its `gateway-class` link), if the workspace has it. */
export function gatewayClassOf(links: readonly Link[], resource: (id: string) => Resource | undefined): GatewayClass | undefined {
  const link = links.find((l) => l.kind === 'gateway-class');
  const target = link?.status === 'resolved' ? resource(link.targets[0].resourceId) : undefined;
  return target?.type === 'gatewayClass' ? target : undefined;
}
