/**
 * The checking half of the fuzz test (test/fuzz/fuzz.test.ts), run in a worker thread so that a
 * mutant that hangs the engine or exhausts its memory ends this worker, not the test: the test
 * times each case out, records it, and starts a new worker.
 *
 * For one mutant file, put in a workspace next to healthy neighbour files, it checks that:
 *   - no engine call throws: update, findings, links, allResources, the route graph and its
 *     Mermaid text, the route list, traces of URLs derived from the mutant's Ingresses, and the
 *     editor features (hover, definition, references, completion, rename, symbols, lenses,
 *     code actions, diagnostics) at a few positions;
 *   - the whole case takes less than a generous bound of CPU time (FUZZ_BOUND_MS);
 *   - the neighbours' findings are what they are without the mutant (when the mutant does not
 *     name their namespace or folder), and are again once the mutant is removed;
 *   - no output format (check text/JSON/SARIF, trace text/JSON, graph Mermaid/JSON/HTML page)
 *     carries a raw control character.
 */
import { parentPort } from 'node:worker_threads';
import {
  Workspace,
  buildRouteGraph,
  codeActions,
  codeLenses,
  compareFindings,
  doComplete,
  doHover,
  documentSymbols,
  effectiveSeverity,
  findDefinition,
  findReferences,
  isWorkspaceConfigUri,
  listRoutes,
  prepareRename,
  rename,
  toDiagnostics,
  toMermaid,
  traceRequest,
  workspaceSymbols,
} from '../../server/src/core';
import type { FileChange, Finding, GraphScope, Resource, RouteGraph, TraceResult } from '../../server/src/core';
import { relativeFile } from '../../server/src/cli/check';
import { formatJson } from '../../server/src/cli/formatJson';
import { formatSarif } from '../../server/src/cli/formatSarif';
import { formatRoutes, formatText } from '../../server/src/cli/formatText';
import { formatGraphJson } from '../../server/src/cli/graph';
import { renderGraphPage } from '../../server/src/cli/graphPage';
import type { Report, ReportEntry } from '../../server/src/cli/report';
import { visible } from '../../server/src/cli/terminal';
import { formatTraceJson, formatTraceText } from '../../server/src/cli/trace';
import { NEIGHBOUR_MARK } from './fuzzInputs';

/**
 * Per input, for everything above together. This bounds pathological slowness (a super-linear
 * rule, an unbounded regex or alias expansion); it is not a benchmark: a healthy case takes a few
 * milliseconds, and the bound leaves room for a slow CI machine and a garbage collection. A
 * mutant over 1 MB (a corpus file with copies) gets the same per MB: reading is linear.
 */
export const FUZZ_BOUND_MS = 2000;

export function boundFor(text: string): number {
  return FUZZ_BOUND_MS * Math.max(1, text.length / 1_000_000);
}

/** The working directory the CLI formatters print paths relative to. */
export const FUZZ_CWD = '/fuzz';

export interface Position {
  readonly line: number;
  readonly character: number;
}

export interface FuzzCase {
  readonly id: string;
  readonly uri: string;
  readonly text: string;
  /** Unchanged files analysed with the mutant (the rest of its kustomize project). */
  readonly siblings: readonly FileChange[];
  /** Where to ask for hovers and other editor features. */
  readonly positions: readonly Position[];
  /** Paths appended to the mutant's hosts to trace (`/`, a path that makes regexes work). */
  readonly pathTails: readonly string[];
  /** The new name for renames at the positions (and the query for workspace symbols). */
  readonly renameTo: string;
  /** Extra URLs (hostile ones) to trace as they are. */
  readonly urls: readonly string[];
}

export type ToWorker = { readonly type: 'init'; readonly neighbours: readonly FileChange[] } | { readonly type: 'case'; readonly case: FuzzCase };

export type FromWorker =
  | { readonly type: 'ready'; readonly baselineFindings: number; readonly failures: readonly string[] }
  | { readonly type: 'result'; readonly id: string; readonly ms: number; readonly failures: readonly string[] };

