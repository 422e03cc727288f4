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
  const objectKey = key.object(resource.kind, resource.namespace, resource.name.value);
  // Most objects are defined once: no summary to build.
  if (q.count(objectKey) < 2) return [];
  const groups = q.summary(objectKey, 'duplicates', duplicateGroups);
  const group = groups.get(duplicateScope(resource));
  if (!group) return [];
  // In a build every copy counts (kustomize refuses any); in a file, byte-identical copies lose nothing.
  const identical = inBuild ? 0 : (group.prints.get(resource.fingerprint) ?? 1) - 1;
  const count = group.members.length - 1 - identical;
  if (count <= 0) return [];
  // From a bounded list: the first members, or the first member of each distinct text.
  const others = inBuild ? group.head.filter((r) => r.id !== resource.id).slice(0, NAMED) : group.distinct.filter((r) => r.fingerprint !== resource.fingerprint).slice(0, NAMED);
  const scope = resource.namespace ? ` in namespace \`${resource.namespace}\`` : '';
  const where = inBuild ? `${describeUnit(q.unitOf(resource))} includes it ${count + 1} times, so kustomize refuses to build it (may not add resource with an already registered id)` : `this file defines it ${count + 1} times; \`kubectl apply\` keeps only the last one`;
  const message = `${resource.kind} \`${nameOf(resource)}\`${scope}: ${where}`;
  return [{ ...simpleFinding('duplicate-resource', resource.uri, resource.anchor, message), related: related(others, (o) => `another definition of ${describe(o)}`) }];
}

/** Where two definitions of one object are applied together: one build, or one file outside builds; per apiVersion. */
function duplicateScope(r: Resource): string {
  return `${r.build ? `build:${r.build.root}` : `file:${r.uri}`}\u0000${r.apiVersion}`;
}

interface DuplicateGroup {
  readonly members: Resource[];
  /** How many members share each fingerprint. */
  readonly prints: Map<number, number>;
  /** The first NAMED + 1 members, and the first member of each of the first NAMED + 1 texts. */
  readonly head: Resource[];
  readonly distinct: Resource[];
}

/** One pass over every definition of an object: the groups applied together (computed once per change). */
function duplicateGroups(definitions: readonly Resource[]): Map<string, DuplicateGroup> {
  const groups = new Map<string, DuplicateGroup>();
  for (const r of definitions) {
    if (r.exported || r.opaqueIdentity) continue;
    const scope = duplicateScope(r);
    let group = groups.get(scope);
    if (!group) {
      group = { members: [], prints: new Map(), head: [], distinct: [] };
      groups.set(scope, group);
    }
    group.members.push(r);
    if (group.head.length <= NAMED) group.head.push(r);
    if (!group.prints.has(r.fingerprint) && group.distinct.length <= NAMED) group.distinct.push(r);
    group.prints.set(r.fingerprint, (group.prints.get(r.fingerprint) ?? 0) + 1);
  }
  return groups;
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
    const portKey = key.nodePortIn(scope, nodePort.value);
    if (!clashesInside && q.count(portKey) < 2) continue;
    const users = q.summary(portKey, 'objects', objectsOf);
    const count = users.total - (users.perObject.get(identity(service)) ?? 0);
    if (!clashesInside && count === 0) continue;
    const others = users.firsts.filter((r) => !sameObject(r, service)).slice(0, NAMED);
    const names = [...(clashesInside ? ['another port of this Service'] : []), ...others.map((o) => describe(o, service.namespace))];
    const total = (clashesInside ? 1 : 0) + count;
    findings.push({
      ...simpleFinding('nodeport-duplicate', service.uri, nodePort.range, `Service \`${nameOf(service)}\`: nodePort ${nodePort.value} is also used by ${namedList(names, total)}; node ports are cluster-wide, so only one can have it`),
      related: related(others, (o) => `${describe(o)} uses nodePort ${nodePort.value}`),
    });
  }
  return findings;
}

function identity(r: Resource): string {
  return `${r.kind}\u0000${r.namespace}\u0000${r.name?.value ?? ''}`;
}

/**
 * The objects providing a key, by identity (kind, namespace, name: copies of one object are one
 * user), with the first definition of the first few: computed once per change of the key.
 */
function objectsOf(providers: readonly Resource[]): { total: number; perObject: Map<string, number>; firsts: Resource[] } {
  const perObject = new Map<string, number>();
  const firsts: Resource[] = [];
  for (const r of providers) {
    const id = identity(r);
    const seen = perObject.get(id);
    if (seen === undefined && firsts.length <= NAMED) firsts.push(r);
    perObject.set(id, (seen ?? 0) + 1);
  }
  return { total: providers.length, perObject, firsts };
}
