/**
 * What a router gets: the rules of one host among the Ingresses a controller serves (exact
 * host, else wildcard, else the rules without host), and what it returns: which path serves the
 * request, or what the controller answers itself.
 */
import type { Location } from '../analysis/types';
import type { Ingress, IngressBackend, IngressPath, IngressRule } from '../model';
import { isWildcardHost, matchesHost } from '../semantics/pathMatching';
import type { TraceUrl } from './parseUrl';
import type { TraceStepKind } from './types';
import { known } from '../model';

/** One path of a host's rules. */
export interface PathRef {
  readonly ingress: Ingress;
  readonly ruleIndex: number;
  readonly rule: IngressRule;
  readonly pathIndex: number;
  readonly path: IngressPath;
  /** The path as written ('' when omitted). */
  readonly value: string;
  /** As written; ImplementationSpecific when omitted. */
  readonly pathType: string;
}

export interface HostRules {
  /** The rule host that matched ('' for rules without host). */
  readonly host: string;
  readonly level: 'exact' | 'wildcard' | 'catch-all';
  /** Every path of the Ingresses with a rule for this host, in Ingress and rule order. */
  readonly paths: readonly PathRef[];
  /** Ingresses with a rule for this host (with or without paths). */
  readonly ingresses: readonly Ingress[];
  /** Ingresses of the controller with a defaultBackend and no rules (the catch-all server's). */
  readonly ruleless: readonly Ingress[];
  /** Canary Ingresses with a rule for this host (ingress-nginx). */
  readonly canaries: readonly Ingress[];
}

/** A share of the request for one backend (canary splits, weighted actions). */
export interface Split {
  readonly ingress: Ingress;
  readonly backend: IngressBackend;
  readonly weight: number;
  /** This backend receives the request being traced. */
  readonly receives: boolean;
}

/** A target of a forward action: a Service port of the Ingress's namespace, or a target group outside the manifests. */
export interface ForwardTarget {
  readonly serviceName?: string;
  readonly servicePort?: number | string;
  readonly targetGroupARN?: string;
  readonly weight: number;
}

export type RoutePick =
  /** A path of an Ingress serves it. */
  | { readonly kind: 'path'; readonly ref: PathRef; readonly upstreamPath?: string; readonly upstreamHost?: string; readonly splits?: readonly Split[] }
  /** The spec.defaultBackend of an Ingress serves it. */
  | { readonly kind: 'default'; readonly ingress: Ingress; readonly upstreamPath?: string }
  /** The controller (or load balancer) answers with a redirect. */
  | { readonly kind: 'redirect'; readonly status: number; readonly location: string; readonly ingress?: Ingress; readonly ref?: PathRef }
  /** The load balancer forwards to target groups an action names (ALB `forward`), weighted. */
  | { readonly kind: 'forward'; readonly ref: PathRef; readonly action: string; readonly targets: readonly ForwardTarget[]; readonly upstreamPath?: string }
  /** The controller answers itself: no route (404), a bad request (400), a fixed response. */
  | {
      readonly kind: 'answer';
      readonly status?: number;
      readonly reason: string;
      readonly closest?: string;
      readonly ref?: PathRef;
      /** An answer the manifests configure (an ALB fixed response), not an error of the controller. */
      readonly configured?: true;
    };

export type StepSink = (kind: TraceStepKind, text: string, location?: Location, node?: string) => void;

export interface RouterContext {
  readonly request: TraceUrl;
  /** Request headers with lower-case names. */
  readonly headers: Readonly<Record<string, string>>;
  readonly step: StepSink;
}

/**
 * The rules of the request's host: an exact host, else a wildcard (exactly one extra label),
 * else the rules without host. Templated hosts and paths are left out (noted by the caller).
 */
export function hostRules(ingresses: readonly Ingress[], canaries: readonly Ingress[], requestHost: string | undefined): HostRules | undefined {
  const rules = (list: readonly Ingress[]) =>
    list.flatMap((ingress) => ingress.rules.flatMap((rule, ruleIndex) => (rule.host?.unknown ? [] : [{ ingress, rule, ruleIndex, host: known(rule.host) ?? '' }])));
  const all = rules(ingresses);
  const exact = requestHost === undefined ? [] : all.filter((r) => r.host !== '' && !isWildcardHost(r.host) && matchesHost(r.host, requestHost));
  const wildcard = requestHost === undefined ? [] : all.filter((r) => isWildcardHost(r.host) && matchesHost(r.host, requestHost));
  const catchAll = all.filter((r) => r.host === '');
  const level = exact.length > 0 ? 'exact' : wildcard.length > 0 ? 'wildcard' : catchAll.length > 0 ? 'catch-all' : undefined;
  const ruleless = ingresses.filter((i) => i.rules.length === 0 && i.defaultBackend !== undefined);
  if (!level) return ruleless.length > 0 ? { host: '', level: 'catch-all', paths: [], ingresses: [], ruleless, canaries: [] } : undefined;
  const matched = level === 'exact' ? exact : level === 'wildcard' ? wildcard : catchAll;
  const host = matched[0].host;
  const paths: PathRef[] = [];
  for (const { ingress, rule, ruleIndex } of matched) {
    rule.paths.forEach((path, pathIndex) => {
      if (path.path?.unknown) return;
      paths.push({ ingress, ruleIndex, rule, pathIndex, path, value: known(path.path) ?? '', pathType: path.pathType?.value ?? 'ImplementationSpecific' });
    });
  }
  const canaryRules = rules(canaries).filter((r) => r.host === host);
  return { host, level, paths, ingresses: [...new Set(matched.map((m) => m.ingress))], ruleless, canaries: [...new Set(canaryRules.map((r) => r.ingress))] };
}
