/**
 * ingress-nginx (controller v1.15.x) annotations that decide where a request goes or what answer
 * the controller gives itself: redirects (app-root, temporal/permanent-redirect, ssl-redirect,
 * force-ssl-redirect, from-to-www-redirect), canary traffic splitting, upstream-vhost,
 * backend-protocol and ssl-passthrough, plus the annotation validation that makes the controller
 * ignore a value or drop the whole Ingress. Pure functions over plain data; the tracer calls them.
 *
 * Sources (kubernetes/ingress-nginx unless marked otherwise):
 * - internal/ingress/annotations/parser/validators.go (`checkAnnotation`, `ValidateBool`,
 *   `ValidateInt`, `ValidateRegex`, `ValidateOptions`, `ValidateServerName`, the character-class
 *   regexes) and parser/main.go (`parseBool` = strconv.ParseBool, `parseInt` = strconv.Atoi,
 *   `parseString` = `normalizeString`, empty → invalid content).
 * - internal/ingress/annotations/annotations.go `Extractor.Extract`: a parser that returns a
 *   *validation* error makes Extract fail, and the Ingress is left out of the configuration
 *   ("ingress contains invalid annotation value", seen in issue #12709 for permanent-redirect);
 *   any other parser error just drops that parser's result.
 * - annotations/rewrite/main.go, redirect/redirect.go (+ redirect_test.go), canary/main.go,
 *   upstreamvhost/main.go, backendprotocol/main.go, sslpassthrough/main.go.
 * - rootfs/etc/nginx/template/nginx.tmpl (server block: `if ($uri = /) { return 302
 *   $scheme://$http_host<app-root>; }`; location block: `rewrite_by_lua` → lua_ingress.rewrite,
 *   then `return <code> <url>` for redirect annotations; the from/to-www redirect servers).
 * - rootfs/etc/nginx/lua/lua_ingress.lua (`redirect_to_https`, `redirect_host`, `rewrite`),
 *   certificate.lua (`configured_for_current_request`, `get_pem_cert_uid`),
 *   balancer.lua (`route_to_alternative_balancer`, `get_balancer`).
 * - internal/ingress/controller/controller.go (`mergeAlternativeBackends`, `canMergeBackend`,
 *   `createServers` certificate and ssl-passthrough handling, `getConfiguration` passthrough
 *   backends), controller/template/template.go (`buildProxyPass`, `BuildRedirects`).
 * - docs/user-guide/nginx-configuration/annotations.md and configmap.md (`ssl-redirect` default
 *   true, `http-redirect-code` default 308, supported 301/302/307/308).
 * - lua-nginx-module docs: `rewrite_by_lua*` always runs after ngx_http_rewrite_module in the
 *   rewrite phase, so a location's `return` beats the Lua ssl redirect.
 */
import { compileRegex } from './safeRegex';

export type Annotations = Readonly<Record<string, string>>;

export const NGINX_ANNOTATION_PREFIX = 'nginx.ingress.kubernetes.io/';

/** The full annotation key for a short name, e.g. `ann('app-root')`. */
export function ann(name: string): string {
  return NGINX_ANNOTATION_PREFIX + name;
}

export interface NginxRequest {
  readonly scheme: 'http' | 'https';
  /** The request host (Host header / authority as sent; may carry a port). */
  readonly host: string;
  /** Normalised `$uri` (decoded, dot segments and duplicate slashes resolved), without query. */
  readonly path: string;
  /** `$request_uri`: path?query exactly as sent. */
  readonly rawTarget: string;
  /** Lower-case header names. */
  readonly headers: Readonly<Record<string, string>>;
  readonly cookies: Readonly<Record<string, string>>;
}

/** ConfigMap keys and controller flags that change these behaviours (defaults of v1.15). */
export interface NginxGlobalConfig {
  /** ConfigMap `ssl-redirect` (default true): default of the `ssl-redirect` annotation. */
  readonly sslRedirect: boolean;
  /** ConfigMap `force-ssl-redirect` (default false). */
  readonly forceSslRedirect: boolean;
  /** ConfigMap `preserve-trailing-slash` (default false). */
  readonly preserveTrailingSlash: boolean;
  /** ConfigMap `http-redirect-code` (default 308; docs allow 301, 302, 307, 308). */
  readonly httpRedirectCode: number;
  /** ConfigMap `use-forwarded-headers` (default false): trust X-Forwarded-Proto/-Host. */
  readonly useForwardedHeaders: boolean;
  /** ConfigMap `no-tls-redirect-locations` (comma list of location-path prefixes). */
  readonly noTlsRedirectLocations: string;
  /** The HTTPS listen port (only used when `use-port-in-redirects` or a non-443 port). */
  readonly httpsPort: number;
  /** `--enable-annotation-validation` (on by default since v1.12). */
  readonly annotationValidation: boolean;
  /** `--enable-ssl-passthrough` (off by default). */
  readonly enableSslPassthrough: boolean;
  /** ConfigMap `enable-underscores-in-headers` (default false): nginx drops `a_b` headers otherwise. */
  readonly underscoresInHeaders: boolean;
}

export const DEFAULT_NGINX_CONFIG: NginxGlobalConfig = {
  sslRedirect: true,
  forceSslRedirect: false,
  preserveTrailingSlash: false,
  httpRedirectCode: 308,
  useForwardedHeaders: false,
  // Default of the ConfigMap key (internal/ingress/controller/config/config.go); the Ingress path
  // of the location must start with one of these for the TLS redirect to be skipped.
  noTlsRedirectLocations: '/.well-known/acme-challenge',
  httpsPort: 443,
  annotationValidation: true,
  enableSslPassthrough: false,
  underscoresInHeaders: false,
};

function withDefaults(config?: Partial<NginxGlobalConfig>): NginxGlobalConfig {
  return { ...DEFAULT_NGINX_CONFIG, ...config };
}

// ---------------------------------------------------------------------------------------------
// Reading annotations as parser.Get{Bool,Int,String}Annotation does.

