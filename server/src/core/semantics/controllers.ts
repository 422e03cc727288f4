/**
 * Which Ingress controller serves an Ingress, and the rules that differ between controllers.
 *
 * One profile per controller (data plus a few small functions). Everything is pure: inputs are
 * plain strings and annotation maps, so the rules and the language server can feed it from the
 * model without this module knowing the model.
 *
 * What differs between controllers, in short:
 * - path matching per pathType (`pathMatches`, and per controller `gcePathPatterns`,
 *   `albPathPatterns`, `nginxIncLocation`, `traefikRouter`);
 * - whether two Ingresses with the same host share one proxy at all (`sharedHost`);
 * - whether ClusterIP backends are enough (`needsNodePortBackends` on the profile);
 * - controller-only backends (`albAction` for ALB's `use-annotation`).
 * An unknown controller gets the Kubernetes semantics only: `Exact`, element-wise `Prefix`,
 * `ImplementationSpecific` undefined.
 */
import { compileRegex } from './safeRegex';
import { matchesNormal, matchesPrefix, matchesRegex } from './pathMatching';

export type Annotations = Readonly<Record<string, string>>;

export type ControllerKind = 'ingress-nginx' | 'nginx-inc' | 'aws-alb' | 'gce' | 'traefik' | 'unknown';

/** How paths match; one value per family of semantics. */
export type PathMatching = 'ingress-nginx' | 'nginx-inc' | 'alb-pattern' | 'gce-glob' | 'traefik' | 'kubernetes';

/**
 * What happens when two Ingresses served by the same controller name the same host:
 * - `merged`: one proxy; the rules of both apply, a same host+path is decided by controller order;
 * - `alb-group`: one ALB only when both are in the same explicit IngressGroup, else separate;
 * - `separate`: every Ingress gets its own load balancer, so no routing conflict is possible;
 * - `oldest-wins`: the host goes to one Ingress (oldest), the other is ignored for that host,
 *   unless both are mergeable master/minion Ingresses;
 * - `unspecified`: Kubernetes says nothing.
 */
export type HostSharing = 'merged' | 'alb-group' | 'separate' | 'oldest-wins' | 'unspecified';

/** What a controller pod's image and arguments say about the Ingresses it serves. */
export interface PodControllerSettings {
  /** The IngressClass `spec.controller` value it claims. */
  readonly controllerClass?: string;
  /** The class name it serves (legacy `kubernetes.io/ingress.class` value and/or IngressClass name). */
  readonly ingressClass?: string;
  /** Whether it also serves Ingresses that name no class at all. */
  readonly watchWithoutClass?: boolean;
  /** Traefik only: false when the Kubernetes Ingress provider is not enabled in its arguments. */
  readonly servesIngresses?: boolean;
}

export interface ControllerProfile {
  readonly kind: ControllerKind;
  readonly displayName: string;
  /** IngressClass `spec.controller` values that select this controller. */
  readonly controllerNames: readonly string[];
  /** Class names it serves out of the box (IngressClass name / legacy annotation value). */
  readonly defaultClassNames: readonly string[];
  /** Annotation key prefixes only this controller reads. */
  readonly annotationPrefixes: readonly string[];
  /** Individual annotation keys only this controller reads (outside its prefixes). */
  readonly annotationKeys: readonly string[];
  /** Container images of the controller. */
  readonly images: readonly RegExp[];
  readonly pathMatching: PathMatching;
  readonly hostSharing: HostSharing;
  /**
   * ingress-nginx semantics (`nginx.ingress.kubernetes.io/*`, regex mode, rewrite-target, the
   * `validate.nginx.ingress.kubernetes.io` admission webhook) apply only when true.
   */
  readonly ingressNginxSemantics: boolean;
  /**
   * Whether backends must be NodePort/LoadBalancer Services. `undefined`: it depends on the
   * cluster and the manifests cannot tell.
   */
  needsNodePortBackends(ingressAnnotations: Annotations, serviceAnnotations: Annotations): boolean | undefined;
  /** Settings from the controller container's arguments (defaults when a flag is absent). */
  fromArgs(args: ArgMap): PodControllerSettings;
}

// ---------------------------------------------------------------------------------------------
// Command-line arguments

/** Parsed container arguments: flag name (lowercase, no leading dashes) → value (`true` when bare). */
export type ArgMap = ReadonlyMap<string, string | true>;

/** Flags whose value may be the next argument (`--ingress-class nginx`). Boolean flags never take it. */
const VALUE_FLAGS = new Set(['ingress-class', 'controller-class', 'providers.kubernetesingress.ingressclass']);

/** Go `flag`/`pflag` style: `-f=v`, `--f=v`, `--f v` (value flags only), bare `--f` (boolean). */
export function parseArgs(args: readonly string[]): ArgMap {
  const map = new Map<string, string | true>();
  for (let i = 0; i < args.length; i++) {
    const arg = args[i];
    const flag = /^--?([^-=][^=]*)(?:=([\s\S]*))?$/.exec(arg);
    if (!flag) continue;
    const name = flag[1].toLowerCase();
    if (flag[2] !== undefined) {
      map.set(name, flag[2]);
    } else if (VALUE_FLAGS.has(name) && i + 1 < args.length && !args[i + 1].startsWith('-')) {
      map.set(name, args[++i]);
    } else {
      map.set(name, true);
    }
  }
  return map;
}

/** Go `strconv.ParseBool`; a bare boolean flag is true. Undefined when absent or not a boolean. */
function boolFlag(args: ArgMap, name: string): boolean | undefined {
  const value = args.get(name);
  if (value === undefined) return undefined;
  if (value === true) return true;
  if (['1', 't', 'T', 'TRUE', 'true', 'True'].includes(value)) return true;
  if (['0', 'f', 'F', 'FALSE', 'false', 'False'].includes(value)) return false;
  return undefined;
}

function stringFlag(args: ArgMap, name: string): string | undefined {
  const value = args.get(name);
  return typeof value === 'string' ? value : undefined;
}

// ---------------------------------------------------------------------------------------------
// Profiles

/*
 * ingress-nginx (kubernetes/ingress-nginx)
 * Sources:
 * - Flags: docs/user-guide/cli-arguments.md (`--ingress-class`, `--controller-class` default
 *   `k8s.io/ingress-nginx`, `--watch-ingress-without-class` default false); the project's deploy
 *   manifests run `/nginx-ingress-controller --controller-class=k8s.io/ingress-nginx
 *   --ingress-class=nginx` with image `registry.k8s.io/ingress-nginx/controller`.
 * - Path matching, regex mode, rewrite-target: docs/user-guide/ingress-path-matching.md (modelled
 *   in ./pathMatching.ts and ./nginx.ts).
 * - Backends: the controller proxies to endpoints, so ClusterIP Services are enough.
 */
