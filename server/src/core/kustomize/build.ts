/**
 * `kustomize build` on the engine's model: a root kustomization (one that no other kustomization
 * in the workspace includes) is built into the objects it produces, and those objects, not the
 * files of its bases, are what the engine checks. For each kustomization, in kustomize's order:
 * its resources (files, and directories with a kustomization, built recursively), then its
 * components, then its own transformations applied to everything gathered: patchesStrategicMerge
 * and patches, namespace, namePrefix/nameSuffix, labels, patchesJson6902, replicas. (`images`
 * changes nothing the engine reads: Ingress controller pods are recognised by their arguments too.)
 * Name references (Ingress → Service, HPA → workload) follow renamed objects. Sources:
 * kustomize api/internal/target/kusttarget.go (accumulation and transformer order) and
 * api/konfig/builtinpluginconsts.
 *
 * Objects keep the URI of the file they are written in; values a patch sets have ranges in the
 * patch file (ForeignRange). Remote resources and generators' data files are not read.
 */
import { compileRegex } from '../semantics/safeRegex';
import { Document, YAMLParseError } from 'yaml';
import type { Node } from 'yaml';
import { parseDocumentsLikeKubectl } from '../parse/lenientYaml';
import type { FileSummary, Kustomization, KustomizePatch, PatchTarget, Resource } from '../model';
import { Reader } from '../parse/reader';
import type { ForeignNodes, NodeOrigin } from '../parse/reader';
import { readObject } from '../parse/summarizeFile';
import type { SummarizeOptions } from '../parse/summarizeFile';
import { apiGroup } from '../parse/kinds';
import { LineIndex } from '../text/lineIndex';
import { DELETED, strategicMerge } from './strategicMerge';
import { applyJsonPatch, readOperations } from './jsonPatch';
import type { JsonPatchOperation } from './jsonPatch';
import { deref, isMap, registerDocument } from './nodes';
import { applyLabels, applyNamePrefix, applyNamespace, applyRenames, applyReplicas } from './transforms';

/** What a build reads from the workspace. */
export interface BuildSource {
  summary(uri: string): FileSummary | undefined;
  text(uri: string): string | undefined;
  readonly options: SummarizeOptions;
}

export interface BuildOutput {
  readonly root: string;
  readonly resources: readonly Resource[];
  /** Files whose objects are in this build. */
  readonly members: ReadonlySet<string>;
  /** Every file the build read or looked for: when one of them changes, the build must be redone. */
  readonly deps: ReadonlySet<string>;
  /** Patch files the build applies (partial objects, never checked as objects of their own). */
  readonly patches: ReadonlySet<string>;
}

export const KUSTOMIZATION_NAMES: readonly string[] = ['kustomization.yaml', 'kustomization.yml', 'Kustomization'];

export function isKustomizationUri(uri: string): boolean {
  return KUSTOMIZATION_NAMES.includes(uri.slice(uri.lastIndexOf('/') + 1));
}

/** The kustomization file in a directory, recording every name looked for. */
export function kustomizationIn(dir: string, src: BuildSource, deps?: Set<string>): string | undefined {
  for (const name of KUSTOMIZATION_NAMES) {
    const uri = `${dir.replace(/\/+$/, '')}/${name}`;
    deps?.add(uri);
    if (src.summary(uri)?.kustomization) return uri;
  }
  return undefined;
}

/**
 * Kustomizations no other kustomization includes: what `kustomize build` is run on. Components
 * are never roots; kustomizations that include each other in a cycle are left out.
 */
export function findRoots(kustomizations: readonly string[], src: BuildSource): string[] {
  const included = new Set<string>();
  for (const uri of kustomizations) {
    const k = src.summary(uri)?.kustomization;
    for (const entry of [...(k?.resources ?? []), ...(k?.components ?? [])]) {
      const inner = kustomizationIn(entry.uri, src);
      if (inner && inner !== uri) included.add(inner);
    }
  }
  return kustomizations.filter((uri) => !included.has(uri) && src.summary(uri)?.kustomization?.isComponent === false).sort();
}

/** An object on its way through the build. */
interface Instance {
  readonly source: Resource;
  /** Kustomizations from the one listing the file outwards (innermost first). */
  readonly chain: string[];
  resource: Resource;
  /** The patched syntax tree, once a patch applied. */
  node?: Node;
  /** Names the object had before kustomizations renamed it. */
  readonly formerNames: string[];
}

interface BuildState {
  readonly src: BuildSource;
  readonly deps: Set<string>;
  readonly members: Set<string>;
  readonly patches: Set<string>;
  readonly foreign: ForeignNodes;
  /** Parsed documents of files and inline patches, by URI (or kustomization URI + patch index). */
  readonly parsed: Map<string, { docs: Document[]; lines: LineIndex }>;
  /** Transformations applied so far to each instance, re-applied after a patch re-reads it. */
  readonly applied: WeakMap<Instance, ((r: Resource) => Resource)[]>;
}