const ALNUM = String.raw`\-\.\_\~a-zA-Z0-9\/:`;
/** parser.URLIsValidRegex: no `$`, `%`, `#`, spaces, `@`, `,` … */
const URL_IS_VALID = new RegExp(`^[${ALNUM}:?&=]*$`);
/** parser.BasicCharsRegex. */
const BASIC_CHARS = new RegExp(`^[/${ALNUM}]*$`);
/** parser.IsValidRegex: alnum plus `^$[](){}*+?|&=\`. */
const IS_VALID_REGEX = new RegExp(String.raw`^[/${ALNUM}\^\$\[\]\(\)\{\}\*\+\?\|&=\\]*$`);
/** parser.RegexPathWithCapture (validators.go): `^/?[alnum/$]*$`. */
const REGEX_PATH_WITH_CAPTURE = new RegExp(String.raw`^/?[${ALNUM}\/\$]*$`);

type Validator = (raw: string) => boolean;

/** Whether ingress-nginx accepts a rewrite-target (or app-root) value; an invalid one is ignored. */
export function isValidRewriteTarget(value: string): boolean {
  return REGEX_PATH_WITH_CAPTURE.test(value);
}

/** Go strconv.ParseBool. */
export function goParseBool(value: string): boolean | undefined {
  if (['1', 't', 'T', 'TRUE', 'true', 'True'].includes(value)) return true;
  if (['0', 'f', 'F', 'FALSE', 'false', 'False'].includes(value)) return false;
  return undefined;
}

/** Go strconv.Atoi (64-bit int; no spaces, optional sign, decimal digits). */
export function goAtoi(value: string): number | undefined {
  if (!/^[+-]?\d+$/.test(value)) return undefined;
  const n = Number(value);
  return Number.isSafeInteger(n) ? n : undefined;
}

/** parser/main.go `normalizeString`: every line trimmed. */
function normalizeString(value: string): string {
  return value
    .split('\n')
    .map((line) => line.trim())
    .join('\n');
}

const validateBool: Validator = (raw) => goParseBool(raw) !== undefined;
const validateInt: Validator = (raw) => goAtoi(raw) !== undefined;
const validateRegex =
  (regex: RegExp, removeSpace: boolean): Validator =>
  (raw) =>
    regex.test(removeSpace ? raw.replaceAll(' ', '') : raw);
/** ValidateServerName: trimmed value must match IsValidRegex. */
const validateServerName: Validator = (raw) => IS_VALID_REGEX.test(raw.trim());
const validateOptions =
  (options: readonly string[]): Validator =>
  (raw) =>
    options.includes(raw.trim().toLowerCase());

type Read<T> =
  | { readonly state: 'absent' }
  | { readonly state: 'validation-error'; readonly raw: string }
  | { readonly state: 'invalid-content'; readonly raw: string }
  | { readonly state: 'ok'; readonly raw: string; readonly value: T };

/**
 * validators.go `checkAnnotation` + parser/main.go: absent key → missing; a non-empty value that
 * fails the validator (when validation is on) → validation error; then the typed parse.
 */
function read<T>(
  annotations: Annotations,
  name: string,
  validator: Validator,
  parse: (raw: string) => T | undefined,
  config: NginxGlobalConfig,
): Read<T> {
  const raw = annotations[ann(name)];
  if (raw === undefined) return { state: 'absent' };
  if (config.annotationValidation && raw !== '' && !validator(raw)) return { state: 'validation-error', raw };
  const value = parse(raw);
  if (value === undefined) return { state: 'invalid-content', raw };
  return { state: 'ok', raw, value };
}

const asBool = (raw: string): boolean | undefined => goParseBool(raw);
const asInt = (raw: string): number | undefined => goAtoi(raw);
const asString = (raw: string): string | undefined => {
  const s = normalizeString(raw);
  return s === '' ? undefined : s;
};

export type AnnotationEffect = 'ingress-rejected' | 'ignored' | 'defaulted';

export interface AnnotationProblem {
  readonly annotation: string;
  readonly value: string;
  readonly effect: AnnotationEffect;
  readonly why: string;
}

function problem(name: string, value: string, effect: AnnotationEffect, why: string): AnnotationProblem {
  return { annotation: ann(name), value, effect, why };
}

// ---------------------------------------------------------------------------------------------
// rewrite parser (ssl-redirect, force-ssl-redirect, preserve-trailing-slash, app-root)

export interface RewriteConfig {
  readonly sslRedirect: boolean;
  readonly forceSslRedirect: boolean;
  readonly preserveTrailingSlash: boolean;
  /** '' when unset or ignored. */
  readonly appRoot: string;
  /** rewrite-target as the controller uses it: '' when unset, empty or failing its validator. */
  readonly rewriteTarget: string;
  /** use-regex as a Go boolean; false when unset or not a boolean. */
  readonly useRegex: boolean;
  readonly problems: readonly AnnotationProblem[];
}

/**
 * Go url.ParseRequestURI + IsAbs as used by rewrite/main.go for app-root: the value must be an
 * absolute path ("/x") or an absolute URI; an absolute URI is refused ("only allows absolute paths").
 */
function appRootVerdict(value: string): { ok: true } | { ok: false; why: string } {
  // url.Parse rejects ASCII control characters and bad %-escapes.
  if (/[\x00-\x1f\x7f]/.test(value)) return { ok: false, why: 'url.ParseRequestURI fails: control character' };
  if (/%(?![0-9a-fA-F]{2})/.test(value)) return { ok: false, why: 'url.ParseRequestURI fails: invalid %-escape' };
  // getScheme: a letter, then letters/digits/+-. up to ':'.
  const scheme = /^([a-zA-Z][a-zA-Z0-9+.-]*):/.exec(value);
  if (scheme) return { ok: false, why: `"${value}" is an absolute URL (scheme ${scheme[1]}); app-root only allows absolute paths` };
  if (!value.startsWith('/')) return { ok: false, why: `url.ParseRequestURI("${value}") fails: invalid URI for request (must start with /)` };
  return { ok: true };
}

