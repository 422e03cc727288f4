/**
 * The transformations a kustomization applies to every object it includes, on the engine's
 * model: namespace, name prefix and suffix, labels (kustomize's commonLabels field specs: objects,
 * Service/RC/Deployment/ReplicaSet/DaemonSet/StatefulSet selectors (created if absent), existing
 * Job/CronJob selectors, pod templates), replicas and images; and the name references kustomize
 * rewrites when it renames an object (Ingress backends → Services, HPA targets → workloads).
 * Sources: kustomize api/konfig/builtinpluginconsts (commonlabels.go, nameprefix.go,
 * namereference.go, namespace.go) and api/filters.
 */
import type { Range } from 'vscode-languageserver-types';
import type { Hpa, Ingress, IngressBackend, Known, Kustomization, LabelEntry, LabelMap, LabelSelector, PlainLabel, Resource, Workload } from '../model';
import { CLUSTER_SCOPED_KINDS } from '../parse/kinds';
import { ForeignRange } from '../text/lineIndex';

/** Kinds kustomize never prefixes or suffixes (prefixsuffix transformer's skip list). */
const NOT_RENAMED: ReadonlySet<string> = new Set(['CustomResourceDefinition', 'APIService', 'Namespace']);

const SELECTOR_CREATED = new Set(['Deployment', 'ReplicaSet', 'DaemonSet', 'StatefulSet', 'ReplicationController']);
const SELECTOR_IF_PRESENT = new Set(['Job', 'CronJob']);

/** One kustomization's transformations, applied in kustomize's order after its patches. */
export function applyNamespace(resource: Resource, kustomization: Kustomization): Resource {
  const namespace = kustomization.namespace?.value;
  if (namespace === undefined || CLUSTER_SCOPED_KINDS.has(resource.kind) || resource.namespace === namespace) return resource;
  return { ...resource, namespace } as Resource;
}

export function applyNamePrefix(resource: Resource, kustomization: Kustomization): Resource {
  const prefix = kustomization.namePrefix?.value ?? '';
  const suffix = kustomization.nameSuffix?.value ?? '';
  if ((prefix === '' && suffix === '') || !resource.name || NOT_RENAMED.has(resource.kind)) return resource;
  return { ...resource, name: { value: `${prefix}${resource.name.value}${suffix}`, range: resource.name.range } } as Resource;
}

export function applyLabels(resource: Resource, kustomization: Kustomization): Resource {
  const selector = kustomization.selectorLabels;
  const template = kustomization.templateLabels;
  const all = [...selector, ...template, ...kustomization.metadataLabels];
  if (all.length === 0) return resource;
  const anchor = resource.anchor;
  const base = { ...resource, labels: withLabels(resource.labels, all, anchor) } as Resource;
  if (selector.length + template.length === 0) return base;
  if (base.type === 'service' && selector.length > 0 && base.serviceType.value !== 'ExternalName') {
    return { ...base, selector: withLabels(base.selector, selector, anchor) };
  }
  if (base.type === 'workload') return labelWorkload(base, selector, template);
  return base;
}

function labelWorkload(workload: Workload, selector: readonly PlainLabel[], template: readonly PlainLabel[]): Workload {
  const anchor = workload.anchor;
  const podLabels = [...selector, ...template];
  const relabel = (t: Workload['template']) => (t ? { ...t, labels: withLabels(t.labels, podLabels, anchor) } : undefined);
  const createSelector = SELECTOR_CREATED.has(workload.kind) || (SELECTOR_IF_PRESENT.has(workload.kind) && workload.selector !== undefined);
  return {
    ...workload,
    template: relabel(workload.template),
    extraTemplates: workload.extraTemplates?.map((t) => relabel(t)!),
    selector: createSelector && selector.length > 0 ? withSelectorLabels(workload.selector, selector, anchor) : workload.selector,
  };
}

