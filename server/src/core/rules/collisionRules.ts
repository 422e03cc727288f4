/**
 * Collisions between objects applied together (scopes.ts): the same object twice, the same
 * nodePort twice. Objects of different apply units (alternative files, independent examples,
 * other kustomize builds) never collide. A message names the first few others and counts the
 * rest, so a collision of N objects costs O(N) per object in time and size.
 */
import type { Finding, RelatedLocation } from '../analysis/types';
import type { Query } from '../analysis/query';
import type { Resource, Service } from '../model';
import { describe, nameOf, sameObject } from '../links/describe';
import { key } from '../workspace/keys';
import { conflictScope, describeUnit } from '../workspace/scopes';
import { simpleFinding } from './serviceRules';

/** Others named in a message and as related locations; the rest are counted. */
const NAMED = 3;

export function namedList(names: readonly string[], total = names.length): string {
  const shown = names.slice(0, NAMED);
  const rest = total - shown.length;
  return rest > 0 ? `${shown.join(', ')} and ${rest} more` : shown.join(', ');
}

function related(others: readonly Resource[], message: (o: Resource) => string): RelatedLocation[] {
  return others.slice(0, NAMED).map((o) => ({ uri: o.uri, range: o.anchor, message: message(o) }));
}

/**
 * Two definitions of one object (kind, namespace, name) that are applied together: in one file
 * (the later silently replaces the earlier), or in one kustomize build (kustomize refuses to
 * build: "may not add resource with an already registered id"). Byte-identical copies lose
 * nothing, objects exported from a cluster (old/new pairs in test data) are no source, and the
 * same name under different apiVersions is a version variant (kustomize's resource ids include
 * the version too).
 */
export function duplicateFindings(resource: Resource, q: Query): Finding[] {
  if (!resource.name || resource.opaqueIdentity || resource.exported) return [];
  const inBuild = resource.build !== undefined;
  const others = q
    .lookup(key.object(resource.kind, resource.namespace, resource.name.value))
    .filter((r) => r.id !== resource.id && !r.exported)
    .filter((r) => (inBuild ? r.build?.root === resource.build!.root : r.uri === resource.uri && !r.build))
    .filter((r) => r.apiVersion === resource.apiVersion && (inBuild || r.fingerprint !== resource.fingerprint));
  if (others.length === 0) return [];
  const scope = resource.namespace ? ` in namespace \`${resource.namespace}\`` : '';
  const where = inBuild ? `${describeUnit(q.unitOf(resource))} includes it ${others.length + 1} times, so kustomize refuses to build it (may not add resource with an already registered id)` : `this file defines it ${others.length + 1} times; \`kubectl apply\` keeps only the last one`;
  const message = `${resource.kind} \`${nameOf(resource)}\`${scope}: ${where}`;
  return [{ ...simpleFinding('duplicate-resource', resource.uri, resource.anchor, message), related: related(others, (o) => `another definition of ${describe(o)}`) }];
}

/**
 * Node ports are allocated from one cluster-wide pool, whatever the namespace or protocol, so
 * two Services applied together cannot both have one. Inside one Service, the same nodePort may
 * serve TCP and UDP of the same port.
 */
export function nodePortDuplicateFindings(service: Service, q: Query): Finding[] {
  const findings: Finding[] = [];
  const seen = new Map<number, { port: number | undefined; protocol: string }>();
  const scope = conflictScope(q.unitOf(service), service.uri);
  for (const port of service.ports) {
    const nodePort = port.nodePort;
    if (!nodePort || nodePort.unknown || nodePort.value === 0) continue;
    const servicePort = port.port && !port.port.unknown ? port.port.value : undefined;
    const earlier = seen.get(nodePort.value);
    const clashesInside = earlier !== undefined && (earlier.protocol === port.protocol.value || earlier.port !== servicePort);
    seen.set(nodePort.value, { port: servicePort, protocol: port.protocol.value });
    const users = q.lookup(key.nodePortIn(scope, nodePort.value));
    const others = users.filter((r) => r.id !== service.id && !sameObject(r, service));
    if (!clashesInside && others.length === 0) continue;
    const names = [...(clashesInside ? ['another port of this Service'] : []), ...others.slice(0, NAMED).map((o) => describe(o, service.namespace))];
    const total = (clashesInside ? 1 : 0) + others.length;
    findings.push({
      ...simpleFinding('nodeport-duplicate', service.uri, nodePort.range, `Service \`${nameOf(service)}\`: nodePort ${nodePort.value} is also used by ${namedList(names, total)}; node ports are cluster-wide, so only one can have it`),
      related: related(others, (o) => `${describe(o)} uses nodePort ${nodePort.value}`),
    });
  }
  return findings;
}
