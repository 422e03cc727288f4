/**
 * Ingress (ingress-nginx) → Gateway API, translating what ingress-nginx does rather than what the
 * fields say (docs/gateway-api-semantics.md §12), and reporting what cannot be translated.
 * Where the standard converter (ingress2gateway) changes behaviour (§12.3), this one does not:
 *
 * - a capture-group rewrite (`/abc(/|$)(.*)` + `/$2`) becomes `PathPrefix /abc` +
 *   `ReplacePrefixMatch /`, never a literal `ReplaceFullPath: /$2`;
 * - listener names are unique per host (`*.foo.com` and `foo.com` get different names);
 * - Ingresses without a class (served by the default IngressClass) are migrated;
 * - the same host and path in two Ingresses is not turned into a traffic split: ingress-nginx
 *   serves the oldest, so only that one is migrated and the other is reported.
 *
 * The output is proved by tracing samples through both workspaces (migrate/prove.ts).
 */
import { Document, isMap, isScalar, isSeq, parseAllDocuments } from 'yaml';
import type { Gateway, Ingress, IngressBackend, IngressPath, Service } from '../model';
import { intersectHostnames } from '../semantics/gatewayApi';
import type { Workspace } from '../workspace/workspace';
import { annotationMap, controllerOf } from '../links/ingressController';
import { backendLinks, linkedService } from '../features/related';
import { nameOf } from '../links/describe';
import { goAtoi, goParseBool, isValidRewriteTarget, parseCanaryAnnotations } from '../semantics/nginxAnnotations';
import { regexModeCause } from '../semantics/nginx';
import { known } from '../model';

export interface MigrateOptions {
  /** `gatewayClassName` of the generated Gateways. */
  readonly gatewayClass: string;
  /** Attach the routes to this existing Gateway (`namespace/name`) instead of generating Gateways. */
  readonly gateway?: string;
  /** Only Ingresses in these files (URIs); all when absent. */
  readonly uris?: readonly string[];
  /** Only these Ingresses (resource ids); all when absent (the quick fix converts one). */
  readonly ids?: readonly string[];
}

export type NoteKind = 'untranslatable' | 'not-migrated' | 'warning' | 'info';

export interface MigrationNote {
  readonly kind: NoteKind;
  /** `namespace/name` of the Ingress. */
  readonly ingress: string;
  readonly uri: string;
  readonly line: number;
  readonly message: string;
}

/** A generated object, as the YAML document that will be written. */
export interface MigratedObject {
  readonly kind: 'Gateway' | 'HTTPRoute' | 'ReferenceGrant';
  readonly namespace: string;
  readonly name: string;
  readonly object: Record<string, unknown>;
  readonly comment: string;
}

export type SampleVariant = 'path' | 'slash' | 'no-slash' | 'deeper' | 'query' | 'near-miss' | 'http';

/** A request that checks one Ingress path after migration (migrate/prove.ts traces it both ways). */
export interface MigrationSample {
  readonly url: string;
  readonly ingress: string;
  /** The Ingress path it checks, as written (`/abc(/|$)(.*)`). */
  readonly path: string;
  /** What the request is: the path itself, with or without its trailing slash, deeper, with a query, or a near miss that must not match. */
  readonly variant: SampleVariant;
  /** The Ingress matched this path by characters (ImplementationSpecific, regex mode), where PathPrefix matches whole segments. */
  readonly characterPrefix: boolean;
  /** The Ingress's file: independent manifests that serve the same host are traced apart (trace `from`). */
  readonly uri: string;
  /** The Gateway the migrated request goes to (`namespace/name`). */
  readonly gateway: string;
}

export interface MigrationResult {
  readonly objects: readonly MigratedObject[];
  readonly notes: readonly MigrationNote[];
  readonly samples: readonly MigrationSample[];
  /** The Ingresses migrated (ids). */
  readonly migrated: readonly string[];
  /** All generated objects as one multi-document YAML text. */
  readonly yaml: string;
}

const GATEWAY_API = 'gateway.networking.k8s.io/v1';

/** Annotations translated below; every other `nginx.ingress.kubernetes.io/*` is reported with advice. */
const TRANSLATED = new Set(['rewrite-target', 'use-regex', 'ssl-redirect', 'force-ssl-redirect', 'app-root', 'permanent-redirect', 'permanent-redirect-code', 'temporal-redirect', 'temporal-redirect-code', 'canary', 'canary-weight', 'canary-weight-total', 'canary-by-header', 'canary-by-header-value', 'upstream-vhost']);

