/**
 * How ingress-nginx (controller v1.15.x) turns the Ingress paths of ONE host into nginx `location`
 * blocks, how nginx then picks the location for a request, what URI the backend receives, and
 * nginx's URI normalisation. Pure functions over plain data; the tracer calls them.
 *
 * Sources (kubernetes/ingress-nginx unless marked nginx):
 * - internal/ingress/controller/store/store.go `syncIngress` (empty path → "/"), `sortIngressSlice`
 * - internal/k8s/main.go `SetDefaultNGINXPathType` (nil and ImplementationSpecific → Prefix)
 * - internal/ingress/controller/controller.go `createServers` (root location), `getBackendServers`
 *   (adding paths, duplicates, sorting), `getConfiguration` (calls `updateServerLocations`)
 * - internal/ingress/controller/location.go `updateServerLocations`, `normalizePrefixPath`
 * - internal/ingress/controller/template/template.go `needsRewrite`, `enforceRegexModifier`,
 *   `buildLocation`, `buildProxyPass`; rootfs/etc/nginx/template/nginx.tmpl (server block)
 * - nginx: src/http/ngx_http_parse.c `ngx_http_parse_complex_uri`, src/core/ngx_string.c
 *   `ngx_escape_uri`, src/http/ngx_http_core_module.c `ngx_http_core_find_location` /
 *   `ngx_http_core_find_static_location` / `ngx_http_join_exact_locations`, and the nginx.org docs
 *   of `location`, `rewrite` and `proxy_pass`.
 */
import { compileRegex } from './safeRegex';

// ---------------------------------------------------------------------------------------------
// Inputs

/** `nginx.ingress.kubernetes.io/rewrite-target`: a literal value, or one the manifests do not fix (templated). */
export type RewriteTargetInput = { readonly value: string } | { readonly templated: true };

/** The facts about one Ingress that shape the locations of a host. */
export interface NginxIngressInfo {
  readonly namespace: string;
  readonly name: string;
  /** metadata.creationTimestamp (RFC 3339), usually absent in manifests. */
  readonly creationTimestamp?: string;
  /** `nginx.ingress.kubernetes.io/use-regex: "true"`. */
  readonly useRegex: boolean;
  readonly rewriteTarget?: RewriteTargetInput;
  /** spec.defaultBackend.service is set. */
  readonly hasDefaultBackend?: boolean;
  /** `nginx.ingress.kubernetes.io/canary: "true"`: such an Ingress creates no location (createServers skips it). */
  readonly canary?: boolean;
}

/** One `spec.rules[].http.paths[]` entry of the host. */
export interface NginxPathInput {
  readonly id: number;
  /** rules[].host; '' is the catch-all server `_`. */
  readonly host: string;
  readonly path: string;
  readonly pathType: string;
  readonly ingress: NginxIngressInfo;
  /** backend.resource instead of backend.service: getBackendServers skips the path. */
  readonly resourceBackend?: boolean;
}

export interface ServerOptions {
  /** The host when `paths` is empty. */
  readonly host?: string;
  /**
   * Every Ingress with a rule for this host, including rules without `http` (they still create the
   * server and may own its root location). Defaults to the Ingresses of `paths`.
   */
  readonly hostIngresses?: readonly NginxIngressInfo[];
  /** Catch-all server only: Ingresses with spec.defaultBackend and no rules at all. */
  readonly ruleLessDefaultBackends?: readonly NginxIngressInfo[];
}

// ---------------------------------------------------------------------------------------------
// Outputs

export type LocationModifier = '=' | '' | '~*';

/** What answers requests that reach a location. */
export type LocationRole =
  | 'path'
  | 'ingress-default-backend'
  | 'controller-default-backend'
  | 'controller-healthz'
  | 'controller-nginx-status';

/** `rewrite "(?i)<pattern>" <target> break;` inside the location (template.go `buildProxyPass`). */
export interface LocationRewrite {
  readonly pattern: string;
  readonly target: RewriteTargetInput;
  readonly directive: string;
}

export interface NginxLocation {
  /** The path after the modifier (a Prefix path normalised to end in `/`). */
  readonly path: string;
  readonly modifier: LocationModifier;
  /** The nginx directive head, e.g. `location ~* "^/foo/"`. */
  readonly directive: string;
  readonly role: LocationRole;
  /** The input path this location serves (role `path`). */
  readonly sourceId?: number;
  /** The Ingress path before normalisation; it decides the sort position. */
  readonly ingressPath: string;
  /** pathType after SetDefaultNGINXPathType (ImplementationSpecific and nil become Prefix). */
  readonly pathType: 'Exact' | 'Prefix';
  /** The `location = /p` that updateServerLocations adds next to a Prefix `/p/`. */
  readonly extraExactCopy: boolean;
  /** namespace/name of the Ingress whose annotations (rewrite-target, use-regex) the location carries. */
  readonly ingress?: string;
  /** role `ingress-default-backend`: namespace/name of the Ingress whose spec.defaultBackend answers. */
  readonly defaultBackendOf?: string;
  readonly rewrite?: LocationRewrite;
  /** A regex location JavaScript could not compile: selectLocation skips it. */
  readonly regexError?: string;
}

/** How the order of two Ingresses was decided (store.go `sortIngressSlice`). */
export type OrderDecision = 'creationTimestamp' | 'name' | 'spec-order' | 'unknown' | 'server-setup';

