/** Checks of an Ingress on its own and against other Ingresses: removed APIs, rewrite captures, path conflicts. */
import type { Finding } from '../analysis/types';
import type { Query } from '../analysis/query';
import type { Ingress, IngressClass, IngressPath, Resource } from '../model';
import { backendsOf } from '../links/ingressLinks';
import { describe, nameOf, sameObject } from '../links/describe';
import { countCaptureGroups, highestCaptureReference, isStrictPath, regexModeCause } from '../semantics/nginx';
import { ianaServiceNameError, isValidPortNumber } from '../semantics/names';
import { concreteRoutes } from '../workspace/keys';
import { simpleFinding } from './serviceRules';
import { namedList } from './collisionRules';
import { albGroup } from '../semantics/controllers';
import type { ControllerProfile } from '../semantics/controllers';
import { annotationMap } from '../links/ingressController';
import type { ControllerChoice } from '../links/ingressController';

export function removedApiFindings(resource: Ingress | IngressClass): Finding[] {
  if (!resource.removedApi) return [];
  const detail = resource.type === 'ingress' ? ' (serviceName/servicePort become service.name/service.port, pathType is required, spec.backend becomes spec.defaultBackend)' : '';
  const message = `${resource.kind} \`${nameOf(resource)}\` uses ${resource.apiVersion}, which Kubernetes 1.22 removed; use networking.k8s.io/v1${detail}`;
  return [simpleFinding('ingress-api-removed', resource.uri, resource.apiVersionRange, message)];
}

function allPaths(ingress: Ingress): IngressPath[] {
  return ingress.rules.flatMap((rule) => rule.paths);
}

/**
 * ingress-nginx substitutes `$N` from the path's capture groups (every path of the Ingress gets
 * the same rewrite), and since controller 1.12 rejects regex paths unless pathType is
 * ImplementationSpecific.
 */
export function rewriteFindings(ingress: Ingress, controller: ControllerChoice): Finding[] {
  const target = ingress.rewriteTarget;
  if (!controller.profile.ingressNginxSemantics || !regexModeCause(ingress)) return [];
  const needed = target && !target.unknown ? highestCaptureReference(target.value) : 0;
  const findings: Finding[] = [];
  for (const path of allPaths(ingress)) {
    if (!path.path || path.path.unknown) continue;
    const groups = countCaptureGroups(path.path.value);
    if (groups < needed && target && !target.unknown) {
      const message = `rewrite-target \`${target.value}\` uses $${needed}, but path \`${path.path.value}\` has ${groups} capture group${groups === 1 ? '' : 's'}, so $${needed} is empty for requests it matches`;
      findings.push({ ...simpleFinding('rewrite-target-capture-missing', ingress.uri, path.path.range, message), related: [{ uri: ingress.uri, range: target.range, message: 'the rewrite-target annotation' }] });
    }
    const pathType = path.pathType?.value;
    if ((pathType === 'Exact' || pathType === 'Prefix') && !isStrictPath(path.path.value)) {
      const message = `path \`${path.path.value}\` is a regular expression, but pathType is ${pathType}; ingress-nginx (1.12+) rejects regex paths unless pathType is ImplementationSpecific`;
      findings.push(simpleFinding('rewrite-target-capture-missing', ingress.uri, path.pathType!.range, message));
    }
  }
  return findings;
}

/** Backend `port.number` must be a port number and `port.name` an IANA service name. */
export function backendPortFindings(ingress: Ingress): Finding[] {
  const findings: Finding[] = [];
  for (const backend of backendsOf(ingress)) {
    const port = backend.service?.port;
    if (!port || port.unknown) continue;
    if (typeof port.value === 'number' && !isValidPortNumber(port.value)) {
      findings.push(simpleFinding('port-invalid', ingress.uri, port.range, `Ingress \`${nameOf(ingress)}\`: backend port ${port.value} must be between 1 and 65535`));
    } else if (typeof port.value === 'string') {
      const error = ianaServiceNameError(port.value);
      if (error) findings.push(simpleFinding('port-invalid', ingress.uri, port.range, `Ingress \`${nameOf(ingress)}\`: backend port name \`${port.value}\` ${error}`));
    }
  }
  return findings;
}

/**
 * The same host + path + pathType in two Ingresses of one class that are applied together
 * (scopes.ts), where the controller puts both on one proxy: only one of them serves it. What
 * that means depends on the controller (semantics/controllers.ts `sharedHost`); controllers that
 * give every Ingress its own load balancer (GCE, ALB outside one IngressGroup) have no conflict,
 * and for an unknown controller nothing is concluded.
 */
