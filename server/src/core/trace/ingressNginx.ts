/**
 * ingress-nginx: the nginx server block the controller writes for the host
 * (semantics/nginxLocations.ts: locations, regex mode, duplicates, the root location), nginx's
 * choice of location for the normalised URI, the annotations that answer before proxying
 * (semantics/nginxAnnotations.ts: redirects, canary), and what the backend receives.
 */
import type { Ingress } from '../model';
import { code, nameOf } from '../links/describe';
import { annotationMap } from '../links/ingressController';
import { buildServerLocations, normalizeRequestPath, runRegex, selectLocation, upstreamUri } from '../semantics/nginxLocations';
import type { NginxIngressInfo, NginxLocation, NginxPathInput, ServerLocations } from '../semantics/nginxLocations';
import { backendProtocol, canaryDecision, certificateConfiguredFor, controllerRedirect, ingressAnnotationStatus, upstreamHost } from '../semantics/nginxAnnotations';
import type { IngressTlsView, NginxRequest } from '../semantics/nginxAnnotations';
import { nodeId } from '../graph/ids';
import type { HostRules, PathRef, RoutePick, RouterContext, Split } from './hostRules';
import { closestPath, defaultStep, noPathReason, pathStep } from './routers';

function ingressKey(ingress: Ingress): string {
  return `${ingress.namespace}/${nameOf(ingress)}`;
}

function info(ingress: Ingress): NginxIngressInfo {
  const target = ingress.rewriteTarget;
  return {
    namespace: ingress.namespace,
    name: nameOf(ingress),
    creationTimestamp: ingress.creationTimestamp,
    useRegex: ingress.useRegex,
    rewriteTarget: target ? (target.unknown ? { templated: true } : { value: target.value }) : undefined,
    hasDefaultBackend: ingress.defaultBackend?.service !== undefined,
    canary: ingress.canary,
  };
}

/** The raw request target (path and query as sent). */
function rawTarget(ctx: RouterContext): string {
  const query = ctx.request.query;
  return query === undefined ? ctx.request.path : `${ctx.request.path}?${query}`;
}

function cookies(ctx: RouterContext): Record<string, string> {
  const out: Record<string, string> = {};
  for (const part of (ctx.headers.cookie ?? '').split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0) out[part.slice(0, eq).trim()] = part.slice(eq + 1).trim();
  }
  return out;
}

/** What certificate.lua sees: the non-canary Ingresses of the class, their rule hosts and TLS entries. */
export function tlsViews(ingresses: readonly Ingress[]): IngressTlsView[] {
  return ingresses.map((i) => ({ ruleHosts: i.rules.map((r) => (r.host && !r.host.unknown ? r.host.value : '')), tlsEntries: i.tlsEntries, annotations: annotationMap(i.annotations), canary: i.canary }));
}

/**
 * Ingresses whose annotations fail validation are left out by the controller entirely
 * (nginxAnnotations.ts `ingressAnnotationStatus`): their paths do not exist.
 */
function withoutRejected(ctx: RouterContext, rules: HostRules): HostRules {
  const rejected = new Set(rules.ingresses.filter((i) => ingressAnnotationStatus(annotationMap(i.annotations)).rejected));
  for (const ingress of rejected) {
    const problems = ingressAnnotationStatus(annotationMap(ingress.annotations)).problems.filter((p) => p.effect === 'ingress-rejected').map((p) => `${p.annotation}: ${p.why}`).join('; ');
    ctx.step('note', `ingress-nginx ignores Ingress ${code(nameOf(ingress))}: an annotation fails its validation (${problems}).`, { uri: ingress.uri, range: ingress.anchor });
  }
  if (rejected.size === 0) return rules;
  return { ...rules, ingresses: rules.ingresses.filter((i) => !rejected.has(i)), paths: rules.paths.filter((p) => !rejected.has(p.ingress)) };
}

