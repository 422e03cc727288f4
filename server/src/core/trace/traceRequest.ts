/**
 * Where a URL goes: entry (a controller's or a Service's node port) → IngressClass → host rule →
 * path → rewrite → Service → port → pods, or why it goes nowhere. Reads only the workspace's
 * resources and links; matching follows Kubernetes (hosts, pathTypes) and ingress-nginx (merged
 * paths per host, regex mode, rewrite-target), see semantics/pathMatching.ts.
 */
import type { Link, Location } from '../analysis/types';
import type { Ingress, IngressBackend, IngressClass, IngressPath, IngressRule, Resource, Service, ServicePort, Workload } from '../model';
import { controllerServices } from '../graph/buildGraph';
import { DEFAULT_CLASS_LABEL, nodeId } from '../graph/ids';
import { describePort, portLabel } from '../links/ingressLinks';
import { code, nameOf } from '../links/describe';
import { backendLinks, defaultIngressClass, ingressClassNamed, ingressClassOf, linkedService, linkedServicePort, podSummary, reachedPorts, replicasOf, selectedWorkloads, targetPortLink } from '../features/related';
import { editDistance } from '../semantics/names';
import { isValidRegexPath, isWildcardHost, matchesHost, pickPath } from '../semantics/pathMatching';
import type { PathMode } from '../semantics/pathMatching';
import { needsRewrite } from '../semantics/nginx';
import { applyRewrite } from '../semantics/rewrite';
import type { Workspace } from '../workspace/workspace';
import { parseTraceUrl } from './parseUrl';
import type { TraceUrl } from './parseUrl';
import type { TraceResult, TraceStep, TraceStepKind } from './types';

/** Traces `url` through the workspace. A URL that cannot be parsed gives `found: false` and the parse error as `reason`. */
export function traceRequest(workspace: Workspace, url: string): TraceResult {
  const parsed = parseTraceUrl(url);
  if (parsed.error !== undefined) return { url, found: false, steps: [], reason: parsed.error };
  return new Tracer(workspace, url, parsed.url).run();
}

/** One rule (host) of an Ingress that the request's host reached. */
interface RuleRef {
  readonly ingress: Ingress;
  readonly ruleIndex: number;
  readonly rule: IngressRule;
  /** The rule's host as written, '' for a rule without host. */
  readonly host: string;
}

/** One path of the merged server (all Ingresses of the class for that host). */
interface PathRef {
  readonly ref: RuleRef;
  readonly pathIndex: number;
  readonly path: IngressPath;
  readonly value: string;
  readonly pathType: string;
}

/** How the trace ended, when it did not reach pods. */
interface Failure {
  readonly reason: string;
  readonly closest?: string;
}

function known<T>(field: { unknown?: boolean; value?: T } | undefined): T | undefined {
  return field && !field.unknown ? field.value : undefined;
}

function plural(count: number, word: string): string {
  return `${count} ${word}${count === 1 ? '' : 's'}`;
}

function listNames(names: readonly string[]): string {
  return names.map(code).join(', ');
}

class Tracer {
  private readonly steps: TraceStep[] = [];
  private readonly resources: Resource[];
  private readonly classes: IngressClass[];
  private readonly defaultClass: IngressClass | undefined;
  private upstreamPath: string | undefined;

  constructor(
    private readonly ws: Workspace,
    private readonly url: string,
    private readonly request: TraceUrl,
  ) {
    this.resources = ws.allResources();
    this.classes = this.resources.filter((r): r is IngressClass => r.type === 'ingressClass' && !r.opaqueIdentity);
    // The same choice as the route graph, so controller node ids agree.
    this.defaultClass = defaultIngressClass(ws);
  }

  run(): TraceResult {
    const failure = this.trace();
    const found = failure === undefined;
    return {
      url: this.url,
      found,
      steps: this.steps,
      ...(this.upstreamPath !== undefined ? { upstreamPath: this.upstreamPath } : {}),
      ...(failure ? { reason: failure.reason, ...(failure.closest ? { closest: failure.closest } : {}) } : {}),
    };
  }

  private step(kind: TraceStepKind, text: string, location?: Location, node?: string): void {
    this.steps.push({ kind, text, ...(location ? { location } : {}), ...(node ? { nodeId: node } : {}) });
  }

