/**
 * Reads Gateway API objects (gateway.networking.k8s.io) into the model, applying the CRDs'
 * defaults (docs: gateway-api-semantics.md): parentRef group/kind/namespace, backendRef
 * group/kind/namespace/weight, listener tls mode and allowedRoutes, a missing match or path.
 * Every apiVersion real repositories contain (v1, v1beta1, v1alpha2, v1alpha3) reads the same.
 */
import type { Node, YAMLMap } from 'yaml';
import type {
  AllowedRoutes,
  Field,
  Gateway,
  GatewayBackendRef,
  GatewayClass,
  GatewayRoute,
  GroupKind,
  HttpHeaderMatch,
  Listener,
  PathModifier,
  ReferenceGrant,
  ResourceBase,
  RouteFilter,
  RouteKind,
  RouteMatch,
  RouteParentRef,
  RouteRule,
  SecretRef,
} from '../model';
import type { Reader } from './reader';
import { readSelector } from './extractWorkload';
import { GATEWAY_GROUP } from '../semantics/gatewayApi';

const ROUTE_KINDS: ReadonlySet<string> = new Set(['HTTPRoute', 'GRPCRoute', 'TLSRoute', 'TCPRoute', 'UDPRoute']);

/** Which Gateway API kind this is (any version of the group), or undefined. */
export function gatewayKind(kind: string, apiVersion: string): 'GatewayClass' | 'Gateway' | 'ListenerSet' | 'ReferenceGrant' | RouteKind | undefined {
  const group = apiVersion.slice(0, Math.max(0, apiVersion.indexOf('/')));
  // ListenerSet began in the experimental group (gateway.networking.x-k8s.io, XListenerSet).
  if (group === 'gateway.networking.x-k8s.io' && (kind === 'XListenerSet' || kind === 'ListenerSet')) return 'ListenerSet';
  if (group !== GATEWAY_GROUP) return undefined;
  if (kind === 'GatewayClass' || kind === 'Gateway' || kind === 'ListenerSet' || kind === 'ReferenceGrant') return kind;
  return ROUTE_KINDS.has(kind) ? (kind as RouteKind) : undefined;
}

/** A string field's value with a default when not written (the range points at what was written, if anything). */
function stringOr(reader: Reader, map: YAMLMap | undefined, key: string, fallback: string): { value: string; range?: ReturnType<Reader['range']> } {
  const field = reader.string(reader.get(map, key));
  if (field && !field.unknown) return { value: field.value, range: field.range };
  return { value: fallback };
}

function items(reader: Reader, node: Node | undefined): unknown[] {
  return reader.seq(node)?.items ?? [];
}

export function extractGatewayClass(reader: Reader, root: YAMLMap, base: ResourceBase): GatewayClass {
  return Object.assign(base, { type: 'gatewayClass' as const, controllerName: reader.string(reader.path(root, 'spec', 'controllerName')) });
}

export function extractGateway(reader: Reader, root: YAMLMap, base: ResourceBase, listenerSet: boolean): Gateway {
  const spec = reader.map(reader.get(root, 'spec'));
  const allowed = reader.map(reader.path(spec, 'allowedListeners', 'namespaces'));
  const selectorNode = reader.get(allowed, 'selector');
  const parentNode = reader.get(spec, 'parentRef');
  return Object.assign(base, {
    type: 'gateway' as const,
    gatewayClassName: listenerSet ? undefined : reader.string(reader.get(spec, 'gatewayClassName')),
    listeners: items(reader, reader.get(spec, 'listeners')).map((item) => readListener(reader, item as Node, base.namespace)),
    allowedListeners: {
      from: stringOr(reader, allowed, 'from', 'None').value,
      selector: selectorNode ? readSelector(reader, selectorNode, reader.range(reader.keyNode(allowed, 'selector')), false) : undefined,
    },
    parentRef: listenerSet && parentNode ? readParentRef(reader, parentNode, base.namespace) : undefined,
  });
}

function readListener(reader: Reader, node: Node, namespace: string): Listener {
  const map = reader.map(node);
  const tlsNode = reader.get(map, 'tls');
  const tls = reader.map(tlsNode);
  const allowedNode = reader.get(map, 'allowedRoutes');
  return {
    range: reader.range(node),
    name: reader.string(reader.get(map, 'name')),
    port: reader.int(reader.get(map, 'port')),
    protocol: reader.string(reader.get(map, 'protocol')),
    hostname: reader.string(reader.get(map, 'hostname')),
    tls: tls
      ? {
          range: reader.range(tlsNode),
          mode: stringOr(reader, tls, 'mode', 'Terminate'),
          certificateRefs: items(reader, reader.get(tls, 'certificateRefs')).map((ref) => readSecretRef(reader, ref as Node, namespace)),
          ...(hasEntries(reader, reader.get(tls, 'options')) ? { hasOptions: true as const } : {}),
        }
      : undefined,
    allowedRoutes: readAllowedRoutes(reader, allowedNode),
  };
}

