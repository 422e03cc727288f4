/**
 * The tracer through ingress-nginx, end to end (`traceRequest` on small workspaces with an
 * ingress-nginx IngressClass or controller pods): what the controller answers and where the
 * request goes, checked on `found`, `status`, `upstreamPath`, `upstreamHost`, `route` and the steps.
 *
 * Expected behaviour is ingress-nginx's (v1.12–1.15) and nginx's, cited per test:
 * - internal/k8s/main.go `SetDefaultNGINXPathType` (nil and ImplementationSpecific → Prefix);
 * - internal/ingress/controller/controller.go `createServers` (root location, spec.defaultBackend,
 *   the catch-all server `_`), `getBackendServers` (paths added per Ingress in sortIngressSlice
 *   order, a same path+type keeps the first; locations sorted by path BEFORE updateServerLocations);
 * - internal/ingress/controller/store/store.go `sortIngressSlice` (oldest creationTimestamp first);
 * - internal/ingress/controller/location.go `updateServerLocations` (Prefix `/p` → `/p/` + `= /p`,
 *   unless the location rewrites or uses regex; no `= /p` copy when an Exact `/p` exists);
 * - internal/ingress/controller/template/template.go `enforceRegexModifier` (any use-regex or
 *   rewrite puts EVERY location of the server in `~* "^<path>"` form) and `buildLocation`;
 * - rootfs/etc/nginx/template/nginx.tmpl (app-root `return 302 $scheme://$http_host<root>`, the
 *   redirect annotations' `return`, `proxy_set_header Host <upstream-vhost>` except for gRPC);
 * - rootfs/etc/nginx/lua/lua_ingress.lua `redirect_to_https` (ssl-redirect needs a certificate for
 *   the host, force-ssl-redirect does not; http-redirect-code 308; one trailing `/` cut);
 * - rootfs/etc/nginx/lua/balancer.lua `route_to_alternative_balancer` (canary: header, then cookie,
 *   then weight);
 * - nginx src/http/ngx_http_parse.c `ngx_http_parse_complex_uri` (URI normalisation, `..` above
 *   the root is 400) and ngx_http_core_find_location (exact, then regexes in order, then the
 *   longest prefix); nginx `proxy_pass` without a URI passes the request URI as sent.
 */
import { strict as assert } from 'node:assert';
import { describe, test } from 'node:test';
import { Workspace, traceRequest } from '../../server/src/core';
import type { TraceOptions, TraceResult, TraceRoute } from '../../server/src/core';
import { SEED_CONTROLLER, SEED_INGRESS, SEED_SHOP } from '../helpers/seedFixtures';

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

const NGINX_CLASS = `apiVersion: networking.k8s.io/v1
kind: IngressClass
metadata:
  name: nginx
spec:
  controller: k8s.io/ingress-nginx
`;

const CONTROLLER = { kind: 'ingress-nginx', class: 'nginx', controller: 'k8s.io/ingress-nginx' } as const;

/** An ingress-nginx controller (pods only, no IngressClass) with a NodePort Service. */
function controllerPods(nodePort: number, args: readonly string[] = []): string {
  return `apiVersion: apps/v1
kind: Deployment
metadata:
  name: ingress-nginx-controller
  namespace: ingress-nginx
spec:
  selector:
    matchLabels:
      app: ingress-nginx
  template:
    metadata:
      labels:
        app: ingress-nginx
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
  name: ingress-nginx-controller
  namespace: ingress-nginx
spec:
  type: NodePort
  selector:
    app: ingress-nginx
  ports:
    - name: http
      port: 80
      targetPort: http
      nodePort: ${nodePort}
`;
}

/** A Deployment `app` (containerPort 8080) and Services `svc-0` … selecting it. */
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
  readonly className?: string | null;
  readonly annotations?: Readonly<Record<string, string>>;
  readonly creationTimestamp?: string;
  /** Service name of spec.defaultBackend. */
  readonly defaultBackend?: string;
  /** spec.tls for the rule host. */
  readonly tls?: boolean;
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
    ...(annotations.length > 0 ? ['  annotations:', ...annotations.map(([k, v]) => `    ${k}: ${JSON.stringify(v)}`)] : []),
  ].join('\n');
  const items = paths.map(([path, type], i) => `          - path: ${JSON.stringify(path)}
            pathType: ${type}
            backend:
              service:
                name: ${options.services?.[i] ?? `svc-${i}`}
                port:
                  number: 80
`).join('');
  const className = options.className === null ? '' : `  ingressClassName: ${options.className ?? 'nginx'}\n`;
  const defaultBackend = options.defaultBackend ? `  defaultBackend:\n    service:\n      name: ${options.defaultBackend}\n      port:\n        number: 80\n` : '';
  const tls = options.tls ? `  tls:\n    - hosts: [${host}]\n      secretName: ${host.replace(/\./g, '-')}-tls\n` : '';
  return `apiVersion: networking.k8s.io/v1
kind: Ingress
metadata:
${meta}
spec:
${className}${defaultBackend}${tls}  rules:
    - host: ${JSON.stringify(host)}
      http:
        paths:
${items}`;
}

/** nginx.ingress.kubernetes.io/<name> annotations. */
function nginx(values: Readonly<Record<string, string>>): Record<string, string> {
  return Object.fromEntries(Object.entries(values).map(([k, v]) => [`nginx.ingress.kubernetes.io/${k}`, v]));
}

/** A workspace with the ingress-nginx IngressClass, Services svc-0 … svc-3 and the given files. */
function nginxWorkspace(files: Record<string, string>): Workspace {
  return workspace({ 'class.yaml': NGINX_CLASS, 'app.yaml': backends(4), ...files });
}

/** The Services of route.backends with their weights, e.g. `svc-0:80`. */
function split(result: TraceResult): string[] {
  return (result.route?.backends ?? []).map((b) => `${b.name}:${b.weight}`);
}

/** The Service the trace follows to the pods (its `service` step). */
function followed(result: TraceResult): string | undefined {
  return /Service `([^`]+)`/.exec(stepText(result, 'service'))?.[1];
}

function ruleOf(result: TraceResult): unknown {
  return result.route?.ingress?.rule;
}

function trace(ws: Workspace, url: string, options?: TraceOptions): TraceResult {
  return traceRequest(ws, url, options);
}

// ── 1. a named targetPort no selected pod declares ─────────────────────────────────────────────

describe('ingress-nginx: a named targetPort that resolves on no selected pod', () => {
  /** Controller found by its pods (no IngressClass); Service `shop` → Deployment `shop` whose port is named `http`. */
  function shopWorkspace(targetPort: string): Workspace {
    return workspace({
      'controller.yaml': controllerPods(30080),
      'shop.yaml': `apiVersion: apps/v1
kind: Deployment
metadata:
  name: shop
spec:
  replicas: 2
  selector:
    matchLabels:
      app: shop
  template:
    metadata:
      labels:
        app: shop
    spec:
      containers:
        - name: shop
          image: shop
          ports:
            - name: http
              containerPort: 8080
---
apiVersion: v1
kind: Service
metadata:
  name: shop
spec:
  selector:
    app: shop
  ports:
    - port: 80
      targetPort: ${targetPort}
