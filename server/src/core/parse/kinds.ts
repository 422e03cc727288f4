/** Which kinds the engine models, and how their apiVersions are read. */
import type { WorkloadKind } from '../model';

export function apiGroup(apiVersion: string): string {
  const slash = apiVersion.indexOf('/');
  return slash < 0 ? '' : apiVersion.slice(0, slash);
}

/** Where a workload kind keeps its pod template and how its selector is written. */
export interface WorkloadShape {
  readonly groups: readonly string[];
  /** Path from the object root to the pod template (`metadata` + `spec`); empty for a bare Pod. */
  readonly templatePath: readonly string[];
  /** Path to the selector, or undefined when the kind has none. */
  readonly selectorPath?: readonly string[];
  /** Equality-only map selector (ReplicationController, DeploymentConfig) instead of a LabelSelector. */
  readonly selectorIsMap: boolean;
  /** Further pod templates (LeaderWorkerSet's leader template), when present. */
  readonly extraTemplatePaths?: readonly (readonly string[])[];
}

const APPS = ['apps', 'extensions'];

export const WORKLOAD_SHAPES: Readonly<Record<WorkloadKind, WorkloadShape>> = {
  Deployment: { groups: APPS, templatePath: ['spec', 'template'], selectorPath: ['spec', 'selector'], selectorIsMap: false },
  StatefulSet: { groups: APPS, templatePath: ['spec', 'template'], selectorPath: ['spec', 'selector'], selectorIsMap: false },
  DaemonSet: { groups: APPS, templatePath: ['spec', 'template'], selectorPath: ['spec', 'selector'], selectorIsMap: false },
  ReplicaSet: { groups: APPS, templatePath: ['spec', 'template'], selectorPath: ['spec', 'selector'], selectorIsMap: false },
  ReplicationController: { groups: [''], templatePath: ['spec', 'template'], selectorPath: ['spec', 'selector'], selectorIsMap: true },
  Job: { groups: ['batch'], templatePath: ['spec', 'template'], selectorPath: ['spec', 'selector'], selectorIsMap: false },
  CronJob: {
    groups: ['batch'],
    templatePath: ['spec', 'jobTemplate', 'spec', 'template'],
    selectorPath: ['spec', 'jobTemplate', 'spec', 'selector'],
    selectorIsMap: false,
  },
  Pod: { groups: [''], templatePath: [], selectorIsMap: false },
  DeploymentConfig: { groups: ['apps.openshift.io', ''], templatePath: ['spec', 'template'], selectorPath: ['spec', 'selector'], selectorIsMap: true },
  // Argo Rollouts: a Deployment-like object; `spec.workloadRef` instead of a template is read too.
  Rollout: { groups: ['argoproj.io'], templatePath: ['spec', 'template'], selectorPath: ['spec', 'selector'], selectorIsMap: false },
  // LeaderWorkerSet (sigs.k8s.io/lws): a group of pods per replica from a worker and an optional leader template.
  LeaderWorkerSet: {
    groups: ['leaderworkerset.x-k8s.io'],
    templatePath: ['spec', 'leaderWorkerTemplate', 'workerTemplate'],
    selectorIsMap: false,
    extraTemplatePaths: [['spec', 'leaderWorkerTemplate', 'leaderTemplate']],
  },
};

/** The shape of a custom resource read only because it carries a pod template at `spec.template`. */
export const CUSTOM_WORKLOAD_SHAPE: WorkloadShape = { groups: [], templatePath: ['spec', 'template'], selectorIsMap: false };

/** API groups whose kinds are Kubernetes' own: a `spec.template` there is never an operator's pod template. */
export function isBuiltInGroup(apiVersion: string): boolean {
  const group = apiGroup(apiVersion);
  return group === '' || group.endsWith('.k8s.io') || !group.includes('.') || group === 'apps.openshift.io';
}

export function workloadKind(kind: string, apiVersion: string): WorkloadKind | undefined {
  if (!Object.prototype.hasOwnProperty.call(WORKLOAD_SHAPES, kind)) return undefined;
  const shape = WORKLOAD_SHAPES[kind as WorkloadKind];
  return shape.groups.includes(apiGroup(apiVersion)) ? (kind as WorkloadKind) : undefined;
}

/** Workload kinds an HPA can scale (they have a `scale` subresource). */
export const SCALABLE_KINDS: ReadonlySet<string> = new Set([
  'Deployment',
  'StatefulSet',
  'ReplicaSet',
  'ReplicationController',
  'DeploymentConfig',
]);

/** apps/v1 kinds whose `spec.selector` the API server requires (older API versions defaulted it). */
export function selectorRequired(kind: string, apiVersion: string): boolean {
  const strict = apiVersion === 'apps/v1' || apiVersion === 'apps/v1beta2';
  return strict && ['Deployment', 'StatefulSet', 'DaemonSet', 'ReplicaSet'].includes(kind);
}

export const REMOVED_INGRESS_API_VERSIONS: ReadonlySet<string> = new Set([
  'extensions/v1beta1',
  'networking.k8s.io/v1beta1',
]);

export function isIngress(kind: string, apiVersion: string): boolean {
  return kind === 'Ingress' && (apiVersion === 'networking.k8s.io/v1' || REMOVED_INGRESS_API_VERSIONS.has(apiVersion));
}

export function isIngressClass(kind: string, apiVersion: string): boolean {
  return kind === 'IngressClass' && apiGroup(apiVersion) === 'networking.k8s.io';
}

export function isService(kind: string, apiVersion: string): boolean {
  return kind === 'Service' && apiVersion === 'v1';
}

export function isHpa(kind: string, apiVersion: string): boolean {
  return kind === 'HorizontalPodAutoscaler' && apiGroup(apiVersion) === 'autoscaling';
}

/** Kinds that live outside namespaces, so `metadata.namespace` and the default do not apply. */
export const CLUSTER_SCOPED_KINDS: ReadonlySet<string> = new Set([
  'Namespace',
  'Node',
  'PersistentVolume',
  'StorageClass',
  'IngressClass',
  'GatewayClass',
  'ClusterRole',
  'ClusterRoleBinding',
  'CustomResourceDefinition',
  'APIService',
  'PriorityClass',
  'RuntimeClass',
  'CSIDriver',
  'CSINode',
  'VolumeAttachment',
  'ValidatingWebhookConfiguration',
  'MutatingWebhookConfiguration',
  'ValidatingAdmissionPolicy',
  'ValidatingAdmissionPolicyBinding',
  'PodSecurityPolicy',
  'CertificateSigningRequest',
  'FlowSchema',
  'PriorityLevelConfiguration',
  'ClusterIssuer',
  'GatewayClass',
  'VolumeSnapshotClass',
  'SecurityContextConstraints',
  'ComponentStatus',
]);

/** apiVersion groups of configuration files that look like objects but are never applied to a cluster. */
const CONFIG_ONLY_GROUPS: ReadonlySet<string> = new Set([
  'kustomize.config.k8s.io',
  'config.kubernetes.io',
  'kubeadm.k8s.io',
  'kubelet.config.k8s.io',
  'kubeproxy.config.k8s.io',
  'apiserver.config.k8s.io',
  'kind.x-k8s.io',
  'skaffold',
]);

export function isConfigOnly(apiVersion: string): boolean {
  const group = apiGroup(apiVersion);
  return CONFIG_ONLY_GROUPS.has(group) || apiVersion.startsWith('skaffold/');
}
