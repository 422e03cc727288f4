/**
 * Hovers over Gateway API fields, read from the links and from `attachRoute`: a parentRef (the
 * listeners it attaches to and the effective hostnames, or why it does not attach), a backendRef
 * (Service → port → targetPort → containerPort → pods, with the weights as shares of the rule), a
 * match (its precedence and the matches it competes with, §6.4), a filter (the rewrite or redirect
 * worked on a real path, §7), the GatewayClass of a Gateway, and a listener (the routes attached).
 * Section numbers refer to docs/gateway-api-semantics.md.
 */
import type { Link } from '../analysis/types';
import type { Gateway, GatewayBackendRef, GatewayRoute, Listener, ListenerTls, ReferenceGrant, RouteFilter, RouteMatch, RouteParentRef, RouteRule } from '../model';
import { nameOf } from '../links/describe';
import { portLabel } from '../links/ingressLinks';
import { grantsIn, grantsPermitting, isCrossNamespace } from '../links/gatewayLinks';
import type { Attachment, ListenerAttachment } from '../links/gatewayLinks';
import { acceptedKinds, replacePrefix } from '../semantics/gatewayApi';
import { key } from '../workspace/keys';
import type { Workspace } from '../workspace/workspace';
import { code } from './markdown';
import { portChain, variantsNote } from './hover';
import { attachmentOf, backendRefLinks, backendService, backendServicePort, competingMatches, linkedParents, listenerLabel, matchLabel, matchesOverlap, parentKindOf, parentLinkOf, percentText, qualified, routesOnListener, routesOnParent, sameListener, tiesOnSpec, weightShare } from './gatewayRelated';
import { known } from '../model';

// ── parentRef ───────────────────────────────────────────────────────────────────────────────

export function parentRefHover(ws: Workspace, from: GatewayRoute | Gateway, ref: RouteParentRef): string | undefined {
  if (from.type === 'gateway') return listenerSetParentHover(ws, from, ref);
  const written = known(ref.name);
  const { link, attachment } = attachmentOf(ws, from, ref);
  const what = `${ref.kind} ${code(`${ref.namespace}/${written ?? '…'}`)}`;
  if (!link || !attachment) {
    const why = ref.group !== 'gateway.networking.k8s.io' || (ref.kind !== 'Gateway' && ref.kind !== 'ListenerSet') ? `a ${ref.kind} parent (group ${code(ref.group || '""')}) is implementation-specific (a mesh, or another controller's kind)` : 'its name is templated';
    return `parentRef ${what} cannot be judged here: ${why}.`;
  }
  if (attachment.parents.length === 0) {
    const none = ws.lookup(key.anyGateway()).length === 0;
    const elsewhere = none ? ' The workspace defines no Gateways at all: it may belong to a platform team and live in another repository.' : '';
    return `**NoMatchingParent**: no ${what} in this workspace, so the route attaches nowhere through this parentRef.${elsewhere}`;
  }
  const parent = attachment.parents[0];
  const lines = [`**parentRef → ${parentKindOf(parent)} ${code(qualified(parent))}**${classText(ws, parent)}`, ''];
  lines.push(...attachmentLines(from, attachment));
  const note = variantsNote(from, link);
  if (note) lines.push('', note);
  return lines.join('\n');
}

function listenerSetParentHover(ws: Workspace, set: Gateway, ref: RouteParentRef): string {
  const link = parentLinkOf(ws, set, ref);
  const gateway = linkedParents(ws, link)[0];
  if (!gateway) return link?.status === 'unknown' ? 'This parentRef cannot be judged here (templated, or not a Gateway).' : `No Gateway ${code(`${ref.namespace}/${known(ref.name) ?? '…'}`)} in this workspace: the ListenerSet's listeners attach nowhere.`;
  const allowed = gateway.allowedListeners.from;
  const admits = allowed === 'All' ? 'from every namespace' : allowed === 'Same' ? `from its own namespace ${code(gateway.namespace)}` : allowed === 'Selector' ? 'from the namespaces its selector picks' : '**from no namespace** (`allowedListeners` defaults to `None`): these listeners are not attached';
  return [`**ListenerSet ${code(qualified(set))} → Gateway ${code(qualified(gateway))}**${classText(ws, gateway)}`, '', `The Gateway admits ListenerSets ${admits}. Its own listeners come first; on a conflict the earlier listener wins.`].join('\n');
}