export interface ShadowedPath {
  readonly id: number;
  /** The input path whose location serves instead. */
  readonly keptId?: number;
  /** Catch-all server: the rule-less Ingress whose defaultBackend took `/` before any path was added. */
  readonly keptByDefaultBackendOf?: string;
  readonly decidedBy: OrderDecision;
}

export interface IgnoredPath {
  readonly id: number;
  readonly why: 'canary' | 'resource-backend';
}

/** Locations with the same directive. Static ones make `nginx -t` fail ("duplicate location"). */
export interface DuplicateLocation {
  readonly directive: string;
  readonly sourceIds: readonly number[];
  readonly fatal: boolean;
}

export interface RootInfo {
  /** The `/` location every server has (createServers). */
  readonly location: NginxLocation;
  /** Ingresses that could have owned the root; their order is `decidedBy`. Absent when there was no rival. */
  readonly decidedBy?: OrderDecision;
  /** The owner is unknown (timestamps missing) and a rival would answer misses differently. */
  readonly contested: boolean;
}

export interface RankedIngress {
  /** namespace/name */
  readonly key: string;
  /** creationTimestamp in whole seconds (the API's precision). */
  readonly seconds?: number;
}

export interface ServerLocations {
  /** '' is the catch-all server `_`. */
  readonly host: string;
  readonly mode: 'normal' | 'regex';
  readonly regexCause?: { readonly id?: number; readonly ingress: string; readonly why: 'use-regex' | 'rewrite-target'; readonly templated: boolean };
  /** In nginx configuration order. */
  readonly locations: readonly NginxLocation[];
  readonly root: RootInfo;
  readonly shadowed: readonly ShadowedPath[];
  readonly ignored: readonly IgnoredPath[];
  readonly duplicates: readonly DuplicateLocation[];
  /** Some duplicate is fatal: nginx refuses the configuration (the admission webhook denies the Ingress). */
  readonly nginxRejects: boolean;
  /** The Ingresses of the host in sortIngressSlice order. */
  readonly ingressOrder: readonly RankedIngress[];
  /** Every Ingress has a creationTimestamp, so the order is the controller's. */
  readonly orderKnown: boolean;
}

// ---------------------------------------------------------------------------------------------
// The single regex runner

export type RegexResult =
  | { readonly kind: 'match'; readonly groups: readonly string[] }
  | { readonly kind: 'no-match' }
  | { readonly kind: 'invalid'; readonly error: string };

/**
 * Every PCRE evaluation of this module goes through here (to be swapped for a bounded runner).
 * `pattern` is what nginx compiles; a leading `(?i)` means caseless, as `~*` and the
 * template's `rewrite "(?i)…"` do. Unanchored search, like PCRE; unset groups are '' as in
 * nginx's `$N`. Python-style named groups `(?P<n>…)` are accepted like PCRE does.
 */
export function runRegex(pattern: string, input: string): RegexResult {
  const caseless = pattern.startsWith('(?i)');
  const compiled = compileRegex(caseless ? pattern.slice(4) : pattern, caseless);
  if (compiled.kind !== 'ok') return { kind: 'invalid', error: compiled.error };
  const match = compiled.exec(input);
  return match ? { kind: 'match', groups: match.slice(1) } : { kind: 'no-match' };
}

/** buildLocation in regex mode: `location ~* "^<path>"`, anchored at the start only. */
function locationPattern(path: string): string {
  return `(?i)^${path}`;
}

// ---------------------------------------------------------------------------------------------
// Ingress order (store.go sortIngressSlice)

interface Ranked extends RankedIngress {
  readonly info: NginxIngressInfo;
  readonly inputIndex: number;
}

function ingressKey(info: NginxIngressInfo): string {
  return `${info.namespace}/${info.name}`;
}

function toSeconds(timestamp: string | undefined): number | undefined {
  const ms = timestamp === undefined ? NaN : Date.parse(timestamp);
  return Number.isNaN(ms) ? undefined : Math.floor(ms / 1000);
}

/**
 * sortIngressSlice: older creationTimestamp first; equal timestamps → `namespace/name` in
 * DESCENDING order (`return in > jn`). Without timestamps the order cannot be known: we assume
 * Ingresses that carry one already exist (so are older) and keep input order among the rest.
 */
function compareRanked(a: Ranked, b: Ranked): number {
  if (a.seconds !== undefined && b.seconds !== undefined) {
    if (a.seconds !== b.seconds) return a.seconds - b.seconds;
    return a.key > b.key ? -1 : a.key < b.key ? 1 : 0;
  }
  if (a.seconds !== undefined) return -1;
  if (b.seconds !== undefined) return 1;
  return a.inputIndex - b.inputIndex;
}

function rankIngresses(infos: readonly NginxIngressInfo[]): Ranked[] {
  const byKey = new Map<string, Ranked>();
  for (const info of infos) {
    const key = ingressKey(info);
    if (info.canary || byKey.has(key)) continue;
    byKey.set(key, { key, info, seconds: toSeconds(info.creationTimestamp), inputIndex: byKey.size });
  }
  return [...byKey.values()].sort(compareRanked);
}

function orderDecision(a: RankedIngress, b: RankedIngress): OrderDecision {
  if (a.key === b.key) return 'spec-order';
  if (a.seconds === undefined || b.seconds === undefined) return 'unknown';
  return a.seconds === b.seconds ? 'name' : 'creationTimestamp';
}

const DECISION_RANK: Record<OrderDecision, number> = { 'server-setup': 0, 'spec-order': 0, creationTimestamp: 1, name: 2, unknown: 3 };

