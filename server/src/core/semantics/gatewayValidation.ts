/**
 * What the API server rejects in Gateway API objects: the OpenAPI patterns, enums, bounds and CEL
 * rules of the CRDs (kubernetes-sigs/gateway-api apis/v1: gateway_types.go, httproute_types.go,
 * grpcroute_types.go, shared_types.go, object_reference_types.go, tlsroute_types.go,
 * tcproute_types.go, referencegrant_types.go; docs/gateway-api-semantics.md §3.1, §6, §7, §13).
 * Pure functions over the model: each returns the problems with where they were written. Values
 * that are templated (unknown) are never judged, and rules that only some CRD versions have are
 * applied only to the apiVersions that have them.
 */
import type { Range } from 'vscode-languageserver-types';
import type {
  Gateway,
  GatewayBackendRef,
  GatewayClass,
  GatewayRoute,
  HttpHeaderMatch,
  Listener,
  PathModifier,
  ReferenceGrant,
  RouteFilter,
  RouteParentRef,
  RouteRule,
} from '../model';
import { pathValueProblem } from './gatewayApi';
import { known } from '../model';

export interface ApiProblem {
  readonly range: Range;
  readonly message: string;
}

// Patterns of shared_types.go. Lengths are checked before a pattern runs, so no input is long.
const SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const HOSTNAME = /^(\*\.)?[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const KIND = /^[a-zA-Z]([-a-zA-Z0-9]*[a-zA-Z0-9])?$/;
const NAMESPACE = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const HEADER_NAME = /^[A-Za-z0-9!#$%&'*+\-.^_`|~]+$/;
const GATEWAY_CONTROLLER = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*\/[A-Za-z0-9/\-._~%!$&'()*+,;=:]+$/;
// ProtocolType: the second alternative has no `^` in the CRD either.
const PROTOCOL = /^[a-zA-Z0-9]([-a-zA-Z0-9]*[a-zA-Z0-9])?$|[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*\/[A-Za-z0-9]+$/;
const IPV4 = /^\d{1,3}(\.\d{1,3}){3}$/;

export function isValidHostname(value: string): boolean {
  return value.length >= 1 && value.length <= 253 && HOSTNAME.test(value);
}

export function isValidKind(value: string): boolean {
  return value.length >= 1 && value.length <= 63 && KIND.test(value);
}

export function isValidGroup(value: string): boolean {
  return value === '' || (value.length <= 253 && SUBDOMAIN.test(value));
}

function isSectionName(value: string): boolean {
  return value.length >= 1 && value.length <= 253 && SUBDOMAIN.test(value);
}

function isPreciseHostname(value: string): boolean {
  return value.length >= 1 && value.length <= 253 && SUBDOMAIN.test(value);
}

function isNamespace(value: string): boolean {
  return value.length >= 1 && value.length <= 63 && NAMESPACE.test(value);
}

function isHeaderName(value: string): boolean {
  return value.length >= 1 && value.length <= 256 && HEADER_NAME.test(value);
}

function isPort(value: number): boolean {
  return Number.isInteger(value) && value >= 1 && value <= 65535;
}

/** Core protocol names are case-insensitive (ProtocolType); anything else is kept as written. */
export function coreProtocol(protocol: string | undefined): string | undefined {
  if (protocol === undefined) return undefined;
  const upper = protocol.toUpperCase();
  return ['HTTP', 'HTTPS', 'TLS', 'TCP', 'UDP'].includes(upper) ? upper : protocol;
}

/** The apiVersion's version (`v1`, `v1beta1`, `v1alpha2`, …). */
function versionOf(apiVersion: string): string {
  return apiVersion.slice(apiVersion.indexOf('/') + 1);
}

class Problems {
  readonly list: ApiProblem[] = [];
  constructor(private readonly what: string) {}
  add(range: Range, message: string): void {
    this.list.push({ range, message: `${this.what}: ${message}` });
  }
}

// ── GatewayClass ───────────────────────────────────────────────────────────────────────────

export function gatewayClassProblems(gc: GatewayClass): ApiProblem[] {
  const p = new Problems(`the API server rejects GatewayClass \`${gc.name?.value ?? ''}\``);
  const controller = gc.controllerName;
  if (!controller) p.add(gc.anchor, '`spec.controllerName` is required');
  else if (!controller.unknown && !(controller.value.length <= 253 && GATEWAY_CONTROLLER.test(controller.value))) {
    p.add(controller.range, `controllerName \`${controller.value}\` must be a domain-prefixed path (\`example.net/gateway-controller\`)`);
  }
  return p.list;
}

// ── Gateway, ListenerSet (§3.1, §4) ───────────────────────────────────────────────────────

export function gatewayProblems(gateway: Gateway): ApiProblem[] {
  const listenerSet = gateway.kind !== 'Gateway';
  const p = new Problems(`the API server rejects ${gateway.kind} \`${gateway.name?.value ?? ''}\``);
  if (!listenerSet && !gateway.gatewayClassName) p.add(gateway.anchor, '`spec.gatewayClassName` is required');
  if (listenerSet && !gateway.parentRef) p.add(gateway.anchor, '`spec.parentRef` is required');
  if (listenerSet && gateway.parentRef && !gateway.parentRef.name) p.add(gateway.parentRef.range, 'the parentRef needs a `name`');
  if (gateway.listeners.length === 0) p.add(gateway.anchor, '`spec.listeners` needs at least one listener');
  if (gateway.listeners.length > 64) p.add(gateway.listeners[64].range, 'at most 64 listeners are allowed');
  if (!['All', 'Selector', 'Same', 'None'].includes(gateway.allowedListeners.from)) {
    p.add(gateway.anchor, `allowedListeners.namespaces.from \`${gateway.allowedListeners.from}\` must be All, Selector, Same or None`);
  }
  for (const listener of gateway.listeners) listenerProblems(listener, p, listenerSet);
  return p.list;
}

function listenerProblems(listener: Listener, p: Problems, listenerSet: boolean): void {
  const name = listener.name;
  const label = name && !name.unknown ? `listener \`${name.value}\`` : 'a listener';
  if (!name) p.add(listener.range, 'every listener needs a `name`');
  else if (!name.unknown && !isSectionName(name.value)) p.add(name.range, `listener name \`${name.value}\` must be lowercase letters, digits, '-' and '.' (a DNS subdomain)`);
  const port = listener.port;
  // An experimental XListenerSet listener may leave its port to the implementation.
  if (!port && !listenerSet) p.add(listener.range, `${label} needs a \`port\``);
  else if (port && !port.unknown && !isPort(port.value)) p.add(port.range, `${label}: port ${port.value} must be between 1 and 65535`);
  const protocolField = listener.protocol;
  if (!protocolField) p.add(listener.range, `${label} needs a \`protocol\``);
  else if (!protocolField.unknown && !(protocolField.value.length <= 255 && PROTOCOL.test(protocolField.value))) {
    p.add(protocolField.range, `${label}: protocol \`${protocolField.value}\` must be HTTP, HTTPS, TLS, TCP, UDP or a domain-prefixed name (\`example.com/proto\`)`);
  }
  const protocol = protocolField?.unknown ? undefined : coreProtocol(protocolField?.value);
  const hostname = listener.hostname;
  if (hostname && !hostname.unknown) {
    if (protocol === 'TCP' || protocol === 'UDP') p.add(hostname.range, `${label}: hostname must not be specified for protocols TCP and UDP`);
    else if (hostname.value !== '' && !isValidHostname(hostname.value)) p.add(hostname.range, `${label}: hostname \`${hostname.value}\` must be a lowercase DNS name, optionally starting with \`*.\` (no IPs, no ports)`);
  }
  const tls = listener.tls;
  if (tls && (protocol === 'HTTP' || protocol === 'TCP' || protocol === 'UDP')) p.add(tls.range, `${label}: tls must not be specified for protocols HTTP, TCP and UDP`);
  if (!tls && protocol === 'TLS') p.add(protocolField!.range, `${label}: tls mode must be set for protocol TLS (add \`tls\` with \`mode: Passthrough\` or \`Terminate\`)`);
  if (tls) {
    const mode = tls.mode.value;
    if (mode !== 'Terminate' && mode !== 'Passthrough') p.add(tls.mode.range ?? tls.range, `${label}: tls mode \`${mode}\` must be Terminate or Passthrough`);
    if (protocol === 'HTTPS' && mode === 'Passthrough') p.add(tls.mode.range ?? tls.range, `${label}: tls mode must be Terminate for protocol HTTPS (Passthrough needs protocol TLS and a TLSRoute)`);
    const forbidden = protocol === 'HTTP' || protocol === 'TCP' || protocol === 'UDP';
    if (!forbidden && mode === 'Terminate' && tls.certificateRefs.length === 0 && !tls.hasOptions) {
      p.add(tls.mode.range ?? tls.range, `${label}: certificateRefs or options must be specified when mode is Terminate`);
    }
    for (const ref of tls.certificateRefs) {
      if (!ref.name) p.add(ref.range, `${label}: every certificateRef needs a \`name\``);
      if (ref.namespaceRange && !isNamespace(ref.namespace)) p.add(ref.namespaceRange, `${label}: certificateRef namespace \`${ref.namespace}\` must be a DNS label`);
      if (!isValidGroup(ref.group)) p.add(ref.range, `${label}: certificateRef group \`${ref.group}\` must be empty or a DNS subdomain`);
      if (!isValidKind(ref.kind)) p.add(ref.kindRange ?? ref.range, `${label}: certificateRef kind \`${ref.kind}\` is not a valid kind`);
    }
  }
  const from = listener.allowedRoutes.from;
  if (!['All', 'Selector', 'Same'].includes(from.value)) p.add(from.range ?? listener.range, `${label}: allowedRoutes.namespaces.from \`${from.value}\` must be All, Selector or Same`);
  for (const kind of listener.allowedRoutes.kinds) {
    if (!isValidKind(kind.kind)) p.add(kind.range, `${label}: allowedRoutes kind \`${kind.kind}\` is not a valid kind`);
    else if (!isValidGroup(kind.group)) p.add(kind.range, `${label}: allowedRoutes group \`${kind.group}\` must be empty or a DNS subdomain`);
  }
}

// ── ReferenceGrant (§11) ──────────────────────────────────────────────────────────────────

export function referenceGrantProblems(grant: ReferenceGrant): ApiProblem[] {
  const p = new Problems(`the API server rejects ReferenceGrant \`${grant.name?.value ?? ''}\``);
  if (grant.from.length === 0) p.add(grant.anchor, '`spec.from` needs at least one entry');
  if (grant.to.length === 0) p.add(grant.anchor, '`spec.to` needs at least one entry');
  if (grant.from.length > 16) p.add(grant.from[16].range, '`spec.from` has at most 16 entries');
  if (grant.to.length > 16) p.add(grant.to[16].range, '`spec.to` has at most 16 entries');
  for (const from of grant.from) {
    if (from.namespace === '') p.add(from.range, 'every `from` entry needs a `namespace`');
    else if (!isNamespace(from.namespace)) p.add(from.range, `from namespace \`${from.namespace}\` must be a DNS label`);
    if (!isValidKind(from.kind)) p.add(from.range, from.kind === '' ? 'every `from` entry needs a `kind`' : `from kind \`${from.kind}\` is not a valid kind`);
    else if (!isValidGroup(from.group)) p.add(from.range, `from group \`${from.group}\` must be empty or a DNS subdomain`);
  }
  for (const to of grant.to) {
    if (!isValidKind(to.kind)) p.add(to.range, to.kind === '' ? 'every `to` entry needs a `kind`' : `to kind \`${to.kind}\` is not a valid kind`);
    else if (!isValidGroup(to.group)) p.add(to.range, `to group \`${to.group}\` must be empty or a DNS subdomain`);
  }
  return p.list;
}

// ── routes (§5.1, §6, §7, §8, §10) ─────────────────────────────────────────────────────────

const HTTP_FILTERS: ReadonlySet<string> = new Set(['RequestHeaderModifier', 'ResponseHeaderModifier', 'RequestMirror', 'RequestRedirect', 'URLRewrite', 'ExtensionRef', 'CORS', 'ExternalAuth']);
const GRPC_FILTERS: ReadonlySet<string> = new Set(['RequestHeaderModifier', 'ResponseHeaderModifier', 'RequestMirror', 'ExtensionRef']);
/** Filters that may appear more than once in one list. */
const REPEATABLE: ReadonlySet<string> = new Set(['RequestMirror', 'ExtensionRef']);
/** The member field each filter type fills. */
const FILTER_FIELD: Readonly<Record<string, string>> = {
  RequestHeaderModifier: 'requestHeaderModifier',
  ResponseHeaderModifier: 'responseHeaderModifier',
  RequestMirror: 'requestMirror',
  RequestRedirect: 'requestRedirect',
  URLRewrite: 'urlRewrite',
  ExtensionRef: 'extensionRef',
  CORS: 'cors',
  ExternalAuth: 'externalAuth',
};
const METHODS: ReadonlySet<string> = new Set(['GET', 'HEAD', 'POST', 'PUT', 'DELETE', 'CONNECT', 'OPTIONS', 'TRACE', 'PATCH']);

export function routeProblems(route: GatewayRoute): ApiProblem[] {
  const kind = route.routeKind;
  const p = new Problems(`the API server rejects ${kind} \`${route.name?.value ?? ''}\``);
  const v1 = versionOf(route.apiVersion) === 'v1';
  if (route.parentRefs.length > 32) p.add(route.parentRefs[32].range, 'at most 32 parentRefs are allowed');
  for (const ref of route.parentRefs) parentRefProblems(ref, p);
  sameParentProblems(route.parentRefs, p);
  if (kind === 'HTTPRoute' || kind === 'GRPCRoute' || kind === 'TLSRoute') {
    for (const hostname of route.hostnames) {
      if (hostname.unknown) continue;
      if (!isValidHostname(hostname.value)) p.add(hostname.range, `hostname \`${hostname.value}\` must be a lowercase DNS name, optionally starting with \`*.\` (no scheme, port or path)`);
      else if (kind === 'TLSRoute' && v1 && IPV4.test(hostname.value)) p.add(hostname.range, `hostname \`${hostname.value}\`: hostnames cannot contain an IP`);
    }
    const maxHostnames = kind === 'TLSRoute' && v1 ? 1024 : 16;
    if (route.hostnames.length > maxHostnames) p.add(route.hostnames[maxHostnames].range, `at most ${maxHostnames} hostnames are allowed`);
  }
  if (kind === 'TLSRoute' && v1 && route.hostnames.length === 0) p.add(route.anchor, '`spec.hostnames` is required for a TLSRoute (gateway.networking.k8s.io/v1): at least one SNI hostname');
  const streaming = kind === 'TLSRoute' || kind === 'TCPRoute' || kind === 'UDPRoute';
  if (streaming && route.rules.length === 0) p.add(route.anchor, '`spec.rules` is required (one rule with backendRefs)');
  if (streaming && v1 && route.rules.length > 1) p.add(route.rules[1].range, `a ${kind} (gateway.networking.k8s.io/v1) has exactly one rule`);
  if (!streaming && route.rules.length === 0 && !route.rulesDefaulted && kind === 'HTTPRoute') p.add(route.anchor, '`spec.rules` must not be empty (omit it for the default rule)');
  if (route.rules.length > 16) p.add(route.rules[16].range, 'at most 16 rules are allowed');
  if (kind === 'HTTPRoute') {
    const total = route.rules.reduce((n, r) => n + (r.matchesDefaulted ? 0 : r.matches.length), 0);
    if (total > 128) p.add(route.anchor, `the rules have ${total} matches in all; at most 128 are allowed`);
  }
  for (const rule of route.rules) ruleProblems(route, rule, p, v1);
  return p.list;
}

function parentRefProblems(ref: RouteParentRef, p: Problems): void {
  if (!ref.name) p.add(ref.range, 'every parentRef needs a `name`');
  const section = ref.sectionName;
  if (section && !section.unknown && !isSectionName(section.value)) p.add(section.range, `sectionName \`${section.value}\` must be lowercase letters, digits, '-' and '.'`);
  if (ref.namespaceRange && !isNamespace(ref.namespace)) p.add(ref.namespaceRange, `parentRef namespace \`${ref.namespace}\` must be a DNS label`);
  if (!isValidGroup(ref.group)) p.add(ref.range, `parentRef group \`${ref.group}\` must be empty or a DNS subdomain`);
  if (!isValidKind(ref.kind)) p.add(ref.range, `parentRef kind \`${ref.kind}\` is not a valid kind`);
  const port = ref.port;
  if (port && !port.unknown && !isPort(port.value)) p.add(port.range, `parentRef port ${port.value} must be between 1 and 65535`);
}

/**
 * Two parentRefs to the same parent must both set sectionName, to different values (the standard
 * CRD's CEL rules). The experimental CRD also tells them apart by `port`: refs with a port are not
 * judged.
 */
function sameParentProblems(refs: readonly RouteParentRef[], p: Problems): void {
  const groups = new Map<string, RouteParentRef[]>();
  for (const ref of refs) {
    if (!ref.name || ref.name.unknown || ref.sectionName?.unknown) continue;
    const id = [ref.group, ref.kind, ref.namespace, ref.name.value].join('\u0000');
    groups.set(id, [...(groups.get(id) ?? []), ref]);
  }
  for (const group of groups.values()) {
    if (group.length < 2 || group.some((r) => r.port)) continue;
    const name = known(group[0].name);
    const withSection = group.filter((r) => known(r.sectionName));
    if (withSection.length > 0 && withSection.length < group.length) {
      const without = group.find((r) => !known(r.sectionName))!;
      p.add(without.range, `sectionName must be specified when parentRefs includes 2 or more references to the same parent (\`${name}\`)`);
      continue;
    }
    const seen = new Set<string>();
    for (const ref of group) {
      const section = known(ref.sectionName) ?? '';
      if (seen.has(section)) p.add(ref.range, section ? `sectionName \`${section}\` must be unique when parentRefs includes 2 or more references to the same parent` : `parentRef \`${name}\` is listed twice; refs to the same parent must set different sectionNames`);
      seen.add(section);
    }
  }
}

function ruleProblems(route: GatewayRoute, rule: RouteRule, p: Problems, v1: boolean): void {
  const kind = route.routeKind;
  const ruleName = rule.name;
  if (ruleName && !ruleName.unknown && !isSectionName(ruleName.value)) p.add(ruleName.range, `rule name \`${ruleName.value}\` must be lowercase letters, digits, '-' and '.'`);
  if ((kind === 'HTTPRoute' || kind === 'GRPCRoute') && rule.matches.length > 64) p.add(rule.matches[64].range, 'at most 64 matches per rule are allowed');
  if (rule.backendRefs.length > 16) p.add(rule.backendRefs[16].range, 'at most 16 backendRefs per rule are allowed');
  const streaming = kind === 'TLSRoute' || kind === 'TCPRoute' || kind === 'UDPRoute';
  if (streaming && v1 && rule.backendRefs.length === 0) p.add(rule.range, `a ${kind} rule needs at least one backendRef`);
  for (const match of rule.matches) {
    if (kind === 'HTTPRoute') {
      const path = match.path;
      if (!['Exact', 'PathPrefix', 'RegularExpression'].includes(path.type)) p.add(path.typeRange ?? match.range, `path type \`${path.type}\` must be Exact, PathPrefix or RegularExpression`);
      else if (path.type !== 'RegularExpression' && !path.value.unknown) {
        const problem = pathValueProblem(path.value.value);
        if (problem) p.add(path.value.range, `${path.type} path \`${path.value.value}\` ${problem}`);
      }
      const method = match.method;
      if (method && !method.unknown && !METHODS.has(method.value)) p.add(method.range, `method \`${method.value}\` must be one of ${[...METHODS].join(', ')}`);
      nameValueProblems(match.queryParams, 'query parameter', p);
    }
    nameValueProblems(match.headers, 'header', p);
    const grpc = match.grpc;
    if (grpc) {
      if (grpc.type !== 'Exact' && grpc.type !== 'RegularExpression') p.add(match.range, `method match type \`${grpc.type}\` must be Exact or RegularExpression`);
      if (!grpc.service && !grpc.method) p.add(match.range, "one or both of 'service' or 'method' must be specified");
      if (grpc.type === 'Exact') {
        const service = known(grpc.service);
        if (service !== undefined && !/^\.?[a-zA-Z_][a-zA-Z_0-9]*(\.[a-zA-Z_][a-zA-Z_0-9]*)*$/.test(service)) p.add(grpc.service!.range, `service \`${service}\` must be a gRPC service name (\`package.Service\`, no slashes)`);
        const method = known(grpc.method);
        if (method !== undefined && !/^[A-Za-z_][A-Za-z_0-9]*$/.test(method)) p.add(grpc.method!.range, `method \`${method}\` must be a gRPC method name (letters, digits, '_')`);
      }
    }
  }
  const allowed = kind === 'GRPCRoute' ? GRPC_FILTERS : HTTP_FILTERS;
  if (kind === 'HTTPRoute' || kind === 'GRPCRoute') {
    filterListProblems(rule.filters, allowed, 'rule', p);
    prefixRewriteProblems(rule, rule.filters, p);
    if (rule.backendRefs.length > 0) {
      for (const filter of rule.filters) {
        if (filter.fields.includes('requestRedirect')) p.add(filter.type?.range ?? filter.range, 'RequestRedirect filter must not be used together with backendRefs (a redirect answers by itself)');
      }
    }
  }
  for (const ref of rule.backendRefs) {
    backendRefProblems(ref, p, true);
    if (kind === 'HTTPRoute' || kind === 'GRPCRoute') {
      filterListProblems(ref.filters, allowed, 'backendRef', p);
      prefixRewriteProblems(rule, ref.filters, p);
    }
  }
}

function nameValueProblems(entries: readonly HttpHeaderMatch[], what: string, p: Problems): void {
  const seen = new Set<string>();
  for (const entry of entries) {
    const name = entry.name;
    if (!name) {
      p.add(entry.range, `every ${what} match needs a \`name\``);
      continue;
    }
    if (name.unknown) continue;
    if (!isHeaderName(name.value)) p.add(name.range, `${what} name \`${name.value}\` must be an HTTP token (no ':', '/', spaces)`);
    // The list is a map keyed by the exact name: the same name twice is rejected (only `foo` and
    // `Foo` are left to the implementation, which uses the first).
    if (seen.has(name.value)) p.add(name.range, `${what} \`${name.value}\` is matched twice in one match`);
    seen.add(name.value);
    if (entry.type !== 'Exact' && entry.type !== 'RegularExpression') p.add(entry.range, `${what} match type \`${entry.type}\` must be Exact or RegularExpression`);
    if (!entry.value) p.add(entry.range, `${what} match \`${name.value}\` needs a \`value\``);
  }
}

function filterListProblems(filters: readonly RouteFilter[], allowed: ReadonlySet<string>, where: 'rule' | 'backendRef', p: Problems): void {
  const counts = new Map<string, number>();
  for (const filter of filters) {
    const type = filter.type;
    if (!type) {
      p.add(filter.range, 'every filter needs a `type`');
      continue;
    }
    if (type.unknown) continue;
    if (!allowed.has(type.value)) {
      p.add(type.range, `filter type \`${type.value}\` must be one of ${[...allowed].join(', ')}`);
      continue;
    }
    const field = FILTER_FIELD[type.value];
    const missing = !filter.fields.includes(field);
    const others = filter.fields.filter((f) => f !== field);
    if (missing || others.length > 0) {
      const reasons = [...(missing ? [`filter.${field} must be specified for ${type.value} filter.type`] : []), ...others.map((o) => `filter.${o} must be nil if the filter.type is not ${typeOfField(o)}`)];
      p.add(type.range, `a ${type.value} filter ${missing && others.length > 0 ? `has \`${others.join('`, `')}\` instead of \`${field}\`` : missing ? `has no \`${field}\`` : `also has \`${others.join('`, `')}\``} (${reasons.join('; ')})`);
    }
    const n = (counts.get(type.value) ?? 0) + 1;
    counts.set(type.value, n);
    if (n === 2 && !REPEATABLE.has(type.value)) p.add(type.range, `${type.value} filter cannot be repeated in one ${where === 'rule' ? 'rule' : 'backendRef'}`);
    pathModifierProblems(filter, p);
    const redirect = filter.requestRedirect;
    if (redirect && type.value === 'RequestRedirect') {
      const scheme = known(redirect.scheme);
      if (scheme !== undefined && scheme !== 'http' && scheme !== 'https') p.add(redirect.scheme!.range, `redirect scheme \`${scheme}\` must be http or https`);
      const hostname = known(redirect.hostname);
      if (hostname !== undefined && !isPreciseHostname(hostname)) p.add(redirect.hostname!.range, `redirect hostname \`${hostname}\` must be a precise lowercase DNS name (no wildcard, scheme or port)`);
      const port = known(redirect.port);
      if (port !== undefined && !isPort(port)) p.add(redirect.port!.range, `redirect port ${port} must be between 1 and 65535`);
      const code = known(redirect.statusCode);
      if (code !== undefined && ![301, 302, 303, 307, 308].includes(code)) p.add(redirect.statusCode!.range, `redirect statusCode ${code} must be 301, 302, 303, 307 or 308`);
    }
    const rewrite = filter.urlRewrite;
    if (rewrite && type.value === 'URLRewrite') {
      const hostname = known(rewrite.hostname);
      if (hostname !== undefined && !isPreciseHostname(hostname)) p.add(rewrite.hostname!.range, `rewrite hostname \`${hostname}\` must be a precise lowercase DNS name (no wildcard, scheme or port)`);
    }
    if (filter.mirror) backendRefProblems(filter.mirror, p, false);
  }
  if ((counts.get('RequestRedirect') ?? 0) > 0 && (counts.get('URLRewrite') ?? 0) > 0) {
    const second = filters.find((f) => known(f.type) === 'RequestRedirect' || known(f.type) === 'URLRewrite');
    p.add(second?.type?.range ?? filters[0].range, `May specify either RequestRedirect or URLRewrite, but not both, in one ${where}`);
  }
}

function typeOfField(field: string): string {
  return Object.keys(FILTER_FIELD).find((t) => FILTER_FIELD[t] === field) ?? field;
}

function pathModifierProblems(filter: RouteFilter, p: Problems): void {
  for (const modifier of [filter.requestRedirect?.path, filter.urlRewrite?.path]) {
    if (!modifier) continue;
    const type = modifier.type;
    if (!type) {
      p.add(modifier.range, 'a path modifier needs a `type` (ReplaceFullPath or ReplacePrefixMatch)');
      continue;
    }
    if (type.unknown) continue;
    if (type.value !== 'ReplaceFullPath' && type.value !== 'ReplacePrefixMatch') {
      p.add(type.range, `path modifier type \`${type.value}\` must be ReplaceFullPath or ReplacePrefixMatch`);
      continue;
    }
    if (type.value === 'ReplaceFullPath' && !modifier.replaceFullPath) p.add(type.range, 'replaceFullPath must be specified when type is set to ReplaceFullPath');
    if (type.value === 'ReplacePrefixMatch' && !modifier.replacePrefixMatch) p.add(type.range, 'replacePrefixMatch must be specified when type is set to ReplacePrefixMatch');
    if (modifier.replaceFullPath && type.value !== 'ReplaceFullPath') p.add(modifier.replaceFullPath.range, "type must be 'ReplaceFullPath' when replaceFullPath is set");
    if (modifier.replacePrefixMatch && type.value !== 'ReplacePrefixMatch') p.add(modifier.replacePrefixMatch.range, "type must be 'ReplacePrefixMatch' when replacePrefixMatch is set");
  }
}

/** The one path modifier of a filter that replaces the matched prefix, if any. */
function prefixModifier(filter: RouteFilter): PathModifier | undefined {
  for (const modifier of [filter.requestRedirect?.path, filter.urlRewrite?.path]) {
    if (modifier && known(modifier.type) === 'ReplacePrefixMatch' && modifier.replacePrefixMatch) return modifier;
  }
  return undefined;
}

/** ReplacePrefixMatch (rule or backendRef level) needs exactly one match, a PathPrefix (§7). */
function prefixRewriteProblems(rule: RouteRule, filters: readonly RouteFilter[], p: Problems): void {
  for (const filter of filters) {
    const modifier = prefixModifier(filter);
    if (!modifier) continue;
    const matches = rule.matches;
    if (matches.length === 1 && matches[0].path.type === 'PathPrefix') continue;
    const why = matches.length !== 1 ? `the rule has ${matches.length} matches` : `its match is ${matches[0].path.type}`;
    p.add(modifier.type!.range, `ReplacePrefixMatch needs exactly one PathPrefix match in its rule, but ${why}`);
  }
}

function backendRefProblems(ref: GatewayBackendRef, p: Problems, weighted: boolean): void {
  if (!ref.name) p.add(ref.range, 'every backendRef needs a `name`');
  if (!isValidGroup(ref.group)) p.add(ref.range, `backendRef group \`${ref.group}\` must be empty (core) or a DNS subdomain`);
  if (!isValidKind(ref.kind)) p.add(ref.kindRange ?? ref.range, `backendRef kind \`${ref.kind}\` is not a valid kind`);
  if (ref.namespaceRange && !isNamespace(ref.namespace)) p.add(ref.namespaceRange, `backendRef namespace \`${ref.namespace}\` must be a DNS label`);
  const port = ref.port;
  if (port && !port.unknown && !isPort(port.value)) p.add(port.range, `backendRef port ${port.value} must be between 1 and 65535`);
  const weight = ref.weight;
  if (weighted && !weight.unknown && (weight.value < 0 || weight.value > 1_000_000 || !Number.isInteger(weight.value))) p.add(weight.range, `weight ${weight.value} must be an integer between 0 and 1000000`);
}
