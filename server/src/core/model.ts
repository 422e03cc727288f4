/**
 * The facts the engine keeps about each manifest: plain data, extracted once per file version,
 * each carrying the source range it was read from. Nothing here refers to `yaml` nodes, so a
 * summary can be kept for every file of a large workspace without keeping its syntax tree.
 */
import type { Range } from 'vscode-languageserver-types';

/** A value written in a manifest, with where it was written. */
export interface Known<T> {
  readonly value: T;
  readonly range: Range;
  readonly unknown?: undefined;
}

/**
 * A value that cannot be known statically: a Helm/Go template placeholder (`{{ ... }}`) or a node
 * of the wrong shape. Checks that would need it report nothing rather than guess.
 */
export interface Opaque {
  readonly unknown: true;
  readonly range: Range;
  /** Set when a string was written where an integer belongs (`port: "80"`): a decoding error, not a template. */
  readonly wrongType?: string;
}

export type Field<T> = Known<T> | Opaque;

export interface LabelEntry {
  readonly key: string;
  readonly value: string;
  readonly keyRange: Range;
  readonly valueRange: Range;
  /** Added by a kustomization (commonLabels), so not written in this file: no edits point here. */
  readonly injected?: boolean;
}

/** A `map[string]string` of labels (pod template labels, Service selector, matchLabels). */
export interface LabelMap {
  readonly entries: readonly LabelEntry[];
  /** True when some key or value is a template placeholder, so the map is only partly known. */
  readonly partial: boolean;
  /** The range of the map's key (`labels:`, `selector:`), for diagnostics about the map as a whole. */
  readonly range: Range;
}

export type SelectorOperator = 'In' | 'NotIn' | 'Exists' | 'DoesNotExist';

export interface SelectorExpression {
  readonly key: string;
  /** The operator as written; anything but the four valid ones never matches. */
  readonly operator: string;
  readonly values: readonly string[];
  readonly range: Range;
}

/** A `metav1.LabelSelector` (matchLabels + matchExpressions) or an equality-only map selector. */
export interface LabelSelector {
  readonly matchLabels: readonly LabelEntry[];
  readonly expressions: readonly SelectorExpression[];
  readonly partial: boolean;
  readonly range: Range;
}

export type Protocol = string;

export interface ContainerPort {
  readonly name?: Field<string>;
  readonly containerPort?: Field<number>;
  readonly hostPort?: Field<number>;
  /** Defaulted to TCP as the API server does. */
  readonly protocol: Protocol;
  readonly range: Range;
}

export interface Container {
  readonly name: string;
  readonly ports: readonly ContainerPort[];
  /** Sidecar (init container with `restartPolicy: Always`): its named ports resolve since v1.32. */
  readonly sidecar: boolean;
  readonly range: Range;
}

export interface PodTemplate {
  readonly labels: LabelMap;
  /** Containers, then sidecar init containers: the order Kubernetes' FindPort scans them. */
  readonly containers: readonly Container[];
  readonly range: Range;
}

export interface ResourceBase {
  /** Stable while the resource keeps its file, kind, namespace and name. */
  readonly id: string;
  readonly uri: string;
  readonly apiVersion: string;
  readonly kind: string;
  readonly name?: Known<string>;
  /** Effective namespace: `metadata.namespace`, else the configured default; '' for cluster-scoped kinds. */
  readonly namespace: string;
  readonly namespaceRange?: Range;
  /** The whole document (or `List` item). */
  readonly range: Range;
  /** Where to anchor diagnostics about the resource as a whole: its name, else its kind. */
  readonly anchor: Range;
  readonly apiVersionRange: Range;
  /** `metadata.labels` of the object itself (not of its pods). */
  readonly labels?: LabelMap;
  /** True when the identity (kind, name or namespace) is a template placeholder. */
  readonly opaqueIdentity: boolean;
}

export type WorkloadKind =
  | 'Deployment'
  | 'StatefulSet'
  | 'DaemonSet'
  | 'ReplicaSet'
  | 'ReplicationController'
  | 'Job'
  | 'CronJob'
  | 'Pod'
  | 'DeploymentConfig';

export interface Workload extends ResourceBase {
  readonly type: 'workload';
  readonly kind: WorkloadKind;
  readonly selector?: LabelSelector;
  /** Present when the kind uses `spec.selector` as a map (ReplicationController, DeploymentConfig). */
  readonly selectorIsMap: boolean;
  readonly template?: PodTemplate;
  readonly replicas?: Field<number>;
  readonly manualSelector: boolean;
}

export interface ServicePort {
  readonly range: Range;
  readonly name?: Field<string>;
  readonly protocol: Known<Protocol> | { readonly value: Protocol; readonly range?: undefined };
  readonly port?: Field<number>;
  /** After defaulting: when omitted, equal to `port` with `defaulted: true`. */
  readonly targetPort?: Field<number | string> & { readonly defaulted?: boolean };
  readonly nodePort?: Field<number>;
}

