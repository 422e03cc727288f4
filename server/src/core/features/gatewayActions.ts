/**
 * Quick fixes for Gateway API references, keyed on the state of their links (so they work whether
 * or not a rule reports the problem) and attached to the finding of the matching rule when there
 * is one:
 *
 * - did-you-mean: a missing parentRef, backendRef, backendRef port or gatewayClassName link whose
 *   near miss carries a fix;
 * - a backendRef without `port` (the API server rejects it for a Service): add one of the
 *   Service's ports;
 * - a cross-namespace backendRef that no ReferenceGrant permits: create the grant (§11 of
 *   docs/gateway-api-semantics.md). It is written as a new document right after the Service it
 *   exposes, in the Service's file: a grant lives in the target namespace and is owned by whoever
 *   owns the Service, and is applied with it. It carries `metadata.namespace` when the Service's
 *   manifest does (otherwise it goes wherever the Service goes: `kubectl -n`, a kustomization's
 *   `namespace`).
 */
import type { Range } from 'vscode-languageserver-types';
import type { Finding, Link } from '../analysis/types';
import type { GatewayBackendRef, GatewayRoute, Resource, Service } from '../model';
import { nameOf } from '../links/describe';
import { portLabel } from '../links/ingressLinks';
import { grantsIn, grantsPermitting, isCrossNamespace } from '../links/gatewayLinks';
import { GATEWAY_GROUP } from '../semantics/gatewayApi';
import { sameRange, uriOf } from '../text/ranges';
import { key } from '../workspace/keys';
import type { Workspace } from '../workspace/workspace';
import type { CodeActionResult } from './codeActions';
import { backendRefLinks, backendService } from './gatewayRelated';

/**
 * The rule ids whose findings these fixes answer (the Gateway API rules name themselves after the
 * status condition a controller would write). A finding of another Gateway API rule on the same
 * range is attached when none of these is there.
 */
export const GATEWAY_FIX_RULES = {
  parent: ['route-no-matching-parent', 'listenerset-not-allowed'],
  backend: ['route-backend-not-found'],
  port: ['route-backend-port-missing'],
  grant: ['route-ref-not-permitted'],
  gatewayClass: ['gateway-class-missing'],
} as const;

const LINK_RULES: Partial<Record<Link['kind'], readonly string[]>> = {
  'route-parent': GATEWAY_FIX_RULES.parent,
  'route-backend': GATEWAY_FIX_RULES.backend,
  'route-backend-port': GATEWAY_FIX_RULES.port,
  'gateway-class': GATEWAY_FIX_RULES.gatewayClass,
  'listenerset-parent': GATEWAY_FIX_RULES.parent,
};

function overlaps(a: Range, b: Range): boolean {
  const before = (p: Range['start'], q: Range['start']) => p.line < q.line || (p.line === q.line && p.character <= q.character);
  return before(a.start, b.end) && before(b.start, a.end);
}

function lineText(ws: Workspace, uri: string, line: number): string {
  return (ws.text(uri) ?? '').split(/\r?\n|\r/)[line] ?? '';
}

/** The finding a fix answers: one of `rules` over `range`, else any Gateway API finding on exactly that range. */
function findingFor(ws: Workspace, uri: string, range: Range, rules: readonly string[], exact = true): Finding | undefined {
  const findings = ws.findings(uri);
  const at = (f: Finding) => (exact ? sameRange(f.range, range) : overlaps(f.range, range));
  return findings.find((f) => at(f) && rules.includes(f.rule)) ?? (exact ? findings.find((f) => at(f) && /^(route|gateway|listener)-/.test(f.rule)) : undefined);
}

