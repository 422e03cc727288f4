/**
 * Analysis of one resource against the index: resolve its links, then run the rules over the
 * resource and its links. Pure: everything outside the resource is read through `q`.
 */
import { resolveGatewayLinks, resolveRouteLinks } from '../links/gatewayLinks';
import type { Query } from './query';
import type { Finding, Link, ResourceAnalysis } from './types';
import type { Hpa, Ingress, Resource, Service, Workload } from '../model';
import { resolveHpaTarget } from '../links/hpaLinks';
import { resolveIngressLinks } from '../links/ingressLinks';
import { controllerOf } from '../links/ingressController';
import type { ControllerChoice } from '../links/ingressController';
import { resolveServiceLinks } from '../links/serviceLinks';
import { referencedTemplate, resolveWorkloadSelector } from '../links/workloadLinks';
import { duplicateFindings, nodePortDuplicateFindings } from '../rules/collisionRules';
import { backendPortFindings, pathConflictFindings, removedApiFindings, rewriteFindings } from '../rules/ingressRules';
import {
  hpaTargetFindings,
  ingressBackendNodePortFindings,
  ingressClassFindings,
  ingressPortFindings,
  ingressServiceFindings,
  serviceSelectorFindings,
  targetPortFindings,
  workloadSelectorFindings,
} from '../rules/linkRules';
import { nodePortFindings, servicePortFindings, trafficPolicyFindings } from '../rules/serviceRules';
import { containerPortFindings } from '../rules/workloadRules';
import { gatewayClassFindings, gatewayFindings, referenceGrantFindings, routeFindings } from '../rules/gatewayRules';

export function analyzeResource(resource: Resource, q: Query): ResourceAnalysis {
  const own = analyzeByType(resource, q);
  return { links: own.links, findings: [...own.findings, ...duplicateFindings(resource, q)] };
}

function analyzeByType(resource: Resource, q: Query): ResourceAnalysis {
  switch (resource.type) {
    case 'workload':
      return analyzeWorkload(resource, q);
    case 'service':
      return analyzeService(resource, q);
    case 'ingress':
      return analyzeIngress(resource, q);
    case 'ingressClass':
      return { links: [], findings: removedApiFindings(resource) };
    case 'hpa':
      return analyzeHpa(resource, q);
    case 'gateway': {
      const links = resolveGatewayLinks(resource, q);
      return { links, findings: gatewayFindings(resource, links, q) };
    }
    case 'route': {
      const links = resolveRouteLinks(resource, q);
      return { links, findings: routeFindings(resource, links, q) };
    }
    case 'gatewayClass':
      return { links: [], findings: gatewayClassFindings(resource) };
    case 'referenceGrant':
      return { links: [], findings: referenceGrantFindings(resource) };
    default:
      return { links: [], findings: [] };
  }
}

function analyzeWorkload(workload: Workload, q: Query): ResourceAnalysis {
  const link = resolveWorkloadSelector(workload, q);
  const links = link ? [link] : [];
  const referenced = workload.template ? undefined : referencedTemplate(workload, q);
  const findings = [...containerPortFindings(workload), ...(link ? workloadSelectorFindings(workload, link, referenced) : [])];
  return { links, findings };
}

function analyzeService(service: Service, q: Query): ResourceAnalysis {
  const links = resolveServiceLinks(service, q);
  const findings: Finding[] = [
    ...servicePortFindings(service),
    ...nodePortFindings(service, q.settings),
    ...trafficPolicyFindings(service, q.settings),
    ...nodePortDuplicateFindings(service, q),
  ];
  for (const link of links) {
    findings.push(...(link.kind === 'service-selector' ? serviceSelectorFindings(service, link, q) : targetPortFindings(service, link)));
  }
  return { links, findings };
}

function analyzeIngress(ingress: Ingress, q: Query): ResourceAnalysis {
  const links = resolveIngressLinks(ingress, q);
  const controller = controllerOf(q, ingress);
  const findings: Finding[] = [
    ...removedApiFindings(ingress),
    ...rewriteFindings(ingress, controller),
    ...backendPortFindings(ingress),
    ...pathConflictFindings(ingress, q, controller),
  ];
  let lastService: Resource | undefined;
  for (const link of links) {
    if (link.kind === 'ingress-service') lastService = serviceOf(link, q);
    findings.push(...ingressLinkFindings(ingress, link, lastService, q, controller));
  }
  return { links, findings };
}

/** The Service an `ingress-service` link reached (the port link that follows it refers to it). */
function serviceOf(link: Link, q: Query): Resource | undefined {
  return link.status === 'resolved' ? q.resource(link.targets[0].resourceId) : undefined;
}

function ingressLinkFindings(ingress: Ingress, link: Link, service: Resource | undefined, q: Query, controller: ControllerChoice): Finding[] {
  switch (link.kind) {
    case 'ingress-service':
      return [...ingressServiceFindings(ingress, link, q), ...ingressBackendNodePortFindings(ingress, link, service, controller)];
    case 'ingress-service-port':
      return ingressPortFindings(ingress, link, service);
    case 'ingress-class':
      return ingressClassFindings(ingress, link);
    default:
      return [];
  }
}

function analyzeHpa(hpa: Hpa, q: Query): ResourceAnalysis {
  const link = resolveHpaTarget(hpa, q);
  return link ? { links: [link], findings: hpaTargetFindings(hpa, link, q) } : { links: [], findings: [] };
}