function classText(ws: Workspace, gateway: Gateway): string {
  const owner = gateway.parentRef ? linkedParents(ws, parentLinkOf(ws, gateway, gateway.parentRef))[0] : gateway;
  const className = known(owner?.gatewayClassName);
  if (!owner || className === undefined) return '';
  const link = ws.linksFrom(owner.id).find((l) => l.kind === 'gateway-class');
  const target = link?.status === 'resolved' ? ws.resource(link.targets[0].resourceId) : undefined;
  const controller = target?.type === 'gatewayClass' ? known(target.controllerName) : undefined;
  return ` · class ${code(className)}${controller ? ` (controller ${code(controller)})` : ''}`;
}

/** The listeners a parentRef attaches to with the hostnames, and why the others refuse. */
export function attachmentLines(route: GatewayRoute, attachment: Attachment): string[] {
  const lines: string[] = [];
  if (attachment.problem === 'NoMatchingParent') {
    const parent = attachment.parents[0];
    const listeners = parent.listeners.map((l) => (attachment.selector === 'port' ? String(known(l.port) ?? '?') : code(known(l.name) ?? '?')));
    const which = attachment.selector === 'port' ? 'no listener on that port' : 'no listener of that name';
    return [`**NoMatchingParent**: ${parentKindOf(parent)} ${code(qualified(parent))} has ${which} (${attachment.selector === 'port' ? 'ports' : 'listeners'}: ${listeners.join(', ') || 'none'}), so the route attaches nowhere through this parentRef.`];
  }
  if (attachment.accepted.length > 0) {
    lines.push(`Attaches to ${attachment.accepted.length} listener${attachment.accepted.length === 1 ? '' : 's'}:`);
    for (const a of attachment.accepted) lines.push(`- listener ${listenerLabel(a.listener)} → serves ${hostList(a.hostnames)}${a.namespaceUnknown ? ' *(namespace selector not judged: the Namespace is not in the workspace)*' : ''}`);
  }
  const refused = attachment.relevant.filter((a) => a.refusal !== undefined);
  if (refused.length > 0) {
    if (lines.length > 0) lines.push('');
    lines.push(attachment.problem ? `**Does not attach: ${attachment.problem}**` : 'Not accepted by:');
    for (const a of refused) lines.push(`- listener ${listenerLabel(a.listener)}: ${refusalText(route, a)}`);
  }
  if (attachment.accepted.length > 0) {
    const hosts = [...new Set(attachment.accepted.flatMap((a) => a.hostnames))];
    lines.push('', `Effective hostnames: ${hostList(hosts)}.`);
  }
  return lines;
}

export function hostList(hostnames: readonly (string | undefined)[]): string {
  if (hostnames.some((h) => h === undefined)) return 'any hostname';
  return hostnames.map((h) => code(h as string)).join(', ');
}

function refusalText(route: GatewayRoute, a: ListenerAttachment): string {
  switch (a.refusal) {
    case 'kind':
      return `does not accept ${route.routeKind} (accepts ${acceptedKinds(a.listener).join(', ') || 'nothing'})`;
    case 'namespace': {
      const from = a.listener.allowedRoutes.from.value;
      const owner = from === 'Same' ? ` (only ${code(a.parent.namespace)})` : '';
      return `namespace ${code(route.namespace)} is not allowed (allowedRoutes.namespaces.from: ${from}${owner})`;
    }
    case 'hostname': {
      const hosts = route.hostnames.map((h) => known(h)).filter((h): h is string => h !== undefined);
      return `no hostname intersection (listener ${code(known(a.listener.hostname) ?? '*')}, route ${hosts.map((h) => code(h)).join(', ') || 'none'})`;
    }
    default:
      return 'accepted';
  }
}

// ── backendRef ──────────────────────────────────────────────────────────────────────────────

