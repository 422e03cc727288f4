/** Graph node ids, shared by the graph builder and the tracer (which highlights nodes by id). */
/** The controller label of Ingresses with no class where no IngressClass is marked default. */
export const DEFAULT_CLASS_LABEL = '(default class)';

export const nodeId = {
  host: (host: string | undefined) => `host:${host ?? '*'}`,
  controller: (className: string) => `controller:${className}`,
  route: (ingressId: string, rule: number, path: number) => `route:${ingressId}:${rule}:${path}`,
  defaultRoute: (ingressId: string) => `route:${ingressId}:default`,
  service: (serviceId: string) => `svc:${serviceId}`,
  workload: (workloadId: string) => `wl:${workloadId}`,
  entry: (serviceId: string, nodePort: number | undefined) => `entry:${serviceId}:${nodePort ?? 'auto'}`,
  hpa: (hpaId: string) => `hpa:${hpaId}`,
  missingService: (namespace: string, name: string) => `missing:svc:${namespace}/${name}`,
  missingPods: (serviceId: string) => `missing:pods:${serviceId}`,
  /** A listener of a Gateway or ListenerSet (`owner`), by name (`#2` when the name is templated: graph/gatewayDescribe listenerKey). */
  listener: (ownerId: string, listener: string) => `gw:${ownerId}:${listener}`,
  /** One rule of a Gateway API route (0-based, in list order). */
  gatewayRule: (routeId: string, rule: number) => `rule:${routeId}:${rule}`,
  /** A parentRef's Gateway or ListenerSet that the workspace does not have. */
  missingParent: (kind: string, namespace: string, name: string) => `missing:${kind === 'ListenerSet' ? 'ls' : 'gw'}:${namespace}/${name}`,
  /** A parentRef's sectionName or port that no listener of an existing parent has. */
  missingListener: (ownerId: string, selector: string) => `missing:listener:${ownerId}:${selector}`,
} as const;