const ADVICE: readonly [RegExp, string][] = [
  [/^(proxy-(connect|send|read)-timeout)$/, 'HTTPRoute `timeouts.request` / `timeouts.backendRequest` (one whole-request timeout, not per operation)'],
  [/^(enable-cors|cors-.*)$/, 'the HTTPRoute `CORS` filter (Standard since v1.5)'],
  [/^backend-protocol$/, 'a GRPCRoute (GRPC) or a BackendTLSPolicy (HTTPS)'],
  [/^(auth-.*|.*-auth-.*)$/, 'your implementation\'s authentication policy (or the experimental ExternalAuth filter)'],
  [/^(whitelist-source-range|allowlist-source-range|denylist-source-range)$/, 'your implementation\'s IP allow/deny policy'],
  [/^(affinity|session-cookie-.*|affinity-mode)$/, 'your implementation\'s session persistence policy (sessionPersistence is experimental)'],
  [/^(limit-.*)$/, 'your implementation\'s rate-limit policy'],
  [/^(proxy-body-size|client-body-buffer-size)$/, 'your implementation\'s client traffic policy'],
  [/^(configuration-snippet|server-snippet|stream-snippet|auth-snippet|modsecurity-snippet)$/, 'nothing: snippets have no Gateway API equivalent'],
  [/^canary-by-(cookie|header-pattern)$/, 'nothing portable: Gateway API matches headers exactly (or by an implementation-specific regex)'],
];

function advice(name: string): string {
  return ADVICE.find(([re]) => re.test(name))?.[1] ?? 'an implementation-specific policy, or nothing';
}

/** DNS-label-safe slug of a host, distinct for `*.foo.com` and `foo.com` (§12.3 item 9). */
function hostSlug(host: string): string {
  const wildcard = host.startsWith('*.');
  const slug = (wildcard ? host.slice(2) : host).toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '');
  return `${wildcard ? 'wildcard-' : ''}${slug || 'host'}`.slice(0, 200);
}

const REGEX_META = /[()[\]{}*+?|^$\\]/;

/** How a path and the Ingress's rewrite-target translate: a match, an optional URLRewrite path, or why not. */
interface PathPlan {
  readonly match?: { type: 'Exact' | 'PathPrefix' | 'RegularExpression'; value: string };
  readonly rewritePath?: { type: 'ReplacePrefixMatch'; replacePrefixMatch: string } | { type: 'ReplaceFullPath'; replaceFullPath: string };
  readonly untranslatable?: string;
  readonly warning?: string;
}

/**
 * ingress-nginx's prefix-strip idioms (§12.4): `P(/|$)(.*)` + `T/$2`, `P/(.*)` + `T/$1`,
 * `/(.*)` + `T/$1` become `PathPrefix P` + `ReplacePrefixMatch T` (T = `/` when empty).
 */
export function prefixStrip(path: string, target: string): { prefix: string; replacement: string } | undefined {
  const literal = (s: string) => !REGEX_META.test(s) && !s.includes('.') ? s : undefined;
  let m = /^(\/.*?)\(\/\|\$\)\(\.\*\)$/.exec(path);
  const t2 = /^(\/?[^$]*?)\/?\$2$/.exec(target);
  if (m && t2 && literal(m[1]) !== undefined && literal(t2[1]) !== undefined) return { prefix: m[1], replacement: t2[1] || '/' };
  m = /^(\/.*?)\/\(\.\*\)$/.exec(path) ?? /^()\/\(\.\*\)$/.exec(path);
  const t1 = /^(\/?[^$]*?)\/?\$1$/.exec(target);
  if (m && t1 && literal(m[1]) !== undefined && literal(t1[1]) !== undefined) return { prefix: m[1] || '/', replacement: t1[1] || '/' };
  return undefined;
}

