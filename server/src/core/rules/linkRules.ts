/**
 * Rules that are views over links: a link that is missing (or partial) becomes a finding whose
 * message names both ends and whose related information points at the near misses.
 */
import type { Query } from '../analysis/query';
import type { Finding, Link, NearMiss, Replacement } from '../analysis/types';
import type { Ingress, PodTemplate, Resource, Service, Workload } from '../model';
import { describe, nameOf } from '../links/describe';
import { portOfTargetPortAt } from '../links/serviceLinks';
import { key } from '../workspace/keys';
import { REACH, nearbyReach, nearest } from '../workspace/scopes';
import { directoryOf } from '../text/uris';
import { uriOf } from '../text/ranges';
import { annotationMap } from '../links/ingressController';
import type { ControllerChoice } from '../links/ingressController';
import type { RuleId, Severity } from './registry';

export function finding(
  rule: RuleId,
  link: Link,
  message: string,
  options: { severityCap?: Severity; nearMisses?: readonly NearMiss[] } = {},
): Finding {
  const misses = options.nearMisses ?? link.nearMisses ?? [];
  const replacements: Replacement[] = misses
    .filter((m) => m.fix)
    .map((m) => ({ uri: uriOf(m.fix!.range, link.uri), range: m.fix!.range, newText: m.fix!.newText, title: `Change to \`${m.fix!.label ?? m.fix!.newText}\`` }));
  return {
    rule,
    uri: link.uri,
    range: link.range,
    message,
    severityCap: options.severityCap,
    related: misses.map((m) => ({ uri: uriOf(m.range, m.uri), range: m.range, message: m.description })),
    replacements: replacements.length > 0 ? replacements : undefined,
  };
}

/** ", did you mean `x`?" built from the first near miss that carries a fix. */
export function didYouMean(link: Link): string {
  const fix = link.nearMisses?.find((m) => m.fix)?.fix;
  if (!fix) return '';
  return `; did you mean \`${fix.label ?? fix.newText}\`${fix.context ? ` (${fix.context})` : ''}?`;
}

function nearMissSentence(link: Link): string {
  const miss = link.nearMisses?.[0];
  return miss && !miss.fix ? ` (${miss.description})` : '';
}

/**
 * Whether a reference that resolves nowhere is the referrer's own mistake, or points at something
 * defined outside the workspace (a Service created by `kubectl expose`, pods of a Helm chart, a
 * docs placeholder). It is judged a mistake when the referrer's own file, kustomize build or
 * declared app defines objects of that sort, or something nearby nearly matches (a close
 * spelling, or pods with every selector label but one).
 * Otherwise (and in kube-system) the finding is information.
 */
export function ownScopeDefines(q: Query, from: Resource, candidates: readonly Resource[], link: Link): boolean {
  if (link.nearMisses?.some((m) => m.fix)) return true;
  // kube-system holds the cluster's add-ons (dashboard, DNS, metrics): installed, not written here.
  // A template file nearby may render exactly what is named: only a close spelling outweighs that.
  if (from.namespace === 'kube-system' || templatesNear(q, from)) return false;
  if (link.nearMisses?.some((m) => m.strong)) return true;
  // A folder that merely composes (snippets side by side) is weaker evidence than a build or an app.
  const unit = q.unitOf(from);
  const reach = unit.startsWith('build:') || unit.startsWith('app:') ? REACH.unit : REACH.file;
  return nearest(from, candidates, q, reach).items.length > 0;
}

/** A template file (rendered before it is applied) in the folder of an object may define what it refers to. */
function templatesNear(q: Query, from: Resource): boolean {
  return q.count(key.templatesIn(directoryOf(from.uri))) > 0;
}

/** Why what a reference names may legitimately be missing from the manifests, as a parenthesis. */
export function elsewhereNote(q: Query, from: Resource, what: string): string {
  const operators = nearbyCustomResources(q, from);
  if (operators.length > 0) return ` (${describe(operators[0])} is defined nearby: if its operator creates the ${what}, they are not in the manifests)`;
  if (templatesNear(q, from)) return ` (a template file in this folder may render the ${what})`;
  return '';
}