export function buildRoot(root: string, src: BuildSource): BuildOutput {
  const state: BuildState = { src, deps: new Set([root]), members: new Set(), patches: new Set(), foreign: new WeakMap(), parsed: new Map(), applied: new WeakMap() };
  const instances = expand(root, [], state);
  const resources = finish(root, instances);
  return { root, resources, members: state.members, deps: state.deps, patches: state.patches };
}

function expand(uri: string, stack: readonly string[], state: BuildState): Instance[] {
  if (stack.includes(uri)) return [];
  const kustomization = state.src.summary(uri)?.kustomization;
  if (!kustomization) return [];
  const inner = [...stack, uri];
  const gathered: Instance[] = [];
  for (const entry of kustomization.resources) gathered.push(...include(entry.uri, inner, state));
  for (const entry of kustomization.components) {
    const component = kustomizationIn(entry.uri, state.src, state.deps);
    const componentKustomization = component ? state.src.summary(component)?.kustomization : undefined;
    if (!component || !componentKustomization || inner.includes(component)) continue;
    for (const resource of componentKustomization.resources) {
      const added = include(resource.uri, [...inner, component], state);
      for (const instance of added) instance.chain.push(uri);
      gathered.push(...added);
    }
    transform(gathered, componentKustomization, component, state);
  }
  transform(gathered, kustomization, uri, state);
  return gathered;
}

/** The objects of a file, or of the build of a directory with a kustomization. */
function include(uri: string, stack: readonly string[], state: BuildState): Instance[] {
  state.deps.add(uri);
  const summary = state.src.summary(uri);
  if (summary?.role === 'manifests') {
    state.members.add(uri);
    return summary.resources.map((source) => ({ source, chain: [stack[stack.length - 1]], resource: source, formerNames: [] }));
  }
  const kustomization = kustomizationIn(uri, state.src, state.deps);
  if (!kustomization || state.src.summary(kustomization)?.kustomization?.isComponent) return [];
  const built = expand(kustomization, stack, state);
  for (const instance of built) instance.chain.push(stack[stack.length - 1]);
  return built;
}

/** A kustomization's transformations, in kustomize's order, on everything it gathered. */
function transform(instances: Instance[], k: Kustomization, uri: string, state: BuildState): void {
  const json = k.patches.filter((p) => p.form === 'json6902');
  for (const patch of k.patches.filter((p) => p.form !== 'json6902')) applyPatch(instances, patch, uri, state);
  step(instances, state, (r) => applyNamespace(r, k));
  for (const instance of instances) if (instance.resource.name && (k.namePrefix || k.nameSuffix)) instance.formerNames.push(instance.resource.name.value);
  step(instances, state, (r) => applyNamePrefix(r, k));
  step(instances, state, (r) => applyLabels(r, k));
  for (const patch of json) applyPatch(instances, patch, uri, state);
  for (const instance of instances) {
    const original = instance.formerNames[0];
    const fn = (r: Resource) => applyReplicas(r, k, uri, original);
    step([instance], state, fn);
  }
}

function step(instances: readonly Instance[], state: BuildState, fn: (r: Resource) => Resource): void {
  for (const instance of instances) {
    instance.resource = fn(instance.resource);
    const list = state.applied.get(instance) ?? [];
    list.push(fn);
    state.applied.set(instance, list);
  }
}

// ── patches ──────────────────────────────────────────────────────────────────────────────

interface PatchDoc {
  readonly doc: Document;
  readonly root: Node | undefined;
  readonly origin: NodeOrigin;
}

function applyPatch(instances: Instance[], patch: KustomizePatch, kustomizationUri: string, state: BuildState): void {
  for (const patchDoc of patchDocuments(patch, kustomizationUri, state)) {
    const ops = patch.form !== 'strategic' ? readOperations(patchDoc.root, patchDoc.doc, state.foreign) : undefined;
    if (patch.form === 'json6902' && !ops) continue;
    const target = patch.target ?? (ops ? undefined : targetOfStrategicPatch(patchDoc));
    if (!target) continue;
    for (let i = 0; i < instances.length; i++) {
      if (!matchesTarget(instances[i], target)) continue;
      const outcome = ops ? patchJson(instances[i], ops, state) : patchStrategic(instances[i], patchDoc, state);
      if (outcome === DELETED) {
        instances.splice(i, 1);
        i--;
      }
    }
  }
}

