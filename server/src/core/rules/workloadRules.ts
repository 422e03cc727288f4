/** Checks of a workload's container ports (names and numbers as the API server validates them). */
import type { Finding } from '../analysis/types';
import type { Container, Workload } from '../model';
import { ianaServiceNameError } from '../semantics/names';
import { numberProblem, simpleFinding } from './serviceRules';

export function containerPortFindings(workload: Workload): Finding[] {
  return (workload.template?.containers ?? []).flatMap((container) => containerFindings(workload, container));
}

function containerFindings(workload: Workload, container: Container): Finding[] {
  const findings: Finding[] = [];
  const where = `container \`${container.name}\` of ${workload.kind} \`${workload.name?.value ?? '(unnamed)'}\``;
  const add = (range: Finding['range'], message: string) => findings.push(simpleFinding('port-invalid', workload.uri, range, message));
  const names = new Set<string>();
  for (const port of container.ports) {
    if (!port.containerPort) add(port.range, `${where} has a port without \`containerPort\`; it is required (1-65535)`);
    const number = numberProblem(port.containerPort, 'containerPort');
    if (number) add(number.range, `${where}: ${number.message}`);
    const host = port.hostPort && !port.hostPort.unknown && port.hostPort.value === 0 ? undefined : numberProblem(port.hostPort, 'hostPort');
    if (host) add(host.range, `${where}: ${host.message}`);
    if (!port.name || port.name.unknown) continue;
    const error = ianaServiceNameError(port.name.value);
    if (error) add(port.name.range, `${where}: port name \`${port.name.value}\` ${error}`);
    if (names.has(port.name.value)) add(port.name.range, `${where}: port name \`${port.name.value}\` is used twice in this container`);
    names.add(port.name.value);
  }
  return findings;
}
