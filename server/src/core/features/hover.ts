/**
 * Hovers that explain, with the resolved values: the port chain of a Service, traffic policy,
 * Service types, selectors, Ingress backends, host and path matching with a worked rewrite
 * example, IngressClasses and HPA targets. Everything shown is read from the links.
 */
import type { Position, Range } from 'vscode-languageserver-types';
import type { Link } from '../analysis/types';
import type { ContainerPort, Hpa, Ingress, IngressPath, Resource, Service, ServicePort, Workload } from '../model';
import { describe, nameOf } from '../links/describe';
import { backendsOf, describePort } from '../links/ingressLinks';
import { applyRewrite, exampleRequest } from '../semantics/rewrite';
import { countCaptureGroups, regexModeCause } from '../semantics/nginx';
import { sameRange } from '../text/ranges';
import { key } from '../workspace/keys';
import { directoryOf } from '../text/uris';
import type { Workspace } from '../workspace/workspace';
import { keyHover } from './keyHover';
import { siteAt } from './sites';
import type { Site } from './sites';
import { code } from './markdown';
import { backendRefHover, filterHover, gatewayClassHover, gatewayNameHover, grantEntryHover, listenerHover, matchHover, parentRefHover } from './gatewayHover';
import { backendLinks, linkedService, linkedServicePort, podSummary, replicaBounds, replicaDetail, replicasOf, selectedWorkloads, servicesSelecting, targetPortLink } from './related';

export interface HoverResult {
  readonly markdown: string;
  readonly range: Range;
}

export function doHover(workspace: Workspace, uri: string, position: Position): HoverResult | undefined {
  // On a key, the key answers (with the key's range), even inside an object a value site spans.
  const onKey = keyHover(workspace, uri, position);
  if (onKey) return onKey.markdown ? { markdown: onKey.markdown, range: onKey.range } : undefined;
  const site = siteAt(workspace, uri, position);
  if (!site) return undefined;
  const markdown = hoverFor(workspace, site);
  return markdown ? { markdown, range: site.range } : undefined;
}

export function hoverFor(ws: Workspace, site: Site): string | undefined {
  switch (site.kind) {
    case 'service-port':
      return servicePortHover(ws, site.resource, site.port, site.field);
    case 'traffic-policy':
      return trafficPolicyHover(ws, site.resource);
    case 'service-type':
      return serviceTypeHover(ws, site.resource);
    case 'service-selector':
      return serviceSelectorHover(ws, site.resource);
    case 'pod-label':
      return podLabelHover(ws, site.resource);
    case 'workload-selector':
      return workloadSelectorHover(ws, site.resource);
    case 'container-port':
      return containerPortHover(ws, site.resource, site.port);
    case 'link':
      return linkHover(ws, site.resource, site.link);
    case 'ingress-host':
      return hostHover(site.resource, site.rule.host && !site.rule.host.unknown ? site.rule.host.value : undefined);
    case 'ingress-path':
      return pathHover(site.resource, site.path);
    case 'rewrite-target':
      return rewriteTargetHover(site.resource);
    case 'scale-target':
      return scaleTargetHover(ws, site.resource, site.link);
    case 'name':
      return nameHover(ws, site.resource);
    case 'gw-parent-ref':
      return parentRefHover(ws, site.resource, site.ref);
    case 'gw-backend-ref':
      return backendRefHover(ws, site.resource, site.rule, site.ruleIndex, site.ref);
    case 'gw-match':
      return matchHover(ws, site.resource, site.ruleIndex, site.match, site.matchIndex);
    case 'gw-filter':
      return filterHover(ws, site.resource, site.rule, site.filter, site.backendRef);
    case 'gw-listener':
      return listenerHover(ws, site.resource, site.listener);
    case 'gw-grant-entry':
      return grantEntryHover(site.resource, site.side, site.index);
  }
}

/** `node:30080 → Service web:8080 → targetPort http → containerPort 80 (httpd) in 3 pods of Deployment web` */
export function portChain(ws: Workspace, service: Service, port: ServicePort): string {
  const parts: string[] = [];
  const type = service.serviceType.value;
  if (type === 'NodePort' || type === 'LoadBalancer') {
    const nodePort = port.nodePort && !port.nodePort.unknown && port.nodePort.value !== 0 ? String(port.nodePort.value) : undefined;
    parts.push(nodePort ? code(`node:${nodePort}`) : '`node:` *(port assigned by the cluster)*');
  }
  const number = port.port && !port.port.unknown ? port.port.value : '?';
  parts.push(`Service ${code(`${nameOf(service)}:${number}`)}`);
  if (type === 'ExternalName') return parts.join(' → ');
  const target = port.targetPort;
  if (!target || target.unknown) return [...parts, 'targetPort *(unknown)*'].join(' → ');
  parts.push(`targetPort ${code(target.value)}`);
  parts.push(...containerHops(ws, service, port));
  return parts.join(' → ');
}