  // ── entry ────────────────────────────────────────────────────────────────────────────────

  private trace(): Failure | undefined {
    const controllers = controllerServices(this.ws, this.resources);
    const port = this.request.port;
    let classes: ReadonlySet<string> | undefined;
    if (port !== undefined || this.request.effectivePort !== undefined) {
      const hit = this.findEntry([...controllers.values()], port, this.request.effectivePort);
      if (hit) {
        this.entryStep(hit.service, hit.port, hit.viaLoadBalancer, true);
        classes = this.classesServedBy(hit.service, controllers);
        if (!classes) this.step('note', `Could not tell which IngressClass Service ${code(nameOf(hit.service))} serves: considering every Ingress.`, undefined, undefined);
      } else if (port !== undefined) {
        const direct = this.findDirectService(port, controllers);
        if (direct) return this.traceNodePortService(direct.service, direct.port);
        if (this.resources.some((r) => r.type === 'service' && (r.serviceType.value === 'NodePort' || r.serviceType.value === 'LoadBalancer'))) {
          this.step('note', `Port ${port} is no node port of an Ingress controller or of a NodePort/LoadBalancer Service in the workspace: considering every Ingress.`);
        }
      }
    }
    return this.traceIngresses(classes);
  }

  private findEntry(services: readonly Service[], port: number | undefined, effectivePort: number | undefined): { service: Service; port: ServicePort; viaLoadBalancer: boolean } | undefined {
    for (const service of services) {
      const p = port === undefined ? undefined : service.ports.find((sp) => known(sp.nodePort) === port);
      if (p) return { service, port: p, viaLoadBalancer: false };
    }
    // A LoadBalancer controller is also reached on its Service port (80/443 for a bare http/https URL).
    for (const service of services) {
      if (service.serviceType.value !== 'LoadBalancer' || effectivePort === undefined) continue;
      const p = service.ports.find((sp) => known(sp.port) === effectivePort);
      if (p) return { service, port: p, viaLoadBalancer: true };
    }
    return undefined;
  }

  private findDirectService(port: number, controllers: ReadonlyMap<string, Service>): { service: Service; port: ServicePort } | undefined {
    for (const resource of this.resources) {
      if (resource.type !== 'service' || resource.opaqueIdentity || controllers.has(resource.id)) continue;
      const type = resource.serviceType.value;
      if (type !== 'NodePort' && type !== 'LoadBalancer') continue;
      const p = resource.ports.find((sp) => known(sp.nodePort) === port);
      if (p) return { service: resource, port: p };
    }
    return undefined;
  }

  private entryStep(service: Service, port: ServicePort, viaLoadBalancer: boolean, controller: boolean): void {
    const nodePort = known(port.nodePort);
    const type = service.serviceType.value;
    const what = controller ? `the Ingress controller's ${type} Service ${code(nameOf(service))}` : `${type} Service ${code(nameOf(service))}`;
    const text = viaLoadBalancer
      ? `Port ${known(port.port)} is the load balancer port of ${what} in namespace ${code(service.namespace)}.`
      : `${code(`node:${nodePort}`)} is node port ${nodePort} of ${what} in namespace ${code(service.namespace)}.`;
    const graphPort = controller ? nodePort : nodePort !== 0 ? nodePort : undefined;
    this.step('entry', text, { uri: service.uri, range: port.nodePort?.range ?? port.range }, nodeId.entry(service.id, graphPort));
    this.policyNote(service, nodePort);
  }

  private policyNote(service: Service, nodePort: number | undefined): void {
    const written = known(service.externalTrafficPolicy);
    const policy = written ?? 'Cluster';
    const location = service.externalTrafficPolicy ? { uri: service.uri, range: service.externalTrafficPolicy.range } : { uri: service.uri, range: service.anchor };
    const on = nodePort ? ` on port ${nodePort}` : '';
    if (policy === 'Local') {
      this.step('note', `externalTrafficPolicy ${code('Local')}: only nodes running a pod of Service ${code(nameOf(service))} answer${on} (other nodes drop the connection), and the pods see the client's source IP.`, location);
    } else if (policy === 'Cluster') {
      this.step('note', `externalTrafficPolicy ${code('Cluster')}${written ? '' : ' (the default)'}: every node answers${on} and forwards to a pod, possibly on another node (an extra hop), SNATing the client address, so pods see a node's IP.`, location);
    }
  }

