/**
 * Turns the text of one YAML file into a `FileSummary`. Never throws: broken YAML becomes syntax
 * problems, files that are not Kubernetes manifests are recognised and left alone.
 */
import { isRouteTestUri, readRouteTests } from '../routeTests/routeTestFile';
import { aliasTargets, isScalar, visit } from './yamlNodes';
import type { Document, Node, YAMLMap } from 'yaml';
import type { Annotation, FileSummary, Kustomization, Resource, ResourceBase, SyntaxProblem } from '../model';
import { LineIndex } from '../text/lineIndex';
import { extractHpa, extractIngress, extractIngressClass } from './extractIngress';
import { extractService } from './extractService';
import { extractWorkload } from './extractWorkload';
import { CLUSTER_SCOPED_KINDS, isBuiltInGroup, isConfigOnly, isHpa, isIngress, isIngressClass, isService, workloadKind } from './kinds';
import { MERGE_BUDGET, Reader, scalarText } from './reader';
import { extractGateway, extractGatewayClass, extractReferenceGrant, extractRoute, gatewayKind } from './extractGateway';
import { readKustomization } from './kustomization';
import { hasPodTemplate } from './extractWorkload';
import { isWorkspaceConfigUri, readWorkspaceConfig } from './workspaceConfig';
import { fingerprintOf } from '../text/fingerprint';
import { parseDocumentsLikeKubectl } from './lenientYaml';
import type { ParsedDocument } from './lenientYaml';

export interface SummarizeOptions {
  /** Namespace of objects without `metadata.namespace`. */
  readonly defaultNamespace: string;
  /** Files larger than this (in UTF-16 code units) are not parsed. */
  readonly maxFileSize: number;
}

