/**
 * Kustomize patches are partial objects (a Deployment without selector or template, say). Checking
 * them as objects would report false problems, so the files a kustomization names as patches are
 * excluded from the index.
 */
import type { YAMLMap } from 'yaml';
import type { Reader } from './reader';
import { resolveRelativeUri } from '../text/uris';

export function kustomizationPatchUris(reader: Reader, root: YAMLMap, uri: string): string[] {
  const paths: string[] = [];
  for (const item of reader.seq(reader.get(root, 'patchesStrategicMerge'))?.items ?? []) {
    const path = reader.knownString(reader.deref(item))?.value;
    // Inline patches are YAML text, not paths.
    if (path && !path.includes('\n')) paths.push(path);
  }
  for (const key of ['patches', 'patchesJson6902']) {
    for (const item of reader.seq(reader.get(root, key))?.items ?? []) {
      const direct = reader.knownString(reader.deref(item))?.value;
      const path = direct ?? reader.knownString(reader.get(reader.map(item), 'path'))?.value;
      if (path && !path.includes('\n')) paths.push(path);
    }
  }
  return paths.map((path) => resolveRelativeUri(uri, path));
}
