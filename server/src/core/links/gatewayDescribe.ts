/**
 * Gateway API objects in words, for the graph's labels and the tracer's steps: a listener, a
 * match, a filter, the weights of a rule's backends. Plain text; the graph escapes it
 * (graph/mermaid.ts), the tracer puts names in backticks.
 */
import type { Field, Gateway, GatewayBackendRef, HttpHeaderMatch, Listener, PathModifier, RouteFilter, RouteMatch } from '../model';

function known<T>(field: Field<T> | undefined): T | undefined {
  return field && !field.unknown ? field.value : undefined;
}

/** `http` (the name), `#2` (the third listener, when its name is templated): what ids and messages call a listener. */
export function listenerKey(listener: Listener, index: number): string {
  return known(listener.name) ?? `#${index}`;
}

/** `http: 80/HTTP www.test.pri` (no hostname: any host). */
export function describeListener(listener: Listener, index: number): string {
  const port = known(listener.port) ?? '?';
  const protocol = known(listener.protocol) ?? '?';
  const hostname = known(listener.hostname);
  return `${listenerKey(listener, index)}: ${port}/${protocol}${hostname ? ` ${hostname}` : ' (any host)'}`;
}

/** `Gateway default/web` or `ListenerSet team/extra`. */
export function gatewayName(gateway: Gateway): string {
  return `${gateway.kind} ${gateway.namespace}/${gateway.name?.value ?? '(unnamed)'}`;
}

function nameValue(m: HttpHeaderMatch, between: string): string {
  const op = m.type === 'RegularExpression' ? '~' : between;
  return `${known(m.name) ?? '?'}${op}${known(m.value) ?? '?'}`;
}

/** `PathPrefix /abc · GET · header x-env=canary · query v=2`; a gRPC match `service/method`. */
export function describeMatch(match: RouteMatch): string {
  const parts: string[] = [];
  if (match.grpc) parts.push(`${match.grpc.type === 'RegularExpression' ? 'regex ' : ''}${known(match.grpc.service) ?? '*'}/${known(match.grpc.method) ?? '*'}`);
  else parts.push(`${match.path.type} ${known(match.path.value) ?? '(templated)'}`);
  const method = known(match.method);
  if (method) parts.push(method);
  for (const header of match.headers) parts.push(`header ${nameValue(header, '=')}`);
  for (const param of match.queryParams) parts.push(`query ${nameValue(param, '=')}`);
  return parts.join(' · ');
}

function describePath(path: PathModifier | undefined): string | undefined {
  if (!path) return undefined;
  const type = known(path.type);
  if (type === 'ReplaceFullPath') return `path → ${known(path.replaceFullPath) ?? '?'}`;
  if (type === 'ReplacePrefixMatch') return `prefix → ${known(path.replacePrefixMatch) ?? '?'}`;
  return type ? `path ${type}` : undefined;
}

/** `redirect 301 https:// :443 path → /new`, `rewrite host → a.example prefix → /`, or the filter's type. */
export function describeFilter(filter: RouteFilter): string {
  const type = known(filter.type) ?? filter.fields[0] ?? 'filter';
  if (type === 'RequestRedirect' && filter.requestRedirect) {
    const r = filter.requestRedirect;
    const parts = [`redirect ${known(r.statusCode) ?? 302}`];
    const scheme = known(r.scheme);
    if (scheme) parts.push(`${scheme}://`);
    const hostname = known(r.hostname);
    if (hostname) parts.push(`host → ${hostname}`);
    const port = known(r.port);
    if (port !== undefined) parts.push(`port ${port}`);
    const path = describePath(r.path);
    if (path) parts.push(path);
    return parts.join(' ');
  }
  if (type === 'URLRewrite' && filter.urlRewrite) {
    const parts = ['rewrite'];
    const hostname = known(filter.urlRewrite.hostname);
    if (hostname) parts.push(`host → ${hostname}`);
    const path = describePath(filter.urlRewrite.path);
    if (path) parts.push(path);
    return parts.join(' ');
  }
  if (type === 'RequestMirror' && filter.mirror) return `mirror → ${known(filter.mirror.name) ?? '?'}`;
  return type;
}

/**
 * The share of requests each backendRef gets, in percent (weight / sum of the rule's weights,
 * rounded): a weight of 0 gets 0; when every weight is 0 every share is 0.
 */
export function weightShares(refs: readonly GatewayBackendRef[]): number[] {
  const weights = refs.map((r) => Math.max(0, known(r.weight) ?? 1));
  const total = weights.reduce((a, b) => a + b, 0);
  return weights.map((w) => (total > 0 ? Math.round((100 * w) / total) : 0));
}
