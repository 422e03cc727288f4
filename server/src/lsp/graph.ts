/** The custom requests of the routing graph: the graph of a scope (with its Mermaid text) and request traces. */
import type { Connection } from 'vscode-languageserver/node';
import { buildRouteGraph, rangeContains, toMermaid, traceRequest } from '../core';
import type { GraphScope, TraceOptions, TraceResult, Workspace } from '../core';
import { ROUTE_GRAPH_REQUEST, TRACE_REQUEST } from '../protocol';
import type { GraphScopeParam, RouteGraphParams, RouteGraphResult, TraceParams } from '../protocol';

import type { FeatureContext } from './features';
import { runSafe } from './runSafe';

function toScope(ws: Workspace, scope: GraphScopeParam): GraphScope {
  if (scope.kind !== 'cursor') return scope;
  const resource = ws.resourcesOf(scope.uri).find((r) => rangeContains(r.range, scope.position));
  return resource ? { kind: 'resource', resourceId: resource.id } : { kind: 'file', uri: scope.uri };
}

/** Namespaces and hosts the scope picker offers. */
function choices(ws: Workspace): { namespaces: string[]; hosts: string[] } {
  const namespaces = new Set<string>();
  const hosts = new Set<string>();
  for (const resource of ws.allResources()) {
    if (resource.namespace) namespaces.add(resource.namespace);
    if (resource.type !== 'ingress') continue;
    for (const rule of resource.rules) if (rule.host && !rule.host.unknown) hosts.add(rule.host.value);
  }
  return { namespaces: [...namespaces].sort(), hosts: [...hosts].sort() };
}

/** The options of a trace request, keeping only well-formed values (a client may send anything). */
function traceOptions(params: TraceParams): TraceOptions {
  const headers: Record<string, string> = {};
  if (params.headers && typeof params.headers === 'object') {
    for (const [name, value] of Object.entries(params.headers)) if (typeof value === 'string') headers[name] = value;
  }
  return {
    headers,
    ...(typeof params.method === 'string' && params.method ? { method: params.method } : {}),
    ...(typeof params.from === 'string' && params.from ? { from: params.from } : {}),
  };
}

export function registerGraphRequest(connection: Connection, ctx: FeatureContext): void {
  connection.onRequest(ROUTE_GRAPH_REQUEST, async (params: RouteGraphParams): Promise<RouteGraphResult | null> => {
    await ctx.ready;
    ctx.flushAll();
    return runSafe(ctx.log, () => {
      const ws = ctx.workspace();
      const graph = buildRouteGraph(ws, toScope(ws, params.scope));
      const mermaid = toMermaid(graph, new Set(params.highlight ?? []));
      return { graph, mermaid: mermaid.text, mermaidIds: mermaid.ids, ...choices(ws) };
    }, null);
  });
}

export function registerTraceRequest(connection: Connection, ctx: FeatureContext): void {
  connection.onRequest(TRACE_REQUEST, async (params: TraceParams): Promise<TraceResult | null> => {
    await ctx.ready;
    ctx.flushAll();
    return runSafe(ctx.log, () => traceRequest(ctx.workspace(), String(params.url), traceOptions(params)), null);
  });
}
