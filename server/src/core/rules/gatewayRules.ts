/**
 * Gateway API rules (docs/gateway-api-semantics.md): views over the links of gatewayLinks.ts and
 * `attachRoute`, named after the status condition reason a conformant controller writes
 * (NoMatchingParent, NotAllowedByListeners, NoMatchingListenerHostname, BackendNotFound,
 * RefNotPermitted, InvalidKind, InvalidCertificateRef, Conflicted), plus what the API server
 * rejects (gateway-api-invalid) and matches that never win (route-match-shadowed).
 *
 * Precision, as for the other link rules (linkRules.ts): a reference whose target may live
 * elsewhere (no such objects in the referrer's own file, build or app; a name that routes in other
 * files use too, as shared test infrastructure is; a template file nearby) is information; a
 * target found only in another folder makes conclusions about it information too; alternatives
 * never conflict (conflicts are looked for in one conflict scope only).
 */
import type { Range } from 'vscode-languageserver-types';
import type { Query } from '../analysis/query';
import type { Finding, Link, NearMiss, RelatedLocation } from '../analysis/types';
import type { Gateway, GatewayBackendRef, GatewayClass, GatewayRoute, Listener, ReferenceGrant, Resource, RouteFilter, RouteMatch, RouteParentRef, RouteRule, Service } from '../model';
import { closestNameMiss } from '../links/nearMisses';
import { attachRoute, isServiceRef, listenerSetAllowed } from '../links/gatewayLinks';
import type { Attachment, ListenerAttachment } from '../links/gatewayLinks';
import { describe, nameOf, sameObject } from '../links/describe';
import { GATEWAY_GROUP, acceptedKinds, grantPermits } from '../semantics/gatewayApi';
import type { GrantQuestion } from '../semantics/gatewayApi';
import { coreProtocol, gatewayClassProblems, gatewayProblems, isValidGroup, isValidKind, referenceGrantProblems, routeProblems } from '../semantics/gatewayValidation';
import type { ApiProblem } from '../semantics/gatewayValidation';
import { formatLabels, formatExpression } from '../semantics/labels';
import { closestMatch } from '../semantics/names';
import { key } from '../workspace/keys';
import { REACH, conflictScope, nearbyReach, reachBetween, within } from '../workspace/scopes';
import { uriOf } from '../text/ranges';
import { apiGroup } from '../parse/kinds';
import { didYouMean, elsewhereNote, finding, nearbyCustomResources, ownScopeDefines } from './linkRules';
import { namedList } from './collisionRules';
import { simpleFinding } from './serviceRules';
import type { Severity } from './registry';
import { known } from '../model';
import { sameRange } from '../text/ranges';

function apiFindings(problems: readonly ApiProblem[], uri: string): Finding[] {
  return problems.map((p) => simpleFinding('gateway-api-invalid', uri, p.range, p.message));
}

function at(resource: Resource, range: Range, message: string): RelatedLocation {
  return { uri: uriOf(range, resource.uri), range, message };
}

/** A link with near misses computed by a rule (the resolver had none to give). */
function withMisses(link: Link, nearMisses: readonly NearMiss[]): Link {
  return nearMisses.length > 0 ? { ...link, nearMisses } : link;
}

function isGatewayObject(r: Resource | undefined): r is Gateway {
  return r?.type === 'gateway';
}

function targetsOf(link: Link, q: Query): Gateway[] {
  return link.targets.map((t) => q.resource(t.resourceId)).filter(isGatewayObject);
}

/** Whether every target of a link is only in other folders (the workspace reach): maybe another example's. */
function onlyFar(from: Resource, targets: readonly Resource[], q: Query): boolean {
  return targets.length > 0 && targets.every((t) => reachBetween(from, t, q) >= REACH.workspace);
}

function listenerName(listener: Listener): string {
  return known(listener.name) ?? '(unnamed)';
}

function describeListener(listener: Listener): string {
  const protocol = known(listener.protocol) ?? '?';
  const port = known(listener.port);
  const host = known(listener.hostname);
  return `listener \`${listenerName(listener)}\` (${protocol}${port !== undefined ? ` ${port}` : ''}${host ? `, hostname \`${host}\`` : ''})`;
}

// ── GatewayClass, ReferenceGrant ──────────────────────────────────────────────────────────

export function gatewayClassFindings(gc: GatewayClass): Finding[] {
  return apiFindings(gatewayClassProblems(gc), gc.uri);
}

export function referenceGrantFindings(grant: ReferenceGrant): Finding[] {
  return apiFindings(referenceGrantProblems(grant), grant.uri);
}

// ── Gateway and ListenerSet ────────────────────────────────────────────────────────────────

export function gatewayFindings(gateway: Gateway, links: readonly Link[], q: Query): Finding[] {
  const findings: Finding[] = [...apiFindings(gatewayProblems(gateway), gateway.uri), ...listenerConflictFindings(gateway)];
  let certificateIndex = 0;
  const refs = gateway.listeners.flatMap((listener) => (listener.tls?.certificateRefs ?? []).filter((ref) => ref.name).map((ref) => ({ listener, ref })));
  for (const link of links) {
    if (link.kind === 'gateway-class') findings.push(...gatewayClassLinkFindings(gateway, link, q));
    else if (link.kind === 'listenerset-parent') findings.push(...listenerSetFindings(gateway, link, q));
    else if (link.kind === 'gateway-certificate') {
      const entry = refs[certificateIndex++];
      if (entry) findings.push(...certificateFindings(gateway, entry.listener, entry.ref, link, q));
    }
  }
  return findings;
}

function gatewayClassLinkFindings(gateway: Gateway, link: Link, q: Query): Finding[] {
  if (link.status !== 'missing') return [];
  const classes = q.lookup(key.anyGatewayClass());
  const none = classes.length === 0;
  const mistake = !none && ownScopeDefines(q, gateway, classes, link);
  const why = none ? ' (the workspace defines no GatewayClass: classes usually come with the controller, installed elsewhere)' : mistake ? '' : ' (it may be installed with the controller, outside this workspace)';
  const message = `Gateway \`${nameOf(gateway)}\` uses GatewayClass \`${link.text}\`, but the workspace defines no GatewayClass of that name, so no controller reconciles this Gateway${didYouMean(link)}${why}`;
  return [finding('gateway-class-missing', link, message, { severityCap: mistake ? undefined : 'information' })];
}

/** The group a Gateway API object's references come from (ReferenceGrant `from.group`). */
function groupOf(resource: Resource): string {
  return apiGroup(resource.apiVersion);
}

