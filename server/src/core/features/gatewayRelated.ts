/**
 * Shared reads over the Gateway API links for the editor features: the links a parentRef or a
 * backendRef starts, how a route attaches through a parentRef (`attachRoute`, the one place that
 * decides it), the routes attached to a Gateway or one of its listeners, the routes sending to a
 * Service, and the match precedence of §6.4 (docs/gateway-api-semantics.md). Links only; no
 * resolving.
 */
import type { Link } from '../analysis/types';
import type { Gateway, GatewayBackendRef, GatewayRoute, Listener, Resource, RouteMatch, RouteParentRef, RouteRule, Service, ServicePort } from '../model';
import { attachRoute, backendRefAt, parentRefAt } from '../links/gatewayLinks';
import type { Attachment, ListenerAttachment } from '../links/gatewayLinks';
import { hostnameMatches, pathPrefixMatches } from '../semantics/gatewayApi';
import { sameRange } from '../text/ranges';
import type { Workspace } from '../workspace/workspace';
import { known } from '../model';

export function isGatewayObject(r: Resource | undefined): r is Gateway {
  return r?.type === 'gateway';
}

export function isRoute(r: Resource | undefined): r is GatewayRoute {
  return r?.type === 'route';
}

/** `prod/web`. */
export function qualified(resource: Resource): string {
  return `${resource.namespace ? `${resource.namespace}/` : ''}${resource.name?.value ?? '(unnamed)'}`;
}

/** `Gateway` or `ListenerSet` (an XListenerSet is read as a ListenerSet). */
export function parentKindOf(parent: Gateway): string {
  return parent.parentRef ? 'ListenerSet' : 'Gateway';
}

// ── parentRefs ──────────────────────────────────────────────────────────────────────────────

/** The `route-parent` (or a ListenerSet's `listenerset-parent`) link a parentRef starts. */
export function parentLinkOf(ws: Workspace, from: Resource, ref: RouteParentRef): Link | undefined {
  const range = ref.name?.range ?? ref.range;
  return ws.linksFrom(from.id).find((l) => (l.kind === 'route-parent' || l.kind === 'listenerset-parent') && sameRange(l.range, range));
}

/** The Gateways / ListenerSets a resolved parent link reaches. */
export function linkedParents(ws: Workspace, link: Link | undefined): Gateway[] {
  if (link?.status !== 'resolved') return [];
  return link.targets.map((t) => ws.resource(t.resourceId)).filter(isGatewayObject);
}

/** How a route attaches through one of its parentRefs (undefined when the link cannot be judged: templated, a mesh parent). */
export function attachmentOf(ws: Workspace, route: GatewayRoute, ref: RouteParentRef): { link?: Link; attachment?: Attachment } {
  const link = parentLinkOf(ws, route, ref);
  if (!link || link.status === 'unknown') return { link };
  return { link, attachment: attachRoute(route, ref, linkedParents(ws, link), ws.query()) };
}

export function sameListener(a: ListenerAttachment, parent: Gateway, listener: Listener): boolean {
  return a.parent.id === parent.id && sameRange(a.listener.range, listener.range);
}

/** A route's parentRef that resolves to a parent, with how it attaches. */
export interface RouteOnParent {
  readonly route: GatewayRoute;
  readonly ref: RouteParentRef;
  readonly link: Link;
  readonly attachment: Attachment;
}

/** Every route parentRef that resolves to this Gateway or ListenerSet (read from the links that reach it). */
export function routesOnParent(ws: Workspace, parent: Gateway): RouteOnParent[] {
  const out: RouteOnParent[] = [];
  for (const link of ws.linksTo(parent.id)) {
    if (link.kind !== 'route-parent') continue;
    const route = ws.resource(link.sourceId);
    if (!isRoute(route)) continue;
    const ref = parentRefAt(route, link.range);
    if (!ref) continue;
    out.push({ route, ref, link, attachment: attachRoute(route, ref, linkedParents(ws, link), ws.query()) });
  }
  return out.sort((a, b) => qualified(a.route).localeCompare(qualified(b.route)));
}

export interface RouteOnListener extends RouteOnParent {
  /** How this listener judged the route (absent when the parentRef does not select this listener). */
  readonly on: ListenerAttachment;
}