  /** A Service reached directly on its node port: no Ingress, the request arrives unchanged. */
  private traceNodePortService(service: Service, port: ServicePort): Failure | undefined {
    this.entryStep(service, port, false, false);
    this.upstreamPath = this.withQuery(this.request.path);
    return this.followService(service, port);
  }

  // ── IngressClass ─────────────────────────────────────────────────────────────────────────

  /** The class an Ingress belongs to: ingressClassName, else the annotation, else the default IngressClass; '' for none. */
  private classOf(ingress: Ingress): string {
    return ingressClassOf(this.ws, ingress).name;
  }

  /**
   * The classes a controller Service serves. The workspace does not say it directly, so: a class
   * belongs to the controller Service whose name or namespace contains the class name or the last
   * segment of its IngressClass's controller (`k8s.io/ingress-nginx` → `ingress-nginx`) best.
   * Undefined when no class can be told apart this way.
   */
  private classesServedBy(service: Service, controllers: ReadonlyMap<string, Service>): ReadonlySet<string> | undefined {
    const names = new Set<string>(this.classes.map(nameOf));
    for (const r of this.resources) if (r.type === 'ingress' && !r.opaqueIdentity) names.add(this.classOf(r));
    names.delete('');
    const served = new Set<string>();
    for (const name of names) {
      const ingressClass = ingressClassNamed(this.ws, name);
      const controller = ingressClass?.controller?.value;
      const tokens = [name, ...(controller ? [controller.slice(controller.lastIndexOf('/') + 1)] : [])].map((t) => t.toLowerCase()).filter((t) => t.length >= 3);
      const score = (s: Service) => Math.max(0, ...tokens.filter((t) => `${s.namespace}/${nameOf(s)}`.toLowerCase().includes(t)).map((t) => t.length));
      const best = Math.max(0, ...[...controllers.values()].map(score));
      if (best > 0 && score(service) === best) served.add(name);
    }
    return served.size > 0 ? served : undefined;
  }

  private controllerStep(className: string): void {
    const ingressClass = className ? ingressClassNamed(this.ws, className) : undefined;
    const label = className || DEFAULT_CLASS_LABEL;
    const controller = ingressClass?.controller?.value;
    const about = [...(controller ? [code(controller)] : []), ...(ingressClass?.isDefault ? ['the default class'] : [])];
    const text = className
      ? `The Ingress controller of IngressClass ${code(className)}${about.length > 0 ? ` (${about.join(', ')})` : ''} handles it.`
      : 'The Ingress controller for Ingresses without a class handles it (no IngressClass is marked default).';
    this.step('controller', text, ingressClass ? { uri: ingressClass.uri, range: ingressClass.anchor } : undefined, nodeId.controller(label));
  }

  // ── host ─────────────────────────────────────────────────────────────────────────────────

  private traceIngresses(classes: ReadonlySet<string> | undefined): Failure | undefined {
    const all = this.resources.filter((r): r is Ingress => r.type === 'ingress' && !r.opaqueIdentity && !r.canary);
    const candidates = classes ? all.filter((i) => classes.has(this.classOf(i))) : all;
    const rules = candidates.flatMap((ingress) =>
      ingress.rules.flatMap((rule, ruleIndex): RuleRef[] => (rule.host?.unknown ? [] : [{ ingress, ruleIndex, rule, host: known(rule.host) ?? '' }])),
    );
    const requestHost = this.request.host;
    const exact = requestHost === undefined ? [] : rules.filter((r) => r.host !== '' && !isWildcardHost(r.host) && matchesHost(r.host, requestHost));
    const wildcard = requestHost === undefined ? [] : rules.filter((r) => isWildcardHost(r.host) && matchesHost(r.host, requestHost));
    const catchAll = rules.filter((r) => r.host === '');
    const level = exact.length > 0 ? 'exact' : wildcard.length > 0 ? 'wildcard' : catchAll.length > 0 ? 'catch-all' : undefined;
    const matched = exact.length > 0 ? exact : wildcard.length > 0 ? wildcard : catchAll;
    if (!level) {
      const fallback = this.ruleLessDefault(candidates);
      if (fallback) {
        this.controllerStep(this.classOf(fallback));
        return this.traceDefaultBackend(fallback, `No Ingress rule names host ${code(requestHost ?? '(none)')}`);
      }
      return this.noHost(classes, all);
    }
    const className = this.pickClass(matched);
    const served = matched.filter((r) => this.classOf(r.ingress) === className);
    this.controllerStep(className);
    this.hostStep(level, served);
    return this.tracePaths(served, candidates.filter((i) => this.classOf(i) === className));
  }

