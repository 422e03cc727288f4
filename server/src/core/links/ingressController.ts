/**
 * Which IngressClass and which controller serve an Ingress: the one place that decides it, for
 * the rules, the route graph and the tracer. The class is `spec.ingressClassName`, else the
 * `kubernetes.io/ingress.class` annotation, else the default IngressClass. The controller comes
 * from the IngressClass's `spec.controller` (workspace objects, or classes the workspace
 * configuration declares), from controller pods of the workspace and their `--controller-class`
 * / `--ingress-class` arguments, then from well-known class names and annotations
 * (semantics/controllers.ts `identifyController`). Service names are never evidence.
 */
import type { Query } from '../analysis/query';
import type { Annotation, DeclaredIngressClass, Ingress, IngressClass, Resource, Workload } from '../model';
import { annotationKinds, controllersServing, identifyController, profileForController, profileOf } from '../semantics/controllers';
import type { ControllerProfile, IdentifyEvidence, PodController } from '../semantics/controllers';
import { key, podTemplatesOf } from '../workspace/keys';
import { REACH, nearest, reachBetween } from '../workspace/scopes';

export type ScopeQuery = Pick<Query, 'lookup' | 'unitOf' | 'buildIncludes' | 'settings'>;

export interface ControllerChoice {
  /** The class the Ingress is served by ('' when it names none and there is no default class). */
  readonly className: string;
  /** Where the class came from. */
  readonly classSource: 'field' | 'annotation' | 'default' | 'none';
  /** The IngressClass object, when the workspace defines it. */
  readonly ingressClass?: IngressClass;
  /** The IngressClass the workspace configuration declares, when it does. */
  readonly declared?: DeclaredIngressClass;
  readonly profile: ControllerProfile;
  readonly evidence: IdentifyEvidence;
  /** Controller workloads of the workspace that serve this Ingress. */
  readonly workloads: readonly Workload[];
}

/** Annotations as a plain map (the form semantics/controllers.ts reads). */
export function annotationMap(annotations: readonly Annotation[] | undefined): Record<string, string> {
  const map: Record<string, string> = {};
  for (const a of annotations ?? []) if (!a.value.unknown) map[a.key] = a.value.value;
  return map;
}

function isIngressClass(r: Resource): r is IngressClass {
  return r.type === 'ingressClass' && !r.opaqueIdentity;
}

/** IngressClass objects of a name, the nearest first (variants of a repository may each define one). */
export function ingressClassesNamed(q: ScopeQuery, from: Resource, name: string): IngressClass[] {
  return nearest(from, q.lookup(key.ingressClass(name)).filter(isIngressClass), q).items;
}

/** The default IngressClass: marked `is-default-class` in the workspace, or declared default in the configuration. */
export function defaultClass(q: ScopeQuery, from: Resource): { ingressClass?: IngressClass; declared?: DeclaredIngressClass } | undefined {
  const marked = nearest(from, q.lookup(key.anyIngressClass()).filter(isIngressClass).filter((c) => c.isDefault), q).items[0];
  if (marked) return { ingressClass: marked };
  const declared = q.settings.ingressClasses.find((c) => c.isDefault);
  return declared ? { declared } : undefined;
}

/** The Ingress controllers running in the workspace, with the workload of each. */
export function controllerPods(q: ScopeQuery): { workload: Workload; controller: PodController }[] {
  const out: { workload: Workload; controller: PodController }[] = [];
  for (const resource of q.lookup(key.ingressControllers())) {
    if (resource.type !== 'workload') continue;
    for (const template of podTemplatesOf(resource)) {
      for (const container of template.containers) {
        const c = container.ingressController;
        if (c) out.push({ workload: resource, controller: { profile: profileOf(c.kind), controllerClass: c.controllerClass, ingressClass: c.ingressClass, watchWithoutClass: c.watchWithoutClass } });
      }
    }
  }
  return out;
}

/** `other` is surely applied with `from`: the same file, or the same kustomize build or declared app. */
function appliedWith(q: ScopeQuery, from: Resource, other: Resource): boolean {
  const reach = reachBetween(from, other, q);
  return reach === REACH.file || (reach === REACH.unit && !q.unitOf(from).startsWith('dir:'));
}

export function controllerOf(q: ScopeQuery, ingress: Ingress): ControllerChoice {
  const written = ingress.ingressClassName ?? ingress.classAnnotation;
  const classSource: ControllerChoice['classSource'] = ingress.ingressClassName ? 'field' : ingress.classAnnotation ? 'annotation' : 'none';
  let className = written && !written.unknown ? written.value : '';
  let ingressClass: IngressClass | undefined;
  let declared: DeclaredIngressClass | undefined;
  let source: ControllerChoice['classSource'] = classSource;
  if (className) {
    ingressClass = ingressClassesNamed(q, ingress, className)[0];
    declared = ingressClass ? undefined : q.settings.ingressClasses.find((c) => c.name === className);
  } else if (!written) {
    const fallback = defaultClass(q, ingress);
    ingressClass = fallback?.ingressClass;
    declared = fallback?.declared;
    className = ingressClass?.name?.value ?? declared?.name ?? '';
    if (className) source = 'default';
  }
  const annotationKeys = (ingress.annotations ?? []).map((a) => a.key);
  // A default IngressClass that is not surely applied with the Ingress may belong to another
  // example; an Ingress that names no class but carries one controller's annotations was written
  // for that controller. (A default class in the same file, kustomize build or declared app, or
  // declared in the workspace configuration, is what the DefaultIngressClass admission plugin assigns.)
  const annotated = annotationKinds(annotationKeys);
  if (source === 'default' && ingressClass && annotated.length === 1 && !appliedWith(q, ingress, ingressClass) && annotated[0] !== profileForController(ingressClass.controller?.value ?? '').kind) {
    ingressClass = undefined;
    className = '';
    source = 'none';
  }
  const specController = ingressClass?.controller?.value ?? declared?.controller;
  const pods = controllerPods(q);
  const { profile, evidence } = identifyController({ specController, className: className || undefined, annotationKeys, controllers: pods.map((p) => p.controller) });
  const serving = controllersServing(pods.map((p) => p.controller), { specController, className: className || undefined });
  const workloads = [...new Set(pods.filter((p) => serving.includes(p.controller)).map((p) => p.workload))];
  return { className, classSource: source, ingressClass, declared, profile, evidence, workloads };
}
