/**
 * ingress-nginx: the nginx server block the controller writes for the host
 * (semantics/nginxLocations.ts: locations, regex mode, duplicates, the root location), nginx's
 * choice of location for the normalised URI, the annotations that answer before proxying
 * (semantics/nginxAnnotations.ts: redirects, canary), and what the backend receives.
 */
import type { Ingress, IngressBackend } from '../model';
import { code, nameOf } from '../links/describe';
import { annotationMap } from '../links/ingressController';
import { buildServerLocations, normalizeRequestPath, runRegex, selectLocation, upstreamUri } from '../semantics/nginxLocations';
import type { NginxIngressInfo, NginxLocation, NginxPathInput, ServerLocations } from '../semantics/nginxLocations';
import { backendProtocol, canaryDecision, canaryMergeable, certificateConfiguredFor, controllerRedirect, ingressAnnotationStatus, parseRewriteAnnotations, upstreamHost } from '../semantics/nginxAnnotations';
import type { IngressTlsView, NginxRequest } from '../semantics/nginxAnnotations';
import { nodeId } from '../graph/ids';
import type { HostRules, PathRef, RoutePick, RouterContext, Split } from './hostRules';
import { closestPath, defaultStep, noPathReason, pathStep } from './routers';

function ingressKey(ingress: Ingress): string {
  return `${ingress.namespace}/${nameOf(ingress)}`;
}

function info(ingress: Ingress): NginxIngressInfo {
  const target = ingress.rewriteTarget;
  // As rewrite/main.go reads them: use-regex is a Go boolean ("True" and "1" count), and a
  // rewrite-target that fails its validator is dropped (no rewrite, no regex mode).
  const rewrite = parseRewriteAnnotations(annotationMap(ingress.annotations));
  return {
    namespace: ingress.namespace,
    name: nameOf(ingress),
    creationTimestamp: ingress.creationTimestamp,
    useRegex: rewrite.useRegex,
    rewriteTarget: target ? (target.unknown ? { templated: true } : rewrite.rewriteTarget ? { value: rewrite.rewriteTarget } : undefined) : undefined,
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
    ctx.step('note', `${choice.unevaluated.map((l) => code(l.ingressPath)).join(', ')} ${choice.unevaluated.length === 1 ? 'is not a regular expression' : 'are not regular expressions'} this tracer can evaluate (invalid, or using lookaround or backreferences, which its linear-time engine leaves out), so ${choice.unevaluated.length === 1 ? 'it is' : 'they are'} skipped; nginx's PCRE may still accept ${choice.unevaluated.length === 1 ? 'it' : 'them'}.`);
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
  for (const ingress of rules.ingresses) {
    const dropped = parseRewriteAnnotations(annotationMap(ingress.annotations)).problems.find((p) => p.annotation === 'nginx.ingress.kubernetes.io/rewrite-target');
    if (dropped) ctx.step('note', `ingress-nginx ignores the ${code('rewrite-target')} ${code(dropped.value)} of Ingress ${code(nameOf(ingress))}: it ${dropped.why}.`, { uri: ingress.uri, range: ingress.rewriteTarget?.range ?? ingress.anchor });
  }
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
  snippetNote(ctx, ref.ingress, annotations);
  return { kind: 'path', ref, upstreamPath, upstreamHost: vhost.changed ? vhost.host : undefined, splits: canarySplits(ctx, rules, ref, request) };
}

/**
 * Snippet annotations are off by default since ingress-nginx v1.9 (`allow-snippet-annotations:
 * "false"`): the admission webhook denies such an Ingress, and a controller without the webhook
 * drops the snippets (store.go `dropSnippetDirectives`). Whether the controller's ConfigMap allows
 * them is not in the Ingress, so the trace goes on, without the snippet, and says so.
 */
function snippetNote(ctx: RouterContext, ingress: Ingress, annotations: Readonly<Record<string, string>>): void {
  const snippets = Object.keys(annotations).filter((k) => k.startsWith('nginx.ingress.kubernetes.io/') && k.endsWith('-snippet'));
  if (snippets.length === 0) return;
  const names = snippets.map((k) => code(k.slice('nginx.ingress.kubernetes.io/'.length))).join(', ');
  ctx.step(
    'note',
    `Ingress ${code(nameOf(ingress))} uses ${names}: ingress-nginx v1.9 and later disable snippet annotations unless the controller's ConfigMap sets ${code('allow-snippet-annotations: "true"')} (v1.12 and later also ${code('annotations-risk-level: Critical')}); otherwise the admission webhook denies this Ingress, or the controller ignores the snippet. Traced without what the snippet would do.`,
    { uri: ingress.uri, range: ingress.anchor },
  );
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

/** controller.go `upstreamName`: namespace-service-port, the identity mergeAlternativeBackends compares. */
function upstreamOf(ingress: Ingress, backend: IngressBackend | undefined): string {
  const service = backend?.service;
  // A templated name is its own identity (it merges with nothing it cannot be shown to equal).
  if (!service || service.name.unknown) return `${ingress.id}#${JSON.stringify(backend?.range)}`;
  const port = service.port === undefined ? '' : service.port.unknown ? '?' : String(service.port.value);
  return `${ingress.namespace}-${service.name.value}-${port}`;
}

/**
 * Canary Ingresses take part of the traffic (balancer.lua) when mergeAlternativeBackends joins
 * them to this location: same host, same path string and pathType (after SetDefaultNGINXPathType),
 * and a backend that is no location's primary backend on the host (`canaryMergeable`).
 */
function canarySplits(ctx: RouterContext, rules: HostRules, ref: PathRef, request: NginxRequest): Split[] | undefined {
  const nginxPathType = (type: string) => (type === 'Exact' ? 'Exact' : 'Prefix');
  const main = { host: rules.host, path: ref.value, pathType: nginxPathType(ref.pathType), backend: upstreamOf(ref.ingress, ref.path.backend) };
  const primaries = new Set(rules.paths.map((p) => upstreamOf(p.ingress, p.path.backend)));
  const canaries = rules.canaries.flatMap((ingress) =>
    ingress.rules.flatMap((rule) => ((rule.host?.unknown ? '' : rule.host?.value ?? '') === rules.host ? rule.paths : []).filter((p) => {
      if (p.path?.unknown || !p.backend) return false;
      const view = { host: rules.host, path: p.path?.value ?? '', pathType: nginxPathType(p.pathType?.value ?? 'ImplementationSpecific'), backend: upstreamOf(ingress, p.backend) };
      return canaryMergeable(main, view).merges && !primaries.has(view.backend);
    }).map((p) => ({ ingress, backend: p.backend! }))),
  );
  if (canaries.length === 0 || !ref.path.backend) return undefined;
  const decision = canaryDecision(
    annotationMap(ref.ingress.annotations),
    canaries.map((c) => ({ id: c.ingress.id, annotations: annotationMap(c.ingress.annotations) })),
    request,
  );
  ctx.step('note', decision.explanation, { uri: canaries[0].ingress.uri, range: canaries[0].ingress.anchor });
  // When the weight draws at random, the main backend is followed; both are listed with their share.
  const receiver = decision.receiver ?? 'main';
  // A header or cookie decides before the weight is drawn (balancer.lua `route_to_alternative_balancer`):
  // every request that carries it goes to the same backend, so that one has 100 and the other 0.
  const decided = decision.decidedBy === 'header' || decision.decidedBy === 'cookie';
  const weightOf = (id: string) => (decided ? (id === receiver ? 100 : 0) : (decision.weights.find((w) => w.id === id)?.weight ?? 0));
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