  /** Several classes have rules for the host: the default class wins, else the first by name. */
  private pickClass(matched: readonly RuleRef[]): string {
    const names = [...new Set(matched.map((r) => this.classOf(r.ingress)))].sort();
    const chosen = this.defaultClass && names.includes(nameOf(this.defaultClass)) ? nameOf(this.defaultClass) : names[0];
    const others = names.filter((n) => n !== chosen);
    if (others.length > 0) {
      this.step('note', `Ingresses of ${others.length === 1 ? 'class' : 'classes'} ${listNames(others.map((n) => n || DEFAULT_CLASS_LABEL))} also have this host; they are served by another controller (trace with that controller's node port to follow them).`);
    }
    return chosen;
  }

  private hostStep(level: 'exact' | 'wildcard' | 'catch-all', served: readonly RuleRef[]): void {
    const ingresses = [...new Set(served.map((r) => r.ingress))];
    const of = ingresses.length === 1 ? `Ingress ${code(nameOf(ingresses[0]))}` : `Ingresses ${listNames(ingresses.map(nameOf))} (ingress-nginx merges their paths)`;
    const first = served[0];
    const host = this.request.host;
    const text =
      level === 'exact'
        ? `Host ${code(host!)} matches the rule host ${code(first.host)} of ${of}.`
        : level === 'wildcard'
          ? `Host ${code(host!)} matches the wildcard rule host ${code(first.host)} of ${of} (exactly one extra leading label).`
          : `No rule names host ${code(host ?? '(none)')}; the rule without host of ${of} catches every host.`;
    this.step('host', text, { uri: first.ingress.uri, range: first.rule.host?.range ?? first.rule.range }, nodeId.host(first.host || '*'));
  }

  /** An Ingress of the class with only a defaultBackend (no rules): the controller-wide fallback. */
  private ruleLessDefault(ingresses: readonly Ingress[]): Ingress | undefined {
    return ingresses.find((i) => i.rules.length === 0 && i.defaultBackend !== undefined);
  }

  private noHost(classes: ReadonlySet<string> | undefined, all: readonly Ingress[]): Failure {
    const host = this.request.host;
    const ofClass = classes ? ` of class ${listNames([...classes].sort())}` : '';
    const reason = host === undefined ? `no Ingress${ofClass} has a rule without host, and the URL names no host` : `no Ingress${ofClass} has a rule for host ${code(host)}, nor a rule without host`;
    const hosts = all.flatMap((ingress) => ingress.rules.flatMap((rule) => (known(rule.host) ? [{ ingress, host: known(rule.host)! }] : [])));
    if (host !== undefined) {
      const elsewhere = hosts.find((h) => matchesHost(h.host, host));
      if (elsewhere) {
        const cls = this.classOf(elsewhere.ingress) || DEFAULT_CLASS_LABEL;
        return { reason, closest: `Ingress ${code(nameOf(elsewhere.ingress))} of class ${code(cls)} has host ${code(elsewhere.host)}, but this port reaches the controller of ${listNames([...(classes ?? [])].sort())}` };
      }
    }
    if (hosts.length === 0 || host === undefined) return { reason };
    const scored = hosts.map((h) => ({ ...h, distance: editDistance(host, h.host.toLowerCase()) })).sort((a, b) => a.distance - b.distance);
    const best = scored[0];
    return { reason, closest: `host ${code(best.host)} of Ingress ${code(nameOf(best.ingress))} (${plural(best.distance, 'edit')} away)` };
  }

  // ── path ─────────────────────────────────────────────────────────────────────────────────

