/** A workload's own selector → its pod template (the API server requires that they match). */
import { makeLink } from './makeLink';
import type { Link } from '../analysis/types';
import type { PodTemplate, Workload } from '../model';
import type { Query } from '../analysis/query';
import { key } from '../workspace/keys';
import { nearest } from '../workspace/scopes';
import { formatExpression, formatLabels, isEmptySelector, matchesEquality, matchesSelector } from '../semantics/labels';
import { selectorRequired } from '../parse/kinds';

/**
 * An Argo Rollout with `spec.workloadRef` runs the pod template of the Deployment it names; its
 * selector must match that template (argo-rollouts pkg/apis/rollouts/validation ValidateRolloutSpec).
 */
export function referencedTemplate(workload: Workload, q: Query): { owner: Workload; template: PodTemplate } | undefined {
  const ref = workload.workloadRef;
  if (!ref || ref.name.unknown) return undefined;
  const found = nearest(workload, q.lookup(key.object(ref.kind, workload.namespace, ref.name.value)), q).items.find((r): r is Workload => r.type === 'workload' && r.template !== undefined);
  return found ? { owner: found, template: found.template! } : undefined;
}

export function resolveWorkloadSelector(workload: Workload, q: Query): Link | undefined {
  const referenced = workload.template ? undefined : referencedTemplate(workload, q);
  const template = workload.template ?? referenced?.template;
  const selector = workload.selector;
  if (!template || workload.fragment) return undefined;
  const owner = referenced?.owner ?? workload;
  const targets = [{ resourceId: owner.id, uri: owner.uri, range: template.labels.range }];
  if (!selector) {
    if (!selectorRequired(workload.kind, workload.apiVersion)) return undefined;
    // No written selector: anchor the link (and its diagnostic) on the object's name.
    return { kind: 'workload-selector', sourceId: workload.id, uri: workload.uri, range: workload.anchor, status: 'missing', targets: [], text: '' };
  }
  const text = [formatLabels(selector.matchLabels), ...selector.expressions.map(formatExpression)].filter((t) => t).join(', ');
  const base = { kind: 'workload-selector' as const, sourceId: workload.id, uri: workload.uri, range: selector.range, text };
  if (isEmptySelector(selector) && !selector.partial) {
    // RC and DeploymentConfig default an empty selector to the template labels; apps/v1 rejects it.
    const defaulted = workload.selectorIsMap || !selectorRequired(workload.kind, workload.apiVersion);
    return defaulted ? makeLink(base, { status: 'resolved', targets }) : makeLink(base, { status: 'missing', targets: [] });
  }
  const result = workload.selectorIsMap ? matchesEquality(selector.matchLabels, template.labels) : matchesSelector(selector, template.labels);
  if (result === 'unknown') return makeLink(base, { status: 'unknown', targets: [] });
  return result === 'match' ? makeLink(base, { status: 'resolved', targets }) : makeLink(base, { status: 'missing', targets: [] });
}
