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
export function rewriteFindings(ingress: Ingress): Finding[] {
  const target = ingress.rewriteTarget;
  if (!regexModeCause(ingress)) return [];
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

/** The same host + path + pathType served by two Ingresses of one class: only one of them wins. */
export function pathConflictFindings(ingress: Ingress, q: Query): Finding[] {
  const findings: Finding[] = [];
  for (const route of concreteRoutes(ingress)) {
    const others = q.lookup(route.key).filter((r) => r.id !== ingress.id && !sameObject(r, ingress));
    if (others.length === 0) continue;
    const where = `${route.host || '*'}${route.path || '/'}`;
    const message = `\`${where}\` (${route.pathType}) is also defined by ${others.map((o) => describe(o, ingress.namespace)).join(', ')}; ingress-nginx's admission webhook rejects the later Ingress, and without it only the oldest one serves this path`;
    findings.push({
      ...simpleFinding('ingress-path-conflict', ingress.uri, route.range, message),
      related: others.map((o) => ({ uri: o.uri, range: o.anchor, message: `${describe(o)} defines the same host and path` })),
    });
  }
  return findings;
}


