/** Document symbols (an outline of the objects in a file) and workspace symbols (find by name). */
import type { Location } from '../analysis/types';
import type { Resource } from '../model';
import { nameOf } from '../links/describe';
import type { Workspace } from '../workspace/workspace';

export interface ResourceSymbol extends Location {
  readonly name: string;
  readonly kind: string;
  readonly namespace: string;
  /** The name's range (the whole object is `range`). */
  readonly selectionRange: Location['range'];
}

function toSymbol(resource: Resource): ResourceSymbol {
  return { uri: resource.uri, range: resource.range, selectionRange: resource.anchor, name: nameOf(resource), kind: resource.kind, namespace: resource.namespace };
}

export function documentSymbols(ws: Workspace, uri: string): ResourceSymbol[] {
  return ws.resourcesOf(uri).map(toSymbol);
}

/** Objects whose name contains the query's characters in order (case-insensitive), best first. */
export function workspaceSymbols(ws: Workspace, query: string, limit = 200): ResourceSymbol[] {
  const wanted = query.toLowerCase();
  const scored: { score: number; symbol: ResourceSymbol }[] = [];
  for (const resource of ws.allResources()) {
    const name = nameOf(resource).toLowerCase();
    const score = matchScore(name, wanted);
    if (score !== undefined) scored.push({ score, symbol: toSymbol(resource) });
  }
  return scored.sort((a, b) => a.score - b.score || a.symbol.name.localeCompare(b.symbol.name)).slice(0, limit).map((s) => s.symbol);
}

/** 0 for a prefix, 1 for a substring, 2 for a subsequence; undefined for no match. */
function matchScore(name: string, query: string): number | undefined {
  if (query === '' || name.startsWith(query)) return 0;
  if (name.includes(query)) return 1;
  let at = 0;
  for (const ch of query) {
    at = name.indexOf(ch, at);
    if (at < 0) return undefined;
    at++;
  }
  return 2;
}
