/**
 * Which path of a host serves a request, for each controller family other than ingress-nginx
 * (trace/ingressNginx.ts): NGINX Inc's controller, AWS Load Balancer Controller, GCE, Traefik,
 * and an unknown controller with the Kubernetes semantics only. The matching rules are in
 * semantics/controllers.ts with their sources.
 */
import type { Ingress } from '../model';
import { nodeId } from '../graph/ids';
import { code, nameOf } from '../links/describe';
import { annotationMap } from '../links/ingressController';
import { albAction, albGroup, albPathOrder, albPathPatterns, albPatternMatches, gcePathPatterns, kubernetesPathMatches, nginxIncLocation, pickGcePattern, pickNginxLocation, pickTraefikRouter, sharedHost, traefikRouter } from '../semantics/controllers';
import type { ControllerProfile } from '../semantics/controllers';
import { editDistance } from '../semantics/names';
import type { HostRules, PathRef, RoutePick, RouterContext } from './hostRules';

function shown(ref: PathRef): string {
  return ref.value || '/';
}

/** The raw path and query the backend receives when nothing rewrites it. */
export function unchanged(ctx: RouterContext): string {
  const query = ctx.request.query;
  return query === undefined || query === '' ? ctx.request.path : `${ctx.request.path}?${query}`;
}

export function pathStep(ctx: RouterContext, ref: PathRef, how: string): void {
  ctx.step(
    'path',
    `Path ${code(shown(ref))} (${ref.pathType}) of Ingress ${code(nameOf(ref.ingress))} matches ${code(ctx.request.path)} ${how}.`,
    { uri: ref.ingress.uri, range: ref.path.path?.range ?? ref.path.range },
    nodeId.route(ref.ingress.id, ref.ruleIndex, ref.pathIndex),
  );
}

/** What the backend receives when the controller rewrites nothing. */
export function unchangedTarget(ctx: RouterContext, ref: PathRef): string {
  const target = unchanged(ctx);
  ctx.step('rewrite', `No rewrite: the backend receives the request target unchanged, ${code(target)}.`, { uri: ref.ingress.uri, range: ref.path.path?.range ?? ref.path.range }, nodeId.route(ref.ingress.id, ref.ruleIndex, ref.pathIndex));
  return target;
}

export function defaultStep(ctx: RouterContext, ingress: Ingress, why: string): void {
  ctx.step('path', `${why}: the default backend of Ingress ${code(nameOf(ingress))} takes it.`, { uri: ingress.uri, range: ingress.defaultBackend!.range }, nodeId.defaultRoute(ingress.id));
}

/** `host `x` matched, but no path matches `/p`; its paths: …`: why a host's rules do not serve a path. */
export function noPathReason(rules: HostRules, path: string, answer: string, regexMode = false): string {
  const host = rules.host ? `host ${code(rules.host)}` : 'the rule without host';
  if (rules.paths.length === 0) return `${host} matched, but it has no paths; ${answer}`;
  const listed = rules.paths.map((p) => `${code(p.value || '/')} (${p.pathType})`).join(', ');
  return `${host} matched, but no path matches ${code(path)}; its paths: ${listed}${regexMode ? ', matched as case-insensitive regexes anchored at the start' : ''}; ${answer}`;
}

/** No path matches: the Ingress's own defaultBackend if one has it, else the controller's answer. */
export function noPathMatches(ctx: RouterContext, rules: HostRules, answer: string, status = 404): RoutePick {
  const withDefault = rules.ingresses.find((i) => i.defaultBackend?.service) ?? rules.ruleless.find((i) => i.defaultBackend?.service);
  if (withDefault) {
    defaultStep(ctx, withDefault, `No path of ${rules.host ? `host ${code(rules.host)}` : 'the rules without host'} matches ${code(ctx.request.path)}`);
    return { kind: 'default', ingress: withDefault, upstreamPath: unchanged(ctx) };
  }
  return { kind: 'answer', status, reason: noPathReason(rules, ctx.request.path, answer), ...closestPath(rules.paths, ctx.request.path) };
}

