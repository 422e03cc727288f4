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
} as const;