  private tracePaths(served: readonly RuleRef[], classIngresses: readonly Ingress[]): Failure | undefined {
    const paths: PathRef[] = [];
    for (const ref of served) {
      ref.rule.paths.forEach((path, pathIndex) => {
        if (path.path?.unknown) {
          this.step('note', `A path of Ingress ${code(nameOf(ref.ingress))} is templated and cannot be matched offline.`, { uri: ref.ingress.uri, range: path.path.range });
          return;
        }
        paths.push({ ref, pathIndex, path, value: known(path.path) ?? '', pathType: path.pathType?.value ?? 'ImplementationSpecific' });
      });
    }
    const mode = this.modeOf(paths);
    const requestPath = this.request.path;
    const pick = pickPath(paths.map((p) => ({ path: p.value, pathType: p.pathType })), requestPath, mode);
    if (!pick) {
      const ingresses = [...new Set(served.map((r) => r.ingress))];
      const withDefault = ingresses.find((i) => i.defaultBackend) ?? this.ruleLessDefault(classIngresses);
      if (withDefault) return this.traceDefaultBackend(withDefault, `No path of host ${code(served[0].host || '*')} matches ${code(requestPath)}`);
      return this.noPath(served[0], paths, mode);
    }
    const chosen = paths[pick.index];
    const { ingress } = chosen.ref;
    const shown = chosen.value || '/';
    const how =
      mode === 'regex'
        ? `as the case-insensitive regex ${code(`^${shown}`)}${chosen.pathType === 'Exact' ? ' (Exact is not exact in regex mode)' : ''}`
        : chosen.pathType === 'Exact'
          ? 'exactly'
          : chosen.pathType === 'Prefix'
            ? 'element by element'
            : 'as a character prefix';
    const longest = mode === 'normal' && paths.length > 1 ? ', the longest matching path' : mode === 'regex' && paths.length > 1 ? ', the first match with longer paths tried first' : '';
    this.step(
      'path',
      `Path ${code(shown)} (${chosen.pathType}) of Ingress ${code(nameOf(ingress))} matches ${code(requestPath)} ${how}${longest}.`,
      { uri: ingress.uri, range: chosen.path.path?.range ?? chosen.path.range },
      nodeId.route(ingress.id, chosen.ref.ruleIndex, chosen.pathIndex),
    );
    this.duplicateNote(paths, chosen);
    this.canaryNote(chosen);
    this.rewrite(chosen);
    if (!chosen.path.backend) return { reason: `path ${code(shown)} of Ingress ${code(nameOf(ingress))} has no backend` };
    return this.followBackend(ingress, chosen.path.backend);
  }

  /**
   * Regex mode for the whole host when any of its Ingresses has `use-regex: "true"` or a
   * `rewrite-target` that differs from its path (ingress-nginx `enforceRegexModifier`).
   */
  private modeOf(paths: readonly PathRef[]): PathMode {
    const cause = paths.find((p) => p.ref.ingress.useRegex) ?? paths.find((p) => needsRewrite(p.ref.ingress.rewriteTarget, p.value || '/'));
    if (!cause) return 'normal';
    const ingress = cause.ref.ingress;
    const why = ingress.useRegex ? `${code('use-regex: "true"')}` : `${code('rewrite-target')}`;
    const location = ingress.useRegex || !ingress.rewriteTarget ? { uri: ingress.uri, range: ingress.anchor } : { uri: ingress.uri, range: ingress.rewriteTarget.range };
    this.step('note', `Regex mode for host ${code(cause.ref.host || '*')}: ${why} on Ingress ${code(nameOf(ingress))} makes every path of the host a case-insensitive regex anchored at the start only, tried longest first.`, location);
    const broken = paths.filter((p) => !isValidRegexPath(p.value));
    for (const p of broken) this.step('note', `Path ${code(p.value)} of Ingress ${code(nameOf(p.ref.ingress))} is not a regular expression this tracer can evaluate (JavaScript syntax), so it is skipped; nginx's PCRE may still accept it.`, { uri: p.ref.ingress.uri, range: p.path.path?.range ?? p.path.range });
    return 'regex';
  }

  private duplicateNote(paths: readonly PathRef[], chosen: PathRef): void {
    const same = paths.filter((p) => p !== chosen && p.value === chosen.value && p.pathType === chosen.pathType && p.ref.ingress !== chosen.ref.ingress);
    if (same.length === 0) return;
    this.step('note', `Ingress ${listNames([...new Set(same.map((p) => nameOf(p.ref.ingress)))])} also defines ${code(chosen.value || '/')} (${chosen.pathType}) for this host: ingress-nginx keeps the oldest Ingress's, which the manifests cannot tell.`);
  }