function weakest(decisions: readonly OrderDecision[]): OrderDecision | undefined {
  return decisions.reduce<OrderDecision | undefined>((worst, d) => (worst === undefined || DECISION_RANK[d] > DECISION_RANK[worst] ? d : worst), undefined);
}

// ---------------------------------------------------------------------------------------------
// Building the server

/** A location while the controller builds it (mirrors ingress.Location). */
interface Draft {
  path: string;
  readonly ingressPath: string;
  pathType: 'Exact' | 'Prefix';
  role: LocationRole;
  sourceId?: number;
  /** Whose annotations the location carries (locationApplyAnnotations). */
  annotations?: Ranked;
  defaultBackendOf?: string;
  isDefBackend: boolean;
  extraExactCopy: boolean;
}

interface RootDraft {
  readonly draft: Draft;
  readonly decidedBy?: OrderDecision;
  readonly contested: boolean;
}

/** template.go / location.go `needsRewrite`: a rewrite-target that is set and differs from the location's path. */
function needsRewrite(target: RewriteTargetInput | undefined, path: string): boolean {
  if (!target) return false;
  return 'templated' in target || (target.value !== '' && target.value !== path);
}

function sameTarget(a: RewriteTargetInput | undefined, b: RewriteTargetInput | undefined): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

/** Would `other` as the host's first Ingress answer path misses differently? */
function rootDiffers(owner: NginxIngressInfo, other: NginxIngressInfo): boolean {
  const bothOwnBackend = owner.hasDefaultBackend === true && other.hasDefaultBackend === true;
  return bothOwnBackend || !!owner.hasDefaultBackend !== !!other.hasDefaultBackend || owner.useRegex !== other.useRegex || !sameTarget(owner.rewriteTarget, other.rewriteTarget);
}

/**
 * createServers, named host: the FIRST Ingress (sortIngressSlice order) with a rule for the host
 * creates the server with a root location `/` (Prefix, IsDefBackend) that carries its annotations
 * and points at its spec.defaultBackend if it has one, else at the controller's default backend
 * (upstream-default-backend, a 404). Later Ingresses do not change it ("server already configured").
 */
function namedHostRoot(ranked: readonly Ranked[]): RootDraft {
  const [owner, ...rivals] = ranked;
  const ownBackend = owner?.info.hasDefaultBackend === true;
  const draft: Draft = {
    path: '/',
    ingressPath: '/',
    pathType: 'Prefix',
    role: ownBackend ? 'ingress-default-backend' : 'controller-default-backend',
    annotations: owner,
    defaultBackendOf: ownBackend ? owner?.key : undefined,
    isDefBackend: true,
    extraExactCopy: false,
  };
  if (!owner) return { draft, contested: false };
  const unknownRivals = rivals.filter((rival) => orderDecision(owner, rival) === 'unknown');
  return {
    draft,
    decidedBy: weakest(rivals.map((rival) => orderDecision(owner, rival))),
    contested: unknownRivals.some((rival) => rootDiffers(owner.info, rival.info)),
  };
}

/**
 * createServers, catch-all server `_`: its root starts at the controller's default backend with no
 * annotations. The first Ingress with spec.defaultBackend and NO rules takes it over
 * (IsDefBackend = false; its rewrite annotations are deliberately not applied). Ingresses that have
 * rules never change this root (only their own hosts' roots).
 */
function catchAllRoot(ruleLess: readonly Ranked[]): RootDraft {
  const [owner, ...rivals] = ruleLess;
  const draft: Draft = {
    path: '/',
    ingressPath: '/',
    pathType: 'Prefix',
    role: owner ? 'ingress-default-backend' : 'controller-default-backend',
    defaultBackendOf: owner?.key,
    isDefBackend: !owner,
    extraExactCopy: false,
  };
  if (!owner) return { draft, contested: false };
  const decisions = rivals.map((rival) => orderDecision(owner, rival));
  return { draft, decidedBy: weakest(decisions), contested: decisions.includes('unknown') };
}

/** SetDefaultNGINXPathType: nil and ImplementationSpecific become Prefix (other values are rejected by the API). */
function defaultedPathType(pathType: string): 'Exact' | 'Prefix' {
  return pathType === 'Exact' ? 'Exact' : 'Prefix';
}

/**
 * getBackendServers, for one path. The search stops at the FIRST location with the same path: a
 * different pathType there means "add" even when a later location has the same path and type
 * (the `break` behind kubernetes/ingress-nginx#10090 "duplicate location"). Same type: a root still
 * on a default backend is taken over; otherwise the earlier path keeps the location.
 */
function addPath(drafts: Draft[], input: NginxPathInput, ingress: Ranked, shadowed: ShadowedPath[]): void {
  const path = input.path === '' ? '/' : input.path;
  const pathType = defaultedPathType(input.pathType);
  for (const location of drafts) {
    if (location.path !== path) continue;
    if (location.pathType !== pathType) break;
    if (location.isDefBackend) {
      location.role = 'path';
      location.sourceId = input.id;
      location.annotations = ingress;
      location.defaultBackendOf = undefined;
      location.isDefBackend = false;
      return;
    }
    shadowed.push(shadowEntry(input.id, location, ingress));
    return;
  }
  drafts.push({ path, ingressPath: path, pathType, role: 'path', sourceId: input.id, annotations: ingress, isDefBackend: false, extraExactCopy: false });
}

function shadowEntry(id: number, keeper: Draft, ingress: Ranked): ShadowedPath {
  if (keeper.sourceId === undefined) return { id, keptByDefaultBackendOf: keeper.defaultBackendOf, decidedBy: 'server-setup' };
  return { id, keptId: keeper.sourceId, decidedBy: keeper.annotations ? orderDecision(keeper.annotations, ingress) : 'spec-order' };
}