export function pathConflictFindings(ingress: Ingress, q: Query, controller: ControllerChoice): Finding[] {
  const profile = controller.profile;
  if (profile.hostSharing === 'separate' || profile.hostSharing === 'unspecified') return [];
  const findings: Finding[] = [];
  const sharing = sharingGroupOf(profile, ingress);
  if (sharing === undefined) return [];
  for (const route of concreteRoutes(ingress, q.unitOf(ingress))) {
    // Which Ingresses share one proxy (semantics/controllers.ts sharedHost) depends on each
    // Ingress alone, so the claimants of a route are grouped once per change, not per Ingress.
    if (q.count(route.key) < 2) continue;
    const groups = q.summary(route.key, `sharing:${profile.hostSharing}`, (providers) => claimantsBySharing(profile, providers));
    const group = groups.get(sharing);
    const count = group ? group.total - (group.perObject.get(identityOf(ingress)) ?? 0) : 0;
    if (!group || count === 0) continue;
    const clashing = group.firsts.filter((o) => !sameObject(o, ingress)).slice(0, 3);
    const where = `${route.host || '*'}${route.path || '/'}`;
    const names = namedList(clashing.map((o) => describe(o, ingress.namespace)), count);
    const message = `\`${where}\` (${route.pathType}) is also defined by ${names}; ${consequence(profile, clashing[0], ingress)}`;
    findings.push({
      ...simpleFinding('ingress-path-conflict', ingress.uri, route.range, message),
      related: clashing.map((o) => ({ uri: o.uri, range: o.anchor, message: `${describe(o)} defines the same host and path` })),
    });
  }
  return findings;
}

/**
 * The proxy an Ingress's routes are served by, as far as conflicts go: one per class for
 * controllers that merge hosts (ingress-nginx, Traefik, NGINX Inc.), one per IngressGroup for
 * the AWS Load Balancer Controller (an Ingress without `group.name` is a load balancer of its
 * own: undefined, it conflicts with nothing). Two Ingresses conflict exactly when sharedHost
 * says merged, mergeable or oldest-wins, which is when these agree.
 */
function sharingGroupOf(profile: ControllerProfile, ingress: Ingress): string | undefined {
  if (profile.hostSharing !== 'alb-group') return '';
  return albGroup(annotationMap(ingress.annotations)).name;
}

function identityOf(r: Resource): string {
  return `${r.kind}\u0000${r.namespace}\u0000${r.name?.value ?? ''}`;
}

interface Claimants {
  total: number;
  readonly perObject: Map<string, number>;
  /** The first definition of the first few objects (enough to name three others). */
  readonly firsts: Ingress[];
}

function claimantsBySharing(profile: ControllerProfile, providers: readonly Resource[]): Map<string, Claimants> {
  const groups = new Map<string, Claimants>();
  for (const r of providers) {
    if (r.type !== 'ingress') continue;
    const sharing = sharingGroupOf(profile, r);
    if (sharing === undefined) continue;
    let group = groups.get(sharing);
    if (!group) {
      group = { total: 0, perObject: new Map(), firsts: [] };
      groups.set(sharing, group);
    }
    const id = identityOf(r);
    const seen = group.perObject.get(id);
    if (seen === undefined && group.firsts.length <= 3) group.firsts.push(r);
    group.perObject.set(id, (seen ?? 0) + 1);
    group.total++;
  }
  return groups;
}

function consequence(profile: ControllerProfile, other: Ingress, ingress: Ingress): string {
  switch (profile.kind) {
    case 'ingress-nginx':
      return "ingress-nginx's admission webhook rejects the later Ingress, and without it only the oldest one serves this path";
    case 'traefik':
      return 'Traefik gives both routers the same priority, so which one serves it is undefined';
    case 'aws-alb': {
      const group = albGroup(annotationMap(ingress.annotations)).name ?? albGroup(annotationMap(other.annotations)).name;
      return `both are in IngressGroup \`${group}\`, whose one ALB serves it with the rule of the Ingress with the lower group.order (then namespace/name)`;
    }
    case 'nginx-inc':
      return 'NGINX Ingress Controller gives a host to one Ingress only (the oldest) and ignores the other for it, unless both are mergeable minions';
    default:
      return 'only one of them serves it';
  }
}