const INGRESS_NGINX: ControllerProfile = {
  kind: 'ingress-nginx',
  displayName: 'ingress-nginx',
  controllerNames: ['k8s.io/ingress-nginx'],
  defaultClassNames: ['nginx'],
  annotationPrefixes: ['nginx.ingress.kubernetes.io/'],
  annotationKeys: [],
  images: [/(^|\/)ingress-nginx\/controller(-chroot)?([:@]|$)/, /(^|\/)nginx-ingress-controller([:@]|$)/],
  pathMatching: 'ingress-nginx',
  hostSharing: 'merged',
  ingressNginxSemantics: true,
  needsNodePortBackends: () => false,
  fromArgs: (args) => ({
    controllerClass: stringFlag(args, 'controller-class') ?? 'k8s.io/ingress-nginx',
    ingressClass: stringFlag(args, 'ingress-class') ?? 'nginx',
    watchWithoutClass: boolFlag(args, 'watch-ingress-without-class') ?? false,
  }),
};

/*
 * NGINX Ingress Controller by NGINX Inc / F5 (nginx/kubernetes-ingress). NOT ingress-nginx:
 * `nginx.ingress.kubernetes.io/*`, regex mode, rewrite-target and the ingress-nginx admission
 * webhook do not apply.
 * Sources:
 * - IngressClass controller `nginx.org/ingress-controller`: deployments/common/ingress-class.yaml
 *   and the Helm chart's IngressClass template.
 * - `-ingress-class` (default `nginx`; only Ingresses of that class are processed; the legacy
 *   annotation takes precedence over `ingressClassName`): docs "Run multiple NGINX Ingress
 *   Controllers", Helm chart README `controller.ingressClass`, internal/k8s/controller.go
 *   `HasCorrectIngressClass`.
 * - Paths: internal/configs/ingress.go `generateIngressPath` (Exact → `location = /p`, otherwise
 *   `location /p`, an nginx character prefix) and internal/configs/annotations.go
 *   `makePathWithRegex` (`nginx.org/path-regex`: case_sensitive → `~ "^p"`, case_insensitive →
 *   `~* "^p"`, exact → `= "p"`).
 * - Same host: docs "Host and Listener collisions" — the oldest resource (creationTimestamp, then
 *   smallest uid) wins the host; only mergeable Ingresses (`nginx.org/mergeable-ingress-type:
 *   master|minion`, examples/ingress-resources/mergeable-ingress-types/README.md) share it: one
 *   master per host, no paths on the master, minions add paths; a path in two minions goes to the
 *   oldest minion.
 * - Images: `nginx/nginx-ingress`, `private-registry.nginx.com/nginx-ic/nginx-plus-ingress`.
 */
const NGINX_INC: ControllerProfile = {
  kind: 'nginx-inc',
  displayName: 'NGINX Ingress Controller (NGINX Inc/F5)',
  controllerNames: ['nginx.org/ingress-controller'],
  defaultClassNames: ['nginx'],
  annotationPrefixes: ['nginx.org/', 'nginx.com/', 'appprotect.f5.com/', 'appprotectdos.f5.com/'],
  annotationKeys: [],
  images: [/(^|\/)nginx\/nginx-ingress([:@]|$)/, /(^|\/)nginx-plus-ingress([:@]|$)/],
  pathMatching: 'nginx-inc',
  hostSharing: 'oldest-wins',
  ingressNginxSemantics: false,
  needsNodePortBackends: () => false,
  fromArgs: (args) => ({
    controllerClass: 'nginx.org/ingress-controller',
    ingressClass: stringFlag(args, 'ingress-class') ?? 'nginx',
    watchWithoutClass: false,
  }),
};

/*
 * AWS Load Balancer Controller (kubernetes-sigs/aws-load-balancer-controller).
 * Sources:
 * - IngressClass controller `ingress.k8s.aws/alb`: docs/guide/ingress/ingress_class.md.
 * - `--ingress-class` (effective default `alb`; without it, Ingresses with no class are
 *   reconciled too): docs/deploy/configurations.md "Limiting ingress class";
 *   pkg/ingress/class_annotation_matcher.go; the annotation wins over `ingressClassName`
 *   (pkg/ingress/group_loader.go `classifyIngress`).
 * - `use-annotation` backends: pkg/ingress/enhanced_backend_builder.go (`actions.<service name>`,
 *   a missing annotation becomes a fixed 503), pkg/ingress/config_types.go (`Action.validate`).
 * - Groups: docs/guide/ingress/annotations.md (IngressGroup), pkg/ingress/group_loader.go
 *   (`loadGroupID`: IngressClassParams group first, then `group.name`, else an implicit group of
 *   the Ingress alone; `sortGroupMembers`: group.order ascending, default 0, range −1000..1000,
 *   ties by namespace/name).
 * - Paths: pkg/ingress/model_build_listener_rules.go (`buildPathPatterns`: Exact literal, Prefix
 *   `/p` + `/p/*` (`/` → `/*`), ImplementationSpecific an ALB path pattern; `sortIngressPaths`:
 *   Exact first, Prefix by length descending, then ImplementationSpecific in order). ALB path
 *   patterns: case-sensitive, `*` = 0+ chars, `?` = 1 char (ELBv2 PathPatternConditionConfig).
 * - target-type: annotations.md — `instance` (default) needs NodePort/LoadBalancer Services,
 *   `ip` routes to pod IPs; Service annotations take priority over Ingress ones.
 * - Images: `public.ecr.aws/eks/aws-load-balancer-controller`, legacy `aws-alb-ingress-controller`.
 */