function containerHops(ws: Workspace, service: Service, port: ServicePort): string[] {
  const selector = ws.linksFrom(service.id).find((l) => l.kind === 'service-selector');
  if (!selector) return ['*(no selector: endpoints are managed by hand)*'];
  if (selector.status === 'unknown') return ['*the selected pods cannot be known here (templated labels)*'];
  const workloads = selectedWorkloads(ws, service);
  if (workloads.length === 0) return ['*no pods match the selector*'];
  const link = targetPortLink(ws, service, port);
  const pods = podSummary(workloads);
  if (!link || link.status === 'unknown') return [pods];
  const target = port.targetPort;
  if (link.status === 'missing' && target && !target.unknown && typeof target.value === 'string') return [`*no container declares port ${code(target.value)}*`, pods];
  const reached = [...new Set(link.targets.map((t) => `containerPort ${code(t.port ?? '?')}${t.containerName ? ` (${t.containerName})` : ''}`))];
  return reached.length > 0 ? [`${reached.join(' / ')} in ${pods}`] : [`${pods} *(no containerPort declared)*`];
}

function servicePortHover(ws: Workspace, service: Service, port: ServicePort, field: string): string {
  const type = service.serviceType.value;
  const lines = [`**Service ${code(nameOf(service))}** · ${type}${service.headless ? ' (headless)' : ''}`, '', portChain(ws, service, port), ''];
  const roles: Record<string, string> = {
    nodePort: `**nodePort**: what clients outside the cluster reach on every node's IP (range 30000–32767 unless configured)${type === 'NodePort' || type === 'LoadBalancer' ? '' : '; not used by this Service type'}`,
    port: `**port**: what the Service listens on inside the cluster (${code(`${nameOf(service)}.${service.namespace}.svc:${port.port && !port.port.unknown ? port.port.value : '?'}`)}); Ingress backends name this number`,
    targetPort: `**targetPort**: what the pods listen on${port.targetPort?.defaulted ? ' (omitted, so equal to port)' : ''}; a name resolves in each pod to the containerPort with that name and protocol`,
    name: `**name**: lets Ingress backends refer to this port by name (\`port.name\`); required when a Service has several ports`,
  };
  const order = [field, ...['nodePort', 'port', 'targetPort', 'name'].filter((f) => f !== field)];
  for (const role of order) if (role !== 'name' || field === 'name') lines.push(`- ${roles[role]}`);
  return lines.join('\n');
}

function trafficPolicyHover(ws: Workspace, service: Service): string {
  const policy = service.externalTrafficPolicy && !service.externalTrafficPolicy.unknown ? service.externalTrafficPolicy.value : 'Cluster';
  const workloads = selectedWorkloads(ws, service);
  const replicas = workloads.reduce((sum, w) => sum + (replicasOf(w) ?? 0), 0);
  const reach = workloads.length > 0 ? `with ${replicas} replica${replicas === 1 ? '' : 's'}, at most ${replicas} node${replicas === 1 ? '' : 's'} answer` : 'nodes without a selected pod never answer';
  const health =
    service.serviceType.value === 'LoadBalancer'
      ? '**healthCheckNodePort** (allocated by the cluster for LoadBalancer + Local) lets the load balancer skip nodes without a local pod.'
      : '**healthCheckNodePort** applies only to LoadBalancer Services with Local; this Service has none, so clients must pick nodes that run a pod.';
  return [
    `**externalTrafficPolicy: ${policy}** on ${service.serviceType.value} Service ${code(nameOf(service))}`,
    '',
    `- **Local**: a node forwards only to pods on that same node and keeps the client source IP (no SNAT, no extra hop). A node with no local pod drops the traffic: ${reach}.`,
    '- **Cluster** (default): any node forwards to any ready pod, possibly on another node (an extra hop); the client IP is replaced by the node\'s.',
    `- ${health}`,
  ].join('\n');
}