`,
      'ingress.yaml': ingress([['/', 'Prefix']], { host: 'shop.example', services: ['shop'] }),
    });
  }

  test('targetPort `web` (the pods name theirs `http`): found false, 503, route.backends lists the Service with its pods', () => {
    const result = trace(shopWorkspace('web'), 'http://shop.example:30080/cart');
    assert.equal(result.found, false);
    assert.equal(result.status, 503);
    assert.match(result.reason ?? '', /no selected pod declares a port named `web`/);
    assert.equal(result.upstreamPath, '/cart', 'the path was matched and the request target is known');
    assert.equal(result.route?.controller.kind, 'ingress-nginx');
    assert.deepEqual(result.route?.ingress, { kind: 'Ingress', namespace: 'default', name: 'paths', rule: { host: 'shop.example', path: '/', pathType: 'Prefix' } });
    assert.deepEqual(result.route?.backends, [
      { kind: 'Service', namespace: 'default', name: 'shop', port: 80, weight: 100, targetPort: 'web', workloads: [{ kind: 'Deployment', name: 'shop', replicas: 2 }] },
    ]);
    assert.match(stepText(result, 'entry'), /node port 30080 of the Ingress controller's NodePort Service `ingress-nginx-controller`/);
    assert.match(stepText(result, 'port'), /targetPort `web`/);
    assert.match(notes(result), /No selected pod declares a port named `web`/);
    assert.match(stepText(result, 'pods'), /2 pods of Deployment `shop`/);
  });

  test('targetPort `http` (declared): found, no status, containerPort 8080', () => {
    const result = trace(shopWorkspace('http'), 'http://shop.example:30080/cart');
    assert.equal(result.found, true);
    assert.equal(result.status, undefined);
    assert.equal(result.reason, undefined);
    assert.deepEqual(result.route?.backends, [
      { kind: 'Service', namespace: 'default', name: 'shop', port: 80, weight: 100, targetPort: 'http', containerPort: 8080, workloads: [{ kind: 'Deployment', name: 'shop', replicas: 2 }] },
    ]);
    assert.doesNotMatch(notes(result), /declares a port named/);
  });
});

// ── 2. Exact and Prefix on the same path in regex mode ─────────────────────────────────────────

describe('ingress-nginx: Exact and Prefix on the same path in regex mode', () => {
  // Ingress `paths` (no regex of its own): Prefix /foo → svc-0, Exact /foo → svc-1. Ingress `regex`
  // sets use-regex on another path of the host: enforceRegexModifier puts every location of the
  // server in ~* form. updateServerLocations turned the Prefix /foo (its own Ingress has neither
  // rewrite nor use-regex) into /foo/ and added no `= /foo` copy (an Exact /foo exists). The sort
  // ran before that, so the two keep their spec order: ~* "^/foo/" (Prefix), then ~* "^/foo" (Exact).
  const ws = nginxWorkspace({
    'paths.yaml': ingress([['/foo', 'Prefix'], ['/foo', 'Exact']]),
    'regex.yaml': ingress([['/zzz', 'ImplementationSpecific']], { name: 'regex', annotations: nginx({ 'use-regex': 'true' }), services: ['svc-2'] }),
  });

  test('/foo reaches the Exact backend, as the regex ^/foo', () => {
    const result = trace(ws, 'http://docs.example/foo');
    assert.equal(result.found, true);
    assert.equal(result.upstreamPath, '/foo');
    assert.deepEqual(ruleOf(result), { host: 'docs.example', path: '/foo', pathType: 'Exact' });
    assert.deepEqual(split(result), ['svc-1:100']);
    assert.match(stepText(result, 'path'), /case-insensitive regex `\^\/foo` \(Exact is not exact in regex mode\)/);
    assert.match(notes(result), /Regex mode for host `docs.example`: `use-regex: "true"` on Ingress `regex`/);
  });

  test('/foo/x reaches the Prefix backend, as the regex ^/foo/', () => {
    const result = trace(ws, 'http://docs.example/foo/x');
    assert.equal(result.found, true);
    assert.equal(result.upstreamPath, '/foo/x');
    assert.deepEqual(ruleOf(result), { host: 'docs.example', path: '/foo', pathType: 'Prefix' });
    assert.deepEqual(split(result), ['svc-0:100']);
    assert.match(stepText(result, 'path'), /regex `\^\/foo\/`/);
  });

  test('negative: the Exact location is not exact: /FOO and /foobar reach it too; /bar reaches nothing (404)', () => {
    assert.deepEqual(ruleOf(trace(ws, 'http://docs.example/FOO')), { host: 'docs.example', path: '/foo', pathType: 'Exact' });
    assert.deepEqual(ruleOf(trace(ws, 'http://docs.example/foobar')), { host: 'docs.example', path: '/foo', pathType: 'Exact' });
    const miss = trace(ws, 'http://docs.example/bar');
    assert.equal(miss.found, false);
    assert.equal(miss.status, 404);
    assert.equal(miss.route?.ingress, undefined);
  });

  test('Exact written first in a use-regex Ingress: both are ~* "^/foo" and the first wins, /foo/x included', () => {
    // With use-regex on the Ingress itself updateServerLocations leaves the Prefix /foo as it is, so
    // both locations are `~* "^/foo"`; nginx does not reject duplicate regex locations and takes the first.
    const same = nginxWorkspace({ 'paths.yaml': ingress([['/foo', 'Exact'], ['/foo', 'Prefix']], { annotations: nginx({ 'use-regex': 'true' }) }) });
    const result = trace(same, 'http://docs.example/foo/x');
    assert.equal(result.found, true);
    assert.deepEqual(ruleOf(result), { host: 'docs.example', path: '/foo', pathType: 'Exact' });
    assert.deepEqual(split(result), ['svc-0:100']);
  });

  test('control: in normal mode the same two paths are `= /foo` and `/foo/`', () => {
    const normal = nginxWorkspace({ 'paths.yaml': ingress([['/foo', 'Prefix'], ['/foo', 'Exact']]) });
    assert.match(stepText(trace(normal, 'http://docs.example/foo'), 'path'), /exactly \(`location = "\/foo"`\)/);
    assert.deepEqual(ruleOf(trace(normal, 'http://docs.example/foo/x')), { host: 'docs.example', path: '/foo', pathType: 'Prefix' });
    assert.equal(trace(normal, 'http://docs.example/foobar').found, false, 'normal mode: neither location matches /foobar');
    assert.equal(trace(normal, 'http://docs.example/FOO').found, false, 'normal mode: nginx prefix and exact locations are case-sensitive');
  });
});

// ── 3. path misses and default backends ─────────────────────────────────────────────────────

describe("ingress-nginx: a path miss on a named host goes to that host's root location", () => {
  test('no spec.defaultBackend: the controller\'s default backend answers 404', () => {
    const ws = nginxWorkspace({ 'api.yaml': ingress([['/api', 'Prefix']], { name: 'api' }) });
    const result = trace(ws, 'http://docs.example/other');
    assert.equal(result.found, false);
    assert.equal(result.status, 404);
    assert.equal(result.upstreamPath, undefined);
    assert.deepEqual(result.route, { controller: CONTROLLER, backends: [] });
    assert.match(result.reason ?? '', /host `docs.example` matched, but no path matches `\/other`; its paths: `\/api` \(Prefix\); the controller's default backend answers 404/);
    assert.match(result.closest ?? '', /path `\/api` \(Prefix\) of Ingress `api`/);
    assert.match(stepText(result, 'host'), /Host `docs.example` matches the rule host `docs.example` of Ingress `api`/);
  });

  test('control: a path that matches is not affected', () => {
    const ws = nginxWorkspace({ 'api.yaml': ingress([['/api', 'Prefix']], { name: 'api', defaultBackend: 'svc-1' }) });
    const result = trace(ws, 'http://docs.example/api/users');
    assert.equal(result.found, true);
    assert.deepEqual(ruleOf(result), { host: 'docs.example', path: '/api', pathType: 'Prefix' });
    assert.deepEqual(split(result), ['svc-0:100']);
  });

  test('the Ingress of the host has spec.defaultBackend: it takes the miss, with the request target unchanged', () => {
    const ws = nginxWorkspace({ 'api.yaml': ingress([['/api', 'Prefix']], { name: 'api', defaultBackend: 'svc-1' }) });
    const result = trace(ws, 'http://docs.example/other?q=1');
    assert.equal(result.found, true);
    assert.equal(result.status, undefined);
    assert.equal(result.upstreamPath, '/other?q=1');
    assert.deepEqual(result.route?.ingress, { kind: 'Ingress', namespace: 'default', name: 'api', rule: { defaultBackend: true } });
    assert.deepEqual(split(result), ['svc-1:100']);
    assert.match(stepText(result, 'path'), /No path of host `docs.example` matches `\/other`: the default backend of Ingress `api` takes it/);
    assert.match(stepText(result, 'service'), /Ingress `api` sends it to Service `svc-1`/);
  });

  describe('a rule-less defaultBackend Ingress of another name', () => {
    const ws = nginxWorkspace({
      'api.yaml': ingress([['/api', 'Prefix']], { name: 'api' }),
      'fallback.yaml': `apiVersion: networking.k8s.io/v1