export function routeIngressNginx(ctx: RouterContext, allRules: HostRules, tls: readonly IngressTlsView[]): RoutePick {
  const rules = withoutRejected(ctx, allRules);
  const inputs: NginxPathInput[] = rules.paths.map((ref, id) => ({
    id,
    host: rules.host,
    path: ref.value,
    pathType: ref.pathType,
    ingress: info(ref.ingress),
    resourceBackend: ref.path.backend?.isResource === true,
  }));
  const server = buildServerLocations(inputs, { host: rules.host, hostIngresses: rules.ingresses.map(info), ruleLessDefaultBackends: rules.ruleless.map(info) });
  serverNotes(ctx, rules, server);
  const normalized = normalizeRequestPath(rawTarget(ctx));
  if (normalized.error) return { kind: 'answer', status: 400, reason: `nginx refuses the request target (${normalized.error}): 400 Bad Request` };
  if (normalized.changed) ctx.step('note', `nginx matches locations against the normalised path ${code(normalized.path)} (percent-escapes decoded, \`.\` and \`..\` resolved, \`//\` merged), not ${code(ctx.request.path)}.`);
  const choice = selectLocation(server, normalized.path);
  if (choice.unevaluated.length > 0) {
    ctx.step('note', `${choice.unevaluated.map((l) => code(l.ingressPath)).join(', ')} ${choice.unevaluated.length === 1 ? 'is not a regular expression' : 'are not regular expressions'} this tracer can evaluate (JavaScript syntax), so ${choice.unevaluated.length === 1 ? 'it is' : 'they are'} skipped; nginx's PCRE may still accept ${choice.unevaluated.length === 1 ? 'it' : 'them'}.`);
  }
  const request: NginxRequest = {
    scheme: ctx.request.scheme === 'https' ? 'https' : 'http',
    host: ctx.request.host ?? '',
    path: normalized.path,
    rawTarget: rawTarget(ctx),
    headers: ctx.headers,
    cookies: cookies(ctx),
  };
  const hostHasTls = certificateConfiguredFor(request.host, tls);
  switch (choice.kind) {
    case 'path': {
      const ref = rules.paths[choice.sourceId];
      if (choice.orderDependent) ctx.step('note', 'Which Ingress serves this depends on the order the controller sorts them in (creationTimestamp, which the manifests do not carry).');
      return pathChoice(ctx, rules, server, ref, choice.location, request, hostHasTls);
    }
    case 'redirect':
      ctx.step('path', `nginx answers ${code(normalized.path)} with a 301 to ${code(`${choice.to}`)}: the location ${code(choice.to)} exists and \`${normalized.path}\` is its name without the trailing slash.`);
      return { kind: 'redirect', status: 301, location: choice.to };
    case 'controller-internal':
      return { kind: 'answer', status: 200, reason: `the controller answers ${code(normalized.path)} itself (${choice.location.directive})` };
    default:
      return defaultChoice(ctx, rules, choice.defaultBackendOf, normalized.path, request, hostHasTls, server.mode === 'regex');
  }
}

function serverNotes(ctx: RouterContext, rules: HostRules, server: ServerLocations): void {
  const cause = server.regexCause;
  if (cause) {
    const ingress = rules.ingresses.find((i) => ingressKey(i) === cause.ingress);
    const why = cause.why === 'use-regex' ? code('use-regex: "true"') : code('rewrite-target');
    const location = ingress ? { uri: ingress.uri, range: cause.why === 'rewrite-target' && ingress.rewriteTarget ? ingress.rewriteTarget.range : ingress.anchor } : undefined;
    ctx.step('note', `Regex mode for host ${code(rules.host || '*')}: ${why} on Ingress ${code(ingress ? nameOf(ingress) : cause.ingress)} makes every path of the host a case-insensitive regex anchored at the start only, tried longest first.`, location);
  }
  for (const shadowed of server.shadowed) {
    const lost = rules.paths[shadowed.id];
    const kept = shadowed.keptId !== undefined ? rules.paths[shadowed.keptId] : undefined;
    const by = shadowed.decidedBy === 'creationTimestamp' ? 'the oldest (creationTimestamp)' : shadowed.decidedBy === 'unknown' ? 'the oldest, which the manifests cannot tell (no creationTimestamp)' : 'by namespace and name';
    const keeper = kept ? `Ingress ${code(nameOf(kept.ingress))}` : shadowed.keptByDefaultBackendOf ? `the default backend of ${code(shadowed.keptByDefaultBackendOf)}` : 'another Ingress';
    ctx.step('note', `Ingress ${code(nameOf(lost.ingress))} also defines ${code(lost.value || '/')} (${lost.pathType}) for this host: ingress-nginx keeps ${keeper}, ${by}, and ignores it.`, { uri: lost.ingress.uri, range: lost.path.path?.range ?? lost.path.range });
  }
  for (const duplicate of server.duplicates.filter((d) => d.fatal)) {
    ctx.step('note', `Two paths of this host become the same nginx location ${code(duplicate.directive)}: nginx refuses such a configuration (the admission webhook denies the later Ingress).`);
  }
}

