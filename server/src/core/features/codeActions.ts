/**
 * Quick fixes for the findings under the cursor (did-you-mean replacements, targetPort fixes,
 * nodePort fixes, migrating a removed Ingress API) and one refactoring: create a ClusterIP
 * Service for a workload no Service selects. Each action is a list of text edits.
 */
import { routeTestActions } from './routeTestFeatures';
import type { Range } from 'vscode-languageserver-types';
import type { Finding } from '../analysis/types';
import type { Container, Ingress, IngressClass, LabelEntry, Service, ServicePort, Workload } from '../model';
import { nameOf } from '../links/describe';
import { LineIndex } from '../text/lineIndex';
import { rangeContains, sameRange } from '../text/ranges';
import { gatewayActions } from './gatewayActions';
import { key } from '../workspace/keys';
import { portOfTargetPortAt } from '../links/serviceLinks';
import type { Workspace } from '../workspace/workspace';
import { migrateIngressText } from './migrateIngress';
import type { RenameEdit } from './rename';
import { selectedWorkloads, servicesSelecting } from './related';

export interface CodeActionResult {
  readonly title: string;
  readonly kind: 'quickfix' | 'refactor';
  readonly edits: readonly RenameEdit[];
  /** The finding this action fixes (quick fixes only). */
  readonly fixes?: Finding;
  readonly isPreferred?: boolean;
}

function overlaps(a: Range, b: Range): boolean {
  const before = (p: Range['start'], q: Range['start']) => p.line < q.line || (p.line === q.line && p.character <= q.character);
  return before(a.start, b.end) && before(b.start, a.end);
}

export function codeActions(ws: Workspace, uri: string, range: Range): CodeActionResult[] {
  const actions: CodeActionResult[] = [];
  // A finding counts when the cursor is on it or on the text one of its fixes would change.
  const relevant = (f: Finding) => overlaps(f.range, range) || (f.replacements ?? []).some((r) => r.uri === uri && overlaps(r.range, range));
  for (const finding of ws.findings(uri).filter(relevant)) actions.push(...fixesFor(ws, finding));
  for (const action of gatewayActions(ws, uri, range)) if (!actions.some((a) => sameEdits(a, action))) actions.push(action);
  actions.push(...createServiceActions(ws, uri, range));
  actions.push(...routeTestActions(ws, uri, range));
  return actions;
}

function sameEdits(a: CodeActionResult, b: CodeActionResult): boolean {
  return a.edits.length === b.edits.length && a.edits.every((e, i) => e.uri === b.edits[i].uri && e.newText === b.edits[i].newText && sameRange(e.range, b.edits[i].range));
}

function fixesFor(ws: Workspace, finding: Finding): CodeActionResult[] {
  const fixes: CodeActionResult[] = (finding.replacements ?? []).map((r, i) => ({
    title: r.title,
    kind: 'quickfix',
    edits: [{ uri: r.uri, range: r.range, newText: r.newText }],
    fixes: finding,
    isPreferred: i === 0,
  }));
  const resource = ws.resourcesOf(finding.uri).find((r) => rangeContains(r.range, finding.range.start));
  switch (finding.rule) {
    case 'service-target-port-unresolved':
    case 'service-target-port-not-declared':
      if (resource?.type === 'service') fixes.push(...targetPortFixes(ws, resource, finding));
      break;
    case 'nodeport-out-of-range':
      if (resource?.type === 'service') fixes.push(...freeNodePortFix(ws, resource, finding));
      break;
    case 'nodeport-not-allowed':
      fixes.push(deleteLineFix(ws, finding, 'Remove nodePort'));
      break;
    case 'ingress-api-removed':
      if (resource?.type === 'ingress' || resource?.type === 'ingressClass') fixes.push(...migrationFix(ws, resource, finding));
      break;
    default:
      break;
  }
  return fixes;
}

