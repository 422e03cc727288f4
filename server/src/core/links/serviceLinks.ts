/** Service → pod templates (selector) and Service port → container ports (targetPort). */
import type { Range } from 'vscode-languageserver-types';
import type { Link, LinkTarget, NearMiss } from '../analysis/types';
import type { Query } from '../analysis/query';
import type { ContainerPort, GeneratedLabel, LabelEntry, PodTemplate, Service, ServicePort, Workload } from '../model';
import { formatLabels } from '../semantics/labels';
import { closestMatch, editDistance } from '../semantics/names';
import { declaresAnyPort, findNamedPort, findNamedPortAnyProtocol, findNumberedPort, hasOpaquePorts } from '../semantics/ports';
import type { ResolvedPort } from '../semantics/ports';
import { makeLink } from './makeLink';
import { sameRange } from '../text/ranges';
import { key, podTemplatesOf } from '../workspace/keys';
import { REACH, nearbyReach, nearest, within } from '../workspace/scopes';
import { describe } from './describe';

export function selectsPods(service: Service): boolean {
  if (service.serviceType.value === 'ExternalName' || !service.selector) return false;
  // An empty selector means "endpoints are managed by hand", exactly like no selector.
  return service.selector.entries.length > 0 || service.selector.partial;
}

function generatedMatch(label: GeneratedLabel, value: string): boolean {
  if (label.value !== undefined) return label.value === value;
  if (label.prefix === undefined) return true;
  const rest = value.slice(label.prefix.length);
  return value.startsWith(label.prefix) && rest.length > 0 && (!label.ordinal || /^\d+$/.test(rest));
}

/** True when a pod of this template carries the label (written in the template, or added by the workload's controller). */
export function podHasLabel(template: PodTemplate, labelKey: string, value: string): boolean {
  return template.labels.entries.some((e) => e.key === labelKey && e.value === value) || template.generatedLabels.some((g) => g.key === labelKey && generatedMatch(g, value));
}

/** The pod templates of a workload that a Service selector matches (LeaderWorkerSet has two). */
export function selectedTemplates(workload: Workload, service: Service): PodTemplate[] {
  const pairs = service.selector?.entries ?? [];
  return podTemplatesOf(workload).filter((t) => pairs.every((pair) => podHasLabel(t, pair.key, pair.value)));
}

/** Workloads anywhere in the namespace whose pods carry every selector pair. */
function matchingWorkloads(service: Service, q: Query): Workload[] {
  let candidates: Workload[] | undefined;
  for (const entry of service.selector?.entries ?? []) {
    const exact = q.lookup(key.podLabel(service.namespace, entry.key, entry.value)) as Workload[];
    const generated = (q.lookup(key.podLabelAny(service.namespace, entry.key)) as Workload[]).filter((w) => podTemplatesOf(w).some((t) => t.generatedLabels.some((g) => g.key === entry.key && generatedMatch(g, entry.value))));
    const withLabel = generated.length === 0 ? exact : [...new Set([...exact, ...generated])];
    candidates = candidates ? candidates.filter((c) => withLabel.includes(c)) : [...withLabel];
    if (candidates.length === 0) break;
  }
  return (candidates ?? []).filter((w) => selectedTemplates(w, service).length > 0);
}

/**
 * The workloads a Service selects: of those whose pods match, the nearest (same file, apply
 * unit, folder, then the workspace; scopes.ts), so that a look-alike workload of another example
 * neither hides a mismatch nor counts as this Service's pods.
 */
export function selectedWorkloads(service: Service, q: Query): Workload[] {
  return nearestWorkloads(service, q).items;
}