function hasEntries(reader: Reader, node: Node | undefined): boolean {
  const map = reader.map(node);
  return map !== undefined && map.items.length > 0;
}

function readAllowedRoutes(reader: Reader, node: Node | undefined): AllowedRoutes {
  const map = reader.map(node);
  const namespaces = reader.map(reader.get(map, 'namespaces'));
  const selectorNode = reader.get(namespaces, 'selector');
  return {
    range: node ? reader.range(node) : undefined,
    from: stringOr(reader, namespaces, 'from', 'Same'),
    selector: selectorNode ? readSelector(reader, selectorNode, reader.range(reader.keyNode(namespaces, 'selector')), false) : undefined,
    kinds: items(reader, reader.get(map, 'kinds')).map((k) => readGroupKind(reader, k as Node, GATEWAY_GROUP)),
  };
}

function readGroupKind(reader: Reader, node: Node, defaultGroup: string): GroupKind {
  const map = reader.map(node);
  return { group: stringOr(reader, map, 'group', defaultGroup).value, kind: stringOr(reader, map, 'kind', '').value, range: reader.range(node) };
}

function readSecretRef(reader: Reader, node: Node, namespace: string): SecretRef {
  const map = reader.map(node);
  const ns = stringOr(reader, map, 'namespace', namespace);
  const kind = stringOr(reader, map, 'kind', 'Secret');
  return { range: reader.range(node), group: stringOr(reader, map, 'group', '').value, kind: kind.value, kindRange: kind.range, namespace: ns.value, namespaceRange: ns.range, name: reader.string(reader.get(map, 'name')) };
}

export function readParentRef(reader: Reader, node: Node, namespace: string): RouteParentRef {
  const map = reader.map(node);
  const ns = stringOr(reader, map, 'namespace', namespace);
  return {
    range: reader.range(node),
    group: stringOr(reader, map, 'group', GATEWAY_GROUP).value,
    kind: stringOr(reader, map, 'kind', 'Gateway').value,
    namespace: ns.value,
    namespaceRange: ns.range,
    name: reader.string(reader.get(map, 'name')),
    sectionName: reader.string(reader.get(map, 'sectionName')),
    port: reader.int(reader.get(map, 'port')),
  };
}

export function extractRoute(reader: Reader, root: YAMLMap, base: ResourceBase, routeKind: RouteKind): GatewayRoute {
  const spec = reader.map(reader.get(root, 'spec'));
  const rulesNode = reader.get(spec, 'rules');
  const written = items(reader, rulesNode);
  const rulesDefaulted = rulesNode === undefined && (routeKind === 'HTTPRoute' || routeKind === 'GRPCRoute');
  const rules = rulesDefaulted ? [defaultRule(reader.range(reader.keyNode(root, 'spec') ?? (root as Node)))] : written.map((r) => readRule(reader, r as Node, base.namespace, routeKind));
  return Object.assign(base, {
    type: 'route' as const,
    routeKind,
    parentRefs: items(reader, reader.get(spec, 'parentRefs')).map((p) => readParentRef(reader, p as Node, base.namespace)),
    hostnames: items(reader, reader.get(spec, 'hostnames')).map((h) => reader.string(reader.deref(h))).filter((h): h is Field<string> => h !== undefined),
    rules,
    rulesDefaulted,
  });
}

/** HTTPRoute without `rules`: one rule matching `PathPrefix /`, with no backends ([HR] L121–135). */
function defaultRule(range: RouteRule['range']): RouteRule {
  return { range, matches: [defaultMatch(range)], matchesDefaulted: true, filters: [], backendRefs: [] };
}

function defaultMatch(range: RouteRule['range']): RouteMatch {
  return { range, path: { type: 'PathPrefix', value: { value: '/', range }, defaulted: true }, headers: [], queryParams: [] };
}

function readRule(reader: Reader, node: Node, namespace: string, routeKind: RouteKind): RouteRule {
  const map = reader.map(node);
  const range = reader.range(node);
  const matchesNode = reader.get(map, 'matches');
  const written = items(reader, matchesNode).map((m) => readMatch(reader, m as Node, routeKind));
  const hasMatches = routeKind === 'HTTPRoute' || routeKind === 'GRPCRoute';
  const matchesDefaulted = hasMatches && written.length === 0;
  return {
    range,
    name: reader.string(reader.get(map, 'name')),
    matches: matchesDefaulted && routeKind === 'HTTPRoute' ? [defaultMatch(range)] : written,
    matchesDefaulted,
    filters: items(reader, reader.get(map, 'filters')).map((f) => readFilter(reader, f as Node, namespace)),
    backendRefs: items(reader, reader.get(map, 'backendRefs')).map((b) => readBackendRef(reader, b as Node, namespace)),
  };
}