function planPath(ingress: Ingress, path: IngressPath): PathPlan {
  const value = known(path.path) ?? '/';
  const pathType = known(path.pathType) ?? 'ImplementationSpecific';
  const target = known(ingress.rewriteTarget);
  const validTarget = target !== undefined && isValidRewriteTarget(target) ? target : undefined;
  const regex = regexModeCause(ingress) !== undefined;
  if (validTarget !== undefined && validTarget !== value) {
    // nginx substitutes an empty string for a group the path does not have (`/` + `/$1` → `/`).
    const groups = (value.match(/(?<!\\)\((?!\?)/g) ?? []).length;
    const effective = validTarget.replace(/\$(\d)/g, (whole, n: string) => (Number(n) > groups ? '' : whole)) || '/';
    if (!effective.includes('$')) {
      if (REGEX_META.test(value)) return { untranslatable: `path \`${value}\` is a regular expression and the rewrite-target \`${validTarget}\` is constant: Gateway API has no regex path with a rewrite` };
      return { match: { type: 'PathPrefix', value }, rewritePath: { type: 'ReplaceFullPath', replaceFullPath: effective } };
    }
    const strip = prefixStrip(value, validTarget);
    if (strip) return { match: { type: 'PathPrefix', value: strip.prefix }, rewritePath: { type: 'ReplacePrefixMatch', replacePrefixMatch: strip.replacement } };
    return { untranslatable: `rewrite-target \`${validTarget}\` on path \`${value}\` uses capture groups in a way Gateway API cannot express (only a prefix strip, \`ReplacePrefixMatch\`, or a constant, \`ReplaceFullPath\`, can be)` };
  }
  if (regex && REGEX_META.test(value)) {
    return { match: { type: 'RegularExpression', value }, warning: `path \`${value}\` is a regular expression: it becomes a \`RegularExpression\` match, whose dialect, anchoring and precedence are implementation-specific` };
  }
  if (REGEX_META.test(value)) return { untranslatable: `path \`${value}\` contains regex characters that Exact and PathPrefix values may not have` };
  // In regex mode ingress-nginx writes every location as `~* "^path"`, Exact ones too (nginx.tmpl
  // buildLocation): the nearest Gateway API match is then a prefix.
  if (pathType === 'Exact' && !regex) return { match: { type: 'Exact', value } };
  return { match: { type: 'PathPrefix', value } };
}

interface RuleDraft {
  readonly matches: Record<string, unknown>[];
  readonly filters: Record<string, unknown>[];
  readonly backendRefs: Record<string, unknown>[];
  readonly comment?: string;
}

export function migrateIngresses(ws: Workspace, options: MigrateOptions): MigrationResult {
  const q = ws.query();
  const notes: MigrationNote[] = [];
  const note = (ingress: Ingress, kind: NoteKind, message: string, line?: number) =>
    notes.push({ kind, ingress: `${ingress.namespace}/${nameOf(ingress)}`, uri: ingress.uri, line: (line ?? ingress.anchor.start.line) + 1, message });
  const everyIngress = ws.allResources().filter((r): r is Ingress => r.type === 'ingress' && !r.opaqueIdentity && !r.build);
  // Canaries and duplicates are decided over the whole workspace: converting one Ingress still
  // takes its canary along, and still loses a host + path another Ingress owns.
  const isCanary = (i: Ingress) => i.canary && parseCanaryAnnotations(annotationMap(i.annotations)).enabled;
  const canaries = everyIngress.filter(isCanary);
  const allMains = everyIngress.filter((i) => !isCanary(i));
  const mains = allMains.filter((r) => (!options.uris || options.uris.includes(r.uri)) && (!options.ids || options.ids.includes(r.id)));
  const objects: MigratedObject[] = [];
  const samples: MigrationSample[] = [];
  const migrated: string[] = [];
  const existing = options.gateway ? findGateway(ws, options.gateway) : undefined;

  // One Gateway per (namespace, class), as the Ingresses' controller served them; or the one named.
  // An Ingress without a class is served by the default IngressClass (and kept: §12.3 item 6).
  const groups = new Map<string, Ingress[]>();
  for (const ingress of mains) {
    const choice = controllerOf(q, ingress);
    if (choice.classSource === 'none' || choice.classSource === 'default') {
      note(ingress, 'info', choice.className ? `has no class: migrated as served by the default IngressClass \`${choice.className}\`` : 'has no class and the manifests define no default IngressClass: migrated as if the controller serves it');
    }
    const key = options.gateway ?? `${ingress.namespace}/${choice.className || options.gatewayClass}`;
    groups.set(key, [...(groups.get(key) ?? []), ingress]);
  }
  // The same host + path + pathType in two Ingresses: ingress-nginx serves the oldest (then
  // namespace/name), so only that one is migrated, never a traffic split (§12.3 item 4).
  // Only Ingresses applied together compete (an alternative example in another file does not).
  const claimed = new Map<string, Ingress>();
  const order = [...allMains].sort((a, b) => (a.creationTimestamp ?? '\uffff').localeCompare(b.creationTimestamp ?? '\uffff') || `${a.namespace}/${nameOf(a)}`.localeCompare(`${b.namespace}/${nameOf(b)}`));
  const loses = (ingress: Ingress, host: string, path: IngressPath): Ingress | undefined => {
    const key = `${ws.unitOf(ingress)}\u0000${host}\u0000${known(path.path) ?? '/'}\u0000${known(path.pathType) ?? 'ImplementationSpecific'}`;
    const owner = claimed.get(key);
    if (!owner) claimed.set(key, ingress);
    return owner && owner !== ingress ? owner : undefined;
  };
  for (const ingress of order) for (const rule of ingress.rules) for (const path of rule.paths) loses(ingress, known(rule.host) ?? '', path);

  for (const [gatewayKey, ingresses] of groups) {
    const [gwNamespace, gatewayName] = gatewayKey.split('/') as [string, string];
    const routeNamespaces = [...new Set(ingresses.map((i) => i.namespace))].sort();
    // A new Gateway accepts exactly the namespaces of its routes: `Same` when they are its own,
    // else a selector on the name label every Namespace carries (kubernetes.io/metadata.name).
    const allowedRoutes = routeNamespaces.length === 1 && routeNamespaces[0] === gwNamespace
      ? { namespaces: { from: 'Same' } }
      : { namespaces: { from: 'Selector', selector: { matchExpressions: [{ key: 'kubernetes.io/metadata.name', operator: 'In', values: routeNamespaces }] } } };
    const listeners = new Map<string, Record<string, unknown>>();
    const grants = new Map<string, Set<string>>();
    const migratedCanaries = new Set<string>();
    /** The listener names a route for `host` attaches to (generated, or found on the existing Gateway). */
    const listenersFor = (ingress: Ingress, host: string, https: boolean, secrets: readonly string[]): string[] => {
      const protocol = https ? 'HTTPS' : 'HTTP';
      if (existing) {
        const names = existing.listeners
          .filter((l) => known(l.protocol) === protocol && (l.hostname === undefined || (known(l.hostname) !== undefined && intersectHostnames(known(l.hostname), host || undefined) !== null)))
          .map((l) => known(l.name))
          .filter((n): n is string => n !== undefined);
        if (names.length === 0) note(ingress, 'untranslatable', `Gateway \`${gatewayKey}\` has no ${protocol} listener for \`${host || '*'}\`: add one (its routes cannot attach)`);
        return names;
      }
      const found = [...listeners.entries()].find(([, l]) => (l.hostname ?? '') === host && l.protocol === protocol);
      if (found) return [found[0]];
      const base = `${https ? 'https' : 'http'}${host ? `-${hostSlug(host)}` : ''}`;
      let name = base;
      for (let n = 2; listeners.has(name); n++) name = `${base}-${n}`;
      const crossNamespace = ingress.namespace !== gwNamespace;
      if (https && crossNamespace) for (const s of secrets) grants.set(ingress.namespace, new Set([...(grants.get(ingress.namespace) ?? []), s]));
      listeners.set(name, {
        name,
        ...(host ? { hostname: host } : {}),
        port: https ? 443 : 80,
        protocol,
        ...(https ? { tls: { mode: 'Terminate', certificateRefs: secrets.map((s) => ({ kind: 'Secret', name: s, ...(crossNamespace ? { namespace: ingress.namespace } : {}) })) } } : {}),
        allowedRoutes,
      });
      return [name];
    };

    for (const ingress of ingresses) {
      const annotations = annotationMap(ingress.annotations);
      const comments = ingressComments(ws, ingress);
      for (const [key] of Object.entries(annotations)) {
        const name = key.startsWith(NGINX) ? key.slice(NGINX.length) : undefined;
        if (name !== undefined ? !TRANSLATED.has(name) : OTHER_CONTROLLERS.test(key)) note(ingress, 'not-migrated', `annotation \`${name ?? key}\` is not migrated: use ${name !== undefined ? advice(name) : 'an implementation-specific policy, or nothing'}`);
      }
      // A templated host (`registry.<your domain>`) cannot be a listener hostname: left out, said so.
      for (const r of ingress.rules) if (r.host?.unknown) note(ingress, 'untranslatable', 'the host is a template placeholder: its rule is left out (render the template first)', r.host.range.start.line);
      const hosts = [...new Set(ingress.rules.filter((r) => !r.host?.unknown).map((r) => known(r.host) ?? ''))];
      if (ingress.defaultBackend && !hosts.includes('')) hosts.push('');
      const tlsSecrets = (host: string) => {
        if (!host || ingress.tlsEntries === 0) return [];
        const secrets = secretsOf(ingress, host);
        // ingress-nginx serves every host of an Ingress with a tls entry over https, with the
        // controller's default certificate when no secret covers it.
        if (secrets.length === 0 && ingress.tlsHosts.includes(host)) note(ingress, 'warning', `host \`${host}\` is served over https with the controller's default certificate: no HTTPS listener is generated for it (it needs a certificateRef)`);
        return secrets;
      };
      let any = false;
      for (const host of hosts) {
        const secrets = tlsSecrets(host);
        const https = secrets.length > 0;
        const sslRedirect = https ? goParseBool(annotations[`${NGINX}ssl-redirect`] ?? 'true') !== false : false;
        const forceSsl = goParseBool(annotations[`${NGINX}force-ssl-redirect`] ?? 'false') === true;
        const rules: RuleDraft[] = [];
        const redirect = redirectFilter(annotations);
        const appRoot = annotations[`${NGINX}app-root`];
        // app-root answers `/` before any location and before the TLS redirect (nginx.tmpl server block).
        const appRootRule: RuleDraft | undefined = appRoot && isValidRewriteTarget(appRoot) && appRoot.startsWith('/')
          ? { matches: [{ path: { type: 'Exact', value: '/' } }], filters: [{ type: 'RequestRedirect', requestRedirect: { path: { type: 'ReplaceFullPath', replaceFullPath: appRoot }, statusCode: 302 } }], backendRefs: [], comment: ` app-root: ${appRoot}` }
          : undefined;
        if (appRootRule) rules.push(appRootRule);
        const vhost = annotations[`${NGINX}upstream-vhost`];
        const hostSamples: MigrationSample[] = [];
        for (const rule of ingress.rules.filter((r) => !r.host?.unknown && (known(r.host) ?? '') === host)) {
          for (const path of rule.paths) {
            const owner = loses(ingress, host, path);
            if (owner) {
              note(ingress, 'warning', `\`${host || '*'}${known(path.path) ?? '/'}\` is also defined by Ingress \`${owner.namespace}/${nameOf(owner)}\`, which ingress-nginx serves (the older one); this path is left out rather than becoming a traffic split`, path.range.start.line);
              continue;
            }
            const plan = planPath(ingress, path);
            if (plan.untranslatable) {
              note(ingress, 'untranslatable', plan.untranslatable, path.range.start.line);
              continue;
            }
            if (plan.warning) note(ingress, 'warning', plan.warning, path.range.start.line);
            const backend = backendRef(ws, ingress, path.backend, (m) => note(ingress, 'untranslatable', m, path.range.start.line));
            if (!backend && !redirect) continue;
            const filters: Record<string, unknown>[] = [];
            if (redirect) filters.push(redirect);
            else if (plan.rewritePath || vhost) filters.push({ type: 'URLRewrite', urlRewrite: { ...(vhost ? { hostname: vhost } : {}), ...(plan.rewritePath ? { path: plan.rewritePath } : {}) } });
            const draft: RuleDraft = { matches: [{ path: plan.match! }], filters, backendRefs: redirect || !backend ? [] : [backend], comment: comments.get(path.range.start.line) };
            rules.push(...withCanaries(ws, ingress, host, path, plan, draft, canaries, note, (id) => migratedCanaries.add(id)));
            const pathType = known(path.pathType) ?? 'ImplementationSpecific';
            const characterPrefix = pathType === 'ImplementationSpecific' || regexModeCause(ingress) !== undefined;
            hostSamples.push(...samplesFor(host, https, plan.match!, known(path.path) ?? '/', characterPrefix, ingress, `${gwNamespace}/${gatewayName}`));
          }
        }
        if (host === '' && ingress.defaultBackend) {
          const backend = backendRef(ws, ingress, ingress.defaultBackend, (m) => note(ingress, 'untranslatable', m));
          if (backend) {
            rules.push({ matches: [{ path: { type: 'PathPrefix', value: '/' } }], filters: [], backendRefs: [backend], comment: ' spec.defaultBackend' });
            if (!ingress.rules.some((r) => (known(r.host) ?? '') === '' && r.paths.some((p) => (known(p.path) ?? '/') === '/'))) hostSamples.push(...samplesFor('', false, { type: 'PathPrefix', value: '/' }, '(defaultBackend)', false, ingress, `${gwNamespace}/${gatewayName}`));
          }
        }
        if (rules.length === 0 || (rules.length === 1 && rules[0] === appRootRule)) continue;
        const httpListeners = listenersFor(ingress, host, false, []);
        const httpsListeners = https ? listenersFor(ingress, host, true, secrets) : [];
        any = true;
        samples.push(...hostSamples);
        const routeName = hosts.length > 1 ? `${nameOf(ingress)}-${host ? hostSlug(host) : 'all-hosts'}` : nameOf(ingress);
        const parent = (sectionName: string) => ({ name: gatewayName, ...(gwNamespace !== ingress.namespace ? { namespace: gwNamespace } : {}), sectionName });
        const redirectToHttps = https ? sslRedirect || forceSsl : forceSsl;
        const mainParents = redirectToHttps && https ? httpsListeners.map(parent) : [...httpListeners, ...httpsListeners].map(parent);
        if (!redirectToHttps || https) objects.push(route(ingress, routeName, mainParents, host, rules, comments.get(-1)));
        if (redirectToHttps) {
          note(ingress, 'info', `http requests for \`${host || '*'}\` are redirected to https (${forceSsl ? 'force-ssl-redirect' : 'ssl-redirect'}), as ingress-nginx does: a second HTTPRoute on the http listener`);
          // ingress-nginx redirects every http request of the server (the host), not only the
          // Ingress's paths; app-root still answers `/` first.
          const toHttps: RuleDraft = { matches: [{ path: { type: 'PathPrefix', value: '/' } }], filters: [{ type: 'RequestRedirect', requestRedirect: { scheme: 'https', statusCode: 308 } }], backendRefs: [] };
          objects.push(route(ingress, `${routeName}-https-redirect`, httpListeners.map(parent), host, appRootRule ? [appRootRule, toHttps] : [toHttps], undefined));
        }
      }
      if (any) migrated.push(ingress.id);
    }
    migrated.push(...[...migratedCanaries].filter((id) => !migrated.includes(id)));
    if (!existing && listeners.size > 0) {
      objects.unshift({
        kind: 'Gateway',
        namespace: gwNamespace,
        name: gatewayName,
        comment: ` Gateway for the Ingresses ${options.gateway ? `attached to ${options.gateway}` : `of class ${gatewayName} in namespace ${gwNamespace}`}`,
        object: { apiVersion: GATEWAY_API, kind: 'Gateway', metadata: { name: gatewayName, namespace: gwNamespace }, spec: { gatewayClassName: options.gatewayClass, listeners: [...listeners.values()] } },
      });
    }
    // A Gateway in another namespace may use the Ingresses' TLS Secrets only with a grant there (§11).
    for (const [namespace, secrets] of grants) {
      const name = `${gatewayName}-certificates`;
      objects.push({
        kind: 'ReferenceGrant',
        namespace,
        name,
        comment: ` lets Gateway ${gwNamespace}/${gatewayName} use the TLS Secrets of namespace ${namespace}`,
        object: { apiVersion: 'gateway.networking.k8s.io/v1beta1', kind: 'ReferenceGrant', metadata: { name, namespace }, spec: { from: [{ group: 'gateway.networking.k8s.io', kind: 'Gateway', namespace: gwNamespace }], to: [...secrets].sort().map((s) => ({ group: '', kind: 'Secret', name: s })) } },
      });
    }
  }
  return { objects, notes, samples, migrated, yaml: toYaml(objects) };
}

const NGINX = 'nginx.ingress.kubernetes.io/';
/** Annotations of other Ingress controllers: they change routing too, and are not migrated either. */
const OTHER_CONTROLLERS = /^(alb\.ingress\.kubernetes\.io|traefik\.ingress\.kubernetes\.io|nginx\.org|ingress\.kubernetes\.io|haproxy\.org|konghq\.com|ingress\.gcp\.kubernetes\.io)\//;

function findGateway(ws: Workspace, ref: string): Gateway | undefined {
  const [namespace, name] = ref.split('/');
  return ws.allResources().find((r): r is Gateway => r.type === 'gateway' && r.kind === 'Gateway' && r.namespace === namespace && known(r.name) === name);
}

/** The 0-based line of a position in a text. */
function offsetOf(text: string, line: number, character: number): number {
  let offset = 0;
  for (let l = 0; l < line; l++) {
    const next = text.indexOf('\n', offset);
    if (next < 0) return text.length;
    offset = next + 1;
  }
  return offset + character;
}

/**
 * The comments of an Ingress to carry over: the one before the document (key -1) and the one
 * before each path item (keyed by the item's first line). Read from the file's own text with
 * `yaml`, so nothing is lost but what Gateway API has no place for.
 */
function ingressComments(ws: Workspace, ingress: Ingress): Map<number, string> {
  const out = new Map<number, string>();
  const text = ws.text(ingress.uri);
  if (text === undefined || text.length > 1_000_000) return out;
  try {
    const start = offsetOf(text, ingress.range.start.line, ingress.range.start.character);
    const doc = parseAllDocuments(text).find((d) => !(d instanceof Object && 'empty' in d) && d.range[0] <= start && start <= d.range[2]);
    if (!doc || !('contents' in doc)) return out;
    const top = doc.commentBefore ?? (isMap(doc.contents) ? doc.contents.commentBefore ?? (isScalar(doc.contents.items[0]?.key) ? doc.contents.items[0].key.commentBefore : undefined) : undefined);
    if (top) out.set(-1, top);
    const rules = doc.getIn(['spec', 'rules']);
    if (!isSeq(rules)) return out;
    for (const rule of rules.items) {
      const paths = isMap(rule) ? rule.getIn(['http', 'paths']) : undefined;
      if (!isSeq(paths)) continue;
      for (const [index, item] of paths.items.entries()) {
        if (!isMap(item) || !item.range) continue;
        // `yaml` keeps the comment before a sequence's first item on the sequence.
        const comment = item.commentBefore ?? (isScalar(item.items[0]?.key) ? item.items[0].key.commentBefore : undefined) ?? (index === 0 ? paths.commentBefore : undefined);
        if (!comment) continue;
        const line = text.slice(0, item.range[0]).split('\n').length - 1;
        out.set(line, comment);
      }
    }
  } catch {
    // Comments are a courtesy: a document the parser cannot walk keeps none.
  }
  return out;
}

/** The secrets of the `spec.tls` entries that cover a host (an entry without hosts covers all). */
function secretsOf(ingress: Ingress, host: string): string[] {
  return [...new Set(ingress.tls.filter((t) => t.hosts.length === 0 || t.hosts.includes(host)).map((t) => t.secretName).filter((s): s is string => s !== undefined))];
}

/** permanent-redirect / temporal-redirect: every rule redirects (redirect.go). */
function redirectFilter(annotations: Readonly<Record<string, string>>): Record<string, unknown> | undefined {
  const temporal = annotations['nginx.ingress.kubernetes.io/temporal-redirect'];
  const permanent = annotations['nginx.ingress.kubernetes.io/permanent-redirect'];
  const url = temporal ?? permanent;
  if (!url) return undefined;
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return undefined;
  }
  const codeText = temporal ? annotations['nginx.ingress.kubernetes.io/temporal-redirect-code'] : annotations['nginx.ingress.kubernetes.io/permanent-redirect-code'];
  // An invalid code falls back to the default (redirect.go: 301 permanent, 302 temporal).
  const parsedCode = codeText !== undefined ? goAtoi(codeText) : undefined;
  const code = parsedCode !== undefined && [301, 302, 303, 307, 308].includes(parsedCode) ? parsedCode : temporal ? 302 : 301;
  return {
    type: 'RequestRedirect',
    requestRedirect: {
      scheme: parsed.protocol.replace(':', ''),
      hostname: parsed.hostname,
      ...(parsed.port ? { port: Number(parsed.port) } : {}),
      path: { type: 'ReplaceFullPath', replaceFullPath: parsed.pathname || '/' },
      statusCode: code,
    },
  };
}

