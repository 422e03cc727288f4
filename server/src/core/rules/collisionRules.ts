/** Workspace-wide collisions: the same object twice, the same nodePort twice. */
import type { Finding } from '../analysis/types';
import type { Query } from '../analysis/query';
import type { Resource, Service } from '../model';
import { describe, nameOf, sameObject } from '../links/describe';
import { directoryOf } from '../text/uris';
import { key } from '../workspace/keys';
import { simpleFinding } from './serviceRules';

/**
 * Definitions in different directories are alternatives far more often than mistakes
 * (environments, provider variants, a generated bundle beside its sources), so only copies in
 * the same directory are reported.
 */
export function duplicateFindings(resource: Resource, q: Query): Finding[] {
  if (!resource.name || resource.opaqueIdentity) return [];
  const directory = directoryOf(resource.uri);
  const others = q
    .lookup(key.object(resource.kind, resource.namespace, resource.name.value))
    .filter((r) => r.id !== resource.id && directoryOf(r.uri) === directory);
  if (others.length === 0) return [];
  const scope = resource.namespace ? ` in namespace \`${resource.namespace}\`` : '';
  const message = `${resource.kind} \`${resource.name.value}\`${scope} is defined ${others.length + 1} times; the last one applied wins`;
  return [{
    ...simpleFinding('duplicate-resource', resource.uri, resource.anchor, message),
    related: others.map((o) => ({ uri: o.uri, range: o.anchor, message: `another definition of ${describe(o)}` })),
  }];
}

/**
 * Node ports are allocated from one cluster-wide pool, whatever the namespace or protocol. Inside
 * one Service, the same nodePort may serve TCP and UDP of the same port.
 */
export function nodePortDuplicateFindings(service: Service, q: Query): Finding[] {
  const findings: Finding[] = [];
  const seen = new Map<number, { port: number | undefined; protocol: string }>();
  for (const port of service.ports) {
    const nodePort = port.nodePort;
    if (!nodePort || nodePort.unknown || nodePort.value === 0) continue;
    const servicePort = port.port && !port.port.unknown ? port.port.value : undefined;
    const earlier = seen.get(nodePort.value);
    const clashesInside = earlier !== undefined && (earlier.protocol === port.protocol.value || earlier.port !== servicePort);
    seen.set(nodePort.value, { port: servicePort, protocol: port.protocol.value });
    const others = q
      .lookup(key.nodePort(nodePort.value))
      .filter((r) => r.id !== service.id && !sameObject(r, service));
    if (!clashesInside && others.length === 0) continue;
    const users = clashesInside ? ['another port of this Service', ...others.map((o) => describe(o, service.namespace))] : others.map((o) => describe(o, service.namespace));
    findings.push({
      ...simpleFinding('nodeport-duplicate', service.uri, nodePort.range, `Service \`${nameOf(service)}\`: nodePort ${nodePort.value} is also used by ${users.join(', ')}; node ports are cluster-wide, so only one can have it`),
      related: others.map((o) => ({ uri: o.uri, range: o.anchor, message: `${describe(o)} uses nodePort ${nodePort.value}` })),
    });
  }
  return findings;
}