kind: Ingress
metadata:
  name: fallback
spec:
  ingressClassName: nginx
  defaultBackend:
    service:
      name: svc-2
      port:
        number: 80
`,
    });

    test('does not take a named host\'s miss: still 404 (createServers: only the catch-all server `_` gets it)', () => {
      const result = trace(ws, 'http://docs.example/other');
      assert.equal(result.found, false);
      assert.equal(result.status, 404);
      assert.equal(result.route?.ingress, undefined);
      assert.doesNotMatch(result.steps.map((s) => s.text).join('\n'), /fallback/);
    });

    test('serves hosts no rule names (the catch-all server)', () => {
      const result = trace(ws, 'http://elsewhere.example/other');
      assert.equal(result.found, true);
      assert.equal(result.upstreamPath, '/other');
      assert.deepEqual(result.route?.ingress, { kind: 'Ingress', namespace: 'default', name: 'fallback', rule: { defaultBackend: true } });
      assert.deepEqual(split(result), ['svc-2:100']);
      assert.match(stepText(result, 'path'), /the default backend of Ingress `fallback` takes it/);
    });
  });
});

// ── 4. Prefix /app/ next to ImplementationSpecific /app ────────────────────────────────────────

describe('ingress-nginx: Prefix /app/ next to ImplementationSpecific /app (what the model says)', () => {
  // SetDefaultNGINXPathType makes ImplementationSpecific /app a Prefix. updateServerLocations then
  // writes Prefix /app/ as `location "/app/"` + `location = "/app/"`, and the former
  // ImplementationSpecific /app as `location "/app/"` + `location = "/app"`: two `location "/app/"`.
  // nginx refuses duplicate prefix locations (ngx_http_join_exact_locations: "duplicate location",
  // kubernetes/ingress-nginx#10090, #9569): `nginx -t` fails and the admission webhook denies the
  // Ingress. The model (nginxLocations.ts `findDuplicates`, test/core/nginxLocations.test.ts "fact 3")
  // reports that as a note and still answers from the locations as written, the first `/app/` winning.
  const ws = nginxWorkspace({ 'paths.yaml': ingress([['/app/', 'Prefix'], ['/app', 'ImplementationSpecific']]) });

  test('/app → the exact copy `= "/app"` of the ImplementationSpecific path (svc-1), with the duplicate-location note', () => {
    const result = trace(ws, 'http://docs.example/app');
    assert.equal(result.found, true);
    assert.equal(result.upstreamPath, '/app');
    assert.deepEqual(ruleOf(result), { host: 'docs.example', path: '/app', pathType: 'ImplementationSpecific' });
    assert.deepEqual(split(result), ['svc-1:100']);
    assert.match(stepText(result, 'path'), /exactly \(`location = "\/app"`\)/);
    assert.match(notes(result), /Two paths of this host become the same nginx location `location "\/app\/"`: nginx refuses such a configuration/);
    assert.match(notes(result), /ingress-nginx treats ImplementationSpecific as Prefix/);
  });

  test('/app/x → `location "/app/"` of the Prefix path (svc-0), the first of the two', () => {
    const result = trace(ws, 'http://docs.example/app/x');
    assert.equal(result.found, true);
    assert.deepEqual(ruleOf(result), { host: 'docs.example', path: '/app/', pathType: 'Prefix' });
    assert.deepEqual(split(result), ['svc-0:100']);
    assert.match(stepText(result, 'path'), /`location "\/app\/"`, the longest matching prefix/);
    assert.match(notes(result), /nginx refuses such a configuration/);
  });

  test('negative: /apple matches neither (element-wise, not a character prefix): 404', () => {
    const result = trace(ws, 'http://docs.example/apple');
    assert.equal(result.found, false);
    assert.equal(result.status, 404);
  });

  test('control: ImplementationSpecific /app alone has no duplicate and no refusal note', () => {
    const alone = nginxWorkspace({ 'paths.yaml': ingress([['/app', 'ImplementationSpecific']]) });
    const result = trace(alone, 'http://docs.example/app/x');
    assert.equal(result.found, true);
    assert.doesNotMatch(notes(result), /nginx refuses/);
    assert.match(notes(result), /ingress-nginx treats ImplementationSpecific as Prefix: `\/app` matches `\/app` and what is under it element by element/);
  });
});

// ── 5. the same host and path in two Ingresses ────────────────────────────────────────────────

describe('ingress-nginx: the same host and path in two Ingresses', () => {
  const OLD = '2023-01-01T00:00:00Z';
  const NEW = '2024-05-01T00:00:00Z';

  test('with creationTimestamps the oldest wins, and the step says so', () => {
    const ws = nginxWorkspace({
      'a.yaml': ingress([['/api', 'Prefix']], { name: 'newer', creationTimestamp: NEW, services: ['svc-0'] }),
      'b.yaml': ingress([['/api', 'Prefix']], { name: 'older', creationTimestamp: OLD, services: ['svc-1'] }),
    });
    const result = trace(ws, 'http://docs.example/api/x');
    assert.equal(result.found, true);
    assert.equal(result.route?.ingress?.name, 'older');
    assert.deepEqual(split(result), ['svc-1:100']);
    assert.match(notes(result), /Ingress `newer` also defines `\/api` \(Prefix\) for this host: ingress-nginx keeps Ingress `older`, the oldest \(creationTimestamp\), and ignores it/);
    assert.doesNotMatch(notes(result), /cannot tell|depends on the order/);
  });

  test('swapping the timestamps swaps the winner (names and file order do not decide)', () => {
    const ws = nginxWorkspace({
      'a.yaml': ingress([['/api', 'Prefix']], { name: 'newer', creationTimestamp: OLD, services: ['svc-0'] }),
      'b.yaml': ingress([['/api', 'Prefix']], { name: 'older', creationTimestamp: NEW, services: ['svc-1'] }),
    });
    const result = trace(ws, 'http://docs.example/api/x');
    assert.equal(result.route?.ingress?.name, 'newer');
    assert.deepEqual(split(result), ['svc-0:100']);
  });

  test('without creationTimestamps a note says the manifests cannot tell', () => {
    const ws = nginxWorkspace({
      'a.yaml': ingress([['/api', 'Prefix']], { name: 'first', services: ['svc-0'] }),
      'b.yaml': ingress([['/api', 'Prefix']], { name: 'second', services: ['svc-1'] }),
    });
    const result = trace(ws, 'http://docs.example/api/x');
    assert.equal(result.found, true);
    assert.match(notes(result), /the oldest, which the manifests cannot tell \(no creationTimestamp\)/);
    assert.match(notes(result), /depends on the order the controller sorts them in \(creationTimestamp, which the manifests do not carry\)/);
  });

  test('negative: different paths of one host merge without any ordering note', () => {
    const ws = nginxWorkspace({
      'a.yaml': ingress([['/api', 'Prefix']], { name: 'first', services: ['svc-0'] }),
      'b.yaml': ingress([['/web', 'Prefix']], { name: 'second', services: ['svc-1'] }),
    });
    const result = trace(ws, 'http://docs.example/web/x');
    assert.equal(result.route?.ingress?.name, 'second');
    assert.match(stepText(result, 'host'), /Ingresses `first`, `second` \(ingress-nginx merges their paths\)/);
    assert.doesNotMatch(notes(result), /also defines|cannot tell|depends on the order/);
  });
});

// ── 6. redirects ───────────────────────────────────────────────────────────────────────────

describe('ingress-nginx: redirects the controller answers itself', () => {
  function redirectOf(annotations: Record<string, string>, url: string, opts: { tls?: boolean } = {}): TraceResult {
    return trace(nginxWorkspace({ 'site.yaml': ingress([['/', 'Prefix']], { name: 'site', annotations: nginx(annotations), tls: opts.tls }) }), url);
  }

  function assertRedirect(result: TraceResult, status: number, location: string): void {
    assert.equal(result.found, true, 'a configured redirect is an answer');
    assert.equal(result.status, status);
    assert.deepEqual(result.route?.redirect, { status, location });
    assert.deepEqual(result.route?.backends, []);
    assert.equal(result.route?.ingress?.name, 'site');
    assert.equal(result.upstreamPath, undefined);
    assert.equal(result.steps.some((s) => s.kind === 'service'), false, 'the request goes no further');
    assert.match(notes(result), new RegExp(`The controller answers ${status} with Location`));
  }

  function assertProxied(result: TraceResult, upstream: string): void {
    assert.equal(result.found, true);
    assert.equal(result.status, undefined);
    assert.equal(result.route?.redirect, undefined);
    assert.deepEqual(split(result), ['svc-0:100']);
    assert.equal(result.upstreamPath, upstream);
  }

  test('app-root answers 302 to $scheme://$http_host<app-root> for / only', () => {
    assertRedirect(redirectOf({ 'app-root': '/app1' }, 'http://docs.example/'), 302, 'http://docs.example/app1');
    assertRedirect(redirectOf({ 'app-root': '/app1' }, 'https://docs.example/?a=1'), 302, 'https://docs.example/app1');
    assert.match(notes(redirectOf({ 'app-root': '/app1' }, 'http://docs.example/')), /app-root/);
  });

  test('app-root: other paths are proxied', () => {
    assertProxied(redirectOf({ 'app-root': '/app1' }, 'http://docs.example/x'), '/x');
    assertProxied(redirectOf({ 'app-root': '/app1' }, 'http://docs.example/app1'), '/app1');
  });

  test('app-root is a server-level if: it answers / even before the TLS redirect', () => {
    assertRedirect(redirectOf({ 'app-root': '/app1' }, 'http://docs.example/', { tls: true }), 302, 'http://docs.example/app1');
  });

  test('permanent-redirect: 301 by default, permanent-redirect-code sets the code', () => {
    assertRedirect(redirectOf({ 'permanent-redirect': 'https://new.example/' }, 'http://docs.example/x'), 301, 'https://new.example/');
    assertRedirect(redirectOf({ 'permanent-redirect': 'https://new.example/', 'permanent-redirect-code': '308' }, 'http://docs.example/x'), 308, 'https://new.example/');
    assert.match(notes(redirectOf({ 'permanent-redirect': 'https://new.example/' }, 'http://docs.example/x')), /permanent-redirect: the location returns 301/);
  });

  test('temporal-redirect: 302', () => {
    assertRedirect(redirectOf({ 'temporal-redirect': 'https://tmp.example/maintenance' }, 'http://docs.example/x'), 302, 'https://tmp.example/maintenance');
  });

  test('ssl-redirect (default true) for an http URL of a host with TLS: 308 to https, query kept', () => {
    assertRedirect(redirectOf({}, 'http://docs.example/x?y=1', { tls: true }), 308, 'https://docs.example/x?y=1');
    assert.match(notes(redirectOf({}, 'http://docs.example/x', { tls: true })), /ssl-redirect \(default true\)/);
  });

  test('ssl-redirect: one trailing / of the request URI is cut (lua_ingress.lua, preserve-trailing-slash false)', () => {
    assertRedirect(redirectOf({}, 'http://docs.example/', { tls: true }), 308, 'https://docs.example');
  });

  test('negative: no ssl-redirect for https URLs, for hosts without TLS, or with ssl-redirect "false"', () => {
    assertProxied(redirectOf({}, 'https://docs.example/x', { tls: true }), '/x');
    assertProxied(redirectOf({}, 'http://docs.example/x'), '/x');
    assertProxied(redirectOf({ 'ssl-redirect': 'false' }, 'http://docs.example/x', { tls: true }), '/x');
  });

  test('force-ssl-redirect redirects http without TLS on the host; not https', () => {
    assertRedirect(redirectOf({ 'force-ssl-redirect': 'true' }, 'http://docs.example/x'), 308, 'https://docs.example/x');
    assert.match(notes(redirectOf({ 'force-ssl-redirect': 'true' }, 'http://docs.example/x')), /force-ssl-redirect/);
    assertProxied(redirectOf({ 'force-ssl-redirect': 'true' }, 'https://docs.example/x'), '/x');
  });
});

// ── 7. canary ─────────────────────────────────────────────────────────────────────────────

describe('ingress-nginx: canary Ingresses', () => {
  function canaryWorkspace(annotations: Record<string, string>): Workspace {
    return nginxWorkspace({
      'main.yaml': ingress([['/', 'Prefix']], { name: 'main', services: ['svc-0'] }),
      'canary.yaml': ingress([['/', 'Prefix']], { name: 'canary', services: ['svc-1'], annotations: nginx({ canary: 'true', ...annotations }) }),
    });
  }

  test('canary-weight: route.backends shows the split; the main Ingress keeps the route', () => {
    const result = trace(canaryWorkspace({ 'canary-weight': '20' }), 'http://docs.example/x');
    assert.equal(result.found, true);
    assert.deepEqual(split(result), ['svc-0:80', 'svc-1:20']);
    assert.deepEqual(result.route?.ingress, { kind: 'Ingress', namespace: 'default', name: 'main', rule: { host: 'docs.example', path: '/', pathType: 'Prefix' } });
    assert.match(notes(result), /canary-weight 20 of 100/);
    assert.equal(result.route?.backends[1].workloads[0]?.name, 'app', 'the canary backend is followed to its pods too');
  });

  test('negative: a canary of another path does not split this one', () => {
    const ws = nginxWorkspace({
      'main.yaml': ingress([['/', 'Prefix']], { name: 'main', services: ['svc-0'] }),
      'canary.yaml': ingress([['/beta', 'Prefix']], { name: 'canary', services: ['svc-1'], annotations: nginx({ canary: 'true', 'canary-weight': '50' }) }),
    });
    const result = trace(ws, 'http://docs.example/x');
    assert.deepEqual(split(result), ['svc-0:100']);
    assert.equal(followed(result), 'svc-0');
  });

  // controller.go mergeAlternativeBackends: a canary path joins a location only when
  // `canMergeBackend(priUps, altUps) && loc.Path == path.Path && *loc.PathType == *path.PathType`
  // (both pathTypes after SetDefaultNGINXPathType), and never when the canary's upstream IS the
  // location's primary upstream ("alternative upstream … is primary upstream"); otherwise the
  // canary backend is deleted ("unable to find real backend for alternative backend"). The model has
  // this rule (nginxAnnotations.ts `canaryMergeable`).
  function pathCanary(mainPath: readonly [string, string], canaryPath: readonly [string, string], canaryService: string): Workspace {
    return nginxWorkspace({
      'main.yaml': ingress([mainPath], { name: 'main', services: ['svc-0'] }),
      'canary.yaml': ingress([canaryPath], { name: 'canary', services: [canaryService], annotations: nginx({ canary: 'true', 'canary-weight': '100' }) }),
    });
  }

  test('a canary ImplementationSpecific /api joins a Prefix /api (both Prefix for the controller)', () => {
    const result = trace(pathCanary(['/api', 'Prefix'], ['/api', 'ImplementationSpecific'], 'svc-1'), 'http://docs.example/api/x');
    assert.equal(followed(result), 'svc-1');
    assert.deepEqual(split(result), ['svc-0:0', 'svc-1:100']);
  });

  test('a canary Exact /api does not join a Prefix /api: no split, main receives everything', () => {
    const result = trace(pathCanary(['/api', 'Prefix'], ['/api', 'Exact'], 'svc-1'), 'http://docs.example/api/x');
    assert.equal(result.found, true);
    assert.equal(followed(result), 'svc-0', `canary of another pathType took the request: ${split(result).join(', ')}`);
    assert.deepEqual(split(result), ['svc-0:100']);
  });

  test('a canary whose backend is the main backend is not merged: one backend, listed once', () => {
    const result = trace(pathCanary(['/api', 'Prefix'], ['/api', 'Prefix'], 'svc-0'), 'http://docs.example/api/x');
    assert.equal(followed(result), 'svc-0');
    assert.deepEqual(split(result), ['svc-0:100']);
  });

  test('canary-by-header: "always" sends the request to the canary, "never" and no header to main', () => {
    const ws = canaryWorkspace({ 'canary-by-header': 'X-Canary' });
    const always = trace(ws, 'http://docs.example/x', { headers: { 'X-Canary': 'always' } });
    assert.equal(always.found, true);
    assert.equal(followed(always), 'svc-1');
    assert.match(stepText(always, 'service'), /Ingress `canary` sends it to Service `svc-1`/);
    assert.match(notes(always), /header X-Canary: always/);
    const never = trace(ws, 'http://docs.example/x', { headers: { 'x-canary': 'never' } });
    assert.equal(followed(never), 'svc-0');
    assert.match(notes(never), /header X-Canary: never/);
    assert.equal(followed(trace(ws, 'http://docs.example/x')), 'svc-0');
  });

  test('canary-by-header "never" beats canary-weight 100 (header first, balancer.lua)', () => {
    const ws = canaryWorkspace({ 'canary-by-header': 'X-Canary', 'canary-weight': '100' });
    assert.equal(followed(trace(ws, 'http://docs.example/x', { headers: { 'X-Canary': 'never' } })), 'svc-0');
    assert.equal(followed(trace(ws, 'http://docs.example/x')), 'svc-1', 'without the header the weight (100) decides');
  });

  test('canary-by-cookie: "always" → canary, "never" and no cookie → main', () => {
    const ws = canaryWorkspace({ 'canary-by-cookie': 'beta' });
    assert.equal(followed(trace(ws, 'http://docs.example/x', { headers: { Cookie: 'session=1; beta=always' } })), 'svc-1');
    assert.equal(followed(trace(ws, 'http://docs.example/x', { headers: { Cookie: 'beta=never' } })), 'svc-0');
    assert.equal(followed(trace(ws, 'http://docs.example/x')), 'svc-0');
    assert.match(notes(trace(ws, 'http://docs.example/x', { headers: { Cookie: 'beta=always' } })), /cookie beta=always/);
  });

  test('route.backends: the backend that receives the traced request is not listed with weight 0 (TraceBackend.weight: "0 for a backend that receives none")', () => {
    const cases: [Record<string, string>, TraceOptions, string][] = [
      [{ 'canary-by-header': 'X-Canary' }, { headers: { 'X-Canary': 'always' } }, 'svc-1'],
      [{ 'canary-by-cookie': 'beta' }, { headers: { Cookie: 'beta=always' } }, 'svc-1'],
      [{ 'canary-by-header': 'X-Canary', 'canary-weight': '100' }, { headers: { 'X-Canary': 'never' } }, 'svc-0'],
    ];
    for (const [annotations, options, receiver] of cases) {
      const result = trace(canaryWorkspace(annotations), 'http://docs.example/x', options);
      assert.equal(followed(result), receiver);
      const weight = result.route?.backends.find((b) => b.name === receiver)?.weight;
      assert.ok(weight !== undefined && weight > 0, `${JSON.stringify(annotations)} ${JSON.stringify(options)}: ${receiver} receives the request but route.backends says ${split(result).join(', ')}`);
    }
  });
});

// ── 8. upstream-vhost and backend-protocol ─────────────────────────────────────────────────

describe('ingress-nginx: upstream-vhost and backend-protocol', () => {
  function site(annotations: Record<string, string>): Workspace {
    return nginxWorkspace({ 'site.yaml': ingress([['/', 'Prefix']], { name: 'site', annotations: nginx(annotations) }) });
  }

  test('upstream-vhost sets upstreamHost and says so', () => {
    const result = trace(site({ 'upstream-vhost': 'internal.example' }), 'http://docs.example/x');
    assert.equal(result.found, true);
    assert.equal(result.upstreamHost, 'internal.example');
    assert.equal(result.upstreamPath, '/x');
    assert.match(notes(result), /`upstream-vhost` sets the Host header the backend receives to `internal.example`/);
  });

  test('negative: without upstream-vhost the Host is as sent (no upstreamHost)', () => {
    const result = trace(site({}), 'http://docs.example/x');
    assert.equal(result.upstreamHost, undefined);
    assert.doesNotMatch(notes(result), /upstream-vhost|backend-protocol/);
  });

  test('backend-protocol HTTPS: a note with proxy_pass https://', () => {
    const result = trace(site({ 'backend-protocol': 'HTTPS' }), 'http://docs.example/x');
    assert.equal(result.found, true);
    assert.match(notes(result), /`backend-protocol`: the controller talks to the backend with HTTPS.*`proxy_pass https:\/\/`/);
  });

  test('backend-protocol GRPC: grpc_pass, and upstream-vhost has no effect (nginx.tmpl sets no Host for grpc_set_header)', () => {
    const result = trace(site({ 'backend-protocol': 'GRPC', 'upstream-vhost': 'internal.example' }), 'http://docs.example/x');
    assert.match(notes(result), /GRPC.*`grpc_pass grpc:\/\/`/);
    assert.equal(result.upstreamHost, undefined);
  });
});

// ── 9. URL normalisation ──────────────────────────────────────────────────────────────────

describe('ingress-nginx: nginx matches the normalised URI', () => {
  const ws = nginxWorkspace({ 'paths.yaml': ingress([['/abc', 'Prefix'], ['/dfc', 'Prefix']]) });

  const table: [string, string, string, string][] = [
    // raw path, normalised, Ingress path reached, Service
    ['/abc/../dfc/index.html', '/dfc/index.html', '/dfc', 'svc-1'],
    ['/%61bc/x', '/abc/x', '/abc', 'svc-0'],
    ['//abc/x', '/abc/x', '/abc', 'svc-0'],
    ['/abc/%2e%2e/dfc/x', '/dfc/x', '/dfc', 'svc-1'],
    ['/dfc/./x', '/dfc/x', '/dfc', 'svc-1'],
  ];
  for (const [raw, normalised, path, service] of table) {
    test(`${raw} is routed as ${normalised}; the backend receives it as sent; a note says so`, () => {
      const result = trace(ws, `http://docs.example${raw}`);
      assert.equal(result.found, true, result.reason);
      assert.equal(result.status, undefined);
      assert.deepEqual(ruleOf(result), { host: 'docs.example', path, pathType: 'Prefix' });
      assert.deepEqual(split(result), [`${service}:100`]);
      assert.equal(result.upstreamPath, raw, 'proxy_pass without a URI passes the request URI unchanged');
      assert.ok(notes(result).includes(`nginx matches locations against the normalised path \`${normalised}\``), notes(result));
    });
  }

  test('negative: an already normal path gets no normalisation note; a query is not normalised', () => {
    const result = trace(ws, 'http://docs.example/abc/x?next=/../y');
    assert.equal(result.found, true);
    assert.equal(result.upstreamPath, '/abc/x?next=/../y');
    assert.doesNotMatch(notes(result), /normalised path/);
  });

  test('/.. climbs above the root: 400, nothing is routed', () => {
    const result = trace(ws, 'http://docs.example/..');
    assert.equal(result.found, false);
    assert.equal(result.status, 400);
    assert.match(result.reason ?? '', /400 Bad Request/);
    assert.equal(result.route?.ingress, undefined);
    assert.deepEqual(result.route?.backends, []);
    assert.equal(result.steps.some((s) => s.kind === 'path' || s.kind === 'service'), false);
  });

  test('/abc/../.. climbs above the root too: 400', () => {
    const result = trace(ws, 'http://docs.example/abc/../..');
    assert.equal(result.found, false);
    assert.equal(result.status, 400);
  });
});

