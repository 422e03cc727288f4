/**
 * The route graph: how traffic reaches pods, as plain data (the LSP request returns it, the CLI
 * prints it, the webview draws it). Built from links only.
 *
 *   host ─► controller (IngressClass) ─► Ingress rule ─► Service ─► workload (pods)
 *   host ─► Gateway listener ─► route rule (HTTPRoute …) ─► Service ─► workload
 *   entry (node:30000, load balancer) ─────────────────► Service ─► workload
 */
import type { Location } from '../analysis/types';
import type { RuleId } from '../rules/registry';

export type GraphNodeKind =
  /** A hostname requests arrive for (`www.test.pri`, `*` for rules without a host). */
  | 'host'
  /** A way in from outside: a node port or a load balancer of a Service. */
  | 'entry'
  /** An Ingress controller: an IngressClass and, when the workspace has it, its exposure. */
  | 'controller'
  /** A listener of a Gateway API Gateway (or ListenerSet): the Gateway, its class and controller, the listener's port, protocol and hostname. */
  | 'gateway'
  /** One rule path of an Ingress (host + path + pathType + rewrite), or one rule of a Gateway API route (matches, filters). */
  | 'route'
  | 'service'
  | 'workload'
  | 'hpa'
  /** The missing end of a broken link, with the rule that reports it. */
  | 'missing';

export interface GraphNode {
  /** Stable, but made of names from the manifests: never put it in HTML or Mermaid unescaped. */
  readonly id: string;
  readonly kind: GraphNodeKind;
  /** First line of the node's label. */
  readonly label: string;
  /** Further lines (ports, replicas, pathType …). */
  readonly details: readonly string[];
  readonly namespace?: string;
  /** Where the node is defined, for "reveal on click". */
  readonly location?: Location;
  /** For `missing` nodes: the rule that reports the broken link. */
  readonly rule?: RuleId;
  /** Short summary for tooltips. */
  readonly summary: string;
  /** For `route` nodes: the rule's host (`*` for none), so a host scope keeps only its routes. */
  readonly host?: string;
  /** For Gateway API rules: every hostname they serve (`*` for any), `host` being the first. */
  readonly hosts?: readonly string[];
  /** Set on a node that stands for several folded ones (`graph/fold.ts`): their ids, this node's first. */
  readonly folded?: readonly string[];
}

export type GraphEdgeKind = 'host' | 'route' | 'backend' | 'expose' | 'select' | 'scale';

export interface GraphEdge {
  readonly from: string;
  readonly to: string;
  readonly kind: GraphEdgeKind;
  /** e.g. `8080 → http(80)` or `/$2`. */
  readonly label?: string;
  /** `local`: externalTrafficPolicy Local (drawn distinctly); `broken`: leads to a missing node. */
  readonly style: 'normal' | 'local' | 'broken';
}

export interface RouteGraph {
  readonly nodes: readonly GraphNode[];
  readonly edges: readonly GraphEdge[];
  /** Set when the scope held more nodes than the budget: what was left out and how to widen it. */
  readonly truncated?: { readonly shown: number; readonly total: number; readonly hint: string };
}

/** Which part of the workspace to draw. */
export type GraphScope =
  | { readonly kind: 'workspace' }
  | { readonly kind: 'namespace'; readonly namespace: string }
  | { readonly kind: 'host'; readonly host: string }
  | { readonly kind: 'file'; readonly uri: string }
  /** The routes through one resource (the one under the cursor). */
  | { readonly kind: 'resource'; readonly resourceId: string };
