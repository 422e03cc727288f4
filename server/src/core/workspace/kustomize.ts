/**
 * How kustomizations change the objects of the files they list, following kustomize's field
 * specs for commonLabels: labels go onto objects, Service/RC/Deployment/ReplicaSet/DaemonSet/
 * StatefulSet selectors (created if absent), existing Job/CronJob selectors, and pod templates.
 */
import type { Kustomization, LabelEntry, LabelMap, LabelSelector, PlainLabel, Resource, Workload } from '../model';
import { CLUSTER_SCOPED_KINDS } from '../parse/kinds';

/** What the kustomizations that name a file do to it. */
export interface FileContext {
  readonly patch: boolean;
  readonly namespace?: string;
  readonly selectorLabels: readonly PlainLabel[];
  readonly templateLabels: readonly PlainLabel[];
  readonly metadataLabels: readonly PlainLabel[];
}

export const NO_CONTEXT: FileContext = { patch: false, selectorLabels: [], templateLabels: [], metadataLabels: [] };

export function isNoContext(context: FileContext): boolean {
  return !context.patch && !context.namespace && context.selectorLabels.length + context.templateLabels.length + context.metadataLabels.length === 0;
}

/** Combines the kustomizations naming a file (in a stable order). */
export function contextFor(uri: string, kustomizations: readonly Kustomization[]): FileContext {
  if (kustomizations.length === 0) return NO_CONTEXT;
  const listing = kustomizations.filter((k) => k.resourceUris.includes(uri));
  const namespaces = [...new Set(listing.map((k) => k.namespace).filter((n): n is string => n !== undefined))];
  return {
    patch: kustomizations.some((k) => k.patchUris.includes(uri)),
    // Two kustomizations that disagree on the namespace: keep what the file says.
    namespace: namespaces.length === 1 ? namespaces[0] : undefined,
    selectorLabels: listing.flatMap((k) => k.selectorLabels),
    templateLabels: listing.flatMap((k) => k.templateLabels),
    metadataLabels: listing.flatMap((k) => k.metadataLabels),
  };
}

const SELECTOR_CREATED = new Set(['Deployment', 'ReplicaSet', 'DaemonSet', 'StatefulSet', 'ReplicationController']);
const SELECTOR_IF_PRESENT = new Set(['Job', 'CronJob']);

export function applyContext(resources: readonly Resource[], context: FileContext): readonly Resource[] {
  if (context.patch) return [];
  if (isNoContext(context)) return resources;
  return resources.map((resource) => applyToResource(resource, context));
}

function applyToResource(resource: Resource, context: FileContext): Resource {
  const all = [...context.selectorLabels, ...context.templateLabels, ...context.metadataLabels];
  const anchor = resource.anchor;
  const namespace = context.namespace && !CLUSTER_SCOPED_KINDS.has(resource.kind) ? context.namespace : resource.namespace;
  const labels = all.length > 0 ? withLabels(resource.labels, all, anchor) : resource.labels;
  const base = { ...resource, namespace, labels };
  if (context.selectorLabels.length + context.templateLabels.length === 0) return base as Resource;
  if (base.type === 'service' && context.selectorLabels.length > 0 && base.serviceType.value !== 'ExternalName') {
    return { ...base, selector: withLabels(base.selector, context.selectorLabels, anchor) };
  }
  if (base.type === 'workload') return applyToWorkload(base, context);
  return base as Resource;
}

function applyToWorkload(workload: Workload, context: FileContext): Workload {
  const anchor = workload.anchor;
  const template = workload.template
    ? { ...workload.template, labels: withLabels(workload.template.labels, [...context.selectorLabels, ...context.templateLabels], anchor) }
    : undefined;
  const createSelector = SELECTOR_CREATED.has(workload.kind) || (SELECTOR_IF_PRESENT.has(workload.kind) && workload.selector !== undefined);
  const selector = createSelector && context.selectorLabels.length > 0 ? withSelectorLabels(workload.selector, context.selectorLabels, anchor) : workload.selector;
  return { ...workload, template, selector };
}

function injected(labels: readonly PlainLabel[], anchor: LabelEntry['keyRange']): LabelEntry[] {
  return labels.map((l) => ({ key: l.key, value: l.value, keyRange: anchor, valueRange: anchor, injected: true }));
}

/** Adds labels to a map; kustomize overrides values of keys already present. */
function withLabels(map: LabelMap | undefined, labels: readonly PlainLabel[], anchor: LabelEntry['keyRange']): LabelMap {
  const added = injected(labels, anchor);
  const keys = new Set(added.map((l) => l.key));
  const kept = (map?.entries ?? []).filter((e) => !keys.has(e.key));
  return { entries: [...kept, ...added], partial: map?.partial ?? false, range: map?.range ?? anchor };
}

function withSelectorLabels(selector: LabelSelector | undefined, labels: readonly PlainLabel[], anchor: LabelEntry['keyRange']): LabelSelector {
  const merged = withLabels(selector ? { entries: selector.matchLabels, partial: false, range: selector.range } : undefined, labels, anchor);
  return {
    matchLabels: merged.entries,
    expressions: selector?.expressions ?? [],
    partial: selector?.partial ?? false,
    range: selector?.range ?? anchor,
  };
}