function patchDocuments(patch: KustomizePatch, kustomizationUri: string, state: BuildState): PatchDoc[] {
  let parsed: { docs: Document[]; lines: LineIndex } | undefined;
  let origin: { uri: string; lines: LineIndex } | undefined;
  if (patch.uri) {
    state.deps.add(patch.uri);
    state.patches.add(patch.uri);
    const text = state.src.text(patch.uri);
    if (text === undefined) return [];
    parsed = parseCached(patch.uri, text, state);
    origin = { uri: patch.uri, lines: parsed.lines };
  } else if (patch.inline) {
    const key = `${kustomizationUri}#${patch.inline.line}:${patch.inline.column}`;
    parsed = parseCached(key, patch.inline.text, state);
    origin = { uri: kustomizationUri, lines: new ShiftedLineIndex(patch.inline.text, patch.inline.line, patch.inline.column) };
  }
  if (!parsed || !origin) return [];
  return parsed.docs.filter((doc) => doc.errors.length === 0).map((doc) => {
    const nodeOrigin: NodeOrigin = { doc, lines: origin!.lines, uri: origin!.uri };
    registerDocument(state.foreign, nodeOrigin, doc.contents as Node | null);
    return { doc, root: (doc.contents as Node | null) ?? undefined, origin: nodeOrigin };
  });
}

function parseCached(key: string, text: string, state: BuildState): { docs: Document[]; lines: LineIndex } {
  const cached = state.parsed.get(key);
  if (cached) return cached;
  // The same reading as the file's summary, so document indices and ranges agree.
  const docs = parseDocumentsLikeKubectl(text).documents.map((d) => (d.status === 'broken' ? brokenDocument() : (d.doc as Document)));
  const entry = { docs, lines: new LineIndex(text) };
  state.parsed.set(key, entry);
  return entry;
}

/** Stands for a document that did not parse: never patched, never read. */
function brokenDocument(): Document {
  const doc = new Document(null);
  doc.errors.push(new YAMLParseError([0, 0], 'BAD_INDENT', 'not parsed'));
  return doc;
}

/**
 * Positions of an inline patch: its text is part of the kustomization file, starting at `line`,
 * each line indented by `column` (a block scalar). Ranges map back to the kustomization's lines.
 */
class ShiftedLineIndex extends LineIndex {
  constructor(
    text: string,
    private readonly line: number,
    private readonly column: number,
  ) {
    super(text);
  }

  override positionAt(offset: number) {
    const p = super.positionAt(offset);
    return { line: p.line + this.line, character: p.character + this.column };
  }
}