/** The routes whose parentRefs select this listener: `attached` ones it accepts, `refused` ones it does not. */
export function routesOnListener(ws: Workspace, parent: Gateway, listener: Listener): { attached: RouteOnListener[]; refused: RouteOnListener[] } {
  const attached: RouteOnListener[] = [];
  const refused: RouteOnListener[] = [];
  for (const entry of routesOnParent(ws, parent)) {
    const on = entry.attachment.relevant.find((a) => sameListener(a, parent, listener));
    if (!on) continue;
    (on.refusal === undefined ? attached : refused).push({ ...entry, on });
  }
  return { attached, refused };
}

/** Where a route names a listener: its sectionName when written, else its parentRef's name. */
export function refLocation(entry: RouteOnParent): { uri: string; range: Link['range'] } {
  return { uri: entry.link.uri, range: entry.ref.sectionName?.range ?? entry.link.range };
}

// ── backendRefs ─────────────────────────────────────────────────────────────────────────────

export interface BackendRefLinks {
  readonly service?: Link;
  readonly port?: Link;
}

/** The `route-backend` link of a backendRef's name and the `route-backend-port` link of its port. */
export function backendRefLinks(ws: Workspace, route: GatewayRoute, ref: GatewayBackendRef): BackendRefLinks {
  const links = ws.linksFrom(route.id);
  const name = ref.name;
  const port = ref.port;
  return {
    service: name ? links.find((l) => l.kind === 'route-backend' && sameRange(l.range, name.range)) : undefined,
    port: port ? links.find((l) => l.kind === 'route-backend-port' && sameRange(l.range, port.range)) : undefined,
  };
}

/** The Service a resolved `route-backend` link names. */
export function backendService(ws: Workspace, link: Link | undefined): Service | undefined {
  if (link?.status !== 'resolved') return undefined;
  const service = ws.resource(link.targets[0].resourceId);
  return service?.type === 'service' ? service : undefined;
}

/** The Service port a resolved `route-backend-port` link lands on (its targets are the `port:` fields). */
export function backendServicePort(service: Service | undefined, link: Link | undefined): ServicePort | undefined {
  if (!service || link?.status !== 'resolved') return undefined;
  const target = link.targets.find((t) => t.resourceId === service.id) ?? link.targets[0];
  return service.ports.find((p) => p.port && sameRange(p.port.range, target.range));
}

/** A route rule's backendRef that sends to a Service. */
export interface RouteToService {
  readonly route: GatewayRoute;
  readonly ref: GatewayBackendRef;
  readonly rule: RouteRule;
  readonly ruleIndex: number;
  readonly link: Link;
}

/** The backendRefs whose `route-backend` links reach this Service. */
export function routesToServiceOf(ws: Workspace, service: Service): RouteToService[] {
  const out: RouteToService[] = [];
  for (const link of ws.linksTo(service.id)) {
    if (link.kind !== 'route-backend') continue;
    const route = ws.resource(link.sourceId);
    if (!isRoute(route)) continue;
    const at = backendRefAt(route, link.range);
    if (at) out.push({ route, link, ...at });
  }
  return out;
}

/** The share of a rule's traffic a backendRef gets: weight / sum of the rule's weights (§8.1); undefined when a weight is templated. */
export function weightShare(rule: RouteRule, ref: GatewayBackendRef): { weight: number; total: number; percent: number } | undefined {
  const weights = rule.backendRefs.map((r) => known(r.weight));
  const weight = known(ref.weight);
  if (weight === undefined || weights.some((w) => w === undefined)) return undefined;
  const total = (weights as number[]).reduce((sum, w) => sum + w, 0);
  return { weight, total, percent: total === 0 ? 0 : (weight / total) * 100 };
}

/** `75%`, `33.3%`. */
export function percentText(percent: number): string {
  return `${Number.isInteger(percent) ? percent : percent.toFixed(1).replace(/\.0$/, '')}%`;
}

// ── match precedence (§6.4) ─────────────────────────────────────────────────────────────────

/** One match of one rule of a route, as it competes on a listener for a hostname. */
export interface CompetingMatch {
  readonly route: GatewayRoute;
  readonly ruleIndex: number;
  readonly matchIndex: number;
  readonly match: RouteMatch;
  /** The route's hostname on the listener that matches the requests in question (undefined: any host). */
  readonly hostname: string | undefined;
  /** Set when the competitor covers only some of those requests' hosts (a precise host under a wildcard). */
  readonly onlyFor?: string;
}

/** §6.4 step 1: characters of a precise hostname, then characters of the matching hostname. */
function hostScore(hostname: string | undefined): [number, number] {
  if (hostname === undefined) return [0, 0];
  return hostname.startsWith('*.') ? [0, hostname.length] : [hostname.length, hostname.length];
}

