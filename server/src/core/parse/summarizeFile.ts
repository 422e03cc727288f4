/**
 * Turns the text of one YAML file into a `FileSummary`. Never throws: broken YAML becomes syntax
 * problems, files that are not Kubernetes manifests are recognised and left alone.
 */
import { isScalar, parseAllDocuments, visit } from 'yaml';
import type { Document, Node, YAMLMap } from 'yaml';
import type { FileSummary, Kustomization, Resource, ResourceBase, SyntaxProblem } from '../model';
import { LineIndex } from '../text/lineIndex';
import { extractHpa, extractIngress, extractIngressClass } from './extractIngress';
import { extractService } from './extractService';
import { extractWorkload } from './extractWorkload';
import { CLUSTER_SCOPED_KINDS, isConfigOnly, isHpa, isIngress, isIngressClass, isService, workloadKind } from './kinds';
import { Reader } from './reader';
import { readKustomization } from './kustomization';

export interface SummarizeOptions {
  /** Namespace of objects without `metadata.namespace`. */
  readonly defaultNamespace: string;
  /** Files larger than this (in UTF-16 code units) are not parsed. */
  readonly maxFileSize: number;
}

/** The engine never converts documents to JS (`toJS`), so aliases are never expanded in bulk. */
const PARSE_OPTIONS = { prettyErrors: false, merge: true, uniqueKeys: true } as const;