function backendRef(ws: Workspace, ingress: Ingress, backend: IngressBackend | undefined, problem: (m: string) => void): Record<string, unknown> | undefined {
  const ref = backend?.service;
  if (!ref || ref.name.unknown) {
    if (backend?.isResource) problem('a resource backend has no Gateway API equivalent');
    return undefined;
  }
  const port = ref.port && !ref.port.unknown ? ref.port.value : undefined;
  if (typeof port === 'number') return { name: ref.name.value, port };
  // A named port: Gateway API wants the Service port number.
  const service: Service | undefined = backend ? linkedService(ws, backendLinks(ws, ingress, backend).service) : undefined;
  const number = service?.ports.find((p) => known(p.name) === port)?.port;
  if (number && !number.unknown) return { name: ref.name.value, port: number.value };
  if (port === undefined && service && service.ports.length === 1 && known(service.ports[0].port) !== undefined) return { name: ref.name.value, port: known(service.ports[0].port) };
  problem(`backend Service \`${ref.name.value}\` port ${port === undefined ? '(none)' : `\`${port}\``} cannot be resolved to a port number, which Gateway API requires`);
  return undefined;
}

/** A canary of the same host and path: weights, or an extra rule matching its header (§12.2). */
function withCanaries(ws: Workspace, main: Ingress, host: string, path: IngressPath, plan: PathPlan, draft: RuleDraft, canaries: readonly Ingress[], note: (i: Ingress, k: NoteKind, m: string, line?: number) => void, used: (id: string) => void): RuleDraft[] {
  const value = known(path.path) ?? '/';
  const pathType = known(path.pathType) ?? 'ImplementationSpecific';
  const out: RuleDraft[] = [];
  let rule = draft;
  for (const canary of canaries) {
    if (canary.namespace !== main.namespace) continue;
    const canaryPath = canary.rules.filter((r) => (known(r.host) ?? '') === host).flatMap((r) => r.paths).find((p) => (known(p.path) ?? '/') === value && (known(p.pathType) ?? 'ImplementationSpecific') === pathType);
    if (!canaryPath) continue;
    const backend = backendRef(ws, canary, canaryPath.backend, (m) => note(canary, 'untranslatable', m));
    if (!backend || rule.backendRefs.length === 0) continue;
    const config = parseCanaryAnnotations(annotationMap(canary.annotations));
    used(canary.id);
    if (config.header) {
      const headerValue = config.headerValue || 'always';
      out.push({ matches: [{ path: plan.match!, headers: [{ name: config.header, value: headerValue }] }], filters: rule.filters, backendRefs: [backend], comment: ` canary-by-header of Ingress ${nameOf(canary)}` });
      note(canary, 'info', `canary-by-header \`${config.header}\` becomes a rule matching \`${config.header}: ${headerValue}\` (the value \`never\` has no equivalent)`);
    }
    if (config.cookie) note(canary, 'not-migrated', `canary-by-cookie \`${config.cookie}\` has no Gateway API equivalent`);
    if (config.weight > 0) {
      const total = config.weightTotal || 100;
      rule = { ...rule, backendRefs: [{ ...rule.backendRefs[0], weight: total - config.weight }, { ...backend, weight: config.weight }] };
      note(canary, 'info', `canary-weight ${config.weight} of ${total} becomes weighted backendRefs`);
    }
  }
  return [rule, ...out];
}