export function backendRefHover(ws: Workspace, route: GatewayRoute, rule: RouteRule, ruleIndex: number, ref: GatewayBackendRef): string {
  const name = known(ref.name) ?? '…';
  const crossNs = isCrossNamespace(route, ref);
  const shown = crossNs ? `${ref.namespace}/${name}` : name;
  const lines = [`**backendRef → ${ref.kind} ${code(shown)}**${shareText(rule, ruleIndex, ref)}`];
  const others = rule.backendRefs.length > 1 ? weightsLine(rule, ref) : undefined;
  if (others) lines.push('', others);
  lines.push('');
  if (ref.group !== '' || ref.kind !== 'Service') {
    lines.push(`A ${code(`${ref.group || 'core'}/${ref.kind}`)} backend is implementation-specific: not checked here.`);
    return lines.join('\n');
  }
  const links = backendRefLinks(ws, route, ref);
  const service = backendService(ws, links.service);
  if (!service) {
    if (links.service?.status === 'missing') lines.push(`**BackendNotFound**: no Service ${code(name)} in namespace ${code(ref.namespace)}; the requests this backend would get are answered 500.`);
    else lines.push(`Service ${code(name)} cannot be resolved here (templated).`);
    return lines.join('\n');
  }
  lines.push(`Service ${code(nameOf(service))} · ${service.serviceType.value}${service.headless ? ' (headless)' : ''} · namespace ${code(service.namespace)}`, '');
  if (service.serviceType.value === 'ExternalName') lines.push('*An ExternalName Service is not a portable backend: implementations should not support it.*', '');
  const port = backendServicePort(service, links.port);
  if (!ref.port) {
    lines.push(`**No \`port\`**: a Service backendRef must name one of the Service's ports (the API server rejects it without). The Service has ${service.ports.map((p) => code(portLabel(p))).join(', ') || 'no ports'}:`);
  } else if (links.port?.status === 'missing') {
    lines.push(`**Port ${code(links.port.text)} is not a port of this Service** (a backendRef names the Service port, not the targetPort). It has:`);
  }
  for (const p of port ? [port] : service.ports) lines.push(`- ${portChain(ws, service, p)}`);
  if (crossNs) lines.push('', grantText(ws, route, ref));
  const note = links.service ? variantsNote(route, links.service) : undefined;
  if (note) lines.push('', note);
  return lines.join('\n');
}

function shareText(rule: RouteRule, ruleIndex: number, ref: GatewayBackendRef): string {
  const share = weightShare(rule, ref);
  if (!share) return ' · weight *(templated)*';
  if (share.total === 0) return ` · weight 0 · **every weight of rule ${ruleIndex + 1} is 0**: no backend gets traffic (the answer is implementation-specific, expect 500)`;
  if (share.weight === 0) return ` · weight 0: **no traffic**`;
  if (rule.backendRefs.length === 1) return ` · all of rule ${ruleIndex + 1}'s requests`;
  return ` · weight ${share.weight} of ${share.total} → **${percentText(share.percent)}** of rule ${ruleIndex + 1}'s requests`;
}

function weightsLine(rule: RouteRule, current: GatewayBackendRef): string | undefined {
  const parts = rule.backendRefs.map((r) => {
    const share = weightShare(rule, r);
    const label = `${code(known(r.name) ?? '…')} ${share ? percentText(share.percent) : '?'}`;
    return r === current ? `**${label}**` : label;
  });
  return `Split of the rule: ${parts.join(' · ')}`;
}

export function grantText(ws: Workspace, route: GatewayRoute, ref: GatewayBackendRef): string {
  const grants = grantsPermitting(route, ref, ws.query());
  if (grants.length > 0) return `Cross-namespace: permitted by ReferenceGrant ${grants.map((g) => code(qualified(g))).join(', ')}.`;
  const any = grantsIn(ref.namespace, ws.query()).length;
  const elsewhere = any === 0 ? ` (the workspace defines no ReferenceGrant in ${code(ref.namespace)}; one may be applied from elsewhere)` : '';
  return `**RefNotPermitted**: no ReferenceGrant in namespace ${code(ref.namespace)} lets ${route.routeKind}s of ${code(route.namespace)} use this Service, so its requests are answered 500${elsewhere}.`;
}

// ── match ───────────────────────────────────────────────────────────────────────────────────

const MAX_COMPETITORS = 8;

