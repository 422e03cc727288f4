/**
 * Rename across files: Service names (and the Ingress backends naming them), Service port names
 * (and backends using `port.name`), container port names (and the targetPorts resolving to
 * them), and label values (with every selector and pod template that must move together).
 * Everything to edit is found through links.
 */
import type { Position, Range } from 'vscode-languageserver-types';
import type { Location } from '../analysis/types';
import type { Gateway, LabelEntry, Listener, Resource, Service, Workload } from '../model';
import { nameOf } from '../links/describe';
import { dns1123LabelError, ianaServiceNameError } from '../semantics/names';
import { sameRange } from '../text/ranges';
import type { Workspace } from '../workspace/workspace';
import { siteAt } from './sites';
import { backendRefLinks, backendService, linkedParents, listenerNamed, parentLinkOf, routesOnParent } from './gatewayRelated';
import type { Site } from './sites';
import { known } from '../model';

export interface RenameEdit extends Location {
  readonly newText: string;
}

export type PrepareRenameResult = { readonly range: Range; readonly placeholder: string } | { readonly error: string };
export type RenameResult = { readonly edits: readonly RenameEdit[]; readonly description: string } | { readonly error: string };

const NOT_RENAMEABLE = 'Kube Route Lens renames Service names, Service port names, container port names, label values, and Gateway and listener names.';

/** What a rename at this position would change: the plan shared by prepare and rename. */
interface Plan {
  readonly range: Range;
  readonly oldText: string;
  readonly what: string;
  readonly validate: (newText: string) => string | undefined;
  readonly locations: (ws: Workspace) => Location[];
}

export function prepareRename(ws: Workspace, uri: string, position: Position): PrepareRenameResult {
  const plan = planFor(ws, siteAt(ws, uri, position));
  return 'error' in plan ? plan : { range: plan.range, placeholder: plan.oldText };
}

export function rename(ws: Workspace, uri: string, position: Position, newText: string): RenameResult {
  const plan = planFor(ws, siteAt(ws, uri, position));
  if ('error' in plan) return plan;
  const problem = plan.validate(newText);
  if (problem) return { error: `\`${newText}\` ${problem}` };
  const edits = dedupe(plan.locations(ws)).map((l) => ({ uri: l.uri, range: l.range, newText }));
  return { edits, description: `Rename ${plan.what} \`${plan.oldText}\` to \`${newText}\` (${edits.length} place${edits.length === 1 ? '' : 's'})` };
}

function dedupe(locations: readonly Location[]): Location[] {
  const seen = new Set<string>();
  return locations.filter((l) => {
    const id = `${l.uri}#${JSON.stringify(l.range)}`;
    if (seen.has(id)) return false;
    seen.add(id);
    return true;
  });
}