/**
 * What a terminal obeys or a bidi-aware viewer reorders: C0 controls, DEL, the C1 controls
 * (U+009B is a one-byte CSI), the Arabic letter mark, the directional marks, embeddings,
 * overrides and isolates, and the line and paragraph separators (which the CLI also escapes).
 * Text output may hold tab and newline raw; JSON only newline (its layout).
 */
const UNSAFE_IN_TEXT = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;
const UNSAFE_IN_JSON = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;

function rawControls(text: string, pattern: RegExp): string[] {
  const found = new Set<string>();
  for (const match of text.matchAll(pattern)) found.add(`U+${match[0].charCodeAt(0).toString(16).toUpperCase().padStart(4, '0')}`);
  return [...found];
}

function firstLines(error: unknown): string {
  const text = error instanceof Error ? (error.stack ?? `${error.name}: ${error.message}`) : String(error);
  return visible(text.split('\n').slice(0, 8).join(' | ')).slice(0, 1500);
}

let neighbours: readonly FileChange[] = [];
const baseline = new Map<string, string>();

function findingsJson(ws: Workspace, uri: string): string {
  return JSON.stringify(ws.findings(uri).sort(compareFindings));
}

/**
 * URLs to trace: each host of the mutant's Ingresses (example.com when a rule has none) with the
 * given path tails, and each literal path of a rule as it is written; then the extra URLs.
 */
function traceUrls(resources: readonly Resource[], c: FuzzCase): string[] {
  const targets = new Set<string>();
  for (const resource of resources) {
    if (resource.type !== 'ingress') continue;
    for (const rule of resource.rules) {
      const host = rule.host && !rule.host.unknown ? rule.host.value : 'example.com';
      for (const tail of c.pathTails) targets.add(`http://${host}${tail}`);
      for (const path of rule.paths) {
        if (path.path && !path.path.unknown && /^\/[\w./-]*$/.test(path.path.value)) targets.add(`http://${host}${path.path.value}`);
      }
    }
  }
  if (targets.size === 0) targets.add('http://example.com/');
  return [...[...targets].slice(0, 6), ...c.urls];
}