/** Point the targetPort at a port the selected pods declare, or declare the missing port. */
function targetPortFixes(ws: Workspace, service: Service, finding: Finding): CodeActionResult[] {
  const port = portOfTargetPortAt(service, finding.range);
  const target = port?.targetPort;
  if (!port || !target || target.unknown) return [];
  const workloads = selectedWorkloads(ws, service);
  const fixes: CodeActionResult[] = [];
  const offered = new Set<string>();
  for (const workload of workloads) {
    for (const container of workload.template?.containers ?? []) {
      for (const declared of container.ports) {
        if (declared.protocol !== port.protocol.value) continue;
        const value = typeof target.value === 'string' && declared.name && !declared.name.unknown ? declared.name.value : declared.containerPort && !declared.containerPort.unknown ? String(declared.containerPort.value) : undefined;
        if (!value || offered.has(value) || value === String(target.value)) continue;
        offered.add(value);
        fixes.push({ title: `Change targetPort to \`${value}\` (${container.name} in ${workload.kind} ${nameOf(workload)})`, kind: 'quickfix', edits: [{ uri: service.uri, range: target.range, newText: value }], fixes: finding });
      }
    }
  }
  const first = workloads.find((w) => (w.template?.containers.length ?? 0) > 0);
  const add = first ? addContainerPortEdit(ws, first, first.template!.containers[0], port) : undefined;
  if (first && add) fixes.push({ title: `Declare containerPort ${describeNewPort(port)} in container \`${first.template!.containers[0].name}\` of ${first.kind} ${nameOf(first)}`, kind: 'quickfix', edits: [add], fixes: finding });
  return fixes.slice(0, 6);
}

function describeNewPort(port: ServicePort): string {
  const target = port.targetPort;
  const number = newContainerPortNumber(port);
  return target && !target.unknown && typeof target.value === 'string' ? `\`${target.value}\` (${number})` : String(number);
}

function newContainerPortNumber(port: ServicePort): number {
  const target = port.targetPort;
  if (target && !target.unknown && typeof target.value === 'number') return target.value;
  return port.port && !port.port.unknown ? port.port.value : 80;
}

function lineText(ws: Workspace, uri: string, line: number): string {
  return (ws.text(uri) ?? '').split(/\r?\n|\r/)[line] ?? '';
}

/** Inserts a port item after the container's last port, or a `ports:` list into the container. */
function addContainerPortEdit(ws: Workspace, workload: Workload, container: Container, port: ServicePort): RenameEdit | undefined {
  const target = port.targetPort;
  const lines = [
    ...(target && !target.unknown && typeof target.value === 'string' ? [`name: ${target.value}`] : []),
    `containerPort: ${newContainerPortNumber(port)}`,
    ...(port.protocol.value !== 'TCP' ? [`protocol: ${port.protocol.value}`] : []),
  ];
  const last = container.ports[container.ports.length - 1];
  if (last) {
    const text = lineText(ws, workload.uri, last.range.start.line);
    const dash = text.lastIndexOf('-', last.range.start.character);
    if (dash < 0 || text.trimStart().startsWith('{')) return undefined;
    const item = lines.map((l, i) => `${' '.repeat(i === 0 ? dash : dash + 2)}${i === 0 ? '- ' : ''}${l}`).join('\n');
    return { uri: workload.uri, range: { start: last.range.end, end: last.range.end }, newText: `\n${item}` };
  }
  const column = container.range.start.character;
  if (lineText(ws, workload.uri, container.range.start.line).trimStart().startsWith('{')) return undefined;
  const item = lines.map((l, i) => `${' '.repeat(i === 0 ? column + 2 : column + 4)}${i === 0 ? '- ' : ''}${l}`).join('\n');
  return { uri: workload.uri, range: { start: container.range.end, end: container.range.end }, newText: `\n${' '.repeat(column)}ports:\n${item}` };
}

/** The lowest node port in the configured range that no Service of the workspace uses. */
function freeNodePortFix(ws: Workspace, service: Service, finding: Finding): CodeActionResult[] {
  const { min, max } = ws.getSettings().nodePortRange;
  const own = new Set(service.ports.map((p) => (p.nodePort && !p.nodePort.unknown ? p.nodePort.value : 0)));
  for (let candidate = min; candidate <= max; candidate++) {
    if (own.has(candidate) || ws.lookup(key.nodePort(candidate)).length > 0) continue;
    return [{ title: `Use nodePort ${candidate} (free, in ${min}-${max})`, kind: 'quickfix', edits: [{ uri: finding.uri, range: finding.range, newText: String(candidate) }], fixes: finding, isPreferred: true }];
  }
  return [];
}

