/**
 * Rename across files: Service names (and the Ingress backends naming them), Service port names
 * (and backends using `port.name`), container port names (and the targetPorts resolving to
 * them), and label values (with every selector and pod template that must move together).
 * Everything to edit is found through links.
 */
import type { Position, Range } from 'vscode-languageserver-types';
import type { Location } from '../analysis/types';
import type { LabelEntry, Resource, Service, Workload } from '../model';
import { nameOf } from '../links/describe';
import { dns1123LabelError, ianaServiceNameError } from '../semantics/names';
import { sameRange } from '../text/ranges';
import type { Workspace } from '../workspace/workspace';
import { siteAt } from './sites';
import type { Site } from './sites';

export interface RenameEdit extends Location {
  readonly newText: string;
}

export type PrepareRenameResult = { readonly range: Range; readonly placeholder: string } | { readonly error: string };
export type RenameResult = { readonly edits: readonly RenameEdit[]; readonly description: string } | { readonly error: string };

const NOT_RENAMEABLE = 'Kube Route Lens renames Service names, Service port names, container port names and label values.';

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
      return site.resource.type === 'service' ? serviceNamePlan(site.resource) : { error: NOT_RENAMEABLE };
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
    locations: (ws) => [{ uri: service.uri, range: name.range }, ...ws.linksTo(service.id).filter((l) => l.kind === 'ingress-service')],
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
