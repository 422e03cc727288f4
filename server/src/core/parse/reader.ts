/**
 * Read-only access to a parsed `yaml` document: map lookups that follow aliases and `<<` merge
 * keys, and conversion of scalars to the model's `Field`s with their ranges. The `yaml` nodes are
 * never modified.
 */
import { aliasTargets, isAlias, isMap, isPair, isScalar, isSeq } from './yamlNodes';
import type { Alias, Document, Node, Pair, Scalar, YAMLMap, YAMLSeq } from 'yaml';
import type { Range } from 'vscode-languageserver-types';
import type { Field, Known, LabelEntry, LabelMap } from '../model';
import type { LineIndex } from '../text/lineIndex';

/** Aliases to aliases are legal YAML; this bounds how many hops a lookup will follow. */
const MAX_ALIAS_HOPS = 8;

/**
 * How many key/value pairs `<<` merge keys may contribute to the maps of one document, all maps
 * together. Merges are expanded once per map and deduplicated by key, so real manifests stay far
 * below it; a crafted chain (each level merging the one before twice) or a cycle cannot make
 * reading a document cost more than this.
 */
export const MERGE_BUDGET = 10_000;

/** Why merge keys were not expanded in full: a map that merges itself, or the budget spent. */
export interface MergeProblem {
  readonly kind: 'cycle' | 'budget';
  readonly node: Node;
}

/**
 * Placeholders that something substitutes before the manifest reaches a cluster: Helm/Go
 * `{{ ... }}`; envsubst and shell `${VAR}`, `${VAR:-default}`, `${VAR-default}`, `${VAR:=x}`,
 * `${VAR:?message}`; kustomize vars `$(VAR)`; and hand-replaced `$UPPER_CASE` or `<service-name>`
 * markers that docs ask the reader to fill in. Such values are unknown until rendered. A `<marker>`
 * stands alone between separators (`gcr.io/<project>/app`, `<name>-svc`); one glued to letters
 * (`evil<script>alert`) is text, not a fill-in.
 */
const PLACEHOLDER = /\$\{[A-Za-z_][A-Za-z0-9_]*(?:(?::?[-=?+])[^}]*)?\}|\$\([A-Za-z_][A-Za-z0-9_.]*\)|\$[A-Z_][A-Z0-9_]{2,}|(?<![A-Za-z0-9])<[A-Za-z][A-Za-z0-9 _.-]*>(?![A-Za-z0-9])/;

export function isTemplateText(text: string): boolean {
  return text.includes('{{') || PLACEHOLDER.test(text);
}

/** Where a node of another document comes from: a patch or an inline patch mixed into an object of a base. */
export interface NodeOrigin {
  readonly doc: Document;
  readonly lines: LineIndex;
  /** The file the node is in; undefined for the reader's own file. */
  readonly uri?: string;
}

/** Nodes of other documents in a patched object (see kustomize/patch.ts). */
export type ForeignNodes = WeakMap<object, NodeOrigin>;

export class Reader {
  /** Alias → node, per document (the reader's own and those of patches), built on first use. */
  private aliasTables: Map<Document, Map<Alias, Node | undefined>> | undefined;
  /** The pairs of maps with merge keys, expanded once. */
  private readonly expanded = new Map<YAMLMap, Pair[]>();
  private readonly expanding = new Set<YAMLMap>();
  private mergeWork = 0;
  /** Set when merge keys could not be expanded in full (see MERGE_BUDGET). */
  mergeProblem: MergeProblem | undefined;

  constructor(
    private readonly doc: Document,
    private readonly lines: LineIndex,
    private readonly foreign?: ForeignNodes,
  ) {}

  /** Follows aliases to the node they name; `undefined` for missing or cyclic aliases. */
  deref(node: unknown): Node | undefined {
    let current = node;
    for (let hops = 0; isAlias(current); hops++) {
      if (hops >= MAX_ALIAS_HOPS) return undefined;
      current = this.resolveAlias(current);
    }
    return current === null || current === undefined ? undefined : (current as Node);
  }

  private resolveAlias(alias: Alias): Node | undefined {
    const doc = this.foreign?.get(alias)?.doc ?? this.doc;
    this.aliasTables ??= new Map();
    let table = this.aliasTables.get(doc);
    if (!table) {
      table = aliasTargets(doc);
      this.aliasTables.set(doc, table);
    }
    return table.get(alias);
  }

  map(node: unknown): YAMLMap | undefined {
    const target = this.deref(node);
    return isMap(target) ? target : undefined;
  }