const TYPE_TEXT: Record<string, string> = {
  ClusterIP: 'a virtual IP reachable only inside the cluster; what an Ingress controller needs behind it',
  NodePort: 'a ClusterIP plus the same port opened on every node (30000–32767): reachable from outside at `<node IP>:<nodePort>`',
  LoadBalancer: 'a NodePort plus an external load balancer address provided by the cloud or, on bare metal, by something like MetalLB',
  ExternalName: 'a DNS alias (CNAME) to `spec.externalName`: no proxying, no selector, no endpoints',
};

function serviceTypeHover(ws: Workspace, service: Service): string {
  const type = service.serviceType.value;
  const lines = [`**type: ${type}**: ${TYPE_TEXT[type] ?? 'not a valid Service type (ClusterIP, NodePort, LoadBalancer, ExternalName)'}.`];
  if (service.headless) lines.push('', '`clusterIP: None` makes it **headless**: no virtual IP; DNS returns the pod IPs directly.');
  if (type === 'LoadBalancer') {
    const pools = ws.lookup(key.kind('IPAddressPool'));
    const text = pools.map((p) => `${code(nameOf(p))} (${(p.type === 'other' && p.addresses ? p.addresses : []).map(code).join(', ')})`);
    lines.push('', pools.length > 0 ? `MetalLB address pools in this workspace: ${text.join('; ')}.` : 'Outside a cloud, Kubernetes has no load balancer: the EXTERNAL-IP stays `<pending>` until something like MetalLB provides an address (no MetalLB `IPAddressPool` in this workspace).');
  }
  return lines.join('\n');
}

export function serviceSelectorHover(ws: Workspace, service: Service): string {
  const link = ws.linksFrom(service.id).find((l) => l.kind === 'service-selector');
  const workloads = selectedWorkloads(ws, service);
  if (!link) return `Service ${code(nameOf(service))} has no selector: its endpoints are managed by hand.`;
  if (workloads.length === 0) return `Selector ${code(link.text)} matches **no pod template** in namespace ${code(service.namespace)}.`;
  return [`Selector ${code(link.text)} selects **${podSummary(workloads)}** in namespace ${code(service.namespace)}:`, '', ...workloads.map((w) => `- ${describeWorkload(w)}`)].join('\n');
}

function podLabelHover(ws: Workspace, workload: Workload): string {
  const services = servicesSelecting(ws, workload);
  const header = `Pod labels of ${describe(workload)}${replicasText(workload)}`;
  if (services.length === 0) return `${header}: **no Service** in namespace ${code(workload.namespace)} selects these pods.`;
  return [`${header}, selected by:`, '', ...services.map((s) => `- Service ${code(nameOf(s))} · ${s.serviceType.value} · ${s.ports.map(describePort).join(', ')}`)].join('\n');
}

export function workloadSelectorHover(ws: Workspace, workload: Workload): string {
  const link = ws.linksFrom(workload.id).find((l) => l.kind === 'workload-selector');
  const status = link?.status === 'resolved' ? 'matches its pod template labels' : link?.status === 'missing' ? '**does not match** its pod template labels: the API server rejects it' : 'cannot be checked (templated values)';
  return `${workload.kind} selector ${link?.text ? code(link.text) : ''} ${status}. It picks the pods this ${workload.kind} manages; Services select pods with their own selectors.`;
}

function containerPortHover(ws: Workspace, workload: Workload, port: ContainerPort): string {
  const name = port.name && !port.name.unknown ? ` ${code(port.name.value)}` : '';
  const number = port.containerPort && !port.containerPort.unknown ? port.containerPort.value : '?';
  const users = ws
    .linksTo(workload.id)
    .filter((l) => l.kind === 'service-target-port' && l.targets.some((t) => sameRange(t.range, port.range)))
    .map((l) => {
      const service = ws.resource(l.sourceId);
      return service?.type === 'service' ? `- Service ${code(nameOf(service))} (targetPort ${code(l.text)})` : undefined;
    })
    .filter((u): u is string => u !== undefined);
  const header = `containerPort${name} ${code(`${number}/${port.protocol}`)} of ${describe(workload)}: declared for documentation and for named targetPorts; the process must listen on it.`;
  return users.length > 0 ? [header, '', 'Used by:', ...users].join('\n') : `${header}\n\nNo Service targets it.`;
}

