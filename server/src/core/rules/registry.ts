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
  // ── Gateway API (gateway.networking.k8s.io). Route and listener rules are named after the
  // status condition reason a conformant controller writes; see docs/gateway-api-semantics.md.
  {
    id: 'route-no-matching-parent',
    defaultSeverity: 'warning',
    description:
      'A route parentRef names a Gateway or ListenerSet that does not exist, or a sectionName/port no listener of it has (NoMatchingParent): the route is not attached there. A warning when the route\'s own file, build or app defines Gateways or a close spelling exists; information when the Gateway may live elsewhere (often a platform team\'s repository).',
  },
  {
    id: 'route-not-allowed-by-listeners',
    defaultSeverity: 'warning',
    description:
      'No listener a parentRef selects accepts the route: its kind is not allowed, or its namespace is excluded by allowedRoutes (NotAllowedByListeners). A warning: the Gateway stays in charge (it may be changed instead); information when that Gateway is defined in another folder.',
  },
  {
    id: 'route-no-matching-listener-hostname',
    defaultSeverity: 'warning',
    description:
      'The route\'s hostnames intersect no listener hostname of the parent it names (NoMatchingListenerHostname): it is attached nowhere there. A warning, as for the other attachment rules.',
  },
  {
    id: 'route-backend-not-found',
    defaultSeverity: 'error',
    description:
      'A backendRef names a Service that does not exist (BackendNotFound): its share of the requests gets 500. An error like ingress-backend-service-missing; information when the Service may be defined elsewhere.',
  },
  {
    id: 'route-backend-port-missing',
    defaultSeverity: 'error',
    description:
      'A backendRef to a Service without `port` (the CRD rejects it), or with a port the Service does not have (its share of the requests fails). An error; information when the Service found is in another folder.',
  },
  {
    id: 'route-ref-not-permitted',
    defaultSeverity: 'warning',
    description:
      'A cross-namespace backendRef or certificateRef that no ReferenceGrant in the target namespace permits (RefNotPermitted). A warning when the target namespace\'s objects are applied with the referrer or a grant nearly matches; information when the grant may be applied with the target namespace elsewhere.',
  },
  {
    id: 'route-invalid-kind',
    defaultSeverity: 'error',
    description:
      'A backendRef of the core group whose kind is not Service, or of a gateway.networking.k8s.io kind, or a parentRef of an unknown gateway.networking.k8s.io kind (InvalidKind): no implementation serves it. Kinds of other API groups are implementation-specific and not judged.',
  },
  {
    id: 'route-rule-without-backends',
    defaultSeverity: 'warning',
    description:
      'An HTTPRoute or GRPCRoute rule (or an HTTPRoute without rules) with no backendRefs and no filter that answers by itself (RequestRedirect, ExtensionRef): every request it matches gets 500.',
  },
  {
    id: 'route-match-shadowed',
    defaultSeverity: 'warning',
    description:
      'A match that never wins: an earlier rule of the same route, or another route applied together on the same listener with the same hostnames, has the same match, which takes precedence. Only identical matches are reported (anything else differs in precedence or in the requests it covers).',
  },
  {
    id: 'gateway-class-missing',
    defaultSeverity: 'warning',
    description:
      'A Gateway names a GatewayClass the workspace does not define: no controller reconciles it. Information unless the Gateway\'s own file, build or app defines GatewayClasses or a close spelling exists (classes usually come with the controller\'s chart).',
  },
  {
    id: 'gateway-invalid-certificate-ref',
    defaultSeverity: 'warning',
    description:
      'A listener certificateRef to a Secret that does not exist, or of the core group with a kind other than Secret (InvalidCertificateRef): the listener is not programmed. Information unless the workspace defines Secrets in that namespace nearby (Secrets are usually created outside the repository).',
  },
  {
    id: 'gateway-listener-conflicted',
    defaultSeverity: 'error',
    description:
      'Listeners of one Gateway or ListenerSet with the same name, or the same port, protocol and hostname (the CRD rejects both), or on one port with incompatible protocols (HTTP with HTTPS/TLS, TCP with HTTP/HTTPS/TLS: Conflicted, ProtocolConflict, a warning).',
  },
  {
    id: 'listenerset-not-allowed',
    defaultSeverity: 'warning',
    description:
      'A ListenerSet whose parent Gateway does not exist or does not allow it (allowedListeners, None by default): its listeners, and the routes attached to them, serve nothing. Information when the Gateway may live elsewhere.',
  },
  {
    id: 'gateway-api-invalid',
    defaultSeverity: 'error',
    description:
      'A Gateway API object the API server rejects (the CRDs\' OpenAPI and CEL validation): ReplacePrefixMatch without exactly one PathPrefix match, RequestRedirect with URLRewrite or with backendRefs, repeated filters, a filter whose type and field disagree, invalid paths, hostnames, names and enums, weights and ports out of range, tls or hostname where the protocol forbids them.',
  },
  {
    id: 'route-test-failed',
    defaultSeverity: 'error',
    description: 'A route test (`*.routes.yaml`) whose request no longer reaches what it expects: the backend, path, Host, redirect or status changed.',
  },
  {
    id: 'route-test-invalid',
    defaultSeverity: 'error',
    description: 'A route test file entry that is not a valid test (no `url` or `expect`, an unknown key, a backend not written NAMESPACE/NAME:PORT, a value of the wrong type); it is not run.',
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