  seq(node: unknown): YAMLSeq | undefined {
    const target = this.deref(node);
    return isSeq(target) ? target : undefined;
  }

  /**
   * The pairs of a map, own keys after merged ones so that own keys win, as YAML merge requires
   * (a lookup takes the last pair of a key). With merge keys, the expansion is computed once per
   * map, keeps one pair per key, stops at a map that merges itself, and within MERGE_BUDGET.
   */
  pairs(map: YAMLMap): Pair[] {
    let merges = false;
    for (const item of map.items) if (isPair(item) && isMergeKey(item.key)) merges = true;
    if (!merges) return map.items.filter((item): item is Pair => isPair(item));
    const done = this.expanded.get(map);
    if (done) return done;
    if (this.expanding.has(map)) {
      this.mergeProblem ??= { kind: 'cycle', node: map };
      return [];
    }
    this.expanding.add(map);
    try {
      const all: Pair[] = [];
      const own: Pair[] = [];
      for (const item of map.items) {
        if (!isPair(item)) continue;
        if (!isMergeKey(item.key)) {
          own.push(item);
          continue;
        }
        const merged = this.mergedPairs(item.value);
        this.mergeWork += merged.length;
        if (this.mergeWork > MERGE_BUDGET) {
          this.mergeProblem ??= { kind: 'budget', node: map };
          break;
        }
        all.push(...merged);
      }
      all.push(...own);
      const result = lastPairPerKey(all);
      this.expanded.set(map, result);
      return result;
    } finally {
      this.expanding.delete(map);
    }
  }

  private mergedPairs(value: unknown): Pair[] {
    const single = this.map(value);
    if (single) return this.pairs(single);
    const list = this.seq(value);
    if (!list) return [];
    // In a merge list, earlier maps take precedence over later ones.
    const out: Pair[] = [];
    for (let i = list.items.length - 1; i >= 0; i--) {
      const entry = this.map(list.items[i]);
      if (entry) out.push(...this.pairs(entry));
    }
    return out;
  }

  /** The value of `key`; with duplicate keys the last one wins, as Kubernetes' decoder does. */
  get(map: YAMLMap | undefined, key: string): Node | undefined {
    const pair = this.findPair(map, key);
    return pair ? this.deref(pair.value) : undefined;
  }

  /** The key node of `key`, for ranges of diagnostics about a whole field. */
  keyNode(map: YAMLMap | undefined, key: string): Node | undefined {
    return this.findPair(map, key)?.key as Node | undefined;
  }

  /** The last pair with this key; own keys win over merged ones. Hot path: no allocation. */
  private findPair(map: YAMLMap | undefined, key: string): Pair | undefined {
    if (!map) return undefined;
    let found: Pair | undefined;
    let merges = false;
    for (const item of map.items) {
      if (!isPair(item)) continue;
      if (isMergeKey(item.key)) merges = true;
      else if (keyText(item) === key) found = item;
    }
    if (found || !merges) return found;
    for (const pair of this.pairs(map)) if (keyText(pair) === key) found = pair;
    return found;
  }

  path(node: unknown, ...keys: string[]): Node | undefined {
    let current: Node | undefined = this.deref(node);
    for (const key of keys) {
      current = this.get(this.map(current), key);
      if (!current) return undefined;
    }
    return current;
  }

  /** The node's range; for collections without the trailing line break the parser includes. */
  range(node: Node | null | undefined): Range {
    const r = node?.range;
    const origin = node ? this.foreign?.get(node) : undefined;
    const lines = origin?.lines ?? this.lines;
    if (!r) return lines.range(0, 0);
    const end = lines.trimEnd(r[0], r[1]);
    return origin?.uri !== undefined ? lines.foreignRange(r[0], end, origin.uri) : lines.range(r[0], end);
  }

  /**
   * Where the content of a block scalar (`|` or `>`) starts: the line after its header, and the
   * indentation of its first non-empty line. Undefined for other scalars.
   */
  blockScalarContentStart(node: Scalar): { line: number; column: number } | undefined {
    if (node.type !== 'BLOCK_LITERAL' && node.type !== 'BLOCK_FOLDED') return undefined;
    const text = this.lines.source;
    const [start, , end] = node.range ?? [0, 0, 0];
    const header = text.indexOf('\n', start);
    if (header < 0 || header >= end) return undefined;
    const line = this.lines.positionAt(header + 1).line;
    let at = header + 1;
    while (at < end) {
      const next = text.indexOf('\n', at);
      const lineEnd = next < 0 || next > end ? end : next;
      const content = text.slice(at, lineEnd);
      if (content.trim() !== '') return { line, column: content.length - content.trimStart().length };
      at = lineEnd + 1;
    }
    return { line, column: 0 };
  }

