/**
 * The tracer through the other controllers and across scopes, end to end (`traceRequest`):
 * AWS Load Balancer Controller, GKE Ingress, Traefik, NGINX Inc's controller and an unknown
 * controller (semantics/controllers.ts, trace/routers.ts); independent examples in sibling folders
 * (trace/traceRequest.ts: apply units are never blended); and a controller's node port restricting
 * the trace to the classes its pods serve.
 *
 * Expected behaviour, per controller:
 * - ALB (kubernetes-sigs/aws-load-balancer-controller): pkg/ingress/group_loader.go (IngressGroup,
 *   `group.order` ascending, members' rules in that order; an Ingress without `group.name` is a
 *   load balancer of its own), pkg/ingress/model_build_listener_rules.go `sortIngressPaths` (Exact,
 *   then Prefix longest first, then ImplementationSpecific) and `buildPathPatterns` (Prefix `/p` →
 *   `/p`, `/p/*`; `/` → `/*`), pkg/ingress/enhanced_backend_builder.go (`use-annotation`: the
 *   `actions.<name>` annotation; a missing one is a fixed 503 "Backend action does not exist").
 * - GCE (kubernetes/ingress-gce): translator.go `validateAndGetPaths` (ImplementationSpecific is a
 *   URL-map pattern as written, Prefix `/p` → `/p`, `/p/*`), compute PathMatcher ("the
 *   BackendService from the longest-matched rule will serve the URL"), one load balancer per Ingress.
 * - Traefik (traefik/traefik): pkg/provider/kubernetes/ingress/kubernetes.go `loadRouter` (Exact →
 *   `Path`, otherwise `PathPrefix`, rule `Host(...) && Matcher(...)`, `router.priority`
 *   annotation), pkg/muxer/http/mux.go `AddRoute` (priority 0 → `len(rule)`; highest first).
 *   PathPrefix is a character prefix.
 * - NGINX Inc (nginx/kubernetes-ingress): docs "Host and Listener collisions" (the oldest Ingress
 *   owns a host), mergeable Ingresses (master + minions share it), internal/configs/ingress.go
 *   `generateIngressPath` (Exact → `location = /p`, otherwise `location /p`: nginx's character prefix).
 * - Unknown controller: Kubernetes networking/v1 `pathType` only (Exact; element-wise Prefix, the
 *   longest wins; ImplementationSpecific is the controller's, read as Prefix with a note).
 */
import { strict as assert } from 'node:assert';
import { describe, test } from 'node:test';
import { Workspace, traceRequest } from '../../server/src/core';
import type { TraceOptions, TraceResult } from '../../server/src/core';

// ── building blocks ──────────────────────────────────────────────────────────────────────────

function workspace(files: Record<string, string>): Workspace {
  const ws = new Workspace();
  ws.update(Object.entries(files).map(([name, text]) => ({ uri: `file:///ws/${name}`, text })));
  return ws;
}

function stepText(result: TraceResult, kind: string): string {
  return result.steps.filter((s) => s.kind === kind).map((s) => s.text).join(' | ');
}

function notes(result: TraceResult): string {
  return stepText(result, 'note');
}

function ingressClass(name: string, controller: string): string {
  return `apiVersion: networking.k8s.io/v1
kind: IngressClass
metadata:
  name: ${name}
spec:
  controller: ${controller}
`;
}

/** A Deployment `app` and Services `svc-0` … selecting it. */
function backends(count: number): string {
  const services = Array.from({ length: count }, (_, i) => `---
apiVersion: v1
kind: Service
metadata:
  name: svc-${i}
spec:
  selector:
    app: app
  ports:
    - port: 80
      targetPort: 8080
`).join('');
  return `apiVersion: apps/v1
kind: Deployment
metadata:
  name: app
spec:
  replicas: 1
  selector:
    matchLabels:
      app: app
  template:
    metadata:
      labels:
        app: app
    spec:
      containers:
        - name: app
          image: app
          ports:
            - containerPort: 8080
${services}`;
}

interface IngressOptions {
  readonly name?: string;
  readonly host?: string;
  /** spec.ingressClassName; null for none. */
  readonly className?: string | null;
  readonly annotations?: Readonly<Record<string, string>>;
  readonly creationTimestamp?: string;
  /** Service of each path (default `svc-<i>`). */
  readonly services?: readonly string[];
}

/** One Ingress with the given paths (path i → Service `svc-i` unless `services` says otherwise). */
function ingress(paths: readonly (readonly [string, string])[], options: IngressOptions = {}): string {
  const host = options.host ?? 'docs.example';
  const annotations = Object.entries(options.annotations ?? {});
  const meta = [
    `  name: ${options.name ?? 'paths'}`,
    ...(options.creationTimestamp ? [`  creationTimestamp: "${options.creationTimestamp}"`] : []),
    ...(annotations.length > 0 ? ['  annotations:', ...annotations.map(([k, v]) => `    ${k}: '${v}'`)] : []),
  ].join('\n');
  const items = paths.map(([path, type], i) => `          - path: ${JSON.stringify(path)}
            pathType: ${type}
            backend:
              service:
                name: ${options.services?.[i] ?? `svc-${i}`}
                port:
                  number: 80
`).join('');
  const className = options.className === null || options.className === undefined ? '' : `  ingressClassName: ${options.className}\n`;
  return `apiVersion: networking.k8s.io/v1
kind: Ingress
metadata:
${meta}
spec:
${className}  rules:
    - host: ${JSON.stringify(host)}
      http:
        paths:
${items}`;
}

function trace(ws: Workspace, url: string, options?: TraceOptions): TraceResult {
  return traceRequest(ws, url, options);
}

