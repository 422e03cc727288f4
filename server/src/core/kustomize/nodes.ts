/**
 * Copy-on-write editing of `yaml` nodes for kustomize patches: patched objects are new maps and
 * lists whose entries are the original nodes of the base and of the patch, never modified.
 * Every node of another document is registered in `ForeignNodes`, so a `Reader` gives its values
 * ranges in the patch's file.
 */
import { Document, Pair, Scalar, YAMLMap, YAMLSeq, isAlias, isMap, isPair, isScalar, isSeq, visit } from 'yaml';
import type { Alias, Node } from 'yaml';
import { aliasTargets } from '../parse/yamlNodes';
import type { ForeignNodes, NodeOrigin } from '../parse/reader';

/** What the aliases of a document name, built once per document (see parse/yamlNodes.ts). */
const aliasTables = new WeakMap<Document, Map<Alias, Node | undefined>>();

/** Follows aliases (a bounded number of hops) in the document a node belongs to. */
export function deref(node: unknown, home: Document, foreign: ForeignNodes): Node | undefined {
  let current = node;
  for (let hops = 0; isAlias(current); hops++) {
    if (hops >= 8) return undefined;
    const doc = foreign.get(current)?.doc ?? home;
    let table = aliasTables.get(doc);
    if (!table) {
      table = aliasTargets(doc);
      aliasTables.set(doc, table);
    }
    current = table.get(current);
  }
  return current === null || current === undefined ? undefined : (current as Node);
}

/** Registers every node of a patch document as coming from that document. */
export function registerDocument(foreign: ForeignNodes, origin: NodeOrigin, root: Node | null | undefined): void {
  if (!root) return;
  foreign.set(root, origin);
  visit(root, {
    Node(_, node) {
      foreign.set(node, origin);
    },
    Pair(_, pair) {
      if (pair.key && typeof pair.key === 'object') foreign.set(pair.key, origin);
    },
  });
}

/** A new map standing for `like` (its range and file), holding `pairs`. */
export function newMap(pairs: Pair[], like: Node | undefined, foreign: ForeignNodes): YAMLMap {
  const map = new YAMLMap();
  map.items = pairs;
  if (like) {
    map.range = like.range;
    const origin = foreign.get(like);
    if (origin) foreign.set(map, origin);
  }
  return map;
}

/** A new list standing for `like`, holding `items`. */
export function newSeq(items: unknown[], like: Node | undefined, foreign: ForeignNodes): YAMLSeq {
  const seq = new YAMLSeq();
  seq.items = items;
  if (like) {
    seq.range = like.range;
    const origin = foreign.get(like);
    if (origin) foreign.set(seq, origin);
  }
  return seq;
}

/** A new pair reusing the key node. */
export function newPair(key: unknown, value: unknown): Pair {
  return new Pair(key, value);
}

export function keyOf(pair: Pair): string | undefined {
  const key = pair.key;
  if (!isScalar(key)) return undefined;
  const value = key.value;
  return typeof value === 'string' ? value : typeof value === 'number' || typeof value === 'boolean' ? String(value) : undefined;
}

/** The plain value of a scalar node, as text, or undefined. */
export function scalarValue(node: Node | undefined): string | undefined {
  if (!isScalar(node)) return undefined;
  const value = node.value;
  return value === null || value === undefined ? undefined : typeof value === 'string' ? value : String(value);
}

export function isNullNode(node: Node | undefined): boolean {
  return isScalar(node) && (node.value === null || node.value === undefined);
}

export { Document, Scalar, isMap, isPair, isScalar, isSeq };