export function matchHover(ws: Workspace, route: GatewayRoute, ruleIndex: number, match: RouteMatch, matchIndex: number): string {
  const lines = [`**match ${matchLabel(match)}** · rule ${ruleIndex + 1} of ${route.routeKind} ${code(qualified(route))}`, '', pathSemantics(match)];
  if (route.routeKind !== 'HTTPRoute') {
    lines.push('', 'GRPCRoute precedence: the most specific hostname, then the most characters in the matching service, then in the method, then the most header matches.');
    return lines.join('\n');
  }
  lines.push('', 'Precedence: the route hostname first, then `Exact` over `PathPrefix`, the longest prefix, a `method`, the most headers, the most query params; then the oldest route, then `namespace/name`, then rule order.');
  const listeners = acceptedListeners(ws, route);
  if (listeners.length === 0) {
    lines.push('', 'The route attaches to no listener, so this match serves nothing yet.');
    return lines.join('\n');
  }
  let sections = 0;
  for (const on of listeners) {
    for (const host of on.hostnames) {
      if (sections++ >= 3) break;
      const all = competingMatches(ws, route, on, host).filter((m) => (m.route.id === route.id && m.ruleIndex === ruleIndex && m.matchIndex === matchIndex) || matchesOverlap(m.match, match));
      const me = all.findIndex((m) => m.route.id === route.id && m.ruleIndex === ruleIndex && m.matchIndex === matchIndex);
      if (me < 0) continue;
      const where = `${parentKindOf(on.parent)} ${code(qualified(on.parent))} listener ${code(known(on.listener.name) ?? '?')}, host ${host === undefined ? 'any' : code(host)}`;
      lines.push('', `On ${where}: **${ordinal(me + 1)} of ${all.length}** matches that can take the same requests${all.length === 1 ? ' (no competitor)' : ''}`);
      if (all.length === 1) continue;
      const start = Math.max(0, Math.min(me - Math.floor(MAX_COMPETITORS / 2), all.length - MAX_COMPETITORS));
      for (let i = start; i < Math.min(all.length, start + MAX_COMPETITORS); i++) {
        const m = all[i];
        const mine = i === me;
        const whose = m.route.id === route.id ? `rule ${m.ruleIndex + 1}` : `${m.route.routeKind} ${code(qualified(m.route))} rule ${m.ruleIndex + 1}`;
        const via = m.onlyFor ? ` (only for ${code(m.onlyFor)})` : m.hostname !== host ? ` (host ${m.hostname === undefined ? 'any' : code(m.hostname)})` : '';
        const tie = i > 0 && all[i - 1].route.id !== m.route.id && tiesOnSpec(all[i - 1], m) ? ' *(tie: decided by creation time, else namespace/name)*' : '';
        const text = `${i + 1}. ${matchLabel(m.match)} — ${whose}${via}${tie}`;
        lines.push(mine ? `${text} ← **this match**` : text);
      }
    }
  }
  return lines.join('\n');
}

function ordinal(n: number): string {
  const suffix = n % 100 >= 11 && n % 100 <= 13 ? 'th' : ['th', 'st', 'nd', 'rd'][n % 10] ?? 'th';
  return `${n}${suffix}`;
}

export function pathSemantics(match: RouteMatch): string {
  const value = known(match.path.value);
  if (value === undefined) return 'The path is templated.';
  switch (match.path.type) {
    case 'Exact':
      return `\`Exact\` matches the path ${code(value)} only (case-sensitive: ${code(`${value.replace(/\/$/, '')}/`)} and ${code(value.toUpperCase())} do not match).`;
    case 'PathPrefix': {
      const p = value.replace(/\/+$/, '');
      if (p === '') return '`PathPrefix /` matches every path.';
      return `\`PathPrefix\` matches element-wise and case-sensitively: ${code(p)}, ${code(`${p}/`)} and ${code(`${p}/x`)}, not ${code(`${p}x`)}.`;
    }
    case 'RegularExpression':
      return '`RegularExpression`: dialect, anchoring and precedence are implementation-specific.';
    default:
      return `${code(match.path.type)} is not a path type the API knows (Exact, PathPrefix, RegularExpression).`;
  }
}