/** Checks one case; the failures say what went wrong, each in a line or two. */
export function runCase(c: FuzzCase): { ms: number; failures: string[] } {
  const failures: string[] = [];
  const fail = (what: string) => failures.push(what);
  // Time per kind of step (positions and URLs aside), to say where a slow case spends it.
  const spent = new Map<string, number>();
  function step<T>(what: string, fn: () => T): T | undefined {
    const begin = process.hrtime.bigint();
    try {
      return fn();
    } catch (error) {
      fail(`${what} threw: ${firstLines(error)}`);
      return undefined;
    } finally {
      const kind = what.replace(/[@(].*$/, '');
      spent.set(kind, (spent.get(kind) ?? 0) + Number(process.hrtime.bigint() - begin) / 1e6);
    }
  }
  const start = process.hrtime.bigint();
  const cpuStart = process.cpuUsage();
  const ws = new Workspace();
  step('Workspace.update', () => ws.update([...neighbours, { uri: c.uri, text: c.text }, ...c.siblings]));
  const uris = step('Workspace.uris', () => ws.uris()) ?? [];
  const findingsByUri = new Map<string, Finding[]>();
  for (const uri of uris) {
    const findings = step(`Workspace.findings(${uri === c.uri ? 'mutant' : uri})`, () => ws.findings(uri));
    if (findings) findingsByUri.set(uri, findings);
    step(`Workspace.links(${uri === c.uri ? 'mutant' : uri})`, () => ws.links(uri));
  }
  step('Workspace.allResources', () => ws.allResources());
  const own = step('Workspace.resourcesOf(mutant)', () => ws.resourcesOf(c.uri)) ?? [];

  const graph = step('buildRouteGraph', () => buildRouteGraph(ws));
  const mermaid = graph ? step('toMermaid', () => toMermaid(graph).text) : undefined;
  // Scoped graphs: a host and a namespace of the mutant.
  const scopes: GraphScope[] = [];
  const ingress = own.find((r) => r.type === 'ingress');
  const host = ingress?.type === 'ingress' ? ingress.rules.find((r) => r.host && !r.host.unknown)?.host : undefined;
  if (host && !host.unknown) scopes.push({ kind: 'host', host: host.value });
  if (own.length > 0) scopes.push({ kind: 'namespace', namespace: own[0].namespace });
  const scopedMermaid: string[] = [];
  for (const scope of scopes) {
    const scoped = step(`buildRouteGraph(${scope.kind})`, () => buildRouteGraph(ws, scope));
    const text = scoped ? step(`toMermaid(${scope.kind} graph)`, () => toMermaid(scoped).text) : undefined;
    if (text !== undefined) scopedMermaid.push(text);
  }
  const routes = step('listRoutes', () => listRoutes(ws));

  const traces: TraceResult[] = [];
  for (const [index, url] of traceUrls(own, c).entries()) {
    const options = index % 2 === 1 ? { from: c.uri } : { headers: { 'x-canary': 'always' } };
    const result = step(`traceRequest(${visible(url).slice(0, 120)})`, () => traceRequest(ws, url, options));
    if (result) traces.push(result);
  }

  for (const position of c.positions) {
    const at = `${position.line}:${position.character}`;
    step(`doHover@${at}`, () => doHover(ws, c.uri, position));
    step(`findDefinition@${at}`, () => findDefinition(ws, c.uri, position));
    step(`findReferences@${at}`, () => findReferences(ws, c.uri, position, true));
    step(`doComplete@${at}`, () => doComplete(ws, c.uri, position));
    const prepared = step(`prepareRename@${at}`, () => prepareRename(ws, c.uri, position));
    if (prepared && !('error' in prepared)) step(`rename@${at}`, () => rename(ws, c.uri, position, c.renameTo));
  }
  step('workspaceSymbols', () => workspaceSymbols(ws, c.renameTo.slice(0, 20)));
  step('toDiagnostics', () => toDiagnostics(findingsByUri.get(c.uri) ?? [], {}, 'https://example.invalid/docs'));
  step('documentSymbols', () => documentSymbols(ws, c.uri));
  step('codeLenses', () => codeLenses(ws, c.uri));
  for (const finding of (findingsByUri.get(c.uri) ?? []).slice(0, 5)) step(`codeActions(${finding.rule})`, () => codeActions(ws, c.uri, finding.range));

  // Every output format, built by the CLI's own writers.
  const outputs: { name: string; text: string; json: boolean }[] = [];
  const entries: ReportEntry[] = [];
  let resources = 0;
  for (const uri of uris) {
    resources += step('Workspace.resourcesOf', () => ws.resourcesOf(uri).length) ?? 0;
    for (const finding of [...(findingsByUri.get(uri) ?? [])].sort(compareFindings)) {
      const severity = effectiveSeverity(finding, {});
      if (severity) entries.push({ file: relativeFile(uri, FUZZ_CWD), finding, severity });
    }
  }
  const report: Report = { entries, filesChecked: uris.length, resources, skipped: [] };
  const output = (name: string, json: boolean, fn: () => string) => {
    const text = step(name, fn);
    if (text !== undefined) outputs.push({ name, text, json });
  };
  output('check --format text', false, () => formatText(report, false) + (routes ? formatRoutes(routes) : ''));
  output('check --format text --color', false, () => formatText(report, true).replace(/\u001b\[\d+m/g, ''));
  output('check --format json', true, () => formatJson(report));
  output('check --format sarif', true, () => formatSarif(report, { version: '0.0.0', docsBaseUrl: 'https://example.invalid/docs', relativePath: (uri) => relativeFile(uri, FUZZ_CWD) }));
  for (const [index, trace] of traces.entries()) {
    output(`trace #${index} --format text`, false, () => formatTraceText(trace, FUZZ_CWD, false));
    output(`trace #${index} --format json`, true, () => formatTraceJson(trace, FUZZ_CWD));
  }
  if (mermaid !== undefined) {
    output('graph --format mermaid', false, () => mermaid);
    output('graph --format html', false, () => renderGraphPage({ mermaid, title: 'fuzz', bundle: '', nonce: 'ZnV6emZ1enpmdXp6' }));
  }
  scopedMermaid.forEach((text, index) => output(`graph (scope #${index}) --format mermaid`, false, () => text));
  if (graph) output('graph --format json', true, () => formatGraphJson(graph as RouteGraph, FUZZ_CWD));

  for (const out of outputs) {
    const raw = rawControls(out.text, out.json ? UNSAFE_IN_JSON : UNSAFE_IN_TEXT);
    if (raw.length > 0) fail(`${out.name} writes raw control characters: ${raw.join(' ')}`);
    if (out.json) {
      try {
        JSON.parse(out.text);
      } catch (error) {
        fail(`${out.name} is not valid JSON: ${firstLines(error)}`);
      }
    }
  }

  // The neighbours do not see the mutant unless it names their namespace or folder (a Service of
  // theirs, a kustomization that includes their files), or is a workspace configuration.
  const independent = ![c, ...c.siblings].some((file) => (file.text ?? '').includes(NEIGHBOUR_MARK) || isWorkspaceConfigUri(file.uri));
  for (const neighbour of neighbours) {
    const now = step(`findings of neighbour ${neighbour.uri}`, () => findingsJson(ws, neighbour.uri));
    if (independent && now !== undefined && now !== baseline.get(neighbour.uri)) fail(`the findings of ${neighbour.uri} changed next to the mutant:\n    before ${baseline.get(neighbour.uri)}\n    after  ${now}`);
  }
  // Without the mutant, the workspace is the neighbours' alone again (removal is exact).
  step('Workspace.removeFile(mutant)', () => ws.removeFile(c.uri));
  for (const sibling of c.siblings) step('Workspace.removeFile(sibling)', () => ws.removeFile(sibling.uri));
  for (const neighbour of neighbours) {
    const now = step(`findings of neighbour ${neighbour.uri} after removing the mutant`, () => findingsJson(ws, neighbour.uri));
    if (now !== undefined && now !== baseline.get(neighbour.uri)) fail(`the findings of ${neighbour.uri} differ after the mutant was removed:\n    before ${baseline.get(neighbour.uri)}\n    after  ${now}`);
  }

  const ms = Number(process.hrtime.bigint() - start) / 1e6;
  // The bound is on CPU time: on a loaded machine (CI neighbours, parallel test files) wall time
  // stretches with the run queue, while a pathological input costs CPU wherever it runs. The
  // worker is the only busy thread of its process, so the process's CPU time is the case's.
  const used = process.cpuUsage(cpuStart);
  const cpuMs = (used.user + used.system) / 1000;
  const bound = boundFor(c.text);
  if (cpuMs > bound) {
    const slowest = [...spent].sort((x, y) => y[1] - x[1]).slice(0, 4);
    fail(`took ${Math.round(cpuMs)} ms of CPU (${Math.round(ms)} ms wall; bound ${Math.round(bound)} ms for ${c.text.length} characters); most in ${slowest.map(([kind, t]) => `${kind} ${Math.round(t)} ms`).join(', ')}`);
  }
  return { ms, failures };
}

export function init(files: readonly FileChange[]): FromWorker {
  neighbours = files;
  const ws = new Workspace();
  ws.update(neighbours);
  let count = 0;
  const failures: string[] = [];
  for (const file of neighbours) {
    baseline.set(file.uri, findingsJson(ws, file.uri));
    count += ws.findings(file.uri).length;
    if (ws.resourcesOf(file.uri).length === 0) failures.push(`neighbour ${file.uri} has no resources`);
  }
  return { type: 'ready', baselineFindings: count, failures };
}

parentPort?.on('message', (message: ToWorker) => {
  if (message.type === 'init') {
    parentPort!.postMessage(init(message.neighbours));
    return;
  }
  let result: { ms: number; failures: string[] };
  try {
    result = runCase(message.case);
  } catch (error) {
    result = { ms: Number.NaN, failures: [`the checker itself threw: ${firstLines(error)}`] };
  }
  const answer: FromWorker = { type: 'result', id: message.case.id, ...result };
  parentPort!.postMessage(answer);
});
