/**
 * Strategic merge patches (kustomize `patchesStrategicMerge` and object patches of `patches`), as
 * Kubernetes defines them: maps merge key by key (a `null` value deletes the key), lists with a
 * patch merge key merge item by item (containers by `name`, Service ports by `port`, container
 * ports by `containerPort`, …), other lists are replaced, and `$patch: delete` / `$patch: replace`
 * directives delete or replace what they stand in. Only the merge keys of the fields that the
 * engine reads or that commonly hold them are modelled; a list without a known key is replaced,
 * as for a list without one in the API.
 * Source: k8s.io/apimachinery/pkg/util/strategicpatch (patchMergeKey tags of core/v1 and apps/v1).
 */
import type { Document, Node, Pair } from 'yaml';
import type { ForeignNodes } from '../parse/reader';
import { deref, isMap, isNullNode, isSeq, keyOf, newMap, newPair, newSeq, scalarValue } from './nodes';

/** The merge key of a list, by the field that holds it and the field holding that one. */
function mergeKeyOf(field: string, parent: string | undefined): string | undefined {
  switch (field) {
    case 'containers':
    case 'initContainers':
    case 'ephemeralContainers':
    case 'env':
    case 'volumes':
    case 'imagePullSecrets':
    case 'resourceClaims':
      return 'name';
    case 'volumeMounts':
      return 'mountPath';
    case 'volumeDevices':
      return 'devicePath';
    case 'hostAliases':
      return 'ip';
    case 'ports':
      // Service spec.ports merge by port; container ports by containerPort.
      return parent === 'spec' ? 'port' : 'containerPort';
    default:
      return undefined;
  }
}

const DIRECTIVE = /^\$(patch|retainKeys|setElementOrder\/|deleteFromPrimitiveList\/)/;

export interface MergeContext {
  readonly baseDoc: Document;
  readonly foreign: ForeignNodes;
}

export const DELETED = Symbol('deleted');

/** Merges `patch` into `base`; DELETED when the patch deletes it. */
export function strategicMerge(base: Node | undefined, patch: Node | undefined, ctx: MergeContext, field = '', parent?: string): Node | undefined | typeof DELETED {
  const p = deref(patch, ctx.baseDoc, ctx.foreign);
  const b = deref(base, ctx.baseDoc, ctx.foreign);
  if (isMap(p)) {
    const directive = scalarValue(pairValue(p, '$patch', ctx));
    if (directive === 'delete') return DELETED;
    if (directive === 'replace' || !isMap(b)) return withoutDirectives(p, ctx);
    return mergeMaps(b, p, ctx, field);
  }
  if (isSeq(p)) {
    const key = mergeKeyOf(field, parent);
    if (!key || !isSeq(b)) return withoutDirectiveItems(p, ctx);
    return mergeLists(b, p, key, ctx, field);
  }
  return p;
}

function pairsOf(map: Node): Pair[] {
  return isMap(map) ? (map.items as Pair[]) : [];
}

function pairValue(map: Node, key: string, ctx: MergeContext): Node | undefined {
  const pair = pairsOf(map).find((item) => keyOf(item) === key);
  return pair ? deref(pair.value, ctx.baseDoc, ctx.foreign) : undefined;
}

function withoutDirectives(map: Node, ctx: MergeContext): Node {
  const pairs = pairsOf(map).filter((pair) => !DIRECTIVE.test(keyOf(pair) ?? ''));
  return newMap(pairs, map, ctx.foreign);
}

function withoutDirectiveItems(seq: Node, ctx: MergeContext): Node {
  if (!isSeq(seq)) return seq;
  const items = seq.items.filter((item) => {
    const node = deref(item, ctx.baseDoc, ctx.foreign);
    const directive = isMap(node) ? scalarValue(pairValue(node, '$patch', ctx)) : undefined;
    return directive !== 'delete' && directive !== 'replace';
  });
  return newSeq(items, seq, ctx.foreign);
}

function mergeMaps(base: Node, patch: Node, ctx: MergeContext, field: string): Node {
  const patchPairs = pairsOf(patch).filter((pair) => !DIRECTIVE.test(keyOf(pair) ?? ''));
  const byKey = new Map(patchPairs.map((pair) => [keyOf(pair), pair]));
  const out: Pair[] = [];
  for (const pair of pairsOf(base)) {
    const key = keyOf(pair);
    const override = key !== undefined ? byKey.get(key) : undefined;
    if (!override) {
      out.push(pair);
      continue;
    }
    byKey.delete(key);
    const patchValue = deref(override.value, ctx.baseDoc, ctx.foreign);
    if (isNullNode(patchValue)) continue;
    const merged = strategicMerge(pair.value as Node, override.value as Node, ctx, key ?? '', field);
    if (merged !== DELETED) out.push(newPair(pair.key, merged));
  }
  for (const pair of byKey.values()) {
    if (!pair || isNullNode(deref(pair.value, ctx.baseDoc, ctx.foreign))) continue;
    const merged = strategicMerge(undefined, pair.value as Node, ctx, keyOf(pair) ?? '', field);
    if (merged !== DELETED) out.push(newPair(pair.key, merged));
  }
  return newMap(out, base, ctx.foreign);
}

/** A list item `{$patch: replace}`: the patch's items replace the whole list. */
function replacesList(patch: Node, ctx: MergeContext): boolean {
  return isSeq(patch) && patch.items.some((item) => {
    const node = deref(item, ctx.baseDoc, ctx.foreign);
    return isMap(node) && scalarValue(pairValue(node, '$patch', ctx)) === 'replace';
  });
}

function mergeLists(base: Node, patch: Node, key: string, ctx: MergeContext, field: string): Node {
  if (!isSeq(base) || !isSeq(patch)) return patch;
  if (replacesList(patch, ctx)) {
    const kept = patch.items.filter((item) => {
      const node = deref(item, ctx.baseDoc, ctx.foreign);
      return !(isMap(node) && pairsOf(node).some((pair) => DIRECTIVE.test(keyOf(pair) ?? '')));
    });
    return newSeq(kept, base, ctx.foreign);
  }
  const items: unknown[] = [...base.items];
  const keyValue = (item: unknown) => {
    const node = deref(item, ctx.baseDoc, ctx.foreign);
    return isMap(node) ? scalarValue(pairValue(node, key, ctx)) : undefined;
  };
  for (const patchItem of patch.items) {
    const value = keyValue(patchItem);
    const at = value === undefined ? -1 : items.findIndex((item) => keyValue(item) === value);
    if (at < 0) {
      const merged = strategicMerge(undefined, patchItem as Node, ctx, field, field);
      if (merged !== DELETED && merged !== undefined) items.push(merged);
      continue;
    }
    const merged = strategicMerge(items[at] as Node, patchItem as Node, ctx, field, field);
    if (merged === DELETED) items.splice(at, 1);
    else items[at] = merged;
  }
  return newSeq(items, base, ctx.foreign);
}