function certificateFindings(gateway: Gateway, listener: Listener, ref: NonNullable<Listener['tls']>['certificateRefs'][number], link: Link, q: Query): Finding[] {
  // Certificates are ignored in Passthrough mode (§3.1): the backend terminates TLS.
  if (listener.tls?.mode.value === 'Passthrough') return [];
  // A core reference of another kind than Secret is InvalidCertificateRef (§3.4); other groups
  // are implementation-specific (their links are unknown), and invalid kinds are the CRD's.
  const wrongKind = ref.group === '' && ref.kind !== 'Secret' && isValidKind(ref.kind);
  if (link.status === 'unknown' && !wrongKind) return [];
  const name = known(ref.name);
  if (name === undefined) return [];
  if (ref.namespace !== gateway.namespace) {
    const denied = refNotPermitted(gateway, { group: ref.group, kind: ref.kind, namespace: ref.namespace, name }, link, q, `listener \`${listenerName(listener)}\` of ${describe(gateway)}`);
    // RefNotPermitted takes priority: a forbidden reference is never "invalid" (§3.4).
    if (denied) return [denied];
  }
  if (wrongKind) {
    const message = `${describe(gateway)}: ${describeListener(listener)} has a certificateRef of kind \`${ref.kind}\` in the core group, but certificates are read from Secrets there, so the listener is not programmed (InvalidCertificateRef)`;
    return [simpleFinding('gateway-invalid-certificate-ref', gateway.uri, ref.kindRange ?? link.range, message)];
  }
  if (link.status !== 'missing') return [];
  const secrets = q.lookup(key.kindIn('Secret', ref.namespace));
  const judged = withMisses(link, closestNameMiss(name, link.range, within(gateway, secrets, q, nearbyReach(gateway, q))));
  const mistake = secrets.length > 0 && ownScopeDefines(q, gateway, secrets, judged);
  const why = secrets.length === 0 ? ` (the workspace defines no Secrets in namespace \`${ref.namespace}\`: certificates are usually created outside the repository, by cert-manager or by hand)` : mistake ? '' : ' (it may be created outside the repository)';
  const message = `${describe(gateway)}: ${describeListener(listener)} uses certificate Secret \`${name}\` in namespace \`${ref.namespace}\`, which does not exist, so the listener is not programmed (InvalidCertificateRef)${didYouMean(judged)}${why}`;
  return [finding('gateway-invalid-certificate-ref', judged, message, { severityCap: mistake ? undefined : 'information' })];
}

/** ListenerSet → Gateway: the parent exists and its allowedListeners admit this ListenerSet (§4). */
function listenerSetFindings(set: Gateway, link: Link, q: Query): Finding[] {
  if (link.status === 'unknown') return [];
  const ref = set.parentRef!;
  if (link.status === 'missing') {
    const gateways = q.lookup(key.anyGateway()).filter((g) => g.type === 'gateway' && g.kind === 'Gateway');
    const mistake = gateways.length > 0 && ownScopeDefines(q, set, gateways, link) && !sharedElsewhere(q, set, key.listenerSetsOf(ref.namespace, link.text));
    const why = gateways.length === 0 ? ' (the workspace defines no Gateways: it may be managed elsewhere)' : mistake ? '' : ' (it may be defined elsewhere)';
    const message = `${set.kind} \`${nameOf(set)}\` attaches to Gateway \`${link.text}\` in namespace \`${ref.namespace}\`, which does not exist, so its listeners serve nothing${didYouMean(link)}${why}`;
    return [finding('listenerset-not-allowed', link, message, { severityCap: mistake ? undefined : 'information' })];
  }
  const parents = targetsOf(link, q);
  if (parents.length === 0) return [];
  const verdicts = parents.map((parent) => ({ parent, allowed: listenerSetAllowed(parent, set, q) }));
  if (verdicts.some((v) => v.allowed !== false)) return [];
  const parent = parents[0];
  const from = parent.allowedListeners.from;
  const reason =
    from === 'None' ? 'its allowedListeners admit no ListenerSets (`from: None`, the default)' : from === 'Same' ? `its allowedListeners admit only ListenerSets of namespace \`${parent.namespace}\`` : `the labels of Namespace \`${set.namespace}\` do not match its allowedListeners selector`;
  const message = `${set.kind} \`${nameOf(set)}\` attaches to ${describe(parent, set.namespace)}, but ${reason}, so its listeners serve nothing (Accepted: False, NotAllowed)`;
  return [
    {
      ...finding('listenerset-not-allowed', link, message, { nearMisses: [], severityCap: onlyFar(set, parents, q) ? 'information' : undefined }),
      related: [at(parent, parent.anchor, `${describe(parent)} (allowedListeners: ${from})`)],
    },
  ];
}

/** Protocol families that cannot share a port (§3.2): cleartext HTTP, TLS-based, raw TCP. */
function protocolFamily(protocol: string | undefined): string | undefined {
  switch (protocol) {
    case 'HTTP':
      return 'HTTP';
    case 'HTTPS':
    case 'TLS':
      return 'TLS';
    case 'TCP':
      return 'TCP';
    case 'UDP':
      return 'UDP';
    default:
      return undefined;
  }
}

/**
 * Listeners of one Gateway (or one ListenerSet) that are not distinct (§3.2): the same name or the
 * same port, protocol and hostname (the CRD rejects both), or incompatible protocols on one port:
 * HTTP with HTTPS or TLS, TCP with HTTP, HTTPS or TLS (Conflicted, ProtocolConflict: the
 * implementation accepts none of them). TCP with UDP and HTTPS with TLS may share a port.
 */