// ── 10. the seed example ──────────────────────────────────────────────────────────────────


describe('ingress-nginx: the seed example', () => {
  const ws = workspace({ 'ingress-nginx-controller.yaml': SEED_CONTROLLER, 'ingress.yaml': SEED_INGRESS, 'shop.yaml': SEED_SHOP });

  test('http://www.test.pri:31085/abc/index.html: the route object, literally', () => {
    const result = trace(ws, 'http://www.test.pri:31085/abc/index.html');
    const expected: TraceRoute = {
      controller: { kind: 'ingress-nginx', class: 'nginx', controller: 'k8s.io/ingress-nginx' },
      ingress: { kind: 'Ingress', namespace: 'default', name: 'test-ingress', rule: { host: 'www.test.pri', path: '/abc(/|$)(.*)', pathType: 'ImplementationSpecific' } },
      backends: [
        { kind: 'Service', namespace: 'default', name: 'abc-svc', port: 80, weight: 100, targetPort: 'http', containerPort: 80, workloads: [{ kind: 'Deployment', name: 'abc', replicas: 2 }] },
      ],
    };
    assert.deepEqual(result.route, expected);
    assert.equal(result.found, true);
    assert.equal(result.status, undefined);
    assert.equal(result.upstreamPath, '/index.html');
    assert.equal(result.upstreamHost, undefined);
    assert.match(stepText(result, 'rewrite'), /rewrites `\/abc\/index.html` to `\/index.html`/);
  });

  test('the other path: /dfc/ reaches dfc-svc (port named http → targetPort web → containerPort 8080)', () => {
    const result = trace(ws, 'http://www.test.pri:31085/dfc/a');
    assert.deepEqual(result.route?.backends, [
      { kind: 'Service', namespace: 'default', name: 'dfc-svc', port: 80, weight: 100, targetPort: 'web', containerPort: 8080, workloads: [{ kind: 'Deployment', name: 'dfc', replicas: 2 }] },
    ]);
    assert.equal(result.upstreamPath, '/a');
  });

  test('negative: /abcdef matches no path; route has the controller only', () => {
    const result = trace(ws, 'http://www.test.pri:31085/abcdef');
    assert.equal(result.found, false);
    assert.equal(result.status, 404);
    assert.deepEqual(result.route, { controller: { kind: 'ingress-nginx', class: 'nginx', controller: 'k8s.io/ingress-nginx' }, backends: [] });
  });
});