const AWS_ALB: ControllerProfile = {
  kind: 'aws-alb',
  displayName: 'AWS Load Balancer Controller',
  controllerNames: ['ingress.k8s.aws/alb'],
  defaultClassNames: ['alb'],
  annotationPrefixes: ['alb.ingress.kubernetes.io/'],
  annotationKeys: [],
  images: [/(^|\/)aws-load-balancer-controller([:@]|$)/, /(^|\/)aws-alb-ingress-controller([:@]|$)/],
  pathMatching: 'alb-pattern',
  hostSharing: 'alb-group',
  ingressNginxSemantics: false,
  needsNodePortBackends: (ingressAnnotations, serviceAnnotations) => {
    const targetType = albTargetType(ingressAnnotations, serviceAnnotations).value;
    if (targetType === 'instance') return true;
    if (targetType === 'ip') return false;
    return undefined;
  },
  fromArgs: (args) => {
    const ingressClass = stringFlag(args, 'ingress-class');
    return {
      controllerClass: 'ingress.k8s.aws/alb',
      ingressClass: ingressClass || 'alb',
      watchWithoutClass: !ingressClass,
    };
  },
};

/*
 * GKE Ingress (kubernetes/ingress-gce).
 * Sources:
 * - Classes: pkg/utils/utils.go `IsGCEIngress` — only the `kubernetes.io/ingress.class`
 *   annotation (`gce`, `gce-internal`); "Ingress controller does not have any ingress classes that
 *   can be specified by spec.IngressClassName": an Ingress with neither is GCE's on GKE.
 * - Paths: pkg/controller/translator/translator.go `validateAndGetPaths` (ImplementationSpecific
 *   as written; Exact and Prefix must not contain `*`; Prefix `/` → `/*`, `/p` → `/p` + `/p/*`;
 *   empty path → `/*`); URL map PathRule: "must start with / and the only place a * is allowed is
 *   at the end following a /" (compute API PathRule.paths); "GCE ensures that matched rule with
 *   longest prefix wins" (pkg/translator/translator.go).
 * - Duplicates inside one Ingress: pkg/utils/gceurlmap.go `PutPathRulesForHost` — the later rule
 *   for a host replaces the earlier, the later of two equal paths wins.
 * - Backends: translator.go `maybeEnableNEG` — NodePort or LoadBalancer Services unless the Service
 *   has `cloud.google.com/neg: '{"ingress": true}'`; GKE docs (container-native load balancing):
 *   on GKE ≥ 1.17 "under certain conditions" NEG is the default without the annotation, so without
 *   the annotation the manifests cannot tell.
 * - One load balancer per Ingress (the frontend namer names the URL map after the Ingress).
 * - Image: `registry.k8s.io/ingress-gce-glbc-amd64` (normally runs on the GKE control plane).
 */
const GCE: ControllerProfile = {
  kind: 'gce',
  displayName: 'GKE Ingress (ingress-gce)',
  controllerNames: [],
  defaultClassNames: ['gce', 'gce-internal'],
  annotationPrefixes: ['ingress.gcp.kubernetes.io/', 'networking.gke.io/'],
  annotationKeys: [
    'kubernetes.io/ingress.global-static-ip-name',
    'kubernetes.io/ingress.regional-static-ip-name',
    'kubernetes.io/ingress.allow-http',
  ],
  images: [/(^|\/)ingress-gce-glbc(-amd64)?([:@]|$)/],
  pathMatching: 'gce-glob',
  hostSharing: 'separate',
  ingressNginxSemantics: false,
  needsNodePortBackends: (_ingressAnnotations, serviceAnnotations) => {
    const neg = gceNegForIngress(serviceAnnotations);
    return neg === undefined ? undefined : !neg;
  },
  fromArgs: (args) => ({
    ingressClass: stringFlag(args, 'ingress-class') ?? 'gce',
    watchWithoutClass: true,
  }),
};

/*
 * Traefik (traefik/traefik), Kubernetes Ingress provider.
 * Sources:
 * - pkg/provider/kubernetes/ingress/kubernetes.go: IngressClass controller
 *   `traefik.io/ingress-controller`, default class `traefik`; `shouldProcessIngress`
 *   (`ingressClassName` must name an IngressClass of that controller; otherwise the legacy
 *   annotation must equal `--providers.kubernetesingress.ingressclass`, or, when that flag is
 *   empty, be empty or `traefik`); `loadRouter` (Exact → `Path`, Prefix → `PathPrefix`,
 *   ImplementationSpecific/none → `PathPrefix` or annotation
 *   `traefik.ingress.kubernetes.io/router.pathmatcher`; rule = `Host(`h`) && Matcher(`p`)`,
 *   wildcard hosts → `HostRegexp`; `router.priority` annotation).
 * - `PathPrefix` is a character prefix (`/products` matches `/productsforsale`: routers docs);
 *   `--providers.kubernetesingress.strictPrefixMatching` (default false) makes Prefix element-wise.
 * - Priority: "routes are sorted, by default, in descending order using rules length"
 *   (routers docs; pkg/muxer/http/mux.go `AddRoute`: priority 0 → len(rule)). Every Ingress's
 *   routers share the entry points, so equal rules from two Ingresses tie; the docs give no order.
 * - Images: `traefik` (Docker Hub), `rancher/mirrored-library-traefik` (k3s).
 */
const TRAEFIK: ControllerProfile = {
  kind: 'traefik',
  displayName: 'Traefik',
  controllerNames: ['traefik.io/ingress-controller'],
  defaultClassNames: ['traefik'],
  annotationPrefixes: ['traefik.ingress.kubernetes.io/'],
  annotationKeys: [],
  images: [/(^|\/)traefik([:@]|$)/, /(^|\/)mirrored-library-traefik([:@]|$)/],
  pathMatching: 'traefik',
  hostSharing: 'merged',
  ingressNginxSemantics: false,
  needsNodePortBackends: () => false,
  fromArgs: (args) => {
    const ingressClass = stringFlag(args, 'providers.kubernetesingress.ingressclass');
    const providerEnabled = [...args.keys()].some((key) => key === 'providers.kubernetesingress' || key.startsWith('providers.kubernetesingress.'));
    return {
      controllerClass: 'traefik.io/ingress-controller',
      ingressClass: ingressClass || 'traefik',
      watchWithoutClass: !ingressClass,
      // Traefik may be configured by file instead of flags: only a flag-configured pod tells.
      servesIngresses: args.size === 0 ? undefined : providerEnabled,
    };
  },
};

/* Unknown controller: Kubernetes semantics only (networking/v1 HTTPIngressPath.pathType). */
const UNKNOWN: ControllerProfile = {
  kind: 'unknown',
  displayName: 'unknown controller',
  controllerNames: [],
  defaultClassNames: [],
  annotationPrefixes: [],
  annotationKeys: [],
  images: [],
  pathMatching: 'kubernetes',
  hostSharing: 'unspecified',
  ingressNginxSemantics: false,
  needsNodePortBackends: () => undefined,
  fromArgs: () => ({}),
};