/** Go compares strings bytewise; code point order is the same as UTF-8 byte order. */
function compareCodePoints(a: string, b: string): number {
  const left = [...a];
  const right = [...b];
  for (let i = 0; i < Math.min(left.length, right.length); i++) {
    const diff = (left[i].codePointAt(0) ?? 0) - (right[i].codePointAt(0) ?? 0);
    if (diff !== 0) return diff;
  }
  return left.length - right.length;
}

/**
 * getBackendServers sorts twice with sort.SliceStable: by Path descending, then by len(Path)
 * (bytes) descending — i.e. longest first, equal lengths in reverse byte order, identical paths in
 * insertion order (root first, then Ingress order). This happens BEFORE updateServerLocations.
 */
function sortLocations(drafts: Draft[]): void {
  drafts.sort((a, b) => utf8Length(b.path) - utf8Length(a.path) || compareCodePoints(b.path, a.path));
}

/** location.go normalizePrefixPath. */
function normalizePrefixPath(path: string): string {
  return path === '/' || path.endsWith('/') ? path : `${path}/`;
}

/**
 * location.go updateServerLocations (run by getConfiguration after the sort): a Prefix path
 * without rewrite and without its own use-regex becomes `/p/`, and — unless an Exact `/p` exists
 * — an exact copy `/p` is inserted right after it. `/`, Exact, rewriting and use-regex locations
 * stay as they are.
 */
function updateServerLocations(drafts: readonly Draft[]): Draft[] {
  const exactPaths = new Set(drafts.filter((d) => d.pathType === 'Exact').map((d) => d.path));
  const result: Draft[] = [];
  for (const draft of drafts) {
    const keep = draft.path === '/' || draft.pathType !== 'Prefix' || needsRewrite(draft.annotations?.info.rewriteTarget, draft.path) || draft.annotations?.info.useRegex === true;
    if (keep) {
      result.push(draft);
      continue;
    }
    const copy: Draft = { ...draft, pathType: 'Exact', extraExactCopy: true };
    draft.path = normalizePrefixPath(draft.path);
    result.push(draft);
    if (!exactPaths.has(copy.path)) result.push(copy);
  }
  return result;
}

/**
 * template.go enforceRegexModifier: any location (root and copies included) with a rewrite or
 * use-regex. The template runs needsRewrite on the FINAL path, so a Prefix `/p` whose target is
 * `/p` (no rewrite for updateServerLocations) becomes `/p/` and then does rewrite.
 */
function regexCauseOf(drafts: readonly Draft[]): ServerLocations['regexCause'] {
  for (const draft of drafts) {
    const info = draft.annotations?.info;
    if (!info) continue;
    const rewrites = needsRewrite(info.rewriteTarget, draft.path);
    if (!rewrites && !info.useRegex) continue;
    return {
      id: draft.sourceId,
      ingress: draft.annotations?.key ?? '',
      why: rewrites ? 'rewrite-target' : 'use-regex',
      templated: rewrites && info.rewriteTarget !== undefined && 'templated' in info.rewriteTarget,
    };
  }
  return undefined;
}

function rewriteOf(draft: Draft): LocationRewrite | undefined {
  const target = draft.annotations?.info.rewriteTarget;
  if (!target || !needsRewrite(target, draft.path)) return undefined;
  const shown = 'templated' in target ? '<templated>' : target.value;
  return { pattern: draft.path, target, directive: `rewrite "(?i)${draft.path}" ${shown} break;` };
}

/**
 * template.go buildLocation: regex mode `~* "^<path>"` for every location; else `= <path>` for
 * Exact, `<path>` otherwise. Non-regex paths are shown quoted, as the current e2e tests expect
 * (`location = "/foo"`, test/e2e/ingress/pathtype_mixed.go); quoting does not change matching.
 */
function finalize(draft: Draft, regex: boolean): NginxLocation {
  const modifier: LocationModifier = regex ? '~*' : draft.pathType === 'Exact' ? '=' : '';
  const directive = regex ? `location ~* "^${draft.path}"` : `location ${modifier ? '= ' : ''}"${draft.path}"`;
  const compiled = regex ? runRegex(locationPattern(draft.path), '/') : undefined;
  return {
    path: draft.path,
    modifier,
    directive,
    role: draft.role,
    sourceId: draft.sourceId,
    ingressPath: draft.ingressPath,
    pathType: draft.pathType,
    extraExactCopy: draft.extraExactCopy,
    ingress: draft.annotations?.key,
    defaultBackendOf: draft.defaultBackendOf,
    rewrite: rewriteOf(draft),
    regexError: compiled?.kind === 'invalid' ? compiled.error : undefined,
  };
}

/** nginx.tmpl: the catch-all server also has `location /healthz` (return 200; --health-check-path default) and `location /nginx_status`. */
const CATCH_ALL_INTERNAL: readonly NginxLocation[] = [
  { path: '/healthz', modifier: '', directive: 'location /healthz', role: 'controller-healthz', ingressPath: '/healthz', pathType: 'Prefix', extraExactCopy: false },
  { path: '/nginx_status', modifier: '', directive: 'location /nginx_status', role: 'controller-nginx-status', ingressPath: '/nginx_status', pathType: 'Prefix', extraExactCopy: false },
];