/** The listeners that accept the route through any of its parentRefs (each once). */
export function acceptedListeners(ws: Workspace, route: GatewayRoute): ListenerAttachment[] {
  const out: ListenerAttachment[] = [];
  for (const ref of route.parentRefs) {
    for (const a of attachmentOf(ws, route, ref).attachment?.accepted ?? []) if (!out.some((o) => sameListener(o, a.parent, a.listener))) out.push(a);
  }
  return out;
}

// ── filters ─────────────────────────────────────────────────────────────────────────────────

/** A request path the rule matches, for worked examples: the prefix plus a page, or the exact path. */
function examplePath(rule: RouteRule): { path: string; prefix?: string } {
  const match = rule.matches[0];
  const value = match ? known(match.path.value) : undefined;
  if (!match || value === undefined) return { path: '/products/42' };
  if (match.path.type === 'Exact') return { path: value };
  if (match.path.type === 'PathPrefix') {
    const p = value.replace(/\/+$/, '');
    return { path: `${p}/products/42`, prefix: value };
  }
  return { path: '/products/42' };
}

/** The rule's one PathPrefix match, which ReplacePrefixMatch requires (§7). */
function onlyPrefix(rule: RouteRule): string | undefined {
  if (rule.matches.length !== 1 || rule.matches[0].path.type !== 'PathPrefix') return undefined;
  return known(rule.matches[0].path.value);
}

export function filterHover(ws: Workspace, route: GatewayRoute, rule: RouteRule, filter: RouteFilter, backendRef?: GatewayBackendRef): string {
  const type = known(filter.type);
  const at = backendRef ? ` (on backendRef ${code(known(backendRef.name) ?? '…')}: applied only when it is picked)` : '';
  switch (type) {
    case 'URLRewrite':
      return rewriteHover(ws, route, rule, filter, at);
    case 'RequestRedirect':
      return redirectHover(ws, route, rule, filter, at);
    case 'RequestHeaderModifier':
      return `**RequestHeaderModifier**${at}: \`set\` overwrites, \`add\` appends (comma-joined), \`remove\` deletes request headers before the request is forwarded.`;
    case 'ResponseHeaderModifier':
      return `**ResponseHeaderModifier**${at}: \`set\`, \`add\`, \`remove\` on the response headers.`;
    case 'RequestMirror': {
      const mirror = filter.mirror ? known(filter.mirror.name) : undefined;
      return `**RequestMirror**${at}: a copy of each request also goes to ${mirror ? `Service ${code(mirror)}` : 'the mirror backend'}; its responses are ignored.`;
    }
    case 'ExtensionRef':
      return `**ExtensionRef**${at}: implementation-specific. When the controller cannot resolve it, requests get an error: the filter is never skipped.`;
    case 'CORS':
      return `**CORS**${at}: the gateway answers CORS preflight requests and adds the CORS response headers.`;
    case undefined:
      return 'The filter type is templated.';
    default:
      return `${code(type)} is not a filter type the API knows.`;
  }
}

function rewriteHover(ws: Workspace, route: GatewayRoute, rule: RouteRule, filter: RouteFilter, at: string): string {
  const rewrite = filter.urlRewrite;
  const lines = [`**URLRewrite**${at}: the request is forwarded with a rewritten path and/or Host; the client sees no redirect.`, ''];
  const host = known(rewrite?.hostname);
  if (host) lines.push(`- Host: ${code(exampleHost(ws, route).host)} → upstream Host ${code(host)}`);
  lines.push(...pathModifierExamples(rule, rewrite?.path, 'upstream path'));
  if (!host && !rewrite?.path) lines.push('- rewrites nothing (no `hostname`, no `path`)');
  return lines.join('\n');
}

function pathModifierExamples(rule: RouteRule, modifier: NonNullable<RouteFilter['urlRewrite']>['path'], outcome: string): string[] {
  if (!modifier) return [];
  const type = known(modifier.type);
  const example = examplePath(rule);
  if (type === 'ReplaceFullPath') {
    const full = known(modifier.replaceFullPath);
    if (full === undefined) return ['- `ReplaceFullPath` without a value (templated or missing)'];
    return [`- ${code(example.path)} → ${outcome} ${code(full)} (every path the rule matches becomes ${code(full)}; the query string is kept)`];
  }
  if (type === 'ReplacePrefixMatch') {
    const prefix = onlyPrefix(rule);
    const replacement = known(modifier.replacePrefixMatch) ?? '';
    if (prefix === undefined) return ['- `ReplacePrefixMatch` needs its rule to have exactly one match, a `PathPrefix`: the API server rejects this rule.'];
    const p = prefix.replace(/\/+$/, '');
    const requests = p === '' ? ['/', '/products/42'] : [p, `${p}/`, `${p}/products/42`];
    const lines = requests.map((path) => `- ${code(path)} → ${outcome} ${code(replacePrefix(path, prefix, replacement))}`);
    if (p !== '') lines.push(`- ${code(`${p}x`)} is not matched (PathPrefix is element-wise)`);
    return lines;
  }
  return [`- path modifier ${code(type ?? '…')} is not one the API knows (ReplaceFullPath, ReplacePrefixMatch)`];
}