/** A strategic patch names what it patches with its own apiVersion, kind, name and namespace. */
function targetOfStrategicPatch(patch: PatchDoc): PatchTarget | undefined {
  const map = patch.root;
  if (!isMap(map)) return undefined;
  const reader = new Reader(patch.doc, patch.origin.lines);
  const kind = reader.knownString(reader.get(map, 'kind'))?.value;
  const apiVersion = reader.knownString(reader.get(map, 'apiVersion'))?.value;
  const metadata = reader.map(reader.get(map, 'metadata'));
  const name = reader.knownString(reader.get(metadata, 'name'))?.value;
  if (!kind || !name) return undefined;
  return { kind, name: escapeRegExp(name), namespace: reader.knownString(reader.get(metadata, 'namespace'))?.value, group: apiVersion === undefined ? undefined : apiGroup(apiVersion) };
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** kustomize selects by group, version, kind, and by name and namespace as anchored regular expressions. */
function matchesTarget(instance: Instance, target: PatchTarget): boolean {
  const r = instance.resource;
  if (target.kind !== undefined && target.kind !== r.kind) return false;
  if (target.group !== undefined && target.group !== apiGroup(r.apiVersion)) return false;
  if (target.version !== undefined && target.version !== r.apiVersion.slice(r.apiVersion.indexOf('/') + 1)) return false;
  if (target.name !== undefined) {
    const names = [r.name?.value, ...instance.formerNames].filter((n): n is string => n !== undefined);
    if (!names.some((n) => fullMatch(target.name!, n))) return false;
  }
  if (target.namespace !== undefined && !fullMatch(target.namespace, r.namespace)) return false;
  if (target.labelSelector !== undefined && !matchesLabelSelector(target.labelSelector, r)) return false;
  return target.annotationSelector === undefined;
}

function fullMatch(pattern: string, text: string): boolean {
  // kustomize compiles target names as Go regexps (RE2): the same engine, linear in time.
  const compiled = compileRegex(`^(?:${pattern})$`);
  return compiled.kind === 'ok' ? compiled.test(text) : pattern === text;
}

/** `app=web,tier!=db` equality selectors (the form patch targets use). */
function matchesLabelSelector(selector: string, resource: Resource): boolean {
  const labels = new Map((resource.labels?.entries ?? []).map((e) => [e.key, e.value]));
  return selector.split(',').every((term) => {
    const m = /^\s*([^!=\s]+)\s*(==|=|!=)\s*(\S*)\s*$/.exec(term);
    if (!m) return labels.has(term.trim());
    return m[2] === '!=' ? labels.get(m[1]) !== m[3] : labels.get(m[1]) === m[3];
  });
}

/** The syntax tree of an instance: its patched tree, or its node in its file, parsed again. */
function nodeOf(instance: Instance, state: BuildState): { node: Node; doc: Document; lines: LineIndex } | undefined {
  const uri = instance.source.uri;
  const text = state.src.text(uri);
  if (text === undefined) return undefined;
  const parsed = parseCached(uri, text, state);
  const doc = parsed.docs[instance.source.docIndex];
  if (!doc || doc.errors.length > 0) return undefined;
  if (instance.node) return { node: instance.node, doc, lines: parsed.lines };
  let node = doc.contents as Node | undefined;
  if (instance.source.itemIndex !== undefined) {
    const reader = new Reader(doc, parsed.lines);
    node = reader.seq(reader.get(reader.map(node), 'items'))?.items[instance.source.itemIndex] as Node | undefined;
  }
  return node ? { node, doc, lines: parsed.lines } : undefined;
}

function patchStrategic(instance: Instance, patch: PatchDoc, state: BuildState): typeof DELETED | undefined {
  const tree = nodeOf(instance, state);
  if (!tree || !patch.root) return undefined;
  const merged = strategicMerge(tree.node, patch.root, { baseDoc: tree.doc, foreign: state.foreign });
  if (merged === DELETED) return DELETED;
  if (merged) reread(instance, merged, tree, state);
  return undefined;
}

function patchJson(instance: Instance, ops: readonly JsonPatchOperation[], state: BuildState): undefined {
  const tree = nodeOf(instance, state);
  if (!tree) return undefined;
  const patched = applyJsonPatch(tree.node, ops, tree.doc, state.foreign);
  if (patched) reread(instance, patched, tree, state);
  return undefined;
}

/** Reads the object again from its patched tree, then re-applies the transformations it had gone through. */
function reread(instance: Instance, node: Node, tree: { doc: Document; lines: LineIndex }, state: BuildState): void {
  instance.node = node;
  const reader = new Reader(tree.doc, tree.lines, state.foreign);
  const root = reader.map(deref(node, tree.doc, state.foreign));
  const source = instance.source;
  const text = state.src.text(source.uri) ?? '';
  const read = root ? readObject(reader, root, { uri: source.uri, options: state.src.options, seen: new Map(), text, docIndex: source.docIndex, itemIndex: source.itemIndex }) : undefined;
  if (!read) return;
  let resource: Resource = Object.assign(read, { id: source.id });
  for (const fn of state.applied.get(instance) ?? []) resource = fn(resource);
  instance.resource = resource;
}

// ── finishing ────────────────────────────────────────────────────────────────────────────

function finish(root: string, instances: readonly Instance[]): Resource[] {
  const renames = renameTable(instances);
  const counts = new Map<string, number>();
  return instances.map((instance) => {
    const chain = [...instance.chain].reverse();
    const base = `${instance.source.id}@${chain.join('>')}`;
    const seen = counts.get(base) ?? 0;
    counts.set(base, seen + 1);
    const id = seen === 0 ? base : `${base}#${seen}`;
    const renamed = applyRenames(instance.resource, (kind, name) => renames(kind, name, instance));
    return { ...renamed, id, build: { root, chain, sourceId: instance.source.id } } as Resource;
  });
}

/**
 * kustomize renames references to objects it renamed: a reference to `web` becomes `dev-web`
 * when Service `web` of the same build was prefixed. When the same object was included twice
 * under different names, the copy sharing most of the referring object's path wins.
 */
function renameTable(instances: readonly Instance[]) {
  const byFormer = new Map<string, Instance[]>();
  for (const instance of instances) {
    const name = instance.resource.name?.value;
    if (!name || instance.formerNames.length === 0) continue;
    for (const former of new Set(instance.formerNames)) {
      const key = `${instance.resource.kind}\u0000${former}`;
      byFormer.set(key, [...(byFormer.get(key) ?? []), instance]);
    }
  }
  return (kind: string, name: string, from: Instance): string | undefined => {
    const candidates = byFormer.get(`${kind}\u0000${name}`);
    if (!candidates || candidates.length === 0) return undefined;
    const shared = (other: Instance) => sharedTail(from.chain, other.chain);
    const best = [...candidates].sort((a, b) => shared(b) - shared(a))[0];
    return best.resource.name?.value;
  };
}

function sharedTail(a: readonly string[], b: readonly string[]): number {
  let n = 0;
  while (n < a.length && n < b.length && a[n] === b[n]) n++;
  return n;
}