function planFor(ws: Workspace, site: Site | undefined): Plan | { error: string } {
  if (!site) return { error: NOT_RENAMEABLE };
  switch (site.kind) {
    case 'name':
      if (site.resource.type === 'service') return serviceNamePlan(site.resource);
      return site.resource.type === 'gateway' ? gatewayNamePlan(site.resource) : { error: NOT_RENAMEABLE };
    case 'gw-listener':
      return site.field === 'name' ? listenerNamePlan(site.resource, site.listener) : { error: `${NOT_RENAMEABLE} Put the cursor on the listener's name.` };
    case 'gw-parent-ref': {
      const parent = linkedParents(ws, parentLinkOf(ws, site.resource, site.ref))[0];
      if (!parent) return { error: 'This parentRef does not resolve to a Gateway or ListenerSet in the workspace, so there is nothing to rename with it.' };
      if (site.field === 'name') return withRange(gatewayNamePlan(parent), site.range);
      const listener = site.field === 'sectionName' ? listenerNamed(parent, known(site.ref.sectionName) ?? '') : undefined;
      if (!listener) return { error: site.field === 'sectionName' ? `No listener of that name in ${parent.kind} ${nameOf(parent)}.` : NOT_RENAMEABLE };
      return withRange(listenerNamePlan(parent, listener), site.range);
    }
    case 'gw-backend-ref': {
      if (site.field !== 'name') return { error: `${NOT_RENAMEABLE} Put the cursor on the backendRef's name.` };
      const service = backendService(ws, backendRefLinks(ws, site.resource, site.ref).service);
      return service ? withRange(serviceNamePlan(service), site.range) : { error: 'This reference does not resolve to a Service in the workspace, so there is nothing to rename with it.' };
    }
    case 'link': {
      const plan = linkPlan(site.link.kind, site.link.status === 'resolved' ? ws.resource(site.link.targets[0].resourceId) : undefined, site.link.targets[0]?.range);
      // Renaming from the reference: the editor needs the range under the cursor.
      return 'error' in plan ? plan : { ...plan, range: site.range };
    }
    case 'service-port':
      return site.field === 'name' && site.port.name && !site.port.name.unknown ? servicePortNamePlan(site.resource, site.port.name.value, site.port.range, site.range) : { error: NOT_RENAMEABLE };
    case 'container-port':
      return site.field === 'name' && site.port.name && !site.port.name.unknown ? containerPortNamePlan(site.resource, site.port.name.value, site.port.range, site.range) : { error: NOT_RENAMEABLE };
    case 'pod-label':
    case 'service-selector':
    case 'workload-selector':
      return site.entry && sameRange(site.range, site.entry.valueRange) ? labelPlan(site.resource, site.entry) : { error: `${NOT_RENAMEABLE} Put the cursor on a label value.` };
    default:
      return { error: NOT_RENAMEABLE };
  }
}

function linkPlan(kind: string, target: Resource | undefined, targetRange: Range | undefined): Plan | { error: string } {
  if (!target || target.type !== 'service') return { error: 'This reference does not resolve to a Service in the workspace, so there is nothing to rename with it.' };
  if (kind === 'ingress-service') return serviceNamePlan(target);
  const port = target.ports.find((p) => targetRange && sameRange(p.range, targetRange));
  if (kind === 'ingress-service-port' && port?.name && !port.name.unknown) return servicePortNamePlan(target, port.name.value, port.range, port.name.range);
  return { error: NOT_RENAMEABLE };
}

function serviceNamePlan(service: Service): Plan | { error: string } {
  if (!service.name) return { error: NOT_RENAMEABLE };
  const name = service.name;
  return {
    range: name.range,
    oldText: name.value,
    what: 'Service',
    validate: (text) => (/^[a-z]([-a-z0-9]*[a-z0-9])?$/.test(text) && text.length <= 63 ? undefined : 'is not a valid Service name (a DNS label starting with a letter)'),
    // Ingress backends and Gateway API backendRefs that name it.
    locations: (ws) => [{ uri: service.uri, range: name.range }, ...ws.linksTo(service.id).filter((l) => l.kind === 'ingress-service' || l.kind === 'route-backend')],
  };
}

/** Renaming from a reference: the editor needs the range under the cursor. */
function withRange(plan: Plan | { error: string }, range: Range): Plan | { error: string } {
  return 'error' in plan ? plan : { ...plan, range };
}

const DNS_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

/** A Gateway (or ListenerSet) with the route parentRefs and ListenerSet parentRefs that name it. */
function gatewayNamePlan(gateway: Gateway): Plan | { error: string } {
  if (!gateway.name) return { error: NOT_RENAMEABLE };
  const name = gateway.name;
  return {
    range: name.range,
    oldText: name.value,
    what: gateway.kind,
    validate: (text) => (DNS_SUBDOMAIN.test(text) && text.length <= 253 ? undefined : `is not a valid ${gateway.kind} name (a lowercase DNS subdomain)`),
    locations: (ws) => [{ uri: gateway.uri, range: name.range }, ...ws.linksTo(gateway.id).filter((l) => l.kind === 'route-parent' || l.kind === 'listenerset-parent')],
  };
}

