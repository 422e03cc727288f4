/**
 * `.kube-route-lens.yaml`: what a repository's owners declare about how its folders are applied
 * (independent apps, alternatives, ignored paths) and about the cluster (default namespace,
 * node port range, IngressClasses installed outside the repository). Its JSON schema is
 * `schemas/kube-route-lens.schema.json`; README "Workspace configuration" documents it.
 */
import { isMap, isScalar, isSeq, parseDocument } from 'yaml';
import type { Node, YAMLMap } from 'yaml';
import type { DeclaredIngressClass, FileSummary, SyntaxProblem, WorkspaceConfig } from '../model';
import type { LineIndex } from '../text/lineIndex';
import { parsePortRange } from '../analysis/settings';
import { Reader } from './reader';

export const WORKSPACE_CONFIG_NAMES: readonly string[] = ['.kube-route-lens.yaml', '.kube-route-lens.yml'];

export function isWorkspaceConfigUri(uri: string): boolean {
  const name = uri.slice(uri.lastIndexOf('/') + 1);
  return WORKSPACE_CONFIG_NAMES.includes(name);
}

export const EMPTY_CONFIG: WorkspaceConfig = { apps: [], alternatives: [], ignore: [], cluster: { ingressClasses: [] } };

const TOP_LEVEL_KEYS = new Set(['apps', 'alternatives', 'ignore', 'cluster']);
const CLUSTER_KEYS = new Set(['defaultNamespace', 'nodePortRange', 'ingressClasses']);

export function readWorkspaceConfig(uri: string, text: string, lines: LineIndex): FileSummary {
  const problems: SyntaxProblem[] = [];
  // `uniqueKeys: true` checks every key against every other (quadratic in the keys); duplicates of
  // the keys that matter are found below instead.
  const doc = parseDocument(text, { prettyErrors: false, uniqueKeys: false });
  for (const error of doc.errors) {
    const [start, end] = error.pos;
    problems.push({ message: `Workspace configuration: ${error.message.split('\n')[0].replace(/:\s*$/, '')}`, range: lines.range(start, Math.max(start, end)) });
  }
  const duplicate = firstDuplicateKey(doc.contents);
  if (duplicate) problems.push({ message: `Workspace configuration: Map keys must be unique: \`${duplicate.key}\` appears again`, range: lines.range(duplicate.start, duplicate.end) });
  const reader = new Reader(doc, lines);
  const root = reader.map(doc.contents);
  if (problems.length > 0 || !root) {
    if (!root && problems.length === 0 && doc.contents !== null) problems.push({ message: 'Workspace configuration: expected a mapping with `apps`, `alternatives`, `ignore` or `cluster`', range: lines.range(0, 0) });
    return { uri, role: 'config', resources: [], syntaxProblems: problems, config: EMPTY_CONFIG };
  }
  const problem = (node: Node | undefined, message: string) => problems.push({ message: `Workspace configuration: ${message}`, range: reader.range(node) });
  unknownKeys(reader, root, TOP_LEVEL_KEYS, '', problem);
  const cluster = reader.map(reader.get(root, 'cluster'));
  if (cluster) unknownKeys(reader, cluster, CLUSTER_KEYS, 'cluster.', problem);
  const config: WorkspaceConfig = {
    apps: globs(reader, root, 'apps', problem),
    alternatives: globs(reader, root, 'alternatives', problem),
    ignore: globs(reader, root, 'ignore', problem),
    cluster: {
      defaultNamespace: reader.knownString(reader.get(cluster, 'defaultNamespace'))?.value,
      nodePortRange: nodePortRange(reader, cluster, problem),
      ingressClasses: ingressClasses(reader, cluster, problem),
    },
  };
  return { uri, role: 'config', resources: [], syntaxProblems: problems, config };
}

type Report = (node: Node | undefined, message: string) => void;

function unknownKeys(reader: Reader, map: YAMLMap, known: ReadonlySet<string>, prefix: string, problem: Report): void {
  for (const pair of reader.pairs(map)) {
    const key = reader.knownString(pair.key as Node)?.value;
    if (key !== undefined && !known.has(key)) problem(pair.key as Node, `unknown key \`${prefix}${key}\` (known: ${[...known].map((k) => `\`${k}\``).join(', ')})`);
  }
}

/** The first repeated key of any mapping (one set per mapping: linear, where the parser's own check is quadratic). */
function firstDuplicateKey(contents: unknown): { key: string; start: number; end: number } | undefined {
  const stack: unknown[] = [contents];
  while (stack.length > 0) {
    const node = stack.pop();
    if (isMap(node)) {
      const seen = new Set<string>();
      for (const pair of node.items) {
        const key = isScalar(pair.key) ? String(pair.key.value) : undefined;
        if (key !== undefined && seen.has(key) && isScalar(pair.key) && pair.key.range) return { key, start: pair.key.range[0], end: pair.key.range[1] };
        if (key !== undefined) seen.add(key);
        stack.push(pair.value);
      }
    } else if (isSeq(node)) {
      for (const item of node.items) stack.push(item);
    }
  }
  return undefined;
}

function globs(reader: Reader, root: YAMLMap, key: string, problem: Report): string[] {
  const node = reader.get(root, key);
  if (node === undefined) return [];
  const seq = reader.seq(node);
  if (!seq) {
    problem(node, `\`${key}\` must be a list of paths or globs`);
    return [];
  }
  const out: string[] = [];
  for (const item of seq.items) {
    const text = reader.knownString(reader.deref(item))?.value;
    if (text) out.push(text.replace(/^\.\//, '').replace(/\/+$/, ''));
    else problem(item as Node, `each entry of \`${key}\` must be a path or glob`);
  }
  return out;
}

function nodePortRange(reader: Reader, cluster: YAMLMap | undefined, problem: Report): WorkspaceConfig['cluster']['nodePortRange'] {
  const node = reader.get(cluster, 'nodePortRange');
  const text = reader.knownString(node)?.value;
  if (text === undefined) return undefined;
  const range = parsePortRange(text);
  if (!range) problem(node, `\`cluster.nodePortRange\` must be MIN-MAX within 1-65535, like \`30000-32767\``);
  return range;
}

function ingressClasses(reader: Reader, cluster: YAMLMap | undefined, problem: Report): DeclaredIngressClass[] {
  const out: DeclaredIngressClass[] = [];
  for (const item of reader.seq(reader.get(cluster, 'ingressClasses'))?.items ?? []) {
    const map = reader.map(item);
    const name = reader.knownString(reader.get(map, 'name'))?.value;
    const controller = reader.knownString(reader.get(map, 'controller'))?.value;
    if (!name || !controller) {
      problem(item as Node, 'each of `cluster.ingressClasses` needs a `name` and a `controller` (for example `k8s.io/ingress-nginx`)');
      continue;
    }
    out.push({ name, controller, isDefault: reader.bool(reader.get(map, 'default')) === true });
  }
  return out;
}