/** rewrite/main.go `Parse`: every error is swallowed (ConfigMap default or empty app-root). */
export function parseRewriteAnnotations(annotations: Annotations, config?: Partial<NginxGlobalConfig>): RewriteConfig {
  const cfg = withDefaults(config);
  const problems: AnnotationProblem[] = [];
  const bool = (name: string, fallback: boolean): boolean => {
    const r = read(annotations, name, validateBool, asBool, cfg);
    if (r.state === 'ok') return r.value;
    if (r.state !== 'absent') problems.push(problem(name, r.raw, 'defaulted', `not a Go boolean; the controller uses the ConfigMap default (${fallback})`));
    return fallback;
  };
  const sslRedirect = bool('ssl-redirect', cfg.sslRedirect);
  const preserveTrailingSlash = bool('preserve-trailing-slash', cfg.preserveTrailingSlash);
  const forceSslRedirect = bool('force-ssl-redirect', cfg.forceSslRedirect);
  // use-regex: ValidateBool, an invalid value "defaulting to 'false'"; strconv.ParseBool accepts "True", "1", "t" …
  const useRegex = bool('use-regex', false);
  // rewrite-target: ValidateRegex(RegexPathWithCapture); a validation error is logged ("is invalid,
  // defaulting to empty") and the Target is "", so the location neither rewrites nor turns the host
  // into regex mode. E.g. `/api/$1?x=y` (`?`, `=`) or `/{x}` are dropped.
  let rewriteTarget = '';
  const target = read(annotations, 'rewrite-target', validateRegex(REGEX_PATH_WITH_CAPTURE, false), asString, cfg);
  if (target.state === 'ok') rewriteTarget = target.value;
  else if (target.state === 'validation-error') {
    problems.push(problem('rewrite-target', target.raw, 'ignored', 'fails the RegexPathWithCapture validator (only letters, digits, - . _ ~ / : $); rewrite/main.go defaults it to empty: no rewrite'));
  }
  let appRoot = '';
  const r = read(annotations, 'app-root', validateRegex(REGEX_PATH_WITH_CAPTURE, false), asString, cfg);
  if (r.state === 'ok') {
    const verdict = appRootVerdict(r.value);
    if (verdict.ok) appRoot = r.value;
    else problems.push(problem('app-root', r.raw, 'ignored', verdict.why));
  } else if (r.state === 'validation-error') {
    problems.push(problem('app-root', r.raw, 'ignored', 'fails the RegexPathWithCapture validator (only letters, digits, - . _ ~ / : $); app-root is dropped'));
  } else if (r.state === 'invalid-content') {
    problems.push(problem('app-root', r.raw, 'ignored', 'empty value'));
  }
  return { sslRedirect, forceSslRedirect, preserveTrailingSlash, appRoot, rewriteTarget, useRegex, problems };
}

// ---------------------------------------------------------------------------------------------
// redirect parser (temporal-redirect, permanent-redirect, their codes, from-to-www-redirect)

export interface RedirectConfig {
  /** '' when there is no URL redirect. */
  readonly url: string;
  readonly code: number;
  readonly annotation?: 'temporal-redirect' | 'permanent-redirect';
  readonly fromToWww: boolean;
}

export type RedirectParse =
  | { readonly kind: 'none' }
  | { readonly kind: 'config'; readonly config: RedirectConfig; readonly problems: readonly AnnotationProblem[] }
  /** Parse returned a non-validation error: the whole redirect config (incl. from-to-www) is dropped. */
  | { readonly kind: 'dropped'; readonly problems: readonly AnnotationProblem[] }
  /** Parse returned a validation error: Extract fails and the Ingress is left out. */
  | { readonly kind: 'rejected'; readonly problems: readonly AnnotationProblem[] };

/** redirect.go `isValidURL`: url.Parse succeeds and the scheme starts with "http". */
function isValidRedirectURL(value: string): boolean {
  if (/[\x00-\x1f\x7f]/.test(value)) return false;
  const scheme = /^([a-zA-Z][a-zA-Z0-9+.-]*):/.exec(value);
  return scheme !== null && scheme[1].toLowerCase().startsWith('http');
}

/**
 * redirect.go `Parse`, in its order: from-to-www, temporal-redirect (+ temporal-redirect-code,
 * 300–307 else 302), and only when there is no temporal URL, permanent-redirect
 * (+ permanent-redirect-code, 300–308 else 301). "If the Ingress contains both annotations the
 * execution order is temporal and then permanent": temporal wins.
 */
export function parseRedirectAnnotations(annotations: Annotations, config?: Partial<NginxGlobalConfig>): RedirectParse {
  const cfg = withDefaults(config);
  const reject = (name: string, raw: string, why: string): RedirectParse => ({
    kind: 'rejected',
    problems: [problem(name, raw, 'ingress-rejected', `${why}; redirect.go returns the validation error, Extract fails and the controller leaves the whole Ingress out (its paths do not exist)`)],
  });
  const drop = (name: string, raw: string, why: string): RedirectParse => ({
    kind: 'dropped',
    problems: [problem(name, raw, 'ignored', `${why}; redirect.go returns an error that Extract skips: no temporal/permanent/from-to-www redirect for this Ingress`)],
  });

  const www = read(annotations, 'from-to-www-redirect', validateBool, asBool, cfg);
  // Assumed like the other fields: a validation error is returned (see report: unverified).
  if (www.state === 'validation-error') return reject('from-to-www-redirect', www.raw, 'not a Go boolean');
  const fromToWww = www.state === 'ok' && www.value;

  const tr = read(annotations, 'temporal-redirect', validateRegex(URL_IS_VALID, false), asString, cfg);
  if (tr.state === 'validation-error') return reject('temporal-redirect', tr.raw, 'fails URLIsValidRegex (allowed: letters, digits, - . _ ~ / : ? & =; no $ % # space)');
  if (tr.state === 'invalid-content') return drop('temporal-redirect', tr.raw, 'empty value');
  const trc = read(annotations, 'temporal-redirect-code', validateInt, asInt, cfg);
  if (trc.state === 'validation-error') return reject('temporal-redirect-code', trc.raw, 'not an integer');
  if (trc.state === 'invalid-content') return drop('temporal-redirect-code', trc.raw, 'not an integer');
  if (tr.state === 'ok') {
    if (!isValidRedirectURL(tr.value)) return drop('temporal-redirect', tr.raw, 'isValidURL: only http and https are valid protocols');
    const problems: AnnotationProblem[] = [];
    let code = 302;
    if (trc.state === 'ok') {
      if (trc.value >= 300 && trc.value <= 307) code = trc.value;
      else problems.push(problem('temporal-redirect-code', trc.raw, 'defaulted', 'outside 300–307; 302 is used'));
    }
    return { kind: 'config', config: { url: tr.value, code, annotation: 'temporal-redirect', fromToWww }, problems };
  }

  const pr = read(annotations, 'permanent-redirect', validateRegex(URL_IS_VALID, false), asString, cfg);
  if (pr.state === 'validation-error') return reject('permanent-redirect', pr.raw, 'fails URLIsValidRegex (allowed: letters, digits, - . _ ~ / : ? & =; no $ % # space)');
  if (pr.state === 'invalid-content') return drop('permanent-redirect', pr.raw, 'empty value');
  const prc = read(annotations, 'permanent-redirect-code', validateInt, asInt, cfg);
  if (prc.state === 'validation-error') return reject('permanent-redirect-code', prc.raw, 'not an integer');
  if (prc.state === 'invalid-content') return drop('permanent-redirect-code', prc.raw, 'not an integer');
  const problems: AnnotationProblem[] = [];
  let code = 301;
  if (prc.state === 'ok') {
    if (prc.value >= 300 && prc.value <= 308) code = prc.value;
    else problems.push(problem('permanent-redirect-code', prc.raw, 'defaulted', 'outside 300–308; 301 is used'));
  }
  if (pr.state === 'ok') {
    if (!isValidRedirectURL(pr.value)) return drop('permanent-redirect', pr.raw, 'isValidURL: only http and https are valid protocols');
    return { kind: 'config', config: { url: pr.value, code, annotation: 'permanent-redirect', fromToWww }, problems };
  }
  if (fromToWww) return { kind: 'config', config: { url: '', code, fromToWww }, problems };
  return { kind: 'none' };
}