// ── 11. path types in normal mode ─────────────────────────────────────────────────────────

describe('ingress-nginx: pathType matching in normal mode (no regex on the host)', () => {
  // Sources: k8s-semantics.md §3.4 (Exact, element-wise Prefix, longest first) and §4.2;
  // location.go `updateServerLocations` (Prefix `/p` → `location /p/` + `location = /p`);
  // nginx ngx_http_core_find_location (an exact match first, then the longest prefix) and the
  // `location` docs (a prefix location ending in `/` with proxy_pass answers its name without the
  // slash with a 301).
  const ws = nginxWorkspace({
    'site.yaml': ingress([['/', 'Prefix'], ['/foo', 'Exact'], ['/foo', 'Prefix'], ['/docs/', 'Prefix']], { name: 'site' }),
    'v2.yaml': ingress([['/foo/v2', 'Prefix']], { name: 'v2', services: ['svc-3'] }),
  });

  const table: [string, string, string, string][] = [
    // request, Ingress, path (pathType), Service
    ['/foo', 'site', '/foo (Exact)', 'svc-1'], // Exact beats the Prefix of the same path
    ['/foo/', 'site', '/foo (Prefix)', 'svc-2'],
    ['/foo/bar', 'site', '/foo (Prefix)', 'svc-2'],
    ['/foobar', 'site', '/ (Prefix)', 'svc-0'], // element-wise: /foo does not take /foobar
    ['/foo/v2', 'v2', '/foo/v2 (Prefix)', 'svc-3'], // the longest prefix wins across Ingresses of the host
    ['/foo/v2/x', 'v2', '/foo/v2 (Prefix)', 'svc-3'],
    ['/foo/v20', 'site', '/foo (Prefix)', 'svc-2'],
    ['/FOO', 'site', '/ (Prefix)', 'svc-0'], // nginx `=` and prefix locations are case-sensitive
    ['/docs/x', 'site', '/docs/ (Prefix)', 'svc-3'],
  ];
  for (const [path, name, rule, service] of table) {
    test(`${path} → ${name} ${rule} → ${service}`, () => {
      const result = trace(ws, `http://docs.example${path}`);
      assert.equal(result.found, true, result.reason);
      assert.equal(result.status, undefined);
      const r = result.route?.ingress?.rule;
      assert.ok(r && 'path' in r);
      assert.equal(`${result.route?.ingress?.name} ${r.path} (${r.pathType})`, `${name} ${rule}`);
      assert.deepEqual(split(result), [`${service}:100`]);
      assert.equal(result.upstreamPath, path, 'no rewrite: the backend receives the path as sent');
      assert.doesNotMatch(notes(result), /Regex mode/);
    });
  }

  test('Prefix `/docs/` (trailing slash): `/docs` is answered by nginx with a 301 to `/docs/`, not routed', () => {
    const result = trace(ws, 'http://docs.example/docs');
    assert.equal(result.found, true, 'a redirect is a configured answer');
    assert.equal(result.status, 301);
    assert.deepEqual(result.route?.redirect, { status: 301, location: '/docs/' });
    assert.deepEqual(result.route?.backends, []);
    assert.equal(result.upstreamPath, undefined);
    assert.match(stepText(result, 'path'), /nginx answers `\/docs` with a 301 to `\/docs\/`/);
  });

  test('without a catch-all `/` path a miss is the controller\'s 404, with the closest path', () => {
    const narrow = nginxWorkspace({ 'site.yaml': ingress([['/foo', 'Prefix']], { name: 'site' }) });
    const result = trace(narrow, 'http://docs.example/foobar');
    assert.equal(result.found, false);
    assert.equal(result.status, 404);
    assert.deepEqual(result.route, { controller: CONTROLLER, backends: [] });
    assert.match(result.closest ?? '', /path `\/foo` \(Prefix\) of Ingress `site`/);
  });
});

