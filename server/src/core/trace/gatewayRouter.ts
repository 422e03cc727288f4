/**
 * A request through a Gateway API Gateway, as a conformant implementation routes it
 * (docs/gateway-api-semantics.md, section numbers below):
 *
 * 1. Listener (§3.5): the listeners on the request's port whose protocol fits its scheme; of
 *    those, the one whose hostname is the request's host exactly, else the most specific wildcard,
 *    else one without hostname. None → 404. **Listener isolation** is modelled: only the routes
 *    attached to the chosen listener can answer (the Extended `GatewayHTTPListenerIsolation`).
 * 2. Routes: the HTTPRoutes whose parentRefs attach them to that listener (`attachRoute`, the
 *    same decision rules and hovers read), with the hostnames they serve there (§5.2).
 * 3. Matching (§6.4): every match of every rule of those routes whose hostname, path, method,
 *    headers and query parameters all match; the winner by route hostname (most characters of a
 *    precise, then of any matching hostname), Exact path, longest PathPrefix, method, most
 *    headers, most query parameters, then the oldest route (creationTimestamp), then
 *    `namespace/name`, then the first rule and match. No match → 404.
 * 4. Filters (§7): RequestRedirect answers 3xx with a Location (§7.1); URLRewrite changes the
 *    path (ReplaceFullPath, ReplacePrefixMatch) and the Host the backend receives.
 * 5. Backends (§8): every backendRef with its share (weight / sum); invalid ones (no such
 *    Service or port, another namespace without a ReferenceGrant, an unknown kind) take their
 *    share as 500s; a rule without valid backends (or without backendRefs) answers 500.
 */
import type { Link } from '../analysis/types';
import type { Gateway, GatewayBackendRef, GatewayRoute, PathModifier, RouteFilter, RouteMatch, RouteRule, Service } from '../model';
import { nodeId } from '../graph/ids';
import { attachRoute, isServiceRef } from '../links/gatewayLinks';
import { backendRefLinks, backendRefPermitted, gatewayClassOf, gatewayListeners, parentLinkOf } from '../links/gatewayReads';
import type { GatewayListener } from '../links/gatewayReads';
import { describeFilter, describeListener, describeMatch, listenerKey, weightShares } from '../links/gatewayDescribe';
import { code, nameOf } from '../links/describe';
import { hostnameMatches, pathPrefixMatches, prefixLength, replacePrefix } from '../semantics/gatewayApi';
import { compileRegex } from '../semantics/safeRegex';
import { sameRange } from '../text/ranges';
import { key } from '../workspace/keys';
import type { Workspace } from '../workspace/workspace';
import { followService } from './backends';
import type { BackendOutcome } from './backends';
import type { StepSink } from './hostRules';
import type { TraceUrl } from './parseUrl';
import type { TraceBackend, TraceRoute } from './types';
import { known } from '../model';

/** What the Gateway does with the request. */
export interface GatewayAnswer {
  readonly found: boolean;
  readonly status?: number;
  readonly reason?: string;
  readonly closest?: string;
  readonly upstreamPath?: string;
  readonly upstreamHost?: string;
  readonly route?: TraceRoute;
}

export interface GatewayRequest {
  readonly request: TraceUrl;
  /** Lower-case names. */
  readonly headers: Readonly<Record<string, string>>;
  /** Upper case; GET when not given. */
  readonly method: string;
}

/** `ns/name` → its parts, or undefined when it is not of that form. */
export function parseGatewayName(text: string): { namespace: string; name: string } | undefined {
  const match = /^([a-z0-9]([-a-z0-9]*[a-z0-9])?)\/([a-z0-9]([-.a-z0-9]*[a-z0-9])?)$/.exec(text.trim());
  return match ? { namespace: match[1], name: match[3] } : undefined;
}

/** The Gateways of the workspace (not ListenerSets), names known. */
export function allGateways(ws: Workspace): Gateway[] {
  return ws.allResources().filter((r): r is Gateway => r.type === 'gateway' && !r.opaqueIdentity && !r.parentRef && r.name !== undefined);
}

export function gatewayText(gateway: Gateway): string {
  return `${gateway.namespace}/${nameOf(gateway)}`;
}

/** The port and scheme a URL reaches a listener on: as written, else 80/443 by scheme, else 80 over http. */
export function requestPort(request: TraceUrl): { port: number; scheme: 'http' | 'https'; assumed: boolean } {
  const scheme = request.scheme === 'https' ? 'https' : request.scheme === 'http' ? 'http' : request.port === 443 ? 'https' : 'http';
  const port = request.port ?? request.effectivePort ?? 80;
  return { port, scheme, assumed: request.port === undefined && request.scheme === undefined };
}

function protocolFits(listener: GatewayListener, scheme: 'http' | 'https', schemeWritten: boolean): boolean {
  const protocol = known(listener.listener.protocol);
  if (protocol === 'HTTP') return scheme === 'http' || !schemeWritten;
  if (protocol === 'HTTPS') return scheme === 'https' || !schemeWritten;
  return false;
}

/** How a listener's hostname meets the request host (§3.5): exact, wildcard (with its length: more specific first), any. */
function hostFit(listener: GatewayListener, host: string | undefined): { level: 0 | 1 | 2; length: number } | undefined {
  const hostname = known(listener.listener.hostname);
  if (listener.listener.hostname?.unknown) return undefined;
  if (hostname === undefined) return { level: 0, length: 0 };
  if (host === undefined) return undefined;
  if (!hostname.startsWith('*.')) return hostname.toLowerCase() === host ? { level: 2, length: hostname.length } : undefined;
  return hostnameMatches(hostname, host) ? { level: 1, length: hostname.length } : undefined;
}