// ---------------------------------------------------------------------------------------------
// Ingress-level verdict

export interface IngressAnnotationStatus {
  /** true: Extract fails, the controller ignores the Ingress (and the admission webhook, if deployed, denies it). */
  readonly rejected: boolean;
  readonly problems: readonly AnnotationProblem[];
}

/**
 * What annotation validation does to this Ingress, for the annotations modelled here. Parsers that
 * return their validation error (redirect, upstream-vhost, ssl-passthrough) make the whole Ingress
 * disappear; the others fall back to defaults.
 */
export function ingressAnnotationStatus(annotations: Annotations, config?: Partial<NginxGlobalConfig>): IngressAnnotationStatus {
  const cfg = withDefaults(config);
  const problems: AnnotationProblem[] = [];
  const redirect = parseRedirectAnnotations(annotations, cfg);
  if (redirect.kind !== 'none') problems.push(...redirect.problems);
  problems.push(...parseRewriteAnnotations(annotations, cfg).problems);
  problems.push(...parseCanaryAnnotations(annotations, cfg).problems);
  const vhost = read(annotations, 'upstream-vhost', validateServerName, asString, cfg);
  if (vhost.state === 'validation-error') {
    problems.push(problem('upstream-vhost', vhost.raw, 'ingress-rejected', 'fails ValidateServerName; upstreamvhost.Parse returns the validation error and the Ingress is left out'));
  } else if (vhost.state === 'invalid-content') {
    problems.push(problem('upstream-vhost', vhost.raw, 'ignored', 'empty value; the Host header stays $best_http_host'));
  }
  const bp = backendProtocol(annotations, undefined, cfg);
  if (bp.problem) problems.push(bp.problem);
  const pt = read(annotations, 'ssl-passthrough', validateBool, asBool, cfg);
  if (pt.state === 'validation-error') {
    problems.push(problem('ssl-passthrough', pt.raw, 'ingress-rejected', 'not a Go boolean; sslpassthrough.Parse returns the validation error and the Ingress is left out'));
  } else if (pt.state === 'invalid-content') {
    problems.push(problem('ssl-passthrough', pt.raw, 'ignored', 'not a Go boolean; treated as false'));
  }
  return { rejected: problems.some((p) => p.effect === 'ingress-rejected'), problems };
}

// ---------------------------------------------------------------------------------------------
// Redirects the controller answers itself

export interface Redirect {
  readonly status: number;
  /** The Location header; '' when nginx sends none (a `return` code that is not 301/302/303/307/308). */
  readonly location: string;
  /** The full annotation key that caused it (or the ConfigMap key for from-to-www's code). */
  readonly annotation: string;
  readonly why: string;
}

export interface RedirectOptions {
  readonly config?: Partial<NginxGlobalConfig>;
  /**
   * Annotations of every non-canary Ingress that has a location on this server, in location order.
   * app-root is a server-level `if ($uri = /)` emitted for each location that has it, so it acts
   * for the whole host whichever Ingress's path matches. Defaults to `[annotations]`.
   */
  readonly hostAnnotations?: readonly Annotations[];
  /** The Ingress path of the matched location (for `no-tls-redirect-locations`). */
  readonly locationPath?: string;
}

const RETURN_REDIRECT_CODES = new Set([301, 302, 303, 307, 308]);

function headerValue(request: NginxRequest, name: string): string | undefined {
  return request.headers[name];
}

/** `$http_host`: the Host header as sent, else the request host. */
function httpHost(request: NginxRequest): string {
  return headerValue(request, 'host') ?? request.host;
}

/** lua_ingress.lua: best_http_host = $http_host or $host; X-Forwarded-Host's first entry when trusted. */
function bestHttpHost(request: NginxRequest, cfg: NginxGlobalConfig): string {
  const xfh = headerValue(request, 'x-forwarded-host');
  if (cfg.useForwardedHeaders && xfh !== undefined) return xfh.split(',')[0];
  return httpHost(request);
}

/** lua_ingress.lua `redirect_host`: best_http_host without its port. */
function redirectHost(request: NginxRequest, cfg: NginxGlobalConfig): string {
  return bestHttpHost(request, cfg).split(':')[0];
}

/** template.go `isLocationInLocationList`: the location's Ingress path starts with a list entry. */
function inLocationList(locationPath: string | undefined, list: string): boolean {
  if (locationPath === undefined) return false;
  return list
    .split(',')
    .map((s) => s.trim())
    .some((item) => item !== '' && locationPath.startsWith(item));
}

/**
 * The redirect the controller answers for a request that reached this host's server, or undefined
 * when the request is proxied. Order (nginx phases): the server-level app-root `if` (SERVER_REWRITE
 * phase, before any location is chosen) → the location's `return <code> <url>` for
 * temporal/permanent-redirect (REWRITE phase, ngx_http_rewrite_module) → lua_ingress.rewrite's
 * ssl/force-ssl redirect (rewrite_by_lua runs after the rewrite module). So app-root beats every
 * other redirect (issue #6340: it even answers `http://` before the TLS redirect), a redirect URL
 * beats ssl-redirect, and temporal-redirect beats permanent-redirect.
 *
 * `hostHasTls`: a certificate is configured for `$host` (see `certificateConfiguredFor`).
 * from-to-www is a different server and is answered by `fromToWwwRedirect`.
 */