/** All profiles, known ones first in identification order. */
export const PROFILES: readonly ControllerProfile[] = [INGRESS_NGINX, NGINX_INC, AWS_ALB, GCE, TRAEFIK, UNKNOWN];

export function profileOf(kind: ControllerKind): ControllerProfile {
  return PROFILES.find((p) => p.kind === kind) ?? UNKNOWN;
}

// ---------------------------------------------------------------------------------------------
// Identification

/** A controller found in the workspace (from `controllerFromPod`). */
export interface PodController extends PodControllerSettings {
  readonly profile: ControllerProfile;
}

/**
 * The profile for an IngressClass `spec.controller` value. Controllers found in the workspace
 * count too (an ingress-nginx started with `--controller-class=k8s.io/internal-nginx`).
 */
export function profileForController(specController: string, known: readonly PodController[] = []): ControllerProfile {
  const fromPod = known.find((pod) => pod.controllerClass === specController);
  if (fromPod) return fromPod.profile;
  return PROFILES.find((p) => p.controllerNames.includes(specController)) ?? UNKNOWN;
}

export type IdentifyEvidence = 'ingressclass' | 'controller-pod' | 'class-name' | 'annotations' | 'none';

export interface IdentifyInput {
  /** `spec.controller` of the Ingress's IngressClass, when that IngressClass is known. */
  readonly specController?: string;
  /** The class the Ingress names (`ingressClassName` or the legacy annotation). */
  readonly className?: string;
  readonly annotationKeys: readonly string[];
  /** Controllers found in the workspace. */
  readonly controllers?: readonly PodController[];
}

/** Kinds whose own annotations appear among the keys. */
export function annotationKinds(annotationKeys: readonly string[]): ControllerKind[] {
  return PROFILES.filter(
    (p) => p.kind !== 'unknown' && annotationKeys.some((key) => p.annotationKeys.includes(key) || p.annotationPrefixes.some((prefix) => key.startsWith(prefix))),
  ).map((p) => p.kind);
}

function single<T>(values: readonly T[]): T | undefined {
  const distinct = [...new Set(values)];
  return distinct.length === 1 ? distinct[0] : undefined;
}

/**
 * Which controller serves an Ingress, strongest evidence first:
 * 1. its IngressClass's `spec.controller` (an unknown value means an unknown controller);
 * 2. a controller pod in the workspace serving that class name (or, for an Ingress naming no
 *    class, the only one watching Ingresses without class);
 * 3. a default class name of exactly one controller (`alb`, `gce`, `traefik`);
 * 4. annotations of exactly one controller (among the candidates of an ambiguous class name);
 * 5. an ambiguous default class name (`nginx`: ingress-nginx before NGINX Inc's controller).
 */
export function identifyController(input: IdentifyInput): { profile: ControllerProfile; evidence: IdentifyEvidence } {
  const pods = input.controllers ?? [];
  if (input.specController !== undefined) {
    return { profile: profileForController(input.specController, pods), evidence: 'ingressclass' };
  }
  const className = input.className || undefined;
  const podKind = single(controllersServing(pods, { className }).map((pod) => pod.profile.kind));
  if (podKind) return { profile: profileOf(podKind), evidence: 'controller-pod' };

  const candidates = className ? PROFILES.filter((p) => p.defaultClassNames.includes(className)) : [];
  if (candidates.length === 1) return { profile: candidates[0], evidence: 'class-name' };

  const byAnnotations = annotationKinds(input.annotationKeys).filter((kind) => candidates.length === 0 || candidates.some((c) => c.kind === kind));
  const annotationKind = single(byAnnotations);
  if (annotationKind) return { profile: profileOf(annotationKind), evidence: 'annotations' };

  if (candidates.length > 0) return { profile: candidates[0], evidence: 'class-name' };
  return { profile: UNKNOWN, evidence: 'none' };
}

/**
 * The workspace controllers that serve an Ingress: those claiming its IngressClass's controller
 * value; else those serving its class name; else, for an Ingress naming no class, those watching
 * Ingresses without class. Tells two ingress-nginx installations apart by their
 * `--controller-class` / `--ingress-class`.
 */
export function controllersServing(pods: readonly PodController[], ingress: { readonly specController?: string; readonly className?: string }): PodController[] {
  if (ingress.specController !== undefined) return pods.filter((pod) => pod.controllerClass === ingress.specController);
  if (ingress.className) return pods.filter((pod) => pod.ingressClass === ingress.className);
  return pods.filter((pod) => pod.watchWithoutClass === true);
}

/** Argument signals for a controller whose image is mirrored under another name. */
function kindFromArgs(args: readonly string[], parsed: ArgMap): ControllerKind | undefined {
  if (args.some((arg) => /(^|\/)nginx-ingress-controller$/.test(arg)) || parsed.has('controller-class')) return 'ingress-nginx';
  if (parsed.has('nginx-configmaps') || parsed.has('nginx-plus')) return 'nginx-inc';
  if ([...parsed.keys()].some((key) => key === 'providers.kubernetesingress' || key.startsWith('providers.kubernetesingress.'))) return 'traefik';
  return undefined;
}

/**
 * Recognises an Ingress controller container by its image (or, failing that, by arguments only
 * that controller takes) and reads the classes it serves from its arguments. Pass `command` and
 * `args` as the container has them.
 */
export function controllerFromPod(container: { readonly image?: string; readonly command?: readonly string[]; readonly args?: readonly string[] }): PodController | undefined {
  const args = [...(container.command ?? []), ...(container.args ?? [])];
  const parsed = parseArgs(args);
  const image = container.image ?? '';
  const byImage = PROFILES.find((p) => p.images.some((re) => re.test(image)));
  const profile = byImage ?? profileFromArgs(args, parsed);
  if (!profile) return undefined;
  return { profile, ...profile.fromArgs(parsed) };
}

function profileFromArgs(args: readonly string[], parsed: ArgMap): ControllerProfile | undefined {
  const kind = kindFromArgs(args, parsed);
  return kind ? profileOf(kind) : undefined;
}

// ---------------------------------------------------------------------------------------------
// Same host in two Ingresses

export interface IngressFacts {
  readonly namespace: string;
  readonly name: string;
  readonly annotations: Annotations;
  /** ALB: `spec.group.name` of the IngressClassParams of the Ingress's class, if any. */
  readonly classParamsGroup?: string;
  /** NGINX Inc: `metadata.creationTimestamp`, when the manifest has it (RFC 3339). */
  readonly creationTimestamp?: string;
  readonly uid?: string;
}