export interface ListenerChoice {
  /** The listeners on the port whose protocol fits. */
  readonly onPort: readonly GatewayListener[];
  /** The listener that takes the request (§3.5), if any. */
  readonly chosen?: GatewayListener;
  /** Other listeners on the port whose hostname also accepts the host (isolation keeps their routes out). */
  readonly alsoAccepting: readonly GatewayListener[];
  readonly level?: 'exact' | 'wildcard' | 'any';
}

/** §3.5: the listener of `gateway` that takes a request for `host` on `port`. */
export function chooseListener(listeners: readonly GatewayListener[], request: TraceUrl): ListenerChoice {
  const { port, scheme } = requestPort(request);
  const onPort = listeners.filter((l) => known(l.listener.port) === port && protocolFits(l, scheme, request.scheme !== undefined));
  const fits = onPort.map((l) => ({ l, fit: hostFit(l, request.host) })).filter((x): x is { l: GatewayListener; fit: { level: 0 | 1 | 2; length: number } } => x.fit !== undefined);
  // Stable: listeners in their order (Gateway's own, then ListenerSets oldest first) break ties.
  const ordered = [...fits].sort((a, b) => b.fit.level - a.fit.level || b.fit.length - a.fit.length);
  const best = ordered[0];
  if (!best) return { onPort, alsoAccepting: [] };
  return { onPort, chosen: best.l, alsoAccepting: ordered.slice(1).map((x) => x.l), level: best.fit.level === 2 ? 'exact' : best.fit.level === 1 ? 'wildcard' : 'any' };
}

/** The Gateways whose listeners take a request for this URL (port, protocol, host). */
export function acceptingGateways(ws: Workspace, request: TraceUrl): { gateway: Gateway; choice: ListenerChoice }[] {
  const q = ws.query();
  const linksFrom = (id: string) => ws.linksFrom(id);
  return allGateways(ws)
    .map((gateway) => ({ gateway, choice: chooseListener(gatewayListeners(gateway, q, linksFrom), request) }))
    .filter((c) => c.choice.chosen !== undefined)
    .sort((a, b) => gatewayText(a.gateway).localeCompare(gatewayText(b.gateway)));
}

// ── matching ────────────────────────────────────────────────────────────────────────────────

/** A route attached to the chosen listener, with the hostnames it serves there. */
interface Attached {
  readonly route: GatewayRoute;
  readonly hostnames: readonly (string | undefined)[];
}

/** A match of a rule that the request satisfies, with its precedence (§6.4). */
interface Candidate {
  readonly route: GatewayRoute;
  readonly ruleIndex: number;
  readonly rule: RouteRule;
  readonly matchIndex: number;
  readonly match: RouteMatch;
  /** The route hostname that matched (undefined: the route serves any host here). */
  readonly hostname?: string;
  /** Criteria 1–6, larger first. */
  readonly rank: readonly number[];
}

function fullMatch(pattern: string, text: string): boolean | undefined {
  const compiled = compileRegex(`^(?:${pattern})$`);
  return compiled.kind === 'ok' ? compiled.test(text) : undefined;
}

function queryValues(query: string | undefined): Map<string, string> {
  const out = new Map<string, string>();
  for (const part of (query ?? '').split('&')) {
    if (part === '') continue;
    const eq = part.indexOf('=');
    const name = eq < 0 ? part : part.slice(0, eq);
    const value = eq < 0 ? '' : part.slice(eq + 1);
    let decoded = value;
    try {
      decoded = decodeURIComponent(value.replace(/\+/g, ' '));
    } catch {
      // Not valid percent-encoding: compared as written.
    }
    // Repeated parameters are implementation-specific; the first value is the recommended reading (§6.3).
    if (!out.has(name)) out.set(name, decoded);
  }
  return out;
}

function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function routeText(route: GatewayRoute): string {
  return `${route.namespace}/${nameOf(route)}`;
}

// ── the router ──────────────────────────────────────────────────────────────────────────────

export class GatewayRouter {
  private readonly notes = new Set<string>();

  constructor(
    private readonly ws: Workspace,
    private readonly req: GatewayRequest,
    private readonly step: StepSink,
  ) {}

  private note(text: string, location?: Parameters<StepSink>[2]): void {
    if (this.notes.has(text)) return;
    this.notes.add(text);
    this.step('note', text, location);
  }