export function controllerRedirect(annotations: Annotations, request: NginxRequest, hostHasTls: boolean, options: RedirectOptions = {}): Redirect | undefined {
  const cfg = withDefaults(options.config);

  // 1. app-root: `if ($uri = /) { return 302 $scheme://$http_host<app-root>; }` in the server block.
  if (request.path === '/') {
    for (const hostAnns of options.hostAnnotations ?? [annotations]) {
      if (ingressAnnotationStatus(hostAnns, cfg).rejected) continue;
      const appRoot = parseRewriteAnnotations(hostAnns, cfg).appRoot;
      if (appRoot === '') continue;
      return {
        status: 302,
        location: `${request.scheme}://${httpHost(request)}${appRoot}`,
        annotation: ann('app-root'),
        why: `app-root: $uri is exactly "/", the server-level if answers 302 to $scheme://$http_host${appRoot} before any location (and before the TLS redirect) runs`,
      };
    }
  }

  if (ingressAnnotationStatus(annotations, cfg).rejected) return undefined;

  // 2. `return {{ Redirect.Code }} {{ Redirect.URL }};` in the location.
  const redirect = parseRedirectAnnotations(annotations, cfg);
  if (redirect.kind === 'config' && redirect.config.url !== '') {
    const { url, code } = redirect.config;
    const name = redirect.config.annotation ?? 'permanent-redirect';
    const sendsLocation = RETURN_REDIRECT_CODES.has(code);
    return {
      status: code,
      location: sendsLocation ? url : '',
      annotation: ann(name),
      why: sendsLocation
        ? `${name}: the location returns ${code} ${url} instead of proxying`
        : `${name}: nginx "return ${code} <text>" sends ${code} with the URL as body and no Location (only 301/302/303/307/308 take a URL)`,
    };
  }

  // 3. lua_ingress.lua `rewrite` → `redirect_to_https`.
  const rw = parseRewriteAnnotations(annotations, cfg);
  let passAccessScheme: string = request.scheme;
  const xfp = headerValue(request, 'x-forwarded-proto');
  if (cfg.useForwardedHeaders && xfp !== undefined) passAccessScheme = xfp;
  if (inLocationList(options.locationPath, cfg.noTlsRedirectLocations)) return undefined;
  let because: string | undefined;
  let annotation = ann('ssl-redirect');
  if (rw.forceSslRedirect && passAccessScheme === 'http') {
    because = 'force-ssl-redirect: the request came over http (no certificate needed)';
    annotation = ann('force-ssl-redirect');
  } else if (passAccessScheme === 'http' && rw.sslRedirect && hostHasTls) {
    because = 'ssl-redirect (default true): the request came over http and a certificate is configured for the host';
  }
  if (because === undefined) return undefined;
  let requestUri = request.rawTarget;
  // "do not append a trailing slash on redirects unless enabled by annotations": one final '/' of
  // $request_uri (query included) is cut, so "/" becomes "".
  if (!rw.preserveTrailingSlash && requestUri.endsWith('/')) requestUri = requestUri.slice(0, -1);
  const usePort = goParseBool(annotations[ann('use-port-in-redirects')] ?? '') === true;
  const host = redirectHost(request, cfg);
  const location = usePort ? `https://${host}:${cfg.httpsPort}${requestUri}` : `https://${host}${requestUri}`;
  return { status: cfg.httpRedirectCode, location, annotation, why: `${because}; code from ConfigMap http-redirect-code (${cfg.httpRedirectCode})` };
}

/** One server (host) of the configuration, for from-to-www. */
export interface ServerView {
  /** rules[].host ('' for the catch-all server). */
  readonly host: string;
  /** Annotations of the non-canary Ingresses with a rule for this host. */
  readonly ingresses: readonly Annotations[];
}

/**
 * template.go `BuildRedirects` + nginx.tmpl redirect servers: a server whose Ingress sets
 * `from-to-www-redirect: "true"` gets a companion server for `www.<host>` (or `<host>` without
 * `www.`) — unless a server for that name already exists — that answers http-redirect-code (308)
 * to `$scheme://<host><$request_uri minus one trailing '/'>`, with `:<https port>` when that port is not 443.
 */
export function fromToWwwRedirect(request: NginxRequest, servers: readonly ServerView[], config?: Partial<NginxGlobalConfig>): Redirect | undefined {
  const cfg = withDefaults(config);
  const requestHost = request.host.split(':')[0].toLowerCase().replace(/\.$/, '');
  const hostnames = new Set(servers.map((s) => s.host));
  const done = new Set<string>();
  for (const server of servers) {
    if (server.host === '' || server.host === '_') continue;
    const enabled = server.ingresses.some((a) => {
      if (ingressAnnotationStatus(a, cfg).rejected) return false;
      const r = parseRedirectAnnotations(a, cfg);
      return r.kind === 'config' && r.config.fromToWww;
    });
    if (!enabled || done.has(server.host)) continue;
    const to = server.host;
    const from = to.startsWith('www.') ? to.slice(4) : `www.${to}`;
    if (hostnames.has(from)) continue; // "Already exists an Ingress with %q hostname. Skipping…"
    done.add(to);
    if (from !== requestHost) continue;
    let uri = request.rawTarget;
    if (uri.endsWith('/')) uri = uri.slice(0, -1);
    const port = cfg.httpsPort !== 443 ? `:${cfg.httpsPort}` : '';
    return {
      status: cfg.httpRedirectCode,
      location: `${request.scheme}://${to}${port}${uri}`,
      annotation: ann('from-to-www-redirect'),
      why:
        `from-to-www-redirect on ${to}: the companion server ${from} answers http-redirect-code (${cfg.httpRedirectCode})` +
        (request.scheme === 'https' ? `; over https it only has ${to}'s certificate if that certificate also names ${from}` : ''),
    };
  }
  return undefined;
}

/** One Ingress as seen by createServers' certificate step. */
export interface IngressTlsView {
  readonly ruleHosts: readonly string[];
  /** spec.tls entries (only their count matters: see below). */
  readonly tlsEntries: number;
  readonly annotations?: Annotations;
  readonly canary?: boolean;
}

