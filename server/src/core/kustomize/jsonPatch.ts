/**
 * JSON patches (RFC 6902: add, remove, replace, move, copy, test) applied copy-on-write to a
 * `yaml` node tree, as kustomize's `patchesJson6902` and list patches of `patches` do. A failing
 * operation (a path that does not exist) makes `kustomize build` fail; here it leaves the object
 * as it was and the caller is told, so nothing is concluded from a half-applied patch.
 */
import type { Document, Node } from 'yaml';
import { Scalar } from 'yaml';
import type { ForeignNodes } from '../parse/reader';
import { deref, isMap, isSeq, keyOf, newMap, newPair, newSeq, scalarValue } from './nodes';

export interface JsonPatchOperation {
  readonly op: string;
  readonly path: string;
  readonly from?: string;
  readonly value?: Node;
}

interface Ctx {
  readonly doc: Document;
  readonly foreign: ForeignNodes;
}

/** Reads the operations of a JSON patch document (a list of `{op, path, value}` maps). */
export function readOperations(root: Node | undefined, doc: Document, foreign: ForeignNodes): JsonPatchOperation[] | undefined {
  const list = deref(root, doc, foreign);
  if (!isSeq(list)) return undefined;
  const ops: JsonPatchOperation[] = [];
  for (const item of list.items) {
    const map = deref(item, doc, foreign);
    if (!isMap(map)) return undefined;
    const field = (key: string) => map.items.find((pair) => keyOf(pair) === key)?.value as Node | undefined;
    const op = scalarValue(deref(field('op'), doc, foreign));
    const path = scalarValue(deref(field('path'), doc, foreign));
    if (!op || path === undefined) return undefined;
    ops.push({ op, path, from: scalarValue(deref(field('from'), doc, foreign)), value: field('value') });
  }
  return ops;
}

/** Applies the operations in order; undefined when one of them cannot be applied. */
export function applyJsonPatch(root: Node, ops: readonly JsonPatchOperation[], doc: Document, foreign: ForeignNodes): Node | undefined {
  const ctx: Ctx = { doc, foreign };
  let current: Node | undefined = root;
  for (const op of ops) {
    if (!current) return undefined;
    current = applyOne(current, op, ctx);
  }
  return current;
}

function pointer(path: string): string[] | undefined {
  if (path === '') return [];
  if (!path.startsWith('/')) return undefined;
  return path.slice(1).split('/').map((token) => token.replace(/~1/g, '/').replace(/~0/g, '~'));
}

function applyOne(root: Node, op: JsonPatchOperation, ctx: Ctx): Node | undefined {
  const path = pointer(op.path);
  if (!path) return undefined;
  switch (op.op) {
    case 'add':
      return op.value === undefined ? undefined : edit(root, path, ctx, 'add', op.value);
    case 'replace':
      return op.value === undefined ? undefined : edit(root, path, ctx, 'replace', op.value);
    case 'remove':
      return edit(root, path, ctx, 'remove');
    case 'move':
    case 'copy': {
      const from = op.from === undefined ? undefined : pointer(op.from);
      const value = from ? get(root, from, ctx) : undefined;
      if (!from || value === undefined) return undefined;
      const base = op.op === 'move' ? edit(root, from, ctx, 'remove') : root;
      return base ? edit(base, path, ctx, 'add', value) : undefined;
    }
    case 'test': {
      const found = get(root, path, ctx);
      return found !== undefined && op.value !== undefined && sameValue(found, op.value, ctx) ? root : undefined;
    }
    default:
      return undefined;
  }
}

/** RFC 6902 `test`: the value at the path equals the given one (as JSON). */
function sameValue(a: Node, b: Node, ctx: Ctx): boolean {
  const json = (node: Node) => {
    const target = deref(node, ctx.doc, ctx.foreign) as (Node & { toJSON?: () => unknown }) | undefined;
    try {
      return JSON.stringify(target?.toJSON?.() ?? null);
    } catch {
      return undefined;
    }
  };
  const left = json(a);
  return left !== undefined && left === json(b);
}

function get(root: Node, path: readonly string[], ctx: Ctx): Node | undefined {
  let current: Node | undefined = root;
  for (const token of path) {
    const node = deref(current, ctx.doc, ctx.foreign);
    if (isMap(node)) current = node.items.find((pair) => keyOf(pair) === token)?.value as Node | undefined;
    else if (isSeq(node) && /^\d+$/.test(token)) current = node.items[Number(token)] as Node | undefined;
    else return undefined;
    if (current === undefined) return undefined;
  }
  return current;
}

type Mode = 'add' | 'replace' | 'remove';

/** Rebuilds the nodes along `path` with the change at its end. */
function edit(node: Node, path: readonly string[], ctx: Ctx, mode: Mode, value?: Node): Node | undefined {
  const target = deref(node, ctx.doc, ctx.foreign);
  const [token, ...rest] = path;
  if (token === undefined) return mode === 'remove' ? undefined : value;
  if (isMap(target)) {
    const at = target.items.findIndex((pair) => keyOf(pair) === token);
    const pairs = [...target.items];
    if (rest.length === 0) {
      if (mode === 'remove') {
        if (at < 0) return undefined;
        pairs.splice(at, 1);
      } else if (at >= 0) pairs[at] = newPair(pairs[at].key, value);
      else if (mode === 'add') pairs.push(newPair(new Scalar(token), value));
      else return undefined;
      return newMap(pairs, target, ctx.foreign);
    }
    if (at < 0) return undefined;
    const child = edit(pairs[at].value as Node, rest, ctx, mode, value);
    if (child === undefined) return undefined;
    pairs[at] = newPair(pairs[at].key, child);
    return newMap(pairs, target, ctx.foreign);
  }
  if (isSeq(target)) {
    const items = [...target.items];
    const index = token === '-' ? items.length : /^\d+$/.test(token) ? Number(token) : -1;
    if (index < 0 || index > items.length || (index === items.length && (rest.length > 0 || mode !== 'add'))) return undefined;
    if (rest.length === 0) {
      if (mode === 'add') items.splice(index, 0, value);
      else if (mode === 'replace') items[index] = value;
      else items.splice(index, 1);
      return newSeq(items, target, ctx.foreign);
    }
    const child = edit(items[index] as Node, rest, ctx, mode, value);
    if (child === undefined) return undefined;
    items[index] = child;
    return newSeq(items, target, ctx.foreign);
  }
  return undefined;
}
