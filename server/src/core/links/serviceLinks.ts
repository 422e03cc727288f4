/** Service → pod templates (selector) and Service port → container ports (targetPort). */
import type { Range } from 'vscode-languageserver-types';
import type { Link, LinkTarget, NearMiss } from '../analysis/types';
import type { Query } from '../analysis/query';
import type { LabelEntry, Service, ServicePort, Workload } from '../model';
import { formatLabels } from '../semantics/labels';
import { closestMatch, editDistance } from '../semantics/names';
import { declaresAnyPort, findNamedPort, findNamedPortAnyProtocol, findNumberedPort, hasOpaquePorts } from '../semantics/ports';
import { makeLink } from './makeLink';
import { sameRange } from '../text/ranges';
import { key } from '../workspace/keys';
import { describe } from './describe';

export function selectsPods(service: Service): boolean {
  if (service.serviceType.value === 'ExternalName' || !service.selector) return false;
  // An empty selector means "endpoints are managed by hand", exactly like no selector.
  return service.selector.entries.length > 0 || service.selector.partial;
}

/** Workloads whose pod template labels contain every selector pair. */
export function selectedWorkloads(service: Service, q: Query): Workload[] {
  let candidates: Workload[] | undefined;
  for (const entry of service.selector?.entries ?? []) {
    const withLabel = q.lookup(key.podLabel(service.namespace, entry.key, entry.value)) as Workload[];
    candidates = candidates ? candidates.filter((c) => withLabel.includes(c)) : [...withLabel];
    if (candidates.length === 0) break;
  }
  return candidates ?? [];
}

/** The Service port whose targetPort a `service-target-port` link (or a finding on it) starts at. */
export function portOfTargetPortAt(service: Service, range: Range): ServicePort | undefined {
  return service.ports.find((p) => p.targetPort !== undefined && sameRange(p.targetPort.range, range));
}

/** All links of a Service: its selector, then one per port for the targetPort. */
export function resolveServiceLinks(service: Service, q: Query): Link[] {
  const selector = service.selector;
  if (!selector || !selectsPods(service)) return [];
  const base = { kind: 'service-selector' as const, sourceId: service.id, uri: service.uri, range: selector.range, text: formatLabels(selector.entries) };
  if (selector.partial) return [makeLink(base, { status: 'unknown', targets: [] })];
  const matched = selectedWorkloads(service, q);
  if (matched.length > 0) {
    const targets = matched.map((w): LinkTarget => ({ resourceId: w.id, uri: w.uri, range: w.template?.labels.range ?? w.anchor }));
    return [makeLink(base, { status: 'resolved', targets }), ...resolveTargetPorts(service, matched)];
  }
  if (q.count(key.opaquePodsIn(service.namespace)) > 0) return [makeLink(base, { status: 'unknown', targets: [] })];
  return [makeLink(base, { status: 'missing', targets: [], nearMisses: selectorNearMisses(service, selector.entries, q) })];
}

/**
 * Pod templates that match all pairs but one, and workloads whose own metadata.labels (not their
 * pod labels) match: the two usual ways a selector goes wrong. Closest first; only a close
 * spelling gets a did-you-mean fix.
 */
function selectorNearMisses(service: Service, pairs: readonly LabelEntry[], q: Query): NearMiss[] {
  const scored: { distance: number; miss: NearMiss }[] = [];
  for (const workload of q.lookup(key.podsIn(service.namespace)) as Workload[]) {
    const labels = workload.template?.labels;
    const differing = labels ? pairs.filter((pair) => !labels.entries.some((l) => l.key === pair.key && l.value === pair.value)) : [];
    if (!labels || differing.length !== 1) continue;
    const wanted = differing[0];
    const sameKey = labels.entries.find((l) => l.key === wanted.key);
    const actual = sameKey ?? labels.entries.find((l) => l.value === wanted.value);
    if (!actual) continue;
    const distance = sameKey ? editDistance(wanted.value, actual.value) : editDistance(wanted.key, actual.key);
    const close = sameKey ? closestMatch(wanted.value, [actual.value]) : closestMatch(wanted.key, [actual.key]);
    const label = `${actual.key}=${actual.value}`;
    scored.push({
      distance,
      miss: {
        resourceId: workload.id,
        uri: workload.uri,
        range: actual.valueRange,
        description: `${describe(workload)} has pod label \`${label}\``,
        fix: close === undefined || wanted.injected ? undefined : { range: sameKey ? wanted.valueRange : wanted.keyRange, newText: sameKey ? actual.value : actual.key, label, context: describe(workload) },
      },
    });
  }
  scored.sort((a, b) => a.distance - b.distance);
  const misses = scored.map((s) => s.miss);
  return misses.length > 0 ? misses : metadataLabelMisses(service, pairs, q);
}