// ── 12. regex mode: ordering, case, scope ─────────────────────────────────────────────────

describe('ingress-nginx: regex mode (use-regex / rewrite-target)', () => {
  // Sources: ingress-path-matching.md "Regular expression support" and "Path Priority" (the
  // `^/foo/bar/[A-Z0-9]{3}` example), template.go `enforceRegexModifier` (every location of the
  // SERVER becomes `~* "^<path>"` when one Ingress of the host uses regex or rewrites), nginx
  // (regex locations are tried in configuration order, the first match wins).

  test('the docs\' example: the longer regex `/foo/bar/[A-Z0-9]{3}` beats the literal `/foo/bar/bar`', () => {
    const ws = nginxWorkspace({ 'r.yaml': ingress([['/foo/bar/bar', 'ImplementationSpecific'], ['/foo/bar/[A-Z0-9]{3}', 'ImplementationSpecific']], { name: 'r', annotations: nginx({ 'use-regex': 'true' }) }) });
    for (const path of ['/foo/bar/bar', '/foo/bar/BAR', '/foo/bar/b4r/x']) {
      const result = trace(ws, `http://docs.example${path}`);
      assert.deepEqual(ruleOf(result), { host: 'docs.example', path: '/foo/bar/[A-Z0-9]{3}', pathType: 'ImplementationSpecific' }, path);
      assert.deepEqual(split(result), ['svc-1:100'], path);
    }
    assert.equal(trace(ws, 'http://docs.example/foo/bar/ba').status, 404, 'neither regex matches');
  });

  test('one Ingress with use-regex makes another Ingress\'s Exact and Prefix paths of the host regexes (case-insensitive, start-anchored)', () => {
    const ws = nginxWorkspace({
      'plain.yaml': ingress([['/exact', 'Exact'], ['/app', 'Prefix']], { name: 'plain' }),
      'regex.yaml': ingress([['/v[0-9]+/api', 'ImplementationSpecific']], { name: 'regex', annotations: nginx({ 'use-regex': 'true' }), services: ['svc-2'] }),
    });
    const exact = trace(ws, 'http://docs.example/EXACT/more');
    assert.deepEqual(ruleOf(exact), { host: 'docs.example', path: '/exact', pathType: 'Exact' });
    assert.match(notes(exact), /Regex mode for host `docs.example`: `use-regex: "true"` on Ingress `regex`/);
    const prefix = trace(ws, 'http://docs.example/apple');
    assert.deepEqual(ruleOf(prefix), { host: 'docs.example', path: '/app', pathType: 'Prefix' }, '`^/app` is a character prefix in regex mode');
    const regex = trace(ws, 'http://docs.example/V2/API/x');
    assert.deepEqual(ruleOf(regex), { host: 'docs.example', path: '/v[0-9]+/api', pathType: 'ImplementationSpecific' });
    assert.deepEqual(split(regex), ['svc-2:100']);
  });

  test('negative: regex mode is per host: the same paths on another host keep exact, case-sensitive matching', () => {
    const ws = nginxWorkspace({
      'regex.yaml': ingress([['/api', 'Prefix']], { name: 'regex', annotations: nginx({ 'use-regex': 'true' }) }),
      'other.yaml': ingress([['/api', 'Prefix']], { name: 'other', host: 'other.example', services: ['svc-1'] }),
    });
    assert.deepEqual(ruleOf(trace(ws, 'http://docs.example/APIX')), { host: 'docs.example', path: '/api', pathType: 'Prefix' });
    for (const path of ['/APIX', '/apix', '/API']) {
      const result = trace(ws, `http://other.example${path}`);
      assert.equal(result.status, 404, path);
      assert.doesNotMatch(notes(result), /Regex mode/);
    }
  });

  test('use-regex is read as a Go boolean: "True" turns regex mode on, "yes" is invalid and means false (rewrite/main.go, ValidateBool)', () => {
    const on = nginxWorkspace({ 'r.yaml': ingress([['/api', 'Prefix']], { name: 'r', annotations: nginx({ 'use-regex': 'True' }) }) });
    const result = trace(on, 'http://docs.example/apix');
    assert.equal(result.found, true);
    assert.deepEqual(ruleOf(result), { host: 'docs.example', path: '/api', pathType: 'Prefix' });
    assert.match(notes(result), /Regex mode/);
    const invalid = nginxWorkspace({ 'r.yaml': ingress([['/api', 'Prefix']], { name: 'r', annotations: nginx({ 'use-regex': 'yes' }) }) });
    assert.equal(trace(invalid, 'http://docs.example/apix').status, 404);
  });
});

