/** What a request trace reports: the steps a URL takes to the pods, or why it goes nowhere. */
import type { Location } from '../analysis/types';

export type TraceStepKind =
  /** How the request enters: a controller's node port or load balancer, or a Service's. */
  | 'entry'
  /** The Ingress controller (class) that handles it. */
  | 'controller'
  /** The Ingress rule whose host matched. */
  | 'host'
  /** The rule path that matched (with pathType / regex mode). */
  | 'path'
  /** What the backend receives after rewrite-target (or unchanged). */
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

export interface TraceResult {
  readonly url: string;
  /** True when the request reaches a Service with pods. */
  readonly found: boolean;
  readonly steps: readonly TraceStep[];
  /** The path (and query) the backend receives. */
  readonly upstreamPath?: string;
  /** When not found: why (no host matches, no path matches, the Service is missing …). */
  readonly reason?: string;
  /** When not found: the rule that came closest, in words. */
  readonly closest?: string;
}