function listenerConflictFindings(gateway: Gateway): Finding[] {
  const findings: Finding[] = [];
  const byName = new Map<string, Listener>();
  const byTuple = new Map<string, Listener>();
  const byPort = new Map<number, Listener[]>();
  const owner = `${gateway.kind} \`${nameOf(gateway)}\``;
  for (const listener of gateway.listeners) {
    const name = known(listener.name);
    if (name !== undefined) {
      const earlier = byName.get(name);
      if (earlier) {
        findings.push({
          ...simpleFinding('gateway-listener-conflicted', gateway.uri, listener.name!.range, `${owner}: listener name \`${name}\` is used twice; the API server rejects the ${gateway.kind} (Listener name must be unique)`),
          related: [at(gateway, earlier.range, `the other listener \`${name}\``)],
        });
      } else byName.set(name, listener);
    }
    const port = known(listener.port);
    const protocol = known(listener.protocol);
    if (port === undefined || protocol === undefined || listener.hostname?.unknown) continue;
    const hostname = known(listener.hostname);
    // The Gateway CRD compares protocols exactly, the ListenerSet CRD case-insensitively.
    const tuple = [port, gateway.kind === 'Gateway' ? protocol : protocol.toLowerCase(), hostname ?? '\u0000none'].join('\u0000');
    const same = byTuple.get(tuple);
    if (same) {
      findings.push({
        ...simpleFinding(
          'gateway-listener-conflicted',
          gateway.uri,
          listener.port!.range,
          `${owner}: listeners \`${listenerName(same)}\` and \`${listenerName(listener)}\` have the same port ${port}, protocol ${protocol} and ${hostname ? `hostname \`${hostname}\`` : 'no hostname'}; the API server rejects the ${gateway.kind} (the combination must be unique)`,
        ),
        related: [at(gateway, same.range, `listener \`${listenerName(same)}\``)],
      });
      continue;
    }
    byTuple.set(tuple, listener);
    const family = protocolFamily(coreProtocol(protocol));
    if (!family) continue;
    const onPort = byPort.get(port) ?? [];
    const clash = onPort.find((other) => {
      const otherFamily = protocolFamily(coreProtocol(known(other.protocol)));
      if (!otherFamily || otherFamily === family) return false;
      if (family === 'UDP' || otherFamily === 'UDP') return false;
      return true;
    });
    if (clash) {
      findings.push({
        ...simpleFinding(
          'gateway-listener-conflicted',
          gateway.uri,
          listener.protocol!.range,
          `${owner}: ${describeListener(listener)} shares port ${port} with ${describeListener(clash)}, whose protocol is incompatible; the listeners are Conflicted (ProtocolConflict) and neither is accepted`,
        ),
        severityCap: 'warning',
        related: [at(gateway, clash.range, `listener \`${listenerName(clash)}\` on port ${port}`)],
      });
    }
    onPort.push(listener);
    byPort.set(port, onPort);
  }
  return findings;
}

// ── ReferenceGrant (§11) ───────────────────────────────────────────────────────────────────

interface RefTarget {
  readonly group: string;
  readonly kind: string;
  readonly namespace: string;
  readonly name: string;
}

/**
 * A cross-namespace reference no ReferenceGrant permits (any grant of the workspace in the target
 * namespace counts: alternatives never make a reference forbidden). The near misses explain what a
 * grant would need: grants in the target namespace that differ in one part, or a grant with the
 * right contents in another namespace (grants live in the target's namespace).
 */
function refNotPermitted(from: Resource, target: RefTarget, link: Link, q: Query, what: string): Finding | undefined {
  const fromGroup = groupOf(from);
  const question: GrantQuestion = { fromGroup, fromKind: from.kind, fromNamespace: from.namespace, toGroup: target.group, toKind: target.kind, toName: target.name };
  const grants = q.lookup(key.referenceGrantsIn(target.namespace)).filter((r): r is ReferenceGrant => r.type === 'referenceGrant');
  if (grants.some((g) => grantPermits(g, question))) return undefined;
  const related: RelatedLocation[] = [];
  for (const grant of grants) {
    const why = grantMiss(grant, question);
    if (why) related.push(at(grant, grant.anchor, `${describe(grant)} in \`${target.namespace}\` does not permit it: ${why}`));
  }
  // A grant with the right contents in the referrer's own namespace: grants live in the target's.
  if (from.namespace !== target.namespace) {
    for (const grant of q.lookup(key.referenceGrantsIn(from.namespace))) {
      if (grant.type === 'referenceGrant' && grantTargets(grant, question)) related.push(at(grant, grant.anchor, `${describe(grant)} is in namespace \`${from.namespace}\`, but a grant must be in the target's namespace \`${target.namespace}\``));
    }
  }
  const shown = related.slice(0, 3);
  // Evidence that the reference is meant to be permitted here: a grant that nearly matches, or the
  // target namespace's objects applied with the referrer (its grant would be applied with them).
  const unitReach = q.unitOf(from).startsWith('build:') || q.unitOf(from).startsWith('app:') ? REACH.unit : REACH.file;
  const targetNearby = q.lookup(key.object(target.kind, target.namespace, target.name)).some((t) => reachBetween(from, t, q) <= unitReach);
  const evidence = related.length > 0 || targetNearby;
  const hint = shown.length > 0 ? `; ${shown[0].message}` : targetNearby ? '' : ` (a grant may be applied with namespace \`${target.namespace}\`'s objects elsewhere)`;
  const fromText = `\`{group: ${fromGroup || '""'}, kind: ${from.kind}, namespace: ${from.namespace}}\``;
  const message = `${what} refers to ${target.kind} \`${target.name}\` in namespace \`${target.namespace}\`, but no ReferenceGrant in \`${target.namespace}\` permits references from ${fromText} (RefNotPermitted)${hint}`;
  return { ...finding('route-ref-not-permitted', link, message, { nearMisses: [], severityCap: evidence ? undefined : 'information' }), related: shown };
}

/** Whether a grant names this kind of referrer and this target (its own namespace and the from namespace aside). */
function grantTargets(grant: ReferenceGrant, q: GrantQuestion): boolean {
  const to = grant.to.some((t) => t.group === q.toGroup && t.kind === q.toKind && (t.name === undefined || t.name === '' || t.name === q.toName));
  const from = grant.from.some((f) => f.group === q.fromGroup && f.kind === q.fromKind);
  return to && from;
}