/** Custom resources near an object: an operator may create the pods or Services it refers to. */
export function nearbyCustomResources(q: Query, from: Resource): Resource[] {
  return nearest(from, q.lookup(key.customResources()), q, nearbyReach(from, q)).items;
}

export function serviceSelectorFindings(service: Service, link: Link, q: Query): Finding[] {
  if (link.status !== 'missing') return [];
  const ns = service.namespace;
  const pairs = service.selector?.entries.length ?? 0;
  const what = pairs === 1 ? 'has that label' : 'has all these labels';
  const pods = q.lookup(key.podsIn(ns));
  const operators = nearbyCustomResources(q, service);
  let why = elsewhereNote(q, service, 'pods');
  if (!why && pods.length === 0) why = ` (the workspace defines no pod templates in namespace \`${ns}\`; the pods may be defined elsewhere)`;
  const mistake = operators.length === 0 && ownScopeDefines(q, service, pods, link);
  const message = `Service \`${nameOf(service)}\` selects \`${link.text}\`, but no pod template in namespace \`${ns}\` ${what}${didYouMean(link)}${nearMissSentence(link)}${why}`;
  return [finding('service-selects-nothing', link, message, { severityCap: mistake ? undefined : 'information' })];
}

export function targetPortFindings(service: Service, link: Link): Finding[] {
  if (link.status !== 'missing' && link.status !== 'partial') return [];
  const port = portOfTargetPortAt(service, link.range);
  const protocol = port?.protocol.value ?? 'TCP';
  if (/^\d+$/.test(link.text)) {
    // Numeric targetPorts are used as-is and declaring ports is informational: only evidence of
    // another listening port (see numberedPortMisses) makes it a warning. Headless Services
    // ignore targetPort altogether.
    if (link.status !== 'missing' || service.headless) return [];
    const evidence = link.far ? undefined : link.nearMisses?.[0];
    const because = evidence ? `; ${evidence.description}${didYouMean(link)}` : ' (traffic still flows if the process listens on it)';
    const message = `Service \`${nameOf(service)}\` sends traffic to targetPort ${link.text}/${protocol}, but the selected pods declare no containerPort ${link.text}/${protocol}${because}`;
    return [finding('service-target-port-not-declared', link, message, { severityCap: evidence ? undefined : 'information' })];
  }
  const who = link.status === 'partial' ? 'some of the selected pods do not declare' : 'no container of the selected pods declares';
  const tentative = link.far ? ' (the selected pods are defined in other folders and may belong to another example)' : '';
  const reach = link.status === 'partial' ? 'those pods get no endpoint for this port' : 'the Service has no endpoints for this port';
  const message = `Service \`${nameOf(service)}\` targets port name \`${link.text}\` (${protocol}), but ${who} a containerPort with that name and protocol, so ${reach}${didYouMean(link)}${nearMissSentence(link)}${tentative}`;
  // Partial resolution is often two apps sharing labels in one workspace: worth a look, not an alarm.
  return [finding('service-target-port-unresolved', link, message, { severityCap: link.status === 'partial' || link.far ? 'information' : undefined })];
}

export function workloadSelectorFindings(workload: Workload, link: Link, referenced?: { owner: Workload; template: PodTemplate }): Finding[] {
  if (link.status !== 'missing') return [];
  const template = workload.template ?? referenced?.template;
  const labels = template?.labels.entries.map((e) => `${e.key}=${e.value}`).join(', ') ?? '';
  const whose = referenced ? `the pod template of ${describe(referenced.owner)} it runs (workloadRef)` : 'its pod template';
  const templateLabels = labels ? `\`${labels}\`` : 'no labels';
  const message = !workload.selector
    ? `${workload.kind} \`${nameOf(workload)}\` has no spec.selector; ${workload.apiVersion} requires one that matches the pod template labels (${templateLabels})`
    : link.text === ''
      ? `${workload.kind} \`${nameOf(workload)}\` has an empty spec.selector; ${workload.apiVersion} requires a non-empty selector that matches the pod template labels`
      : `${workload.kind} \`${nameOf(workload)}\` selects \`${link.text}\`, but ${whose} has ${templateLabels}; ${workload.kind === 'Rollout' ? 'the Argo Rollouts controller marks it InvalidSpec and runs no pods' : 'the API server rejects a selector that does not match the template labels'}`;
  return [finding('workload-selector-mismatch', link, message)];
}