/** Path-level precedence facts of a match (§6.4 steps 2–6). */
export function matchFacts(match: RouteMatch): { exact: boolean; prefixLength: number; method: boolean; headers: number; queryParams: number; regex: boolean } {
  const value = known(match.path.value) ?? '';
  const type = match.path.type;
  const headerNames = new Set(match.headers.map((h) => known(h.name)?.toLowerCase() ?? ''));
  return {
    exact: type === 'Exact',
    prefixLength: type === 'PathPrefix' ? value.replace(/\/+$/, '').length : 0,
    method: match.method !== undefined,
    headers: headerNames.size,
    queryParams: match.queryParams.length,
    regex: type === 'RegularExpression',
  };
}

/** Orders matches as §6.4 does: hostname, Exact, longest PathPrefix, method, headers, query params, then creation time, namespace/name, rule and match order. */
export function compareMatches(a: CompetingMatch, b: CompetingMatch): number {
  const [ha, hb] = [hostScore(a.hostname), hostScore(b.hostname)];
  if (ha[0] !== hb[0]) return hb[0] - ha[0];
  if (ha[1] !== hb[1]) return hb[1] - ha[1];
  const [fa, fb] = [matchFacts(a.match), matchFacts(b.match)];
  if (fa.exact !== fb.exact) return fa.exact ? -1 : 1;
  if (fa.prefixLength !== fb.prefixLength) return fb.prefixLength - fa.prefixLength;
  if (fa.method !== fb.method) return fa.method ? -1 : 1;
  if (fa.headers !== fb.headers) return fb.headers - fa.headers;
  if (fa.queryParams !== fb.queryParams) return fb.queryParams - fa.queryParams;
  if (a.route !== b.route) {
    const [ta, tb] = [a.route.creationTimestamp, b.route.creationTimestamp];
    if (ta && tb && ta !== tb) return ta < tb ? -1 : 1;
    const byName = qualified(a.route).localeCompare(qualified(b.route));
    if (byName !== 0) return byName;
  }
  return a.ruleIndex - b.ruleIndex || a.matchIndex - b.matchIndex;
}

/** Whether two matches of the same path tie on every criterion a manifest can decide (§6.4 steps 1–6). */
export function tiesOnSpec(a: CompetingMatch, b: CompetingMatch): boolean {
  const [ha, hb] = [hostScore(a.hostname), hostScore(b.hostname)];
  const [fa, fb] = [matchFacts(a.match), matchFacts(b.match)];
  const samePath = a.match.path.type === b.match.path.type && known(a.match.path.value) === known(b.match.path.value);
  return samePath && ha[0] === hb[0] && ha[1] === hb[1] && fa.method === fb.method && fa.headers === fb.headers && fa.queryParams === fb.queryParams;
}

/** Exact values of the conditions of one kind (headers by case-folded name, query params by name). */
function exactValues(entries: RouteMatch['headers'], fold: boolean): Map<string, string> {
  const out = new Map<string, string>();
  for (const e of entries) {
    const name = known(e.name);
    const value = known(e.value);
    if (e.type !== 'Exact' || name === undefined || value === undefined) continue;
    const k = fold ? name.toLowerCase() : name;
    if (!out.has(k)) out.set(k, value);
  }
  return out;
}

function disjointConditions(a: Map<string, string>, b: Map<string, string>): boolean {
  return [...a].some(([name, value]) => b.has(name) && b.get(name) !== value);
}

/**
 * Whether some request could satisfy both matches (so that precedence decides between them):
 * their paths overlap (equal Exact paths, an Exact path under a prefix, nested prefixes; a
 * RegularExpression or a templated value may overlap anything), and no method, header or query
 * parameter asks for two different exact values.
 */
export function matchesOverlap(a: RouteMatch, b: RouteMatch): boolean {
  const [ta, tb] = [a.path.type, b.path.type];
  const [va, vb] = [known(a.path.value), known(b.path.value)];
  if (va !== undefined && vb !== undefined && ta !== 'RegularExpression' && tb !== 'RegularExpression') {
    const norm = (v: string) => v.replace(/\/+$/, '') || '/';
    let paths: boolean;
    if (ta === 'Exact' && tb === 'Exact') paths = va === vb;
    else if (ta === 'Exact') paths = pathPrefixMatches(vb, va);
    else if (tb === 'Exact') paths = pathPrefixMatches(va, vb);
    else paths = pathPrefixMatches(va, norm(vb)) || pathPrefixMatches(vb, norm(va));
    if (!paths) return false;
  }
  const [ma, mb] = [known(a.method), known(b.method)];
  if (ma !== undefined && mb !== undefined && ma !== mb) return false;
  if (disjointConditions(exactValues(a.headers, true), exactValues(b.headers, true))) return false;
  return !disjointConditions(exactValues(a.queryParams, false), exactValues(b.queryParams, false));
}