export function gatewayActions(ws: Workspace, uri: string, range: Range): CodeActionResult[] {
  const actions: CodeActionResult[] = [];
  for (const resource of ws.resourcesOf(uri)) {
    if (!overlaps(resource.range, range)) continue;
    if (resource.type === 'route' || resource.type === 'gateway') actions.push(...didYouMean(ws, resource, range));
    if (resource.type !== 'route') continue;
    for (const rule of resource.rules) {
      for (const ref of rule.backendRefs) {
        if (!overlaps(ref.range, range)) continue;
        actions.push(...addPortFixes(ws, resource, ref));
        const grant = referenceGrantFix(ws, resource, ref);
        if (grant) actions.push(grant);
      }
    }
  }
  return actions;
}

/** `Change to \`web\``: the near misses of a missing link that carry an edit. */
function didYouMean(ws: Workspace, resource: Resource, range: Range): CodeActionResult[] {
  const out: CodeActionResult[] = [];
  for (const link of ws.linksFrom(resource.id)) {
    const rules = LINK_RULES[link.kind];
    if (!rules || link.status !== 'missing' || !overlaps(link.range, range)) continue;
    const finding = findingFor(ws, link.uri, link.range, rules);
    if (link.kind === 'route-backend-port' && resource.type === 'route') {
      out.push(...portChoices(ws, resource, link, finding));
      continue;
    }
    for (const [i, miss] of (link.nearMisses ?? []).entries()) {
      if (!miss.fix) continue;
      out.push({
        title: `Change to \`${miss.fix.label ?? miss.fix.newText}\``,
        kind: 'quickfix',
        edits: [{ uri: uriOf(miss.fix.range, link.uri), range: miss.fix.range, newText: miss.fix.newText }],
        fixes: finding,
        isPreferred: i === 0,
      });
    }
  }
  return out;
}

/** A backendRef port the Service does not have: one fix per port the Service has (a backendRef names the Service port, not the targetPort). */
function portChoices(ws: Workspace, route: GatewayRoute, link: Link, finding: Finding | undefined): CodeActionResult[] {
  const ref = route.rules.flatMap((r) => r.backendRefs).find((r) => r.port && sameRange(r.port.range, link.range));
  const service = ref ? backendService(ws, backendRefLinks(ws, route, ref).service) : undefined;
  if (!service) return [];
  // The port whose targetPort is the number written first: the usual mix-up.
  const ports = service.ports.filter((p) => p.port && !p.port.unknown);
  const targeted = ports.filter((p) => p.targetPort && !p.targetPort.unknown && String(p.targetPort.value) === link.text);
  return [...targeted, ...ports.filter((p) => !targeted.includes(p))].slice(0, 6).map((p, i) => ({
    title: `Change to \`${(p.port as { value: number }).value}\``,
    kind: 'quickfix' as const,
    edits: [{ uri: uriOf(link.range, link.uri), range: link.range, newText: String((p.port as { value: number }).value) }],
    fixes: finding,
    isPreferred: i === 0,
  }));
}

/** A backendRef to a Service without `port` (required: the API server rejects it): one fix per port of the Service. */
function addPortFixes(ws: Workspace, route: GatewayRoute, ref: GatewayBackendRef): CodeActionResult[] {
  if (ref.port || !ref.name) return [];
  const service = backendService(ws, backendRefLinks(ws, route, ref).service);
  if (!service) return [];
  const text = lineText(ws, route.uri, ref.name.range.start.line);
  const keyColumn = text.lastIndexOf('name', ref.name.range.start.character);
  // Flow style (`{name: web}`) or a name not written on its own line: no safe place for a new key.
  if (keyColumn < 0 || text.slice(0, keyColumn).includes('{') || !/^\s*(-\s+)?$/.test(text.slice(0, keyColumn))) return [];
  const finding = findingFor(ws, route.uri, ref.range, GATEWAY_FIX_RULES.port, false);
  const at = { line: ref.name.range.start.line, character: text.length };
  return service.ports
    .filter((p) => p.port && !p.port.unknown)
    .slice(0, 6)
    .map((p, i) => ({
      title: `Add \`port: ${(p.port as { value: number }).value}\` (Service ${nameOf(service)} port ${portLabel(p)})`,
      kind: 'quickfix' as const,
      edits: [{ uri: route.uri, range: { start: at, end: at }, newText: `\n${' '.repeat(keyColumn)}port: ${(p.port as { value: number }).value}` }],
      fixes: finding,
      isPreferred: i === 0,
    }));
}