  /** Range of a field for diagnostics: the value, or the key when the value is empty. */
  fieldRange(map: YAMLMap | undefined, key: string): Range | undefined {
    const value = this.get(map, key);
    if (value?.range && value.range[1] > value.range[0]) return this.range(value);
    const keyNode = this.keyNode(map, key);
    return keyNode ? this.range(keyNode) : undefined;
  }

  /** A plain string value; numbers and booleans are read as their source text. */
  string(node: Node | undefined): Field<string> | undefined {
    if (!node) return undefined;
    if (!isScalar(node)) return { unknown: true, range: this.range(node) };
    const text = scalarText(node);
    if (text === undefined) return undefined;
    if (isTemplateText(text)) return { unknown: true, range: this.range(node) };
    return { value: text, range: this.range(node) };
  }

  knownString(node: Node | undefined): Known<string> | undefined {
    const field = this.string(node);
    return field && !field.unknown ? field : undefined;
  }

  /** An integer field; a quoted number or any other string is kept as a string for the checks. */
  intOrString(node: Node | undefined): Field<number | string> | undefined {
    if (!node) return undefined;
    if (!isScalar(node)) return { unknown: true, range: this.range(node) };
    const range = this.range(node);
    if (typeof node.value === 'number') return { value: node.value, range };
    const text = scalarText(node);
    if (text === undefined) return undefined;
    if (isTemplateText(text)) return { unknown: true, range };
    return { value: text, range };
  }

  /**
   * An integer field. A string where an integer belongs (`port: "80"`) cannot be decoded by the API
   * server: it is opaque to the link checks, and `wrongType` lets the port rules say so.
   */
  int(node: Node | undefined): Field<number> | undefined {
    const field = this.intOrString(node);
    if (!field || field.unknown || typeof field.value === 'number') return field as Field<number> | undefined;
    return { unknown: true, range: field.range, wrongType: field.value };
  }

  bool(node: Node | undefined): boolean | undefined {
    if (!isScalar(node)) return undefined;
    if (typeof node.value === 'boolean') return node.value;
    if (typeof node.value === 'string') {
      if (node.value === 'true') return true;
      if (node.value === 'false') return false;
    }
    return undefined;
  }

  /** A `map[string]string` of labels; template placeholders make it partial. */
  labelMap(node: Node | undefined, keyRange: Range): LabelMap | undefined {
    if (!node) return undefined;
    const map = this.map(node);
    if (!map) {
      const empty = isScalar(node) && (node.value === null || node.value === '');
      return { entries: [], partial: !empty, range: keyRange };
    }
    const entries: LabelEntry[] = [];
    let partial = false;
    for (const pair of this.pairs(map)) {
      const key = keyText(pair);
      const value = this.string(this.deref(pair.value));
      if (key === undefined || isTemplateText(key) || !value || value.unknown) {
        partial = true;
        continue;
      }
      entries.push({ key, value: value.value, keyRange: this.range(pair.key as Node), valueRange: value.range });
    }
    return { entries: dedupeLastWins(entries), partial, range: keyRange };
  }
}

/** With `merge: true` the parser turns a `<<` key into a symbol; without it, it stays the string. */
function isMergeKey(key: unknown): boolean {
  if (!isScalar(key)) return false;
  return key.value === '<<' || (typeof key.value === 'symbol' && key.source === '<<');
}

/** One pair per key, the last of each (what a lookup would find), in the order of those last pairs. */
function lastPairPerKey(pairs: readonly Pair[]): Pair[] {
  const last = new Map<string, number>();
  pairs.forEach((pair, index) => {
    const text = keyText(pair);
    if (text !== undefined) last.set(text, index);
  });
  return pairs.filter((pair, index) => {
    const text = keyText(pair);
    return text === undefined || last.get(text) === index;
  });
}

function dedupeLastWins(entries: LabelEntry[]): LabelEntry[] {
  const byKey = new Map<string, LabelEntry>();
  for (const entry of entries) byKey.set(entry.key, entry);
  return byKey.size === entries.length ? entries : [...byKey.values()];
}

export function keyText(pair: Pair): string | undefined {
  const key = pair.key;
  if (!isScalar(key)) return undefined;
  return scalarText(key);
}

/** The text of a scalar as Kubernetes would see it in a string field; `undefined` for null. */
export function scalarText(scalar: Scalar): string | undefined {
  const value = scalar.value;
  if (value === null || value === undefined) return undefined;
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint') {
    return scalar.source ?? String(value);
  }
  return undefined;
}