export type SharedHostOutcome =
  /** One proxy/load balancer; `first` is the Ingress whose rules come first when that is defined. */
  | { readonly kind: 'merged'; readonly first?: 'a' | 'b' }
  /** Separate load balancers: the same host+path cannot conflict. */
  | { readonly kind: 'separate'; readonly reason: string }
  /** NGINX Inc: one Ingress gets the host, the other is ignored for it; `winner` when the timestamps are known. */
  | { readonly kind: 'oldest-wins'; readonly winner?: 'a' | 'b' }
  /** NGINX Inc mergeable master/minion: paths merge; a path in two minions goes to the oldest. */
  | { readonly kind: 'mergeable' }
  | { readonly kind: 'unspecified' };

/** What a controller does with two of its Ingresses naming the same host. */
export function sharedHost(profile: ControllerProfile, a: IngressFacts, b: IngressFacts): SharedHostOutcome {
  switch (profile.hostSharing) {
    case 'merged':
      return { kind: 'merged' };
    case 'separate':
      return { kind: 'separate', reason: `${profile.displayName} creates a load balancer per Ingress` };
    case 'alb-group': {
      const groupA = albGroup(a.annotations, a.classParamsGroup);
      const groupB = albGroup(b.annotations, b.classParamsGroup);
      if (groupA.name === undefined || groupB.name === undefined || groupA.name !== groupB.name) {
        return { kind: 'separate', reason: 'different IngressGroups: each group (an Ingress without group.name is its own) gets its own ALB' };
      }
      const keyA = `${a.namespace}/${a.name}`;
      const keyB = `${b.namespace}/${b.name}`;
      const aFirst = groupA.order !== groupB.order ? groupA.order < groupB.order : keyA <= keyB;
      return { kind: 'merged', first: aFirst ? 'a' : 'b' };
    }
    case 'oldest-wins': {
      const typeA = a.annotations[NGINX_INC_MERGEABLE];
      const typeB = b.annotations[NGINX_INC_MERGEABLE];
      const mergeable = (t: string | undefined) => t === 'master' || t === 'minion';
      if (mergeable(typeA) && mergeable(typeB) && !(typeA === 'master' && typeB === 'master')) return { kind: 'mergeable' };
      return { kind: 'oldest-wins', winner: oldest(a, b) };
    }
    default:
      return { kind: 'unspecified' };
  }
}

function oldest(a: IngressFacts, b: IngressFacts): 'a' | 'b' | undefined {
  if (!a.creationTimestamp || !b.creationTimestamp) return undefined;
  const ta = Date.parse(a.creationTimestamp);
  const tb = Date.parse(b.creationTimestamp);
  if (Number.isNaN(ta) || Number.isNaN(tb)) return undefined;
  if (ta !== tb) return ta < tb ? 'a' : 'b';
  if (a.uid === undefined || b.uid === undefined || a.uid === b.uid) return undefined;
  return a.uid < b.uid ? 'a' : 'b';
}

// ---------------------------------------------------------------------------------------------
// AWS Load Balancer Controller

const ALB_PREFIX = 'alb.ingress.kubernetes.io/';
export const ALB_USE_ANNOTATION = 'use-annotation';

export interface AlbForwardTarget {
  readonly serviceName?: string;
  /** Numeric strings become numbers, as the controller normalises them (`"80"` → 80). */
  readonly servicePort?: number | string;
  readonly targetGroupARN?: string;
  readonly weight?: number;
}

export type AlbAction =
  | {
      readonly kind: 'redirect';
      readonly statusCode: string;
      readonly host?: string;
      readonly path?: string;
      readonly port?: string;
      readonly protocol?: string;
      readonly query?: string;
    }
  | { readonly kind: 'fixed-response'; readonly statusCode: string; readonly contentType?: string; readonly messageBody?: string }
  | { readonly kind: 'forward'; readonly targets: readonly AlbForwardTarget[] }
  /** The annotation does not parse or validate: the controller fails to reconcile the Ingress. */
  | { readonly kind: 'invalid'; readonly message: string };

/** Go's encoding/json matches object keys to struct fields case-insensitively. */
function field(object: unknown, name: string): unknown {
  if (!object || typeof object !== 'object' || Array.isArray(object)) return undefined;
  const entries = Object.entries(object as Record<string, unknown>);
  const exact = entries.find(([key]) => key === name);
  if (exact) return exact[1];
  return entries.find(([key]) => key.toLowerCase() === name.toLowerCase())?.[1];
}

function optionalString(object: unknown, name: string): string | undefined | Error {
  const value = field(object, name);
  if (value === undefined || value === null) return undefined;
  return typeof value === 'string' ? value : new Error(`${name} must be a string`);
}

/**
 * The action of a backend `port.name: use-annotation` (service name = action name), parsed and
 * checked as `Action.validate` does. Undefined when the annotation is absent: the controller then
 * answers with a fixed 503 "Backend action does not exist".
 */
export function albAction(annotations: Annotations, serviceName: string): AlbAction | undefined {
  const raw = annotations[`${ALB_PREFIX}actions.${serviceName}`];
  if (raw === undefined) return undefined;
  let json: unknown;
  try {
    json = JSON.parse(raw);
  } catch {
    return { kind: 'invalid', message: 'not valid JSON' };
  }
  if (!json || typeof json !== 'object' || Array.isArray(json)) return { kind: 'invalid', message: 'must be a JSON object' };
  const type = field(json, 'type');
  if (type === 'fixed-response') {
    const config = field(json, 'fixedResponseConfig');
    if (!config || typeof config !== 'object') return { kind: 'invalid', message: 'missing fixedResponseConfig' };
    const statusCode = optionalString(config, 'statusCode');
    const contentType = optionalString(config, 'contentType');
    const messageBody = optionalString(config, 'messageBody');
    for (const v of [statusCode, contentType, messageBody]) if (v instanceof Error) return { kind: 'invalid', message: v.message };
    if (!statusCode) return { kind: 'invalid', message: 'fixedResponseConfig.statusCode is required' };
    return { kind: 'fixed-response', statusCode: statusCode as string, contentType: contentType as string | undefined, messageBody: messageBody as string | undefined };
  }
  if (type === 'redirect') {
    const config = field(json, 'redirectConfig');
    if (!config || typeof config !== 'object') return { kind: 'invalid', message: 'missing redirectConfig' };
    const values: Record<string, string | undefined> = {};
    for (const name of ['statusCode', 'host', 'path', 'port', 'protocol', 'query']) {
      const v = optionalString(config, name);
      if (v instanceof Error) return { kind: 'invalid', message: v.message };
      values[name] = v;
    }
    if (!values.statusCode) return { kind: 'invalid', message: 'redirectConfig.statusCode is required' };
    return { kind: 'redirect', statusCode: values.statusCode, host: values.host, path: values.path, port: values.port, protocol: values.protocol, query: values.query };
  }
  if (type === 'forward') return albForward(json);
  return { kind: 'invalid', message: type === undefined ? 'missing type' : `unknown action type: ${String(type)}` };
}

