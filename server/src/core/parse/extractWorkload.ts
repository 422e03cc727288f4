/** Reads workloads: their selector, pod template labels and container ports. */
import type { Node, YAMLMap } from 'yaml';
import type {
  Container,
  ContainerPort,
  LabelSelector,
  PodTemplate,
  ResourceBase,
  SelectorExpression,
  Workload,
  WorkloadKind,
} from '../model';
import { WORKLOAD_SHAPES } from './kinds';
import type { Reader } from './reader';

export function extractWorkload(reader: Reader, root: YAMLMap, base: ResourceBase, kind: WorkloadKind): Workload {
  const shape = WORKLOAD_SHAPES[kind];
  const templateNode = shape.templatePath.length === 0 ? root : reader.path(root, ...shape.templatePath);
  const selectorNode = shape.selectorPath ? reader.path(root, ...shape.selectorPath) : undefined;
  const selectorKeyRange = shape.selectorPath ? keyRangeOf(reader, root, shape.selectorPath) : undefined;
  return Object.assign(base, {
    type: 'workload' as const,
    kind,
    selector: selectorNode && selectorKeyRange ? readSelector(reader, selectorNode, selectorKeyRange, shape.selectorIsMap) : undefined,
    selectorIsMap: shape.selectorIsMap,
    template: templateNode ? readTemplate(reader, templateNode) : undefined,
    replicas: readReplicas(reader, root, kind),
    manualSelector: manualSelectorOf(reader, root, kind),
  });
}

function readReplicas(reader: Reader, root: YAMLMap, kind: WorkloadKind) {
  if (kind === 'Pod' || kind === 'Job' || kind === 'CronJob' || kind === 'DaemonSet') return undefined;
  return reader.int(reader.path(root, 'spec', 'replicas'));
}

function manualSelectorOf(reader: Reader, root: YAMLMap, kind: WorkloadKind): boolean {
  if (kind === 'Job') return reader.bool(reader.path(root, 'spec', 'manualSelector')) === true;
  if (kind === 'CronJob') return reader.bool(reader.path(root, 'spec', 'jobTemplate', 'spec', 'manualSelector')) === true;
  return false;
}

function keyRangeOf(reader: Reader, root: YAMLMap, path: readonly string[]) {
  const parent = path.length > 1 ? reader.map(reader.path(root, ...path.slice(0, -1))) : root;
  const key = reader.keyNode(parent, path[path.length - 1]);
  return key ? reader.range(key) : undefined;
}

export function readSelector(reader: Reader, node: Node, keyRange: LabelSelector['range'], isMap: boolean): LabelSelector {
  if (isMap) {
    const labels = reader.labelMap(node, keyRange);
    return { matchLabels: labels?.entries ?? [], expressions: [], partial: labels?.partial ?? false, range: keyRange };
  }
  const map = reader.map(node);
  const matchLabelsNode = reader.get(map, 'matchLabels');
  const labels = matchLabelsNode ? reader.labelMap(matchLabelsNode, keyRange) : undefined;
  const expressions = readExpressions(reader, reader.get(map, 'matchExpressions'));
  return {
    matchLabels: labels?.entries ?? [],
    expressions: expressions.list,
    partial: (labels?.partial ?? false) || expressions.partial || (!map && node.range !== undefined && !isEmptyScalar(node)),
    range: keyRange,
  };
}

function isEmptyScalar(node: Node): boolean {
  return 'value' in node && ((node as { value: unknown }).value === null || (node as { value: unknown }).value === '');
}

function readExpressions(reader: Reader, node: Node | undefined): { list: SelectorExpression[]; partial: boolean } {
  const list: SelectorExpression[] = [];
  let partial = false;
  for (const item of reader.seq(node)?.items ?? []) {
    const map = reader.map(item);
    const key = reader.string(reader.get(map, 'key'));
    const operator = reader.string(reader.get(map, 'operator'));
    const values = (reader.seq(reader.get(map, 'values'))?.items ?? []).map((v) => reader.string(reader.deref(v)));
    if (!key || key.unknown || !operator || operator.unknown || values.some((v) => !v || v.unknown)) {
      partial = true;
      continue;
    }
    const known = values.map((v) => (v && !v.unknown ? v.value : ''));
    list.push({ key: key.value, operator: operator.value, values: known, range: reader.range(item as Node) });
  }
  return { list, partial };
}

function readTemplate(reader: Reader, node: Node): PodTemplate {
  const template = reader.map(node);
  const metadata = reader.map(reader.get(template, 'metadata'));
  const labelsKey = reader.keyNode(metadata, 'labels');
  const labelsNode = reader.get(metadata, 'labels');
  const labelsRange = labelsKey ? reader.range(labelsKey) : reader.range(reader.keyNode(template, 'metadata') ?? node);
  const labels = reader.labelMap(labelsNode, labelsRange) ?? { entries: [], partial: false, range: labelsRange };
  const spec = reader.map(reader.get(template, 'spec'));
  const containers = readContainers(reader, reader.get(spec, 'containers'), false);
  const sidecars = readContainers(reader, reader.get(spec, 'initContainers'), true);
  return { labels, containers: [...containers, ...sidecars], range: reader.range(node) };
}

function readContainers(reader: Reader, node: Node | undefined, init: boolean): Container[] {
  const containers: Container[] = [];
  for (const item of reader.seq(node)?.items ?? []) {
    const map = reader.map(item);
    if (!map) continue;
    // Only init containers that keep running (sidecars) serve traffic and resolve named ports.
    if (init && reader.knownString(reader.get(map, 'restartPolicy'))?.value !== 'Always') continue;
    const name = reader.knownString(reader.get(map, 'name'))?.value ?? '';
    const ports = (reader.seq(reader.get(map, 'ports'))?.items ?? [])
      .map((p) => readContainerPort(reader, p))
      .filter((p): p is ContainerPort => p !== undefined);
    containers.push({ name, ports, sidecar: init, range: reader.range(item as Node) });
  }
  return containers;
}

function readContainerPort(reader: Reader, item: unknown): ContainerPort | undefined {
  const map = reader.map(item);
  if (!map) return undefined;
  const protocol = reader.knownString(reader.get(map, 'protocol'))?.value ?? 'TCP';
  return {
    name: reader.string(reader.get(map, 'name')),
    containerPort: reader.int(reader.get(map, 'containerPort')),
    hostPort: reader.int(reader.get(map, 'hostPort')),
    protocol,
    range: reader.range(item as Node),
  };
}