export function ingressServiceFindings(ingress: Ingress, link: Link, q: Query): Finding[] {
  if (link.status !== 'missing') return [];
  const ns = ingress.namespace;
  const services = q.lookup(key.servicesIn(ns));
  const elsewhere = elsewhereNote(q, ingress, 'Services') || (services.length === 0 ? ` (the workspace defines no Services in namespace \`${ns}\`; it may be defined elsewhere)` : '');
  const message = `Ingress \`${nameOf(ingress)}\` routes to Service \`${link.text}\`, but namespace \`${ns}\` has no Service of that name${didYouMean(link)}${elsewhere}`;
  const mistake = nearbyCustomResources(q, ingress).length === 0 && ownScopeDefines(q, ingress, services, link);
  return [finding('ingress-backend-service-missing', link, message, { severityCap: mistake ? undefined : 'information' })];
}

export function ingressPortFindings(ingress: Ingress, link: Link, service: Resource | undefined): Finding[] {
  if (link.status !== 'missing' || !service || service.type !== 'service') return [];
  const what = /^\d+$/.test(link.text) ? `port number ${link.text}` : `port name \`${link.text}\``;
  const ports = service.ports
    .map((p) => (p.port && !p.port.unknown ? `${p.port.value}${p.name && !p.name.unknown ? ` (${p.name.value})` : ''}` : ''))
    .filter((p) => p)
    .join(', ');
  const has = ports ? `; it has ${ports}` : '; it declares no ports';
  // For a number, say which other role (targetPort, nodePort) it has on the Service.
  const explanation = /^\d+$/.test(link.text) && link.nearMisses?.[0] ? `; ${link.nearMisses[0].description}` : '';
  const tentative = link.far ? ' (that Service is defined in another folder and may not be the one applied with this Ingress)' : '';
  const message = `Ingress \`${nameOf(ingress)}\` routes to ${what} of Service \`${nameOf(service)}\`, but the Service has no such port${has}${explanation}${didYouMean(link)}${tentative}`;
  return [finding('ingress-backend-port-missing', link, message, { severityCap: link.far ? 'information' : undefined })];
}

/**
 * A hint only for controllers that reach backends through the cluster network: AWS ALB with
 * instance targets and GCE without NEGs need NodePort Services, and an unknown controller may.
 */
export function ingressBackendNodePortFindings(ingress: Ingress, link: Link, service: Resource | undefined, controller: ControllerChoice): Finding[] {
  if (link.status !== 'resolved' || service?.type !== 'service' || service.serviceType.value !== 'NodePort') return [];
  if (controller.profile.needsNodePortBackends(annotationMap(ingress.annotations), annotationMap(service.annotations)) !== false) return [];
  const message = `Ingress \`${nameOf(ingress)}\` routes to NodePort Service \`${nameOf(service)}\`; ${controller.profile.displayName} reaches Services inside the cluster, so a ClusterIP Service is enough`;
  return [finding('ingress-backend-nodeport', link, message, { nearMisses: [] })];
}

export function ingressClassFindings(ingress: Ingress, link: Link): Finding[] {
  if (link.status !== 'missing') return [];
  const source = ingress.ingressClassName ? 'ingressClassName' : 'the kubernetes.io/ingress.class annotation';
  const message = `Ingress \`${nameOf(ingress)}\` uses IngressClass \`${link.text}\` (${source}), but the workspace defines no IngressClass of that name${didYouMean(link)}`;
  return [finding('ingress-class-missing', link, message)];
}

export function hpaTargetFindings(resource: Resource, link: Link, q: Query): Finding[] {
  if (link.status !== 'missing') return [];
  const message = `HorizontalPodAutoscaler \`${nameOf(resource)}\` scales ${link.text.replace('/', ' `')}\`, but namespace \`${resource.namespace}\` has no such workload${didYouMean(link)}${nearMissSentence(link)}`;
  const mistake = ownScopeDefines(q, resource, q.lookup(key.workloadsIn(resource.namespace)), link);
  return [finding('hpa-target-missing', link, message, { severityCap: mistake ? undefined : 'information' })];
}