/** What a grant of the target namespace lacks for this reference, part by part (§11's seven near misses). */
function grantMiss(grant: ReferenceGrant, q: GrantQuestion): string | undefined {
  const toOk = grant.to.some((t) => t.group === q.toGroup && t.kind === q.toKind && (t.name === undefined || t.name === '' || t.name === q.toName));
  const fromOk = grant.from.some((f) => f.group === q.fromGroup && f.kind === q.fromKind && f.namespace === q.fromNamespace);
  const parts: string[] = [];
  if (!fromOk) {
    const closest = grant.from.find((f) => [f.group === q.fromGroup, f.kind === q.fromKind, f.namespace === q.fromNamespace].filter(Boolean).length >= 2);
    if (closest) {
      if (closest.group !== q.fromGroup) parts.push(`its from group is \`${closest.group || '""'}\`, not \`${q.fromGroup || '""'}\``);
      if (closest.kind !== q.fromKind) parts.push(`its from kind is \`${closest.kind}\`, not \`${q.fromKind}\``);
      if (closest.namespace !== q.fromNamespace) parts.push(`its from namespace is \`${closest.namespace}\`, not \`${q.fromNamespace}\``);
    } else if (grant.to.some((t) => t.kind === q.toKind)) parts.push(`it trusts ${grant.from.map((f) => `${f.kind} in \`${f.namespace}\``).join(', ') || 'nobody'}`);
  }
  if (!toOk) {
    const closest = grant.to.find((t) => [t.group === q.toGroup, t.kind === q.toKind, t.name === undefined || t.name === '' || t.name === q.toName].filter(Boolean).length >= 2);
    if (closest) {
      if (closest.group !== q.toGroup) parts.push(`its to group is \`${closest.group || '""'}\`, not \`${q.toGroup || '""'}\``);
      if (closest.kind !== q.toKind) parts.push(`its to kind is \`${closest.kind}\`, not \`${q.toKind}\``);
      if (closest.name && closest.name !== q.toName) parts.push(`it names \`${closest.name}\`, not \`${q.toName}\``);
    } else if (fromOk) parts.push(`it permits ${grant.to.map((t) => t.kind).join(', ')} only`);
  }
  return parts.length > 0 ? parts.join(', ') : undefined;
}

// ── routes ─────────────────────────────────────────────────────────────────────────────────

export function routeFindings(route: GatewayRoute, links: readonly Link[], q: Query): Finding[] {
  const apiProblems = routeProblems(route);
  const findings: Finding[] = apiFindings(apiProblems, route.uri);
  const parentLinks = links.filter((l) => l.kind === 'route-parent');
  const attachments: { ref: RouteParentRef; attachment: Attachment }[] = [];
  route.parentRefs.forEach((ref, i) => {
    const link = parentLinks[i];
    if (!link) return;
    const result = parentFindings(route, ref, link, q);
    findings.push(...result.findings);
    if (result.attachment) attachments.push({ ref, attachment: result.attachment });
  });
  findings.push(...backendFindings(route, links, q));
  if (apiProblems.length === 0) findings.push(...ruleWithoutBackendsFindings(route));
  findings.push(...shadowFindings(route, attachments, q));
  return findings;
}

/** Names that routes in other files name too, without anything defining them: shared infrastructure defined elsewhere (a test suite's base manifests). */
function sharedElsewhere(q: Query, from: Resource, referrers: string): boolean {
  return q.lookup(referrers).some((r) => r.uri !== from.uri);
}

function parentFindings(route: GatewayRoute, ref: RouteParentRef, link: Link, q: Query): { findings: Finding[]; attachment?: Attachment } {
  if (link.status === 'unknown') {
    // A parent of the gateway.networking.k8s.io group that is neither a Gateway nor a ListenerSet.
    if (ref.group === GATEWAY_GROUP && isValidKind(ref.kind) && !['Gateway', 'ListenerSet', 'XListenerSet'].includes(ref.kind) && ref.name && !ref.name.unknown) {
      const message = `${route.routeKind} \`${nameOf(route)}\`: parentRef kind \`${ref.kind}\` of group ${GATEWAY_GROUP} is not a parent kind (Gateway or ListenerSet), so no controller attaches the route there`;
      return { findings: [finding('route-invalid-kind', link, message)] };
    }
    return { findings: [] };
  }
  if (link.status === 'missing') return { findings: [missingParentFinding(route, ref, link, q)] };
  const parents = targetsOf(link, q);
  if (parents.length === 0) return { findings: [] };
  const attachment = attachRoute(route, ref, parents, q);
  const far = onlyFar(route, parents, q);
  const cap: Severity | undefined = far ? 'information' : undefined;
  const farNote = far ? ` (${describe(parents[0], route.namespace)} is defined in another folder and may not be the one applied with this route)` : '';
  const parentText = parents.length === 1 ? describe(parents[0], route.namespace) : `${describe(parents[0], route.namespace)} (${parents.length} definitions)`;
  const routeText = `${route.routeKind} \`${nameOf(route)}\``;
  switch (attachment.problem) {
    case 'NoMatchingParent': {
      const listeners = parents.flatMap((p) => p.listeners);
      const section = known(ref.sectionName);
      const port = known(ref.port);
      const selectorRange = attachment.selector === 'sectionName' ? ref.sectionName!.range : ref.port?.range ?? link.range;
      const names = [...new Set(listeners.map(listenerName))];
      const what = attachment.selector === 'sectionName' ? (port !== undefined ? `a listener named \`${section}\` on port ${port}` : `a listener named \`${section}\``) : `a listener on port ${port}`;
      const has = listeners.length === 0 ? 'it has no listeners' : `it has ${listeners.map((l) => describeListener(l)).slice(0, 4).join(', ')}${listeners.length > 4 ? ` and ${listeners.length - 4} more` : ''}`;
      const closest = attachment.selector === 'sectionName' && section !== undefined ? closestMatch(section, names) : undefined;
      const nearMisses: NearMiss[] = closest ? [{ resourceId: parents[0].id, uri: parents[0].uri, range: parents[0].listeners.find((l) => listenerName(l) === closest)!.range, description: `listener \`${closest}\``, fix: { range: selectorRange, newText: closest } }] : [];
      const listenerSetHint = parents[0].kind === 'Gateway' && attachment.selector === 'sectionName' && q.count(key.listenerSetsOf(parents[0].namespace, nameOf(parents[0]))) > 0 ? ' (listeners of a ListenerSet are reached with a parentRef to the ListenerSet, not to its Gateway)' : '';
      const suggestion = closest ? `; did you mean \`${closest}\`?` : '';
      const message = `${routeText} attaches to ${what} of ${parentText}, but ${has}, so it is attached nowhere there (NoMatchingParent)${suggestion}${listenerSetHint}${farNote}`;
      const base = { ...link, range: selectorRange };
      return {
        findings: [{ ...finding('route-no-matching-parent', base, message, { nearMisses, severityCap: cap }), related: [...nearMisses.map((m) => ({ uri: uriOf(m.range, m.uri), range: m.range, message: m.description })), at(parents[0], parents[0].anchor, `${describe(parents[0])}`)] }],
        attachment,
      };
    }
    case 'NotAllowedByListeners': {
      const reasons = attachment.relevant.map((l) => refusalText(route, l, q));
      const message = `${routeText} is not allowed by any listener of ${parentText} it selects: ${reasons.slice(0, 3).join('; ')}${reasons.length > 3 ? `; and ${reasons.length - 3} more` : ''} (NotAllowedByListeners)${farNote}`;
      return {
        findings: [{ ...finding('route-not-allowed-by-listeners', link, message, { nearMisses: [], severityCap: cap }), related: attachment.relevant.slice(0, 3).map((l) => at(l.parent, l.listener.allowedRoutes.range ?? l.listener.range, `${describeListener(l.listener)}: ${refusalShort(route, l)}`)) }],
        attachment,
      };
    }
    case 'NoMatchingListenerHostname': {
      const hostnames = route.hostnames.map((h) => known(h)).filter((h): h is string => h !== undefined);
      const listeners = attachment.relevant.filter((l) => l.refusal === 'hostname');
      const listenerHosts = listeners.map((l) => `\`${known(l.listener.hostname)}\` (${listenerName(l.listener)})`);
      const message = `${routeText}: none of its hostnames ${hostnames.map((h) => `\`${h}\``).join(', ')} matches a hostname of the listeners of ${parentText} it selects: ${namedList(listenerHosts, listenerHosts.length)} (NoMatchingListenerHostname)${farNote}`;
      const anchor = route.hostnames[0]?.range ?? link.range;
      return {
        findings: [{ ...finding('route-no-matching-listener-hostname', { ...link, range: anchor }, message, { nearMisses: [], severityCap: cap }), related: [at(route, link.range, 'the parentRef'), ...listeners.slice(0, 3).map((l) => at(l.parent, l.listener.hostname?.range ?? l.listener.range, `${describeListener(l.listener)}`))] }],
        attachment,
      };
    }
    default:
      return { findings: [], attachment };
  }
}

function missingParentFinding(route: GatewayRoute, ref: RouteParentRef, link: Link, q: Query): Finding {
  const gateways = q.lookup(key.anyGateway());
  const none = gateways.length === 0;
  const shared = sharedElsewhere(q, route, key.routesOfParent(ref.kind, ref.namespace, link.text));
  const mistake = !none && !shared && ownScopeDefines(q, route, gateways, link);
  const why = none
    ? ' (the workspace defines no Gateways: they are often managed in another repository, by a platform team)'
    : shared && !mistake
      ? ' (routes in other files name it too: it is probably defined elsewhere)'
      : mistake
        ? ''
        : ' (it may be defined elsewhere)';
  const kind = ref.kind === 'ListenerSet' ? 'ListenerSet' : 'Gateway';
  const message = `${route.routeKind} \`${nameOf(route)}\` attaches to ${kind} \`${link.text}\` in namespace \`${ref.namespace}\`, but there is no such ${kind}, so the route is attached nowhere there (NoMatchingParent)${didYouMean(link)}${why}`;
  return finding('route-no-matching-parent', link, message, { severityCap: mistake ? undefined : 'information' });
}