  /** Routes the request through `gateway`; `why` says how the Gateway was chosen. */
  route(gateway: Gateway, why: string): GatewayAnswer {
    const q = this.ws.query();
    const request = this.req.request;
    const listeners = gatewayListeners(gateway, q, (id) => this.ws.linksFrom(id));
    const gatewayClass = gatewayClassOf(this.ws.linksFrom(gateway.id), (id) => this.ws.resource(id));
    const className = known(gateway.gatewayClassName);
    const controllerName = known(gatewayClass?.controllerName);
    const controller: TraceRoute['controller'] = { kind: 'gateway-api', ...(className ? { class: className } : {}), ...(controllerName ? { controller: controllerName } : {}) };
    const about = [className ? `class ${code(className)}` : undefined, controllerName ? `controller ${code(controllerName)}` : className && !gatewayClass ? 'its GatewayClass is not in the workspace' : undefined].filter((t) => t);
    const { port, scheme, assumed } = requestPort(request);
    if (assumed) this.note(`The URL names no scheme or port: taken as http on port 80.`);
    const choice = chooseListener(listeners, request);
    const gatewayFacts = (listener?: GatewayListener): NonNullable<TraceRoute['gateway']> => ({
      namespace: gateway.namespace,
      name: nameOf(gateway),
      ...(listener ? { listener: listenerKey(listener.listener, listener.index) } : {}),
      ...(listener && listener.owner !== gateway ? { listenerSet: { namespace: listener.owner.namespace, name: nameOf(listener.owner) } } : {}),
    });
    const chosen = choice.chosen;
    const firstLocation = chosen ? { uri: chosen.owner.uri, range: chosen.listener.range } : { uri: gateway.uri, range: gateway.anchor };
    this.step('controller', `Gateway ${code(gatewayText(gateway))}${about.length > 0 ? ` (${about.join(', ')})` : ''} takes it: ${why}.`, firstLocation, chosen ? nodeId.listener(chosen.owner.id, listenerKey(chosen.listener, chosen.index)) : undefined);
    if (!chosen) {
      const all = listeners.map((l) => `${code(describeListener(l.listener, l.index))}`).join(', ') || 'none';
      if (choice.onPort.length === 0) {
        return { found: false, reason: `Gateway ${code(gatewayText(gateway))} has no ${scheme.toUpperCase()} listener on port ${port} (its listeners: ${all})`, route: { controller, gateway: gatewayFacts(), backends: [] } };
      }
      const hosts = choice.onPort.map((l) => code(known(l.listener.hostname) ?? '(any)')).join(', ');
      return {
        found: false,
        status: 404,
        reason: `no listener of Gateway ${code(gatewayText(gateway))} on port ${port} accepts host ${code(request.host ?? '(none)')} (their hostnames: ${hosts}); the Gateway answers 404`,
        route: { controller, gateway: gatewayFacts(), backends: [] },
      };
    }
    const listenerNode = nodeId.listener(chosen.owner.id, listenerKey(chosen.listener, chosen.index));
    const levelText = choice.level === 'exact' ? 'its hostname is the host exactly' : choice.level === 'wildcard' ? `its wildcard hostname is the most specific that covers the host` : 'it has no hostname, and no listener on the port names this host';
    const owner = chosen.owner !== gateway ? ` of ListenerSet ${code(`${chosen.owner.namespace}/${nameOf(chosen.owner)}`)}` : '';
    const hostname = known(chosen.listener.hostname);
    const facts = `port ${known(chosen.listener.port)}, ${known(chosen.listener.protocol)}, ${hostname !== undefined ? `hostname ${code(hostname)}` : 'no hostname'}`;
    this.step('controller', `Listener ${code(listenerKey(chosen.listener, chosen.index))}${owner} (${facts}) takes host ${code(request.host ?? '(none)')} on port ${port}: ${levelText} (exact hostnames first, then wildcards from the most specific, then listeners without hostname).`, { uri: chosen.owner.uri, range: chosen.listener.hostname?.range ?? chosen.listener.range }, listenerNode);
    const others = choice.alsoAccepting.map((l) => code(listenerKey(l.listener, l.index)));
    this.note(`Listener isolation is modelled: only the routes attached to listener ${code(listenerKey(chosen.listener, chosen.index))} can answer${others.length > 0 ? `; the routes of ${others.length === 1 ? 'listener' : 'listeners'} ${others.join(', ')} on the same port, which also ${others.length === 1 ? 'accepts' : 'accept'} this host, are not tried (an implementation without GatewayHTTPListenerIsolation may try them)` : ''}.`);
    const base = { controller, gateway: gatewayFacts(chosen) };
    const attached = this.attachedRoutes(chosen);
    if (attached.length === 0) {
      return { found: false, status: 404, reason: `no HTTPRoute is attached to listener ${code(listenerKey(chosen.listener, chosen.index))} of Gateway ${code(gatewayText(gateway))}; the Gateway answers 404`, route: { ...base, backends: [] } };
    }
    const candidates = this.candidates(attached);
    if (candidates.length === 0) return this.noMatch(gateway, chosen, attached, base);
    const sorted = [...candidates].sort((a, b) => this.compare(a, b));
    const winner = sorted[0];
    this.precedenceNotes(winner, sorted);
    return this.answer(winner, chosen, base, sorted.slice(1));
  }