/** `<ingress> <path> (<pathType>) → <service>`, or `404`/… when nothing is routed. */
function routed(result: TraceResult): string {
  const rule = result.route?.ingress?.rule;
  if (!result.found || !rule || !('path' in rule)) return result.status !== undefined ? String(result.status) : 'none';
  return `${result.route!.ingress!.name} ${rule.path} (${rule.pathType}) → ${result.route!.backends.map((b) => b.name).join(',')}`;
}

// ── AWS Load Balancer Controller ──────────────────────────────────────────────────────────

describe('AWS ALB', () => {
  const ALB_CLASS = ingressClass('alb', 'ingress.k8s.aws/alb');
  const alb = (values: Record<string, string>) => Object.fromEntries(Object.entries(values).map(([k, v]) => [`alb.ingress.kubernetes.io/${k}`, v]));

  function grouped(catchAllOrder: string, apiOrder: string): Workspace {
    return workspace({
      'class.yaml': ALB_CLASS,
      'app.yaml': backends(4),
      'site.yaml': ingress([['/', 'Prefix']], { name: 'site', className: 'alb', annotations: alb({ 'group.name': 'shop', 'group.order': catchAllOrder }), services: ['svc-0'] }),
      'api.yaml': ingress([['/api', 'Prefix']], { name: 'api', className: 'alb', annotations: alb({ 'group.name': 'shop', 'group.order': apiOrder }), services: ['svc-1'] }),
    });
  }

  test('one IngressGroup: the member with the lower group.order is evaluated first, so its `/*` takes /api/x too', () => {
    const result = trace(grouped('10', '20'), 'http://docs.example/api/x');
    assert.equal(result.found, true);
    assert.equal(routed(result), 'site / (Prefix) → svc-0');
    assert.deepEqual(result.route?.controller, { kind: 'aws-alb', class: 'alb', controller: 'ingress.k8s.aws/alb' });
    assert.match(stepText(result, 'path'), /with the ALB path pattern `\/\*`/);
    assert.doesNotMatch(notes(result), /depends on DNS/, 'one group is one ALB');
  });

  test('one IngressGroup, orders swapped: /api/x takes `/api/*`, /other still the catch-all', () => {
    const ws = grouped('20', '10');
    const api = trace(ws, 'http://docs.example/api/x');
    assert.equal(routed(api), 'api /api (Prefix) → svc-1');
    assert.match(stepText(api, 'path'), /`\/api` or `\/api\/\*`/);
    assert.equal(routed(trace(ws, 'http://docs.example/other')), 'site / (Prefix) → svc-0');
  });

  test('inside one Ingress, Prefix paths are sorted longest first whatever their spec order', () => {
    const ws = workspace({ 'class.yaml': ALB_CLASS, 'app.yaml': backends(4), 'site.yaml': ingress([['/', 'Prefix'], ['/api', 'Prefix']], { name: 'site', className: 'alb' }) });
    assert.equal(routed(trace(ws, 'http://docs.example/api/x')), 'site /api (Prefix) → svc-1');
    assert.equal(routed(trace(ws, 'http://docs.example/apix')), 'site / (Prefix) → svc-0', '`/api/*` does not match /apix');
  });

  test('no group: each Ingress is its own ALB, DNS decides; a note says so', () => {
    const ws = workspace({
      'class.yaml': ALB_CLASS,
      'app.yaml': backends(4),
      'site.yaml': ingress([['/', 'Prefix']], { name: 'site', className: 'alb', services: ['svc-0'] }),
      'api.yaml': ingress([['/api', 'Prefix']], { name: 'api', className: 'alb', services: ['svc-1'] }),
    });
    const result = trace(ws, 'http://docs.example/api/x');
    assert.equal(result.found, true);
    assert.match(notes(result), /2 ALBs have rules for host `docs.example` \(each IngressGroup, and each Ingress without group.name, gets its own\); which one the request reaches depends on DNS/);
  });

  function actionIngress(name: string, action: string | undefined): string {
    return `apiVersion: networking.k8s.io/v1
kind: Ingress
metadata:
  name: ${name}
  annotations:
${action === undefined ? '    alb.ingress.kubernetes.io/scheme: internet-facing' : `    alb.ingress.kubernetes.io/actions.${name}-action: '${action}'`}
spec:
  ingressClassName: alb
  rules:
    - host: docs.example
      http:
        paths:
          - path: /
            pathType: Prefix
            backend:
              service:
                name: ${name}-action
                port:
                  name: use-annotation
`;
  }

  test('use-annotation redirect action: found, the status and Location of the action', () => {
    const ws = workspace({ 'class.yaml': ALB_CLASS, 'redirect.yaml': actionIngress('to-https', '{"type":"redirect","redirectConfig":{"protocol":"HTTPS","port":"443","statusCode":"HTTP_301"}}') });
    const result = trace(ws, 'http://docs.example/x?y=1');
    assert.equal(result.found, true);
    assert.equal(result.status, 301);
    assert.deepEqual(result.route?.redirect, { status: 301, location: 'https://docs.example/x?y=1' });
    assert.deepEqual(result.route?.backends, []);
    assert.equal(result.route?.ingress?.name, 'to-https');
    assert.match(notes(result), /The action `to-https-action` redirects with 301/);
  });

  test('use-annotation fixed-response action: the ALB answers the status itself', () => {
    const ws = workspace({ 'class.yaml': ALB_CLASS, 'fixed.yaml': actionIngress('down', '{"type":"fixed-response","fixedResponseConfig":{"contentType":"text/plain","statusCode":"503","messageBody":"maintenance"}}') });
    const result = trace(ws, 'http://docs.example/x');
    assert.equal(result.found, false);
    assert.equal(result.status, 503);
    assert.equal(result.route?.redirect, undefined);
    assert.match(result.reason ?? '', /fixed response 503/);
    assert.match(notes(result), /The action `down-action` answers 503 itself/);
  });

  test('use-annotation forward action: weighted Service target groups, the heaviest followed, all listed', () => {
    // Source: aws-load-balancer-controller docs, annotations "actions.${action-name}" (forward with
    // forwardConfig.targetGroups serviceName/servicePort/weight).
    const action = '{"type":"forward","forwardConfig":{"targetGroups":[{"serviceName":"svc-0","servicePort":"80","weight":20},{"serviceName":"svc-1","servicePort":80,"weight":80}]}}';
    const ws = workspace({ 'class.yaml': ALB_CLASS, 'app.yaml': backends(2), 'split.yaml': actionIngress('split', action) });
    const result = trace(ws, 'http://docs.example/x');
    assert.equal(result.found, true);
    assert.equal(result.upstreamPath, '/x');
    assert.deepEqual(result.route?.backends.map((b) => `${b.name}:${b.port}:${b.weight}:${b.containerPort}`), ['svc-0:80:20:8080', 'svc-1:80:80:8080']);
    assert.match(stepText(result, 'service'), /The action `split-action` of Ingress `split` forwards it to Service `svc-1`/);
    assert.match(notes(result), /splits requests by weight: `svc-0` 20%, `svc-1` 80%; the trace follows the heaviest/);
  });

  test('use-annotation forward to a missing Service or port: 503; to a target group ARN: outside the manifests', () => {
    const missing = trace(workspace({ 'class.yaml': ALB_CLASS, 'app.yaml': backends(1), 'a.yaml': actionIngress('a', '{"type":"forward","forwardConfig":{"targetGroups":[{"serviceName":"nope","servicePort":80}]}}') }), 'http://docs.example/x');
    assert.equal(missing.found, false);
    assert.equal(missing.status, 503);
    assert.match(missing.reason ?? '', /Service `nope` does not exist/);
    const port = trace(workspace({ 'class.yaml': ALB_CLASS, 'app.yaml': backends(1), 'a.yaml': actionIngress('a', '{"type":"forward","forwardConfig":{"targetGroups":[{"serviceName":"svc-0","servicePort":"http"}]}}') }), 'http://docs.example/x');
    assert.equal(port.status, 503);
    assert.match(port.reason ?? '', /Service `svc-0` has no port named `http`; its ports: 80/);
    const arn = trace(workspace({ 'class.yaml': ALB_CLASS, 'a.yaml': actionIngress('a', '{"type":"forward","targetGroupARN":"arn:aws:elasticloadbalancing:tg/x"}') }), 'http://docs.example/x');
    assert.equal(arn.found, true);
    assert.deepEqual(arn.route?.backends, []);
    assert.match(notes(arn), /forwards to the target group `arn:aws:elasticloadbalancing:tg\/x`, which is not in the manifests/);
  });

  test('use-annotation fixed-response 200: a configured answer, found with its status', () => {
    const ws = workspace({ 'class.yaml': ALB_CLASS, 'ok.yaml': actionIngress('ok', '{"type":"fixed-response","fixedResponseConfig":{"contentType":"text/plain","statusCode":"200","messageBody":"ok"}}') });
    const result = trace(ws, 'http://docs.example/healthz');
    assert.equal(result.found, true);
    assert.equal(result.status, 200);
    assert.equal(result.reason, undefined);
    assert.deepEqual(result.route?.backends, []);
  });

  test('use-annotation without its actions.<name> annotation: a fixed 503 (Backend action does not exist)', () => {
    const ws = workspace({ 'class.yaml': ALB_CLASS, 'missing.yaml': actionIngress('gone', undefined) });
    const result = trace(ws, 'http://docs.example/x');
    assert.equal(result.found, false);
    assert.equal(result.status, 503);
    assert.match(result.reason ?? '', /no annotation `alb.ingress.kubernetes.io\/actions.gone-action`.*Backend action does not exist/);
  });

  test('negative: no rule matches: the listener default action (404)', () => {
    const ws = workspace({ 'class.yaml': ALB_CLASS, 'app.yaml': backends(1), 'api.yaml': ingress([['/api', 'Prefix']], { name: 'api', className: 'alb' }) });
    const result = trace(ws, 'http://docs.example/other');
    assert.equal(result.found, false);
    assert.equal(result.status, 404);
  });
});

