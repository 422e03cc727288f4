/**
 * Gateway API semantics as a conformant implementation applies them, as small pure functions
 * (sources: docs/gateway-api-semantics.md, from kubernetes-sigs/gateway-api apis/v1 and the
 * conformance tests; section numbers below refer to that document).
 */
import type { GatewayRoute, Listener, RouteKind } from '../model';
import { known } from '../model';

export const GATEWAY_GROUP = 'gateway.networking.k8s.io';

// ── hostnames (§5.2) ────────────────────────────────────────────────────────────────────────

/**
 * Whether a concrete request host matches a Gateway API hostname: precise = equal
 * (case-insensitive); `*.example.com` = a suffix on a label boundary with **one or more** labels
 * before it (not `example.com` itself). Unlike Ingress, where a wildcard covers one label.
 */
export function hostnameMatches(pattern: string, host: string): boolean {
  const p = pattern.toLowerCase();
  const h = host.toLowerCase();
  if (!p.startsWith('*.')) return p === h;
  const suffix = p.slice(1);
  return h.endsWith(suffix) && h.length > suffix.length;
}

/**
 * The intersection of a listener hostname and a route hostname (both optional = any), or
 * undefined when they do not intersect: the more specific side wins (§5.2 table).
 */
export function intersectHostnames(listener: string | undefined, route: string | undefined): string | undefined | null {
  if (listener === undefined) return route;
  if (route === undefined) return listener;
  const l = listener.toLowerCase();
  const r = route.toLowerCase();
  if (l === r) return l;
  if (!l.startsWith('*.') && !r.startsWith('*.')) return null;
  if (l.startsWith('*.') && !r.startsWith('*.')) return hostnameMatches(l, r) ? r : null;
  if (!l.startsWith('*.') && r.startsWith('*.')) return hostnameMatches(r, l) ? l : null;
  // Both wildcards: the longer one, if the shorter covers it.
  const [longer, shorter] = l.length >= r.length ? [l, r] : [r, l];
  return longer.endsWith(shorter.slice(1)) ? longer : null;
}

/**
 * The hostnames a route serves on a listener: the intersections of its hostnames with the
 * listener's; `[undefined]` (any) when neither restricts; `[]` when they do not intersect.
 */
export function effectiveHostnames(listener: Listener, route: GatewayRoute): (string | undefined)[] {
  const listenerHost = known(listener.hostname);
  const routeHosts = route.hostnames.map((h) => known(h)).filter((h): h is string => h !== undefined);
  if (routeHosts.length === 0) return [listenerHost];
  const out: (string | undefined)[] = [];
  for (const host of routeHosts) {
    const meet = intersectHostnames(listenerHost, host);
    if (meet !== null && !out.includes(meet)) out.push(meet);
  }
  return out;
}

/** Route kinds a listener protocol accepts when `allowedRoutes.kinds` is empty (§3.3). */
export function defaultRouteKinds(protocol: string | undefined): readonly RouteKind[] {
  switch (protocol) {
    case 'HTTP':
    case 'HTTPS':
      return ['HTTPRoute', 'GRPCRoute'];
    case 'TLS':
      return ['TLSRoute'];
    case 'TCP':
      return ['TCPRoute'];
    case 'UDP':
      return ['UDPRoute'];
    default:
      // A domain-prefixed protocol: implementation-specific, any kind may be meant.
      return ['HTTPRoute', 'GRPCRoute', 'TLSRoute', 'TCPRoute', 'UDPRoute'];
  }
}

/**
 * The kinds a listener accepts when `allowedRoutes.kinds` is empty. A TLS listener that terminates
 * TLS may also carry a TCPRoute (the TLSRoute type's own documentation suggests it, and Envoy
 * Gateway's TLS-termination example does it); conformance rejects TCPRoute only on Passthrough.
 */
function defaultKindsOf(listener: Listener): readonly RouteKind[] {
  const kinds = defaultRouteKinds(known(listener.protocol));
  return known(listener.protocol) === 'TLS' && listener.tls?.mode.value === 'Terminate' ? [...kinds, 'TCPRoute'] : kinds;
}