/** A host the route serves (its first precise effective hostname; a wildcard with `www` put in), and the listener it arrives on. */
function exampleHost(ws: Workspace, route: GatewayRoute): { host: string; listener?: Listener } {
  const listeners = acceptedListeners(ws, route);
  const all = listeners.flatMap((a) => a.hostnames.map((h) => ({ h, listener: a.listener })));
  const precise = all.find((x) => x.h !== undefined && !x.h.startsWith('*.'));
  const any = precise ?? all.find((x) => x.h !== undefined) ?? all[0];
  const written = route.hostnames.map((h) => known(h)).find((h): h is string => h !== undefined);
  const host = any?.h ?? written ?? 'example.com';
  return { host: host.startsWith('*.') ? `www${host.slice(1)}` : host, listener: any?.listener ?? listeners[0]?.listener };
}

function redirectHover(ws: Workspace, route: GatewayRoute, rule: RouteRule, filter: RouteFilter, at: string): string {
  const redirect = filter.requestRedirect;
  const { host, listener } = exampleHost(ws, route);
  const listenerPort = known(listener?.port) ?? 80;
  const protocol = known(listener?.protocol);
  const requestScheme = protocol === 'HTTPS' || protocol === 'TLS' ? 'https' : 'http';
  const scheme = known(redirect?.scheme);
  const hostname = known(redirect?.hostname);
  const port = known(redirect?.port);
  const status = known(redirect?.statusCode) ?? 302;
  const outScheme = scheme ?? requestScheme;
  const outPort = port ?? (scheme !== undefined ? (scheme === 'https' ? 443 : 80) : listenerPort);
  const example = examplePath(rule);
  let outPath = example.path;
  const modifier = redirect?.path;
  const modifierType = known(modifier?.type);
  if (modifierType === 'ReplaceFullPath') outPath = known(modifier?.replaceFullPath) ?? outPath;
  if (modifierType === 'ReplacePrefixMatch') {
    const prefix = onlyPrefix(rule);
    if (prefix !== undefined) outPath = replacePrefix(outPath, prefix, known(modifier?.replacePrefixMatch) ?? '');
  }
  const url = (s: string, h: string, p: number, path: string) => `${s}://${h}${(s === 'http' && p === 80) || (s === 'https' && p === 443) ? '' : `:${p}`}${path}`;
  const request = url(requestScheme, host, listenerPort, example.path);
  const location = url(outScheme, hostname ?? host, outPort, outPath);
  const lines = [
    `**RequestRedirect**${at}: the gateway answers **${status}** itself; no backend is called.`,
    '',
    `Example: ${code(request)} → **${status}** ${code(`Location: ${location}`)}`,
    '',
    `- scheme: ${scheme ? code(scheme) : `the request's (${code(requestScheme)})`}`,
    `- hostname: ${hostname ? code(hostname) : `the request's Host (${code(host)})`}`,
    `- port: ${port !== undefined ? code(port) : scheme !== undefined ? `${outPort}, implied by scheme ${code(scheme)}` : `the listener's (${listenerPort})`}${(outScheme === 'http' && outPort === 80) || (outScheme === 'https' && outPort === 443) ? ', left out of the Location' : ''}`,
    `- path: ${modifier ? `${code(modifierType ?? '…')} → ${code(outPath)}` : 'unchanged'}`,
    `- status: ${redirect?.statusCode ? code(status) : '302 (the default)'}`,
  ];
  if (!listener) lines.push('', '*The route attaches to no listener here: the example assumes an HTTP listener on port 80.*');
  if (modifierType === 'ReplacePrefixMatch' && onlyPrefix(rule) === undefined) lines.push('', '`ReplacePrefixMatch` needs its rule to have exactly one match, a `PathPrefix`: the API server rejects this rule.');
  return lines.join('\n');
}