function deleteLineFix(ws: Workspace, finding: Finding, title: string): CodeActionResult {
  const line = finding.range.start.line;
  const text = ws.text(finding.uri) ?? '';
  const index = new LineIndex(text);
  const start = index.offsetAt({ line, character: 0 });
  const next = line + 1 < index.lineCount ? index.offsetAt({ line: line + 1, character: 0 }) : text.length;
  return { title, kind: 'quickfix', edits: [{ uri: finding.uri, range: index.range(start, next), newText: '' }], fixes: finding, isPreferred: true };
}

function migrationFix(ws: Workspace, resource: Ingress | IngressClass, finding: Finding): CodeActionResult[] {
  const text = ws.text(resource.uri);
  if (text === undefined || resource.range.start.character !== 0) return [];
  const index = new LineIndex(text);
  const start = index.offsetAt(resource.range.start);
  const end = index.offsetAt(resource.range.end);
  const migrated = migrateIngressText(text.slice(start, end));
  if (migrated === undefined) return [];
  return [{ title: `Migrate ${resource.kind} to networking.k8s.io/v1`, kind: 'quickfix', edits: [{ uri: resource.uri, range: resource.range, newText: migrated }], fixes: finding, isPreferred: true }];
}

/** Offered on a workload with a pod template that no Service selects. */
function createServiceActions(ws: Workspace, uri: string, range: Range): CodeActionResult[] {
  const workload = ws.resourcesOf(uri).find((r): r is Workload => r.type === 'workload' && rangeContains(r.range, range.start));
  if (!workload?.template || !workload.name || workload.kind === 'Job' || workload.kind === 'CronJob') return [];
  if (servicesSelecting(ws, workload).length > 0) return [];
  const text = ws.text(uri);
  if (text === undefined || workload.range.start.character !== 0) return [];
  const labels = (workload.selector?.matchLabels.length ? workload.selector.matchLabels : workload.template.labels.entries).filter((e) => !e.injected);
  if (labels.length === 0) return [];
  const service = serviceYaml(ws, workload, labels);
  return [{ title: `Create a ClusterIP Service for ${workload.kind} ${nameOf(workload)}`, kind: 'refactor', edits: [{ uri, range: { start: workload.range.end, end: workload.range.end }, newText: `\n---\n${service}` }] }];
}

function serviceYaml(ws: Workspace, workload: Workload, labels: readonly LabelEntry[]): string {
  const taken = (name: string) => ws.lookup(key.service(workload.namespace, name)).length > 0;
  const name = taken(nameOf(workload)) ? `${nameOf(workload)}-svc` : nameOf(workload);
  const namespace = workload.namespaceRange ? `\n  namespace: ${workload.namespace}` : '';
  const declared = workload.template!.containers.flatMap((c) => c.ports).filter((p) => p.containerPort && !p.containerPort.unknown);
  const ports = declared.length > 0 ? declared : undefined;
  const portLines = (ports ?? []).map((p) => {
    const number = (p.containerPort as { value: number }).value;
    const portName = p.name && !p.name.unknown ? p.name.value : `port-${number}`;
    const target = p.name && !p.name.unknown ? p.name.value : String(number);
    const protocol = p.protocol !== 'TCP' ? `\n      protocol: ${p.protocol}` : '';
    return `    - name: ${portName}\n      port: ${number}\n      targetPort: ${target}${protocol}`;
  });
  const portsText = portLines.length > 0 ? portLines.join('\n') : '    # The pods declare no containerPort: set the port they listen on.\n    - port: 80\n      targetPort: 80';
  return `apiVersion: v1\nkind: Service\nmetadata:\n  name: ${name}${namespace}\nspec:\n  selector:\n${labels.map((l) => `    ${l.key}: ${l.value}`).join('\n')}\n  ports:\n${portsText}`;
}