// ── 13. rewrite-target ────────────────────────────────────────────────────────────────────

describe('ingress-nginx: rewrite-target', () => {
  // Sources: docs/examples/rewrite/README.md (path `/something(/|$)(.*)`, target `/$2`, its table),
  // template.go `buildProxyPass` (`rewrite "(?i)<path>" <target> break;`), nginx `rewrite` (the
  // original arguments are appended), k8s-semantics.md §4.3–4.4.
  const ws = nginxWorkspace({ 'rw.yaml': ingress([['/something(/|$)(.*)', 'ImplementationSpecific']], { name: 'rw', annotations: nginx({ 'rewrite-target': '/$2' }) }) });
  const table: [string, string | undefined][] = [
    ['/something', '/'],
    ['/something/', '/'],
    ['/something/new', '/new'],
    ['/SOMETHING/new', '/new'],
    ['/something/new?x=1', '/new?x=1'],
    ['/somethingelse', undefined],
  ];
  for (const [path, upstream] of table) {
    test(`${path} → ${upstream ?? '404 (no location matches)'}`, () => {
      const result = trace(ws, `http://docs.example${path}`);
      assert.equal(result.upstreamPath, upstream);
      assert.equal(result.found, upstream !== undefined);
      assert.equal(result.status, upstream === undefined ? 404 : undefined);
      if (upstream !== undefined) assert.match(stepText(result, 'rewrite'), new RegExp(`rewrites \`${path.replace(/[?]/g, '\\?')}\` to \`${upstream.replace(/[?]/g, '\\?')}\``));
    });
  }

  test('the classic pitfall: path `/foo` with target `/` sends everything under it (and `/foobar`) to `/`', () => {
    const root = nginxWorkspace({ 'rw.yaml': ingress([['/foo', 'Prefix']], { name: 'rw', annotations: nginx({ 'rewrite-target': '/' }) }) });
    assert.equal(trace(root, 'http://docs.example/foo/a/b?q=1').upstreamPath, '/?q=1');
    const foobar = trace(root, 'http://docs.example/foobar');
    assert.equal(foobar.upstreamPath, '/');
    assert.deepEqual(ruleOf(foobar), { host: 'docs.example', path: '/foo', pathType: 'Prefix' });
  });

  test('a target failing RegexPathWithCapture (`{`) is ignored: no rewrite and no regex mode (rewrite/main.go "defaulting to empty")', () => {
    const bad = nginxWorkspace({ 'rw.yaml': ingress([['/b', 'Prefix']], { name: 'rw', annotations: nginx({ 'rewrite-target': '/{x}' }) }) });
    const result = trace(bad, 'http://docs.example/b/1');
    assert.equal(result.found, true);
    assert.equal(result.upstreamPath, '/b/1');
    assert.match(notes(result), /ingress-nginx ignores the `rewrite-target` `\/\{x\}` of Ingress `rw`: it fails the RegexPathWithCapture validator/);
    assert.doesNotMatch(notes(result), /Regex mode/);
    assert.equal(trace(bad, 'http://docs.example/B/1').status, 404, 'still case-sensitive: the host is not in regex mode');
  });
});

// ── 14. canary by header value ────────────────────────────────────────────────────────────

describe('ingress-nginx: canary-by-header-value', () => {
  // Source: rootfs/etc/nginx/lua/balancer.lua `route_to_alternative_balancer`: with a header value
  // configured only that exact value routes to the canary ("always"/"never" lose their meaning),
  // anything else falls through to the cookie and then the weight (0 here).
  function ws(): Workspace {
    return nginxWorkspace({
      'main.yaml': ingress([['/', 'Prefix']], { name: 'main', services: ['svc-0'] }),
      'canary.yaml': ingress([['/', 'Prefix']], { name: 'canary', services: ['svc-1'], annotations: nginx({ canary: 'true', 'canary-by-header': 'X-Env', 'canary-by-header-value': 'beta' }) }),
    });
  }
  const table: [Record<string, string>, string, string[]][] = [
    [{ 'x-env': 'beta' }, 'svc-1', ['svc-0:0', 'svc-1:100']],
    [{ 'X-ENV': 'beta' }, 'svc-1', ['svc-0:0', 'svc-1:100']], // header names are case-insensitive
    [{ 'x-env': 'Beta' }, 'svc-0', ['svc-0:100', 'svc-1:0']], // the value is compared exactly
    [{ 'x-env': 'always' }, 'svc-0', ['svc-0:100', 'svc-1:0']],
    [{}, 'svc-0', ['svc-0:100', 'svc-1:0']],
  ];
  for (const [headers, receiver, shares] of table) {
    test(`${JSON.stringify(headers)} → ${receiver}`, () => {
      const result = trace(ws(), 'http://docs.example/x', { headers });
      assert.equal(result.found, true);
      assert.equal(followed(result), receiver);
      assert.deepEqual(split(result), shares);
      assert.equal(result.route?.ingress?.name, 'main', 'the route stays the main Ingress\'s location');
    });
  }
});

// ── 15. rejected Ingresses ────────────────────────────────────────────────────────────────