export function summarizeFile(uri: string, text: string, options: SummarizeOptions): FileSummary {
  if (text.length > options.maxFileSize) {
    const megabytes = (options.maxFileSize / (1024 * 1024)).toFixed(1);
    return { ...emptySummary(uri, 'other'), skippedReason: `larger than the ${megabytes} MB limit` };
  }
  if (text.includes('\u0000')) return { ...emptySummary(uri, 'other'), skippedReason: 'binary content' };
  const lines = new LineIndex(text);
  if (isWorkspaceConfigUri(uri)) return readWorkspaceConfig(uri, text, lines);
  // A route test file (`*.routes.yaml`) is not a manifest. One with a top-level `apiVersion` or
  // `kind` is (an OpenShift Route, say, in `app.routes.yaml`): route test files have neither.
  if (isRouteTestUri(uri) && !/^(apiVersion|kind)[ \t]*:/m.test(text)) {
    const routeTests = readRouteTests(text, lines);
    return { ...emptySummary(uri, 'other'), syntaxProblems: routeTests.problems.filter((p) => p.kind === 'yaml').map((p) => ({ message: p.message, range: p.range })), routeTests };
  }
  const parsed = parseDocumentsLikeKubectl(text).documents;
  // A file of Go/Helm templates that is not YAML before rendering, or that says it is a
  // template (in a templates/ folder, named `*template*`), is left alone entirely.
  if (text.includes('{{') && (parsed.some((d) => d.status === 'broken') || /(^|\/)templates\/|template[^/]*$|\.(tpl|tmpl|gotmpl|j2)\.ya?ml$/i.test(uri))) {
    return emptySummary(uri, 'template');
  }
  const syntaxProblems: SyntaxProblem[] = [];
  const readable: { doc: Document; index: number }[] = [];
  parsed.forEach((document, index) => {
    const problem = documentProblem(document, text, lines);
    if (problem) {
      // One finding per broken document, and nothing concluded from what did not parse.
      syntaxProblems.push(problem);
      return;
    }
    syntaxProblems.push(...document.duplicateKeys.map((d) => ({ message: d.message, range: lines.range(d.start, d.end), severity: 'warning' as const })));
    readable.push({ doc: document.doc as Document, index });
  });
  const resources: Resource[] = [];
  let kustomization: Kustomization | undefined;
  let sawKubernetes = false;
  const kustomizationFile = /(^|\/)kustomization\.ya?ml$/i.test(uri);
  const seen = new Map<string, number>();
  const readers: Reader[] = [];
  readable.forEach(({ doc, index: docIndex }) => {
    const reader = new Reader(doc, lines);
    readers.push(reader);
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
    resources.push(...readObjectOrList(reader, root, { uri, options, seen, text, docIndex }));
  });
  for (const reader of readers) {
    const problem = reader.mergeProblem;
    if (problem) syntaxProblems.push({ message: MERGE_MESSAGES[problem.kind], range: reader.range(problem.node) });
  }
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

/**
 * Why a document cannot be read, as one problem: the parser's first error, an alias to an anchor
 * that does not exist (`host: *.example.com` unquoted, which the `yaml` package drops silently and
 * kubectl rejects), or an unrendered `{{ … }}` that YAML reads as a flow mapping.
 */
function documentProblem(document: ParsedDocument, text: string, lines: LineIndex): SyntaxProblem | undefined {
  if (document.status === 'broken') {
    const problem = document.problem!;
    return { message: problem.message, range: lines.range(problem.start, Math.max(problem.start, lines.trimEnd(problem.start, problem.end))) };
  }
  const doc = document.doc as Document;
  // Pre-checks read the document's own text: reading the whole file per document is quadratic.
  const own = doc.range ? text.slice(doc.range[0], doc.range[2]) : text;
  return unresolvedAlias(doc, own, lines) ?? unrenderedTemplate(doc, own, text, lines);
}

/** An alias starts a node: `*` after a blank, a flow indicator or the line start (not `(.*)` or `/*`). */
const MAYBE_ALIAS = /(?:^|[\s[{,])\*[^\s[\]{},]/m;

function unresolvedAlias(doc: Document, own: string, lines: LineIndex): SyntaxProblem | undefined {
  if (!MAYBE_ALIAS.test(own)) return undefined;
  let problem: SyntaxProblem | undefined;
  const targets = aliasTargets(doc);
  visit(doc, {
    Alias(_, alias) {
      if (targets.get(alias) !== undefined || !alias.range) return undefined;
      const [start, end] = alias.range;
      problem = {
        message: `Unknown anchor \`${alias.source}\`: an unquoted value starting with \`*\` is an alias; quote it (\`"*${alias.source}"\`) if you meant the text`,
        range: lines.range(start, lines.trimEnd(start, end)),
      };
      return visit.BREAK;
    },
  });
  return problem;
}

/**
 * An unquoted `{{ .Values.x }}` outside a Helm chart's templates is not a placeholder to YAML
 * but a flow mapping (`{ { .Values.x }: null }`), which kubectl rejects where a string belongs.
 */
function unrenderedTemplate(doc: Document, own: string, text: string, lines: LineIndex): SyntaxProblem | undefined {
  if (!own.includes('{{')) return undefined;
  let problem: SyntaxProblem | undefined;
  visit(doc, {
    Map(_, map) {
      const [start, , end] = map.range ?? [0, 0, 0];
      if (!map.flow || text[start] !== '{' || text[start + 1] !== '{') return undefined;
      const shown = text.slice(start, Math.min(end, start + 60)).split('\n')[0];
      problem = {
        message: `\`${shown}\` is a template placeholder that was not rendered: unquoted, YAML reads \`{{\` as a mapping, which kubectl rejects; render the template first, or quote the value`,
        range: lines.range(start, lines.trimEnd(start, end)),
      };
      return visit.BREAK;
    },
  });
  return problem;
}

function looksLikeManifest(text: string): boolean {
  return /^\s*apiVersion\s*:/m.test(text) && /^\s*kind\s*:/m.test(text);
}

function hasTypeMeta(reader: Reader, root: YAMLMap): boolean {
  const kind = reader.get(root, 'kind');
  const apiVersion = reader.get(root, 'apiVersion');
  return isScalar(kind) && isScalar(apiVersion);
}

export interface ObjectContext {
  readonly uri: string;
  readonly options: SummarizeOptions;
  /** Identities seen so far in this file, to number repeats. */
  readonly seen: Map<string, number>;
  readonly text: string;
  readonly docIndex: number;
  readonly itemIndex?: number;
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
  items.items.forEach((item, itemIndex) => {
    const map = reader.map(item);
    if (map && hasTypeMeta(reader, map)) {
      const resource = readObject(reader, map, { ...ctx, itemIndex });
      if (resource) resources.push(resource);
    }
  });
  return resources;
}

export function readObject(reader: Reader, root: YAMLMap, ctx: ObjectContext): Resource | undefined {
  const base = readBase(reader, root, ctx);
  if (!base) return undefined;
  const { kind, apiVersion } = base;
  const workload = workloadKind(kind, apiVersion);
  if (workload) return extractWorkload(reader, root, base, workload, false, isFragment(reader, root, workload));
  if (!isBuiltInGroup(apiVersion) && hasPodTemplate(reader, root)) return extractWorkload(reader, root, base, kind, true);
  if (isService(kind, apiVersion)) return extractService(reader, root, base);
  if (isIngress(kind, apiVersion)) return extractIngress(reader, root, base);
  if (isIngressClass(kind, apiVersion)) return extractIngressClass(reader, root, base);
  if (isHpa(kind, apiVersion)) return extractHpa(reader, root, base);
  const gateway = gatewayKind(kind, apiVersion);
  if (gateway === 'GatewayClass') return extractGatewayClass(reader, root, base);
  if (gateway === 'Gateway' || gateway === 'ListenerSet') return extractGateway(reader, root, base, gateway === 'ListenerSet');
  if (gateway === 'ReferenceGrant') return extractReferenceGrant(reader, root, base);
  if (gateway) return extractRoute(reader, root, base, gateway);
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
  const range = root.range;
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
    fingerprint: range ? fingerprintOf(ctx.text, range[0], range[1]) : 0,
    creationTimestamp: reader.knownString(reader.get(metadata, 'creationTimestamp'))?.value,
    exported: reader.get(metadata, 'resourceVersion') !== undefined || reader.get(metadata, 'uid') !== undefined,
    annotations: ANNOTATED_KINDS.has(kind) ? readAnnotations(reader, reader.get(metadata, 'annotations')) : undefined,
    build: undefined,
    docIndex: ctx.docIndex,
    itemIndex: ctx.itemIndex,
  };
}

/**
 * A workload that is only part of one: its pod template has no containers, or containers without
 * images and neither a selector nor pod labels (a strategic-merge patch left beside a
 * kustomization, a minimal snippet of a linter's test data). The API server rejects it, and its
 * selector is the least of what it lacks, so its selector is not checked.
 */
export function isFragment(reader: Reader, root: YAMLMap, kind: string): boolean {
  if (kind === 'Pod' || kind === 'Rollout' || kind === 'LeaderWorkerSet') return false;
  const path = kind === 'CronJob' ? ['jobTemplate', 'spec'] : [];
  const template = reader.map(reader.path(root, 'spec', ...path, 'template'));
  if (!template) return false;
  const containers = reader.seq(reader.path(template, 'spec', 'containers'))?.items ?? [];
  if (containers.length === 0) return true;
  const withoutImages = containers.every((c) => reader.get(reader.map(c), 'image') === undefined);
  const selector = reader.path(root, 'spec', ...path, 'selector');
  const labels = reader.path(template, 'metadata', 'labels');
  return withoutImages && selector === undefined && labels === undefined;
}

const MERGE_MESSAGES = {
  cycle: 'A `<<` merge key merges a map into itself (an alias to an enclosing anchor): kubectl rejects it ("anchor value contains itself"); the merge is not followed',
  budget: `\`<<\` merge keys expand to more than ${MERGE_BUDGET.toLocaleString('en-US')} entries in this document: the rest of the merges is not read`,
} as const;

/** Kinds whose annotations change routing (controller-specific Ingress and Service annotations). */
const ANNOTATED_KINDS: ReadonlySet<string> = new Set(['Ingress', 'Service', 'IngressClass']);

/** Longer values are configuration snippets and the like, never read. */
const MAX_ANNOTATION_LENGTH = 4096;

function readAnnotations(reader: Reader, node: Node | undefined): Annotation[] | undefined {
  const map = reader.map(node);
  if (!map) return undefined;
  const out: Annotation[] = [];
  for (const pair of reader.pairs(map)) {
    const key = isScalar(pair.key) ? scalarText(pair.key) : undefined;
    const value = reader.string(reader.deref(pair.value));
    if (key === undefined || key === 'kubectl.kubernetes.io/last-applied-configuration' || !value) continue;
    if (!value.unknown && value.value.length > MAX_ANNOTATION_LENGTH) continue;
    out.push({ key, value });
  }
  return out;
}

/** Ids name the object, so they survive edits elsewhere in the file; repeats get a counter. */
function resourceId(ctx: ObjectContext, kind: string, namespace: string, name: string | undefined): string {
  const identity = name !== undefined ? [kind, namespace, name].join('/') : [kind, `#${ctx.seen.size}`].join('/');
  const count = ctx.seen.get(identity) ?? 0;
  ctx.seen.set(identity, count + 1);
  return [ctx.uri, identity, ...(count > 0 ? [String(count)] : [])].join('#');
}
