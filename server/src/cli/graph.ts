/** `kube-route-lens graph`: the route graph as Mermaid text, JSON, or a self-contained HTML page. */
import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { DEFAULT_NODE_BUDGET, buildRouteGraph, foldHosts, toMermaid } from '../core';
import type { GraphScope, RouteGraph } from '../core';
import { CliError } from './args';
import type { GraphCommand } from './args';
import { openWorkspace, relativeFile } from './check';
import { skippedNotes } from './report';
import { renderGraphPage } from './graphPage';
import { safeJsonStringify, visible } from './terminal';

export interface GraphOutput {
  /** The page, Mermaid text or JSON. */
  readonly text: string;
  /** Said on stderr (the graph was cut to the node budget). */
  readonly notice?: string;
  /** For stderr: one `note: skipped FILE: REASON` per file that could not be read or checked. */
  readonly notes: readonly string[];
}

/** Where the Mermaid renderer bundle is, next to the CLI bundle (server/dist/cli.js → webview/dist/standalone.js). */
export function standaloneBundlePath(): string {
  return path.join(__dirname, '..', '..', 'webview', 'dist', 'standalone.js');
}

export async function runGraph(command: GraphCommand, cwd: string, bundlePath = standaloneBundlePath()): Promise<GraphOutput> {
  // Fail before reading any manifest when the page cannot be built.
  if (command.format === 'html' && !existsSync(bundlePath)) throw new CliError('webview/dist/standalone.js is missing: run npm run build');
  const { workspace, skipped } = await openWorkspace(command.paths, command.settings, cwd, command.config);
  const scope: GraphScope = command.host !== undefined ? { kind: 'host', host: command.host } : command.namespace !== undefined ? { kind: 'namespace', namespace: command.namespace } : { kind: 'workspace' };
  const graph = buildRouteGraph(workspace, scope, command.all ? Number.POSITIVE_INFINITY : DEFAULT_NODE_BUDGET);
  const notice = graph.truncated ? `note: showing ${graph.truncated.shown} of ${graph.truncated.total} nodes. ${graph.truncated.hint.replace('the current file', '--host, --namespace or --all')}` : undefined;
  // Drawn as the VS Code panel draws it: hosts served alike folded, a box per namespace. `--format
  // json` stays one node per host and path, for scripts.
  const mermaid = toMermaid(foldHosts(graph), new Set(), { group: 'namespace' }).text;
  let text: string;
  if (command.format === 'json') text = formatGraphJson(graph, cwd);
  else if (command.format === 'html') text = renderGraphPage({ mermaid, title: pageTitle(command), bundle: readFileSync(bundlePath, 'utf8'), nonce: randomBytes(18).toString('base64') });
  else text = mermaid;
  return { text, ...(notice ? { notice } : {}), notes: skippedNotes(skipped) };
}

function pageTitle(command: GraphCommand): string {
  const scope = command.host !== undefined ? ` · host ${command.host}` : command.namespace !== undefined ? ` · namespace ${command.namespace}` : '';
  // Control characters in a path or a host would reach a terminal when the page is printed.
  return visible(`Route graph of ${command.paths.join(', ')}${scope}`);
}

/** The graph as JSON, with `location: { file, range }` (paths relative to the working directory) instead of URIs. Node ids are kept as they are (opaque; `trace --format json` uses the same). */
export function formatGraphJson(graph: RouteGraph, cwd: string): string {
  const nodes = graph.nodes.map(({ location, ...node }) => ({ ...node, ...(location ? { location: { file: relativeFile(location.uri, cwd), range: location.range } } : {}) }));
  return `${safeJsonStringify({ nodes, edges: graph.edges, ...(graph.truncated ? { truncated: graph.truncated } : {}) })}\n`;
}