export function applyReplicas(resource: Resource, kustomization: Kustomization, kustomizationUri: string, originalName: string | undefined): Resource {
  if (resource.type !== 'workload' || !resource.name) return resource;
  const name = resource.name.value;
  const override = kustomization.replicas.find((r) => r.name === name || r.name === originalName);
  if (!override) return resource;
  return { ...resource, replicas: { value: override.count.value, range: foreign(override.count.range, kustomizationUri) } };
}

function foreign(range: Range, uri: string): Range {
  return new ForeignRange(range.start.line, range.start.character, range.end.line, range.end.character, uri);
}

function injected(labels: readonly PlainLabel[], anchor: Range): LabelEntry[] {
  return labels.map((l) => ({ key: l.key, value: l.value, keyRange: anchor, valueRange: anchor, injected: true }));
}

/** Adds labels to a map; kustomize overrides values of keys already present. */
function withLabels(map: LabelMap | undefined, labels: readonly PlainLabel[], anchor: Range): LabelMap {
  const added = injected(labels, anchor);
  const keys = new Set(added.map((l) => l.key));
  const kept = (map?.entries ?? []).filter((e) => !keys.has(e.key));
  return { entries: [...kept, ...added], partial: map?.partial ?? false, range: map?.range ?? anchor };
}

function withSelectorLabels(selector: LabelSelector | undefined, labels: readonly PlainLabel[], anchor: Range): LabelSelector {
  const merged = withLabels(selector ? { entries: selector.matchLabels, partial: false, range: selector.range } : undefined, labels, anchor);
  return {
    matchLabels: merged.entries,
    expressions: selector?.expressions ?? [],
    partial: selector?.partial ?? false,
    range: selector?.range ?? anchor,
  };
}

/** What a renamed object was called before, and is called now: `kind\u0000old name` → new name. */
export type Renames = (kind: string, name: string) => string | undefined;

/**
 * References kustomize's nameReference transformer rewrites when the object they name was
 * renamed in the same build: Ingress backends (Services) and HPA scale targets.
 */
export function applyRenames(resource: Resource, renamed: Renames): Resource {
  if (resource.type === 'ingress') return renameIngress(resource, renamed);
  if (resource.type === 'hpa') return renameHpa(resource, renamed);
  if (resource.type === 'workload' && resource.workloadRef) {
    const name = renamedField(resource.workloadRef.name, resource.workloadRef.kind, renamed);
    return name === resource.workloadRef.name ? resource : { ...resource, workloadRef: { ...resource.workloadRef, name } };
  }
  return resource;
}

function renamedField<T extends Known<string> | { unknown: true; range: Range }>(field: T, kind: string, renamed: Renames): T {
  if (field.unknown) return field;
  const to = renamed(kind, field.value);
  return to === undefined || to === field.value ? field : ({ ...field, value: to } as T);
}

function renameBackend(backend: IngressBackend | undefined, renamed: Renames): IngressBackend | undefined {
  if (!backend?.service) return backend;
  const name = renamedField(backend.service.name, 'Service', renamed);
  return name === backend.service.name ? backend : { ...backend, service: { ...backend.service, name } };
}

function renameIngress(ingress: Ingress, renamed: Renames): Ingress {
  let changed = false;
  const rules = ingress.rules.map((rule) => {
    const paths = rule.paths.map((path) => {
      const backend = renameBackend(path.backend, renamed);
      if (backend === path.backend) return path;
      changed = true;
      return { ...path, backend };
    });
    return paths.every((p, i) => p === rule.paths[i]) ? rule : { ...rule, paths };
  });
  const defaultBackend = renameBackend(ingress.defaultBackend, renamed);
  if (!changed && defaultBackend === ingress.defaultBackend) return ingress;
  return { ...ingress, rules, defaultBackend };
}

function renameHpa(hpa: Hpa, renamed: Renames): Hpa {
  const ref = hpa.scaleTargetRef;
  if (!ref?.name || !ref.kind || ref.kind.unknown) return hpa;
  const name = renamedField(ref.name, ref.kind.value, renamed);
  return name === ref.name ? hpa : { ...hpa, scaleTargetRef: { ...ref, name } };
}