/**
 * Same directive twice. ngx_http_join_exact_locations rejects two exact or two prefix locations
 * with the same name ("duplicate location", nginx -t fails); regex locations are not checked and
 * the first one wins (kubernetes/ingress-nginx#7231 shows two `~* "^/finance/"`).
 */
function findDuplicates(locations: readonly NginxLocation[]): DuplicateLocation[] {
  const groups = new Map<string, NginxLocation[]>();
  for (const location of locations) groups.set(location.directive, [...(groups.get(location.directive) ?? []), location]);
  const duplicates: DuplicateLocation[] = [];
  for (const [directive, group] of groups) {
    const sourceIds = [...new Set(group.flatMap((l) => (l.sourceId === undefined ? [] : [l.sourceId])))];
    const fatal = group[0].modifier !== '~*';
    if (group.length > 1 && (fatal || sourceIds.length > 1)) duplicates.push({ directive, sourceIds, fatal });
  }
  return duplicates;
}

function serverHost(paths: readonly NginxPathInput[], options: ServerOptions): string {
  const host = paths[0]?.host ?? options.host ?? '';
  if (paths.some((p) => p.host !== host)) throw new Error('buildServerLocations: all paths must belong to one host');
  return host;
}

/**
 * The nginx server block ingress-nginx writes for one host: its locations in configuration order,
 * whether the host is in regex mode, and what the controller silently dropped. `host` '' is the
 * catch-all server `_`.
 */
export function buildServerLocations(paths: readonly NginxPathInput[], options: ServerOptions = {}): ServerLocations {
  const host = serverHost(paths, options);
  const ranked = rankIngresses([...(options.hostIngresses ?? []), ...paths.map((p) => p.ingress)]);
  const ignored: IgnoredPath[] = paths.flatMap((p): IgnoredPath[] => (p.ingress.canary ? [{ id: p.id, why: 'canary' }] : p.resourceBackend ? [{ id: p.id, why: 'resource-backend' }] : []));
  const root = host === '' ? catchAllRoot(rankIngresses(options.ruleLessDefaultBackends ?? [])) : namedHostRoot(ranked);

  const drafts: Draft[] = [root.draft];
  const shadowed: ShadowedPath[] = [];
  for (const ingress of ranked) {
    for (const input of paths) {
      if (ingressKey(input.ingress) === ingress.key && !input.resourceBackend) addPath(drafts, input, ingress, shadowed);
    }
  }
  sortLocations(drafts);
  const updated = updateServerLocations(drafts);
  const regexCause = regexCauseOf(updated);
  const ingressLocations = updated.map((draft) => finalize(draft, regexCause !== undefined));
  const locations = host === '' ? [...ingressLocations, ...CATCH_ALL_INTERNAL] : ingressLocations;
  const duplicates = findDuplicates(locations);
  return {
    host,
    mode: regexCause ? 'regex' : 'normal',
    regexCause,
    locations,
    root: { location: ingressLocations[updated.indexOf(root.draft)], decidedBy: root.decidedBy, contested: root.contested },
    shadowed,
    ignored,
    duplicates,
    nginxRejects: duplicates.some((d) => d.fatal),
    ingressOrder: ranked.map(({ key, seconds }) => ({ key, seconds })),
    orderKnown: ranked.every((r) => r.seconds !== undefined),
  };
}

// ---------------------------------------------------------------------------------------------
// nginx location selection

interface ChoiceBase {
  readonly location: NginxLocation;
  /** Another creation order of Ingresses without creationTimestamp could change the answer. */
  readonly orderDependent: boolean;
  /** Regex locations tried before the answer that JavaScript could not evaluate. */
  readonly unevaluated: readonly NginxLocation[];
}

export type LocationChoice =
  | (ChoiceBase & { readonly kind: 'path'; readonly sourceId: number; readonly captures?: readonly string[] })
  | (ChoiceBase & { readonly kind: 'default-backend'; readonly defaultBackendOf?: string })
  | (ChoiceBase & { readonly kind: 'controller-internal' })
  /** nginx's automatic 301 to `<path>/` (query string appended) for a proxied location named `<path>/`. */
  | (ChoiceBase & { readonly kind: 'redirect'; readonly status: 301; readonly to: string });

interface StaticResult {
  readonly exact?: NginxLocation;
  readonly redirect?: NginxLocation;
  readonly prefix?: NginxLocation;
}

/**
 * ngx_http_core_find_static_location over the exact (`=`) and prefix locations (case-sensitive
 * on Linux, ngx_filename_cmp): an exact name wins; a prefix location named exactly like the URI
 * wins next; then a location named `<uri>/` with auto_redirect (set by proxy_pass on names ending
 * in `/`, which every ingress-nginx location has) ends the search with NGX_DONE → 301; else the
 * longest prefix is remembered and the regexes get their turn.
 */
function findStatic(locations: readonly NginxLocation[], path: string): StaticResult {
  const statics = locations.filter((l) => l.modifier !== '~*');
  const exact = statics.find((l) => l.modifier === '=' && l.path === path);
  if (exact) return { exact };
  const prefix = statics.filter((l) => l.modifier === '' && path.startsWith(l.path)).reduce<NginxLocation | undefined>((best, l) => (best && best.path.length >= l.path.length ? best : l), undefined);
  const redirect = prefix?.path === path ? undefined : statics.find((l) => l.path === `${path}/`);
  return { redirect, prefix };
}

function decisionBetween(server: ServerLocations, a: string | undefined, b: string | undefined): OrderDecision {
  const left = server.ingressOrder.find((r) => r.key === a);
  const right = server.ingressOrder.find((r) => r.key === b);
  return left && right ? orderDecision(left, right) : 'spec-order';
}