/**
 * certificate.lua `configured_for_current_request`: a certificate is registered for `$host`
 * (exact name, trailing dot ignored) or for `*.<host minus its first label>`. createServers gives
 * a server a certificate when any non-canary Ingress with a rule for it has a non-empty spec.tls:
 * the Secret's, or the default certificate when no TLS entry names the host ("listed in the TLS
 * section but secretName is empty. Using default certificate") or the Secret is missing.
 */
export function certificateConfiguredFor(requestHost: string, ingresses: readonly IngressTlsView[], config?: Partial<NginxGlobalConfig>): boolean {
  const cfg = withDefaults(config);
  const withCert = new Set<string>();
  for (const ing of ingresses) {
    if (ing.canary || ing.tlsEntries === 0) continue;
    if (ing.annotations && ingressAnnotationStatus(ing.annotations, cfg).rejected) continue;
    for (const h of ing.ruleHosts) if (h !== '') withCert.add(h.toLowerCase());
  }
  const host = requestHost.split(':')[0].toLowerCase().replace(/\.$/, '');
  if (withCert.has(host)) return true;
  const wildcard = host.replace(/^[^.]+\./, '*.');
  return wildcard !== host && withCert.has(wildcard);
}

// ---------------------------------------------------------------------------------------------
// Canary

export interface CanaryConfig {
  readonly enabled: boolean;
  readonly weight: number;
  readonly weightTotal: number;
  readonly header: string;
  readonly headerValue: string;
  readonly headerPattern: string;
  readonly cookie: string;
  /** canary/main.go returns "configured but not enabled": the Ingress is not a canary at all. */
  readonly configuredButNotEnabled: boolean;
  readonly problems: readonly AnnotationProblem[];
}

/** canary/main.go `Parse`: every invalid value falls back (false, 0, 100, ''). */
export function parseCanaryAnnotations(annotations: Annotations, config?: Partial<NginxGlobalConfig>): CanaryConfig {
  const cfg = withDefaults(config);
  const problems: AnnotationProblem[] = [];
  const get = <T>(name: string, validator: Validator, parse: (raw: string) => T | undefined, fallback: T, label: string): T => {
    const r = read(annotations, name, validator, parse, cfg);
    if (r.state === 'ok') return r.value;
    if (r.state !== 'absent') problems.push(problem(name, r.raw, 'defaulted', `invalid; canary/main.go uses ${label}`));
    return fallback;
  };
  const enabled = get('canary', validateBool, asBool, false, 'false');
  const weight = get('canary-weight', validateInt, asInt, 0, '0');
  const weightTotal = get('canary-weight-total', validateInt, asInt, 100, '100');
  const header = get('canary-by-header', validateRegex(BASIC_CHARS, true), asString, '', "''");
  const headerValue = get('canary-by-header-value', validateRegex(BASIC_CHARS, true), asString, '', "''");
  const headerPattern = get('canary-by-header-pattern', validateRegex(IS_VALID_REGEX, false), asString, '', "''");
  const cookie = get('canary-by-cookie', validateRegex(BASIC_CHARS, true), asString, '', "''");
  const configuredButNotEnabled = !enabled && (weight > 0 || header !== '' || headerValue !== '' || cookie !== '' || headerPattern !== '');
  if (configuredButNotEnabled) {
    problems.push(problem('canary', annotations[ann('canary')] ?? '', 'ignored', 'canary-* annotations without canary: "true": "configured but not enabled", the Ingress is an ordinary one'));
  }
  return { enabled, weight, weightTotal, header, headerValue, headerPattern, cookie, configuredButNotEnabled, problems };
}

/** A backend path as mergeAlternativeBackends compares it. */
export interface CanaryPathView {
  /** rules[].host; '' is the catch-all server `_`. */
  readonly host: string;
  readonly path: string;
  readonly pathType: string;
  /** Upstream name (namespace-service-port) or any backend identity. */
  readonly backend: string;
}

/**
 * controller.go `mergeAlternativeBackends` / `canMergeBackend`: the canary path joins the main
 * location when the host is the same ('' = `_`), the path string and pathType are identical, and
 * the backends differ. Otherwise the canary backend is deleted ("unable to find real backend").
 */
export function canaryMergeable(main: CanaryPathView, canary: CanaryPathView): { merges: boolean; why: string } {
  const h = (s: string): string => (s === '' ? '_' : s);
  if (h(main.host) !== h(canary.host)) return { merges: false, why: `host ${h(canary.host)} is not ${h(main.host)}` };
  if (main.backend === canary.backend) return { merges: false, why: 'the canary backend is the primary backend of this location ("alternative upstream … is primary upstream")' };
  if (main.path !== canary.path) return { merges: false, why: `path "${canary.path}" is not exactly "${main.path}"` };
  if (main.pathType !== canary.pathType) return { merges: false, why: `pathType ${canary.pathType} is not ${main.pathType}` };
  return { merges: true, why: 'same host, path and pathType, different backend' };
}

export interface CanaryRoute {
  readonly id: string;
  readonly annotations: Annotations;
  /** The canary backend has ready endpoints (a balancer exists). Default true. */
  readonly hasEndpoints?: boolean;
}

export interface CanaryWeight {
  readonly id: 'main' | string;
  /** Percent of the requests that no header/cookie decides. */
  readonly weight: number;
}

export interface CanaryDecision {
  /** 'main', a canary id, or null when the weight draws at random (see canaryProbability). */
  readonly receiver: 'main' | string | null;
  readonly decidedBy: 'header' | 'cookie' | 'weight' | 'none';
  /** The canary that balancer.lua consulted (only the first alternative backend is). */
  readonly canary?: string;
  /** Probability that this request goes to the canary. */
  readonly canaryProbability: number;
  readonly weights: readonly CanaryWeight[];
  readonly explanation: string;
}

/** PCRE (ngx.re.match, no options, unanchored), evaluated in linear time (safeRegex.ts). */
function compilePattern(pattern: string): { test(input: string): boolean } | undefined {
  const compiled = compileRegex(pattern);
  return compiled.kind === 'ok' ? compiled : undefined;
}

/** `ngx.var["http_" .. header with - → _]`: case-insensitive, '-' and '_' alike. */
function requestHeader(request: NginxRequest, name: string, cfg: NginxGlobalConfig): string | undefined {
  const target = name.toLowerCase().replaceAll('-', '_');
  for (const [key, value] of Object.entries(request.headers)) {
    const lower = key.toLowerCase();
    if (lower.includes('_') && !cfg.underscoresInHeaders) continue; // nginx ignores such headers
    if (lower.replaceAll('-', '_') === target) return value;
  }
  return undefined;
}