function allowedFromText(listener: Listener, parent: Gateway): string {
  const from = listener.allowedRoutes.from.value;
  if (from === 'Same') return `allowedRoutes from \`Same\`: only routes in namespace \`${parent.namespace}\``;
  if (from === 'Selector' && listener.allowedRoutes.selector) {
    const s = listener.allowedRoutes.selector;
    const parts = [formatLabels(s.matchLabels), ...s.expressions.map(formatExpression)].filter((x) => x);
    return `allowedRoutes from \`Selector\`: only namespaces labelled \`${parts.join(', ')}\``;
  }
  return `allowedRoutes from \`${from}\``;
}

function refusalShort(route: GatewayRoute, l: ListenerAttachment): string {
  switch (l.refusal) {
    case 'kind':
      return `accepts ${acceptedKinds(l.listener).join(', ') || 'no route kinds'}, not ${route.routeKind}`;
    case 'namespace':
      return allowedFromText(l.listener, l.parent);
    case 'hostname':
      return `hostname \`${known(l.listener.hostname)}\` matches none of the route's hostnames`;
    default:
      return 'accepts the route';
  }
}

function refusalText(route: GatewayRoute, l: ListenerAttachment, q: Query): string {
  const listener = describeListener(l.listener);
  if (l.refusal === 'namespace' && l.listener.allowedRoutes.from.value === 'Selector') {
    const labels = q
      .lookup(key.object('Namespace', '', route.namespace))[0]
      ?.labels?.entries.map((e) => `${e.key}=${e.value}`)
      .join(', ');
    return `${listener}: ${allowedFromText(l.listener, l.parent)}, and Namespace \`${route.namespace}\` has ${labels ? `labels \`${labels}\`` : 'no labels but its name'}`;
  }
  if (l.refusal === 'namespace') return `${listener}: ${allowedFromText(l.listener, l.parent)}, and the route is in \`${route.namespace}\``;
  return `${listener}: ${refusalShort(route, l)}`;
}

// ── backendRefs (§8, §11) ──────────────────────────────────────────────────────────────────