/** The path sharing the longest start with the request, in words. */
export function closestPath(paths: readonly PathRef[], requestPath: string, fold = false): { closest?: string } {
  if (paths.length === 0) return {};
  const f = (s: string) => (fold ? s.toLowerCase() : s);
  let best = paths[0];
  let bestLength = -1;
  for (const p of paths) {
    const value = shown(p);
    let i = 0;
    while (i < value.length && i < requestPath.length && f(value[i]) === f(requestPath[i])) i++;
    if (i > bestLength) {
      best = p;
      bestLength = i;
    }
  }
  const shared = requestPath.slice(0, bestLength);
  return { closest: `path ${code(shown(best))} (${best.pathType}) of Ingress ${code(nameOf(best.ingress))}${bestLength > 0 ? ` shares ${code(shared)} with the request` : ''}` };
}

/** An unknown controller: Kubernetes' Exact and element-wise Prefix; ImplementationSpecific is read as Prefix, with a note. */
export function routeKubernetes(ctx: RouterContext, rules: HostRules, profile: ControllerProfile): RoutePick {
  let best: PathRef | undefined;
  let guessed = false;
  for (const ref of rules.paths) {
    const defined = kubernetesPathMatches(ref.value || '/', ref.pathType, ctx.request.path);
    const matches = defined ?? kubernetesPathMatches(ref.value || '/', 'Prefix', ctx.request.path);
    if (!matches) continue;
    const length = (r: PathRef) => (r.value || '/').replace(/\/+$/, '').length;
    if (!best || length(ref) > length(best) || (length(ref) === length(best) && ref.pathType === 'Exact' && best.pathType !== 'Exact')) {
      best = ref;
      guessed = defined === undefined;
    }
  }
  if (!best) return noPathMatches(ctx, rules, `the controller answers itself (usually 404; ${profile.displayName === 'unknown controller' ? 'the controller is unknown' : profile.displayName})`);
  pathStep(ctx, best, best.pathType === 'Exact' ? 'exactly' : 'element by element, the longest matching path');
  if (guessed) ctx.step('note', `ImplementationSpecific paths are matched as the controller decides; the trace reads ${code(shown(best))} as a Prefix.`, { uri: best.ingress.uri, range: best.path.range });
  return { kind: 'path', ref: best, upstreamPath: unchangedTarget(ctx, best) };
}

/** The oldest Ingress when creationTimestamps tell, else the first by namespace/name. */
function owner(profile: ControllerProfile, ingresses: readonly Ingress[]): { ingress: Ingress; known: boolean } {
  const sorted = [...ingresses].sort((a, b) => (`${a.namespace}/${nameOf(a)}` < `${b.namespace}/${nameOf(b)}` ? -1 : 1));
  let best = sorted[0];
  let known = true;
  for (const other of sorted.slice(1)) {
    const facts = (i: Ingress) => ({ namespace: i.namespace, name: nameOf(i), annotations: annotationMap(i.annotations), creationTimestamp: i.creationTimestamp });
    const outcome = sharedHost(profile, facts(best), facts(other));
    if (outcome.kind === 'oldest-wins') {
      if (outcome.winner === 'b') best = other;
      if (outcome.winner === undefined) known = false;
    }
  }
  return { ingress: best, known };
}

/** NGINX Inc: one Ingress owns a host (the oldest), unless master and minions merge; nginx location rules. */
export function routeNginxInc(ctx: RouterContext, rules: HostRules, profile: ControllerProfile): RoutePick {
  const type = (i: Ingress) => annotationMap(i.annotations)['nginx.org/mergeable-ingress-type'];
  const minions = rules.ingresses.filter((i) => type(i) === 'minion');
  let paths = rules.paths;
  if (minions.length === 0 && rules.ingresses.length > 1) {
    const { ingress, known } = owner(profile, rules.ingresses);
    const others = rules.ingresses.filter((i) => i !== ingress).map(nameOf);
    ctx.step('note', `NGINX Ingress Controller serves host ${code(rules.host || '*')} from one Ingress only: ${code(nameOf(ingress))}${known ? ' (the oldest)' : ' (the oldest, which the manifests cannot tell without creationTimestamp; the first by name is assumed)'}; ${others.map(code).join(', ')} ${others.length === 1 ? 'is' : 'are'} ignored for it.`, { uri: ingress.uri, range: ingress.anchor });
    paths = paths.filter((p) => p.ingress === ingress);
  } else if (minions.length > 0) {
    paths = paths.filter((p) => type(p.ingress) === 'minion');
  }
  const locations = paths.map((p) => nginxIncLocation(p.value, p.pathType, annotationMap(p.ingress.annotations)));
  const index = pickNginxLocation(locations, ctx.request.path);
  if (index === undefined) return noPathMatches(ctx, { ...rules, paths }, 'NGINX Ingress Controller answers 404');
  const location = locations[index];
  const how = location.modifier === '=' ? 'exactly' : location.modifier === '' ? 'as an nginx prefix location (character by character)' : `as the regex ${code(`^${location.path}`)}${location.modifier === '~*' ? ' (case-insensitive)' : ''}`;
  pathStep(ctx, paths[index], how);
  return { kind: 'path', ref: paths[index], upstreamPath: unchangedTarget(ctx, paths[index]) };
}