function albForward(json: unknown): AlbAction {
  const arn = field(json, 'targetGroupARN');
  const config = field(json, 'forwardConfig');
  const hasArn = arn !== undefined && arn !== null;
  const hasConfig = config !== undefined && config !== null;
  if (hasArn === hasConfig) return { kind: 'invalid', message: 'precisely one of targetGroupARN and forwardConfig can be specified' };
  if (hasArn) {
    if (typeof arn !== 'string') return { kind: 'invalid', message: 'targetGroupARN must be a string' };
    return { kind: 'forward', targets: [{ targetGroupARN: arn }] };
  }
  const groups = field(config, 'targetGroups');
  if (groups !== undefined && groups !== null && !Array.isArray(groups)) return { kind: 'invalid', message: 'forwardConfig.targetGroups must be a list' };
  const targets: AlbForwardTarget[] = [];
  for (const group of (groups as unknown[] | undefined) ?? []) {
    const target = albTarget(group);
    if (target instanceof Error) return { kind: 'invalid', message: target.message };
    targets.push(target);
  }
  if (targets.length > 1 && targets.some((t) => t.weight === undefined)) {
    return { kind: 'invalid', message: 'weight must be set when route to multiple target groups' };
  }
  return { kind: 'forward', targets };
}

function albTarget(group: unknown): AlbForwardTarget | Error {
  if (!group || typeof group !== 'object' || Array.isArray(group)) return new Error('each target group must be an object');
  const arn = optionalString(group, 'targetGroupARN');
  const serviceName = optionalString(group, 'serviceName');
  if (arn instanceof Error) return arn;
  if (serviceName instanceof Error) return serviceName;
  if ((arn !== undefined) === (serviceName !== undefined)) return new Error('precisely one of targetGroupARN and serviceName can be specified');
  const rawPort = field(group, 'servicePort');
  let servicePort: number | string | undefined;
  if (typeof rawPort === 'number' && Number.isInteger(rawPort)) servicePort = rawPort;
  else if (typeof rawPort === 'string') servicePort = /^-?\d+$/.test(rawPort) ? Number(rawPort) : rawPort;
  else if (rawPort !== undefined && rawPort !== null) return new Error('servicePort must be a number or a name');
  if (serviceName !== undefined && servicePort === undefined) return new Error('missing servicePort');
  const rawWeight = field(group, 'weight');
  if (rawWeight !== undefined && rawWeight !== null && !(typeof rawWeight === 'number' && Number.isInteger(rawWeight))) return new Error('weight must be an integer');
  const weight = typeof rawWeight === 'number' ? rawWeight : undefined;
  return { serviceName, servicePort, targetGroupARN: arn, weight };
}

const ALB_GROUP_NAME = /^([a-z0-9][-a-z0-9.]*)?[a-z0-9]$/;

export interface AlbGroup {
  /** Undefined: an implicit group of the Ingress alone, i.e. a load balancer of its own. */
  readonly name?: string;
  /** `group.order`, 0 when absent; lower orders' rules are evaluated first. */
  readonly order: number;
  /** Problems with the annotations (the controller rejects or ignores such a group). */
  readonly problems: readonly string[];
}

/** The IngressGroup of an ALB Ingress (IngressClassParams `spec.group.name` wins over `group.name`). */
export function albGroup(annotations: Annotations, classParamsGroup?: string): AlbGroup {
  const problems: string[] = [];
  const name = classParamsGroup ?? annotations[`${ALB_PREFIX}group.name`];
  if (name !== undefined) {
    if (!ALB_GROUP_NAME.test(name)) problems.push("group name must consist of lower case alphanumeric characters, '-' or '.', and start and end with an alphanumeric character");
    if (name.length > 63) problems.push('group name must be no more than 63 characters');
  }
  let order = 0;
  const rawOrder = annotations[`${ALB_PREFIX}group.order`];
  if (rawOrder !== undefined) {
    if (!/^[+-]?\d+$/.test(rawOrder)) problems.push(`group.order must be an integer, got '${rawOrder}'`);
    else {
      order = Number(rawOrder);
      if (order < -1000 || order > 1000) problems.push(`group.order must be within [-1000:1000], got ${order}`);
    }
  }
  return { name, order, problems };
}

/** target-type of a backend: the Service's annotation wins over the Ingress's; default `instance`. */
export function albTargetType(ingressAnnotations: Annotations, serviceAnnotations: Annotations): { value: string; source: 'service' | 'ingress' | 'default' } {
  const key = `${ALB_PREFIX}target-type`;
  if (serviceAnnotations[key] !== undefined) return { value: serviceAnnotations[key], source: 'service' };
  if (ingressAnnotations[key] !== undefined) return { value: ingressAnnotations[key], source: 'ingress' };
  return { value: 'instance', source: 'default' };
}

/** ALB path patterns for an Ingress path (`buildPathPatterns`), or why the controller rejects it. */
export function albPathPatterns(path: string | undefined, pathType: string | undefined): { patterns: string[] } | { error: string } {
  if (!path) return { patterns: ['/*'] };
  if (pathType === 'Exact') {
    if (/[*?]/.test(path)) return { error: `exact path shouldn't contain wildcards: ${path}` };
    return { patterns: [path] };
  }
  if (pathType === 'Prefix') {
    if (path === '/') return { patterns: ['/*'] };
    if (/[*?]/.test(path)) return { error: `prefix path shouldn't contain wildcards: ${path}` };
    const normalized = path.replace(/\/$/, '');
    return { patterns: [normalized, `${normalized}/*`] };
  }
  return { patterns: [path] };
}

