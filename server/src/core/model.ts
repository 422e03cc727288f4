/**
 * The facts the engine keeps about each manifest: plain data, extracted once per file version,
 * each carrying the source range it was read from. Nothing here refers to `yaml` nodes, so a
 * summary can be kept for every file of a large workspace without keeping its syntax tree.
 */
import type { Range } from 'vscode-languageserver-types';
import type { RouteTestFile } from './routeTests/routeTestFile';

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

/** The value of a field when it is known (written, not templated); undefined otherwise. */
export function known<T>(field: { readonly unknown?: boolean; readonly value?: T } | undefined): T | undefined {
  return field && !field.unknown ? field.value : undefined;
}

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
  /**
   * When the container is an Ingress controller (recognised by its image or arguments,
   * semantics/controllers.ts): which controller, and the classes its arguments make it serve.
   */
  readonly ingressController?: ContainerController;
  /** Ports its liveness, readiness and startup probes check (numbers, or names of its ports). */
  readonly probePorts?: readonly (number | string)[];
  /** Port numbers the container's arguments or environment mention (`--port=8080`, `PORT=8080`): ports it may listen on without declaring them. */
  readonly mentionedPorts?: readonly number[];
  /** Sidecar (init container with `restartPolicy: Always`): its named ports resolve since v1.32. */
  readonly sidecar: boolean;
  readonly range: Range;
}

/**
 * A label the workload's controller puts on every pod it creates, beyond the template's own:
 * `job-name` (Job), `pod-template-hash` (Deployment), `statefulset.kubernetes.io/pod-name`, ….
 * `value` when the controller's value is known from the manifest, else `prefix` when only its
 * start is (`web-` for the pods of StatefulSet `web`), else any value.
 */
export interface GeneratedLabel {
  readonly key: string;
  readonly value?: string;
  readonly prefix?: string;
  /** With `prefix`: the rest is a number (StatefulSet pod names are `<name>-<ordinal>`). */
  readonly ordinal?: true;
}

export interface ContainerController {
  readonly kind: 'ingress-nginx' | 'nginx-inc' | 'aws-alb' | 'gce' | 'traefik' | 'unknown';
  readonly controllerClass?: string;
  readonly ingressClass?: string;
  readonly watchWithoutClass?: boolean;
}

export interface PodTemplate {
  readonly labels: LabelMap;
  /** Labels the controller adds to the pods (see GeneratedLabel); never written in the manifest. */
  readonly generatedLabels: readonly GeneratedLabel[];
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
  /**
   * A hash of the document's text (comments and blank lines aside): two copies with the same
   * fingerprint are byte-identical, so applying both loses nothing.
   */
  readonly fingerprint: number;
  /** `metadata.creationTimestamp` when the manifest carries one (exported objects do). */
  readonly creationTimestamp?: string;
  /** The object carries fields the API server sets (`metadata.resourceVersion` or `uid`): a copy exported from a cluster, not a source manifest. */
  readonly exported: boolean;
  /** Annotations the engine reads (controller-specific ones), with their ranges. */
  readonly annotations?: readonly Annotation[];
  /**
   * Set on the objects of a kustomize build: the root kustomization whose `kustomize build`
   * produces this object, and the id of the object as written in its file. The object's `uri`
   * stays the file it was written in.
   */
  readonly build?: BuildOrigin;
  /** Which document of the file (0-based) holds the object, and which item of a `List`. */
  readonly docIndex: number;
  readonly itemIndex?: number;
}

export interface Annotation {
  readonly key: string;
  readonly value: Field<string>;
}