/** A cross-namespace backendRef to a Service that no ReferenceGrant permits: create the grant next to the Service. */
function referenceGrantFix(ws: Workspace, route: GatewayRoute, ref: GatewayBackendRef): CodeActionResult | undefined {
  if (!isCrossNamespace(route, ref) || ref.group !== '' || ref.kind !== 'Service' || !ref.name || ref.name.unknown) return undefined;
  const service = backendService(ws, backendRefLinks(ws, route, ref).service);
  if (!service || grantsPermitting(route, ref, ws.query()).length > 0) return undefined;
  const placement = grantPlacement(ws, service);
  if (!placement) return undefined;
  const name = grantName(ws, route, ref.namespace, ref.name.value);
  const existing = grantsIn(ref.namespace, ws.query())[0];
  const apiVersion = existing?.apiVersion ?? `${GATEWAY_GROUP}/v1beta1`;
  const yaml = [
    `apiVersion: ${apiVersion}`,
    'kind: ReferenceGrant',
    'metadata:',
    `  name: ${name}`,
    ...(placement.namespace ? [`  namespace: ${ref.namespace}`] : []),
    'spec:',
    '  from:',
    `    - group: ${GATEWAY_GROUP}`,
    `      kind: ${route.routeKind}`,
    `      namespace: ${route.namespace}`,
    '  to:',
    '    - group: ""',
    '      kind: Service',
    `      name: ${ref.name.value}`,
  ].join('\n');
  const file = service.uri.slice(service.uri.lastIndexOf('/') + 1);
  return {
    title: `Create ReferenceGrant \`${ref.namespace}/${name}\` letting ${route.routeKind}s of \`${route.namespace}\` use Service \`${ref.name.value}\` (in ${file})`,
    kind: 'quickfix',
    edits: [{ uri: service.uri, range: { start: placement.at, end: placement.at }, newText: placement.before + yaml + placement.after }],
    fixes: findingFor(ws, route.uri, ref.range, GATEWAY_FIX_RULES.grant, false),
    isPreferred: true,
  };
}

/**
 * Where the new grant goes: right after the Service's document (as a new `---` document); at the
 * end of the Service's file when the Service is an item of a `List` or not at the start of a line.
 */
function grantPlacement(ws: Workspace, service: Service): { at: Range['start']; before: string; after: string; namespace: boolean } | undefined {
  const text = ws.text(service.uri);
  if (text === undefined) return undefined;
  const namespace = service.namespaceRange !== undefined;
  if (service.itemIndex === undefined && service.range.start.character === 0) {
    const endLine = lineText(ws, service.uri, service.range.end.line);
    const end = service.range.end.character === 0 ? service.range.end : { line: service.range.end.line, character: endLine.length };
    return { at: end, before: end.character === 0 ? '---\n' : '\n---\n', after: end.character === 0 ? '\n' : '', namespace };
  }
  const lines = text.split(/\r?\n|\r/);
  const last = lines.length - 1;
  const at = { line: last, character: lines[last].length };
  return { at, before: lines[last] === '' ? '---\n' : '\n---\n', after: lines[last] === '' ? '\n' : '', namespace };
}

function grantName(ws: Workspace, route: GatewayRoute, namespace: string, service: string): string {
  const base = `${route.namespace}-${route.routeKind.toLowerCase()}s-to-${service}`.toLowerCase().replace(/[^a-z0-9.-]+/g, '-').slice(0, 240).replace(/[-.]+$/, '');
  const taken = (name: string) => ws.lookup(key.object('ReferenceGrant', namespace, name)).length > 0;
  if (!taken(base)) return base;
  for (let i = 2; ; i++) if (!taken(`${base}-${i}`)) return `${base}-${i}`;
}