function pathChoice(ctx: RouterContext, rules: HostRules, server: ServerLocations, ref: PathRef, location: NginxLocation, request: NginxRequest, hostHasTls: boolean): RoutePick {
  const shown = ref.value || '/';
  const how =
    server.mode === 'regex'
      ? `as the case-insensitive regex ${code(`^${location.path}`)}${ref.pathType === 'Exact' ? ' (Exact is not exact in regex mode)' : ''}, the first match with longer paths tried first`
      : location.modifier === '='
        ? `exactly (${code(location.directive)})`
        : `as the nginx prefix location ${code(location.directive)}${ref.pathType !== 'Exact' ? ', the longest matching prefix' : ''}`;
  pathStep(ctx, ref, how);
  if (ref.pathType === 'ImplementationSpecific' && server.mode === 'normal') ctx.step('note', `ingress-nginx treats ImplementationSpecific as Prefix: ${code(shown)} matches ${code(shown)} and what is under it element by element.`);
  const annotations = annotationMap(ref.ingress.annotations);
  const redirect = controllerRedirect(annotations, request, hostHasTls, { hostAnnotations: rules.ingresses.map((i) => annotationMap(i.annotations)), locationPath: ref.value });
  if (redirect) {
    ctx.step('note', `${redirect.why}`, { uri: ref.ingress.uri, range: ref.ingress.anchor });
    return { kind: 'redirect', status: redirect.status, location: redirect.location, ingress: ref.ingress, ref };
  }
  const upstream = upstreamUri(location, request.rawTarget);
  const route = nodeId.route(ref.ingress.id, ref.ruleIndex, ref.pathIndex);
  const where = ref.ingress.rewriteTarget ? { uri: ref.ingress.uri, range: ref.ingress.rewriteTarget.range } : { uri: ref.ingress.uri, range: ref.path.path?.range ?? ref.path.range };
  let upstreamPath: string | undefined;
  switch (upstream.kind) {
    case 'bad-request':
      return { kind: 'answer', status: 400, reason: `nginx refuses the request (${upstream.error})`, ref };
    case 'redirect':
      ctx.step('rewrite', `The ${code('rewrite-target')} of Ingress ${code(nameOf(ref.ingress))} is a URL: nginx answers 302 to it.`, where, route);
      return { kind: 'redirect', status: upstream.status, location: upstream.location, ingress: ref.ingress, ref };
    case 'unknown':
      ctx.step('rewrite', upstream.why === 'templated-rewrite-target' ? `The ${code('rewrite-target')} of Ingress ${code(nameOf(ref.ingress))} is templated: the path the backend receives cannot be known.` : `The ${code('rewrite-target')} of Ingress ${code(nameOf(ref.ingress))} uses an nginx variable: the path the backend receives depends on the request.`, where, route);
      break;
    default:
      upstreamPath = upstream.uri;
      ctx.step(
        'rewrite',
        upstream.rewritten
          ? `${code(`rewrite-target: ${rewriteValue(location)}`)} of Ingress ${code(nameOf(ref.ingress))} rewrites ${code(request.rawTarget)} to ${code(upstream.uri)}${captures(location, request.path)}${rewriteValue(location).endsWith('?') && ctx.request.query ? '; the target ends with `?`, so the query string is dropped' : ''}.`
          : `${ref.ingress.rewriteTarget ? `The ${code('rewrite-target')} does not apply to this location` : `No ${code('rewrite-target')}`}: the backend receives the request target unchanged, ${code(upstream.uri)}.`,
        where,
        route,
      );
  }
  const vhost = upstreamHost(annotations, request);
  if (vhost.changed) ctx.step('note', `${code('upstream-vhost')} sets the Host header the backend receives to ${code(vhost.host)}.`, { uri: ref.ingress.uri, range: ref.ingress.anchor });
  if (annotations['nginx.ingress.kubernetes.io/backend-protocol'] !== undefined) {
    const protocol = backendProtocol(annotations, request);
    ctx.step('note', `${code('backend-protocol')}: the controller talks to the backend with ${protocol.explanation} (${code(protocol.directive.trim())}).`, { uri: ref.ingress.uri, range: ref.ingress.anchor });
  }
  return { kind: 'path', ref, upstreamPath, upstreamHost: vhost.changed ? vhost.host : undefined, splits: canarySplits(ctx, rules, ref, request) };
}