function globToRegExp(pattern: string, wildcards: { star: string; question?: string }): { test(input: string): boolean } {
  let source = '';
  for (const ch of pattern) {
    if (ch === '*') source += wildcards.star;
    else if (ch === '?' && wildcards.question) source += wildcards.question;
    else source += ch.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
  }
  // Many `*` make a backtracking engine polynomial in the path length; RE2 is linear.
  const compiled = compileRegex(`^${source}$`);
  return compiled.kind === 'ok' ? compiled : { test: () => false };
}

/** ALB path-pattern condition: case-sensitive, `*` matches 0+ characters, `?` exactly one. */
export function albPatternMatches(pattern: string, requestPath: string): boolean {
  return globToRegExp(pattern, { star: '[\\s\\S]*', question: '[\\s\\S]' }).test(requestPath);
}

/** Order of an Ingress rule's paths on the ALB: Exact, then Prefix by length descending, then the rest as written. */
export function albPathOrder(paths: readonly { readonly path?: string; readonly pathType?: string }[]): number[] {
  const indices = paths.map((_, i) => i);
  const exact = indices.filter((i) => paths[i].pathType === 'Exact');
  const prefix = indices.filter((i) => paths[i].pathType === 'Prefix').sort((a, b) => (paths[b].path ?? '').length - (paths[a].path ?? '').length || a - b);
  const rest = indices.filter((i) => paths[i].pathType !== 'Exact' && paths[i].pathType !== 'Prefix');
  return [...exact, ...prefix, ...rest];
}

// ---------------------------------------------------------------------------------------------
// GCE

const GCE_NEG = 'cloud.google.com/neg';

/**
 * Whether a Service's `cloud.google.com/neg` annotation enables NEGs for Ingress
 * (`{"ingress": true}`). Undefined when the annotation is absent (GKE may enable NEGs by default).
 */
export function gceNegForIngress(serviceAnnotations: Annotations): boolean | undefined {
  const raw = serviceAnnotations[GCE_NEG];
  if (raw === undefined) return undefined;
  try {
    const json: unknown = JSON.parse(raw);
    return field(json, 'ingress') === true;
  } catch {
    return false;
  }
}