// ── GatewayClass, listener, Gateway ─────────────────────────────────────────────────────────

export function gatewayClassHover(ws: Workspace, link: Link): string {
  const target = link.status === 'resolved' ? ws.resource(link.targets[0].resourceId) : undefined;
  if (target?.type === 'gatewayClass') {
    const controller = known(target.controllerName);
    return `GatewayClass ${code(link.text)} → controller ${controller ? code(controller) : '*(no controllerName)*'}: the controller that programs this Gateway.`;
  }
  if (link.status === 'unknown') return 'The GatewayClass name is templated.';
  return `GatewayClass ${code(link.text)} is not defined in this workspace (GatewayClasses are usually installed with the controller); no controller in this workspace serves this Gateway.`;
}

function tlsText(tls: ListenerTls | undefined): string {
  if (!tls) return '';
  const certs = tls.certificateRefs.length;
  return ` · TLS ${tls.mode.value}${tls.mode.value === 'Terminate' ? ` (${certs} certificate${certs === 1 ? '' : 's'})` : ''}`;
}

function allowedText(parent: Gateway, listener: Listener): string {
  const from = listener.allowedRoutes.from.value;
  const namespaces = from === 'Same' ? `namespace ${code(parent.namespace)} only (Same)` : from === 'All' ? 'every namespace (All)' : from === 'Selector' ? 'namespaces whose labels match its selector (Selector)' : code(from);
  return `Accepts ${acceptedKinds(listener).join(', ') || 'no route kind'} from ${namespaces}.`;
}

export function listenerHover(ws: Workspace, parent: Gateway, listener: Listener): string {
  const lines = [`**listener ${listenerLabel(listener)}** of ${parentKindOf(parent)} ${code(qualified(parent))}${tlsText(listener.tls)}`, '', allowedText(parent, listener), ''];
  const { attached, refused } = routesOnListener(ws, parent, listener);
  lines.push(attached.length === 0 ? 'No route attaches to this listener.' : `**${attached.length} route${attached.length === 1 ? '' : 's'} attached:**`);
  for (const r of attached) lines.push(`- ${r.route.routeKind} ${code(qualified(r.route))} → ${hostList(r.on.hostnames)}`);
  if (refused.length > 0) {
    lines.push('', 'Name it but are not accepted:');
    for (const r of refused) lines.push(`- ${r.route.routeKind} ${code(qualified(r.route))}: ${refusalText(r.route, r.on)}`);
  }
  return lines.join('\n');
}

export function gatewayNameHover(ws: Workspace, gateway: Gateway): string {
  const entries = routesOnParent(ws, gateway);
  const lines = [`**${parentKindOf(gateway)} ${code(qualified(gateway))}**${classText(ws, gateway)}`, ''];
  for (const listener of gateway.listeners) {
    const count = entries.filter((e) => e.attachment.accepted.some((a) => sameListener(a, gateway, listener))).length;
    lines.push(`- listener ${listenerLabel(listener)} · ${count} route${count === 1 ? '' : 's'} attached`);
  }
  if (gateway.listeners.length === 0) lines.push('No listeners.');
  return lines.join('\n');
}

/** A ReferenceGrant entry: what the grant lets in. */
export function grantEntryHover(grant: ReferenceGrant, side: 'from' | 'to', index: number): string {
  const from = grant.from.map((f) => `${f.kind} in ${code(f.namespace)}`).join(', ') || 'nothing';
  const to = grant.to.map((t) => `${t.kind}${t.name ? ` ${code(t.name)}` : ' (any name)'}`).join(', ') || 'nothing';
  const entry = side === 'from' ? grant.from[index] : grant.to[index];
  return [`**ReferenceGrant ${code(qualified(grant))}** (${side} entry ${code(`${entry.group || '""'}/${entry.kind}`)})`, '', `Lets ${from} refer to ${to} in namespace ${code(grant.namespace)}. Go to definition lists the references it permits.`].join('\n');
}