function backendFindings(route: GatewayRoute, links: readonly Link[], q: Query): Finding[] {
  const findings: Finding[] = [];
  const backendLinks = links.filter((l) => l.kind === 'route-backend');
  const portLinks = links.filter((l) => l.kind === 'route-backend-port');
  const routeText = `${route.routeKind} \`${nameOf(route)}\``;
  for (const rule of route.rules) {
    const refs: { ref: GatewayBackendRef; mirror: boolean }[] = [
      ...rule.backendRefs.map((ref) => ({ ref, mirror: false })),
      ...[...rule.filters, ...rule.backendRefs.flatMap((b) => b.filters)].filter((f) => f.mirror).map((f) => ({ ref: f.mirror!, mirror: true })),
    ];
    for (const { ref, mirror } of refs) {
      const name = ref.name;
      if (!name || name.unknown) continue;
      // What the CRD rejects (pattern of group and kind) is gateway-api-invalid's.
      if (!isValidKind(ref.kind) || !isValidGroup(ref.group)) continue;
      const link = backendLinks.find((l) => sameRange(l.range, name.range));
      const where = mirror ? 'mirrors to' : 'sends to';
      if (!isServiceRef(ref)) {
        if (ref.group === '' || ref.group === GATEWAY_GROUP) {
          const message = `${routeText} ${where} ${ref.group ? `${ref.group}/` : ''}${ref.kind} \`${name.value}\`, but ${ref.group ? `no kind of the ${ref.group} group is a backend` : 'backends of the core group can only be Services'} (InvalidKind): its share of the requests gets 500`;
          findings.push(simpleFinding('route-invalid-kind', route.uri, ref.kindRange ?? name.range, message));
        }
        continue;
      }
      const target = { group: '', kind: 'Service', namespace: ref.namespace, name: name.value };
      const linkOrSynthetic: Link = link ?? { kind: 'route-backend', sourceId: route.id, uri: uriOf(name.range, route.uri), range: name.range, status: 'unknown', targets: [], text: name.value };
      if (ref.namespace !== route.namespace) {
        const denied = refNotPermitted(route, target, linkOrSynthetic, q, `${routeText} (backendRef)`);
        if (denied) findings.push(denied);
      }
      if (!ref.port) {
        const services = link?.status === 'resolved' ? link.targets.map((t) => q.resource(t.resourceId)).filter((r): r is Service => r?.type === 'service') : [];
        const ports = services[0] ? portList(services[0]) : '';
        const message = `${routeText} ${where} Service \`${name.value}\` without a \`port\`; a backendRef to a Service must name one of its ports, so the API server rejects the ${route.routeKind} (Must have port for Service reference)${ports ? `; ${describe(services[0], route.namespace)} has ${ports}` : ''}`;
        findings.push({ ...simpleFinding('route-backend-port-missing', route.uri, name.range, message), related: services.slice(0, 1).map((s) => at(s, s.anchor, `${describe(s)}: ${ports || 'no ports'}`)) });
      }
      if (!link) continue;
      if (link.status === 'missing') findings.push(backendNotFound(route, ref, link, q, where));
      if (link.status === 'resolved' && ref.port && !ref.port.unknown) {
        const portLink = portLinks.find((l) => sameRange(l.range, ref.port!.range));
        if (portLink?.status === 'missing') {
          const service = q.resource(link.targets[0].resourceId);
          // ExternalName Services are implementation-specific backends (§8.1): their ports are not judged.
          if (service?.type === 'service' && service.serviceType.value !== 'ExternalName') findings.push(backendPortFinding(route, ref.port.value, service, portLink, q, where));
        }
      }
    }
  }
  return findings;
}

function portList(service: Service): string {
  const ports = service.ports.map((p) => (p.port && !p.port.unknown ? `${p.port.value}${p.name && !p.name.unknown ? ` (${p.name.value})` : ''}` : '')).filter((p) => p);
  return ports.length > 0 ? `port${ports.length > 1 ? 's' : ''} ${ports.join(', ')}` : '';
}

function backendNotFound(route: GatewayRoute, ref: GatewayBackendRef, link: Link, q: Query, where: string): Finding {
  const ns = ref.namespace;
  const services = q.lookup(key.servicesIn(ns));
  const shared = sharedElsewhere(q, route, key.routesToService(ns, link.text));
  const elsewhere =
    services.length === 0
      ? ` (the workspace defines no Services in namespace \`${ns}\`; it may be defined elsewhere)`
      : shared && !link.nearMisses?.some((m) => m.fix)
        ? ' (routes in other files send to it too: it is probably defined elsewhere, with shared test infrastructure or another app)'
        : elsewhereNote(q, route, 'Services');
  const mistake = nearbyCustomResources(q, route).length === 0 && ownScopeDefines(q, route, services, link) && !(shared && !link.nearMisses?.some((m) => m.fix));
  const message = `${route.routeKind} \`${nameOf(route)}\` ${where} Service \`${link.text}\`, but namespace \`${ns}\` has no Service of that name, so ${where === 'mirrors to' ? 'the mirrored copies go nowhere' : 'its share of the requests gets 500'} (BackendNotFound)${didYouMean(link)}${elsewhere}`;
  return finding('route-backend-not-found', link, message, { severityCap: mistake ? undefined : 'information' });
}

function backendPortFinding(route: GatewayRoute, port: number, service: Service, link: Link, q: Query, where: string): Finding {
  const ports = portList(service);
  const role = service.ports.find((p) => p.targetPort && !p.targetPort.unknown && p.targetPort.value === port && p.port && !p.port.unknown);
  const explanation = role ? `; ${port} is the targetPort of port ${(role.port as { value: number }).value} (a backendRef names the Service port)` : '';
  const far = reachBetween(route, service, q) >= REACH.workspace;
  const tentative = far ? ' (that Service is defined in another folder and may not be the one applied with this route)' : '';
  const fix = role ? [{ resourceId: service.id, uri: service.uri, range: role.range, description: `${describe(service)} port ${(role.port as { value: number }).value} targets ${port}`, fix: { range: link.range, newText: String((role.port as { value: number }).value) } }] : service.ports.length === 1 ? link.nearMisses ?? [] : [];
  const judged = withMisses({ ...link, nearMisses: undefined }, fix);
  const message = `${route.routeKind} \`${nameOf(route)}\` ${where} port ${port} of Service \`${nameOf(service)}\`, but the Service has no such port${ports ? `; it has ${ports}` : '; it declares no ports'}${explanation}${didYouMean(judged)}${tentative}`;
  return { ...finding('route-backend-port-missing', judged, message, { severityCap: far ? 'information' : undefined }), related: [at(service, service.anchor, `${describe(service)}: ${ports || 'no ports'}`), ...fix.map((m) => ({ uri: uriOf(m.range, m.uri), range: m.range, message: m.description }))] };
}

// ── a rule that answers 500 (§8.3) ─────────────────────────────────────────────────────────

/** Filters that answer a request by themselves (a redirect), or may (an implementation's own filter). */
function answersItself(filter: RouteFilter): boolean {
  const type = known(filter.type);
  return type === 'RequestRedirect' || type === 'ExtensionRef' || filter.fields.includes('requestRedirect') || filter.fields.includes('extensionRef') || filter.type?.unknown === true;
}

/**
 * An HTTPRoute or GRPCRoute rule with no backendRefs and no filter that answers by itself: every
 * request it matches gets 500 ([CT:httproute-omitted-backendrefs]). Routes whose parents are not
 * Gateways (a mesh's Service parents) are left alone.
 */