/**
 * A path answer depends on the unknown creation order when a rival duplicate was dropped by an
 * unknown order, or (regex mode) when another matching location shares its sort position (same
 * Ingress path) and comes from an Ingress whose order relative to this one is unknown.
 */
function pathOrderDependent(server: ServerLocations, chosen: NginxLocation, path: string): boolean {
  if (server.shadowed.some((s) => s.keptId === chosen.sourceId && s.decidedBy === 'unknown')) return true;
  if (server.mode !== 'regex' || chosen === server.root.location) return false;
  return server.locations.some(
    (other) =>
      other !== chosen &&
      other !== server.root.location &&
      other.modifier === '~*' &&
      other.ingressPath === chosen.ingressPath &&
      decisionBetween(server, other.ingress, chosen.ingress) === 'unknown' &&
      runRegex(locationPattern(other.path), path).kind === 'match',
  );
}

function choose(server: ServerLocations, location: NginxLocation, path: string, unevaluated: readonly NginxLocation[], captures?: readonly string[]): LocationChoice {
  if (location.role === 'path' && location.sourceId !== undefined) {
    return { kind: 'path', location, sourceId: location.sourceId, captures, orderDependent: pathOrderDependent(server, location, path), unevaluated };
  }
  if (location.role === 'controller-healthz' || location.role === 'controller-nginx-status') {
    return { kind: 'controller-internal', location, orderDependent: false, unevaluated };
  }
  return { kind: 'default-backend', location, defaultBackendOf: location.defaultBackendOf, orderDependent: server.root.contested, unevaluated };
}

/**
 * The location nginx uses for an already normalised path (see normalizeRequestPath):
 * ngx_http_core_find_location — exact match, else the auto-redirect, else the FIRST matching regex
 * in configuration order, else the longest prefix. ingress-nginx regex mode has only regex
 * locations (plus the catch-all server's /healthz and /nginx_status), so the first match wins.
 */
export function selectLocation(server: ServerLocations, normalizedPath: string): LocationChoice {
  const statics = findStatic(server.locations, normalizedPath);
  if (statics.exact) return choose(server, statics.exact, normalizedPath, []);
  if (statics.redirect) return { kind: 'redirect', status: 301, to: statics.redirect.path, location: statics.redirect, orderDependent: false, unevaluated: [] };
  const unevaluated: NginxLocation[] = [];
  for (const location of server.locations) {
    if (location.modifier !== '~*') continue;
    const result = runRegex(locationPattern(location.path), normalizedPath);
    if (result.kind === 'invalid') unevaluated.push(location);
    if (result.kind === 'match') return choose(server, location, normalizedPath, unevaluated, result.groups);
  }
  // Every server has `/` (or `~* "^/"`), so a path that starts with `/` never gets here.
  return choose(server, statics.prefix ?? server.root.location, normalizedPath, unevaluated);
}

// ---------------------------------------------------------------------------------------------
// What the backend receives

export type UpstreamUri =
  /** `uri` is the request line target the backend sees. */
  | { readonly kind: 'proxied'; readonly uri: string; readonly rewritten: boolean }
  /** rewrite-target starting with http:// or https://: nginx answers 302 itself. */
  | { readonly kind: 'redirect'; readonly status: 302; readonly location: string }
  | { readonly kind: 'unknown'; readonly why: 'templated-rewrite-target' | 'nginx-variable' }
  | { readonly kind: 'bad-request'; readonly status: 400; readonly error: string };

/** `$1`…`$9` from the rewrite regex (one digit, like nginx's script compiler); any other `$…` is an nginx variable. */
function expandCaptures(target: string, groups: readonly string[]): string | undefined {
  let result = '';
  for (let i = 0; i < target.length; i++) {
    const next = target[i + 1] ?? '';
    if (target[i] !== '$') {
      result += target[i];
    } else if (next >= '1' && next <= '9') {
      result += groups[Number(next) - 1] ?? '';
      i++;
    } else {
      return undefined;
    }
  }
  return result;
}

/**
 * ngx_http_rewrite_module: the original arguments are appended ("?" or "&") unless the replacement
 * ends with "?"; a "?" inside the replacement starts new arguments.
 */
function splitRewritten(replacement: string, originalArgs: string | undefined): { readonly uri: string; readonly args: string } {
  const dropArgs = replacement.endsWith('?');
  const body = dropArgs ? replacement.slice(0, -1) : replacement;
  const question = body.indexOf('?');
  const uri = question < 0 ? body : body.slice(0, question);
  const newArgs = question < 0 ? '' : body.slice(question + 1);
  const kept = dropArgs ? '' : originalArgs ?? '';
  return { uri, args: newArgs && kept ? `${newArgs}&${kept}` : newArgs || kept };
}

function isAbsoluteUrl(target: string): boolean {
  return target.startsWith('http://') || target.startsWith('https://');
}

/**
 * The request the backend receives through `location` for the raw request target (path and query
 * as sent). ingress-nginx writes `proxy_pass http://upstream_balancer;` — no URI part — so nginx
 * passes the ORIGINAL request URI unchanged (not normalised, %-escapes kept) unless the location
 * rewrote it. After `rewrite "(?i)<path>" <target> break;` nginx sends the rewritten, decoded URI
 * re-escaped with NGX_ESCAPE_URI (space, `"`, `#`, `%`, `<`, `>`, `?`, `\`, `^`, `` ` ``, `{`, `|`,
 * `}`, controls and non-ASCII), plus `?` and the original arguments (ngx_http_proxy_create_request;
 * proxy_pass docs: "the full normalized request URI is passed when processing the changed URI").
 */