  private canaryNote(chosen: PathRef): void {
    const canaries = this.resources.filter(
      (r): r is Ingress =>
        r.type === 'ingress' && r.canary && this.classOf(r) === this.classOf(chosen.ref.ingress) && r.rules.some((rule) => (known(rule.host) ?? '') === chosen.ref.host && rule.paths.some((p) => (known(p.path) ?? '') === chosen.value)),
    );
    if (canaries.length === 0) return;
    this.step('note', `Canary Ingress ${listNames(canaries.map(nameOf))} has the same host and path: part of the traffic goes to its backend instead (canary annotations decide how much).`, { uri: canaries[0].uri, range: canaries[0].anchor });
  }

  private noPath(first: RuleRef, paths: readonly PathRef[], mode: PathMode): Failure {
    const requestPath = this.request.path;
    const listed = paths.map((p) => `${code(p.value || '/')} (${p.pathType})`).join(', ');
    const host = first.host ? `host ${code(first.host)}` : 'the rule without host';
    const reason =
      paths.length === 0
        ? `${host} matched, but it has no paths and no default backend`
        : `${host} matched, but no path matches ${code(requestPath)}; its paths: ${listed}${mode === 'regex' ? ', matched as case-insensitive regexes anchored at the start' : ''}`;
    if (paths.length === 0) return { reason };
    const fold = (s: string) => (mode === 'regex' ? s.toLowerCase() : s);
    const common = (a: string, b: string) => {
      let i = 0;
      while (i < a.length && i < b.length && fold(a[i]) === fold(b[i])) i++;
      return i;
    };
    let best = paths[0];
    let bestLength = -1;
    for (const p of paths) {
      const length = common(p.value || '/', requestPath);
      if (length > bestLength) {
        best = p;
        bestLength = length;
      }
    }
    const shared = requestPath.slice(0, bestLength);
    return { reason, closest: `path ${code(best.value || '/')} (${best.pathType}) of Ingress ${code(nameOf(best.ref.ingress))}${bestLength > 0 ? ` shares ${code(shared)} with the request` : ''}` };
  }

  private traceDefaultBackend(ingress: Ingress, why: string): Failure | undefined {
    const backend = ingress.defaultBackend!;
    this.step('path', `${why}: the default backend of Ingress ${code(nameOf(ingress))} takes it.`, { uri: ingress.uri, range: backend.range }, nodeId.defaultRoute(ingress.id));
    this.upstreamPath = this.withQuery(this.request.path);
    this.step('rewrite', `The backend receives the path unchanged: ${code(this.upstreamPath)}.`, { uri: ingress.uri, range: backend.range }, nodeId.defaultRoute(ingress.id));
    return this.followBackend(ingress, backend);
  }

  // ── rewrite ──────────────────────────────────────────────────────────────────────────────

  private rewrite(chosen: PathRef): void {
    const { ingress } = chosen.ref;
    const route = nodeId.route(ingress.id, chosen.ref.ruleIndex, chosen.pathIndex);
    const target = ingress.rewriteTarget;
    const requestPath = this.request.path;
    if (target && needsRewrite(target, chosen.value || '/')) {
      const location = { uri: ingress.uri, range: target.range };
      if (target.unknown) {
        this.step('rewrite', `The ${code('rewrite-target')} of Ingress ${code(nameOf(ingress))} is templated: the path the backend receives cannot be known.`, location, route);
        return;
      }
      const result = applyRewrite(chosen.value || '/', target.value, requestPath);
      if (!result) {
        this.upstreamPath = this.withQuery(requestPath);
        this.step('rewrite', `The ${code(`rewrite-target: ${target.value}`)} of Ingress ${code(nameOf(ingress))} does not apply (the path does not compile as a regex): the backend receives ${code(this.upstreamPath)}.`, location, route);
        return;
      }
      this.upstreamPath = this.withQuery(result.upstream, target.value);
      const groups = result.groups.length > 0 && /\$\d/.test(target.value) ? ` (${result.groups.map((g, i) => `$${i + 1} = ${g === '' ? 'empty' : code(g)}`).join(', ')})` : '';
      const dropped = target.value.endsWith('?') && this.request.query ? '; the target ends with `?`, so the query string is dropped' : '';
      this.step('rewrite', `${code(`rewrite-target: ${target.value}`)} of Ingress ${code(nameOf(ingress))} rewrites ${code(this.withQuery(requestPath))} to ${code(this.upstreamPath)}${groups}${dropped}.`, location, route);
      return;
    }
    this.upstreamPath = this.withQuery(requestPath);
    const why = target ? `The ${code('rewrite-target')} equals the path` : `No ${code('rewrite-target')}`;
    this.step('rewrite', `${why}: the backend receives the path unchanged, ${code(this.upstreamPath)}.`, { uri: ingress.uri, range: chosen.path.path?.range ?? chosen.path.range }, route);
  }

