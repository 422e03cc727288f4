/** Checks of a Service on its own: port names and numbers, nodePort placement, traffic policy. */
import type { Range } from 'vscode-languageserver-types';
import type { Finding } from '../analysis/types';
import type { EngineSettings } from '../analysis/settings';
import type { Field, Service, ServicePort } from '../model';
import { nameOf } from '../links/describe';
import { dns1123LabelError, ianaServiceNameError, isValidPortNumber } from '../semantics/names';
import type { RuleId } from './registry';
import { uriOf } from '../text/ranges';

/** A finding at a range of an object: in the object's file, unless the range is in a patch or kustomization (ForeignRange). */
export function simpleFinding(rule: RuleId, uri: string, range: Range, message: string): Finding {
  return { rule, uri: uriOf(range, uri), range, message, related: [] };
}

/** Where to point at a port entry: its `port` value when written, else the whole entry. */
function portAnchor(port: ServicePort): Range {
  return port.port?.range ?? port.range;
}

export function servicePortFindings(service: Service): Finding[] {
  const findings: Finding[] = [];
  const svc = `Service \`${nameOf(service)}\``;
  const multiple = service.ports.length > 1;
  for (const port of service.ports) {
    if (multiple && !port.name) {
      findings.push(simpleFinding('service-port-name-required', service.uri, portAnchor(port), `${svc} has ${service.ports.length} ports, so every port needs a name; this one has none`));
    }
    findings.push(...portFieldFindings(service, port, svc));
  }
  findings.push(...duplicatePortFindings(service, svc));
  return findings;
}

function portFieldFindings(service: Service, port: ServicePort, svc: string): Finding[] {
  const out: Finding[] = [];
  const add = (range: Range, message: string) => out.push(simpleFinding('port-invalid', service.uri, range, message));
  if (!port.port) add(port.range, `${svc} has a port entry without \`port\`; it is required (1-65535)`);
  const number = numberProblem(port.port, 'port');
  if (number) add(number.range, `${svc}: ${number.message}`);
  if (port.name && !port.name.unknown) {
    const error = dns1123LabelError(port.name.value);
    if (error) add(port.name.range, `${svc}: port name \`${port.name.value}\` ${error}`);
  }
  const target = port.targetPort;
  if (target && !target.unknown && !target.defaulted) {
    if (typeof target.value === 'number') {
      if (!isValidPortNumber(target.value)) add(target.range, `${svc}: targetPort ${target.value} must be between 1 and 65535`);
    } else {
      const error = ianaServiceNameError(target.value);
      const hint = /^\d+$/.test(target.value) ? ' (a quoted number is a port name; write it without quotes)' : '';
      if (error) add(target.range, `${svc}: targetPort \`${target.value}\` is a port name that ${error}${hint}`);
    }
  }
  return out;
}

/** Range and type problems of an integer port field. */
export function numberProblem(field: Field<number> | undefined, label: string): { range: Range; message: string } | undefined {
  if (!field) return undefined;
  if (field.unknown) {
    return field.wrongType !== undefined ? { range: field.range, message: `${label} must be an integer, not the string \`${field.wrongType}\`` } : undefined;
  }
  return isValidPortNumber(field.value) ? undefined : { range: field.range, message: `${label} ${field.value} must be between 1 and 65535` };
}

/** Port names must be unique, and so must (port, protocol) pairs after protocol defaults to TCP. */
function duplicatePortFindings(service: Service, svc: string): Finding[] {
  const findings: Finding[] = [];
  const names = new Set<string>();
  const pairs = new Set<string>();
  for (const port of service.ports) {
    if (port.name && !port.name.unknown) {
      if (names.has(port.name.value)) findings.push(simpleFinding('port-invalid', service.uri, port.name.range, `${svc}: port name \`${port.name.value}\` is used twice`));
      names.add(port.name.value);
    }
    if (port.port && !port.port.unknown) {
      const pair = `${port.port.value}/${port.protocol.value}`;
      if (pairs.has(pair)) findings.push(simpleFinding('port-invalid', service.uri, port.port.range, `${svc}: port ${pair} is defined twice`));
      pairs.add(pair);
    }
  }
  return findings;
}

function isExternallyAccessible(service: Service): boolean {
  const type = service.serviceType.value;
  return type === 'NodePort' || type === 'LoadBalancer' || (type === 'ClusterIP' && service.hasExternalIPs);
}

export function nodePortFindings(service: Service, settings: EngineSettings): Finding[] {
  const findings: Finding[] = [];
  const type = service.serviceType.value;
  const { min, max } = settings.nodePortRange;
  for (const port of service.ports) {
    const nodePort = port.nodePort;
    if (!nodePort || nodePort.unknown || nodePort.value === 0) continue;
    if (type === 'ClusterIP') {
      const kind = service.headless ? 'headless ClusterIP' : 'ClusterIP';
      findings.push(simpleFinding('nodeport-not-allowed', service.uri, nodePort.range, `Service \`${nameOf(service)}\` is ${kind}, so it may not set nodePort ${nodePort.value}; use type NodePort (or LoadBalancer) or remove nodePort`));
    } else if ((type === 'NodePort' || type === 'LoadBalancer') && (nodePort.value < min || nodePort.value > max)) {
      findings.push(simpleFinding('nodeport-out-of-range', service.uri, nodePort.range, `Service \`${nameOf(service)}\`: nodePort ${nodePort.value} is outside the node port range ${min}-${max}`));
    }
  }
  return findings;
}

export function trafficPolicyFindings(service: Service, settings: EngineSettings): Finding[] {
  const findings: Finding[] = [];
  const svc = `Service \`${nameOf(service)}\``;
  const policy = service.externalTrafficPolicy;
  if (policy && !policy.unknown) {
    if (!isExternallyAccessible(service)) {
      findings.push(simpleFinding('external-traffic-policy-not-allowed', service.uri, policy.range, `${svc} is ${describeType(service)}: externalTrafficPolicy may only be set for NodePort, LoadBalancer, or ClusterIP Services with externalIPs`));
    } else if (policy.value !== 'Cluster' && policy.value !== 'Local') {
      findings.push(simpleFinding('external-traffic-policy-not-allowed', service.uri, policy.range, `${svc}: externalTrafficPolicy must be \`Cluster\` or \`Local\` (case-sensitive), not \`${policy.value}\``));
    }
  }
  const health = service.healthCheckNodePort;
  if (health && !health.unknown && health.value !== 0) {
    const allowed = service.serviceType.value === 'LoadBalancer' && policy !== undefined && !policy.unknown && policy.value === 'Local';
    if (!allowed) {
      findings.push(simpleFinding('external-traffic-policy-not-allowed', service.uri, health.range, `${svc}: healthCheckNodePort may only be set when type is LoadBalancer and externalTrafficPolicy is Local`));
    } else if (health.value < settings.nodePortRange.min || health.value > settings.nodePortRange.max) {
      findings.push(simpleFinding('nodeport-out-of-range', service.uri, health.range, `${svc}: healthCheckNodePort ${health.value} is outside the node port range ${settings.nodePortRange.min}-${settings.nodePortRange.max}`));
    }
  }
  return findings;
}

function describeType(service: Service): string {
  if (service.serviceType.value === 'ClusterIP') return service.headless ? 'headless (clusterIP: None)' : 'ClusterIP without externalIPs';
  return service.serviceType.value;
}