export function linkHover(ws: Workspace, ingress: Resource, link: Link): string | undefined {
  const target = link.status === 'resolved' ? ws.resource(link.targets[0].resourceId) : undefined;
  if (link.kind === 'gateway-class') return gatewayClassHover(ws, link);
  if (link.kind === 'ingress-class') {
    if (target?.type !== 'ingressClass') return link.status === 'unknown' ? `IngressClass ${code(link.text)} is not defined in this workspace (IngressClasses usually come with the controller).` : undefined;
    const controller = target.controller ? code(target.controller.value) : '*(no controller)*';
    return `IngressClass ${code(link.text)} → controller ${controller}${target.isDefault ? ' (the default class)' : ''}.`;
  }
  if (link.kind !== 'ingress-service' && link.kind !== 'ingress-service-port') return undefined;
  // A broken reference already has a diagnostic (shown in the same hover); say nothing twice.
  if (link.status === 'missing') return undefined;
  const service = link.kind === 'ingress-service' ? linkedService(ws, link) : backendServiceOfPort(ws, ingress, link);
  if (!service) return `Service ${code(link.text)} ${link.status === 'unknown' ? 'cannot be resolved here' : `does not exist in namespace ${code(ingress.namespace)}`}.`;
  const port = linkedServicePort(ws, link)?.port;
  const lines = [`**Service ${code(nameOf(service))}** · ${service.serviceType.value}`, ''];
  for (const p of port ? [port] : service.ports) lines.push(`- ${portChain(ws, service, p)}`);
  const variants = variantsNote(ingress, link);
  if (variants) lines.push('', variants);
  return lines.join('\n');
}

/** When the answer depends on which of several alternatives is applied, or comes from far away. */
export function variantsNote(from: Resource, link: Link): string | undefined {
  const files = [...new Set(link.targets.map((t) => t.uri))];
  const name = (uri: string) => uri.slice(uri.lastIndexOf('/') + 1);
  if (files.length > 1) {
    return `_Defined in ${files.length} files nearby (${files.map((f) => code(name(f))).join(', ')}): alternatives of each other, so the answer depends on which one is applied; the first is shown._`;
  }
  if (link.far && files.length === 1) {
    const folder = directoryOf(files[0]);
    return `_Found only in another folder (${code(folder.slice(folder.lastIndexOf('/', folder.length - 2) + 1))}), which may belong to another example than ${code(name(from.uri))}._`;
  }
  return undefined;
}

/** The Service named by the backend whose port a port link starts at. */
function backendServiceOfPort(ws: Workspace, ingress: Resource, portLink: Link): Service | undefined {
  if (ingress.type !== 'ingress') return undefined;
  const backend = backendsOf(ingress).find((b) => b.service?.port && sameRange(b.service.port.range, portLink.range));
  return backend ? linkedService(ws, backendLinks(ws, ingress, backend).service) : undefined;
}

function hostHover(ingress: Ingress, host: string | undefined): string {
  const matching = host === undefined ? 'every request that no other rule claims (no host)' : host.startsWith('*.') ? `requests whose Host is exactly one label followed by ${code(host.slice(1))} (${code(`a${host.slice(1)}`)} yes, ${code(host.slice(2))} and ${code(`a.b${host.slice(1)}`)} no)` : `requests whose Host header is exactly ${code(host)} (case-insensitive, port ignored)`;
  const regex = regexModeReason(ingress);
  return [`**host** matches ${matching}. Hosts are matched before paths.`, regex ? `\n${regex}` : ''].join('\n');
}

/** ingress-nginx switches every path of a host to regex mode if any Ingress on it asks for it; this says so for this Ingress. */
function regexModeReason(ingress: Ingress): string | undefined {
  const cause = regexModeCause(ingress);
  if (!cause) return undefined;
  return `With \`${cause}\` on this Ingress, ingress-nginx treats **every path of this host** as a case-insensitive regex anchored at the start (Exact stops being exact).`;
}

const PATH_TYPES: Record<string, string> = {
  Exact: 'matches the URL path exactly (case-sensitive; `/foo` ≠ `/foo/`)',
  Prefix: 'matches element-wise on `/`: `/foo` matches `/foo` and `/foo/bar`, not `/foobar`',
  ImplementationSpecific: 'is up to the controller: ingress-nginx uses a character prefix (`/foo` also matches `/foobar`), or a regex in regex mode',
};