/**
 * How another route's hostname on the same listener meets requests for `host` (this route's
 * effective hostname): the hostname it competes with, or null when it never sees those requests.
 */
function meet(host: string | undefined, other: string | undefined): { hostname: string | undefined; onlyFor?: string } | null {
  if (other === undefined) return { hostname: undefined };
  if (host === undefined) return { hostname: other, onlyFor: other };
  const h = host.toLowerCase();
  const o = other.toLowerCase();
  if (h === o) return { hostname: other };
  const hWild = h.startsWith('*.');
  const oWild = o.startsWith('*.');
  if (!hWild) return oWild && hostnameMatches(o, h) ? { hostname: other } : null;
  if (!oWild) return hostnameMatches(h, o) ? { hostname: other, onlyFor: other } : null;
  // Two wildcards: the shorter covers the longer.
  if (h.endsWith(o.slice(1))) return { hostname: other };
  if (o.endsWith(h.slice(1))) return { hostname: other, onlyFor: other };
  return null;
}

/**
 * The matches competing with one match of a route, on one listener, for the requests to one of
 * the route's effective hostnames there: every match of every route attached to that listener
 * whose hostnames see those requests (listener isolation, §3.5), this match included, in
 * precedence order.
 */
export function competingMatches(ws: Workspace, route: GatewayRoute, on: ListenerAttachment, host: string | undefined): CompetingMatch[] {
  const out: CompetingMatch[] = [];
  const { attached } = routesOnListener(ws, on.parent, on.listener);
  const seen = new Set<string>();
  for (const entry of attached) {
    if (entry.route.routeKind !== route.routeKind || seen.has(entry.route.id)) continue;
    seen.add(entry.route.id);
    // The most specific of its hostnames that sees these requests.
    const meets = entry.on.hostnames.map((h) => meet(host, h)).filter((m): m is NonNullable<typeof m> => m !== null);
    if (entry.route.id === route.id) meets.unshift({ hostname: host });
    const best = meets.sort((a, b) => (a.onlyFor ? 1 : 0) - (b.onlyFor ? 1 : 0) || hostScore(b.hostname)[0] - hostScore(a.hostname)[0] || hostScore(b.hostname)[1] - hostScore(a.hostname)[1])[0];
    if (!best) continue;
    for (const [ruleIndex, rule] of entry.route.rules.entries()) {
      for (const [matchIndex, match] of rule.matches.entries()) out.push({ route: entry.route, ruleIndex, matchIndex, match, hostname: best.hostname, onlyFor: best.onlyFor });
    }
  }
  return out.sort(compareMatches);
}

/** `PathPrefix /api` + `GET` + 2 headers + 1 query param. */
export function matchLabel(match: RouteMatch): string {
  const parts = [`\`${match.path.type} ${known(match.path.value) ?? '…'}\``];
  const method = known(match.method);
  if (match.method) parts.push(`method \`${method ?? '…'}\``);
  if (match.headers.length > 0) parts.push(`${match.headers.length} header${match.headers.length === 1 ? '' : 's'}`);
  if (match.queryParams.length > 0) parts.push(`${match.queryParams.length} query param${match.queryParams.length === 1 ? '' : 's'}`);
  return parts.join(' + ');
}

// ── listeners ───────────────────────────────────────────────────────────────────────────────

/** `https` · 443/HTTPS · `*.example.com`. */
export function listenerLabel(listener: Listener): string {
  const name = known(listener.name) ?? '(unnamed)';
  const port = known(listener.port) ?? '?';
  const protocol = known(listener.protocol) ?? '?';
  const hostname = known(listener.hostname);
  return `\`${name}\` · ${port}/${protocol} · ${hostname ? `hostname \`${hostname}\`` : 'any hostname'}`;
}

/** The listener of a Gateway or ListenerSet whose name is `name`. */
export function listenerNamed(parent: Gateway, name: string): Listener | undefined {
  return parent.listeners.find((l) => known(l.name) === name);
}