export interface BuildOrigin {
  /** URI of the root kustomization file. */
  readonly root: string;
  /** Kustomizations from the root down to the one listing the file (root first). */
  readonly chain: readonly string[];
  /** The id of the object in its own file (without the build). */
  readonly sourceId: string;
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
  | 'DeploymentConfig'
  | 'Rollout'
  | 'LeaderWorkerSet';

export interface Workload extends ResourceBase {
  readonly type: 'workload';
  /** A built-in or well-known workload kind, or any custom kind whose `spec.template` is a pod template. */
  readonly kind: WorkloadKind | string;
  /** True for custom resources read only because they carry a pod template (an operator makes their pods). */
  readonly custom: boolean;
  /** Only part of a workload (no containers, or no images, selector and labels): a patch or a snippet; its selector is not checked. */
  readonly fragment: boolean;
  /** Further pod templates of the same object (LeaderWorkerSet's leader template). */
  readonly extraTemplates?: readonly PodTemplate[];
  /** Argo Rollouts `spec.workloadRef`: the Deployment whose pod template the Rollout runs. */
  readonly workloadRef?: { readonly kind: string; readonly name: Field<string> };
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
  /** The hosts of `spec.tls[].hosts`, and how many `spec.tls` entries there are (ingress-nginx gives every host of an Ingress with any a certificate). */
  readonly tlsHosts: readonly string[];
  readonly tlsEntries: number;
  /** `spec.tls` as written: each entry's hosts and secret. */
  readonly tls: readonly { readonly hosts: readonly string[]; readonly secretName?: string }[];
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
  /**
   * Set on the one marker the index keeps for a template file (Go/Helm/Jinja that is not YAML
   * before rendering): objects it renders may satisfy references from its folder.
   */
  readonly templateMarker?: true;
  /** For MetalLB `IPAddressPool`s: the addresses it hands to LoadBalancer Services. */
  readonly addresses?: readonly string[];
}

// ── Gateway API (gateway.networking.k8s.io; every served and older apiVersion: v1, v1beta1,
// v1alpha2, v1alpha3 are read as the same kinds). Defaults are applied while extracting, as the
// CRDs' OpenAPI defaults would (docs: gateway-api-semantics.md §3–§11).

/** `{group, kind}` as written, with the CRD's defaults applied. */
export interface GroupKind {
  readonly group: string;
  readonly kind: string;
  readonly range: Range;
}

/** A Gateway listener (or a ListenerSet's). */
export interface Listener {
  readonly range: Range;
  readonly name?: Field<string>;
  readonly port?: Field<number>;
  readonly protocol?: Field<string>;
  /** Absent: every hostname. */
  readonly hostname?: Field<string>;
  readonly tls?: ListenerTls;
  readonly allowedRoutes: AllowedRoutes;
}

export interface ListenerTls {
  readonly range: Range;
  /** `Terminate` by default. */
  readonly mode: { readonly value: string; readonly range?: Range };
  readonly certificateRefs: readonly SecretRef[];
  /** `tls.options` has entries (the CRD accepts Terminate with options instead of certificateRefs). */
  readonly hasOptions?: true;
}

export interface SecretRef {
  readonly range: Range;
  readonly group: string;
  readonly kind: string;
  readonly kindRange?: Range;
  /** Defaulted to the referrer's namespace. */
  readonly namespace: string;
  readonly namespaceRange?: Range;
  readonly name?: Field<string>;
}

export interface AllowedRoutes {
  readonly range?: Range;
  /** `Same` by default. */
  readonly from: { readonly value: string; readonly range?: Range };
  readonly selector?: LabelSelector;
  /** Empty: the kinds the protocol implies. */
  readonly kinds: readonly GroupKind[];
}

export interface GatewayClass extends ResourceBase {
  readonly type: 'gatewayClass';
  readonly controllerName?: Field<string>;
}

/** A Gateway, or a ListenerSet (listeners that attach to a Gateway: `parentRef`). */
export interface Gateway extends ResourceBase {
  readonly type: 'gateway';
  readonly gatewayClassName?: Field<string>;
  readonly listeners: readonly Listener[];
  /** Which ListenerSets may attach (`spec.allowedListeners.namespaces.from`, `None` by default). */
  readonly allowedListeners: { readonly from: string; readonly selector?: LabelSelector };
  /** Set for a ListenerSet: the Gateway it adds listeners to. */
  readonly parentRef?: RouteParentRef;
}

export type RouteKind = 'HTTPRoute' | 'GRPCRoute' | 'TLSRoute' | 'TCPRoute' | 'UDPRoute';

export interface RouteParentRef {
  readonly range: Range;
  /** `gateway.networking.k8s.io` by default. */
  readonly group: string;
  /** `Gateway` by default (`ListenerSet`, or `Service` for a mesh). */
  readonly kind: string;
  /** Defaulted to the route's namespace. */
  readonly namespace: string;
  readonly namespaceRange?: Range;
  readonly name?: Field<string>;
  readonly sectionName?: Field<string>;
  readonly port?: Field<number>;
}

export interface HttpHeaderMatch {
  readonly range: Range;
  /** `Exact` by default. */
  readonly type: string;
  readonly name?: Field<string>;
  readonly value?: Field<string>;
}

export interface RouteMatch {
  readonly range: Range;
  /** `{type: PathPrefix, value: /}` when not written (`defaulted`). */
  readonly path: { readonly type: string; readonly typeRange?: Range; readonly value: Field<string>; readonly range?: Range; readonly defaulted: boolean };
  readonly headers: readonly HttpHeaderMatch[];
  readonly queryParams: readonly HttpHeaderMatch[];
  readonly method?: Field<string>;
  /** GRPCRoute `method: {service, method}`. */
  readonly grpc?: { readonly type: string; readonly service?: Field<string>; readonly method?: Field<string> };
}

export interface PathModifier {
  readonly range: Range;
  readonly type?: Field<string>;
  readonly replaceFullPath?: Field<string>;
  readonly replacePrefixMatch?: Field<string>;
}

export interface RouteFilter {
  readonly range: Range;
  readonly type?: Field<string>;
  readonly requestRedirect?: {
    readonly range: Range;
    readonly scheme?: Field<string>;
    readonly hostname?: Field<string>;
    readonly port?: Field<number>;
    readonly path?: PathModifier;
    readonly statusCode?: Field<number>;
  };
  readonly urlRewrite?: { readonly range: Range; readonly hostname?: Field<string>; readonly path?: PathModifier };
  /** Which of the typed fields are present (requestHeaderModifier, requestMirror, …): the CRD wants the one `type` names. */
  readonly fields: readonly string[];
  readonly mirror?: GatewayBackendRef;
}

export interface GatewayBackendRef {
  readonly range: Range;
  /** `""` (core) by default. */
  readonly group: string;
  /** `Service` by default. */
  readonly kind: string;
  readonly kindRange?: Range;
  /** Defaulted to the route's namespace. */
  readonly namespace: string;
  readonly namespaceRange?: Range;
  readonly name?: Field<string>;
  readonly port?: Field<number>;
  /** 1 by default; 0 sends nothing. */
  readonly weight: Field<number>;
  readonly filters: readonly RouteFilter[];
}

export interface RouteRule {
  readonly range: Range;
  readonly name?: Field<string>;
  /** One `PathPrefix /` match when none is written (`matchesDefaulted`). */
  readonly matches: readonly RouteMatch[];
  readonly matchesDefaulted: boolean;
  readonly filters: readonly RouteFilter[];
  readonly backendRefs: readonly GatewayBackendRef[];
}

export interface GatewayRoute extends ResourceBase {
  readonly type: 'route';
  readonly routeKind: RouteKind;
  readonly parentRefs: readonly RouteParentRef[];
  readonly hostnames: readonly Field<string>[];
  /** One catch-all rule without backends when `rules` is omitted (`rulesDefaulted`): it answers 500. */
  readonly rules: readonly RouteRule[];
  readonly rulesDefaulted: boolean;
}

export interface ReferenceGrant extends ResourceBase {
  readonly type: 'referenceGrant';
  readonly from: readonly (GroupKind & { readonly namespace: string })[];
  readonly to: readonly (GroupKind & { readonly name?: string })[];
}

export type Resource = Workload | Service | Ingress | IngressClass | Hpa | GatewayClass | Gateway | GatewayRoute | ReferenceGrant | OtherResource;

export interface SyntaxProblem {
  readonly message: string;
  readonly range: Range;
  /** Problems kubectl tolerates (a duplicate key: the last value wins) are warnings. */
  readonly severity?: 'warning';
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
  | 'kustomization'
  /** The workspace configuration (`.kube-route-lens.yaml`). */
  | 'config';

export interface PlainLabel {
  readonly key: string;
  readonly value: string;
}

/** A path a kustomization names (`resources`, `bases`, `components`): a file or a directory, resolved to a URI. */
export interface KustomizationEntry {
  readonly uri: string;
  readonly range: Range;
}

/** Which objects a patch applies to (kustomize's `target`): every field given must match; `name` and `namespace` are regular expressions. */
export interface PatchTarget {
  readonly group?: string;
  readonly version?: string;
  readonly kind?: string;
  readonly name?: string;
  readonly namespace?: string;
  readonly labelSelector?: string;
  readonly annotationSelector?: string;
}

/**
 * A patch of a kustomization, in the order kustomize applies them. `strategic` patches are
 * partial objects (their own apiVersion/kind/name say what they patch unless `target` does),
 * `json6902` patches are lists of RFC 6902 operations; `patches:` entries are either, told apart by
 * their content.
 */
export interface KustomizePatch {
  readonly form: 'strategic' | 'json6902' | 'either';
  /** The patch file, or undefined for an inline patch. */
  readonly uri?: string;
  /** An inline patch: its text, and where that text starts in the kustomization file (line and column of its first character; the lines of a block scalar keep `column` as indentation). */
  readonly inline?: { readonly text: string; readonly line: number; readonly column: number; readonly block: boolean };
  readonly target?: PatchTarget;
  /** Where the patch is named in the kustomization. */
  readonly range: Range;
}

/**
 * What a kustomization file says (kustomize's `kustomize build` semantics, applied by
 * workspace/builds.ts): the resources and components it includes, its patches, and the
 * transformations it applies to everything it includes.
 */
export interface Kustomization {
  readonly isComponent: boolean;
  /** `resources` then the deprecated `bases`, in order (remote URLs are left out). */
  readonly resources: readonly KustomizationEntry[];
  readonly components: readonly KustomizationEntry[];
  /** patchesStrategicMerge, then patches, then patchesJson6902 (their order of application is kustomize's, see builds.ts). */
  readonly patches: readonly KustomizePatch[];
  readonly namespace?: Known<string>;
  readonly namePrefix?: Known<string>;
  readonly nameSuffix?: Known<string>;
  /** commonLabels, and labels with includeSelectors: objects, selectors and pod templates. */
  readonly selectorLabels: readonly PlainLabel[];
  /** labels with includeTemplates: objects and pod templates. */
  readonly templateLabels: readonly PlainLabel[];
  /** Other labels: objects only. */
  readonly metadataLabels: readonly PlainLabel[];
  /** `replicas:` overrides, by workload name. */
  readonly replicas: readonly { readonly name: string; readonly count: Known<number> }[];
  /** ConfigMaps and Secrets that configMapGenerator / secretGenerator create. */
  readonly generated: readonly { readonly kind: 'ConfigMap' | 'Secret'; readonly name: Known<string>; readonly type?: string }[];
  /** Where the kustomization's own fields are: the file, for transformations with no field of their own to point at. */
  readonly range: Range;
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
  /** For the workspace configuration file. */
  readonly config?: WorkspaceConfig;
  /** For a route test file (`*.routes.yaml`): its tests and its format problems (routeTests/routeTestFile.ts). */
  readonly routeTests?: RouteTestFile;
}

/** An IngressClass the cluster has although the workspace does not define it. */
export interface DeclaredIngressClass {
  readonly name: string;
  readonly controller: string;
  readonly isDefault: boolean;
}

/**
 * `.kube-route-lens.yaml`: what the repository's owners say about how its folders are applied.
 * Paths are globs relative to the folder of the configuration file.
 */
export interface WorkspaceConfig {
  /** Folders that each hold one independent app: all their files are applied together. */
  readonly apps: readonly string[];
  /** Folders whose files (or sub-folders) are alternatives of each other: never applied together. */
  readonly alternatives: readonly string[];
  /** Files and folders to leave out entirely. */
  readonly ignore: readonly string[];
  readonly cluster: {
    readonly defaultNamespace?: string;
    readonly nodePortRange?: { readonly min: number; readonly max: number };
    readonly ingressClasses: readonly DeclaredIngressClass[];
  };
}