/** `ngx.var["cookie_" .. name]`: nginx compares cookie names case-insensitively. */
function requestCookie(request: NginxRequest, name: string): string | undefined {
  const target = name.toLowerCase();
  for (const [key, value] of Object.entries(request.cookies)) if (key.toLowerCase() === target) return value;
  return undefined;
}

/**
 * balancer.lua `route_to_alternative_balancer` for the location whose primary backend is `main`'s.
 * Canaries are the canary Ingresses merged into that location, in the controller's order; only the
 * first counts ("TODO: support traffic shaping for n > 1 alternative backends"; docs: "a maximum of
 * one canary ingress can be applied per Ingress rule"). Precedence: header (value, else pattern,
 * else always/never) → cookie (always/never) → weight. Session affinity is not modelled.
 */
export function canaryDecision(main: Annotations, canaries: readonly CanaryRoute[], request: NginxRequest, config?: Partial<NginxGlobalConfig>): CanaryDecision {
  const cfg = withDefaults(config);
  const notes: string[] = [];
  if (parseCanaryAnnotations(main, cfg).enabled) notes.push('the main Ingress is itself marked canary: it would create no location');
  const effective: { route: CanaryRoute; cfg: CanaryConfig }[] = [];
  for (const route of canaries) {
    const c = parseCanaryAnnotations(route.annotations, cfg);
    if (ingressAnnotationStatus(route.annotations, cfg).rejected) notes.push(`${route.id} is left out (invalid annotation value)`);
    else if (!c.enabled) notes.push(`${route.id} is not a canary (canary is not "true")`);
    else effective.push({ route, cfg: c });
  }
  const mainOnly = (explanation: string, decidedBy: CanaryDecision['decidedBy'] = 'none', canary?: string): CanaryDecision => ({
    receiver: 'main',
    decidedBy,
    canary,
    canaryProbability: 0,
    weights: [{ id: 'main', weight: 100 }, ...effective.map((e) => ({ id: e.route.id, weight: 0 }))],
    explanation: [explanation, ...notes].join('; '),
  });
  if (effective.length === 0) return mainOnly('no canary for this location: the main backend answers');
  const [first, ...rest] = effective;
  for (const r of rest) notes.push(`${r.route.id} is ignored: balancer.lua only consults the first alternative backend`);
  const c = first.cfg;
  const id = first.route.id;
  if (first.route.hasEndpoints === false) return mainOnly(`${id} has no ready endpoints, so no alternative balancer exists: main`, 'none', id);

  const weightTotal = c.weightTotal > 100 ? c.weightTotal : 100; // balancer.lua: only a total above 100 counts
  const share = Math.min(Math.max(c.weight, 0), weightTotal) / weightTotal;
  const weights: CanaryWeight[] = [
    { id: 'main', weight: (1 - share) * 100 },
    { id, weight: share * 100 },
    ...rest.map((r) => ({ id: r.route.id, weight: 0 })),
  ];
  const decided = (receiver: 'main' | string, decidedBy: CanaryDecision['decidedBy'], why: string): CanaryDecision => ({
    receiver,
    decidedBy,
    canary: id,
    canaryProbability: receiver === 'main' ? 0 : 1,
    weights,
    explanation: [why, ...notes].join('; '),
  });

  if (c.header !== '') {
    const value = requestHeader(request, c.header, cfg);
    if (value !== undefined) {
      if (c.headerValue !== '') {
        if (value === c.headerValue) return decided(id, 'header', `header ${c.header} equals canary-by-header-value "${c.headerValue}"`);
        notes.push(`header ${c.header}="${value}" is not "${c.headerValue}", next rule`);
      } else if (c.headerPattern !== '') {
        const re = compilePattern(c.headerPattern);
        if (re === undefined) return decided('main', 'header', `canary-by-header-pattern "${c.headerPattern}" does not compile: ngx.re.match errors and balancer.lua returns the main backend`);
        if (re.test(value)) return decided(id, 'header', `header ${c.header}="${value}" matches canary-by-header-pattern ${c.headerPattern}`);
        notes.push(`header ${c.header}="${value}" does not match ${c.headerPattern}, next rule`);
      } else if (value === 'always') {
        return decided(id, 'header', `header ${c.header}: always`);
      } else if (value === 'never') {
        return decided('main', 'header', `header ${c.header}: never`);
      } else {
        notes.push(`header ${c.header}="${value}" is neither always nor never, next rule`);
      }
    }
  }
  if (c.cookie !== '') {
    const value = requestCookie(request, c.cookie);
    if (value === 'always') return decided(id, 'cookie', `cookie ${c.cookie}=always`);
    if (value === 'never') return decided('main', 'cookie', `cookie ${c.cookie}=never`);
    if (value !== undefined) notes.push(`cookie ${c.cookie}="${value}" is neither always nor never, next rule`);
  }
  const ratio = `canary-weight ${c.weight} of ${weightTotal}${c.weightTotal !== weightTotal ? ` (canary-weight-total ${c.weightTotal} ignored: only totals above 100 count)` : ''}`;
  if (share >= 1) return decided(id, 'weight', `${ratio}: every request goes to the canary`);
  if (share <= 0) return decided('main', 'weight', `${ratio}: no request goes to the canary by weight`);
  return {
    receiver: null,
    decidedBy: 'weight',
    canary: id,
    canaryProbability: share,
    weights,
    explanation: [`${ratio}: math.random(${weightTotal}) <= ${c.weight}, ${(share * 100).toFixed(2)}% to the canary`, ...notes].join('; '),
  };
}

// ---------------------------------------------------------------------------------------------
// Backend protocol, upstream Host, ssl-passthrough

const VALID_PROTOCOLS = ['auto_http', 'http', 'https', 'grpc', 'grpcs', 'fcgi'];

export interface BackendProtocol {
  /** HTTP, HTTPS, AUTO_HTTP, GRPC, GRPCS or FCGI. */
  readonly protocol: string;
  /** The nginx directive and scheme of buildProxyPass, e.g. `proxy_pass https://`. */
  readonly directive: string;
  /** For AUTO_HTTP with a request: the scheme actually used. */
  readonly effectiveScheme?: string;
  readonly explanation?: string;
  readonly problem?: AnnotationProblem;
}