describe('ingress-nginx: an Ingress whose annotation fails validation is left out', () => {
  // Sources: annotations.go `Extractor.Extract` (a parser's validation error fails the Ingress,
  // "ingress contains invalid annotation value"), redirect.go (permanent-redirect is validated with
  // URLIsValidRegex: no `$`), issue kubernetes/ingress-nginx#12709; store.go `syncIngress` drops it.
  const ws = nginxWorkspace({
    'site.yaml': ingress([['/', 'Prefix']], { name: 'site' }),
    'moved.yaml': ingress([['/old', 'Prefix']], { name: 'moved', services: ['svc-1'], annotations: nginx({ 'permanent-redirect': 'https://new.example$request_uri' }) }),
  });

  test('its paths do not exist: /old/x goes to the other Ingress\'s `/`, and a note says why', () => {
    const result = trace(ws, 'http://docs.example/old/x');
    assert.equal(result.found, true);
    assert.equal(result.status, undefined);
    assert.equal(result.route?.redirect, undefined);
    assert.deepEqual(ruleOf(result), { host: 'docs.example', path: '/', pathType: 'Prefix' });
    assert.deepEqual(split(result), ['svc-0:100']);
    assert.match(notes(result), /ingress-nginx ignores Ingress `moved`: an annotation fails its validation \(nginx.ingress.kubernetes.io\/permanent-redirect: fails URLIsValidRegex/);
  });

  test('an Ingress with configuration-snippet is traced with a note: snippets are off by default since v1.9', () => {
    // Sources: ingress-nginx v1.9.0 changelog (allow-snippet-annotations defaults to "false"); the
    // admission webhook denies such an Ingress, a controller without it drops the snippet
    // (store.go dropSnippetDirectives); v1.12 adds annotations-risk-level (default High, snippets
    // are Critical). Whether the ConfigMap allows snippets is not in the Ingress: trace on, say so.
    const ws = nginxWorkspace({
      'site.yaml': ingress([['/', 'Prefix']], { name: 'site' }),
      'snippet.yaml': ingress([['/b', 'Prefix']], { name: 'snippet', services: ['svc-1'], annotations: nginx({ 'configuration-snippet': 'more_set_headers "X-A: b";' }) }),
    });
    const served = trace(ws, 'http://docs.example/b/1');
    assert.deepEqual(ruleOf(served), { host: 'docs.example', path: '/b', pathType: 'Prefix' });
    assert.match(notes(served), /Ingress `snippet` uses `configuration-snippet`: ingress-nginx v1.9 and later disable snippet annotations unless the controller's ConfigMap sets `allow-snippet-annotations: "true"`/);
    assert.doesNotMatch(notes(trace(ws, 'http://docs.example/a')), /snippet/);
  });

  test('control: a valid permanent-redirect answers 301 from that Ingress', () => {
    const valid = nginxWorkspace({
      'site.yaml': ingress([['/', 'Prefix']], { name: 'site' }),
      'moved.yaml': ingress([['/old', 'Prefix']], { name: 'moved', services: ['svc-1'], annotations: nginx({ 'permanent-redirect': 'https://new.example/' }) }),
    });
    const result = trace(valid, 'http://docs.example/old/x');
    assert.equal(result.status, 301);
    assert.deepEqual(result.route?.redirect, { status: 301, location: 'https://new.example/' });
    assert.equal(result.route?.ingress?.name, 'moved');
    assert.doesNotMatch(notes(result), /ignores Ingress/);
  });
});

// ── 16. backends without endpoints ────────────────────────────────────────────────────────

describe('ingress-nginx: a matched path whose Service has no endpoints is a 503', () => {
  // Sources: ingress-nginx answers 503 when the upstream has no endpoints ("Service … does not
  // have any active Endpoint", controller.go `serviceEndpoints`); the EndpointSlice controller
  // makes endpoints only from pods the selector matches (k8s-semantics.md §1.6, §2.5).
  test('the Service does not exist: found false, 503, route.ingress set, no backends', () => {
    const ws = nginxWorkspace({ 'site.yaml': ingress([['/', 'Prefix']], { name: 'site', services: ['missing'] }) });
    const result = trace(ws, 'http://docs.example/x');
    assert.equal(result.found, false);
    assert.equal(result.status, 503);
    assert.match(result.reason ?? '', /Service `missing` does not exist in namespace `default`/);
    assert.equal(result.upstreamPath, '/x');
    assert.deepEqual(result.route, { controller: CONTROLLER, ingress: { kind: 'Ingress', namespace: 'default', name: 'site', rule: { host: 'docs.example', path: '/', pathType: 'Prefix' } }, backends: [] });
  });

  test('the Service selects no pod: found false, 503, the backend listed without workloads', () => {
    const ws = nginxWorkspace({
      'site.yaml': ingress([['/', 'Prefix']], { name: 'site', services: ['lonely'] }),
      'lonely.yaml': `apiVersion: v1
kind: Service
metadata:
  name: lonely
spec:
  selector:
    app: nobody
  ports:
    - port: 80
      targetPort: 8080
`,
    });
    const result = trace(ws, 'http://docs.example/x');
    assert.equal(result.found, false);
    assert.equal(result.status, 503);
    assert.match(result.reason ?? '', /no pod template matches app=nobody/);
    assert.deepEqual(result.route?.backends, [{ kind: 'Service', namespace: 'default', name: 'lonely', port: 80, weight: 100, targetPort: 8080, containerPort: 8080, workloads: [] }]);
  });

  test('the Ingress names a port the Service does not have: 503, the Service listed without port', () => {
    const ws = nginxWorkspace({ 'site.yaml': ingress([['/', 'Prefix']], { name: 'site' }).replace('number: 80', 'number: 81') });
    const result = trace(ws, 'http://docs.example/x');
    assert.equal(result.found, false);
    assert.equal(result.status, 503);
    assert.match(result.reason ?? '', /Service `svc-0` has no port 81; its ports: 80\/TCP/);
    assert.deepEqual(result.route?.backends, [{ kind: 'Service', namespace: 'default', name: 'svc-0', weight: 100, workloads: [] }]);
  });
});

// ── 17. hosts ─────────────────────────────────────────────────────────────────────────────

describe('ingress-nginx: which server a host reaches', () => {
  // Sources: k8s-semantics.md §3.2 (a wildcard matches exactly one extra label), controller.go
  // `createServers` (rules without host go to the catch-all server `_`; a host no server names
  // reaches `_`, whose root is the controller's default backend: 404).
  const ws = nginxWorkspace({
    'named.yaml': ingress([['/', 'Prefix']], { name: 'named' }),
    'wild.yaml': ingress([['/', 'Prefix']], { name: 'wild', host: '*.apps.example', services: ['svc-1'] }),
  });

  test('a wildcard host takes one extra label, not two', () => {
    const one = trace(ws, 'http://shop.apps.example/x');
    assert.equal(one.found, true);
    assert.equal(one.route?.ingress?.name, 'wild');
    assert.deepEqual(ruleOf(one), { host: '*.apps.example', path: '/', pathType: 'Prefix' });
    const two = trace(ws, 'http://a.shop.apps.example/x');
    assert.equal(two.found, false);
    assert.equal(two.status, 404);
    assert.equal(two.route, undefined);
    assert.match(two.reason ?? '', /no Ingress has a rule for host `a.shop.apps.example`, nor a rule without host/);
  });

  test('a rule without host catches the hosts no rule names; the named host keeps its own rules', () => {
    const withCatchAll = nginxWorkspace({
      'named.yaml': ingress([['/', 'Prefix']], { name: 'named' }),
      'any.yaml': ingress([['/', 'Prefix']], { name: 'any', host: '', services: ['svc-2'] }),
    });
    const other = trace(withCatchAll, 'http://unknown.example/x');
    assert.equal(other.found, true);
    assert.equal(other.route?.ingress?.name, 'any');
    assert.deepEqual(ruleOf(other), { host: '', path: '/', pathType: 'Prefix' });
    assert.deepEqual(split(other), ['svc-2:100']);
    assert.equal(trace(withCatchAll, 'http://docs.example/x').route?.ingress?.name, 'named');
  });
});

// ── 18. equal creationTimestamps ──────────────────────────────────────────────────────────

describe('ingress-nginx: the same host and path in two Ingresses created in the same second', () => {
  // Source: store.go `sortIngressSlice`: equal CreationTimestamp → `return in > jn` on
  // "namespace/name", so the name that sorts LAST comes first and keeps the path.
  const SAME = '2024-05-01T00:00:00Z';
  test('the Ingress whose namespace/name sorts last wins, and the note says the order was decided by name', () => {
    const ws = nginxWorkspace({
      'a.yaml': ingress([['/api', 'Prefix']], { name: 'alpha', creationTimestamp: SAME, services: ['svc-0'] }),
      'b.yaml': ingress([['/api', 'Prefix']], { name: 'beta', creationTimestamp: SAME, services: ['svc-1'] }),
    });
    const result = trace(ws, 'http://docs.example/api/x');
    assert.equal(result.route?.ingress?.name, 'beta');
    assert.deepEqual(split(result), ['svc-1:100']);
    assert.match(notes(result), /Ingress `alpha` also defines `\/api` \(Prefix\) for this host: ingress-nginx keeps Ingress `beta`, by namespace and name, and ignores it/);
  });
});