  /** The HTTPRoutes attached to the listener (through any of their parentRefs), with their hostnames there. */
  private attachedRoutes(chosen: GatewayListener): Attached[] {
    const q = this.ws.query();
    const owner = chosen.owner;
    const routes = new Map<string, GatewayRoute>();
    const kind = owner.parentRef ? 'ListenerSet' : 'Gateway';
    const kinds = kind === 'ListenerSet' ? ['ListenerSet', 'XListenerSet'] : ['Gateway'];
    for (const k of kinds) for (const r of this.ws.lookup(key.routesOfParent(k === 'XListenerSet' ? 'ListenerSet' : k, owner.namespace, nameOf(owner)))) if (r.type === 'route' && !r.opaqueIdentity) routes.set(r.id, r);
    const out: Attached[] = [];
    const refused: string[] = [];
    for (const route of [...routes.values()].sort((a, b) => compareText(a.id, b.id))) {
      const links = this.ws.linksFrom(route.id);
      const hostnames: (string | undefined)[] = [];
      let attached = false;
      for (const ref of route.parentRefs) {
        const link = parentLinkOf(links, ref);
        if (link?.status !== 'resolved' || !link.targets.some((t) => t.resourceId === owner.id)) continue;
        const parents = link.targets.map((t) => this.ws.resource(t.resourceId)).filter((r): r is Gateway => r?.type === 'gateway');
        const attachment = attachRoute(route, ref, parents, q);
        for (const a of attachment.relevant) {
          if (a.parent.id !== owner.id || a.listener !== chosen.listener) continue;
          if (a.refusal !== undefined) {
            refused.push(`${route.routeKind} ${code(routeText(route))} (${a.refusal === 'namespace' ? `namespace ${code(route.namespace)} not allowed: \`allowedRoutes.namespaces.from: ${a.listener.allowedRoutes.from.value}\`` : a.refusal === 'kind' ? 'kind not allowed' : 'no hostname in common'})`);
            continue;
          }
          attached = true;
          for (const h of a.hostnames) if (!hostnames.includes(h)) hostnames.push(h);
        }
      }
      if (!attached) continue;
      if (route.routeKind !== 'HTTPRoute') {
        this.note(`${route.routeKind} ${code(routeText(route))} is attached to this listener too; the trace follows HTTPRoutes only.`, { uri: route.uri, range: route.anchor });
        continue;
      }
      out.push({ route, hostnames });
    }
    if (refused.length > 0) this.note(`The listener refuses ${refused.slice(0, 3).join(', ')}${refused.length > 3 ? ` and ${refused.length - 3} more` : ''}.`);
    return out;
  }

  private candidates(attached: readonly Attached[]): Candidate[] {
    const request = this.req.request;
    const out: Candidate[] = [];
    for (const { route, hostnames } of attached) {
      const matching = hostnames.filter((h) => h === undefined || (request.host !== undefined && hostnameMatches(h, request.host)));
      if (matching.length === 0) continue;
      const precise = Math.max(0, ...matching.map((h) => (h !== undefined && !h.startsWith('*.') ? h.length : 0)));
      const any = Math.max(0, ...matching.map((h) => h?.length ?? 0));
      const hostname = matching.filter((h): h is string => h !== undefined).sort((a, b) => (a.startsWith('*.') ? 1 : 0) - (b.startsWith('*.') ? 1 : 0) || b.length - a.length)[0];
      route.rules.forEach((rule, ruleIndex) => {
        rule.matches.forEach((match, matchIndex) => {
          const rank = this.matchRank(route, match);
          if (rank) out.push({ route, ruleIndex, rule, matchIndex, match, ...(hostname !== undefined ? { hostname } : {}), rank: [precise, any, ...rank] });
        });
      });
    }
    return out;
  }

  /** Criteria 2–6 of §6.4 when the match matches the request, else undefined. */
  private matchRank(route: GatewayRoute, match: RouteMatch): number[] | undefined {
    const request = this.req.request;
    const value = known(match.path.value);
    if (value === undefined) {
      this.note(`A path of ${route.routeKind} ${code(routeText(route))} is templated and cannot be matched offline.`, { uri: route.uri, range: match.range });
      return undefined;
    }
    let exact = 0;
    let prefix = -1;
    switch (match.path.type) {
      case 'Exact':
        if (request.path !== value) return undefined;
        exact = 1;
        prefix = value.length;
        break;
      case 'PathPrefix':
        if (!pathPrefixMatches(value, request.path)) return undefined;
        prefix = prefixLength(value);
        break;
      case 'RegularExpression': {
        const hit = fullMatch(value, request.path);
        if (hit === undefined) {
          this.note(`The RegularExpression path ${code(value)} of ${route.routeKind} ${code(routeText(route))} cannot be evaluated offline.`, { uri: route.uri, range: match.range });
          return undefined;
        }
        if (!hit) return undefined;
        this.note(`${route.routeKind} ${code(routeText(route))} matches by RegularExpression ${code(value)}: its dialect and precedence are implementation-specific (read here as an RE2 full match, ranked after Exact and PathPrefix matches).`, { uri: route.uri, range: match.range });
        break;
      }
      default:
        return undefined;
    }
    const method = known(match.method);
    if (match.method && method === undefined) return undefined;
    if (method !== undefined && method.toUpperCase() !== this.req.method) return undefined;
    for (const header of match.headers) {
      const name = known(header.name)?.toLowerCase();
      const wanted = known(header.value);
      if (name === undefined || wanted === undefined) return undefined;
      const actual = this.req.headers[name];
      if (actual === undefined) return undefined;
      if (header.type === 'RegularExpression') {
        if (!fullMatch(wanted, actual)) return undefined;
      } else if (actual !== wanted) return undefined;
    }
    const query = queryValues(request.query);
    for (const param of match.queryParams) {
      const name = known(param.name);
      const wanted = known(param.value);
      if (name === undefined || wanted === undefined) return undefined;
      const actual = query.get(name);
      if (actual === undefined) return undefined;
      if (param.type === 'RegularExpression') {
        if (!fullMatch(wanted, actual)) return undefined;
      } else if (actual !== wanted) return undefined;
    }
    return [exact, prefix, method !== undefined ? 1 : 0, match.headers.length, match.queryParams.length];
  }

  /** §6.4: criteria 1–6, then the oldest route, then namespace/name, then rule and match order. */
  private compare(a: Candidate, b: Candidate): number {
    for (let i = 0; i < a.rank.length; i++) if (a.rank[i] !== b.rank[i]) return b.rank[i] - a.rank[i];
    if (a.route !== b.route) {
      const ta = a.route.creationTimestamp;
      const tb = b.route.creationTimestamp;
      if (ta && tb && ta !== tb) return ta < tb ? -1 : 1;
      const byName = compareText(routeText(a.route), routeText(b.route));
      if (byName !== 0) return byName;
      return compareText(a.route.id, b.route.id);
    }
    return a.ruleIndex - b.ruleIndex || a.matchIndex - b.matchIndex;
  }

  private precedenceNotes(winner: Candidate, sorted: readonly Candidate[]): void {
    const tied = sorted.filter((c) => c.route !== winner.route && c.rank.every((v, i) => v === winner.rank[i]));
    const rivals = [...new Map(tied.map((c) => [c.route.id, c.route])).values()];
    if (rivals.length === 0) return;
    const names = rivals.slice(0, 3).map((r) => `${r.routeKind} ${code(routeText(r))}`).join(', ');
    const stamps = [winner.route, ...rivals].every((r) => r.creationTimestamp !== undefined);
    if (stamps) {
      this.note(`${names} ${rivals.length === 1 ? 'matches' : 'match'} as well with the same precedence; ${winner.route.routeKind} ${code(routeText(winner.route))} is the oldest (creationTimestamp ${code(winner.route.creationTimestamp!)}) and wins.`, { uri: winner.route.uri, range: winner.route.anchor });
    } else {
      this.note(
        `${names} ${rivals.length === 1 ? 'matches' : 'match'} as well with the same precedence: the order depends on the routes' creationTimestamp (the oldest wins), which the manifests do not carry; the trace falls back to namespace/name order, where ${code(routeText(winner.route))} comes first.`,
        { uri: winner.route.uri, range: winner.route.anchor },
      );
    }
  }

  private noMatch(gateway: Gateway, chosen: GatewayListener, attached: readonly Attached[], base: Pick<TraceRoute, 'controller' | 'gateway'>): GatewayAnswer {
    const request = this.req.request;
    const servesHost = attached.filter(({ hostnames }) => hostnames.some((h) => h === undefined || (request.host !== undefined && hostnameMatches(h, request.host))));
    const listener = code(listenerKey(chosen.listener, chosen.index));
    if (servesHost.length === 0) {
      const hosts = [...new Set(attached.flatMap((a) => a.hostnames.map((h) => h ?? '*')))].map(code).join(', ');
      return { found: false, status: 404, reason: `no HTTPRoute on listener ${listener} of Gateway ${code(gatewayText(gateway))} serves host ${code(request.host ?? '(none)')} (their hostnames there: ${hosts}); the Gateway answers 404`, route: { ...base, backends: [] } };
    }
    const all = servesHost.flatMap(({ route }) => route.rules.flatMap((rule, r) => rule.matches.map((m) => `${code(describeMatch(m))} (${code(routeText(route))} rule ${r})`)));
    const sharing = servesHost.flatMap(({ route }) => route.rules.flatMap((rule, r) => rule.matches.filter((m) => m.path.type === 'PathPrefix' || m.path.type === 'Exact').map((m) => ({ route, r, m, value: known(m.path.value) ?? '' })))).filter((x) => x.value !== '/' && request.path.startsWith(x.value.replace(/\/+$/, '')));
    const pathMatches = servesHost.flatMap(({ route }) => route.rules.flatMap((rule, r) => rule.matches.filter((m) => m.path.type !== 'RegularExpression' && this.pathOnly(m)).map((m) => ({ route, r, m }))));
    const closest = pathMatches[0]
      ? `${code(describeMatch(pathMatches[0].m))} of ${pathMatches[0].route.routeKind} ${code(routeText(pathMatches[0].route))} rule ${pathMatches[0].r} matches the path, but not the method, headers or query parameters of the request`
      : sharing[0]
        ? `${code(describeMatch(sharing[0].m))} of ${sharing[0].route.routeKind} ${code(routeText(sharing[0].route))} rule ${sharing[0].r} shares ${code(sharing[0].value.replace(/\/+$/, ''))} with the request (PathPrefix matches whole path elements, case-sensitively)`
        : undefined;
    return {
      found: false,
      status: 404,
      reason: `no rule of the HTTPRoutes on listener ${listener} matches ${code(request.path)}${this.req.method !== 'GET' ? ` (${this.req.method})` : ''}; the Gateway answers 404. Their matches: ${all.slice(0, 8).join(', ')}${all.length > 8 ? ` and ${all.length - 8} more` : ''}`,
      ...(closest ? { closest } : {}),
      route: { ...base, backends: [] },
    };
  }

  private pathOnly(m: RouteMatch): boolean {
    const value = known(m.path.value);
    if (value === undefined) return false;
    return m.path.type === 'Exact' ? this.req.request.path === value : pathPrefixMatches(value, this.req.request.path);
  }

  // ── the rule's answer ────────────────────────────────────────────────────────────────────

  private answer(winner: Candidate, chosen: GatewayListener, base: Pick<TraceRoute, 'controller' | 'gateway'>, others: readonly Candidate[]): GatewayAnswer {
    const { route, rule, ruleIndex, match } = winner;
    const request = this.req.request;
    const ruleNode = nodeId.gatewayRule(route.id, ruleIndex);
    const hostname = winner.hostname;
    this.step(
      'host',
      hostname === undefined
        ? `${route.routeKind} ${code(routeText(route))} serves any host on this listener (neither it nor the listener names one).`
        : `Host ${code(request.host ?? '(none)')} matches the hostname ${code(hostname)} that ${route.routeKind} ${code(routeText(route))} serves on this listener.`,
      { uri: route.uri, range: route.hostnames.find((h) => known(h) !== undefined && hostnameMatches(known(h)!, request.host ?? ''))?.range ?? route.anchor },
      nodeId.host(hostname ?? '*'),
    );
    const ruleName = known(rule.name);
    const matchText = describeMatch(match);
    this.step('path', `Rule ${ruleIndex}${ruleName ? ` (${code(ruleName)})` : ''} of ${route.routeKind} ${code(routeText(route))} matches: ${code(matchText)}${rule.matches.length > 1 ? ` (match ${winner.matchIndex} of ${rule.matches.length})` : ''}.`, { uri: route.uri, range: match.path.range ?? match.range }, ruleNode);
    const beaten = others.filter((c) => !(c.route === route && c.ruleIndex === ruleIndex));
    if (beaten.length > 0) {
      const list = beaten.slice(0, 3).map((c) => `${code(describeMatch(c.match))} (${code(routeText(c.route))} rule ${c.ruleIndex})`).join(', ');
      this.note(`Also matching, with lower precedence (route hostname, Exact path, longest PathPrefix, method, most headers, most query parameters, then the oldest route, then namespace/name): ${list}${beaten.length > 3 ? ` and ${beaten.length - 3} more` : ''}.`);
    }
    const routeFacts: NonNullable<TraceRoute['route']> = {
      kind: route.routeKind,
      namespace: route.namespace,
      name: nameOf(route),
      rule: { index: ruleIndex, ...(ruleName ? { name: ruleName } : {}), match: matchFacts(match, winner.matchIndex) },
      ...(hostname !== undefined ? { hostname } : {}),
    };
    const facts = { ...base, route: routeFacts };
    const filterOf = (type: string) => rule.filters.find((f) => known(f.type) === type);
    for (const filter of rule.filters) {
      const type = known(filter.type);
      if (type !== 'RequestRedirect' && type !== 'URLRewrite') this.note(`Filter ${code(describeFilter(filter))} of the rule also applies (not followed by the trace${type === 'ExtensionRef' ? '; an ExtensionRef filter is implementation-specific, and one that does not resolve makes the request fail' : ''}).`, { uri: route.uri, range: filter.range });
    }
    const redirect = filterOf('RequestRedirect');
    if (redirect?.requestRedirect) {
      const { status, location } = this.redirect(redirect, match, chosen, route);
      this.step('rewrite', `RequestRedirect of rule ${ruleIndex}: the Gateway answers ${status} with Location ${code(location)}; the request goes no further.`, { uri: route.uri, range: redirect.range }, ruleNode);
      if (request.query) this.note('What a redirect does with the query string is implementation-specific; it is kept here.');
      return { found: true, status, route: { ...facts, backends: [], redirect: { status, location } } };
    }
    let upstreamPath = this.target(request.path);
    let upstreamHost: string | undefined;
    const rewrite = filterOf('URLRewrite')?.urlRewrite;
    if (rewrite) {
      const parts: string[] = [];
      const hostnameTo = known(rewrite.hostname);
      if (hostnameTo !== undefined) {
        upstreamHost = hostnameTo;
        parts.push(`sets the Host header to ${code(hostnameTo)}`);
      }
      const path = this.rewritePath(rewrite.path, match, request.path, route);
      if (path) {
        upstreamPath = this.target(path.path);
        parts.push(`rewrites the path ${code(request.path)} to ${code(path.path)} (${path.how})`);
      }
      this.step('rewrite', `URLRewrite of rule ${ruleIndex} ${parts.join(' and ') || 'changes nothing the trace follows'}: the backend receives ${code(upstreamPath)}${upstreamHost ? ` for host ${code(upstreamHost)}` : ''}.`, { uri: route.uri, range: rewrite.range }, ruleNode);
    } else {
      this.step('rewrite', `The backend receives the request target unchanged: ${code(upstreamPath)}.`, { uri: route.uri, range: rule.range }, ruleNode);
    }
    const forwarded = { upstreamPath, ...(upstreamHost !== undefined ? { upstreamHost } : {}) };
    const backends = this.backends(route, rule, ruleIndex);
    return { ...forwarded, ...backends.outcome, route: { ...facts, backends: backends.list } };
  }

  private target(path: string): string {
    const query = this.req.request.query;
    return query === undefined || query === '' ? path : `${path}?${query}`;
  }

  /** §7.2 for URLRewrite (and §7.1's path for redirects): the new path, or undefined when the filter leaves it. */
  private rewritePath(modifier: PathModifier | undefined, match: RouteMatch, path: string, route: GatewayRoute): { path: string; how: string } | undefined {
    if (!modifier) return undefined;
    const type = known(modifier.type);
    if (type === 'ReplaceFullPath') {
      const value = known(modifier.replaceFullPath);
      return value === undefined ? undefined : { path: value, how: `ReplaceFullPath ${code(value)}` };
    }
    if (type === 'ReplacePrefixMatch') {
      const value = known(modifier.replacePrefixMatch) ?? '';
      const prefix = known(match.path.value);
      if (match.path.type !== 'PathPrefix' || prefix === undefined) {
        this.note('ReplacePrefixMatch needs a PathPrefix match (the API server rejects this rule); the path is left as it is.', { uri: route.uri, range: modifier.range });
        return undefined;
      }
      return { path: replacePrefix(path, prefix, value), how: `ReplacePrefixMatch: the matched prefix ${code(prefix)} becomes ${code(value || '/')}` };
    }
    return undefined;
  }

  /** §7.1: the status and Location of a RequestRedirect. */
  private redirect(filter: RouteFilter, match: RouteMatch, chosen: GatewayListener, route: GatewayRoute): { status: number; location: string } {
    const r = filter.requestRedirect!;
    const request = this.req.request;
    const requestScheme = requestPort(request).scheme;
    const schemeSet = known(r.scheme);
    const scheme = schemeSet ?? requestScheme;
    const host = known(r.hostname) ?? request.host ?? '';
    const port = known(r.port) ?? (schemeSet !== undefined ? (scheme === 'https' ? 443 : 80) : (known(chosen.listener.port) ?? requestPort(request).port));
    const defaultPort = (scheme === 'http' && port === 80) || (scheme === 'https' && port === 443);
    const path = this.rewritePath(r.path, match, request.path, route)?.path ?? request.path;
    const location = `${scheme}://${host}${defaultPort ? '' : `:${port}`}${this.target(path)}`;
    return { status: known(r.statusCode) ?? 302, location };
  }

  /** Every backendRef with its share; the heaviest valid one is followed. */
  private backends(route: GatewayRoute, rule: RouteRule, ruleIndex: number): { list: TraceBackend[]; outcome: Pick<GatewayAnswer, 'found' | 'status' | 'reason' | 'closest'> } {
    const where = `rule ${ruleIndex} of ${route.routeKind} ${code(routeText(route))}`;
    if (rule.backendRefs.length === 0) {
      const why = route.rulesDefaulted ? `${route.routeKind} ${code(routeText(route))} has no rules: its default rule matches every path and has no backendRefs` : `${where} has no backendRefs and no RequestRedirect`;
      this.note(`${why[0].toUpperCase()}${why.slice(1)}: the Gateway answers 500.`, { uri: route.uri, range: rule.range });
      return { list: [], outcome: { found: false, status: 500, reason: `${why}, so the Gateway answers 500` } };
    }
    const links = this.ws.linksFrom(route.id);
    const shares = weightShares(rule.backendRefs);
    const judged = rule.backendRefs.map((ref, i) => ({ ref, share: shares[i], ...this.judge(route, ref, links) }));
    const valid = judged.filter((j) => j.service && j.port && !j.invalid);
    const followed = valid.reduce<(typeof valid)[number] | undefined>((best, j) => (j.share > 0 && (!best || j.share > best.share) ? j : best), undefined);
    if (judged.length > 1) {
      const split = judged.map((j) => `${code(known(j.ref.name) ?? '?')} ${j.share}%${j.invalid ? ` (invalid: ${j.invalid.code})` : ''}`).join(', ');
      this.note(`Requests are split by weight: ${split}${followed ? `; the trace follows ${code(known(followed.ref.name) ?? '?')}` : ''}.`, { uri: route.uri, range: rule.range });
    }
    for (const j of judged) {
      if (j.invalid && j.share > 0) this.note(`${code(known(j.ref.name) ?? '?')} is not a valid backend (${j.invalid.code}: ${j.invalid.text}): its ${j.share}% of the requests get 500.`, { uri: route.uri, range: j.ref.range });
    }
    const list: TraceBackend[] = [];
    let outcome: BackendOutcome | undefined;
    for (const j of judged) {
      const name = known(j.ref.name);
      if (name === undefined || !isServiceRef(j.ref)) continue;
      if (j.service && j.port && !j.invalid) {
        const sink: StepSink = j === followed ? this.step : () => undefined;
        if (j === followed) this.step('service', `${where[0].toUpperCase()}${where.slice(1)} sends it to Service ${code(nameOf(j.service))} (${j.service.serviceType.value}${j.service.headless ? ', headless' : ''}) in namespace ${code(j.service.namespace)}, port ${known(j.ref.port)}${judged.length > 1 ? ` (${j.share}% of the requests)` : ''}.`, { uri: j.service.uri, range: j.service.anchor }, nodeId.service(j.service.id));
        const result = followService(this.ws, sink, j.service, j.port, j.share);
        if (result.backend) list.push(result.backend);
        if (j === followed) outcome = result;
      } else {
        const port = known(j.ref.port);
        list.push({ kind: 'Service', namespace: j.ref.namespace, name, ...(port !== undefined ? { port } : {}), weight: j.share, workloads: [], ...(j.invalid ? { invalid: j.invalid.code } : {}) });
      }
    }
    if (followed && outcome) {
      if (outcome.reached) return { list, outcome: { found: true } };
      return { list, outcome: { found: false, ...(outcome.status !== undefined ? { status: outcome.status } : {}), reason: outcome.reason ?? 'no endpoint', ...(outcome.closest ? { closest: outcome.closest } : {}) } };
    }
    // Nothing to follow: every backend invalid, weights all 0, or kinds the trace cannot follow.
    const unknown = judged.filter((j) => !j.invalid && !(j.service && j.port));
    if (unknown.length > 0 && judged.every((j) => !j.invalid || j.share === 0)) {
      const j = unknown[0];
      return { list, outcome: { found: false, reason: j.unknownReason ?? `the backend ${code(known(j.ref.name) ?? '?')} cannot be followed offline` } };
    }
    const first = judged.find((j) => j.invalid);
    if (first?.invalid?.code === 'BackendNotFound') {
      this.step('service', `${where[0].toUpperCase()}${where.slice(1)} sends it to Service ${code(known(first.ref.name) ?? '?')}, which is not in namespace ${code(first.ref.namespace)}.`, { uri: route.uri, range: first.ref.name?.range ?? first.ref.range }, nodeId.missingService(first.ref.namespace, known(first.ref.name) ?? ''));
    }
    const reason = first
      ? judged.filter((j) => j.invalid).length === judged.length
        ? `every backendRef of ${where} is invalid (${judged.map((j) => `${code(known(j.ref.name) ?? '?')}: ${j.invalid!.code}, ${j.invalid!.text}`).join('; ')}), so the Gateway answers 500`
        : `no valid backendRef of ${where} receives requests (the valid ones have weight 0; ${judged.filter((j) => j.invalid).map((j) => `${code(known(j.ref.name) ?? '?')}: ${j.invalid!.code}`).join('; ')}), so the Gateway answers 500`
      : `every backendRef of ${where} has weight 0: no backend may receive the request (what the Gateway answers is implementation-specific; 500 here)`;
    return { list, outcome: { found: false, status: 500, reason, ...(first?.closest ? { closest: first.closest } : {}) } };
  }

  /** Whether a backendRef can receive requests (§8.2), and the Service and port when it can. */
  private judge(route: GatewayRoute, ref: GatewayBackendRef, links: readonly Link[]): { service?: Service; port?: Service['ports'][number]; invalid?: { code: string; text: string }; unknownReason?: string; closest?: string } {
    const name = known(ref.name);
    if (name === undefined) return { unknownReason: 'a backendRef name is templated and cannot be followed offline' };
    if (!isServiceRef(ref)) {
      if (ref.group === '' || ref.group === 'core') return { invalid: { code: 'InvalidKind', text: `kind ${code(ref.kind)} is not a backend kind` } };
      return { unknownReason: `the backend ${code(name)} is a ${ref.group}/${ref.kind}, which the trace does not follow (implementation-specific)` };
    }
    const { service: serviceLink, port: portLink } = backendRefLinks(links, ref);
    if (!serviceLink || serviceLink.status === 'unknown') return { unknownReason: `Service ${code(name)} in namespace ${code(ref.namespace)} cannot be known offline (templated names in that namespace)` };
    if (serviceLink.status === 'missing') {
      const miss = serviceLink.nearMisses?.[0];
      return { invalid: { code: 'BackendNotFound', text: `no Service ${code(name)} in namespace ${code(ref.namespace)}` }, ...(miss ? { closest: miss.description } : {}) };
    }
    const service = this.ws.resource(serviceLink.targets[0].resourceId);
    if (service?.type !== 'service') return { unknownReason: `Service ${code(name)} cannot be followed` };
    const grant = backendRefPermitted(route, ref, this.ws.query());
    if (!grant.permitted) return { service, invalid: { code: 'RefNotPermitted', text: `no ReferenceGrant in namespace ${code(ref.namespace)} lets ${route.routeKind}s of namespace ${code(route.namespace)} reach Service ${code(name)}` } };
    if (grant.grant) this.note(`ReferenceGrant ${code(`${grant.grant.namespace}/${nameOf(grant.grant)}`)} lets ${route.routeKind}s of namespace ${code(route.namespace)} reach Service ${code(name)} in namespace ${code(ref.namespace)}.`, { uri: grant.grant.uri, range: grant.grant.anchor });
    if (!ref.port) return { service, invalid: { code: 'BackendNotFound', text: `the backendRef names no port (required for a Service; the API server rejects it)` } };
    if (!portLink || portLink.status === 'unknown') return { service, unknownReason: `the port of Service ${code(name)} is templated and cannot be followed offline` };
    const port = portLink.status === 'resolved' ? servicePortOf(service, portLink) : undefined;
    if (!port) {
      const miss = portLink.nearMisses?.[0];
      return { service, invalid: { code: 'BackendNotFound', text: `Service ${code(name)} has no port ${known(ref.port)}` }, ...(miss ? { closest: miss.description } : {}) };
    }
    return { service, port };
  }
}

function servicePortOf(service: Service, portLink: Link): Service['ports'][number] | undefined {
  const target = portLink.targets.find((t) => t.resourceId === service.id);
  return target ? service.ports.find((p) => p.port && sameRange(p.port.range, target.range)) : undefined;
}

function matchFacts(match: RouteMatch, index: number): NonNullable<TraceRoute['route']>['rule']['match'] {
  const header = (h: RouteMatch['headers'][number]) => ({ type: h.type, name: known(h.name) ?? '', value: known(h.value) ?? '' });
  const method = known(match.method);
  return {
    index,
    path: { type: match.path.type, value: known(match.path.value) ?? '' },
    ...(method !== undefined ? { method } : {}),
    ...(match.headers.length > 0 ? { headers: match.headers.map(header) } : {}),
    ...(match.queryParams.length > 0 ? { queryParams: match.queryParams.map(header) } : {}),
  };
}
