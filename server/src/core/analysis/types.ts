/** What analysis produces: links between resources, and findings (diagnostics before severity settings). */
import type { Range } from 'vscode-languageserver-types';
import type { RuleId, Severity } from '../rules/registry';

export interface Location {
  readonly uri: string;
  readonly range: Range;
}

export interface RelatedLocation extends Location {
  readonly message: string;
}

/** A text edit a quick fix can offer (did-you-mean replacements and the like). */
export interface Replacement extends Location {
  readonly newText: string;
  readonly title: string;
}

export interface Finding extends Location {
  readonly rule: RuleId;
  readonly message: string;
  /** An upper bound on the severity for this finding (e.g. a Service that may live elsewhere). */
  readonly severityCap?: Severity;
  readonly related: readonly RelatedLocation[];
  readonly replacements?: readonly Replacement[];
}

/**
 * The kinds of reference the engine resolves. Adding one (Gateway API's HTTPRoute → Service, say)
 * means adding a kind here and a resolver in `links/`; every feature reads links by kind.
 */
export type LinkKind =
  | 'workload-selector'
  | 'service-selector'
  | 'service-target-port'
  | 'ingress-service'
  | 'ingress-service-port'
  | 'ingress-class'
  | 'hpa-target'
  /** Gateway API: Gateway → GatewayClass, listener certificateRef → Secret, ListenerSet → Gateway. */
  | 'gateway-class'
  | 'gateway-certificate'
  | 'listenerset-parent'
  /** Gateway API route parentRef → Gateway / ListenerSet; backendRef → Service, and its port. */
  | 'route-parent'
  | 'route-backend'
  | 'route-backend-port';

/**
 * resolved: every part found; partial: found for some targets only (e.g. some selected pods lack a
 * named port); missing: nothing found; unknown: cannot be decided offline (templated values).
 */
export type LinkStatus = 'resolved' | 'partial' | 'missing' | 'unknown';

export interface LinkTarget extends Location {
  readonly resourceId: string;
  /** For target-port links: the container port number reached, and the container's name. */
  readonly port?: number;
  readonly containerName?: string;
}

export interface Link extends Location {
  readonly kind: LinkKind;
  readonly sourceId: string;
  readonly status: LinkStatus;
  readonly targets: readonly LinkTarget[];
  /** The written reference (`web-svc`, `http`, `app=web`), for messages and features. */
  readonly text: string;
  /** Targets that were nearly matched, for did-you-mean messages and fixes. */
  readonly nearMisses?: readonly NearMiss[];
  /**
   * Resolved only at the workspace level (scopes.ts REACH): the targets are in other folders and
   * may belong to another example, so conclusions drawn from them are tentative.
   */
  readonly far?: true;
}

/** Something that nearly matched: the target's location, and the edit that would make it match. */
export interface NearMiss extends Location {
  readonly resourceId: string;
  readonly description: string;
  /** An edit in the link's own file that would resolve the link to this target. */
  readonly fix?: NearMissFix;
  /** The target agrees with the reference in all but one part (a selector with every label but one): it surely meant this target. */
  readonly strong?: true;
}

export interface NearMissFix {
  readonly range: Range;
  readonly newText: string;
  /** What to show instead of `newText` (`app=web` when only the value `web` is replaced). */
  readonly label?: string;
  /** Where the suggestion comes from, e.g. Deployment `web`. */
  readonly context?: string;
}

export interface ResourceAnalysis {
  readonly links: readonly Link[];
  readonly findings: readonly Finding[];
}
