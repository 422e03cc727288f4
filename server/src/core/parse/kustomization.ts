/**
 * Reads kustomization files: what they include (resources, bases, components), their patches and
 * the transformations they apply (namespace, name prefix/suffix, labels, replicas, images,
 * generators). workspace/builds.ts applies them as `kustomize build` would.
 */
import { isScalar } from 'yaml';
import type { Node, YAMLMap } from 'yaml';
import type { Known, Kustomization, KustomizationEntry, KustomizePatch, PatchTarget, PlainLabel } from '../model';
import type { Reader } from './reader';
import { resolveRelativeUri } from '../text/uris';

/** Remote resources (git, https) cannot be read offline. */
function isRemote(path: string): boolean {
  return /^[a-z][a-z0-9+.-]*:\/\//i.test(path) || /^(github\.com|gitlab\.com|bitbucket\.org)\//.test(path) || path.startsWith('git@');
}

function entries(reader: Reader, node: Node | undefined, uri: string): KustomizationEntry[] {
  const out: KustomizationEntry[] = [];
  for (const item of reader.seq(node)?.items ?? []) {
    const path = reader.knownString(reader.deref(item));
    if (!path || path.value.includes('\n') || isRemote(path.value)) continue;
    out.push({ uri: resolveRelativeUri(uri, path.value.replace(/\/+$/, '')), range: path.range });
  }
  return out;
}

function plainLabels(reader: Reader, node: Node | undefined): PlainLabel[] {
  const map = reader.labelMap(node, reader.range(node));
  return (map?.entries ?? []).map((e) => ({ key: e.key, value: e.value }));
}

function readTarget(reader: Reader, node: Node | undefined): PatchTarget | undefined {
  const map = reader.map(node);
  if (!map) return undefined;
  const text = (key: string) => reader.knownString(reader.get(map, key))?.value;
  return {
    group: text('group'),
    version: text('version'),
    kind: text('kind'),
    name: text('name'),
    namespace: text('namespace'),
    labelSelector: text('labelSelector'),
    annotationSelector: text('annotationSelector'),
  };
}

/** An inline patch (a YAML string inside the kustomization): its text and where it starts. */
function inlinePatch(reader: Reader, node: Node | undefined): KustomizePatch['inline'] | undefined {
  if (!isScalar(node) || typeof node.value !== 'string') return undefined;
  const start = reader.blockScalarContentStart(node);
  const range = reader.range(node);
  return start
    ? { text: node.value, line: start.line, column: start.column, block: true }
    : { text: node.value, line: range.start.line, column: range.start.character, block: false };
}

/** `patches:` entries (path or inline patch, with an optional target) and the older lists. */
function readPatches(reader: Reader, root: YAMLMap, uri: string): KustomizePatch[] {
  const patches: KustomizePatch[] = [];
  const add = (form: KustomizePatch['form'], item: unknown, pathKey: string, inlineKey: string | undefined) => {
    const node = reader.deref(item);
    const range = reader.range(node);
    const direct = isScalar(node) ? reader.knownString(node) : undefined;
    if (direct) {
      // patchesStrategicMerge items are paths, or inline patches written as strings.
      if (direct.value.includes('\n')) patches.push({ form, inline: inlinePatch(reader, node), range });
      else if (!isRemote(direct.value)) patches.push({ form, uri: resolveRelativeUri(uri, direct.value), range });
      return;
    }
    const map = reader.map(node);
    if (!map) return;
    const target = readTarget(reader, reader.get(map, 'target'));
    const path = reader.knownString(reader.get(map, pathKey));
    if (path && !isRemote(path.value)) patches.push({ form, uri: resolveRelativeUri(uri, path.value), target, range });
    else if (inlineKey) {
      const inline = inlinePatch(reader, reader.get(map, inlineKey));
      if (inline) patches.push({ form, inline, target, range });
    }
  };
  for (const item of reader.seq(reader.get(root, 'patchesStrategicMerge'))?.items ?? []) add('strategic', item, 'path', undefined);
  for (const item of reader.seq(reader.get(root, 'patches'))?.items ?? []) add('either', item, 'path', 'patch');
  for (const item of reader.seq(reader.get(root, 'patchesJson6902'))?.items ?? []) add('json6902', item, 'path', 'patch');
  return patches;
}

function readLabels(reader: Reader, root: YAMLMap): Pick<Kustomization, 'selectorLabels' | 'templateLabels' | 'metadataLabels'> {
  const selectorLabels = plainLabels(reader, reader.get(root, 'commonLabels'));
  const templateLabels: PlainLabel[] = [];
  const metadataLabels: PlainLabel[] = [];
  for (const item of reader.seq(reader.get(root, 'labels'))?.items ?? []) {
    const entry = reader.map(item);
    const pairs = plainLabels(reader, reader.get(entry, 'pairs'));
    if (reader.bool(reader.get(entry, 'includeSelectors'))) selectorLabels.push(...pairs);
    else if (reader.bool(reader.get(entry, 'includeTemplates'))) templateLabels.push(...pairs);
    else metadataLabels.push(...pairs);
  }
  return { selectorLabels, templateLabels, metadataLabels };
}

function readReplicas(reader: Reader, root: YAMLMap): Kustomization['replicas'] {
  const out: { name: string; count: Known<number> }[] = [];
  for (const item of reader.seq(reader.get(root, 'replicas'))?.items ?? []) {
    const map = reader.map(item);
    const name = reader.knownString(reader.get(map, 'name'))?.value;
    const count = reader.int(reader.get(map, 'count'));
    if (name && count && !count.unknown) out.push({ name, count });
  }
  return out;
}

function readGenerated(reader: Reader, root: YAMLMap): Kustomization['generated'] {
  const out: Kustomization['generated'][number][] = [];
  const read = (key: string, kind: 'ConfigMap' | 'Secret') => {
    for (const item of reader.seq(reader.get(root, key))?.items ?? []) {
      const map = reader.map(item);
      const name = reader.knownString(reader.get(map, 'name'));
      if (name) out.push({ kind, name, type: reader.knownString(reader.get(map, 'type'))?.value });
    }
  };
  read('configMapGenerator', 'ConfigMap');
  read('secretGenerator', 'Secret');
  return out;
}

export function readKustomization(reader: Reader, root: YAMLMap, uri: string): Kustomization {
  const kind = reader.knownString(reader.get(root, 'kind'))?.value;
  return {
    isComponent: kind === 'Component',
    resources: [...entries(reader, reader.get(root, 'resources'), uri), ...entries(reader, reader.get(root, 'bases'), uri)],
    components: entries(reader, reader.get(root, 'components'), uri),
    patches: readPatches(reader, root, uri),
    namespace: reader.knownString(reader.get(root, 'namespace')),
    namePrefix: reader.knownString(reader.get(root, 'namePrefix')),
    nameSuffix: reader.knownString(reader.get(root, 'nameSuffix')),
    ...readLabels(reader, root),
    replicas: readReplicas(reader, root),
    generated: readGenerated(reader, root),
    range: reader.range(root as Node),
  };
}
