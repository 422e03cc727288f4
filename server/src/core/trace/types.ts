/**
 * What a request trace reports: the steps a URL takes to the pods, or why it goes nowhere, and the
 * route in a structured form (`route`) that scripts and CI read. `TraceResult` and `TraceRoute`
 * are a public contract (README "`trace --format json`"): add fields, never change or remove them.
 */
import type { Location } from '../analysis/types';

export type TraceStepKind =
  /** How the request enters: a controller's node port or load balancer, or a Service's. */
  | 'entry'
  /** The Ingress controller (class) that handles it; a Gateway, and the listener that takes the request. */
  | 'controller'
  /** The Ingress rule whose host matched; the Gateway API route hostname that matched. */
  | 'host'
  /** The rule path that matched (with pathType / regex mode); the Gateway API rule and match that won. */
  | 'path'
  /** What the backend receives after rewrite-target or URLRewrite (or unchanged); a RequestRedirect's answer. */
  | 'rewrite'
  | 'service'
  /** Service port → targetPort → containerPort. */
  | 'port'
  /** The workloads (and replica counts) whose pods serve it. */
  | 'pods'
  /** A consequence worth knowing (externalTrafficPolicy, regex mode, case-insensitivity …). */
  | 'note';

export interface TraceStep {
  readonly kind: TraceStepKind;
  /** One human sentence, e.g. "path `/abc(/|$)(.*)` (ImplementationSpecific, regex) of Ingress `test-ingress`". */
  readonly text: string;
  readonly location?: Location;
  /** Route graph node to highlight for this step (see graph/ids.ts). */
  readonly nodeId?: string;
}

/** What the request carries besides its URL. */
export interface TraceOptions {
  /** Request headers (any case); canary-by-header and header matches read them. */
  readonly headers?: Readonly<Record<string, string>>;
  readonly method?: string;
  /**
   * A file whose apply unit is preferred when independent manifests (examples, variants) serve
   * the same host: the editor passes the active file.
   */
  readonly from?: string;
  /**
   * `namespace/name` of the Gateway API Gateway to send the request through. Without it, the
   * Gateway whose listeners accept the URL's port and host is used when there is exactly one (and
   * no Ingress has a rule for the host, unless `from` is in that Gateway's example).
   */
  readonly gateway?: string;
  /** Follow the Ingresses even where a Gateway accepts the request (the migration proof's "before"). */
  readonly ingressOnly?: boolean;
}

export interface TraceWorkload {
  readonly kind: string;
  readonly name: string;
  /** As written, 1 when omitted; absent where it does not apply (DaemonSet, Job) or is templated. */
  readonly replicas?: number;
}

/** One Service that receives (a share of) the request. */
export interface TraceBackend {
  readonly kind: 'Service';
  readonly namespace: string;
  readonly name: string;
  /** The Service port the request goes to (its `port`), when known. */
  readonly port?: number;
  /** Percent of the requests (100 when there is one backend; 0 for a backend that receives none). */
  readonly weight: number;
  /** The Service port's targetPort as written or defaulted (number or name). */
  readonly targetPort?: number | string;
  /** The container port it lands on, when the pods declare it. */
  readonly containerPort?: number;
  /** The workloads whose pods the Service selects. */
  readonly workloads: readonly TraceWorkload[];
  /**
   * Gateway API: why this backendRef cannot receive requests (the reason a conformant controller
   * writes: `BackendNotFound`, `RefNotPermitted`, `InvalidKind`); its share of the requests gets 500.
   */
  readonly invalid?: string;
}

/** A Gateway API match as written (defaults applied): what a rule of a route matched on. */
export interface TraceRouteMatch {
  /** Which match of the rule (0-based). */
  readonly index: number;
  readonly path: { readonly type: string; readonly value: string };
  readonly method?: string;
  readonly headers?: readonly { readonly type: string; readonly name: string; readonly value: string }[];
  readonly queryParams?: readonly { readonly type: string; readonly name: string; readonly value: string }[];
}

/** The route the controller takes, when the request matched a rule (or a default backend). */
export interface TraceRoute {
  readonly controller: {
    /** ingress-nginx, nginx-inc, aws-alb, gce, traefik, or unknown: plain Kubernetes semantics (semantics/controllers.ts); `gateway-api` for a Gateway. */
    readonly kind: string;
    /** The IngressClass the Ingress is served by, when it has one; a Gateway's gatewayClassName. */
    readonly class?: string;
    /** The IngressClass's spec.controller, when known; a GatewayClass's controllerName. */
    readonly controller?: string;
  };
  /** Gateway API: the Gateway that took the request, and the name of the listener that did (absent when none did). */
  readonly gateway?: {
    readonly namespace: string;
    readonly name: string;
    readonly listener?: string;
    /** When the listener is a ListenerSet's. */
    readonly listenerSet?: { readonly namespace: string; readonly name: string };
  };
  /** Gateway API: the route whose rule matched, the rule (index, name, the match that won) and the route hostname that matched (absent: any host). */
  readonly route?: {
    readonly kind: string;
    readonly namespace: string;
    readonly name: string;
    readonly rule: { readonly index: number; readonly name?: string; readonly match: TraceRouteMatch };
    readonly hostname?: string;
  };
  readonly ingress?: {
    readonly kind: 'Ingress';
    readonly namespace: string;
    readonly name: string;
    /** The rule path that matched, or `defaultBackend: true` for spec.defaultBackend. */
    readonly rule: { readonly host: string; readonly path: string; readonly pathType: string } | { readonly defaultBackend: true };
  };
  /** The Services that receive it, with their share (canary splits, weighted actions). */
  readonly backends: readonly TraceBackend[];
  /** The controller (or Gateway) answers with a redirect instead of forwarding. */
  readonly redirect?: { readonly status: number; readonly location: string };
}

export interface TraceResult {
  readonly url: string;
  /**
   * True when the request reaches a Service with pods, an ExternalName Service, or an answer the
   * manifests configure (a redirect, an ALB fixed response below 400). False when there is no
   * route, or the controller answers with an error (see `status`).
   */
  readonly found: boolean;
  /** The HTTP status the client gets when the controller answers itself (404 no rule, 503 no endpoint, 400 bad request, a redirect's status). */
  readonly status?: number;
  readonly steps: readonly TraceStep[];
  /** The path (and query) the backend receives. */
  readonly upstreamPath?: string;
  /** The Host header the backend receives, when something rewrote it. */
  readonly upstreamHost?: string;
  readonly route?: TraceRoute;
  /** When not found: why (no host matches, no path matches, the Service is missing …). */
  readonly reason?: string;
  /** When not found: the rule that came closest, in words. */
  readonly closest?: string;
}