function rewriteValue(location: NginxLocation): string {
  const target = location.rewrite?.target;
  return target && 'value' in target ? target.value : '';
}

/** ` ($1 = `/`, $2 = `index.html`)` when the target uses capture groups. */
function captures(location: NginxLocation, path: string): string {
  const rewrite = location.rewrite;
  if (!rewrite || !/\$\d/.test(rewriteValue(location))) return '';
  const match = runRegex(`(?i)${rewrite.pattern}`, path);
  if (match.kind !== 'match' || match.groups.length === 0) return '';
  return ` (${match.groups.map((g, i) => `$${i + 1} = ${g === '' ? 'empty' : code(g)}`).join(', ')})`;
}

/** Canary Ingresses of the same host and path take part of the traffic (balancer.lua). */
function canarySplits(ctx: RouterContext, rules: HostRules, ref: PathRef, request: NginxRequest): Split[] | undefined {
  const canaries = rules.canaries.flatMap((ingress) =>
    ingress.rules.flatMap((rule) => ((rule.host?.unknown ? '' : rule.host?.value ?? '') === rules.host ? rule.paths : []).filter((p) => !p.path?.unknown && (p.path?.value ?? '') === ref.value && p.backend).map((p) => ({ ingress, backend: p.backend! }))),
  );
  if (canaries.length === 0 || !ref.path.backend) return undefined;
  const decision = canaryDecision(
    annotationMap(ref.ingress.annotations),
    canaries.map((c) => ({ id: c.ingress.id, annotations: annotationMap(c.ingress.annotations) })),
    request,
  );
  ctx.step('note', decision.explanation, { uri: canaries[0].ingress.uri, range: canaries[0].ingress.anchor });
  const weightOf = (id: string) => decision.weights.find((w) => w.id === id)?.weight ?? 0;
  // When the weight draws at random, the main backend is followed; both are listed with their share.
  const receiver = decision.receiver ?? 'main';
  return [
    { ingress: ref.ingress, backend: ref.path.backend, weight: weightOf('main'), receives: receiver === 'main' },
    ...canaries.map((c) => ({ ingress: c.ingress, backend: c.backend, weight: weightOf(c.ingress.id), receives: receiver === c.ingress.id })),
  ];
}

function defaultChoice(ctx: RouterContext, rules: HostRules, owner: string | undefined, path: string, request: NginxRequest, hostHasTls: boolean, regexMode: boolean): RoutePick {
  const why = `No path of ${rules.host ? `host ${code(rules.host)}` : 'the rules without host'} matches ${code(path)}`;
  const ingress = owner ? [...rules.ingresses, ...rules.ruleless].find((i) => ingressKey(i) === owner) : undefined;
  if (ingress?.defaultBackend) {
    const redirect = controllerRedirect(annotationMap(ingress.annotations), request, hostHasTls, { hostAnnotations: rules.ingresses.map((i) => annotationMap(i.annotations)) });
    if (redirect) return { kind: 'redirect', status: redirect.status, location: redirect.location, ingress };
    defaultStep(ctx, ingress, why);
    return { kind: 'default', ingress, upstreamPath: request.rawTarget };
  }
  return { kind: 'answer', status: 404, reason: noPathReason(rules, path, "the controller's default backend answers 404", regexMode), ...closestPath(rules.paths, path, regexMode) };
}
