/**
 * Rules as data: every diagnostic the engine emits belongs to one of these rules. The id is
 * stable (users configure it, the CLI prints it, the README documents it under a heading of the
 * same name).
 */

export type Severity = 'error' | 'warning' | 'information' | 'hint';

export interface RuleInfo {
  readonly id: RuleId;
  readonly defaultSeverity: Severity;
  /** One line: what the rule finds and why it matters. */
  readonly description: string;
}

const RULE_LIST = [
  {
    id: 'service-selects-nothing',
    defaultSeverity: 'warning',
    description: 'A Service selector matches no pod template in its namespace, so the Service has no endpoints.',
  },
  {
    id: 'service-target-port-unresolved',
    defaultSeverity: 'error',
    description: 'A named targetPort that no container of the selected pods declares with the Service port\'s protocol.',
  },
  {
    id: 'service-target-port-not-declared',
    defaultSeverity: 'warning',
    description: 'A numeric targetPort that the selected pods do not declare as a containerPort (traffic may still work).',
  },
  {
    id: 'service-port-name-required',
    defaultSeverity: 'error',
    description: 'A Service with more than one port where a port has no name; the API server rejects it.',
  },
  {
    id: 'port-invalid',
    defaultSeverity: 'error',
    description: 'A port number outside 1-65535, or a port name that breaks the Kubernetes naming rules.',
  },
  {
    id: 'workload-selector-mismatch',
    defaultSeverity: 'error',
    description: 'A workload whose spec.selector is missing or does not match its own pod template labels.',
  },
  {
    id: 'ingress-backend-service-missing',
    defaultSeverity: 'error',
    description: 'An Ingress backend names a Service that does not exist in the Ingress namespace.',
  },
  {
    id: 'ingress-backend-port-missing',
    defaultSeverity: 'error',
    description: 'An Ingress backend names a port number or port name the Service does not have.',
  },
  {
    id: 'ingress-api-removed',
    defaultSeverity: 'warning',
    description: 'Ingress or IngressClass in extensions/v1beta1 or networking.k8s.io/v1beta1, removed in Kubernetes 1.22.',
  },
  {
    id: 'ingress-path-conflict',
    defaultSeverity: 'warning',
    description: 'Two Ingresses of the same class define the same host and path.',
  },
  {
    id: 'rewrite-target-capture-missing',
    defaultSeverity: 'error',
    description: 'rewrite-target refers to a capture group ($N) a path does not have, or a regex path uses pathType Exact/Prefix.',
  },
  {
    id: 'nodeport-out-of-range',
    defaultSeverity: 'error',
    description: 'A nodePort outside the cluster node-port range (30000-32767 unless configured).',
  },
  {
    id: 'nodeport-duplicate',
    defaultSeverity: 'error',
    description: 'The same nodePort is used twice; node ports are allocated cluster-wide.',
  },
  {
    id: 'nodeport-not-allowed',
    defaultSeverity: 'error',
    description: 'A nodePort on a ClusterIP (or headless) Service; the API server rejects it.',
  },
  {
    id: 'external-traffic-policy-not-allowed',
    defaultSeverity: 'error',
    description: 'externalTrafficPolicy or healthCheckNodePort where the API server rejects it.',
  },
  {
    id: 'hpa-target-missing',
    defaultSeverity: 'warning',
    description: 'A HorizontalPodAutoscaler whose scaleTargetRef matches no workload in its namespace.',
  },
  {
    id: 'ingress-class-missing',
    defaultSeverity: 'information',
    description: 'An Ingress names an IngressClass the workspace does not define, while it defines others.',
  },
  {
    id: 'ingress-backend-nodeport',
    defaultSeverity: 'hint',
    description: 'An Ingress routes to a NodePort Service; behind an Ingress a ClusterIP Service is enough.',
  },
  {
    id: 'duplicate-resource',
    defaultSeverity: 'warning',
    description: 'The same kind, namespace and name is defined twice.',
  },
  {
    id: 'yaml-syntax',
    defaultSeverity: 'error',
    description: 'The file cannot be parsed as YAML.',
  },
] as const satisfies readonly { id: string; defaultSeverity: Severity; description: string }[];

export type RuleId = (typeof RULE_LIST)[number]['id'];

export const RULES: readonly RuleInfo[] = RULE_LIST;

export const RULE_IDS: readonly RuleId[] = RULE_LIST.map((rule) => rule.id);

const BY_ID = new Map<string, RuleInfo>(RULES.map((rule) => [rule.id, rule]));

export function ruleInfo(id: RuleId): RuleInfo {
  const info = BY_ID.get(id);
  if (!info) throw new Error(`unknown rule ${id}`);
  return info;
}

export function isRuleId(value: string): value is RuleId {
  return BY_ID.has(value);
}

const SEVERITY_ORDER: Readonly<Record<Severity, number>> = { error: 0, warning: 1, information: 2, hint: 3 };

export function isSeverity(value: string): value is Severity {
  return Object.prototype.hasOwnProperty.call(SEVERITY_ORDER, value);
}

/** The less severe of two severities. */
export function milder(a: Severity, b: Severity): Severity {
  return SEVERITY_ORDER[a] >= SEVERITY_ORDER[b] ? a : b;
}

export function compareSeverity(a: Severity, b: Severity): number {
  return SEVERITY_ORDER[a] - SEVERITY_ORDER[b];
}