function readMatch(reader: Reader, node: Node, routeKind: RouteKind): RouteMatch {
  const map = reader.map(node);
  const range = reader.range(node);
  const pathNode = reader.get(map, 'path');
  const path = reader.map(pathNode);
  const type = stringOr(reader, path, 'type', 'PathPrefix');
  const value = reader.string(reader.get(path, 'value'));
  const methodNode = reader.get(map, 'method');
  const grpc = routeKind === 'GRPCRoute' ? reader.map(methodNode) : undefined;
  return {
    range,
    path: {
      type: type.value,
      typeRange: type.range,
      value: value ?? { value: '/', range: pathNode ? reader.range(pathNode) : range },
      range: pathNode ? reader.range(pathNode) : undefined,
      defaulted: pathNode === undefined,
    },
    headers: items(reader, reader.get(map, 'headers')).map((h) => readNameValue(reader, h as Node)),
    queryParams: items(reader, reader.get(map, 'queryParams')).map((q) => readNameValue(reader, q as Node)),
    method: routeKind === 'HTTPRoute' ? reader.string(methodNode) : undefined,
    grpc: grpc ? { type: stringOr(reader, grpc, 'type', 'Exact').value, service: reader.string(reader.get(grpc, 'service')), method: reader.string(reader.get(grpc, 'method')) } : undefined,
  };
}

function readNameValue(reader: Reader, node: Node): HttpHeaderMatch {
  const map = reader.map(node);
  return { range: reader.range(node), type: stringOr(reader, map, 'type', 'Exact').value, name: reader.string(reader.get(map, 'name')), value: reader.string(reader.get(map, 'value')) };
}

/** The typed member fields a filter may carry; the CRD wants exactly the one `type` names. */
const FILTER_FIELDS = ['requestHeaderModifier', 'responseHeaderModifier', 'requestRedirect', 'urlRewrite', 'requestMirror', 'cors', 'extensionRef', 'externalAuth'];

function readFilter(reader: Reader, node: Node, namespace: string): RouteFilter {
  const map = reader.map(node);
  const redirectNode = reader.get(map, 'requestRedirect');
  const redirect = reader.map(redirectNode);
  const rewriteNode = reader.get(map, 'urlRewrite');
  const rewrite = reader.map(rewriteNode);
  const mirror = reader.map(reader.get(map, 'requestMirror'));
  const mirrorRef = reader.get(mirror, 'backendRef');
  return {
    range: reader.range(node),
    type: reader.string(reader.get(map, 'type')),
    requestRedirect: redirect
      ? {
          range: reader.range(redirectNode),
          scheme: reader.string(reader.get(redirect, 'scheme')),
          hostname: reader.string(reader.get(redirect, 'hostname')),
          port: reader.int(reader.get(redirect, 'port')),
          path: readPathModifier(reader, reader.get(redirect, 'path')),
          statusCode: reader.int(reader.get(redirect, 'statusCode')),
        }
      : undefined,
    urlRewrite: rewrite ? { range: reader.range(rewriteNode), hostname: reader.string(reader.get(rewrite, 'hostname')), path: readPathModifier(reader, reader.get(rewrite, 'path')) } : undefined,
    fields: FILTER_FIELDS.filter((f) => reader.get(map, f) !== undefined),
    mirror: mirrorRef ? readBackendRef(reader, mirrorRef, namespace) : undefined,
  };
}

function readPathModifier(reader: Reader, node: Node | undefined): PathModifier | undefined {
  const map = reader.map(node);
  if (!map || !node) return undefined;
  return {
    range: reader.range(node),
    type: reader.string(reader.get(map, 'type')),
    replaceFullPath: reader.string(reader.get(map, 'replaceFullPath')),
    replacePrefixMatch: reader.string(reader.get(map, 'replacePrefixMatch')),
  };
}

function readBackendRef(reader: Reader, node: Node, namespace: string): GatewayBackendRef {
  const map = reader.map(node);
  const kind = stringOr(reader, map, 'kind', 'Service');
  const ns = stringOr(reader, map, 'namespace', namespace);
  const range = reader.range(node);
  return {
    range,
    group: stringOr(reader, map, 'group', '').value,
    kind: kind.value,
    kindRange: kind.range,
    namespace: ns.value,
    namespaceRange: ns.range,
    name: reader.string(reader.get(map, 'name')),
    port: reader.int(reader.get(map, 'port')),
    weight: reader.int(reader.get(map, 'weight')) ?? { value: 1, range },
    filters: items(reader, reader.get(map, 'filters')).map((f) => readFilter(reader, f as Node, namespace)),
  };
}

export function extractReferenceGrant(reader: Reader, root: YAMLMap, base: ResourceBase): ReferenceGrant {
  const spec = reader.map(reader.get(root, 'spec'));
  return Object.assign(base, {
    type: 'referenceGrant' as const,
    from: items(reader, reader.get(spec, 'from')).map((f) => {
      const map = reader.map(f);
      return { ...readGroupKind(reader, f as Node, ''), namespace: stringOr(reader, map, 'namespace', '').value };
    }),
    to: items(reader, reader.get(spec, 'to')).map((t) => {
      const map = reader.map(t);
      const name = reader.knownString(reader.get(map, 'name'))?.value;
      return { ...readGroupKind(reader, t as Node, ''), ...(name !== undefined ? { name } : {}) };
    }),
  });
}