/**
 * backendprotocol/main.go `Parse` (invalid or unknown → HTTP, never an Ingress rejection) and
 * template.go `buildProxyPass` (the directive; the default backend is always plain http).
 */
export function backendProtocol(annotations: Annotations, request?: NginxRequest, config?: Partial<NginxGlobalConfig>): BackendProtocol {
  const cfg = withDefaults(config);
  const r = read(annotations, 'backend-protocol', validateOptions(VALID_PROTOCOLS), asString, cfg);
  let protocol = 'HTTP';
  let problemValue: AnnotationProblem | undefined;
  if (r.state === 'ok') {
    const upper = r.value.trim().toUpperCase();
    if (VALID_PROTOCOLS.includes(upper.toLowerCase())) protocol = upper;
    else problemValue = problem('backend-protocol', r.raw, 'defaulted', `"${r.value}" is not a valid value; HTTP is used`);
  } else if (r.state !== 'absent') {
    problemValue = problem('backend-protocol', r.raw, 'defaulted', `"${r.raw}" is not one of AUTO_HTTP, HTTP, HTTPS, GRPC, GRPCS, FCGI; HTTP is used`);
  }
  const table: Record<string, [string, string]> = {
    HTTP: ['proxy_pass http://', 'plain HTTP/1.1 to the endpoints'],
    HTTPS: ['proxy_pass https://', 'TLS to the endpoints (not verified unless proxy-ssl-verify)'],
    AUTO_HTTP: ['proxy_pass $scheme://', 'the same scheme the client used'],
    GRPC: ['grpc_pass grpc://', 'gRPC over cleartext HTTP/2 (h2c)'],
    GRPCS: ['grpc_pass grpcs://', 'gRPC over TLS'],
    FCGI: ['fastcgi_pass ', 'FastCGI'],
  };
  const [directive, what] = table[protocol];
  const effectiveScheme = protocol === 'AUTO_HTTP' && request ? request.scheme : undefined;
  return {
    protocol,
    directive,
    effectiveScheme,
    explanation: `${protocol}: ${what}${effectiveScheme ? ` (${effectiveScheme} for this request)` : ''}`,
    problem: problemValue,
  };
}

export interface UpstreamHost {
  readonly host: string;
  readonly changed: boolean;
  /** The value holds nginx variables that nginx expands per request. */
  readonly dynamic?: boolean;
  readonly explanation: string;
}

/**
 * nginx.tmpl: `proxy_set_header Host "<upstream-vhost>"` when the annotation is set, otherwise
 * `$best_http_host` (Host as sent, or X-Forwarded-Host's first entry with use-forwarded-headers).
 * For GRPC/GRPCS the template emits no Host header at all, so upstream-vhost has no effect.
 */
export function upstreamHost(annotations: Annotations, request: NginxRequest, config?: Partial<NginxGlobalConfig>): UpstreamHost {
  const cfg = withDefaults(config);
  const original = httpHost(request);
  const best = bestHttpHost(request, cfg);
  const proto = backendProtocol(annotations, request, cfg).protocol;
  const vhost = read(annotations, 'upstream-vhost', validateServerName, asString, cfg);
  if (proto === 'GRPC' || proto === 'GRPCS') {
    return {
      host: best,
      changed: false,
      explanation: `${proto}: nginx.tmpl skips the Host header for grpc_set_header${vhost.state === 'ok' ? ', so upstream-vhost is ignored' : ''}; the :authority nginx's grpc module sends is not modelled`,
    };
  }
  if (vhost.state === 'validation-error') {
    return { host: best, changed: best !== original, explanation: 'upstream-vhost fails validation: the whole Ingress is left out' };
  }
  if (vhost.state === 'ok') {
    return {
      host: vhost.value,
      changed: vhost.value !== original,
      dynamic: vhost.value.includes('$') || undefined,
      explanation: `upstream-vhost: proxy_set_header Host "${vhost.value}"`,
    };
  }
  return {
    host: best,
    changed: best !== original,
    explanation: best !== original ? 'Host is X-Forwarded-Host (use-forwarded-headers)' : 'Host as the client sent it ($best_http_host)',
  };
}

/** sslpassthrough/main.go: the annotation parsed as a Go boolean (invalid → false). */
export function sslPassthrough(annotations: Annotations): boolean {
  return goParseBool(annotations[ann('ssl-passthrough')] ?? '') === true;
}

export interface PassthroughServerView {
  /** Non-canary Ingresses of the host with their paths on this host. */
  readonly ingresses: readonly { readonly id: string; readonly annotations: Annotations; readonly paths: readonly string[] }[];
}

export interface PassthroughVerdict {
  readonly passthrough: boolean;
  /** The Ingress whose "/" path backs the TCP pass-through. */
  readonly via?: string;
  readonly explanation: string;
}

/**
 * createServers marks the whole server passthrough when any of its Ingresses sets the annotation;
 * getConfiguration then uses only the location whose path is exactly "/" ("Ignoring SSL Passthrough
 * for location …" for others). With `--enable-ssl-passthrough`, TLS connections whose SNI is this
 * host go straight to that backend: no HTTP routing, no other annotation applies. Plain HTTP still
 * goes through nginx.
 */
export function sslPassthroughVerdict(request: NginxRequest, server: PassthroughServerView, config?: Partial<NginxGlobalConfig>): PassthroughVerdict {
  const cfg = withDefaults(config);
  const accepted = server.ingresses.filter((i) => !ingressAnnotationStatus(i.annotations, cfg).rejected);
  const marked = accepted.filter((i) => sslPassthrough(i.annotations));
  if (marked.length === 0) return { passthrough: false, explanation: 'no Ingress of this host sets ssl-passthrough' };
  if (!cfg.enableSslPassthrough) return { passthrough: false, explanation: 'ssl-passthrough is set but the controller runs without --enable-ssl-passthrough' };
  if (request.scheme !== 'https') return { passthrough: false, explanation: 'ssl-passthrough only affects TLS connections; this http request is routed by nginx' };
  const root = accepted.find((i) => i.paths.includes('/'));
  if (!root) return { passthrough: false, explanation: 'ssl-passthrough needs a path "/" on the host; without it nginx terminates TLS' };
  return { passthrough: true, via: root.id, explanation: `TLS for this SNI is passed through to the backend of ${root.id} path "/": the request never reaches HTTP routing` };
}