/** A URL map path pattern: starts with `/`, and `*` only as the last character, after a `/`. */
export function isValidGcePattern(pattern: string): boolean {
  if (!pattern.startsWith('/') || /[?#]/.test(pattern)) return false;
  const star = pattern.indexOf('*');
  return star < 0 || (star === pattern.length - 1 && pattern[star - 1] === '/');
}

/** URL map path patterns for an Ingress path (`validateAndGetPaths`), or why the controller rejects it. */
export function gcePathPatterns(path: string | undefined, pathType: string | undefined): { patterns: string[] } | { error: string } {
  if (pathType === 'Exact') {
    if (!path) return { error: 'failed to validate exact path type due to empty path' };
    if (path.includes('*')) return { error: `failed to validate exact path ${path} due to invalid wildcard` };
    return { patterns: [path] };
  }
  if (pathType === 'Prefix') {
    if (!path) return { error: 'failed to validate prefix path type due to empty path' };
    if (path === '/') return { patterns: ['/*'] };
    if (path.includes('*')) return { error: `failed to validate prefix path ${path} due to invalid wildcard` };
    return path.endsWith('/') ? { patterns: [path.slice(0, -1), `${path}*`] } : { patterns: [path, `${path}/*`] };
  }
  if (!path) return { patterns: ['/*'] };
  if (!isValidGcePattern(path)) return { error: `path ${path} is not a valid URL map pattern: '*' is only allowed at the end, after a '/'` };
  return { patterns: [path] };
}

/** URL map glob: `/*` matches everything; `/foo/*` matches `/foo/` and below (not `/foo`); otherwise exact. */
export function gceGlobMatches(pattern: string, requestPath: string): boolean {
  if (!isValidGcePattern(pattern)) return false;
  if (pattern.endsWith('*')) return requestPath.startsWith(pattern.slice(0, -1));
  return requestPath === pattern;
}

/** The pattern a URL map picks: the longest matching one; of two equal, the later. */
export function pickGcePattern(patterns: readonly string[], requestPath: string): number | undefined {
  let best: number | undefined;
  patterns.forEach((pattern, i) => {
    if (!gceGlobMatches(pattern, requestPath)) return;
    const length = pattern.replace(/\*$/, '').length;
    if (best === undefined || length >= patterns[best].replace(/\*$/, '').length) best = i;
  });
  return best;
}

// ---------------------------------------------------------------------------------------------
// NGINX Inc

const NGINX_INC_MERGEABLE = 'nginx.org/mergeable-ingress-type';
const NGINX_INC_PATH_REGEX = 'nginx.org/path-regex';

export interface NginxLocation {
  /** `=` exact, `~` regex, `~*` case-insensitive regex, '' plain prefix. */
  readonly modifier: '' | '=' | '~' | '~*';
  /** The path as written (regex locations are anchored at the start: `^path`). */
  readonly path: string;
}

/**
 * The nginx `location` NGINX Inc's controller writes for an Ingress path. `annotations` are the
 * Ingress's own (a minion's `path-regex` applies to its paths; it does not inherit the master's).
 */
export function nginxIncLocation(path: string | undefined, pathType: string | undefined, annotations: Annotations): NginxLocation {
  const p = path || '/';
  switch (annotations[NGINX_INC_PATH_REGEX]) {
    case 'case_sensitive':
      return { modifier: '~', path: p };
    case 'case_insensitive':
      return { modifier: '~*', path: p };
    case 'exact':
      return { modifier: '=', path: p };
    default:
      return { modifier: pathType === 'Exact' ? '=' : '', path: p };
  }
}

/** The location's PCRE as nginx anchors it, evaluated in linear time (safeRegex.ts). */
function nginxRegExp(location: NginxLocation): { test(input: string): boolean } | undefined {
  const compiled = compileRegex(`^(?:${location.path})`, location.modifier === '~*');
  return compiled.kind === 'ok' ? compiled : undefined;
}

export function nginxLocationMatches(location: NginxLocation, requestPath: string): boolean {
  if (location.modifier === '=') return requestPath === location.path;
  if (location.modifier === '') return requestPath.startsWith(location.path);
  return nginxRegExp(location)?.test(requestPath) ?? false;
}

/**
 * nginx location selection: an exact match wins; otherwise the regex locations in order, the
 * first match wins; otherwise the longest matching prefix.
 */
export function pickNginxLocation(locations: readonly NginxLocation[], requestPath: string): number | undefined {
  const exact = locations.findIndex((l) => l.modifier === '=' && l.path === requestPath);
  if (exact >= 0) return exact;
  const regex = locations.findIndex((l) => (l.modifier === '~' || l.modifier === '~*') && nginxLocationMatches(l, requestPath));
  if (regex >= 0) return regex;
  let best: number | undefined;
  locations.forEach((l, i) => {
    if (l.modifier === '' && requestPath.startsWith(l.path) && (best === undefined || l.path.length > locations[best].path.length)) best = i;
  });
  return best;
}

// ---------------------------------------------------------------------------------------------
// Traefik

const TRAEFIK_PATH_MATCHER = 'traefik.ingress.kubernetes.io/router.pathmatcher';
const TRAEFIK_PRIORITY = 'traefik.ingress.kubernetes.io/router.priority';

export interface TraefikRouter {
  /** The router rule the provider writes (`Host(`h`) && PathPrefix(`/p`)`). */
  readonly rule: string;
  /** Path matcher used: `Path`, `PathPrefix`, or the `router.pathmatcher` annotation's value. */
  readonly matcher?: string;
  /** `router.priority` when set (non-zero), else the rule's length. */
  readonly priority: number;
  /** Whether a request path matches; undefined for a matcher this module does not model. */
  matches(requestPath: string): boolean | undefined;
}

/**
 * The router Traefik's Kubernetes Ingress provider makes for one host+path. With
 * `strictPrefixMatching` (Traefik ≥ 3.5 option, default off) Prefix paths match element-wise.
 */
export function traefikRouter(
  host: string | undefined,
  path: string | undefined,
  pathType: string | undefined,
  annotations: Annotations,
  options: { readonly strictPrefixMatching?: boolean } = {},
): TraefikRouter {
  const rules: string[] = [];
  if (host) {
    // Go: strings.Replace(regexp.QuoteMeta(host), `\*\.`, `[a-zA-Z0-9-]+\.`, 1)
    const wildcard = () => `[a-zA-Z0-9-]+\\.${host.slice(2).replace(/[\\.+*?()|[\]{}^$]/g, '\\$&')}`;
    rules.push(host.startsWith('*.') ? `HostRegexp(\`^${wildcard()}$\`)` : `Host(\`${host}\`)`);
  }
  let matcher: string | undefined;
  if (path) {
    matcher = 'PathPrefix';
    if (!pathType || pathType === 'ImplementationSpecific') matcher = annotations[TRAEFIK_PATH_MATCHER] || 'PathPrefix';
    else if (pathType === 'Exact') matcher = 'Path';
    rules.push(`${matcher}(\`${path}\`)`);
  }
  const rule = rules.join(' && ');
  const explicit = Number(annotations[TRAEFIK_PRIORITY]);
  const priority = Number.isInteger(explicit) && explicit !== 0 ? explicit : rule.length;
  const strict = options.strictPrefixMatching === true && pathType === 'Prefix';
  return {
    rule,
    matcher,
    priority,
    matches(requestPath: string): boolean | undefined {
      if (!path) return true;
      if (matcher === 'Path') return requestPath === path;
      if (matcher === 'PathPrefix') return strict ? matchesPrefix(path, requestPath) : requestPath.startsWith(path);
      return undefined;
    },
  };
}

/**
 * The router a request reaches: the highest priority among the matching ones. `ambiguous` lists
 * the matching routers of equal top priority when there are several (Traefik documents no order).
 */
export function pickTraefikRouter(routers: readonly TraefikRouter[], requestPath: string): { index?: number; ambiguous?: number[] } {
  const matching = routers.map((r, i) => ({ r, i })).filter(({ r }) => r.matches(requestPath) === true);
  if (matching.length === 0) return {};
  const top = Math.max(...matching.map(({ r }) => r.priority));
  const best = matching.filter(({ r }) => r.priority === top).map(({ i }) => i);
  return best.length === 1 ? { index: best[0] } : { ambiguous: best };
}

// ---------------------------------------------------------------------------------------------
// Path matching, all controllers

/** Kubernetes semantics: Exact, element-wise Prefix; ImplementationSpecific is undefined. */
export function kubernetesPathMatches(path: string | undefined, pathType: string | undefined, requestPath: string): boolean | undefined {
  if (pathType === 'Exact') return path === requestPath;
  if (pathType === 'Prefix') return matchesPrefix(path ?? '', requestPath);
  return undefined;
}

export interface PathRuleInput {
  readonly path?: string;
  readonly pathType?: string;
  /** The Ingress's annotations (NGINX Inc `path-regex`, Traefik `router.pathmatcher`). */
  readonly annotations?: Annotations;
}

export interface PathMatchOptions {
  /** ingress-nginx: the host is in regex mode (use-regex / rewrite-target). */
  readonly regexMode?: boolean;
  /** Traefik: `--providers.kubernetesingress.strictPrefixMatching`. */
  readonly strictPrefixMatching?: boolean;
}

/**
 * Whether one Ingress path matches a request path under a controller's semantics (no priority
 * between rules: see the per-controller pick functions). Undefined when the semantics are not
 * defined (ImplementationSpecific under an unknown controller, an unmodelled Traefik matcher).
 */
export function pathMatches(profile: ControllerProfile, rule: PathRuleInput, requestPath: string, options: PathMatchOptions = {}): boolean | undefined {
  const annotations = rule.annotations ?? {};
  switch (profile.pathMatching) {
    case 'ingress-nginx':
      return options.regexMode ? matchesRegex(rule.path ?? '', requestPath) !== undefined : matchesNormal({ path: rule.path ?? '', pathType: rule.pathType ?? 'ImplementationSpecific' }, requestPath);
    case 'nginx-inc':
      return nginxLocationMatches(nginxIncLocation(rule.path, rule.pathType, annotations), requestPath);
    case 'alb-pattern': {
      const result = albPathPatterns(rule.path, rule.pathType);
      return 'patterns' in result ? result.patterns.some((p) => albPatternMatches(p, requestPath)) : false;
    }
    case 'gce-glob': {
      const result = gcePathPatterns(rule.path, rule.pathType);
      return 'patterns' in result ? result.patterns.some((p) => gceGlobMatches(p, requestPath)) : false;
    }
    case 'traefik':
      return traefikRouter(undefined, rule.path, rule.pathType, annotations, options).matches(requestPath);
    default:
      return kubernetesPathMatches(rule.path, rule.pathType, requestPath);
  }
}