  /** nginx appends the original query string to a rewritten URI, unless the replacement ends with `?`. */
  private withQuery(path: string, target?: string): string {
    const query = this.request.query;
    if (target !== undefined && target.endsWith('?')) return path.replace(/\?$/, '');
    if (query === undefined || query === '') return path;
    return `${path}${path.includes('?') ? '&' : '?'}${query}`;
  }

  // ── Service, port, pods ──────────────────────────────────────────────────────────────────

  private followBackend(ingress: Ingress, backend: IngressBackend): Failure | undefined {
    if (backend.isResource || !backend.service) {
      return { reason: `the backend of Ingress ${code(nameOf(ingress))} is a resource, not a Service; ingress-nginx sends such requests to its default backend` };
    }
    const name = backend.service.name;
    if (name.unknown) return { reason: `the backend Service name of Ingress ${code(nameOf(ingress))} is templated and cannot be followed offline` };
    const links = backendLinks(this.ws, ingress, backend);
    const link = links.service;
    const service = linkedService(this.ws, link);
    if (!service) {
      this.step('service', `Ingress ${code(nameOf(ingress))} sends it to Service ${code(name.value)}, which is not in namespace ${code(ingress.namespace)}.`, { uri: ingress.uri, range: name.range }, nodeId.missingService(ingress.namespace, name.value));
      if (link?.status === 'unknown') return { reason: `Service ${code(name.value)} in namespace ${code(ingress.namespace)} cannot be known offline (templated names in that namespace)` };
      const miss = link?.nearMisses?.[0];
      return { reason: `Service ${code(name.value)} does not exist in namespace ${code(ingress.namespace)}`, ...(miss ? { closest: miss.description } : {}) };
    }
    this.serviceStep(service, `Ingress ${code(nameOf(ingress))} sends it to`);
    if (service.serviceType.value === 'ExternalName') return this.externalName(service);
    const port = backend.service.port;
    let servicePort: ServicePort | undefined;
    if (port === undefined) {
      if (service.ports.length === 1) servicePort = service.ports[0];
      else return { reason: `the backend of Ingress ${code(nameOf(ingress))} names no port of Service ${code(nameOf(service))}` };
    } else if (port.unknown) {
      return { reason: `the backend port of Ingress ${code(nameOf(ingress))} is templated and cannot be followed offline` };
    } else {
      const portLink = links.port;
      if (portLink?.status === 'unknown') return { reason: `the ports of Service ${code(nameOf(service))} are templated, so port ${code(port.value)} cannot be followed offline` };
      servicePort = linkedServicePort(this.ws, portLink)?.port;
      if (!servicePort) {
        const ports = service.ports.map(portLabel).join(', ');
        const what = typeof port.value === 'number' ? `port ${port.value}` : `a port named ${code(port.value)}`;
        const miss = portLink?.nearMisses?.[0];
        return {
          reason: `Service ${code(nameOf(service))} has no ${what}${ports ? `; its ports: ${ports}` : '; it has no ports'}`,
          ...(miss ? { closest: miss.description } : service.ports.length > 0 ? { closest: `Service ${describePort(service.ports[0])}` } : {}),
        };
      }
    }
    return this.followService(service, servicePort, true);
  }

