/** Reads workloads: their selector, pod template labels and container ports. */
import type { Node, YAMLMap } from 'yaml';
import type {
  Container,
  ContainerController,
  ContainerPort,
  GeneratedLabel,
  LabelSelector,
  PodTemplate,
  ResourceBase,
  SelectorExpression,
  Workload,
} from '../model';
import { CUSTOM_WORKLOAD_SHAPE, WORKLOAD_SHAPES } from './kinds';
import type { WorkloadShape } from './kinds';
import type { Reader } from './reader';
import { controllerFromPod } from '../semantics/controllers';

/** A built-in or well-known workload kind (`kind` is one of WORKLOAD_SHAPES), or `custom` for any other kind with a pod template. */
export function extractWorkload(reader: Reader, root: YAMLMap, base: ResourceBase, kind: string, custom = false, fragment = false): Workload {
  const shape: WorkloadShape = custom ? CUSTOM_WORKLOAD_SHAPE : WORKLOAD_SHAPES[kind as keyof typeof WORKLOAD_SHAPES];
  const templateNode = shape.templatePath.length === 0 ? root : reader.path(root, ...shape.templatePath);
  const selectorNode = shape.selectorPath ? reader.path(root, ...shape.selectorPath) : undefined;
  const selectorKeyRange = shape.selectorPath ? keyRangeOf(reader, root, shape.selectorPath) : undefined;
  const generated = generatedLabels(kind, base.name?.value);
  const extraTemplates = (shape.extraTemplatePaths ?? [])
    .map((path) => reader.path(root, ...path))
    .filter((node): node is Node => node !== undefined)
    .map((node) => readTemplate(reader, node, generated));
  return Object.assign(base, {
    type: 'workload' as const,
    kind,
    custom,
    fragment,
    extraTemplates: extraTemplates.length > 0 ? extraTemplates : undefined,
    workloadRef: kind === 'Rollout' ? readWorkloadRef(reader, root) : undefined,
    selector: selectorNode && selectorKeyRange ? readSelector(reader, selectorNode, selectorKeyRange, shape.selectorIsMap) : undefined,
    selectorIsMap: shape.selectorIsMap,
    template: templateNode ? readTemplate(reader, templateNode, generated) : undefined,
    replicas: readReplicas(reader, root, kind),
    manualSelector: manualSelectorOf(reader, root, kind),
  });
}

/** True when `spec.template` of a custom resource looks like a pod template (labels or containers). */
export function hasPodTemplate(reader: Reader, root: YAMLMap): boolean {
  const template = reader.map(reader.path(root, 'spec', 'template'));
  if (!template) return false;
  return reader.seq(reader.path(template, 'spec', 'containers')) !== undefined;
}

function readWorkloadRef(reader: Reader, root: YAMLMap): Workload['workloadRef'] {
  const ref = reader.map(reader.path(root, 'spec', 'workloadRef'));
  const name = reader.string(reader.get(ref, 'name'));
  if (!ref || !name) return undefined;
  return { kind: reader.knownString(reader.get(ref, 'kind'))?.value ?? 'Deployment', name };
}

/**
 * Labels the controllers put on the pods they create, which Services may select although the
 * template does not carry them (kubernetes.io/docs/reference/labels-annotations-taints, the Job,
 * StatefulSet and Deployment controllers, Argo Rollouts, LeaderWorkerSet).
 */
function generatedLabels(kind: string, name: string | undefined): GeneratedLabel[] {
  const exact = (key: string): GeneratedLabel => (name !== undefined ? { key, value: name } : { key });
  const prefixed = (key: string): GeneratedLabel => (name !== undefined ? { key, prefix: `${name}-` } : { key });
  switch (kind) {
    case 'Deployment':
      return [{ key: 'pod-template-hash' }];
    case 'StatefulSet':
      return [{ ...prefixed('statefulset.kubernetes.io/pod-name'), ...(name !== undefined ? { ordinal: true as const } : {}) }, { key: 'apps.kubernetes.io/pod-index' }, { key: 'controller-revision-hash' }];
    case 'DaemonSet':
      return [{ key: 'controller-revision-hash' }, { key: 'pod-template-generation' }];
    case 'Job':
      return [exact('job-name'), exact('batch.kubernetes.io/job-name'), { key: 'controller-uid' }, { key: 'batch.kubernetes.io/controller-uid' }, { key: 'batch.kubernetes.io/job-completion-index' }];
    case 'CronJob':
      return [prefixed('job-name'), prefixed('batch.kubernetes.io/job-name'), { key: 'controller-uid' }, { key: 'batch.kubernetes.io/controller-uid' }];
    case 'Rollout':
      return [{ key: 'rollouts-pod-template-hash' }];
    case 'LeaderWorkerSet':
      return [
        exact('leaderworkerset.sigs.k8s.io/name'),
        { key: 'leaderworkerset.sigs.k8s.io/group-index' },
        { key: 'leaderworkerset.sigs.k8s.io/worker-index' },
        { key: 'leaderworkerset.sigs.k8s.io/group-key' },
        { key: 'leaderworkerset.sigs.k8s.io/template-revision-hash' },
      ];
    default:
      return [];
  }
}

