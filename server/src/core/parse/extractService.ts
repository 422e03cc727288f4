/** Reads Services, applying the API server's defaults (type ClusterIP, protocol TCP, targetPort = port). */
import type { Node, YAMLMap } from 'yaml';
import type { Field, ResourceBase, Service, ServicePort } from '../model';
import type { Reader } from './reader';

/** Resources are built with Object.assign onto the fresh base object: object spread gives every
 * resource its own V8 hidden class, which costs megabytes on large workspaces. */
export function extractService(reader: Reader, root: YAMLMap, base: ResourceBase): Service {
  const spec = reader.map(reader.get(root, 'spec'));
  const typeField = reader.knownString(reader.get(spec, 'type'));
  const clusterIP = reader.knownString(reader.get(spec, 'clusterIP'))?.value;
  const clusterIPs = reader.seq(reader.get(spec, 'clusterIPs'))?.items.map((i) => reader.knownString(reader.deref(i))?.value);
  const selectorKey = reader.keyNode(spec, 'selector');
  const selectorNode = reader.get(spec, 'selector');
  return Object.assign(base, {
    type: 'service' as const,
    serviceType: typeField ?? { value: 'ClusterIP' },
    headless: clusterIP === 'None' || (clusterIPs?.length === 1 && clusterIPs[0] === 'None'),
    selector: selectorKey && selectorNode ? reader.labelMap(selectorNode, reader.range(selectorKey)) : undefined,
    ports: (reader.seq(reader.get(spec, 'ports'))?.items ?? []).map((item) => readServicePort(reader, item)),
    externalTrafficPolicy: reader.string(reader.get(spec, 'externalTrafficPolicy')),
    healthCheckNodePort: reader.int(reader.get(spec, 'healthCheckNodePort')),
    hasExternalIPs: (reader.seq(reader.get(spec, 'externalIPs'))?.items.length ?? 0) > 0,
  });
}

function readServicePort(reader: Reader, item: unknown): ServicePort {
  const map = reader.map(item);
  const range = reader.range(item as Node);
  const protocolField = reader.knownString(reader.get(map, 'protocol'));
  const port = reader.int(reader.get(map, 'port'));
  return {
    range,
    name: reader.string(reader.get(map, 'name')),
    protocol: protocolField ?? { value: 'TCP' },
    port,
    targetPort: targetPortOf(reader, map, port),
    nodePort: reader.int(reader.get(map, 'nodePort')),
  };
}

/** `targetPort` omitted, 0 or "" defaults to `port` (SetDefaults_Service). */
function targetPortOf(reader: Reader, map: YAMLMap | undefined, port: Field<number> | undefined): ServicePort['targetPort'] {
  const written = reader.intOrString(reader.get(map, 'targetPort'));
  const isEmpty = written && !written.unknown && (written.value === 0 || written.value === '');
  if (written && !isEmpty) return written;
  if (!port) return undefined;
  return port.unknown ? port : { value: port.value, range: port.range, defaulted: true };
}