/** ALB: the request reaches one load balancer (an IngressGroup, or an Ingress of its own); its rules in priority order. */
export function routeAlb(ctx: RouterContext, rules: HostRules): RoutePick {
  const groupOf = (i: Ingress) => albGroup(annotationMap(i.annotations));
  const byBalancer = new Map<string, Ingress[]>();
  for (const ingress of rules.ingresses) {
    const name = groupOf(ingress).name;
    const balancer = name === undefined ? `ingress:${ingress.id}` : `group:${name}`;
    byBalancer.set(balancer, [...(byBalancer.get(balancer) ?? []), ingress]);
  }
  const balancers = [...byBalancer.values()];
  if (balancers.length > 1) {
    ctx.step('note', `${balancers.length} ALBs have rules for host ${code(rules.host || '*')} (each IngressGroup, and each Ingress without group.name, gets its own); which one the request reaches depends on DNS. The first is followed.`);
  }
  const members = [...(balancers[0] ?? [])].sort((a, b) => groupOf(a).order - groupOf(b).order || (`${a.namespace}/${nameOf(a)}` < `${b.namespace}/${nameOf(b)}` ? -1 : 1));
  for (const ingress of members) {
    const paths = rules.paths.filter((p) => p.ingress === ingress);
    for (const i of albPathOrder(paths.map((p) => ({ path: p.value, pathType: p.pathType })))) {
      const ref = paths[i];
      const patterns = albPathPatterns(ref.value, ref.pathType);
      if (!('patterns' in patterns) || !patterns.patterns.some((p) => albPatternMatches(p, ctx.request.path))) continue;
      pathStep(ctx, ref, `with the ALB path pattern ${patterns.patterns.map(code).join(' or ')}`);
      return albBackend(ctx, ref);
    }
  }
  return { kind: 'answer', status: 404, reason: `No rule of the ALB for host ${code(rules.host || '*')} matches ${code(ctx.request.path)}; its default action answers 404`, ...closestPath(rules.paths, ctx.request.path) };
}

/** A `use-annotation` backend: the action of `alb.ingress.kubernetes.io/actions.<name>`. */
function albBackend(ctx: RouterContext, ref: PathRef): RoutePick {
  const backend = ref.path.backend;
  const port = backend?.service?.port;
  const name = backend?.service?.name;
  if (!backend || !name || name.unknown || !port || port.unknown || port.value !== 'use-annotation') return { kind: 'path', ref, upstreamPath: unchangedTarget(ctx, ref) };
  const action = albAction(annotationMap(ref.ingress.annotations), name.value);
  const where = { uri: ref.ingress.uri, range: ref.ingress.anchor };
  if (!action) return { kind: 'answer', status: 503, reason: `Ingress ${code(nameOf(ref.ingress))} has no annotation \`alb.ingress.kubernetes.io/actions.${name.value}\`: the ALB answers 503 (Backend action does not exist)`, ref };
  switch (action.kind) {
    case 'invalid':
      return { kind: 'answer', reason: `the action \`${name.value}\` of Ingress ${code(nameOf(ref.ingress))} is invalid (${action.message}): the controller does not reconcile the Ingress`, ref };
    case 'fixed-response': {
      const status = Number(action.statusCode);
      ctx.step('note', `The action \`${name.value}\` answers ${action.statusCode} itself (fixed response).`, where);
      return { kind: 'answer', status: Number.isInteger(status) ? status : undefined, reason: `the ALB answers with a fixed response ${action.statusCode}`, ref, configured: true };
    }
    case 'redirect': {
      const status = Number(action.statusCode.replace(/^HTTP_/, ''));
      const protocol = (action.protocol ?? '#{protocol}').replace('#{protocol}', ctx.request.scheme ?? 'http').toLowerCase();
      const host = (action.host ?? '#{host}').replace('#{host}', ctx.request.host ?? '');
      const port = (action.port ?? '#{port}').replace('#{port}', String(ctx.request.effectivePort ?? ''));
      const path = (action.path ?? '/#{path}').replace('/#{path}', ctx.request.path).replace('#{path}', ctx.request.path.slice(1));
      const query = (action.query ?? '#{query}').replace('#{query}', ctx.request.query ?? '');
      const defaultPort = (protocol === 'https' && port === '443') || (protocol === 'http' && port === '80');
      const location = `${protocol}://${host}${port && !defaultPort ? `:${port}` : ''}${path}${query ? `?${query}` : ''}`;
      ctx.step('note', `The action \`${name.value}\` redirects with ${status}.`, where);
      return { kind: 'redirect', status, location, ingress: ref.ingress, ref };
    }
    default:
      // ALB forward: a single target group gets all of it; several carry weights (validated as the controller does).
      return { kind: 'forward', ref, action: name.value, targets: action.targets.map((t) => ({ ...t, weight: action.targets.length === 1 ? 100 : (t.weight ?? 0) })), upstreamPath: unchangedTarget(ctx, ref) };
  }
}