function readReplicas(reader: Reader, root: YAMLMap, kind: string) {
  if (kind === 'Pod' || kind === 'Job' || kind === 'CronJob' || kind === 'DaemonSet') return undefined;
  return reader.int(reader.path(root, 'spec', 'replicas'));
}

function manualSelectorOf(reader: Reader, root: YAMLMap, kind: string): boolean {
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

function readTemplate(reader: Reader, node: Node, generatedLabels: readonly GeneratedLabel[]): PodTemplate {
  const template = reader.map(node);
  const metadata = reader.map(reader.get(template, 'metadata'));
  const labelsKey = reader.keyNode(metadata, 'labels');
  const labelsNode = reader.get(metadata, 'labels');
  const labelsRange = labelsKey ? reader.range(labelsKey) : reader.range(reader.keyNode(template, 'metadata') ?? node);
  const labels = reader.labelMap(labelsNode, labelsRange) ?? { entries: [], partial: false, range: labelsRange };
  const spec = reader.map(reader.get(template, 'spec'));
  const containers = readContainers(reader, reader.get(spec, 'containers'), false);
  const sidecars = readContainers(reader, reader.get(spec, 'initContainers'), true);
  return { labels, generatedLabels, containers: [...containers, ...sidecars], range: reader.range(node) };
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
    const mentionedPorts = readMentionedPorts(reader, map);
    const probePorts = readProbePorts(reader, map);
    containers.push({
      name,
      ports,
      ingressController: readController(reader, map),
      probePorts: probePorts.length > 0 ? probePorts : undefined,
      mentionedPorts: mentionedPorts.length > 0 ? mentionedPorts : undefined,
      sidecar: init,
      range: reader.range(item as Node),
    });
  }
  return containers;
}

/** The ports the container's probes check: proof of a port the process listens on. */
function readProbePorts(reader: Reader, container: YAMLMap): (number | string)[] {
  const out: (number | string)[] = [];
  for (const probe of ['livenessProbe', 'readinessProbe', 'startupProbe']) {
    for (const handler of ['httpGet', 'tcpSocket', 'grpc']) {
      const port = reader.intOrString(reader.path(container, probe, handler, 'port'));
      if (port && !port.unknown && !out.includes(port.value)) out.push(port.value);
    }
  }
  return out;
}

/** Numbers in arguments and environment values that can be ports: `8080`, `--port=8080`, `:8080`, `0.0.0.0:8080`. */
function readMentionedPorts(reader: Reader, container: YAMLMap): number[] {
  const texts: string[] = [];
  for (const key of ['command', 'args']) {
    for (const item of reader.seq(reader.get(container, key))?.items ?? []) {
      const text = reader.knownString(reader.deref(item))?.value;
      if (text && text.length <= 1000) texts.push(text);
    }
  }
  for (const item of reader.seq(reader.get(container, 'env'))?.items ?? []) {
    const text = reader.knownString(reader.get(reader.map(item), 'value'))?.value;
    if (text && text.length <= 1000) texts.push(text);
  }
  const found = new Set<number>();
  for (const text of texts) {
    for (const match of text.matchAll(/(?:^|[=:\s,])(\d{2,5})(?=$|[\s,/"'])/g)) {
      const n = Number(match[1]);
      if (n >= 1 && n <= 65535) found.add(n);
    }
  }
  return [...found].sort((a, b) => a - b);
}

/**
 * Only what makes a container an Ingress controller is kept, so that editing an image tag or an
 * argument of an ordinary container changes nothing the engine compares.
 */
function readController(reader: Reader, container: YAMLMap): ContainerController | undefined {
  const strings = (key: string) => (reader.seq(reader.get(container, key))?.items ?? []).map((i) => reader.knownString(reader.deref(i))?.value).filter((t): t is string => t !== undefined);
  const found = controllerFromPod({ image: reader.knownString(reader.get(container, 'image'))?.value, command: strings('command'), args: strings('args') });
  if (!found) return undefined;
  return { kind: found.profile.kind, controllerClass: found.controllerClass, ingressClass: found.ingressClass, watchWithoutClass: found.watchWithoutClass };
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
