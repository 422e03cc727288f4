/**
 * Reads kustomization files for what changes the meaning of the files they name: patches are
 * partial objects (never checked as objects), and `namespace`, `commonLabels` and `labels` are
 * applied to the listed resources as kustomize would. Directory references (overlays) are not
 * followed.
 */
import type { Node, YAMLMap } from 'yaml';
import type { Kustomization, PlainLabel } from '../model';
import type { Reader } from './reader';
import { resolveRelativeUri } from '../text/uris';

function paths(reader: Reader, node: Node | undefined, objectKey?: string): string[] {
  const out: string[] = [];
  for (const item of reader.seq(node)?.items ?? []) {
    const direct = reader.knownString(reader.deref(item))?.value;
    const path = direct ?? (objectKey ? reader.knownString(reader.get(reader.map(item), objectKey))?.value : undefined);
    // Inline patches are YAML text, not paths; remote resources are URLs.
    if (path && !path.includes('\n') && !/^[a-z]+:\/\//i.test(path)) out.push(path);
  }
  return out;
}

function plainLabels(reader: Reader, node: Node | undefined): PlainLabel[] {
  const map = reader.labelMap(node, reader.range(node));
  return (map?.entries ?? []).map((e) => ({ key: e.key, value: e.value }));
}

export function readKustomization(reader: Reader, root: YAMLMap, uri: string): Kustomization {
  const patchPaths = [
    ...paths(reader, reader.get(root, 'patchesStrategicMerge')),
    ...paths(reader, reader.get(root, 'patches'), 'path'),
    ...paths(reader, reader.get(root, 'patchesJson6902'), 'path'),
  ];
  const resourcePaths = paths(reader, reader.get(root, 'resources')).filter((p) => /\.ya?ml$/i.test(p));
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
  return {
    patchUris: patchPaths.map((p) => resolveRelativeUri(uri, p)),
    resourceUris: resourcePaths.map((p) => resolveRelativeUri(uri, p)),
    namespace: reader.knownString(reader.get(root, 'namespace'))?.value,
    selectorLabels,
    templateLabels,
    metadataLabels,
  };
}
