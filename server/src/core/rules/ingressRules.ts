/** Checks of an Ingress on its own and against other Ingresses: removed APIs, rewrite captures, path conflicts. */
import type { Finding } from '../analysis/types';
import type { Query } from '../analysis/query';
import type { Ingress, IngressClass, IngressPath } from '../model';
import { backendsOf } from '../links/ingressLinks';
import { describe, nameOf, sameObject } from '../links/describe';
import { countCaptureGroups, highestCaptureReference, isStrictPath, regexModeCause } from '../semantics/nginx';
import { ianaServiceNameError, isValidPortNumber } from '../semantics/names';
import { concreteRoutes } from '../workspace/keys';
import { simpleFinding } from './serviceRules';
import { namedList } from './collisionRules';
import { albGroup, sharedHost } from '../semantics/controllers';
import type { ControllerProfile, IngressFacts } from '../semantics/controllers';
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
  for (const route of concreteRoutes(ingress, q.unitOf(ingress))) {
    const others = q.lookup(route.key).filter((r): r is Ingress => r.type === 'ingress' && r.id !== ingress.id && !sameObject(r, ingress));
    const clashing = others.filter((o) => {
      const outcome = sharedHost(profile, factsOf(ingress), factsOf(o)).kind;
      return outcome === 'merged' || outcome === 'mergeable' || outcome === 'oldest-wins';
    });
    if (clashing.length === 0) continue;
    const where = `${route.host || '*'}${route.path || '/'}`;
    const names = namedList(clashing.map((o) => describe(o, ingress.namespace)));
    const message = `\`${where}\` (${route.pathType}) is also defined by ${names}; ${consequence(profile, clashing[0], ingress)}`;
    findings.push({
      ...simpleFinding('ingress-path-conflict', ingress.uri, route.range, message),
      related: clashing.slice(0, 3).map((o) => ({ uri: o.uri, range: o.anchor, message: `${describe(o)} defines the same host and path` })),
    });
  }
  return findings;
}

function factsOf(ingress: Ingress): IngressFacts {
  return { namespace: ingress.namespace, name: nameOf(ingress), annotations: annotationMap(ingress.annotations), creationTimestamp: ingress.creationTimestamp };
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