function ruleWithoutBackendsFindings(route: GatewayRoute): Finding[] {
  if (route.routeKind !== 'HTTPRoute' && route.routeKind !== 'GRPCRoute') return [];
  if (!route.parentRefs.some((ref) => ref.group === GATEWAY_GROUP && (ref.kind === 'Gateway' || ref.kind === 'ListenerSet'))) return [];
  const findings: Finding[] = [];
  const status = route.routeKind === 'GRPCRoute' ? 'an error (UNAVAILABLE)' : '500';
  if (route.rulesDefaulted) {
    findings.push(simpleFinding('route-rule-without-backends', route.uri, route.anchor, `${route.routeKind} \`${nameOf(route)}\` has no rules: the default rule matches every request (PathPrefix \`/\`) and has no backendRefs, so every request it gets answers ${status}`));
    return findings;
  }
  route.rules.forEach((rule, i) => {
    if (rule.backendRefs.length > 0 || rule.filters.some(answersItself)) return;
    const which = rule.name && !rule.name.unknown ? `rule \`${rule.name.value}\`` : `rule ${i + 1}`;
    findings.push(simpleFinding('route-rule-without-backends', route.uri, ruleAnchor(rule), `${route.routeKind} \`${nameOf(route)}\`: ${which} has no backendRefs and no RequestRedirect, so every request it matches answers ${status}`));
  });
  return findings;
}

function ruleAnchor(rule: RouteRule): Range {
  const r = rule.range;
  return r.start.line === r.end.line ? r : { start: r.start, end: { line: r.start.line, character: Number.MAX_SAFE_INTEGER } };
}

// ── shadowed matches (§6.4) ────────────────────────────────────────────────────────────────

/**
 * A match's identity for precedence: two matches with the same signature match exactly the same
 * requests and tie on every precedence criterion (Exact, prefix length, method, number of
 * headers, number of query parameters), so only the route's age, then namespace/name, and within a
 * route the rule order, decide. A PathPrefix's trailing `/` is ignored (it matches the same
 * requests); header names are case-insensitive and only the first entry per name counts.
 */
function matchSignature(match: RouteMatch, grpc: boolean): string | undefined {
  if (match.path.value.unknown || match.method?.unknown) return undefined;
  const parts: string[] = [];
  if (grpc) {
    const g = match.grpc;
    if (g && (g.service?.unknown || g.method?.unknown)) return undefined;
    parts.push(g ? `grpc:${g.type}:${known(g.service) ?? ''}/${known(g.method) ?? ''}` : 'grpc:*');
  } else {
    const value = match.path.type === 'PathPrefix' ? match.path.value.value.replace(/\/+$/, '') || '/' : match.path.value.value;
    parts.push(`path:${match.path.type}:${value}`, `method:${known(match.method) ?? ''}`);
  }
  const headers = new Map<string, string>();
  for (const h of match.headers) {
    if (!h.name || h.name.unknown || h.value?.unknown) return undefined;
    const name = h.name.value.toLowerCase();
    if (!headers.has(name)) headers.set(name, `${h.type}:${known(h.value) ?? ''}`);
  }
  parts.push(`headers:${[...headers].map(([k, v]) => `${k}=${v}`).sort().join('&')}`);
  if (!grpc) {
    const params = new Map<string, string>();
    for (const p of match.queryParams) {
      if (!p.name || p.name.unknown || p.value?.unknown) return undefined;
      if (!params.has(p.name.value)) params.set(p.name.value, `${p.type}:${known(p.value) ?? ''}`);
    }
    parts.push(`query:${[...params].map(([k, v]) => `${k}=${v}`).sort().join('&')}`);
  }
  return parts.join('\u0000');
}

/** The matches of a rule, with their signatures (a GRPCRoute rule without matches matches every call). */
function ruleMatches(route: GatewayRoute, rule: RouteRule): { match?: RouteMatch; signature: string; range: Range }[] {
  const grpc = route.routeKind === 'GRPCRoute';
  if (grpc && rule.matches.length === 0) return [{ signature: 'grpc:*\u0000headers:', range: ruleAnchor(rule) }];
  const out: { match?: RouteMatch; signature: string; range: Range }[] = [];
  for (const match of rule.matches) {
    const signature = matchSignature(match, grpc);
    if (signature !== undefined) out.push({ match, signature, range: rule.matchesDefaulted ? ruleAnchor(rule) : matchAnchor(match) });
  }
  return out;
}

function matchAnchor(match: RouteMatch): Range {
  const r = match.path.range ?? match.range;
  return r.start.line === r.end.line ? r : { start: r.start, end: { line: r.start.line, character: Number.MAX_SAFE_INTEGER } };
}

function describeMatch(route: GatewayRoute, match: RouteMatch | undefined): string {
  if (!match) return 'the catch-all match';
  if (route.routeKind === 'GRPCRoute') {
    const g = match.grpc;
    return g ? `method match \`${known(g.service) ?? '*'}/${known(g.method) ?? '*'}\`` : 'the catch-all match';
  }
  const extras = [known(match.method), ...match.headers.map((h) => `header ${known(h.name)}`), ...match.queryParams.map((p) => `query ${known(p.name)}`)].filter((x) => x);
  return `match \`${match.path.type} ${match.path.value.unknown ? '?' : match.path.value.value}\`${extras.length > 0 ? ` (with ${extras.join(', ')})` : ''}${match.path.defaulted ? ' (the default)' : ''}`;
}

/** The sorted hostnames of a route: two routes tie on hostname precedence for every request iff these are equal. */
function hostnameContext(route: GatewayRoute): string | undefined {
  if (route.hostnames.some((h) => h.unknown)) return undefined;
  return [...new Set(route.hostnames.map((h) => (h.unknown ? '' : h.value.toLowerCase())))].sort().join(',');
}

interface ShadowEntry {
  readonly route: GatewayRoute;
  readonly ref: RouteParentRef;
  readonly ruleIndex: number;
  readonly range: Range;
}

interface ShadowSummary {
  /** Signature (route kind, hostnames, match) → the routes defining it, grouped by what decides their attachment. */
  readonly bySignature: Map<string, Map<string, ShadowEntry[]>>;
}

/** Built once per change of a `routesOfParentIn` key: every match of every route naming the parent. */
function shadowSummary(parentKind: string, parentNamespace: string, parentName: string): (providers: readonly Resource[]) => ShadowSummary {
  return (providers) => {
    const bySignature = new Map<string, Map<string, ShadowEntry[]>>();
    for (const r of providers) {
      if (r.type !== 'route' || r.opaqueIdentity) continue;
      const hosts = hostnameContext(r);
      if (hosts === undefined) continue;
      for (const ref of r.parentRefs) {
        if (ref.kind !== parentKind || ref.namespace !== parentNamespace || known(ref.name) !== parentName || ref.sectionName?.unknown || ref.port?.unknown) continue;
        // What decides on which listeners the route is accepted, besides the listener itself.
        const attach = [r.namespace, known(ref.sectionName) ?? '', known(ref.port) ?? ''].join('\u0000');
        r.rules.forEach((rule, ruleIndex) => {
          for (const m of ruleMatches(r, rule)) {
            const signature = [r.routeKind, hosts, m.signature].join('\u0001');
            let groups = bySignature.get(signature);
            if (!groups) bySignature.set(signature, (groups = new Map()));
            const list = groups.get(attach) ?? [];
            // The first few of each group are enough to name them (a message names three).
            if (list.length < 8) list.push({ route: r, ref, ruleIndex, range: m.range });
            groups.set(attach, list);
          }
        });
      }
    }
    return { bySignature };
  };
}

