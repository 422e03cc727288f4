/**
 * Hovers on keys. People hover the word they are reading, which is usually the key
 * (`externalTrafficPolicy:`, `backendRefs:`), not its value. A key whose value is a scalar gets
 * the hover of its value (the same explanation, with the resolved values); a key whose value is a
 * collection (`selector:`, `ports:`, `rules:`, `parentRefs:`, `backendRefs:`…) gets one line saying
 * what the field does in this object, then what the collection resolves to. Keys we have nothing
 * to add to (`replicas:`, `image:`, `metadata:`) give nothing: Red Hat YAML's schema hover on the
 * same key stays, and VS Code shows both.
 *
 * The key is read from the text line, as `yamlContext.ts` reads the key path for completion; the
 * objects it belongs to are found through the model's ranges (the resource, the rule, the path
 * or backendRef whose range holds the key). Everything shown is read from the links, through the
 * same functions as the value hovers.
 */
import type { Position, Range } from 'vscode-languageserver-types';
import type { Gateway, GatewayBackendRef, GatewayRoute, Ingress, IngressBackend, IngressRule, Resource, RouteFilter, RouteRule, Service, Workload } from '../model';
import { nameOf } from '../links/describe';
import { grantsPermitting, isCrossNamespace } from '../links/gatewayLinks';
import { rangeContains, sameRange } from '../text/ranges';
import type { Workspace } from '../workspace/workspace';
import { siteAt } from './sites';
import type { Site } from './sites';
import { code } from './markdown';
import { yamlContextAt } from './yamlContext';
import { hoverFor, linkHover, portChain, scaleTargetHover, serviceSelectorHover, workloadSelectorHover } from './hover';
import { acceptedListeners, attachmentLines, filterHover, gatewayNameHover, hostList, parentRefHover, pathSemantics } from './gatewayHover';
import { backendLinks, linkedService, linkedServicePort } from './related';
import { attachmentOf, backendRefLinks, backendService, backendServicePort, listenerLabel, matchLabel, parentKindOf, percentText, qualified, weightShare } from './gatewayRelated';
import { known } from '../model';

