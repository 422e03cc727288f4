/** The custom requests of the routing graph: the graph of a scope (with its Mermaid text) and request traces. */
import type { Connection } from 'vscode-languageserver/node';
import { buildRouteGraph, failureMessage, foldHosts, lensTitle, rangeContains, toMermaid, traceGatewayChoices, traceRequest } from '../core';
import type { GraphGrouping, GraphScope, RouteTest, TraceOptions, TraceResult, Workspace } from '../core';
import { ROUTE_GRAPH_REQUEST, RUN_ROUTE_TESTS_REQUEST, TRACE_GATEWAYS_REQUEST, TRACE_REQUEST } from '../protocol';
import type { RouteGraphParams, RouteGraphResult, RouteTestRun, RunRouteTestsResult, TraceGatewaysParams, TraceGatewaysResult, TraceParams } from '../protocol';
import type { FeatureContext } from './features';
import { positionIn, servedUri } from './params';
import { runSafe } from './runSafe';
import { record } from './settings';

/**
 * The scope a client asked for, from parameters checked field by field (a client may send
 * anything); undefined when they name none. A cursor must be a position in a document the
 * workspace holds (see `params.ts`): the object there, or else the file.
 */
function toScope(ws: Workspace, param: unknown): GraphScope | undefined {
  const scope = record(param);
  switch (scope.kind) {
    case 'workspace':
      return { kind: 'workspace' };
    case 'namespace':
      return typeof scope.namespace === 'string' ? { kind: 'namespace', namespace: scope.namespace } : undefined;
    case 'host':
      return typeof scope.host === 'string' ? { kind: 'host', host: scope.host } : undefined;
    case 'file':
      return typeof scope.uri === 'string' ? { kind: 'file', uri: scope.uri } : undefined;
    case 'cursor': {
      const uri = servedUri(scope.uri);
      const text = uri === undefined ? undefined : ws.text(uri);
      const position = uri === undefined || text === undefined ? undefined : positionIn(uri, text, scope.position);
      if (uri === undefined || position === undefined) return undefined;
      const resource = ws.resourcesOf(uri).find((r) => rangeContains(r.range, position));
      return resource ? { kind: 'resource', resourceId: resource.id } : { kind: 'file', uri };
    }
    default:
      return undefined;
  }
}

/** Namespaces and hosts the scope picker offers. */
function choices(ws: Workspace): { namespaces: string[]; hosts: string[] } {
  const namespaces = new Set<string>();
  const hosts = new Set<string>();
  for (const resource of ws.allResources()) {
    if (resource.namespace) namespaces.add(resource.namespace);
    // Gateway API: listener and route hostnames (a rule's effective hostname is one of them).
    if (resource.type === 'gateway') for (const l of resource.listeners) if (l.hostname && !l.hostname.unknown) hosts.add(l.hostname.value);
    if (resource.type === 'route') for (const h of resource.hostnames) if (!h.unknown) hosts.add(h.value);
    if (resource.type !== 'ingress') continue;
    for (const rule of resource.rules) if (rule.host && !rule.host.unknown) hosts.add(rule.host.value);
  }
  return { namespaces: [...namespaces].sort(), hosts: [...hosts].sort() };
}

/** The options of a trace request, keeping only well-formed values (a client may send anything). */
function traceOptions(params: Partial<TraceParams>): TraceOptions {
  const headers: Record<string, string> = {};
  if (params.headers && typeof params.headers === 'object') {
    for (const [name, value] of Object.entries(params.headers)) if (typeof value === 'string') headers[name] = value;
  }
  return {
    headers,
    ...(typeof params.method === 'string' && params.method ? { method: params.method } : {}),
    ...(typeof params.from === 'string' && params.from ? { from: params.from } : {}),
    ...(typeof params.gateway === 'string' && params.gateway ? { gateway: params.gateway } : {}),
  };
}

const GROUPINGS: readonly GraphGrouping[] = ['namespace', 'controller', 'none'];

export function registerGraphRequest(connection: Connection, ctx: FeatureContext): void {
  connection.onRequest(ROUTE_GRAPH_REQUEST, async (params: RouteGraphParams | undefined): Promise<RouteGraphResult | null> => {
    await ctx.ready;
    ctx.flushAll();
    const ws = ctx.workspace();
    const { scope: scopeParam, highlight, group, fold } = record(params);
    const scope = toScope(ws, scopeParam);
    if (!scope) return null;
    const highlighted = new Set(Array.isArray(highlight) ? highlight.filter((id): id is string => typeof id === 'string') : []);
    return runSafe(ctx.log, () => {
      const built = buildRouteGraph(ws, scope);
      const graph = fold === false ? built : foldHosts(built, highlighted);
      const mermaid = toMermaid(graph, highlighted, { group: GROUPINGS.find((g) => g === group) ?? 'namespace' });
      return { graph, mermaid: mermaid.text, mermaidIds: mermaid.ids, ...choices(ws) };
    }, null);
  });
}

export function registerTraceRequest(connection: Connection, ctx: FeatureContext): void {
  connection.onRequest(TRACE_REQUEST, async (params: TraceParams | undefined): Promise<TraceResult | null> => {
    await ctx.ready;
    ctx.flushAll();
    const fields = record(params) as Partial<TraceParams>;
    return runSafe(ctx.log, () => traceRequest(ctx.workspace(), String(fields.url), traceOptions(fields)), null);
  });
}

export function registerTraceGatewaysRequest(connection: Connection, ctx: FeatureContext): void {
  connection.onRequest(TRACE_GATEWAYS_REQUEST, async (params: TraceGatewaysParams | undefined): Promise<TraceGatewaysResult | null> => {
    await ctx.ready;
    ctx.flushAll();
    const fields = record(params) as Partial<TraceGatewaysParams>;
    return runSafe(ctx.log, () => traceGatewayChoices(ctx.workspace(), String(fields.url), traceOptions(fields).headers), null);
  });
}

/** The request of a route test as TRACE_REQUEST params (`from`: the test file, as the engine runs it). */
export function routeTestTraceParams(uri: string, test: RouteTest): TraceParams {
  return { url: test.url, headers: test.headers, ...(test.method ? { method: test.method } : {}), ...(test.gateway ? { gateway: test.gateway } : {}), from: uri };
}

export function registerRunRouteTestsRequest(connection: Connection, ctx: FeatureContext): void {
  connection.onRequest(RUN_ROUTE_TESTS_REQUEST, async (): Promise<RunRouteTestsResult | null> => {
    await ctx.ready;
    ctx.flushAll();
    return runSafe(ctx.log, (): RunRouteTestsResult => {
      const ws = ctx.workspace();
      const tests: RouteTestRun[] = [];
      const problems: { uri: string; line: number; message: string }[] = [];
      for (const uri of ws.routeTestUris()) {
        for (const problem of ws.summary(uri)?.routeTests?.problems ?? []) problems.push({ uri, line: problem.range.start.line, message: problem.message });
        for (const result of ws.routeTestResults(uri) ?? []) {
          tests.push({
            uri,
            range: result.test.anchor,
            name: result.test.name ?? result.test.url,
            pass: result.pass,
            title: lensTitle(result),
            ...(result.pass ? {} : { message: failureMessage(result) }),
            trace: routeTestTraceParams(uri, result.test),
          });
        }
      }
      return { tests, problems };
    }, null);
  });
}