/** Rule drafts keep their comment out of the object; toYaml puts it before the rule. */
const RULE_COMMENTS = new WeakMap<object, string>();

function route(ingress: Ingress, name: string, parentRefs: readonly Record<string, unknown>[], host: string, rules: readonly RuleDraft[], comment: string | undefined): MigratedObject {
  return {
    kind: 'HTTPRoute',
    namespace: ingress.namespace,
    name,
    comment: `${comment ? `${comment}\n` : ''} from Ingress ${ingress.namespace}/${nameOf(ingress)}`,
    object: {
      apiVersion: GATEWAY_API,
      kind: 'HTTPRoute',
      metadata: { name, namespace: ingress.namespace },
      spec: {
        parentRefs,
        ...(host ? { hostnames: [host] } : {}),
        rules: rules.map((r) => {
          const rule = { matches: r.matches, ...(r.filters.length > 0 ? { filters: r.filters } : {}), ...(r.backendRefs.length > 0 ? { backendRefs: r.backendRefs } : {}) };
          if (r.comment) RULE_COMMENTS.set(rule, r.comment);
          return rule;
        }),
      },
    },
  };
}

/**
 * Requests that exercise a path: itself, with and without its trailing `/`, deeper, with a query,
 * and a near miss that must not match. A TLS host is asked over https (where its routes serve),
 * and once over http (the redirect, or the same answer).
 */
