/**
 * Where a URL goes: entry (a controller's or a Service's node port or load balancer) → the
 * Ingresses that controller serves → host → path, as the controller matches them (ingress-nginx
 * in trace/ingressNginx.ts, the others in trace/routers.ts) → redirects, canary split, rewrite →
 * Service → port → pods (trace/backends.ts), or why it goes nowhere. Or through a Gateway API
 * Gateway (trace/gatewayRouter.ts): named with `options.gateway`, or the one Gateway whose
 * listeners accept the URL's port and host. Reads only the workspace's resources and links.
 *
 * A repository holds independent manifests (examples, variants): Ingresses of different apply
 * units (workspace/scopes.ts) are never merged. Each unit is traced on its own, the one whose
 * rules serve the request best is reported, and the others that also serve it are named.
 */
import type { Location } from '../analysis/types';
import type { Ingress, Service, ServicePort, Workload } from '../model';
import { DEFAULT_CLASS_LABEL, nodeId } from '../graph/ids';
import { code, nameOf } from '../links/describe';
import { controllerOf } from '../links/ingressController';
import type { ControllerChoice } from '../links/ingressController';
import { controllerServices } from '../features/related';
import type { ControllerService } from '../features/related';
import { describeUnit } from '../workspace/scopes';
import type { Workspace } from '../workspace/workspace';
import { followIngressBackend, forwardTargets, followService } from './backends';
import type { BackendOutcome } from './backends';
import { hostRules } from './hostRules';
import type { HostRules, RoutePick, RouterContext, StepSink } from './hostRules';
import { routeIngressNginx, tlsViews } from './ingressNginx';
import { closestHost, routeAlb, routeGce, routeKubernetes, routeNginxInc, routeTraefik } from './routers';
import { parseTraceUrl } from './parseUrl';
import { GatewayRouter, acceptingGateways, allGateways, gatewayText, parseGatewayName, requestPort } from './gatewayRouter';
import type { GatewayAnswer } from './gatewayRouter';
import type { Gateway } from '../model';
import { describeListener } from '../links/gatewayDescribe';
import type { TraceUrl } from './parseUrl';
import type { TraceBackend, TraceOptions, TraceResult, TraceRoute, TraceStep, TraceStepKind } from './types';
import { known } from '../model';