  private serviceStep(service: Service, lead?: string): void {
    const type = `${service.serviceType.value}${service.headless ? ', headless' : ''}`;
    const text = lead
      ? `${lead} Service ${code(nameOf(service))} (${type}) in namespace ${code(service.namespace)}.`
      : `Service ${code(nameOf(service))} (${type}) in namespace ${code(service.namespace)} takes it.`;
    this.step('service', text, { uri: service.uri, range: service.anchor }, nodeId.service(service.id));
  }

  private externalName(service: Service): undefined {
    this.step('note', `Service ${code(nameOf(service))} is an ExternalName Service: the request leaves the cluster for the DNS name it points to; there are no pods to select.`, { uri: service.uri, range: service.serviceType.range ?? service.anchor });
    return undefined;
  }

  /** Service port → targetPort → containerPort, then the pods. */
  private followService(service: Service, port: ServicePort, serviceStepDone = false): Failure | undefined {
    if (!serviceStepDone) this.serviceStep(service);
    if (service.serviceType.value === 'ExternalName') return this.externalName(service);
    this.portStep(service, port);
    const selector = this.ws.linksFrom(service.id).find((l) => l.kind === 'service-selector');
    if (!selector) {
      return { reason: `Service ${code(nameOf(service))} has no selector: its endpoints are managed by hand (EndpointSlices), which the manifests here do not show` };
    }
    if (selector.status === 'unknown') return { reason: `the pods of Service ${code(nameOf(service))} cannot be known offline (its selector or the pod labels are templated)` };
    const workloads = selectedWorkloads(this.ws, service);
    if (selector.status === 'missing' || workloads.length === 0) {
      const miss = selector.nearMisses?.[0];
      this.step('pods', `No pod template in namespace ${code(service.namespace)} has the labels ${code(selector.text)}.`, { uri: service.uri, range: selector.range }, nodeId.missingPods(service.id));
      return { reason: `no pod template matches ${selector.text} (the selector of Service ${code(nameOf(service))} in namespace ${code(service.namespace)})`, ...(miss ? { closest: miss.description } : {}) };
    }
    for (const workload of workloads) this.podsStep(workload, selector);
    return undefined;
  }

  private portStep(service: Service, port: ServicePort): void {
    const chain = [describePort(port)];
    const target = port.targetPort;
    const location = { uri: service.uri, range: port.range };
    const node = nodeId.service(service.id);
    if (!target || target.unknown) {
      this.step('port', `${capitalize(chain[0])} → targetPort ${target ? '(templated)' : '(none)'}.`, location, node);
      return;
    }
    const link = targetPortLink(this.ws, service, port);
    const numbers = reachedPorts(link);
    const containers = [...new Set((link?.targets ?? []).map((t) => t.containerName).filter((n): n is string => n !== undefined))];
    chain.push(`targetPort ${code(target.value)}${target.defaulted ? ' (defaulted to the port)' : ''}`);
    if (numbers.length > 0) chain.push(`containerPort ${numbers.join('/')}${containers.length > 0 ? ` (container ${listNames(containers)})` : ''}`);
    else if (typeof target.value === 'number') chain.push(`containerPort ${target.value}`);
    this.step('port', `${capitalize(chain.join(' → '))}.`, location, node);
    if (link && (link.status === 'missing' || link.status === 'partial') && typeof target.value === 'string') {
      this.step('note', `${link.status === 'missing' ? 'No selected pod' : 'Not every selected pod'} declares a port named ${code(target.value)}: connections to ${link.status === 'missing' ? 'them' : 'those pods'} are refused.`, { uri: service.uri, range: target.range });
    } else if (link && link.status !== 'resolved' && link.status !== 'unknown') {
      this.step('note', `Not every selected pod declares containerPort ${code(target.value)}.`, { uri: service.uri, range: target.range });
    }
  }

  private podsStep(workload: Workload, selector: Link): void {
    const replicas = replicasOf(workload);
    const detail = workload.kind === 'DaemonSet' ? ' (one per node)' : '';
    const location = { uri: workload.uri, range: workload.anchor };
    this.step('pods', `${capitalize(podSummary([workload]))}${detail} serve it (selected by ${code(selector.text)}).`, location, nodeId.workload(workload.id));
    if (replicas === 0) this.step('note', `${workload.kind} ${code(nameOf(workload))} is scaled to zero: nothing answers until it is scaled up.`, location);
  }
}

function capitalize(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