export function upstreamUri(location: NginxLocation, rawRequestTarget: string): UpstreamUri {
  const request = normalizeRequestPath(rawRequestTarget);
  if (request.error) return { kind: 'bad-request', status: 400, error: request.error };
  const rewrite = location.rewrite;
  if (!rewrite) return { kind: 'proxied', uri: rawRequestTarget, rewritten: false };
  if ('templated' in rewrite.target) return { kind: 'unknown', why: 'templated-rewrite-target' };
  const match = runRegex(`(?i)${rewrite.pattern}`, request.path);
  if (match.kind !== 'match') return { kind: 'proxied', uri: rawRequestTarget, rewritten: false };
  const replacement = expandCaptures(rewrite.target.value, match.groups);
  if (replacement === undefined) return { kind: 'unknown', why: 'nginx-variable' };
  const { uri, args } = splitRewritten(replacement, request.args);
  const query = args ? `?${args}` : '';
  // ngx_http_rewrite: a replacement starting with http:// or https:// is returned as a redirect (302 with `break`).
  if (isAbsoluteUrl(rewrite.target.value)) return { kind: 'redirect', status: 302, location: `${uri}${query}` };
  return { kind: 'proxied', uri: `${escapeUri(uri)}${query}`, rewritten: true };
}

// ---------------------------------------------------------------------------------------------
// nginx URI normalisation (ngx_http_parse_complex_uri, merge_slashes on — ingress-nginx does not turn it off)

export interface NormalizedRequest {
  /** The decoded, normalised path nginx matches locations against ($uri). */
  readonly path: string;
  /** The query string as sent (not decoded), without `?`; undefined when there is none. */
  readonly args?: string;
  /** `path` differs from the path as sent. */
  readonly changed: boolean;
  /** nginx answers 400 Bad Request; `path` is then the path as sent. */
  readonly error?: string;
}

const enum State {
  Usual,
  Slash,
  Dot,
  DotDot,
  Quoted,
  QuotedSecond,
}

const SLASH = 0x2f;
const DOT = 0x2e;
const PERCENT = 0x25;
const QUESTION = 0x3f;
const HASH = 0x23;

/** ngx_http_parse.c `usual[]`: bytes with no meaning to the parser (all but controls, space, # % + . / ? and DEL). */
function isUsual(byte: number): boolean {
  if (byte >= 0x80) return true;
  if (byte <= 0x20 || byte === 0x7f) return false;
  return !'#%+./?'.includes(String.fromCharCode(byte));
}

function utf8Bytes(text: string): number[] | undefined {
  const bytes: number[] = [];
  for (const char of text) {
    const code = char.codePointAt(0) ?? 0;
    if (code < 0x80) {
      bytes.push(code);
      continue;
    }
    if (code >= 0xd800 && code <= 0xdfff) return undefined;
    const encoded = encodeURIComponent(char);
    for (let i = 1; i < encoded.length; i += 3) bytes.push(parseInt(encoded.slice(i, i + 2), 16));
  }
  return bytes;
}

function utf8Length(text: string): number {
  return utf8Bytes(text)?.length ?? text.length;
}

function hex(byte: number): string {
  return `%${byte.toString(16).toUpperCase().padStart(2, '0')}`;
}

/** Bytes as text: UTF-8 when valid; otherwise ASCII as is and other bytes as %XX. */
function bytesToText(bytes: readonly number[]): string {
  try {
    return decodeURIComponent(bytes.map(hex).join(''));
  } catch {
    return bytes.map((b) => (b < 0x80 ? String.fromCharCode(b) : hex(b))).join('');
  }
}

/** ngx_escape_uri(NGX_ESCAPE_URI): controls, space, " # % < > ? \ ^ ` { | } DEL and non-ASCII bytes. */
function escapeUri(text: string): string {
  const bytes = utf8Bytes(text) ?? [];
  return bytes.map((b) => (b <= 0x20 || b >= 0x7f || '"#%<>?\\^`{|}'.includes(String.fromCharCode(b)) ? hex(b) : String.fromCharCode(b))).join('');
}

/** `u -= 4` then back to the previous `/` (sw_dot_dot); undefined when `..` climbs above the root. */
function parentEnd(out: readonly number[]): number | undefined {
  for (let u = out.length - 4; u >= 0; u--) if (out[u] === SLASH) return u + 1;
  return undefined;
}

interface ParseEnd {
  readonly out: number[];
  /** Index of the first argument byte (after a structural `?`). */
  readonly argsStart?: number;
  readonly error?: string;
}