function shadowFindings(route: GatewayRoute, attachments: readonly { ref: RouteParentRef; attachment: Attachment }[], q: Query): Finding[] {
  if (route.routeKind !== 'HTTPRoute' && route.routeKind !== 'GRPCRoute') return [];
  const findings: Finding[] = [];
  const reported = new Set<string>();
  const routeText = `${route.routeKind} \`${nameOf(route)}\``;
  // Within the route: an earlier rule with the same match always wins (first rule in list order).
  const firstRule = new Map<string, { ruleIndex: number; range: Range }>();
  route.rules.forEach((rule, ruleIndex) => {
    const inRule = new Set<string>();
    for (const m of ruleMatches(route, rule)) {
      if (inRule.has(m.signature)) continue;
      inRule.add(m.signature);
      const earlier = firstRule.get(m.signature);
      if (!earlier) {
        firstRule.set(m.signature, { ruleIndex, range: m.range });
        continue;
      }
      reported.add(`${ruleIndex}\u0000${m.signature}`);
      const message = `${routeText}: the ${describeMatch(route, m.match)} of rule ${ruleIndex + 1} never wins: rule ${earlier.ruleIndex + 1} of the same route has the same match, and the first rule in list order takes precedence`;
      findings.push({ ...simpleFinding('route-match-shadowed', route.uri, m.range, message), related: [at(route, earlier.range, `the same match in rule ${earlier.ruleIndex + 1}`)] });
    }
  });
  // Across routes applied together on the same listener, with the same hostnames.
  const hosts = hostnameContext(route);
  if (hosts === undefined) return findings;
  const scope = conflictScope(q.unitOf(route), route.uri);
  for (const { ref, attachment } of attachments) {
    if (attachment.accepted.length === 0) continue;
    const parentName = known(ref.name);
    if (parentName === undefined) continue;
    const k = key.routesOfParentIn(scope, ref.kind, ref.namespace, parentName);
    if (q.count(k) < 2) continue;
    const summary = q.summary(k, `shadow:${ref.kind}:${ref.namespace}:${parentName}`, shadowSummary(ref.kind, ref.namespace, parentName));
    route.rules.forEach((rule, ruleIndex) => {
      for (const m of ruleMatches(route, rule)) {
        const id = `${ruleIndex}\u0000${m.signature}`;
        if (reported.has(id)) continue;
        const groups = summary.bySignature.get([route.routeKind, hosts, m.signature].join('\u0001'));
        if (!groups) continue;
        const rivals = competitors(route, attachment, groups, q);
        if (rivals.length === 0) continue;
        reported.add(id);
        const first = rivals[0];
        const listener = first.listener;
        const names = namedList(rivals.map((r) => describe(r.entry.route, route.namespace)), rivals.length);
        const order = precedenceNote(route, rivals.map((r) => r.entry.route));
        const host = hosts ? ` for ${hosts.split(',').map((h) => `\`${h}\``).join(', ')}` : '';
        const message = `${routeText}: its ${describeMatch(route, m.match)} is also defined by ${names} on ${describeListener(listener)} of ${describe(first.parent, route.namespace)}${host}; the matches tie on every precedence criterion, so only one of them ever serves these requests: ${order}`;
        findings.push({ ...simpleFinding('route-match-shadowed', route.uri, m.range, message), related: rivals.slice(0, 3).map((r) => at(r.entry.route, r.entry.range, `the same match in ${describe(r.entry.route)}`)) });
      }
    });
  }
  return findings;
}

/** Other routes whose identical match competes on a listener that accepts this route too. */
function competitors(route: GatewayRoute, attachment: Attachment, groups: Map<string, ShadowEntry[]>, q: Query): { entry: ShadowEntry; listener: Listener; parent: Gateway }[] {
  const out: { entry: ShadowEntry; listener: Listener; parent: Gateway }[] = [];
  const seen = new Set<string>();
  let examined = 0;
  for (const entries of groups.values()) {
    // A bound on the work per match: groups differ by namespace, sectionName and port only.
    if (++examined > 16) break;
    const rival = entries.find((e) => !sameObject(e.route, route) && !seen.has(identity(e.route)));
    if (!rival) continue;
    const theirs = attachRoute(rival.route, rival.ref, attachment.parents, q).accepted;
    const shared = attachment.accepted.find((mine) => theirs.some((t) => t.listener === mine.listener));
    if (!shared) continue;
    for (const e of entries) {
      if (sameObject(e.route, route) || seen.has(identity(e.route))) continue;
      seen.add(identity(e.route));
      out.push({ entry: e, listener: shared.listener, parent: shared.parent });
    }
  }
  return out;
}

function identity(r: Resource): string {
  return `${r.kind}\u0000${r.namespace}\u0000${r.name?.value ?? ''}`;
}

/** Who wins among routes whose matches tie: the oldest creationTimestamp, then `namespace/name` (§6.4). */
function precedenceNote(route: GatewayRoute, others: readonly GatewayRoute[]): string {
  const all = [route, ...others];
  if (all.every((r) => r.creationTimestamp)) {
    const winner = [...all].sort((a, b) => (a.creationTimestamp! < b.creationTimestamp! ? -1 : a.creationTimestamp! > b.creationTimestamp! ? 1 : `${a.namespace}/${nameOf(a)}`.localeCompare(`${b.namespace}/${nameOf(b)}`)))[0];
    return winner === route ? 'this route, the oldest (creationTimestamp)' : `${describe(winner, route.namespace)}, the oldest (creationTimestamp); this match never wins`;
  }
  const byName = [...all].sort((a, b) => `${a.namespace}/${nameOf(a)}`.localeCompare(`${b.namespace}/${nameOf(b)}`))[0];
  return `the oldest route (creationTimestamp, which the manifests do not carry), then the first by namespace/name (${describe(byName, route.namespace)})`;
}