function nearestWorkloads(service: Service, q: Query) {
  return nearest(service, matchingWorkloads(service, q), q);
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
  const near = nearestWorkloads(service, q);
  const matched = near.items;
  if (matched.length > 0) {
    const far = near.reach === REACH.workspace;
    const targets = matched.map((w): LinkTarget => ({ resourceId: w.id, uri: w.uri, range: selectedTemplates(w, service)[0]?.labels.range ?? w.anchor }));
    return [makeLink(base, { status: 'resolved', targets, far }), ...resolveTargetPorts(service, matched, far)];
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
  // Only pods near the Service: a workload of another example is no suggestion.
  for (const workload of within(service, q.lookup(key.podsIn(service.namespace)) as Workload[], q, nearbyReach(service, q))) {
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
        ...(pairs.length > 1 ? { strong: true as const } : {}),
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
  return within(service, candidates ?? [], q, nearbyReach(service, q)).map((w) => ({
    resourceId: w.id,
    uri: w.uri,
    range: w.labels?.range ?? w.anchor,
    description: `${describe(w)} has these labels in metadata.labels, but a Service selects pod template labels (spec.template.metadata.labels)`,
  }));
}

/** A selected workload with one of its pod templates (LeaderWorkerSet's leader and workers are two). */
interface SelectedPods {
  readonly workload: Workload;
  readonly template: PodTemplate;
}

/** One link per Service port: where its targetPort lands in each selected pod template. */
function resolveTargetPorts(service: Service, workloads: Workload[], far: boolean): Link[] {
  const pods = workloads.flatMap((workload) => selectedTemplates(workload, service).map((template) => ({ workload, template })));
  const links: Link[] = [];
  for (const port of service.ports) {
    const link = resolveTargetPort(service, port, pods);
    if (link) links.push(far ? { ...link, far: true } : link);
  }
  return links;
}

function resolveTargetPort(service: Service, port: ServicePort, pods: readonly SelectedPods[]): Link | undefined {
  const target = port.targetPort;
  if (!target) return undefined;
  const base = { kind: 'service-target-port' as const, sourceId: service.id, uri: service.uri, range: target.range };
  if (target.unknown) return makeLink(base, { status: 'unknown', targets: [], text: '' });
  if (pods.some((p) => hasOpaquePorts(p.template))) return makeLink(base, { status: 'unknown', targets: [], text: String(target.value) });
  return typeof target.value === 'string'
    ? resolveNamedTargetPort(base, target.value, port.protocol.value, pods)
    : resolveNumericTargetPort(base, target.value, port.protocol.value, pods);
}

type LinkBase = Pick<Link, 'kind' | 'sourceId' | 'uri' | 'range'>;

function resolveNamedTargetPort(base: LinkBase, name: string, protocol: string, pods: readonly SelectedPods[]): Link {
  const targets: LinkTarget[] = [];
  const nearMisses: NearMiss[] = [];
  let reached = 0;
  for (const { workload, template } of pods) {
    const found = findNamedPort(template, name, protocol);
    if (found) {
      reached++;
      targets.push({ resourceId: workload.id, uri: workload.uri, range: found.port.range, port: found.number, containerName: found.containerName });
      continue;
    }
    nearMisses.push(...namedPortMisses(workload, template, name, protocol, base.range));
  }
  const status = reached === pods.length ? 'resolved' : reached > 0 ? 'partial' : 'missing';
  return makeLink(base, { status, targets, text: name, nearMisses });
}

function namedPortMisses(workload: Workload, template: PodTemplate, name: string, protocol: string, linkRange: Range): NearMiss[] {
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

/**
 * A numeric targetPort is used as-is: declaring it is informational. Pods that declare no ports,
 * or whose arguments or environment mention the number, say nothing against it.
 */
function resolveNumericTargetPort(base: LinkBase, number: number, protocol: string, pods: readonly SelectedPods[]): Link {
  const targets: LinkTarget[] = [];
  const nearMisses: NearMiss[] = [];
  const listensOn = (t: PodTemplate) => t.containers.some((c) => c.mentionedPorts?.includes(number) || c.probePorts?.includes(number));
  const judged = pods.filter((p) => declaresAnyPort(p.template) && !listensOn(p.template));
  let reached = 0;
  for (const { workload, template } of judged) {
    const declared = findNumberedPort(template, number);
    const found = declared.filter((p) => p.port.protocol === protocol);
    if (found.length > 0) reached++;
    for (const port of found) {
      targets.push({ resourceId: workload.id, uri: workload.uri, range: port.port.range, port: number, containerName: port.containerName });
    }
    if (found.length === 0) nearMisses.push(...numberedPortMisses(workload, template, number, protocol, declared, base.range));
  }
  const status = judged.length === 0 || reached === judged.length ? 'resolved' : reached > 0 ? 'partial' : 'missing';
  return makeLink(base, { status, targets, text: String(number), nearMisses });
}

/**
 * Evidence that a numeric targetPort that no pod declares is a mistake, not an undeclared port
 * the process listens on (declaring ports is informational): the pods declare the number for
 * another protocol (UDP traffic to a TCP-only port), or as a hostPort (which only exists on the
 * node's address). A number a digit away from a declared one, or probes on another declared
 * port, are no evidence: one process often listens on 8000, 8080 and 8443 at once.
 */
function numberedPortMisses(workload: Workload, template: PodTemplate, number: number, protocol: string, sameNumber: readonly ResolvedPort[], linkRange: Range): NearMiss[] {
  const miss = (port: ContainerPort, description: string, fixed?: number): NearMiss[] => [
    { resourceId: workload.id, uri: workload.uri, range: port.range, description: `${describe(workload)} ${description}`, fix: fixed === undefined ? undefined : { range: linkRange, newText: String(fixed) } },
  ];
  const other = sameNumber.find((p) => p.port.protocol !== protocol);
  if (other) return miss(other.port, `declares containerPort ${number} with protocol ${other.port.protocol}, not ${protocol}`);
  const declared = template.containers.flatMap((c) => c.ports).filter((p) => p.containerPort && !p.containerPort.unknown && p.protocol === protocol);
  const valueOf = (p: ContainerPort) => (p.containerPort as { value: number }).value;
  const host = declared.find((p) => p.hostPort && !p.hostPort.unknown && p.hostPort.value === number);
  if (host) return miss(host, `declares ${number} as the hostPort of containerPort ${valueOf(host)}; a Service sends to the containerPort`, valueOf(host));
  return [];
}