/** A mapping key on its line (`- ` items allowed before it), quoted or not; as in yamlContext.ts. */
const KEY_LINE = /^(\s*)((?:-\s+)*)([^\s:#'"-][^:#]*?|"[^"]*"|'[^']*'):(?=\s|$)/;

/** A key under the cursor and where its value starts. */
export interface KeyAt {
  /** The key as written, without quotes. */
  readonly key: string;
  /** The key's text (quotes included, colon excluded): the range the hover returns. */
  readonly range: Range;
  /** Keys from the document root to this key (its last element). */
  readonly path: readonly string[];
  /** A scalar on the key's line (`targetPort: http`), or a collection (block below, or flow `{…}`/`[…]`). */
  readonly value: { readonly kind: 'scalar'; readonly position: Position } | { readonly kind: 'collection'; readonly position?: Position };
}

/** The key under the cursor, or undefined when the cursor is not on a mapping key. */
export function keyAt(text: string, position: Position): KeyAt | undefined {
  // Most hovers are on values: look at the cursor's line alone before splitting the whole text.
  const line = lineAt(text, position.line);
  if (line === undefined) return undefined;
  const match = KEY_LINE.exec(line);
  if (!match) return undefined;
  const start = match[1].length + match[2].length;
  const end = start + match[3].length;
  // On the key, or right after it (a cursor at a word's end), never on the colon's far side.
  if (position.character < start || position.character > end) return undefined;
  const lines = text.split(/\r?\n|\r/);
  const range = { start: { line: position.line, character: start }, end: { line: position.line, character: end } };
  const path = yamlContextAt(text, { line: position.line, character: end + 1 })?.path ?? [];
  if (path[path.length - 1] !== match[3].replace(/^["']|["']$/g, '')) return undefined;
  return { key: path[path.length - 1], range, path, value: valueOf(lines, position.line, end + 1, start) };
}

/** Line `n` of a text (line breaks as in yamlContext.ts: \n, \r\n or \r). */
function lineAt(text: string, n: number): string | undefined {
  const breaks = /\r\n?|\n/g;
  let start = 0;
  for (let i = 0; i < n; i++) {
    if (!breaks.exec(text)) return undefined;
    start = breaks.lastIndex;
  }
  const next = breaks.exec(text);
  return text.slice(start, next ? next.index : text.length);
}

/** Where the value of a key starts: after the colon on the same line, or the first content line below. */
function valueOf(lines: readonly string[], lineNumber: number, after: number, keyColumn: number): KeyAt['value'] {
  const rest = lines[lineNumber].slice(after);
  // Skip an anchor (`&base`) or a tag (`!!map`) before the value.
  const inline = /^(\s*(?:[&!]\S*\s+)*)(.*)$/.exec(rest)!;
  const value = inline[2].trimEnd();
  if (value !== '' && !value.startsWith('#') && !/^[&!]\S*$/.test(value)) {
    const position = { line: lineNumber, character: after + inline[1].length };
    if (value.startsWith('{') || value.startsWith('[')) {
      const inner = /^[{[]\s*/.exec(value)![0].length;
      return { kind: 'collection', position: { line: lineNumber, character: position.character + inner } };
    }
    return { kind: 'scalar', position };
  }
  for (let i = lineNumber + 1; i < lines.length; i++) {
    const text = lines[i];
    if (/^(---|\.\.\.)(\s|$)/.test(text)) break;
    if (text.trim() === '' || text.trimStart().startsWith('#')) continue;
    const indent = /^(\s*)((?:-\s+)*)/.exec(text)!;
    const deeper = indent[1].length > keyColumn || (indent[1].length === keyColumn && indent[2].length > 0);
    return deeper ? { kind: 'collection', position: { line: i, character: indent[1].length + indent[2].length } } : { kind: 'collection' };
  }
  return { kind: 'collection' };
}

/** The hover of the key under the cursor: undefined when the cursor is not on a key; `markdown` undefined when the key has nothing to add. */
export function keyHover(ws: Workspace, uri: string, position: Position): { readonly range: Range; readonly markdown?: string } | undefined {
  const text = ws.text(uri);
  if (text === undefined) return undefined;
  const key = keyAt(text, position);
  if (!key) return undefined;
  const resource = ws.resourcesOf(uri).find((r) => rangeContains(r.range, key.range.start));
  if (!resource) return { range: key.range };
  return { range: key.range, markdown: key.value.kind === 'scalar' ? scalarKeyHover(ws, uri, key, key.value.position) : collectionKeyHover(ws, uri, resource, key) };
}

/** A key with a scalar value: the value's hover. */
function scalarKeyHover(ws: Workspace, uri: string, key: KeyAt, value: Position): string | undefined {
  const site = siteAt(ws, uri, value);
  if (site) return hoverFor(ws, site);
  // A site whose range is the key itself (a label of a selector written with an empty value).
  const own = siteAt(ws, uri, key.range.start);
  return own && sameRange(own.range, key.range) ? hoverFor(ws, own) : undefined;
}

function is(path: readonly string[], ...expected: string[]): boolean {
  return path.length === expected.length && expected.every((p, i) => path[i] === p);
}

function endsWith(path: readonly string[], ...suffix: string[]): boolean {
  return suffix.length <= path.length && suffix.every((p, i) => path[path.length - suffix.length + i] === p);
}

function lines(first: string, ...rest: (string | undefined)[]): string {
  return [first, '', ...rest.filter((l): l is string => l !== undefined)].join('\n');
}

/** A key with a collection value: one line on what the field does, then what it resolves to. */
function collectionKeyHover(ws: Workspace, uri: string, resource: Resource, key: KeyAt): string | undefined {
  const at = key.range.start;
  switch (resource.type) {
    case 'service':
      if (resource.selector && rangeContains(resource.selector.range, at)) return lines('**selector**: the labels a pod must carry (every pair) to receive this Service\'s traffic.', serviceSelectorHover(ws, resource));
      if (is(key.path, 'spec', 'ports')) return servicePorts(ws, resource);
      break;
    case 'workload':
      if (resource.selector && (rangeContains(resource.selector.range, at) || (key.key === 'matchLabels' && ownSelectorEntry(ws, uri, key, resource)))) {
        return lines(`**${key.key}**: the pods this ${resource.kind} manages; its pod template's labels must match.`, workloadSelectorHover(ws, resource));
      }
      break;
    case 'ingress': {
      const hover = ingressKeyHover(ws, resource, key);
      if (hover) return hover;
      break;
    }
    case 'hpa':
      if (is(key.path, 'spec', 'scaleTargetRef')) {
        const link = ws.linksFrom(resource.id).find((l) => l.kind === 'hpa-target');
        return lines('**scaleTargetRef**: the workload whose replica count this autoscaler sets.', scaleTargetHover(ws, resource, link));
      }
      break;
    case 'route': {
      const hover = routeKeyHover(ws, resource, key);
      if (hover) return hover;
      break;
    }
    case 'gateway':
      if (is(key.path, 'spec', 'listeners')) return listeners(ws, resource);
      if (is(key.path, 'spec', 'parentRef') && resource.parentRef) return parentRefHover(ws, resource, resource.parentRef);
      break;
    default:
      break;
  }
  // Inside an object a value hover already explains (a match's `path:`, a filter's `urlRewrite:`, a
  // listener's `tls:`), or a map whose range is its key (pod template `labels:`): that hover.
  const site = siteAt(ws, uri, at);
  return site && enclosingOrOwn(site, key) ? hoverFor(ws, site) : undefined;
}

/** Sites that describe an object the key is inside of, or whose range is the key itself. */
function enclosingOrOwn(site: Site, key: KeyAt): boolean {
  switch (site.kind) {
    case 'gw-match':
    case 'gw-filter':
    case 'gw-listener':
    case 'gw-parent-ref':
    case 'gw-backend-ref':
      return true;
    default:
      return rangeContains(site.range, key.range.start) && rangeContains(site.range, key.range.end);
  }
}

/** `matchLabels:` of this workload's own selector (not of an affinity term or a claim template): its first entry is a selector entry. */
function ownSelectorEntry(ws: Workspace, uri: string, key: KeyAt, workload: Workload): boolean {
  const first = key.value.position;
  if (!first) return false;
  const site = siteAt(ws, uri, first);
  return site?.kind === 'workload-selector' && site.resource.id === workload.id && site.entry !== undefined;
}

// ── Service ─────────────────────────────────────────────────────────────────────────────────

function servicePorts(ws: Workspace, service: Service): string {
  const chains = service.ports.map((p) => `- ${portChain(ws, service, p)}`);
  return lines(`**ports**: what ${service.serviceType.value} Service ${code(nameOf(service))} listens on, and where each port forwards (targetPort, in the selected pods).`, ...(chains.length > 0 ? chains : ['No ports.']));
}

// ── Ingress ─────────────────────────────────────────────────────────────────────────────────

function ingressKeyHover(ws: Workspace, ingress: Ingress, key: KeyAt): string | undefined {
  const at = key.range.start;
  if (is(key.path, 'spec', 'rules')) {
    return lines('**rules**: a request is matched by host first, then by path; the backend of the path that wins gets it.', ...ingress.rules.flatMap((r) => ruleLines(ws, ingress, r)));
  }
  if (endsWith(key.path, 'rules', 'http') || endsWith(key.path, 'rules', 'http', 'paths')) {
    const rule = ingress.rules.find((r) => rangeContains(r.range, at));
    if (rule) return lines(`**${key.key}**: the paths of this host, each with the backend that gets its requests; the longest matching path wins.`, ...ruleLines(ws, ingress, rule));
  }
  if (is(key.path, 'spec', 'defaultBackend') && ingress.defaultBackend) return backendKey(ws, ingress, ingress.defaultBackend, '**defaultBackend**: where requests that match no rule go.');
  if (key.key === 'backend') {
    const path = ingress.rules.flatMap((r) => r.paths).find((p) => rangeContains(p.range, at));
    if (path?.backend) return backendKey(ws, ingress, path.backend, '**backend**: the Service (and its port) that receives the requests this path matches.');
  }
  const backend = [...ingress.rules.flatMap((r) => r.paths.map((p) => p.backend)), ingress.defaultBackend].find((b): b is IngressBackend => b !== undefined && rangeContains(b.range, at));
  if (backend?.service && (endsWith(key.path, 'backend', 'service') || endsWith(key.path, 'defaultBackend', 'service'))) {
    return backendKey(ws, ingress, backend, '**service**: the Service that receives these requests, by name and port.');
  }
  if (backend?.service && endsWith(key.path, 'service', 'port')) {
    const link = backendLinks(ws, ingress, backend).port;
    const hover = link ? linkHover(ws, ingress, link) : undefined;
    return hover ? lines('**port**: the Service port (its `port`, by number or name; not the targetPort) the requests go to.', hover) : undefined;
  }
  return undefined;
}

function backendKey(ws: Workspace, ingress: Ingress, backend: IngressBackend, first: string): string | undefined {
  if (backend.isResource) return lines(first, 'A `resource` backend (not a Service): not checked here.');
  const links = backendLinks(ws, ingress, backend);
  const link = links.port?.status === 'resolved' ? links.port : links.service;
  const hover = link ? linkHover(ws, ingress, link) : undefined;
  return hover ? lines(first, hover) : undefined;
}

/** One line per path of a rule: host, path and pathType, and where the backend leads. */
function ruleLines(ws: Workspace, ingress: Ingress, rule: IngressRule): string[] {
  const host = rule.host ? (rule.host.unknown ? '*(templated host)*' : code(rule.host.value)) : '*any host*';
  if (rule.paths.length === 0) return [`- ${host}: no paths (this rule sends nothing anywhere)`];
  return rule.paths.map((p) => {
    const path = p.path ? (p.path.unknown ? '*(templated path)*' : code(p.path.value)) : code('/');
    return `- ${host} ${path} ${p.pathType?.value ?? 'ImplementationSpecific'} → ${p.backend ? backendText(ws, ingress, p.backend) : '*no backend*'}`;
  });
}

function backendText(ws: Workspace, ingress: Ingress, backend: IngressBackend): string {
  if (backend.isResource || !backend.service) return 'a `resource` backend (not checked)';
  const links = backendLinks(ws, ingress, backend);
  const reached = linkedServicePort(ws, links.port);
  if (reached) return portChain(ws, reached.service, reached.port);
  const name = backend.service.name.unknown ? '…' : backend.service.name.value;
  const service = linkedService(ws, links.service);
  if (service) return `Service ${code(nameOf(service))} *(port ${code(links.port?.text ?? '?')} is not one of its ports)*`;
  if (links.service?.status === 'unknown' || !links.service) return `Service ${code(name)} *(cannot be resolved here)*`;
  return `Service ${code(name)} *(not in namespace ${code(ingress.namespace)})*`;
}

// ── Gateway API ─────────────────────────────────────────────────────────────────────────────

function routeKeyHover(ws: Workspace, route: GatewayRoute, key: KeyAt): string | undefined {
  const at = key.range.start;
  if (is(key.path, 'spec', 'parentRefs')) return parentRefs(ws, route);
  if (is(key.path, 'spec', 'hostnames')) return hostnames(ws, route);
  if (is(key.path, 'spec', 'rules')) return routeRules(route);
  const ruleIndex = route.rules.findIndex((r) => rangeContains(r.range, at));
  const rule = route.rules[ruleIndex];
  if (!rule) return undefined;
  if (is(key.path, 'spec', 'rules', 'backendRefs')) return backendRefs(ws, route, rule, ruleIndex);
  if (is(key.path, 'spec', 'rules', 'matches')) return matches(ws, route, rule, ruleIndex);
  if (is(key.path, 'spec', 'rules', 'filters')) return filters(ws, route, rule, rule.filters, `**filters**: applied, in order, to every request rule ${ruleIndex + 1} takes, before a backend is picked.`);
  if (is(key.path, 'spec', 'rules', 'backendRefs', 'filters')) {
    const ref = rule.backendRefs.find((r) => rangeContains(r.range, at));
    if (ref) return filters(ws, route, rule, ref.filters, `**filters**: applied only to the requests sent to backendRef ${code(known(ref.name) ?? '…')}.`, ref);
  }
  return undefined;
}

function parentRefs(ws: Workspace, route: GatewayRoute): string {
  const out: string[] = [];
  const hosts = new Set<string | undefined>();
  for (const ref of route.parentRefs) {
    const what = `${ref.kind} ${code(`${ref.namespace}/${known(ref.name) ?? '…'}`)}${ref.sectionName ? ` section ${code(known(ref.sectionName) ?? '…')}` : ''}${ref.port ? ` port ${known(ref.port) ?? '…'}` : ''}`;
    const { attachment } = attachmentOf(ws, route, ref);
    if (!attachment) {
      out.push(`- ${what}: not judged here (templated, or an implementation-specific parent)`);
      continue;
    }
    const parent = attachment.parents[0];
    if (!parent) {
      out.push(`- ${what}: **not in this workspace** (NoMatchingParent)`);
      continue;
    }
    if (attachment.accepted.length === 0) {
      // The reason, as the parentRef's own hover words it (its first line).
      out.push(`- ${what}: ${attachmentLines(route, attachment).find((l) => l.startsWith('**')) ?? '**does not attach**'}`);
      continue;
    }
    for (const a of attachment.accepted) {
      for (const h of a.hostnames) hosts.add(h);
      const of = a.parent.id === parent.id ? '' : ` of ${parentKindOf(a.parent)} ${code(qualified(a.parent))}`;
      out.push(`- ${what} → listener ${listenerLabel(a.listener)}${of} → serves ${hostList(a.hostnames)}`);
    }
  }
  const effective = hosts.size > 0 ? `Effective hostnames: ${hostList([...hosts])}.` : 'The route attaches to no listener: it serves nothing yet.';
  return lines('**parentRefs**: the Gateways (or ListenerSets) this route asks to attach to; each listener that accepts it serves the route\'s hostnames there.', ...(out.length > 0 ? out : ['No parentRefs.']), '', effective);
}

function hostnames(ws: Workspace, route: GatewayRoute): string {
  const out = acceptedListeners(ws, route).map((a) => `- ${parentKindOf(a.parent)} ${code(qualified(a.parent))} listener ${code(known(a.listener.name) ?? '?')} → ${hostList(a.hostnames)}`);
  return lines(
    '**hostnames**: the Host headers this route answers, intersected with the hostname of each listener it attaches to.',
    ...(out.length > 0 ? ['Effective hostnames per listener:', ...out] : ['The route attaches to no listener: it serves no hostname yet.']),
  );
}

function routeRules(route: GatewayRoute): string {
  const out = route.rules.map((rule, i) => {
    const when = rule.matches.map(matchLabel).join(' or ');
    const to = rule.backendRefs.map((r) => {
      const share = weightShare(rule, r);
      return `${code(known(r.name) ?? '…')} ${share ? percentText(share.percent) : '?'}`;
    });
    const types = rule.filters.map((f) => known(f.type)).filter((t): t is string => t !== undefined);
    const redirect = types.includes('RequestRedirect');
    const target = to.length > 0 ? to.join(', ') : redirect ? 'a redirect (no backend)' : '*no backendRefs: answered 500*';
    return `- rule ${i + 1}: ${when} → ${target}${types.length > 0 ? ` · ${types.map((t) => code(t)).join(', ')}` : ''}`;
  });
  return lines(`**rules**: a request takes the rule with the most specific matching match; its filters run, then one of its backendRefs gets it by weight.`, ...out);
}

function backendRefs(ws: Workspace, route: GatewayRoute, rule: RouteRule, ruleIndex: number): string {
  const out = rule.backendRefs.map((ref) => `- ${shareOf(rule, ref)} → ${backendRefChain(ws, route, ref)}`);
  return lines(`**backendRefs**: where the requests of rule ${ruleIndex + 1} go, split by weight.`, ...(out.length > 0 ? out : ['*None: the requests of this rule are answered 500.*']));
}

function shareOf(rule: RouteRule, ref: GatewayBackendRef): string {
  const share = weightShare(rule, ref);
  if (!share) return 'weight *(templated)*';
  return `**${percentText(share.percent)}** (weight ${share.weight})`;
}

/** Service → port → targetPort → containerPort → pods, or why the backendRef leads nowhere. */
function backendRefChain(ws: Workspace, route: GatewayRoute, ref: GatewayBackendRef): string {
  const name = known(ref.name) ?? '…';
  if (ref.group !== '' || ref.kind !== 'Service') return `${code(`${ref.group || 'core'}/${ref.kind}`)} ${code(name)} *(implementation-specific: not checked)*`;
  const links = backendRefLinks(ws, route, ref);
  const service = backendService(ws, links.service);
  if (!service) return links.service?.status === 'missing' ? `**BackendNotFound**: no Service ${code(name)} in namespace ${code(ref.namespace)} (answered 500)` : `Service ${code(name)} *(cannot be resolved here)*`;
  const port = backendServicePort(service, links.port);
  const chain = port ? portChain(ws, service, port) : `Service ${code(nameOf(service))} *(${ref.port ? `port ${code(links.port?.text ?? '?')} is not one of its ports` : 'no `port`: the API server rejects it'})*`;
  const refused = isCrossNamespace(route, ref) && grantsPermitting(route, ref, ws.query()).length === 0 ? ` · **RefNotPermitted** (no ReferenceGrant in ${code(ref.namespace)})` : '';
  return `${chain}${refused}`;
}

function matches(ws: Workspace, route: GatewayRoute, rule: RouteRule, ruleIndex: number): string {
  const out = rule.matches.map((m) => `- ${matchLabel(m)}: ${pathSemantics(m)}`);
  const served = acceptedListeners(ws, route).flatMap((a) => a.hostnames);
  const on = served.length > 0 ? `Served on ${hostList([...new Set(served)])}.` : 'The route attaches to no listener, so these matches serve nothing yet.';
  return lines(`**matches**: rule ${ruleIndex + 1} takes a request when any of its matches fits (every condition of a match must hold).`, ...out, '', on);
}

function filters(ws: Workspace, route: GatewayRoute, rule: RouteRule, list: readonly RouteFilter[], first: string, ref?: GatewayBackendRef): string {
  if (list.length === 1) return lines(first, filterHover(ws, route, rule, list[0], ref));
  // Several: the first line of each (what it does); each filter's own hover has the worked example.
  return lines(first, ...list.map((f, i) => `${i + 1}. ${filterHover(ws, route, rule, f, ref).split('\n')[0]}`));
}

function listeners(ws: Workspace, gateway: Gateway): string {
  const [, , ...rest] = gatewayNameHover(ws, gateway).split('\n');
  return lines(`**listeners**: where this ${parentKindOf(gateway)} accepts traffic (port, protocol, hostname); routes attach to them through their parentRefs.`, ...rest);
}