export type ServiceType = 'ClusterIP' | 'NodePort' | 'LoadBalancer' | 'ExternalName';

export interface Service extends ResourceBase {
  readonly type: 'service';
  /** After defaulting to ClusterIP; `range` is absent when defaulted. */
  readonly serviceType: { readonly value: string; readonly range?: Range };
  readonly headless: boolean;
  readonly selector?: LabelMap;
  readonly ports: readonly ServicePort[];
  readonly externalTrafficPolicy?: Field<string>;
  readonly healthCheckNodePort?: Field<number>;
  readonly hasExternalIPs: boolean;
}

export interface BackendService {
  readonly name: Field<string>;
  /** `port.number` / integer `servicePort` → number; `port.name` / string `servicePort` → string. */
  readonly port?: Field<number | string>;
}

export interface IngressBackend {
  readonly range: Range;
  readonly service?: BackendService;
  /** `backend.resource` (a non-Service backend), never checked against Services. */
  readonly isResource: boolean;
  /** Written in the removed v1beta1 form (`serviceName` / `servicePort`). */
  readonly legacy: boolean;
}

export interface IngressPath {
  readonly range: Range;
  readonly path?: Field<string>;
  readonly pathType?: Known<string>;
  readonly backend?: IngressBackend;
}

export interface IngressRule {
  readonly range: Range;
  readonly host?: Field<string>;
  readonly paths: readonly IngressPath[];
}

export interface Ingress extends ResourceBase {
  readonly type: 'ingress';
  readonly removedApi: boolean;
  readonly ingressClassName?: Field<string>;
  /** `kubernetes.io/ingress.class` annotation value. */
  readonly classAnnotation?: Field<string>;
  readonly rewriteTarget?: Field<string>;
  readonly useRegex: boolean;
  readonly canary: boolean;
  readonly rules: readonly IngressRule[];
  readonly defaultBackend?: IngressBackend;
}

export interface IngressClass extends ResourceBase {
  readonly type: 'ingressClass';
  readonly removedApi: boolean;
  readonly controller?: Known<string>;
  readonly isDefault: boolean;
}

export interface ScaleTargetRef {
  readonly range: Range;
  readonly kind?: Field<string>;
  readonly name?: Field<string>;
  readonly apiVersion?: Known<string>;
}

export interface Hpa extends ResourceBase {
  readonly type: 'hpa';
  readonly scaleTargetRef?: ScaleTargetRef;
  readonly minReplicas?: Field<number>;
  readonly maxReplicas?: Field<number>;
}

/** Any other object: it still has an identity (duplicates, HPA targets that are custom resources). */
export interface OtherResource extends ResourceBase {
  readonly type: 'other';
  /** For MetalLB `IPAddressPool`s: the addresses it hands to LoadBalancer Services. */
  readonly addresses?: readonly string[];
}

export type Resource = Workload | Service | Ingress | IngressClass | Hpa | OtherResource;

export interface SyntaxProblem {
  readonly message: string;
  readonly range: Range;
}

/** How the engine treats a file as a whole. */
export type FileRole =
  /** Kubernetes manifests: indexed and checked. */
  | 'manifests'
  /** YAML that is not Kubernetes (CI workflows, compose files, Helm values): left alone. */
  | 'other'
  /** A Helm/Go template that is not valid YAML before rendering: left alone. */
  | 'template'
  /** A kustomization file: read only for the patch files it names. */
  | 'kustomization';

export interface PlainLabel {
  readonly key: string;
  readonly value: string;
}

/**
 * The parts of a kustomization that change how the files it names must be read: patches are
 * partial objects, `namespace` overrides namespaces, and labels are added to objects, selectors
 * and pod templates (kustomize's commonLabels / labels field specs).
 */
export interface Kustomization {
  readonly patchUris: readonly string[];
  readonly resourceUris: readonly string[];
  readonly namespace?: string;
  /** commonLabels, and labels with includeSelectors: objects, selectors and pod templates. */
  readonly selectorLabels: readonly PlainLabel[];
  /** labels with includeTemplates: objects and pod templates. */
  readonly templateLabels: readonly PlainLabel[];
  /** Other labels: objects only. */
  readonly metadataLabels: readonly PlainLabel[];
}

export interface FileSummary {
  readonly uri: string;
  readonly role: FileRole;
  readonly resources: readonly Resource[];
  readonly syntaxProblems: readonly SyntaxProblem[];
  /** For kustomization files: what it does to the files it names. */
  readonly kustomization?: Kustomization;
  /** Why the file was not analysed at all (too large, binary), for logs and the CLI. */
  readonly skippedReason?: string;
}