function pathHover(ingress: Ingress, path: IngressPath): string {
  const value = path.path && !path.path.unknown ? path.path.value : '';
  const pathType = path.pathType?.value ?? 'ImplementationSpecific';
  const regexMode = regexModeCause(ingress) !== undefined;
  const lines = [`**path ${code(value)}** · pathType ${pathType}: ${PATH_TYPES[pathType] ?? 'not a valid pathType'}.`, '', 'When several paths match, the longest wins; on a tie Exact beats Prefix.'];
  if (regexMode) {
    lines.push('', `In regex mode ingress-nginx matches ${code(`~* ^${value}`)} (case-insensitive, anchored at the start only); longer paths are tried first.`);
    const example = rewriteExample(ingress, value);
    if (example) lines.push('', example);
  } else {
    lines.push('', 'Without a rewrite the backend receives the original path unchanged (the prefix is not stripped).');
  }
  return lines.join('\n');
}

function rewriteExample(ingress: Ingress, pattern: string): string | undefined {
  const target = ingress.rewriteTarget;
  if (!target || target.unknown) return undefined;
  const request = exampleRequest(pattern);
  const result = request ? applyRewrite(pattern, target.value, request) : undefined;
  if (!result) return undefined;
  const groups = result.groups.map((g, i) => `$${i + 1} = ${code(g)}`).join(', ');
  return `Example: ${code(result.request)} → backend receives ${code(result.upstream)}${groups ? ` (${groups})` : ''}.`;
}

function rewriteTargetHover(ingress: Ingress): string | undefined {
  const target = ingress.rewriteTarget;
  if (!target || target.unknown) return undefined;
  const lines = [`**rewrite-target ${code(target.value)}**: ingress-nginx replaces the whole request path with this target; \`$1\`, \`$2\`… are the capture groups of each path (every path of this Ingress is treated as a case-insensitive regex).`, ''];
  for (const rule of ingress.rules) {
    for (const path of rule.paths) {
      if (!path.path || path.path.unknown) continue;
      const groups = countCaptureGroups(path.path.value);
      const example = rewriteExample(ingress, path.path.value);
      lines.push(`- ${code(path.path.value)} (${groups} group${groups === 1 ? '' : 's'})${example ? `: ${example.replace(/^Example: /, '')}` : ''}`);
    }
  }
  return lines.join('\n');
}

export function scaleTargetHover(ws: Workspace, hpa: Hpa, link: Link | undefined): string {
  const target = link?.status === 'resolved' ? ws.resource(link.targets[0].resourceId) : undefined;
  const bounds = replicaBounds(hpa);
  if (!target) return `HorizontalPodAutoscaler ${code(nameOf(hpa))} scales ${code(link?.text ?? '?')}, which is not in namespace ${code(hpa.namespace)} of this workspace.`;
  const replicas = target.type === 'workload' ? replicasOf(target) : undefined;
  const note = target.type === 'workload' && target.replicas ? ' Its manifest also sets `spec.replicas`, which every `kubectl apply` resets: consider removing it.' : '';
  return `Scales ${describe(target)} between **${bounds} replicas**${replicas !== undefined ? ` (the manifest says ${replicas})` : ''}.${note}`;
}

function nameHover(ws: Workspace, resource: Resource): string | undefined {
  switch (resource.type) {
    case 'service':
      return [`**Service ${code(nameOf(resource))}** · ${resource.serviceType.value}${resource.headless ? ' (headless)' : ''} · namespace ${code(resource.namespace)}`, '', ...resource.ports.map((p) => `- ${portChain(ws, resource, p)}`)].join('\n');
    case 'hpa':
      return scaleTargetHover(ws, resource, ws.linksFrom(resource.id).find((l) => l.kind === 'hpa-target'));
    case 'gateway':
      return gatewayNameHover(ws, resource);
    case 'workload': {
      const services = servicesSelecting(ws, resource);
      const exposed = services.length > 0 ? `exposed by ${services.map((s) => `Service ${code(nameOf(s))}`).join(', ')}` : 'not selected by any Service';
      return `${describe(resource)}${replicasText(resource)} · namespace ${code(resource.namespace)} · ${exposed}.`;
    }
    default:
      return undefined;
  }
}

function describeWorkload(workload: Workload): string {
  return `${describe(workload)}${replicasText(workload)}`;
}

function replicasText(workload: Workload): string {
  const detail = replicaDetail(workload);
  return detail ? ` (${detail})` : '';
}