/** A straight port of ngx_http_parse_complex_uri (non-Win32) over the bytes of the request target. */
function parseComplexUri(bytes: readonly number[]): ParseEnd {
  const out: number[] = [];
  const end = bytes.length;
  const at = (i: number): number => (i < end ? bytes[i] : 0x0a); // "after the URI there is always … the line feed"
  let state = State.Usual;
  let quotedState = State.Usual;
  let decoded = 0;
  let p = 0;
  let ch = at(p++);
  while (p <= end) {
    switch (state) {
      case State.Usual:
        if (isUsual(ch)) {
          out.push(ch);
        } else if (ch === SLASH) {
          state = State.Slash;
          out.push(ch);
        } else if (ch === PERCENT) {
          quotedState = state;
          state = State.Quoted;
        } else if (ch === QUESTION) {
          return { out, argsStart: p };
        } else if (ch === HASH) {
          return { out };
        } else {
          out.push(ch);
        }
        ch = at(p++);
        break;
      case State.Slash:
        if (isUsual(ch)) {
          state = State.Usual;
          out.push(ch);
        } else if (ch === SLASH) {
          // merge_slashes on: the second slash is dropped
        } else if (ch === DOT) {
          state = State.Dot;
          out.push(ch);
        } else if (ch === PERCENT) {
          quotedState = state;
          state = State.Quoted;
        } else if (ch === QUESTION) {
          return { out, argsStart: p };
        } else if (ch === HASH) {
          return { out };
        } else {
          state = State.Usual;
          out.push(ch);
        }
        ch = at(p++);
        break;
      case State.Dot:
        if (isUsual(ch)) {
          state = State.Usual;
          out.push(ch);
        } else if (ch === SLASH) {
          state = State.Slash;
          out.pop();
        } else if (ch === DOT) {
          state = State.DotDot;
          out.push(ch);
        } else if (ch === PERCENT) {
          quotedState = state;
          state = State.Quoted;
        } else if (ch === QUESTION || ch === HASH) {
          out.pop();
          return ch === QUESTION ? { out, argsStart: p } : { out };
        } else {
          state = State.Usual;
          out.push(ch);
        }
        ch = at(p++);
        break;
      case State.DotDot:
        if (isUsual(ch)) {
          state = State.Usual;
          out.push(ch);
        } else if (ch === SLASH || ch === QUESTION || ch === HASH) {
          const parent = parentEnd(out);
          if (parent === undefined) return { out, error: '".." climbs above "/"' };
          out.length = parent;
          if (ch === QUESTION) return { out, argsStart: p };
          if (ch === HASH) return { out };
          state = State.Slash;
        } else if (ch === PERCENT) {
          quotedState = state;
          state = State.Quoted;
        } else {
          state = State.Usual;
          out.push(ch);
        }
        ch = at(p++);
        break;
      case State.Quoted: {
        const value = hexValue(ch);
        if (value === undefined) return { out, error: 'invalid %-escape' };
        decoded = value;
        state = State.QuotedSecond;
        ch = at(p++);
        break;
      }
      case State.QuotedSecond: {
        const value = hexValue(ch);
        if (value === undefined) return { out, error: 'invalid %-escape' };
        const digit = ch >= 0x30 && ch <= 0x39;
        ch = decoded * 16 + value;
        if (ch === 0) return { out, error: '%00 in the path' };
        // A decoded % or # (digit branch) or ? (letter branch) is taken literally; any other byte is
        // re-read in the state before the escape, so %2F is a slash and %2E a dot.
        const literal = digit ? ch === PERCENT || ch === HASH : ch === QUESTION;
        if (literal) {
          state = State.Usual;
          out.push(ch);
          ch = at(p++);
        } else {
          state = quotedState;
        }
        break;
      }
    }
  }
  if (state === State.Quoted || state === State.QuotedSecond) return { out, error: 'invalid %-escape' };
  if (state === State.Dot) out.pop();
  if (state === State.DotDot) {
    const parent = parentEnd(out);
    if (parent === undefined) return { out, error: '".." climbs above "/"' };
    out.length = parent;
  }
  return { out };
}

function hexValue(ch: number): number | undefined {
  if (ch >= 0x30 && ch <= 0x39) return ch - 0x30;
  const lower = ch | 0x20;
  return lower >= 0x61 && lower <= 0x66 ? lower - 0x61 + 10 : undefined;
}

/** The query string (raw) between a structural `?` and an optional `#` (the `args:` label). */
function argsFrom(bytes: readonly number[], start: number): string {
  const hash = bytes.indexOf(HASH, start);
  return bytesToText(bytes.slice(start, hash < 0 ? bytes.length : hash));
}

function rawPathOf(raw: string): string {
  const cut = [raw.indexOf('?'), raw.indexOf('#')].filter((i) => i >= 0);
  return cut.length ? raw.slice(0, Math.min(...cut)) : raw;
}

/**
 * nginx's view of a request target (origin form: path and optional `?query`): %-decoding, `.` and
 * `..` segments resolved, `//` merged (ngx_http_parse_complex_uri with merge_slashes on). `path`
 * is what locations are matched against; the backend receives this form only when the location
 * rewrote the URI — otherwise it gets the target exactly as sent (see upstreamUri). Errors are the
 * 400 Bad Request cases: `..` above `/`, a bad or `%00` escape, control characters or spaces, and a
 * target that does not start with `/`.
 */
export function normalizeRequestPath(raw: string): NormalizedRequest {
  const rawPath = rawPathOf(raw);
  const bytes = utf8Bytes(raw);
  if (!bytes) return { path: rawPath, changed: false, error: 'not valid Unicode' };
  if (bytes[0] !== SLASH) return { path: rawPath, changed: false, error: 'the request target must start with "/"' };
  // ngx_http_parse_request_line: a space ends the target and control characters are refused.
  if (bytes.some((b) => b <= 0x20 || b === 0x7f)) return { path: rawPath, changed: false, error: 'space or control character in the request target' };
  const parsed = parseComplexUri(bytes);
  if (parsed.error) return { path: rawPath, changed: false, error: parsed.error };
  const path = bytesToText(parsed.out);
  const args = parsed.argsStart === undefined ? undefined : argsFrom(bytes, parsed.argsStart);
  return { path, args, changed: path !== rawPath };
}