function samplesFor(host: string, https: boolean, match: { type: string; value: string }, written: string, characterPrefix: boolean, from: Ingress, gateway: string): MigrationSample[] {
  const ingress = `${from.namespace}/${nameOf(from)}`;
  const uri = from.uri;
  if (match.type === 'RegularExpression') return [];
  const name = host && !host.startsWith('*.') ? host : host ? `x${host.slice(1)}` : 'example.com';
  const base = `${https ? 'https' : 'http'}://${name}`;
  const p = match.value === '' ? '/' : match.value;
  const trimmed = p.replace(/\/+$/, '');
  const variants: [SampleVariant, string | undefined][] = match.type === 'Exact'
    ? [['path', p], ['slash', p.endsWith('/') ? undefined : `${p}/`], ['query', `${p}?q=1`], ['near-miss', `${p}x`]]
    : [['path', p], [p.endsWith('/') ? 'no-slash' : 'slash', trimmed === '' ? undefined : p.endsWith('/') ? trimmed : `${trimmed}/`], ['deeper', `${trimmed}/deeper/index.html`], ['query', `${trimmed}/a?q=1`], ['near-miss', trimmed === '' ? undefined : `${trimmed}x`]];
  const seen = new Set<string>();
  const out: MigrationSample[] = [];
  for (const [variant, path] of variants) {
    if (path === undefined || seen.has(path)) continue;
    seen.add(path);
    out.push({ url: `${base}${path}`, ingress, uri, path: written, variant, characterPrefix, gateway });
  }
  if (https) out.push({ url: `http://${name}${p}`, ingress, uri, path: written, variant: 'http', characterPrefix, gateway });
  return out;
}

function toYaml(objects: readonly MigratedObject[]): string {
  return objects
    .map((o) => {
      const doc = new Document(o.object);
      doc.commentBefore = o.comment;
      const rules = doc.getIn(['spec', 'rules']);
      const source = (o.object.spec as { rules?: object[] }).rules;
      if (isSeq(rules) && source) {
        rules.items.forEach((item, i) => {
          const comment = RULE_COMMENTS.get(source[i]);
          if (comment && isMap(item)) item.commentBefore = comment;
        });
      }
      return doc.toString({ lineWidth: 0 });
    })
    .join('---\n');
}