export function summarizeFile(uri: string, text: string, options: SummarizeOptions): FileSummary {
  if (text.length > options.maxFileSize) {
    const megabytes = (options.maxFileSize / (1024 * 1024)).toFixed(1);
    return { ...emptySummary(uri, 'other'), skippedReason: `larger than the ${megabytes} MB limit` };
  }
  if (text.includes('\u0000')) return { ...emptySummary(uri, 'other'), skippedReason: 'binary content' };
  const lines = new LineIndex(text);
  let documents: Document[];
  try {
    documents = toArray(parseAllDocuments(text, PARSE_OPTIONS));
  } catch (error) {
    // The parser recurses per nesting level; pathological nesting can exhaust the stack.
    return parserFailure(uri, text, lines, error);
  }
  const syntaxProblems = documents.flatMap((doc) => [...doc.errors.map((e) => toProblem(e, text, lines)), ...unresolvedAliases(doc, text, lines)]);
  if (text.includes('{{') && (syntaxProblems.length > 0 || /(^|\/)templates\//.test(uri))) {
    return emptySummary(uri, 'template');
  }
  const resources: Resource[] = [];
  let kustomization: Kustomization | undefined;
  let sawKubernetes = false;
  const kustomizationFile = /(^|\/)kustomization\.ya?ml$/i.test(uri);
  const seen = new Map<string, number>();
  documents.forEach((doc) => {
    const reader = new Reader(doc, lines);
    const root = reader.map(doc.contents);
    // kustomize accepts kustomization files without apiVersion and kind.
    if (root && kustomizationFile && !kustomization) {
      kustomization = readKustomization(reader, root, uri);
      return;
    }
    if (!root || !hasTypeMeta(reader, root)) return;
    const apiVersion = reader.knownString(reader.get(root, 'apiVersion'))?.value ?? '';
    const kind = reader.knownString(reader.get(root, 'kind'))?.value ?? '';
    if (kind === 'Kustomization' || kind === 'Component') {
      kustomization = readKustomization(reader, root, uri);
      return;
    }
    if (isConfigOnly(apiVersion)) return;
    sawKubernetes = true;
    resources.push(...readObjectOrList(reader, root, { uri, options, seen }));
  });
  if (!sawKubernetes) {
    if (kustomization) return { ...emptySummary(uri, 'kustomization'), kustomization };
    // A file that fails to parse is still ours when it looks like a manifest.
    const ours = syntaxProblems.length > 0 && looksLikeManifest(text);
    return ours ? { ...emptySummary(uri, 'manifests'), syntaxProblems } : emptySummary(uri, 'other');
  }
  return { uri, role: 'manifests', resources, syntaxProblems };
}

function emptySummary(uri: string, role: FileSummary['role']): FileSummary {
  return { uri, role, resources: [], syntaxProblems: [] };
}

function toArray(parsed: ReturnType<typeof parseAllDocuments>): Document[] {
  return Array.isArray(parsed) ? parsed : [];
}

function parserFailure(uri: string, text: string, lines: LineIndex, error: unknown): FileSummary {
  if (!looksLikeManifest(text)) return emptySummary(uri, 'other');
  const reason = error instanceof RangeError ? 'the document is nested too deeply to parse' : 'the YAML parser failed';
  const problem: SyntaxProblem = { message: `Cannot read this file: ${reason}.`, range: lines.range(0, 0) };
  return { ...emptySummary(uri, 'manifests'), syntaxProblems: [problem] };
}

function toProblem(error: { code: string; message: string; pos: [number, number] }, text: string, lines: LineIndex): SyntaxProblem {
  const [start, end] = error.pos;
  const range = lines.range(start, Math.max(end, start));
  if (error.code === 'DUPLICATE_KEY') {
    const key = text.slice(start, end).trim() || text.slice(start).split(/[:\n]/)[0].trim();
    return { message: `Duplicate key \`${key}\`: kubectl's strict field validation rejects it, and tools that accept it keep only the last value`, range };
  }
  // The yaml package appends a source excerpt after a colon and newline; the range shows it already.
  const message = error.message.split('\n')[0].replace(/:\s*$/, '');
  return { message, range };
}

/**
 * `host: *.example.com` unquoted is an alias to a missing anchor: the `yaml` package drops the
 * value silently, while Kubernetes' decoder rejects the file. Report it, with the usual cause.
 */
function unresolvedAliases(doc: Document, text: string, lines: LineIndex): SyntaxProblem[] {
  if (!text.includes('*')) return [];
  const problems: SyntaxProblem[] = [];
  visit(doc, {
    Alias(_, alias) {
      if (alias.resolve(doc) !== undefined || !alias.range) return;
      const [start, end] = alias.range;
      problems.push({
        message: `Unknown anchor \`${alias.source}\`: an unquoted value starting with \`*\` is an alias; quote it (\`"*${alias.source}"\`) if you meant the text`,
        range: lines.range(start, lines.trimEnd(start, end)),
      });
    },
  });
  return problems;
}

function looksLikeManifest(text: string): boolean {
  return /^\s*apiVersion\s*:/m.test(text) && /^\s*kind\s*:/m.test(text);
}

function hasTypeMeta(reader: Reader, root: YAMLMap): boolean {
  const kind = reader.get(root, 'kind');
  const apiVersion = reader.get(root, 'apiVersion');
  return isScalar(kind) && isScalar(apiVersion);
}

interface ObjectContext {
  readonly uri: string;
  readonly options: SummarizeOptions;
  /** Identities seen so far in this file, to number repeats. */
  readonly seen: Map<string, number>;
}

/** `kind: List` and the typed `*List` kinds carry their objects in `items`. */
function readObjectOrList(reader: Reader, root: YAMLMap, ctx: ObjectContext): Resource[] {
  const kind = reader.knownString(reader.get(root, 'kind'))?.value ?? '';
  const items = reader.seq(reader.get(root, 'items'));
  if (!kind.endsWith('List') || !items) {
    const resource = readObject(reader, root, ctx);
    return resource ? [resource] : [];
  }
  const resources: Resource[] = [];
  for (const item of items.items) {
    const map = reader.map(item);
    if (map && hasTypeMeta(reader, map)) {
      const resource = readObject(reader, map, ctx);
      if (resource) resources.push(resource);
    }
  }
  return resources;
}

function readObject(reader: Reader, root: YAMLMap, ctx: ObjectContext): Resource | undefined {
  const base = readBase(reader, root, ctx);
  if (!base) return undefined;
  const { kind, apiVersion } = base;
  const workload = workloadKind(kind, apiVersion);
  if (workload) return extractWorkload(reader, root, base, workload);
  if (isService(kind, apiVersion)) return extractService(reader, root, base);
  if (isIngress(kind, apiVersion)) return extractIngress(reader, root, base);
  if (isIngressClass(kind, apiVersion)) return extractIngressClass(reader, root, base);
  if (isHpa(kind, apiVersion)) return extractHpa(reader, root, base);
  if (kind === 'IPAddressPool' && apiVersion.startsWith('metallb.io/')) {
    const addresses = (reader.seq(reader.path(root, 'spec', 'addresses'))?.items ?? []).map((i) => reader.knownString(reader.deref(i))?.value).filter((a): a is string => a !== undefined);
    return Object.assign(base, { type: 'other' as const, addresses });
  }
  return Object.assign(base, { type: 'other' as const, addresses: undefined });
}

function readBase(reader: Reader, root: YAMLMap, ctx: ObjectContext): ResourceBase | undefined {
  const kindField = reader.string(reader.get(root, 'kind'));
  const apiVersionNode = reader.get(root, 'apiVersion');
  const apiVersionField = reader.string(apiVersionNode);
  if (!kindField || !apiVersionField) return undefined;
  const metadata = reader.map(reader.get(root, 'metadata'));
  const name = reader.string(reader.get(metadata, 'name'));
  const namespace = reader.string(reader.get(metadata, 'namespace'));
  const kind = kindField.unknown ? '' : kindField.value;
  const clusterScoped = CLUSTER_SCOPED_KINDS.has(kind);
  const labelsKey = reader.keyNode(metadata, 'labels');
  const effectiveNamespace = clusterScoped ? '' : namespace && !namespace.unknown ? namespace.value : ctx.options.defaultNamespace;
  const knownName = name && !name.unknown ? name.value : undefined;
  return {
    id: resourceId(ctx, kind, effectiveNamespace, knownName),
    uri: ctx.uri,
    apiVersion: apiVersionField.unknown ? '' : apiVersionField.value,
    kind,
    name: name && !name.unknown ? name : undefined,
    namespace: effectiveNamespace,
    namespaceRange: namespace?.range,
    range: reader.range(root as Node),
    anchor: name?.range ?? kindField.range,
    apiVersionRange: apiVersionField.range,
    labels: labelsKey ? reader.labelMap(reader.get(metadata, 'labels'), reader.range(labelsKey)) : undefined,
    opaqueIdentity: kindField.unknown === true || apiVersionField.unknown === true || name?.unknown === true || namespace?.unknown === true,
  };
}

/** Ids name the object, so they survive edits elsewhere in the file; repeats get a counter. */
function resourceId(ctx: ObjectContext, kind: string, namespace: string, name: string | undefined): string {
  const identity = name !== undefined ? [kind, namespace, name].join('/') : [kind, `#${ctx.seen.size}`].join('/');
  const count = ctx.seen.get(identity) ?? 0;
  ctx.seen.set(identity, count + 1);
  return [ctx.uri, identity, ...(count > 0 ? [String(count)] : [])].join('#');
}
