/** How Kubernetes resolves a Service's targetPort against a pod (pkg/api/v1/pod/util.go FindPort). */
import type { ContainerPort, PodTemplate } from '../model';

export interface ResolvedPort {
  readonly containerName: string;
  readonly port: ContainerPort;
  readonly number?: number;
}

/**
 * A named targetPort resolves to the first container port, in container order then sidecar init
 * containers, whose name AND protocol match.
 */
export function findNamedPort(template: PodTemplate, name: string, protocol: string): ResolvedPort | undefined {
  for (const container of template.containers) {
    for (const port of container.ports) {
      if (port.name && !port.name.unknown && port.name.value === name && port.protocol === protocol) {
        const number = port.containerPort && !port.containerPort.unknown ? port.containerPort.value : undefined;
        return { containerName: container.name, port, number };
      }
    }
  }
  return undefined;
}

/** Container ports with this name under another protocol: explains why a name did not resolve. */
export function findNamedPortAnyProtocol(template: PodTemplate, name: string): ResolvedPort | undefined {
  for (const container of template.containers) {
    for (const port of container.ports) {
      if (port.name && !port.name.unknown && port.name.value === name) {
        return { containerName: container.name, port };
      }
    }
  }
  return undefined;
}

/** Declared container ports with this number (any protocol): a numeric targetPort is used as-is. */
export function findNumberedPort(template: PodTemplate, number: number): ResolvedPort[] {
  const found: ResolvedPort[] = [];
  for (const container of template.containers) {
    for (const port of container.ports) {
      if (port.containerPort && !port.containerPort.unknown && port.containerPort.value === number) {
        found.push({ containerName: container.name, port, number });
      }
    }
  }
  return found;
}

export function declaresAnyPort(template: PodTemplate): boolean {
  return template.containers.some((container) => container.ports.length > 0);
}

/** True when some port of the template is a template placeholder, so absence proves nothing. */
export function hasOpaquePorts(template: PodTemplate): boolean {
  return template.containers.some((c) =>
    c.ports.some((p) => p.name?.unknown === true || p.containerPort?.unknown === true),
  );
}