// ── GKE Ingress ─────────────────────────────────────────────────────────────────────────

describe('GCE', () => {
  const GCE = { 'kubernetes.io/ingress.class': 'gce' };
  const ws = workspace({
    'app.yaml': backends(4),
    'gce.yaml': ingress([['/*', 'ImplementationSpecific'], ['/api/*', 'ImplementationSpecific'], ['/api/v1', 'ImplementationSpecific']], { name: 'web', annotations: GCE }),
  });

  const table: [string, string][] = [
    ['/x', 'web /* (ImplementationSpecific) → svc-0'],
    ['/api/x', 'web /api/* (ImplementationSpecific) → svc-1'],
    ['/api/v1/x', 'web /api/* (ImplementationSpecific) → svc-1'],
    ['/api/v1', 'web /api/v1 (ImplementationSpecific) → svc-2'],
    // `/api/*` needs the slash: /api itself falls back to `/*` (that is why Prefix /p becomes /p and /p/*).
    ['/api', 'web /* (ImplementationSpecific) → svc-0'],
  ];
  for (const [path, expected] of table) {
    test(`${path} → ${expected} (the longest matching URL-map pattern)`, () => {
      const result = trace(ws, `http://docs.example${path}`);
      assert.equal(routed(result), expected);
      assert.equal(result.route?.controller.kind, 'gce');
      assert.match(stepText(result, 'path'), /URL map pattern .* \(the longest matching one\)/);
    });
  }

  test('Prefix /api is `/api` and `/api/*`: /api and /api/ match, /apix does not (404)', () => {
    const prefix = workspace({ 'app.yaml': backends(1), 'gce.yaml': ingress([['/api', 'Prefix']], { name: 'web', annotations: GCE }) });
    assert.equal(routed(trace(prefix, 'http://docs.example/api')), 'web /api (Prefix) → svc-0');
    assert.equal(routed(trace(prefix, 'http://docs.example/api/')), 'web /api (Prefix) → svc-0');
    const miss = trace(prefix, 'http://docs.example/apix');
    assert.equal(miss.found, false);
    assert.equal(miss.status, 404);
    assert.match(miss.reason ?? '', /GKE's default backend answers 404/);
  });

  test('two Ingresses for one host are two load balancers: a note says DNS decides', () => {
    const two = workspace({
      'app.yaml': backends(2),
      'a.yaml': ingress([['/*', 'ImplementationSpecific']], { name: 'a', annotations: GCE, services: ['svc-0'] }),
      'b.yaml': ingress([['/*', 'ImplementationSpecific']], { name: 'b', annotations: GCE, services: ['svc-1'] }),
    });
    assert.match(notes(trace(two, 'http://docs.example/x')), /2 Ingresses have rules for host `docs.example`; GCE makes a load balancer for each, and DNS decides/);
  });
});

// ── Traefik ────────────────────────────────────────────────────────────────────────────

describe('Traefik', () => {
  const TRAEFIK_CLASS = ingressClass('traefik', 'traefik.io/ingress-controller');
  const ws = workspace({
    'class.yaml': TRAEFIK_CLASS,
    'app.yaml': backends(4),
    'site.yaml': ingress([['/', 'Prefix'], ['/api', 'Prefix'], ['/api', 'Exact'], ['/api/v1', 'Prefix']], { name: 'site', className: 'traefik' }),
  });

  test('priority is the rule length: the longest matching rule wins', () => {
    const result = trace(ws, 'http://docs.example/api/v1/users');
    assert.equal(routed(result), 'site /api/v1 (Prefix) → svc-3');
    assert.match(stepText(result, 'path'), /router rule `Host\(`docs.example`\) && PathPrefix\(`\/api\/v1`\)`, priority 45/);
    assert.equal(routed(trace(ws, 'http://docs.example/other')), 'site / (Prefix) → svc-0');
  });

  test('Exact vs Prefix of the same path: `PathPrefix(...)` is the longer rule, so it wins even for /api itself', () => {
    const result = trace(ws, 'http://docs.example/api');
    assert.equal(routed(result), 'site /api (Prefix) → svc-1');
    assert.match(stepText(result, 'path'), /priority 42/);
  });

  test('PathPrefix is a character prefix: /apix reaches /api', () => {
    assert.equal(routed(trace(ws, 'http://docs.example/apix')), 'site /api (Prefix) → svc-1');
  });

  test('router.priority on the Exact path\'s Ingress makes Exact win for /api, but not for /api/x', () => {
    const prioritised = workspace({
      'class.yaml': TRAEFIK_CLASS,
      'app.yaml': backends(4),
      'prefix.yaml': ingress([['/api', 'Prefix']], { name: 'prefix', className: 'traefik', services: ['svc-0'] }),
      'exact.yaml': ingress([['/api', 'Exact']], { name: 'exact', className: 'traefik', services: ['svc-1'], annotations: { 'traefik.ingress.kubernetes.io/router.priority': '100' } }),
    });
    assert.equal(routed(trace(prioritised, 'http://docs.example/api')), 'exact /api (Exact) → svc-1');
    assert.equal(routed(trace(prioritised, 'http://docs.example/api/x')), 'prefix /api (Prefix) → svc-0');
  });

  test('negative: no router matches → 404', () => {
    const only = workspace({ 'class.yaml': TRAEFIK_CLASS, 'app.yaml': backends(1), 'api.yaml': ingress([['/api', 'Exact']], { name: 'api', className: 'traefik' }) });
    const result = trace(only, 'http://docs.example/api/x');
    assert.equal(result.found, false);
    assert.equal(result.status, 404);
    assert.match(result.reason ?? '', /Traefik answers 404/);
  });
});

// ── NGINX Inc ──────────────────────────────────────────────────────────────────────────

describe('NGINX Inc (nginx.org/ingress-controller)', () => {
  const INC_CLASS = ingressClass('nginx', 'nginx.org/ingress-controller');
  const MERGEABLE = 'nginx.org/mergeable-ingress-type';

  test('one Ingress owns a host: the oldest; the other\'s paths do not exist there', () => {
    const ws = workspace({
      'class.yaml': INC_CLASS,
      'app.yaml': backends(2),
      'site.yaml': ingress([['/', 'Prefix']], { name: 'site', className: 'nginx', creationTimestamp: '2024-01-01T00:00:00Z', services: ['svc-0'] }),
      'api.yaml': ingress([['/api', 'Prefix']], { name: 'api', className: 'nginx', creationTimestamp: '2023-01-01T00:00:00Z', services: ['svc-1'] }),
    });
    const api = trace(ws, 'http://docs.example/api/x');
    assert.equal(routed(api), 'api /api (Prefix) → svc-1');
    assert.deepEqual(api.route?.controller, { kind: 'nginx-inc', class: 'nginx', controller: 'nginx.org/ingress-controller' });
    assert.match(notes(api), /NGINX Ingress Controller serves host `docs.example` from one Ingress only: `api` \(the oldest\); `site` is ignored for it/);
    const other = trace(ws, 'http://docs.example/other');
    assert.equal(other.found, false, 'the younger Ingress `site` with `/` is ignored for the host');
    assert.equal(other.status, 404);
  });

  test('without creationTimestamps the note says the manifests cannot tell', () => {
    const ws = workspace({
      'class.yaml': INC_CLASS,
      'app.yaml': backends(2),
      'site.yaml': ingress([['/', 'Prefix']], { name: 'site', className: 'nginx', services: ['svc-0'] }),
      'api.yaml': ingress([['/api', 'Prefix']], { name: 'api', className: 'nginx', services: ['svc-1'] }),
    });
    assert.match(notes(trace(ws, 'http://docs.example/api/x')), /cannot tell without creationTimestamp/);
  });

  test('mergeable master and minions share the host: every minion\'s paths apply, no ownership note', () => {
    const ws = workspace({
      'class.yaml': INC_CLASS,
      'app.yaml': backends(2),
      'master.yaml': `apiVersion: networking.k8s.io/v1
kind: Ingress
metadata:
  name: master
  annotations:
    ${MERGEABLE}: master
spec:
  ingressClassName: nginx
  rules:
    - host: docs.example
`,
      'site.yaml': ingress([['/', 'Prefix']], { name: 'site', className: 'nginx', annotations: { [MERGEABLE]: 'minion' }, services: ['svc-0'] }),
      'api.yaml': ingress([['/api', 'Prefix']], { name: 'api', className: 'nginx', annotations: { [MERGEABLE]: 'minion' }, services: ['svc-1'] }),
    });
    assert.equal(routed(trace(ws, 'http://docs.example/api/x')), 'api /api (Prefix) → svc-1');
    const other = trace(ws, 'http://docs.example/other');
    assert.equal(routed(other), 'site / (Prefix) → svc-0');
    assert.doesNotMatch(notes(other), /one Ingress only/);
  });

  test('Prefix is an nginx character prefix (`location /api`): /apix reaches /api; Exact is `location = /p`', () => {
    const ws = workspace({ 'class.yaml': INC_CLASS, 'app.yaml': backends(2), 'site.yaml': ingress([['/api', 'Prefix'], ['/status', 'Exact']], { name: 'site', className: 'nginx' }) });
    const result = trace(ws, 'http://docs.example/apix');
    assert.equal(routed(result), 'site /api (Prefix) → svc-0');
    assert.match(stepText(result, 'path'), /nginx prefix location \(character by character\)/);
    assert.equal(routed(trace(ws, 'http://docs.example/status')), 'site /status (Exact) → svc-1');
    assert.equal(trace(ws, 'http://docs.example/status/x').found, false);
  });
});

// ── unknown controller ──────────────────────────────────────────────────────────────────

describe('unknown controller: Kubernetes path types only', () => {
  const ws = workspace({
    'class.yaml': ingressClass('acme', 'example.com/acme-ingress'),
    'app.yaml': backends(4),
    'site.yaml': ingress([['/', 'Prefix'], ['/api', 'Prefix'], ['/api', 'Exact'], ['/docs', 'ImplementationSpecific']], { name: 'site', className: 'acme' }),
  });

  test('the controller step and a note say it is unknown', () => {
    const result = trace(ws, 'http://docs.example/api');
    assert.deepEqual(result.route?.controller, { kind: 'unknown', class: 'acme', controller: 'example.com/acme-ingress' });
    assert.match(notes(result), /The controller is unknown: only the Kubernetes rules for hosts and paths are applied/);
  });

  const table: [string, string][] = [
    ['/api', 'site /api (Exact) → svc-2'],
    ['/api/x', 'site /api (Prefix) → svc-1'],
    ['/api/', 'site /api (Prefix) → svc-1'],
    ['/apix', 'site / (Prefix) → svc-0'],
    ['/other', 'site / (Prefix) → svc-0'],
  ];
  for (const [path, expected] of table) {
    test(`Exact/Prefix: ${path} → ${expected}`, () => assert.equal(routed(trace(ws, `http://docs.example${path}`)), expected));
  }

  test('ImplementationSpecific is read as Prefix (element-wise), with a note', () => {
    const result = trace(ws, 'http://docs.example/docs/guide');
    assert.equal(routed(result), 'site /docs (ImplementationSpecific) → svc-3');
    assert.match(notes(result), /ImplementationSpecific paths are matched as the controller decides; the trace reads `\/docs` as a Prefix/);
    assert.equal(routed(trace(ws, 'http://docs.example/docsx')), 'site / (Prefix) → svc-0', 'read as Prefix, not as a character prefix');
  });

  test('negative: no note about ImplementationSpecific when an Exact or Prefix path answers; nothing matches → 404', () => {
    assert.doesNotMatch(notes(trace(ws, 'http://docs.example/api/x')), /ImplementationSpecific/);
    const only = workspace({ 'class.yaml': ingressClass('acme', 'example.com/acme-ingress'), 'app.yaml': backends(1), 'api.yaml': ingress([['/api', 'Exact']], { name: 'api', className: 'acme' }) });
    const miss = trace(only, 'http://docs.example/api/x');
    assert.equal(miss.found, false);
    assert.equal(miss.status, 404);
  });
});

// ── independent examples in sibling folders ──────────────────────────────────────────────

describe('independent examples in sibling folders that serve the same host', () => {
  /** An example folder: Deployment + Service `web` and an Ingress `shop` for shop.example. */
  function example(dir: string, opts: { app: string; replicas: number; containerPort: number; path?: string; annotations?: string }): Record<string, string> {
    return {
      [`${dir}/app.yaml`]: `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  replicas: ${opts.replicas}
  selector:
    matchLabels:
      app: ${opts.app}
  template:
    metadata:
      labels:
        app: ${opts.app}
    spec:
      containers:
        - name: web
          image: ${opts.app}
          ports:
            - name: http
              containerPort: ${opts.containerPort}
---
apiVersion: v1
kind: Service
metadata:
  name: web
spec:
  selector:
    app: ${opts.app}
  ports:
    - port: 80
      targetPort: http
`,
      [`${dir}/ingress.yaml`]: `apiVersion: networking.k8s.io/v1
kind: Ingress
metadata:
  name: shop
${opts.annotations ? `  annotations:\n${opts.annotations}` : ''}spec:
  ingressClassName: nginx
  rules:
    - host: shop.example
      http:
        paths:
          - path: ${opts.path ?? '/'}
            pathType: Prefix
            backend:
              service:
                name: web
                port:
                  number: 80
`,
    };
  }

  const CLASS = ingressClass('nginx', 'k8s.io/ingress-nginx');
  const ws = workspace({
    'platform/class.yaml': CLASS,
    ...example('examples/one', { app: 'one', replicas: 1, containerPort: 8080, annotations: '    nginx.ingress.kubernetes.io/use-regex: "true"\n' }),
    ...example('examples/two', { app: 'two', replicas: 3, containerPort: 9090 }),
  });

  const uris = (result: TraceResult, kinds: readonly string[]) => result.steps.filter((s) => kinds.includes(s.kind) && s.location).map((s) => s.location!.uri);

  test('no blending: the host, path, Service, port and pods all come from one example', () => {
    const result = trace(ws, 'http://shop.example/x');
    assert.equal(result.found, true);
    const used = uris(result, ['host', 'path', 'service', 'port', 'pods']);
    assert.ok(used.length >= 5, used.join(', '));
    const folders = new Set(used.map((u) => u.replace(/\/[^/]+$/, '')));
    assert.equal(folders.size, 1, `steps point into ${[...folders].join(', ')}`);
    assert.match(stepText(result, 'host'), /of Ingress `shop`\./, 'one Ingress, not two merged');
    assert.doesNotMatch(notes(result), /also defines/, 'the other example\'s same path is no duplicate');
    const backend = result.route!.backends[0];
    const fromOne = backend.containerPort === 8080;
    assert.deepEqual(backend.workloads, [{ kind: 'Deployment', name: 'web', replicas: fromOne ? 1 : 3 }], 'pods of the same example as the port');
    assert.equal(/Regex mode/.test(notes(result)), fromOne, 'use-regex of example one applies only to example one');
  });

  test('a note names the alternative example', () => {
    const result = trace(ws, 'http://shop.example/x');
    const chosen = result.route!.backends[0].containerPort === 8080 ? 'one' : 'two';
    const other = chosen === 'one' ? 'two' : 'one';
    assert.match(notes(result), new RegExp(`Independent manifests also serve this request \\(folder \`[^\`]*examples/${other}/\`\\); they are alternatives of folder \`[^\`]*examples/${chosen}/\``));
  });

  test('options.from prefers the example of the given file', () => {
    const two = trace(ws, 'http://shop.example/x', { from: 'file:///ws/examples/two/app.yaml' });
    assert.equal(two.route?.backends[0].containerPort, 9090);
    assert.deepEqual(two.route?.backends[0].workloads, [{ kind: 'Deployment', name: 'web', replicas: 3 }]);
    assert.ok(uris(two, ['host', 'path', 'service', 'port', 'pods']).every((u) => u.includes('/examples/two/')));
    assert.doesNotMatch(notes(two), /Regex mode/);
    assert.match(notes(two), /folder `[^`]*examples\/one\/`/);
    const one = trace(ws, 'http://shop.example/x', { from: 'file:///ws/examples/one/ingress.yaml' });
    assert.equal(one.route?.backends[0].containerPort, 8080);
    assert.ok(uris(one, ['host', 'path', 'service', 'port', 'pods']).every((u) => u.includes('/examples/one/')));
    assert.match(notes(one), /Regex mode/);
  });

  test('the example whose rules serve the request is reported, whatever options.from says', () => {
    const apart = workspace({
      'platform/class.yaml': CLASS,
      ...example('examples/one', { app: 'one', replicas: 1, containerPort: 8080, path: '/api' }),
      ...example('examples/two', { app: 'two', replicas: 3, containerPort: 9090, path: '/shop' }),
    });
    const result = trace(apart, 'http://shop.example/shop/cart', { from: 'file:///ws/examples/one/ingress.yaml' });
    assert.equal(result.found, true);
    assert.equal(result.route?.backends[0].containerPort, 9090);
    assert.ok(uris(result, ['path', 'service', 'pods']).every((u) => u.includes('/examples/two/')));
  });

  test('another example\'s catch-all does not answer for a host the starting example names (its 404 stands)', () => {
    const catchAll = `apiVersion: networking.k8s.io/v1
kind: Ingress
metadata:
  name: legacy
spec:
  ingressClassName: nginx
  defaultBackend:
    service:
      name: web
      port:
        number: 80
`;
    const apart = workspace({
      'platform/class.yaml': CLASS,
      ...example('examples/one', { app: 'one', replicas: 1, containerPort: 8080, path: '/api' }),
      ...example('examples/two', { app: 'two', replicas: 3, containerPort: 9090 }),
      'examples/two/ingress.yaml': catchAll,
    });
    const fromOne = trace(apart, 'http://shop.example/nothing', { from: 'file:///ws/examples/one/ingress.yaml' });
    assert.equal(fromOne.found, false);
    assert.equal(fromOne.status, 404);
    assert.match(notes(fromOne), /This is the answer of folder `[^`]*examples\/one\/`, where the trace started; independent manifests would route it \(folder `[^`]*examples\/two\/`\)/);
    // Without a start, the example that routes it answers (the catch-all of examples/two).
    const anywhere = trace(apart, 'http://shop.example/nothing');
    assert.equal(anywhere.found, true);
    assert.equal(anywhere.route?.backends[0].containerPort, 9090);
  });
});

// ── two ingress-nginx controllers ──────────────────────────────────────────────────────

describe("a controller's node port restricts to the classes its pods serve", () => {
  /** An ingress-nginx controller Deployment + NodePort Service (and optionally its IngressClass). */
  function controller(name: string, nodePort: number, args: readonly string[], ingressClassOf?: readonly [string, string]): string {
    const cls = ingressClassOf ? `${ingressClass(ingressClassOf[0], ingressClassOf[1])}---\n` : '';
    return `${cls}apiVersion: apps/v1
kind: Deployment
metadata:
  name: ${name}
  namespace: ${name}
spec:
  selector:
    matchLabels:
      app: ${name}
  template:
    metadata:
      labels:
        app: ${name}
    spec:
      containers:
        - name: controller
          image: registry.k8s.io/ingress-nginx/controller:v1.12.1
          args: [${['/nginx-ingress-controller', ...args].join(', ')}]
          ports:
            - name: http
              containerPort: 80
---
apiVersion: v1
kind: Service
metadata:
  name: ${name}
  namespace: ${name}
spec:
  type: NodePort
  selector:
    app: ${name}
  ports:
    - name: http
      port: 80
      targetPort: http
      nodePort: ${nodePort}
`;
  }

  function twoControllers(withClasses: boolean): Workspace {
    return workspace({
      'external.yaml': controller('external', 30080, ['--controller-class=k8s.io/ingress-nginx', '--ingress-class=nginx'], withClasses ? ['nginx', 'k8s.io/ingress-nginx'] : undefined),
      'internal.yaml': controller('internal', 30090, ['--controller-class=example.com/internal-nginx', '--ingress-class=internal'], withClasses ? ['internal', 'example.com/internal-nginx'] : undefined),
      'app.yaml': backends(2),
      'public.yaml': ingress([['/', 'Prefix']], { name: 'public', host: 'shop.example', className: 'nginx', services: ['svc-0'] }),
      'private.yaml': ingress([['/', 'Prefix']], { name: 'private', host: 'shop.example', className: 'internal', services: ['svc-1'] }),
      'admin.yaml': ingress([['/', 'Prefix']], { name: 'admin', host: 'admin.example', className: 'internal', services: ['svc-1'] }),
    });
  }

  for (const withClasses of [true, false]) {
    describe(withClasses ? 'with IngressClasses' : 'by the pods\' --ingress-class only', () => {
      const ws = twoControllers(withClasses);

      test('port 30080 (external controller) → the nginx-class Ingress', () => {
        const result = trace(ws, 'http://shop.example:30080/x');
        assert.equal(result.found, true);
        assert.equal(routed(result), 'public / (Prefix) → svc-0');
        assert.equal(result.route?.controller.class, 'nginx');
        assert.match(stepText(result, 'entry'), /node port 30080 of the Ingress controller's NodePort Service `external`/);
        assert.doesNotMatch(notes(result), /also have this host/);
      });

      test('port 30090 (internal controller) → the internal-class Ingress of the same host', () => {
        const result = trace(ws, 'http://shop.example:30090/x');
        assert.equal(routed(result), 'private / (Prefix) → svc-1');
        assert.equal(result.route?.controller.class, 'internal');
        assert.equal(result.route?.controller.kind, 'ingress-nginx');
        if (withClasses) assert.equal(result.route?.controller.controller, 'example.com/internal-nginx');
      });

      test('negative: a host only the internal class serves is a 404 on the external port, with the reason', () => {
        const result = trace(ws, 'http://admin.example:30080/');
        assert.equal(result.found, false);
        assert.equal(result.status, 404);
        assert.match(result.reason ?? '', /no Ingress of class `nginx` has a rule for host `admin.example`/);
        assert.match(result.closest ?? '', /Ingress `admin` of class `internal` has host `admin.example`, but this port reaches the controller of `nginx`/);
        assert.equal(routed(trace(ws, 'http://admin.example:30090/')), 'admin / (Prefix) → svc-1');
      });
    });
  }
});

// ── which controller: IngressClass spec.controller, the default class, no class ───────────

describe('route.controller: the controller is decided by the IngressClass (spec.controller)', () => {
  // Sources: k8s-semantics.md §3.7 (ingressClassName names an IngressClass whose spec.controller
  // names the controller; `ingressclass.kubernetes.io/is-default-class: "true"` makes the
  // DefaultIngressClass admission plugin set the class of Ingresses that name none) and §4.1;
  // semantics/controllers.ts (the controller names of each profile); an unknown controller gets
  // the Kubernetes path semantics only (issue 8, "Controllers").
  function defaultClass(name: string, controller: string): string {
    return ingressClass(name, controller).replace('metadata:\n', 'metadata:\n  annotations:\n    ingressclass.kubernetes.io/is-default-class: "true"\n');
  }

  const table: [string, string, { kind: string; class?: string; controller?: string }][] = [
    ['k8s.io/ingress-nginx', 'nginx', { kind: 'ingress-nginx', class: 'nginx', controller: 'k8s.io/ingress-nginx' }],
    ['nginx.org/ingress-controller', 'nginx', { kind: 'nginx-inc', class: 'nginx', controller: 'nginx.org/ingress-controller' }],
    ['ingress.k8s.aws/alb', 'alb', { kind: 'aws-alb', class: 'alb', controller: 'ingress.k8s.aws/alb' }],
    ['traefik.io/ingress-controller', 'traefik', { kind: 'traefik', class: 'traefik', controller: 'traefik.io/ingress-controller' }],
    ['example.com/custom', 'custom', { kind: 'unknown', class: 'custom', controller: 'example.com/custom' }],
  ];
  for (const [controller, className, expected] of table) {
    test(`IngressClass \`${className}\` with spec.controller ${controller} → route.controller ${expected.kind}`, () => {
      const ws = workspace({ 'class.yaml': ingressClass(className, controller), 'app.yaml': backends(1), 'site.yaml': ingress([['/', 'Prefix']], { name: 'site', className }) });
      const result = trace(ws, 'http://docs.example/x');
      assert.equal(result.found, true);
      assert.deepEqual(result.route?.controller, expected);
      assert.equal(routed(result), 'site / (Prefix) → svc-0');
      assert.match(stepText(result, 'controller'), new RegExp(`The Ingress controller of IngressClass \`${className}\` \\(\`${controller.replace(/\./g, '\\.')}\`\\) handles it`));
      assert.equal(/The controller is unknown/.test(notes(result)), expected.kind === 'unknown');
    });
  }

  test('the same name `nginx` means NGINX Inc when spec.controller says so: no ingress-nginx regex mode, Prefix is an nginx character prefix', () => {
    const annotations = { 'nginx.ingress.kubernetes.io/use-regex': 'true' };
    const inc = workspace({ 'class.yaml': ingressClass('nginx', 'nginx.org/ingress-controller'), 'app.yaml': backends(1), 'site.yaml': ingress([['/api', 'Prefix']], { name: 'site', className: 'nginx', annotations }) });
    assert.equal(routed(trace(inc, 'http://docs.example/apix')), 'site /api (Prefix) → svc-0');
    assert.equal(trace(inc, 'http://docs.example/API').status, 404, 'case-sensitive: nginx.ingress.kubernetes.io/use-regex means nothing to NGINX Inc');
    assert.doesNotMatch(notes(trace(inc, 'http://docs.example/apix')), /Regex mode/);
    const community = workspace({ 'class.yaml': ingressClass('nginx', 'k8s.io/ingress-nginx'), 'app.yaml': backends(1), 'site.yaml': ingress([['/api', 'Prefix']], { name: 'site', className: 'nginx', annotations }) });
    assert.equal(routed(trace(community, 'http://docs.example/API')), 'site /api (Prefix) → svc-0', 'ingress-nginx: ~* "^/api"');
  });

  test('an Ingress without a class goes to the default IngressClass, and the controller step says so', () => {
    const ws = workspace({ 'class.yaml': defaultClass('alb', 'ingress.k8s.aws/alb'), 'app.yaml': backends(1), 'site.yaml': ingress([['/', 'Prefix']], { name: 'site' }) });
    const result = trace(ws, 'http://docs.example/x');
    assert.deepEqual(result.route?.controller, { kind: 'aws-alb', class: 'alb', controller: 'ingress.k8s.aws/alb' });
    assert.match(stepText(result, 'controller'), /IngressClass `alb` \(`ingress\.k8s\.aws\/alb`, the default class\)/);
  });

  test('negative: an Ingress without a class and no default IngressClass: an unknown controller, Kubernetes semantics only', () => {
    const ws = workspace({ 'class.yaml': ingressClass('traefik', 'traefik.io/ingress-controller'), 'app.yaml': backends(1), 'site.yaml': ingress([['/api', 'Prefix']], { name: 'site' }) });
    const result = trace(ws, 'http://docs.example/api/x');
    assert.deepEqual(result.route?.controller, { kind: 'unknown' });
    assert.match(stepText(result, 'controller'), /The Ingress controller for Ingresses without a class handles it \(unknown controller; no IngressClass is marked default\)/);
    assert.match(notes(result), /The controller is unknown: only the Kubernetes rules for hosts and paths are applied/);
    assert.equal(trace(ws, 'http://docs.example/apix').status, 404, 'Kubernetes Prefix is element-wise (Traefik would have taken /apix)');
  });

  test('an Ingress naming a class that no IngressClass defines and no controller is known for: unknown, with the class name', () => {
    const ws = workspace({ 'class.yaml': ingressClass('nginx', 'k8s.io/ingress-nginx'), 'app.yaml': backends(1), 'site.yaml': ingress([['/', 'Prefix']], { name: 'site', className: 'mystery' }) });
    const result = trace(ws, 'http://docs.example/x');
    assert.deepEqual(result.route?.controller, { kind: 'unknown', class: 'mystery' });
    assert.match(stepText(result, 'controller'), /IngressClass `mystery` \(unknown controller\)/);
  });

  test('two classes with rules for the host: the default class answers, and a note names the other', () => {
    const ws = workspace({
      'classes.yaml': `${defaultClass('nginx', 'k8s.io/ingress-nginx')}---\n${ingressClass('traefik', 'traefik.io/ingress-controller')}`,
      'app.yaml': backends(2),
      'a.yaml': ingress([['/', 'Prefix']], { name: 'via-traefik', className: 'traefik' }),
      'b.yaml': ingress([['/', 'Prefix']], { name: 'via-nginx', className: 'nginx', services: ['svc-1'] }),
    });
    const result = trace(ws, 'http://docs.example/x');
    assert.deepEqual(result.route?.controller, { kind: 'ingress-nginx', class: 'nginx', controller: 'k8s.io/ingress-nginx' });
    assert.equal(routed(result), 'via-nginx / (Prefix) → svc-1');
    assert.match(notes(result), /Ingresses of class `traefik` also have this host; they are served by another controller/);
  });

  test('GCE is chosen by the legacy annotation `kubernetes.io/ingress.class: gce` (ingress-gce reads no IngressClass); `/*` is a glob', () => {
    const ws = workspace({ 'app.yaml': backends(2), 'site.yaml': ingress([['/*', 'ImplementationSpecific'], ['/api/*', 'ImplementationSpecific']], { name: 'site', annotations: { 'kubernetes.io/ingress.class': 'gce' } }) });
    const api = trace(ws, 'http://docs.example/api/x');
    assert.deepEqual(api.route?.controller, { kind: 'gce', class: 'gce' });
    assert.equal(routed(api), 'site /api/* (ImplementationSpecific) → svc-1');
    assert.equal(routed(trace(ws, 'http://docs.example/api')), 'site /* (ImplementationSpecific) → svc-0', '`/api/*` does not match `/api` itself');
  });
});