/** GCE: each Ingress is a load balancer of its own; its URL map picks the longest matching pattern. */
export function routeGce(ctx: RouterContext, rules: HostRules): RoutePick {
  if (rules.ingresses.length > 1) {
    ctx.step('note', `${rules.ingresses.length} Ingresses have rules for host ${code(rules.host || '*')}; GCE makes a load balancer for each, and DNS decides which one the request reaches. The first is followed.`);
  }
  const ingress = rules.ingresses[0];
  const paths = rules.paths.filter((p) => p.ingress === ingress);
  const patterns = paths.flatMap((ref) => {
    const result = gcePathPatterns(ref.value, ref.pathType);
    return 'patterns' in result ? result.patterns.map((pattern) => ({ ref, pattern })) : [];
  });
  const index = pickGcePattern(patterns.map((p) => p.pattern), ctx.request.path);
  if (index === undefined) return noPathMatches(ctx, { ...rules, ingresses: ingress ? [ingress] : [], paths }, "GKE's default backend answers 404");
  const { ref, pattern } = patterns[index];
  pathStep(ctx, ref, `with the URL map pattern ${code(pattern)} (the longest matching one)`);
  return { kind: 'path', ref, upstreamPath: unchangedTarget(ctx, ref) };
}

/** Traefik: one router per path, the highest priority (rule length) wins. */
export function routeTraefik(ctx: RouterContext, rules: HostRules): RoutePick {
  const routers = rules.paths.map((ref) => traefikRouter(rules.host || undefined, ref.value || undefined, ref.pathType, annotationMap(ref.ingress.annotations)));
  const pick = pickTraefikRouter(routers, ctx.request.path);
  const index = pick.index ?? pick.ambiguous?.[0];
  if (index === undefined) return noPathMatches(ctx, rules, 'Traefik answers 404');
  if (pick.ambiguous) {
    ctx.step('note', `Routers ${pick.ambiguous.map((i) => code(routers[i].rule)).join(', ')} match with the same priority; Traefik documents no order between them. The first is followed.`);
  }
  pathStep(ctx, rules.paths[index], `(router rule ${code(routers[index].rule)}, priority ${routers[index].priority})`);
  return { kind: 'path', ref: rules.paths[index], upstreamPath: unchangedTarget(ctx, rules.paths[index]) };
}

/** The host of the rules closest to the request host, in words. */
export function closestHost(hosts: readonly { ingress: Ingress; host: string }[], host: string): string | undefined {
  if (hosts.length === 0) return undefined;
  const scored = hosts.map((h) => ({ ...h, distance: editDistance(host, h.host.toLowerCase()) })).sort((a, b) => a.distance - b.distance);
  const best = scored[0];
  return `host ${code(best.host)} of Ingress ${code(nameOf(best.ingress))} (${best.distance} edit${best.distance === 1 ? '' : 's'} away)`;
}