function metadataLabelMisses(service: Service, pairs: readonly LabelEntry[], q: Query): NearMiss[] {
  let candidates: Workload[] | undefined;
  for (const pair of pairs) {
    const withLabel = q.lookup(key.workloadLabel(service.namespace, pair.key, pair.value)) as Workload[];
    candidates = candidates ? candidates.filter((c) => withLabel.includes(c)) : [...withLabel];
  }
  return (candidates ?? []).map((w) => ({
    resourceId: w.id,
    uri: w.uri,
    range: w.labels?.range ?? w.anchor,
    description: `${describe(w)} has these labels in metadata.labels, but a Service selects pod template labels (spec.template.metadata.labels)`,
  }));
}

/** One link per Service port: where its targetPort lands in each selected pod template. */
function resolveTargetPorts(service: Service, workloads: Workload[]): Link[] {
  const links: Link[] = [];
  for (const port of service.ports) {
    const link = resolveTargetPort(service, port, workloads);
    if (link) links.push(link);
  }
  return links;
}

function resolveTargetPort(service: Service, port: ServicePort, workloads: Workload[]): Link | undefined {
  const target = port.targetPort;
  if (!target) return undefined;
  const base = { kind: 'service-target-port' as const, sourceId: service.id, uri: service.uri, range: target.range };
  if (target.unknown) return makeLink(base, { status: 'unknown', targets: [], text: '' });
  const templates = workloads.filter((w) => w.template && !hasOpaquePorts(w.template));
  if (templates.length < workloads.length) return makeLink(base, { status: 'unknown', targets: [], text: String(target.value) });
  return typeof target.value === 'string'
    ? resolveNamedTargetPort(base, target.value, port.protocol.value, templates)
    : resolveNumericTargetPort(base, target.value, port.protocol.value, templates);
}

type LinkBase = Pick<Link, 'kind' | 'sourceId' | 'uri' | 'range'>;

function resolveNamedTargetPort(base: LinkBase, name: string, protocol: string, workloads: Workload[]): Link {
  const targets: LinkTarget[] = [];
  const nearMisses: NearMiss[] = [];
  let reached = 0;
  for (const workload of workloads) {
    const template = workload.template!;
    const found = findNamedPort(template, name, protocol);
    if (found) {
      reached++;
      targets.push({ resourceId: workload.id, uri: workload.uri, range: found.port.range, port: found.number, containerName: found.containerName });
      continue;
    }
    nearMisses.push(...namedPortMisses(workload, name, protocol, base.range));
  }
  const status = reached === workloads.length ? 'resolved' : reached > 0 ? 'partial' : 'missing';
  return makeLink(base, { status, targets, text: name, nearMisses });
}

function namedPortMisses(workload: Workload, name: string, protocol: string, linkRange: Range): NearMiss[] {
  const template = workload.template!;
  const otherProtocol = findNamedPortAnyProtocol(template, name);
  if (otherProtocol) {
    return [{
      resourceId: workload.id,
      uri: workload.uri,
      range: otherProtocol.port.range,
      description: `${describe(workload)} declares port \`${name}\` with protocol ${otherProtocol.port.protocol}, not ${protocol}`,
    }];
  }
  const names = template.containers.flatMap((c) => c.ports).filter((p) => p.name && !p.name.unknown && p.protocol === protocol);
  const closest = closestMatch(name, names.map((p) => (p.name as { value: string }).value));
  const port = names.find((p) => !p.name?.unknown && p.name?.value === closest);
  if (!closest || !port) return [];
  return [{
    resourceId: workload.id,
    uri: workload.uri,
    range: port.range,
    description: `${describe(workload)} declares port \`${closest}\``,
    fix: { range: linkRange, newText: closest },
  }];
}

function resolveNumericTargetPort(base: LinkBase, number: number, protocol: string, workloads: Workload[]): Link {
  const targets: LinkTarget[] = [];
  const declaring = workloads.filter((w) => declaresAnyPort(w.template!));
  for (const workload of declaring) {
    const found = findNumberedPort(workload.template!, number).filter((p) => p.port.protocol === protocol);
    for (const port of found) {
      targets.push({ resourceId: workload.id, uri: workload.uri, range: port.port.range, port: number, containerName: port.containerName });
    }
  }
  const reached = new Set(targets.map((t) => t.resourceId)).size;
  // Pods that declare no ports at all say nothing either way: ports are informational.
  const status = declaring.length === 0 || reached === declaring.length ? 'resolved' : reached > 0 ? 'partial' : 'missing';
  return makeLink(base, { status, targets, text: String(number) });
}