/** Traces `url` through the workspace. A URL that cannot be parsed gives `found: false` and the parse error as `reason`. */
export function traceRequest(workspace: Workspace, url: string, options: TraceOptions = {}): TraceResult {
  const parsed = parseTraceUrl(url);
  if (parsed.error !== undefined) return { url, found: false, steps: [], reason: parsed.error };
  const host = hostHeader(options.headers);
  if (host === undefined) return new Tracer(workspace, url, parsed.url, options).run();
  // `curl -H 'Host: www.test.pri' http://10.0.0.5:31085/` : the URL says where the request is
  // sent (the entry port), the Host header which virtual host answers it (nginx server_name,
  // Ingress rule hosts and Gateway hostnames all match the Host header).
  const named = parseTraceUrl(host);
  if (named.error !== undefined || !named.url.host || named.url.path !== '/' || named.url.query !== undefined) {
    return { url, found: false, steps: [], reason: `the Host header \`${host}\` is not a host name` };
  }
  const tracer = new Tracer(workspace, url, { ...parsed.url, host: named.url.host }, options);
  return tracer.run(`The Host header names the virtual host \`${named.url.host}\`; the URL names where the request is sent${parsed.url.host ? ` (\`${parsed.url.host}${parsed.url.port ? `:${parsed.url.port}` : ''}\`)` : ''}.`);
}

/** A Gateway as the editor's picker lists it for a URL. */
export interface GatewayChoice {
  readonly namespace: string;
  readonly name: string;
  /** Its listeners take the URL (port, protocol, host): it is a candidate. */
  readonly accepts: boolean;
  /** Its listeners, e.g. `http: 80/HTTP www.test.pri`. */
  readonly listeners: readonly string[];
}

/**
 * The Gateways of the workspace for a URL (and its Host header): which accept it, and whether an
 * Ingress has a rule for its host too. The editor offers a Gateway picker when the port and host
 * do not single one out. Empty for a URL that cannot be parsed.
 */
export function traceGatewayChoices(workspace: Workspace, url: string, headers?: Readonly<Record<string, string>>): { readonly gateways: readonly GatewayChoice[]; readonly ingressServesHost: boolean } {
  const parsed = parseTraceUrl(url);
  if (parsed.error !== undefined) return { gateways: [], ingressServesHost: false };
  const hostOverride = hostHeader(headers);
  const named = hostOverride === undefined ? undefined : parseTraceUrl(hostOverride).url?.host;
  const request = named ? { ...parsed.url, host: named } : parsed.url;
  const accepting = new Set(acceptingGateways(workspace, request).map((a) => a.gateway.id));
  const seen = new Map<string, GatewayChoice>();
  for (const gateway of allGateways(workspace).sort((a, b) => gatewayText(a).localeCompare(gatewayText(b)))) {
    const text = gatewayText(gateway);
    const previous = seen.get(text);
    const listeners = gateway.listeners.map((l, i) => describeListener(l, i));
    seen.set(text, { namespace: gateway.namespace, name: nameOf(gateway), accepts: accepting.has(gateway.id) || previous?.accepts === true, listeners: previous?.listeners ?? listeners });
  }
  const ingresses = workspace.allResources().filter((r): r is Ingress => r.type === 'ingress' && !r.opaqueIdentity && !r.canary);
  const level = request.host === undefined ? undefined : hostRules(ingresses, [], request.host)?.level;
  return { gateways: [...seen.values()], ingressServesHost: level === 'exact' || level === 'wildcard' };
}

function hostHeader(headers: Readonly<Record<string, string>> | undefined): string | undefined {
  const entry = Object.entries(headers ?? {}).find(([name]) => name.toLowerCase() === 'host');
  return entry ? entry[1].trim() : undefined;
}

interface Outcome {
  readonly found: boolean;
  readonly status?: number;
  readonly reason?: string;
  readonly closest?: string;
}

/** One apply unit's answer, before it is chosen: its own steps and what its rules pick. */
interface Attempt {
  readonly unit: string;
  readonly steps: TraceStep[];
  readonly pick?: RoutePick;
  readonly controller?: ControllerChoice;
  /** How well the unit serves the request: a path (3), a default backend or redirect (2), the controller's answer (1), no rule for the host (0). */
  readonly rank: number;
  /** Whether the unit has a rule naming the host (exact or wildcard), not only a catch-all. */
  readonly named?: boolean;
}

const EVIDENCE_RANK: Readonly<Record<string, number>> = { ingressclass: 4, 'controller-pod': 3, 'class-name': 2, annotations: 1, none: 0 };

/**
 * One class is served by one controller: of the Ingresses of a class, the one whose controller is
 * known best decides (an Ingress without class and annotations says nothing; its neighbour with
 * ingress-nginx annotations does).
 */
function strongest(choices: readonly ControllerChoice[]): ControllerChoice {
  return choices.reduce((a, b) => ((EVIDENCE_RANK[b.evidence] ?? 0) > (EVIDENCE_RANK[a.evidence] ?? 0) ? b : a));
}

function lowerCaseHeaders(headers: Readonly<Record<string, string>> | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers ?? {})) out[name.toLowerCase()] = value;
  return out;
}

class Tracer {
  private steps: TraceStep[] = [];
  private upstreamPath: string | undefined;
  private upstreamHost: string | undefined;
  private route: TraceRoute | undefined;
  private readonly headers: Record<string, string>;

  constructor(
    private readonly ws: Workspace,
    private readonly url: string,
    private readonly request: TraceUrl,
    private readonly options: TraceOptions,
  ) {
    this.headers = lowerCaseHeaders(options.headers);
  }

  run(note?: string): TraceResult {
    if (note) this.step('note', note);
    const outcome = this.trace();
    return {
      url: this.url,
      found: outcome.found,
      ...(outcome.status !== undefined ? { status: outcome.status } : {}),
      steps: this.steps,
      ...(this.upstreamPath !== undefined ? { upstreamPath: this.upstreamPath } : {}),
      ...(this.upstreamHost !== undefined ? { upstreamHost: this.upstreamHost } : {}),
      ...(this.route ? { route: this.route } : {}),
      ...(outcome.reason ? { reason: outcome.reason } : {}),
      ...(outcome.closest ? { closest: outcome.closest } : {}),
    };
  }

  private readonly step: StepSink = (kind: TraceStepKind, text: string, location?: Location, node?: string) => {
    this.steps.push({ kind, text, ...(location ? { location } : {}), ...(node ? { nodeId: node } : {}) });
  };

  // ── entry ────────────────────────────────────────────────────────────────────────────────

  private trace(): Outcome {
    if (this.options.gateway !== undefined) return this.traceNamedGateway(this.options.gateway);
    const controllers = controllerServices(this.ws);
    let entryWorkloads: readonly Workload[] | undefined;
    let noEntry = false;
    if (this.request.port !== undefined || this.request.effectivePort !== undefined) {
      const hit = this.findEntry([...controllers.values()]);
      if (hit) {
        this.entryStep(hit.service, hit.port, hit.viaLoadBalancer, true);
        entryWorkloads = hit.workloads;
      } else if (this.request.port !== undefined) {
        const direct = this.findDirectService(this.request.port, controllers);
        if (direct) return this.traceNodePortService(direct.service, direct.port);
        noEntry = true;
      }
    }
    if (!entryWorkloads) {
      const viaGateway = this.traceAcceptingGateway();
      if (viaGateway) return viaGateway;
    }
    if (noEntry && this.ws.allResources().some((r) => r.type === 'service' && (r.serviceType.value === 'NodePort' || r.serviceType.value === 'LoadBalancer'))) {
      this.step('note', `Port ${this.request.port} is no node port of an Ingress controller or of a NodePort/LoadBalancer Service in the workspace: considering every Ingress.`);
    }
    return this.traceIngresses(entryWorkloads);
  }

  // ── Gateway API ──────────────────────────────────────────────────────────────────────────

  /** `--gateway NAMESPACE/NAME`: that Gateway (the copy nearest the file the user is in, when examples repeat it). */
  private traceNamedGateway(text: string): Outcome {
    const wanted = parseGatewayName(text);
    if (!wanted) return { found: false, reason: `the Gateway must be given as NAMESPACE/NAME, not \`${text}\`` };
    const named = (g: Gateway) => g.namespace === wanted.namespace && g.name?.value === wanted.name;
    const copies = allGateways(this.ws).filter(named);
    if (copies.length === 0) {
      const sets = this.ws.allResources().filter((r): r is Gateway => r.type === 'gateway' && r.parentRef !== undefined && named(r));
      const existing = allGateways(this.ws).map(gatewayText).sort();
      const listenerSet = sets[0]?.parentRef ? ` (${code(text)} is a ListenerSet: name its Gateway, ${code(`${sets[0].parentRef.namespace}/${known(sets[0].parentRef.name) ?? '?'}`)})` : '';
      return { found: false, reason: `no Gateway ${code(text)} in the workspace${listenerSet}; ${existing.length > 0 ? `its Gateways: ${existing.map(code).join(', ')}` : 'it has no Gateways'}` };
    }
    const gateway = this.preferred(copies);
    if (copies.length > 1) this.step('note', `Gateway ${code(text)} is defined ${copies.length} times (${copies.map((g) => describeUnit(this.ws.unitOf(g))).join(', ')}): variants of which one is applied; the trace uses the one in ${describeUnit(this.ws.unitOf(gateway))}.`);
    return this.throughGateway(gateway, 'it was named with --gateway');
  }

  /** The copy in the apply unit of the file the user is in, else the first. */
  private preferred(gateways: readonly Gateway[]): Gateway {
    const unit = this.fromUnit();
    return gateways.find((g) => unit !== undefined && this.ws.unitOf(g) === unit) ?? [...gateways].sort((a, b) => (this.ws.unitOf(a) < this.ws.unitOf(b) ? -1 : 1))[0];
  }

  /**
   * Without --gateway: the one Gateway whose listeners accept the URL's port and host. When an
   * Ingress also has a rule for the host, the Ingress answers (as before Gateway API support)
   * unless the file the user is in belongs to that Gateway's example; the trace names the Gateway.
   * Undefined: trace the Ingresses.
   */
  private traceAcceptingGateway(): Outcome | undefined {
    if (this.options.ingressOnly) return undefined;
    const gateways = allGateways(this.ws);
    if (gateways.length === 0) return undefined;
    const accepting = this.dedupe(acceptingGateways(this.ws, this.request).map((a) => a.gateway));
    const ingresses = this.ws.allResources().filter((r): r is Ingress => r.type === 'ingress' && !r.opaqueIdentity);
    const { port } = requestPort(this.request);
    const hostText = this.request.host ? ` and host ${code(this.request.host)}` : '';
    if (accepting.length === 0) {
      if (ingresses.length > 0) return undefined;
      const listeners = gateways.flatMap((g) => g.listeners.map((l) => `${code(gatewayText(g))} ${known(l.port) ?? '?'}/${known(l.protocol) ?? '?'} ${known(l.hostname) ?? '(any host)'}`));
      const onPort = gateways.some((g) => g.listeners.some((l) => known(l.port) === port));
      return { found: false, ...(onPort ? { status: 404 } : {}), reason: `no Gateway has a listener that accepts port ${port}${hostText} (listeners: ${listeners.slice(0, 6).join(', ')}${listeners.length > 6 ? ` and ${listeners.length - 6} more` : ''})` };
    }
    const names = accepting.map((g) => code(gatewayText(g))).join(', ');
    const ingressServes = this.request.host !== undefined && (hostRules(ingresses.filter((i) => !i.canary), [], this.request.host)?.level ?? 'catch-all') !== 'catch-all';
    if (ingressServes && !accepting.some((g) => this.fromIsWith(g))) {
      this.step('note', `${accepting.length === 1 ? 'Gateway' : 'Gateways'} ${names} also ${accepting.length === 1 ? 'accepts' : 'accept'} port ${port}${hostText}; this trace follows the Ingresses (trace with --gateway NAMESPACE/NAME to follow a Gateway).`);
      return undefined;
    }
    if (accepting.length > 1) {
      const reason = `several Gateways accept port ${port}${hostText}: ${names}; choose one with --gateway NAMESPACE/NAME`;
      this.step('note', `${reason[0].toUpperCase()}${reason.slice(1)}.`);
      return { found: false, reason };
    }
    return this.throughGateway(accepting[0], `it is the only Gateway whose listeners accept port ${port}${hostText}`);
  }

  /** One Gateway per namespace/name (copies in several examples: the one nearest the user's file). */
  private dedupe(gateways: readonly Gateway[]): Gateway[] {
    const groups = new Map<string, Gateway[]>();
    for (const g of gateways) groups.set(gatewayText(g), [...(groups.get(gatewayText(g)) ?? []), g]);
    return [...groups.values()].map((copies) => this.preferred(copies));
  }

  /** Whether the file the user is in is part of this Gateway's example (same apply unit, or a route attached to it). */
  private fromIsWith(gateway: Gateway): boolean {
    const from = this.options.from;
    if (!from) return false;
    const unit = this.ws.unitOf(gateway);
    // A file without objects (a route test file) is with the Gateway when its folder's unit is.
    if (this.ws.resourcesOf(from).length === 0) return this.fromUnit() === unit;
    return this.ws.resourcesOf(from).some((r) => this.ws.unitOf(r) === unit || (r.id === gateway.id) || (r.type === 'route' && this.ws.linksFrom(r.id).some((l) => l.kind === 'route-parent' && l.targets.some((t) => t.resourceId === gateway.id))));
  }

  private throughGateway(gateway: Gateway, why: string): Outcome {
    const method = (this.options.method ?? 'GET').toUpperCase();
    const answer: GatewayAnswer = new GatewayRouter(this.ws, { request: this.request, headers: this.headers, method }, this.step).route(gateway, why);
    this.upstreamPath = answer.upstreamPath;
    this.upstreamHost = answer.upstreamHost;
    this.route = answer.route;
    return { found: answer.found, ...(answer.status !== undefined ? { status: answer.status } : {}), ...(answer.reason ? { reason: answer.reason } : {}), ...(answer.closest ? { closest: answer.closest } : {}) };
  }

  private findEntry(services: readonly ControllerService[]): { service: Service; port: ServicePort; viaLoadBalancer: boolean; workloads: readonly Workload[] } | undefined {
    const port = this.request.port;
    for (const { service, workloads } of services) {
      const p = port === undefined ? undefined : service.ports.find((sp) => known(sp.nodePort) === port);
      if (p) return { service, port: p, viaLoadBalancer: false, workloads };
    }
    // A LoadBalancer controller is also reached on its Service port (80/443 for a bare http/https URL).
    for (const { service, workloads } of services) {
      if (service.serviceType.value !== 'LoadBalancer' || this.request.effectivePort === undefined) continue;
      const p = service.ports.find((sp) => known(sp.port) === this.request.effectivePort);
      if (p) return { service, port: p, viaLoadBalancer: true, workloads };
    }
    return undefined;
  }

  private findDirectService(port: number, controllers: ReadonlyMap<string, ControllerService>): { service: Service; port: ServicePort } | undefined {
    for (const resource of this.ws.allResources()) {
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
  private traceNodePortService(service: Service, port: ServicePort): Outcome {
    this.entryStep(service, port, false, false);
    this.upstreamPath = this.rawTarget();
    this.step('service', `Service ${code(nameOf(service))} (${service.serviceType.value}) in namespace ${code(service.namespace)} takes it.`, { uri: service.uri, range: service.anchor }, nodeId.service(service.id));
    const outcome = followService(this.ws, this.step, service, port, 100);
    this.route = { controller: { kind: 'none' }, backends: outcome.backend ? [outcome.backend] : [] };
    return this.outcomeOf(outcome);
  }

  private rawTarget(): string {
    const query = this.request.query;
    return query === undefined || query === '' ? this.request.path : `${this.request.path}?${query}`;
  }

  // ── Ingresses, by apply unit ─────────────────────────────────────────────────────────────

  private traceIngresses(entryWorkloads: readonly Workload[] | undefined): Outcome {
    const q = this.ws.query();
    const all = this.ws.allResources().filter((r): r is Ingress => r.type === 'ingress' && !r.opaqueIdentity);
    let candidates = all;
    if (entryWorkloads) {
      const served = all.filter((i) => controllerOf(q, i).workloads.some((w) => entryWorkloads.includes(w)));
      if (served.length > 0) candidates = served;
      else this.step('note', 'No Ingress names a class that the controller behind this port serves (by its IngressClass or its --controller-class / --ingress-class arguments): considering every Ingress.');
    }
    const attempts = this.unitsInOrder(candidates).map((unit) => this.attempt(unit, candidates.filter((i) => this.ws.unitOf(i) === unit)));
    if (attempts.length === 0) return this.noHost(candidates, all);
    // The unit that routes the request wins (one host's Ingresses are often split across folders
    // applied together). But when the example the user started from names the host and answers
    // 404, another example's catch-all does not win: with both applied, the named host's server
    // takes the request (the catch-all serves only hosts no rule names), so the catch-all answers
    // only if that example were applied instead (independent examples are never blended).
    const preferred = this.fromUnit();
    const start = attempts.find((a) => a.unit === preferred && a.rank > 0 && a.named);
    const own = start && !attempts.some((a) => a !== start && a.rank > start.rank && a.named) ? start : undefined;
    const best = own ?? attempts.reduce((a, b) => (b.rank > a.rank ? b : a));
    const rivals = attempts.filter((a) => a !== best && a.rank === best.rank && a.rank >= 2);
    this.steps.push(...best.steps);
    const others = own ? attempts.filter((a) => a !== own && a.rank > own.rank) : [];
    if (others.length > 0) {
      this.step('note', `This is the answer of ${describeUnit(own!.unit)}, where the trace started; independent manifests would route it (${others.slice(0, 3).map((r) => describeUnit(r.unit)).join(', ')}${others.length > 3 ? ` and ${others.length - 3} more` : ''}) if they were applied instead.`);
    }
    if (rivals.length > 0) {
      const names = rivals.slice(0, 3).map((r) => describeUnit(r.unit)).join(', ');
      this.step('note', `Independent manifests also serve this request (${names}${rivals.length > 3 ? ` and ${rivals.length - 3} more` : ''}); they are alternatives of ${describeUnit(best.unit)}, and the answer depends on which one is applied.`);
    }
    if (!best.pick) return this.noHost(candidates, all);
    return this.finish(best.pick, best.controller!);
  }

  /**
   * The apply unit of the file the user started from: its first object's, or for a file without
   * objects (a route test file) the unit a manifest at its place would have.
   */
  private fromUnit(): string | undefined {
    const from = this.options.from;
    if (!from) return undefined;
    return this.ws.resourcesOf(from).map((r) => this.ws.unitOf(r))[0] ?? this.ws.unitOfFile(from);
  }

  /** Units with Ingresses, the one of the file the user started from first. */
  private unitsInOrder(ingresses: readonly Ingress[]): string[] {
    const units = [...new Set(ingresses.map((i) => this.ws.unitOf(i)))].sort();
    const preferred = this.fromUnit();
    return preferred && units.includes(preferred) ? [preferred, ...units.filter((u) => u !== preferred)] : units;
  }

  /** One unit's answer, with the steps it took kept apart. */
  private attempt(unit: string, ingresses: readonly Ingress[]): Attempt {
    const saved = this.steps;
    this.steps = [];
    try {
      const result = this.routeUnit(ingresses);
      return { unit, steps: this.steps, ...result };
    } finally {
      this.steps = saved;
    }
  }

  private routeUnit(ingresses: readonly Ingress[]): { pick?: RoutePick; controller?: ControllerChoice; rank: number; named?: boolean } {
    const q = this.ws.query();
    const canaries = ingresses.filter((i) => i.canary);
    const regular = ingresses.filter((i) => !i.canary);
    const first = hostRules(regular, canaries, this.request.host);
    if (!first) return { rank: 0 };
    const controllerOfIngress = new Map(regular.map((i) => [i, controllerOf(q, i)]));
    const className = this.pickClass([...first.ingresses, ...first.ruleless], controllerOfIngress);
    const ofClass = (i: Ingress) => controllerOfIngress.get(i)?.className === className;
    const rules = hostRules(regular.filter(ofClass), canaries.filter((c) => controllerOf(q, c).className === className), this.request.host)!;
    const controller = strongest([...rules.ingresses, ...rules.ruleless].map((i) => controllerOfIngress.get(i)!));
    this.controllerStep(controller);
    this.hostStep(rules, controller);
    const pick = this.routeHost(rules, controller, regular.filter(ofClass));
    const rank = pick.kind === 'path' || pick.kind === 'forward' ? 3 : pick.kind === 'default' || pick.kind === 'redirect' ? 2 : 1;
    return { pick, controller, rank, named: rules.level !== 'catch-all' };
  }

  /** Several classes have rules for the host: the default class wins, else the first by name. */
  private pickClass(matched: readonly Ingress[], controllers: ReadonlyMap<Ingress, ControllerChoice>): string {
    const names = [...new Set(matched.map((i) => controllers.get(i)?.className ?? ''))].sort();
    const isDefault = (c: ControllerChoice | undefined) => c !== undefined && (c.classSource === 'default' || c.ingressClass?.isDefault === true || c.declared?.isDefault === true);
    const defaults = matched.filter((i) => isDefault(controllers.get(i))).map((i) => controllers.get(i)!.className);
    const chosen = names.find((n) => defaults.includes(n)) ?? names[0];
    const others = names.filter((n) => n !== chosen);
    if (others.length > 0) {
      this.step('note', `Ingresses of ${others.length === 1 ? 'class' : 'classes'} ${others.map((n) => code(n || DEFAULT_CLASS_LABEL)).join(', ')} also have this host; they are served by another controller (trace with that controller's node port to follow them).`);
    }
    return chosen;
  }

  private controllerStep(choice: ControllerChoice): void {
    const className = choice.className;
    const label = className || DEFAULT_CLASS_LABEL;
    const controller = choice.ingressClass?.controller?.value ?? choice.declared?.controller;
    const about = [controller ? code(controller) : choice.profile.displayName, ...(choice.classSource === 'default' || choice.ingressClass?.isDefault || choice.declared?.isDefault ? ['the default class'] : [])];
    const text = className
      ? `The Ingress controller of IngressClass ${code(className)} (${about.join(', ')}) handles it.`
      : `The Ingress controller for Ingresses without a class handles it (${choice.profile.displayName}; no IngressClass is marked default).`;
    const ingressClass = choice.ingressClass;
    this.step('controller', text, ingressClass ? { uri: ingressClass.uri, range: ingressClass.anchor } : undefined, nodeId.controller(label));
    if (choice.profile.kind === 'unknown') this.step('note', 'The controller is unknown: only the Kubernetes rules for hosts and paths are applied.');
  }

  private hostStep(rules: HostRules, controller: ControllerChoice): void {
    const ingresses = rules.ingresses.length > 0 ? rules.ingresses : rules.ruleless;
    const merges = controller.profile.hostSharing === 'merged' ? ` (${controller.profile.displayName} merges their paths)` : '';
    const of = ingresses.length === 1 ? `Ingress ${code(nameOf(ingresses[0]))}` : `Ingresses ${ingresses.map((i) => code(nameOf(i))).join(', ')}${merges}`;
    const first = rules.paths[0] ?? undefined;
    const host = this.request.host;
    const text =
      rules.level === 'exact'
        ? `Host ${code(host!)} matches the rule host ${code(rules.host)} of ${of}.`
        : rules.level === 'wildcard'
          ? `Host ${code(host!)} matches the wildcard rule host ${code(rules.host)} of ${of} (exactly one extra leading label).`
          : `No rule names host ${code(host ?? '(none)')}; the rule without host of ${of} catches every host.`;
    const anchor = first ? { uri: first.ingress.uri, range: first.rule.host?.range ?? first.rule.range } : ingresses[0] ? { uri: ingresses[0].uri, range: ingresses[0].anchor } : undefined;
    this.step('host', text, anchor, nodeId.host(rules.host || '*'));
    for (const ref of rules.ingresses.flatMap((i) => i.rules.flatMap((r) => r.paths.filter((p) => p.path?.unknown).map(() => i)))) {
      this.step('note', `A path of Ingress ${code(nameOf(ref))} is templated and cannot be matched offline.`, { uri: ref.uri, range: ref.anchor });
    }
  }

  private routeHost(rules: HostRules, controller: ControllerChoice, classIngresses: readonly Ingress[]): RoutePick {
    const ctx: RouterContext = { request: this.request, headers: this.headers, step: this.step };
    switch (controller.profile.kind) {
      case 'ingress-nginx':
        return routeIngressNginx(ctx, rules, tlsViews(classIngresses));
      case 'nginx-inc':
        return routeNginxInc(ctx, rules, controller.profile);
      case 'aws-alb':
        return routeAlb(ctx, rules);
      case 'gce':
        return routeGce(ctx, rules);
      case 'traefik':
        return routeTraefik(ctx, rules);
      default:
        return routeKubernetes(ctx, rules, controller.profile);
    }
  }

  private noHost(candidates: readonly Ingress[], all: readonly Ingress[]): Outcome {
    const host = this.request.host;
    const q = this.ws.query();
    const classes = candidates === all ? [] : [...new Set(candidates.map((i) => controllerOf(q, i).className || DEFAULT_CLASS_LABEL))].sort();
    const ofClass = classes.length > 0 ? ` of class ${classes.map(code).join(', ')}` : '';
    const reason = host === undefined ? `no Ingress${ofClass} has a rule without host, and the URL names no host` : `no Ingress${ofClass} has a rule for host ${code(host)}, nor a rule without host`;
    const hosts = (list: readonly Ingress[]) => list.flatMap((ingress) => ingress.rules.flatMap((rule) => (known(rule.host) ? [{ ingress, host: known(rule.host)! }] : [])));
    if (host !== undefined && candidates !== all) {
      const elsewhere = hosts(all).find((h) => h.host.toLowerCase() === host);
      if (elsewhere) {
        const cls = controllerOf(q, elsewhere.ingress).className || DEFAULT_CLASS_LABEL;
        return { found: false, status: 404, reason, closest: `Ingress ${code(nameOf(elsewhere.ingress))} of class ${code(cls)} has host ${code(elsewhere.host)}, but this port reaches the controller of ${classes.map(code).join(', ')}` };
      }
    }
    const closest = host === undefined ? undefined : closestHost(hosts(candidates), host);
    return { found: false, status: 404, reason, ...(closest ? { closest } : {}) };
  }

  // ── the answer ───────────────────────────────────────────────────────────────────────────

  private finish(pick: RoutePick, controller: ControllerChoice): Outcome {
    const controllerFacts: TraceRoute['controller'] = {
      kind: controller.profile.kind,
      ...(controller.className ? { class: controller.className } : {}),
      ...((controller.ingressClass?.controller?.value ?? controller.declared?.controller) ? { controller: controller.ingressClass?.controller?.value ?? controller.declared?.controller } : {}),
    };
    const ingressOf = (ingress: Ingress, rule: NonNullable<TraceRoute['ingress']>['rule']) => ({ kind: 'Ingress' as const, namespace: ingress.namespace, name: nameOf(ingress), rule });
    switch (pick.kind) {
      case 'redirect':
        this.route = { controller: controllerFacts, ...(pick.ref ? { ingress: ingressOf(pick.ref.ingress, this.ruleOf(pick.ref)) } : pick.ingress ? { ingress: ingressOf(pick.ingress, { defaultBackend: true }) } : {}), backends: [], redirect: { status: pick.status, location: pick.location } };
        this.step('note', `The controller answers ${pick.status} with Location ${code(pick.location)}; the request goes no further.`);
        return { found: true, status: pick.status };
      case 'answer':
        this.route = { controller: controllerFacts, ...(pick.ref ? { ingress: ingressOf(pick.ref.ingress, this.ruleOf(pick.ref)) } : {}), backends: [] };
        // A configured answer that is not an error (an ALB fixed response 200) is an answer, like a redirect.
        if (pick.configured && pick.status !== undefined && pick.status < 400) return { found: true, status: pick.status };
        return { found: false, ...(pick.status !== undefined ? { status: pick.status } : {}), reason: pick.reason, ...(pick.closest ? { closest: pick.closest } : {}) };
      case 'default': {
        this.upstreamPath = pick.upstreamPath;
        this.step('rewrite', `The backend receives the request target unchanged: ${code(pick.upstreamPath ?? this.rawTarget())}.`, { uri: pick.ingress.uri, range: pick.ingress.defaultBackend!.range }, nodeId.defaultRoute(pick.ingress.id));
        const outcome = followIngressBackend(this.ws, this.step, pick.ingress, pick.ingress.defaultBackend!, 100);
        this.route = { controller: controllerFacts, ingress: ingressOf(pick.ingress, { defaultBackend: true }), backends: outcome.backend ? [outcome.backend] : [] };
        return this.outcomeOf(outcome);
      }
      case 'forward': {
        this.upstreamPath = pick.upstreamPath;
        const outcomes = forwardTargets(this.ws, this.step, pick.ref.ingress, pick.action, pick.targets);
        this.route = { controller: controllerFacts, ingress: ingressOf(pick.ref.ingress, this.ruleOf(pick.ref)), backends: outcomes.backends };
        return this.outcomeOf(outcomes.received);
      }
      default:
        return this.finishPath(pick, controllerFacts, ingressOf(pick.ref.ingress, this.ruleOf(pick.ref)));
    }
  }

  private ruleOf(ref: { ingress: Ingress; rule: { host?: { unknown?: boolean; value?: string } }; value: string; pathType: string }): { host: string; path: string; pathType: string } {
    return { host: known(ref.rule.host) ?? '', path: ref.value, pathType: ref.pathType };
  }

  private finishPath(pick: Extract<RoutePick, { kind: 'path' }>, controller: TraceRoute['controller'], ingress: NonNullable<TraceRoute['ingress']>): Outcome {
    this.upstreamPath = pick.upstreamPath;
    this.upstreamHost = pick.upstreamHost;
    if (!pick.ref.path.backend) {
      this.route = { controller, ingress, backends: [] };
      return { found: false, reason: `path ${code(pick.ref.value || '/')} of Ingress ${code(nameOf(pick.ref.ingress))} has no backend` };
    }
    const splits = pick.splits ?? [{ ingress: pick.ref.ingress, backend: pick.ref.path.backend, weight: 100, receives: true }];
    const backends: TraceBackend[] = [];
    let received: BackendOutcome | undefined;
    for (const split of splits) {
      const outcome = followIngressBackend(this.ws, split.receives ? this.step : () => undefined, split.ingress, split.backend, split.weight);
      if (outcome.backend) backends.push(outcome.backend);
      if (split.receives) received = outcome;
    }
    this.route = { controller, ingress, backends };
    return this.outcomeOf(received ?? { reached: false, reason: 'no backend receives the request' });
  }

  private outcomeOf(outcome: BackendOutcome): Outcome {
    if (outcome.reached) return { found: true };
    return { found: false, ...(outcome.status !== undefined ? { status: outcome.status } : {}), reason: outcome.reason, ...(outcome.closest ? { closest: outcome.closest } : {}) };
  }
}