/** A listener with the route sectionNames that name it (parentRefs resolved to its Gateway or ListenerSet). */
function listenerNamePlan(parent: Gateway, listener: Listener): Plan | { error: string } {
  const name = listener.name;
  if (!name || name.unknown) return { error: NOT_RENAMEABLE };
  return {
    range: name.range,
    oldText: name.value,
    what: `listener of ${parent.kind} ${nameOf(parent)}`,
    validate: (text) => {
      if (!DNS_SUBDOMAIN.test(text) || text.length > 253) return 'is not a valid listener name (a lowercase DNS subdomain)';
      return parent.listeners.some((l) => l !== listener && known(l.name) === text) ? `is already the name of another listener of ${parent.kind} ${nameOf(parent)}` : undefined;
    },
    locations: (ws) => [
      { uri: parent.uri, range: name.range },
      ...routesOnParent(ws, parent)
        .filter((entry) => known(entry.ref.sectionName) === name.value)
        .map((entry) => ({ uri: entry.link.uri, range: entry.ref.sectionName!.range })),
    ],
  };
}

function servicePortNamePlan(service: Service, oldName: string, portRange: Range, nameRange: Range): Plan {
  return {
    range: nameRange,
    oldText: oldName,
    what: `port name of Service ${nameOf(service)}`,
    validate: (text) => dns1123LabelError(text),
    // Backends that name the port (not those that use its number).
    locations: (ws) => [
      { uri: service.uri, range: nameRange },
      ...ws.linksTo(service.id).filter((l) => l.kind === 'ingress-service-port' && l.text === oldName && l.targets.some((t) => sameRange(t.range, portRange))),
    ],
  };
}

function containerPortNamePlan(workload: Workload, oldName: string, portRange: Range, nameRange: Range): Plan {
  return {
    range: nameRange,
    oldText: oldName,
    what: 'container port name',
    validate: (text) => ianaServiceNameError(text),
    locations: (ws) => [
      { uri: workload.uri, range: nameRange },
      ...ws.linksTo(workload.id).filter((l) => l.kind === 'service-target-port' && l.text === oldName && l.targets.some((t) => sameRange(t.range, portRange))),
    ],
  };
}

function labelPlan(resource: Resource, entry: LabelEntry): Plan | { error: string } {
  if (entry.injected) return { error: 'This label comes from a kustomization (commonLabels); rename it there.' };
  return {
    range: entry.valueRange,
    oldText: entry.value,
    what: `label ${entry.key}`,
    validate: (text) => (/^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/.test(text) && text.length <= 63 ? undefined : 'is not a valid label value'),
    locations: (ws) => labelGroup(ws, resource, entry.key, entry.value),
  };
}

/**
 * The label entries `key=value` that must change together: starting from one Service or
 * workload, follow selector links both ways (Service → pods it selects → Services selecting those
 * pods …), collecting the entry in each pod template, workload selector and Service selector.
 */
function labelGroup(ws: Workspace, start: Resource, key: string, value: string): Location[] {
  const visited = new Set<string>();
  const queue: Resource[] = [start];
  const locations: Location[] = [];
  const take = (uri: string, entries: readonly LabelEntry[] | undefined) => {
    const entry = entries?.find((e) => e.key === key && e.value === value && !e.injected);
    if (entry) locations.push({ uri, range: entry.valueRange });
    return entry !== undefined;
  };
  while (queue.length > 0) {
    const resource = queue.shift()!;
    if (visited.has(resource.id)) continue;
    visited.add(resource.id);
    if (resource.type === 'service') {
      if (!take(resource.uri, resource.selector?.entries)) continue;
      for (const link of ws.linksFrom(resource.id).filter((l) => l.kind === 'service-selector')) queue.push(...link.targets.map((t) => ws.resource(t.resourceId)).filter((r): r is Resource => r !== undefined));
    } else if (resource.type === 'workload') {
      const inTemplate = take(resource.uri, resource.template?.labels.entries);
      take(resource.uri, resource.selector?.matchLabels);
      if (!inTemplate) continue;
      for (const link of ws.linksTo(resource.id).filter((l) => l.kind === 'service-selector')) {
        const service = ws.resource(link.sourceId);
        if (service) queue.push(service);
      }
    }
  }
  return locations;
}