/** Whether a listener accepts a route kind (its `allowedRoutes.kinds`, else what the protocol implies). */
export function listenerAcceptsKind(listener: Listener, kind: RouteKind): boolean {
  const kinds = listener.allowedRoutes.kinds;
  if (kinds.length === 0) return defaultKindsOf(listener).includes(kind);
  return kinds.some((k) => k.group === GATEWAY_GROUP && k.kind === kind);
}

/** The kinds a listener accepts, for messages. */
export function acceptedKinds(listener: Listener): string[] {
  const kinds = listener.allowedRoutes.kinds;
  return kinds.length === 0 ? [...defaultKindsOf(listener)] : kinds.map((k) => k.kind);
}

// ── paths (§6.2) and precedence (§6.4) ─────────────────────────────────────────────────────

/** `PathPrefix`: element-wise on `/`, case-sensitive; a trailing `/` in the prefix is ignored. */
export function pathPrefixMatches(prefix: string, path: string): boolean {
  const p = prefix.replace(/\/+$/, '');
  if (p === '') return path.startsWith('/');
  return path === p || path.startsWith(`${p}/`);
}

/** The characters that count for "longest PathPrefix" (trailing `/` dropped, §14). */
export function prefixLength(prefix: string): number {
  return prefix.replace(/\/+$/, '').length;
}

/**
 * `ReplacePrefixMatch` as the spec's table says (§7.2): drop the prefix's trailing `/`, cut those
 * path elements off the request path, prepend the replacement without its trailing `/`; `/` if
 * that leaves nothing.
 */
export function replacePrefix(path: string, prefix: string, replacement: string): string {
  const p = prefix.replace(/\/+$/, '');
  const rest = path.slice(p.length);
  const base = replacement.replace(/\/+$/, '');
  const out = `${base}${rest}`;
  return out === '' ? '/' : out.startsWith('/') ? out : `/${out}`;
}

/**
 * Exact and PathPrefix values the CRD accepts (§6.2): start with `/`; no `//`, `/./`, `/../`,
 * `%2f`, `#`; not ending in `/.` or `/..`; only RFC 3986 path characters and `%XX`; ≤ 1024.
 */
export function pathValueProblem(value: string): string | undefined {
  if (!value.startsWith('/')) return 'must start with `/`';
  if (value.length > 1024) return 'must be at most 1024 characters';
  if (value.includes('//')) return 'must not contain `//`';
  if (/\/\.\.?(\/|$)/.test(value)) return 'must not contain `/./` or `/../` or end in `/.` or `/..`';
  if (/%2f/i.test(value)) return 'must not contain `%2F`';
  if (value.includes('#')) return 'must not contain `#`';
  const bad = /[^-A-Za-z0-9/._~!$&'()*+,;=:@%]/.exec(value);
  if (bad) return `must not contain \`${bad[0]}\` (only path characters and %XX escapes)`;
  if (/%(?![0-9A-Fa-f]{2})/.test(value)) return 'has a `%` that is not a %XX escape';
  return undefined;
}

// ── ReferenceGrant (§11) ───────────────────────────────────────────────────────────────────

export interface GrantQuestion {
  readonly fromGroup: string;
  readonly fromKind: string;
  readonly fromNamespace: string;
  readonly toGroup: string;
  readonly toKind: string;
  readonly toName: string;
}

/** Whether a grant (in the target's namespace) permits the reference. */
export function grantPermits(grant: { readonly from: readonly { group: string; kind: string; namespace: string }[]; readonly to: readonly { group: string; kind: string; name?: string }[] }, q: GrantQuestion): boolean {
  const from = grant.from.some((f) => f.group === q.fromGroup && f.kind === q.fromKind && f.namespace === q.fromNamespace);
  const to = grant.to.some((t) => t.group === q.toGroup && t.kind === q.toKind && (t.name === undefined || t.name === '' || t.name === q.toName));
  return from && to;
}
