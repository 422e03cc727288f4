import { describe, test } from 'node:test';
import { strict as assert } from 'node:assert';
import {
  ann,
  backendProtocol,
  canaryDecision,
  canaryMergeable,
  certificateConfiguredFor,
  controllerRedirect,
  fromToWwwRedirect,
  goAtoi,
  goParseBool,
  ingressAnnotationStatus,
  parseCanaryAnnotations,
  parseRedirectAnnotations,
  parseRewriteAnnotations,
  sslPassthrough,
  sslPassthroughVerdict,
  upstreamHost,
  type Annotations,
  type NginxRequest,
} from '../../server/src/core/semantics/nginxAnnotations';

function req(over: Partial<NginxRequest> & { target?: string } = {}): NginxRequest {
  const target = over.target ?? over.rawTarget ?? '/';
  const path = over.path ?? target.split('?')[0];
  return {
    scheme: over.scheme ?? 'http',
    host: over.host ?? 'foo.bar.com',
    path,
    rawTarget: over.rawTarget ?? target,
    headers: over.headers ?? {},
    cookies: over.cookies ?? {},
  };
}

function a(short: Record<string, string>): Annotations {
  return Object.fromEntries(Object.entries(short).map(([k, v]) => [ann(k), v]));
}

describe('Go value parsing', () => {
  test('strconv.ParseBool accepts exactly Go spellings', () => {
    for (const t of ['1', 't', 'T', 'true', 'TRUE', 'True']) assert.equal(goParseBool(t), true, t);
    for (const f of ['0', 'f', 'F', 'false', 'FALSE', 'False']) assert.equal(goParseBool(f), false, f);
    for (const bad of ['yes', 'on', ' true', 'tRUE', '']) assert.equal(goParseBool(bad), undefined, bad);
  });
  test('strconv.Atoi', () => {
    assert.equal(goAtoi('308'), 308);
    assert.equal(goAtoi('-5'), -5);
    assert.equal(goAtoi(' 308'), undefined);
    assert.equal(goAtoi('30.8'), undefined);
  });
});

describe('app-root', () => {
  test('e2e approot.go: / redirects 302 to $scheme://$http_host/foo', () => {
    const r = controllerRedirect(a({ 'app-root': '/foo' }), req({ host: 'approot.bar.com' }), false);
    assert.deepEqual([r?.status, r?.location, r?.annotation], [302, 'http://approot.bar.com/foo', ann('app-root')]);
  });
  test('only when $uri is exactly "/" (query dropped, port of Host kept)', () => {
    const anns = a({ 'app-root': '/app1' });
    assert.equal(controllerRedirect(anns, req({ target: '/index.html' }), false), undefined);
    const r = controllerRedirect(anns, req({ target: '/?x=1', headers: { host: 'foo.bar.com:8080' } }), false);
    assert.equal(r?.location, 'http://foo.bar.com:8080/app1');
  });
  test('uses the request scheme', () => {
    assert.equal(controllerRedirect(a({ 'app-root': '/app1' }), req({ scheme: 'https' }), true)?.location, 'https://foo.bar.com/app1');
  });
  test('an absolute URL or a relative path is ignored, the Ingress stays', () => {
    for (const bad of ['http://other.example/app', 'app1']) {
      const anns = a({ 'app-root': bad });
      assert.equal(parseRewriteAnnotations(anns).appRoot, '', bad);
      assert.equal(controllerRedirect(anns, req(), false), undefined, bad);
      const st = ingressAnnotationStatus(anns);
      assert.equal(st.rejected, false);
      assert.equal(st.problems[0]?.effect, 'ignored');
    }
  });
  test('a value failing RegexPathWithCapture is ignored', () => {
    assert.equal(parseRewriteAnnotations(a({ 'app-root': '/a b' })).appRoot, '');
    assert.equal(parseRewriteAnnotations(a({ 'app-root': '/a#b' })).appRoot, '');
    assert.equal(parseRewriteAnnotations(a({ 'app-root': '/a#b' }), { annotationValidation: false }).appRoot, '/a#b');
  });
  test('beats force-ssl-redirect and ssl-redirect (issues #3235, #6340)', () => {
    const r = controllerRedirect(a({ 'app-root': '/_plugin/kibana', 'force-ssl-redirect': 'true' }), req(), true);
    assert.deepEqual([r?.status, r?.location], [302, 'http://foo.bar.com/_plugin/kibana']);
  });
  test('is server-level: an app-root on another Ingress of the host answers "/"', () => {
    const other = a({ 'app-root': '/dashboard' });
    const r = controllerRedirect({}, req(), false, { hostAnnotations: [{}, other] });
    assert.equal(r?.location, 'http://foo.bar.com/dashboard');
    assert.equal(controllerRedirect({}, req(), false, { hostAnnotations: [{}] }), undefined);
  });
});

describe('ssl-redirect and force-ssl-redirect', () => {
  test('http request on a host with a certificate: 308 to https, host without port', () => {
    const r = controllerRedirect({}, req({ target: '/foo', headers: { host: 'foo.bar.com:80' } }), true);
    assert.deepEqual([r?.status, r?.location, r?.annotation], [308, 'https://foo.bar.com/foo', ann('ssl-redirect')]);
  });
  test('one trailing slash of $request_uri is cut unless preserve-trailing-slash', () => {
    assert.equal(controllerRedirect({}, req({ target: '/foo/' }), true)?.location, 'https://foo.bar.com/foo');
    assert.equal(controllerRedirect({}, req({ target: '/' }), true)?.location, 'https://foo.bar.com');
    assert.equal(controllerRedirect({}, req({ target: '/a/?x=1' }), true)?.location, 'https://foo.bar.com/a/?x=1');
    assert.equal(controllerRedirect(a({ 'preserve-trailing-slash': 'true' }), req({ target: '/foo/' }), true)?.location, 'https://foo.bar.com/foo/');
  });
  test('no certificate, https request, or ssl-redirect "false": no redirect', () => {
    assert.equal(controllerRedirect({}, req(), false), undefined);
    assert.equal(controllerRedirect({}, req({ scheme: 'https' }), true), undefined);
    assert.equal(controllerRedirect(a({ 'ssl-redirect': 'false' }), req(), true), undefined);
    assert.equal(controllerRedirect({}, req(), true, { config: { sslRedirect: false } }), undefined);
  });
  test('force-ssl-redirect redirects without a certificate', () => {
    const r = controllerRedirect(a({ 'force-ssl-redirect': 'true' }), req({ target: '/x' }), false);
    assert.deepEqual([r?.status, r?.location, r?.annotation], [308, 'https://foo.bar.com/x', ann('force-ssl-redirect')]);
    assert.equal(controllerRedirect(a({ 'force-ssl-redirect': 'true' }), req({ scheme: 'https' }), false), undefined);
  });
  test('an invalid boolean falls back to the ConfigMap default (true)', () => {
    const anns = a({ 'ssl-redirect': 'no' });
    assert.equal(controllerRedirect(anns, req({ target: '/x' }), true)?.status, 308);
    assert.equal(ingressAnnotationStatus(anns).rejected, false);
  });
  test('http-redirect-code and use-port-in-redirects', () => {
    assert.equal(controllerRedirect({}, req(), true, { config: { httpRedirectCode: 301 } })?.status, 301);
    assert.equal(controllerRedirect(a({ 'use-port-in-redirects': 'true' }), req({ target: '/x' }), true)?.location, 'https://foo.bar.com:443/x');
  });
  test('use-forwarded-headers trusts X-Forwarded-Proto and X-Forwarded-Host', () => {
    const headers = { 'x-forwarded-proto': 'https' };
    assert.equal(controllerRedirect({}, req({ headers }), true, { config: { useForwardedHeaders: true } }), undefined);
    assert.equal(controllerRedirect({}, req({ headers }), true)?.status, 308);
    const r = controllerRedirect({}, req({ target: '/x', headers: { 'x-forwarded-host': 'public.example:8443,inner' } }), true, { config: { useForwardedHeaders: true } });
    assert.equal(r?.location, 'https://public.example/x');
  });
  test('no-tls-redirect-locations (default /.well-known/acme-challenge)', () => {
    const o = { locationPath: '/.well-known/acme-challenge/token' };
    assert.equal(controllerRedirect({}, req({ target: '/.well-known/acme-challenge/token' }), true, o), undefined);
    assert.equal(controllerRedirect(a({ 'force-ssl-redirect': 'true' }), req(), false, o), undefined);
    assert.equal(controllerRedirect({}, req(), true, { locationPath: '/' })?.status, 308);
  });
});

describe('permanent-redirect and temporal-redirect', () => {
  test('docs: permanent-redirect https://www.google.com → 301', () => {
    const r = controllerRedirect(a({ 'permanent-redirect': 'https://www.google.com' }), req({ target: '/any' }), false);
    assert.deepEqual([r?.status, r?.location, r?.annotation], [301, 'https://www.google.com', ann('permanent-redirect')]);
  });
  test('permanent-redirect-code: 308 kept, 418 → 301 (redirect_test.go)', () => {
    assert.equal(controllerRedirect(a({ 'permanent-redirect': 'http://some-site.com', 'permanent-redirect-code': '308' }), req(), false)?.status, 308);
    assert.equal(controllerRedirect(a({ 'permanent-redirect': 'http://some-site.com', 'permanent-redirect-code': '418' }), req(), false)?.status, 301);
  });
  test('temporal-redirect: 302, temporal-redirect-code 307 kept, 418 → 302 (redirect_test.go)', () => {
    const base = { 'temporal-redirect': 'http://some-site.com' };
    assert.equal(controllerRedirect(a(base), req(), false)?.status, 302);
    assert.equal(controllerRedirect(a({ ...base, 'temporal-redirect-code': '307' }), req(), false)?.status, 307);
    assert.equal(controllerRedirect(a({ ...base, 'temporal-redirect-code': '418' }), req(), false)?.status, 302);
    // Assumed upper bound 307 (StatusTemporaryRedirect); not confirmed against redirect.go.
    assert.equal(controllerRedirect(a({ ...base, 'temporal-redirect-code': '308' }), req(), false)?.status, 302);
  });
  test('temporal wins over permanent', () => {
    const r = controllerRedirect(a({ 'temporal-redirect': 'https://t.example', 'permanent-redirect': 'https://p.example' }), req(), false);
    assert.deepEqual([r?.status, r?.location], [302, 'https://t.example']);
  });
  test('a redirect URL beats ssl-redirect (location return runs before rewrite_by_lua)', () => {
    const r = controllerRedirect(a({ 'permanent-redirect': 'https://p.example', 'force-ssl-redirect': 'true' }), req(), true);
    assert.equal(r?.location, 'https://p.example');
  });
  test('a $ in the URL fails validation: the whole Ingress is rejected (issues #11175, #12709)', () => {
    const anns = a({ 'permanent-redirect': 'https://new.example$request_uri' });
    const st = ingressAnnotationStatus(anns);
    assert.equal(st.rejected, true);
    assert.equal(st.problems[0]?.annotation, ann('permanent-redirect'));
    assert.equal(controllerRedirect(anns, req(), true), undefined);
    assert.equal(parseRedirectAnnotations(anns, { annotationValidation: false }).kind, 'config');
  });
  test('a URL without http(s) scheme is dropped, not rejected (isValidURL "ok.com")', () => {
    const anns = a({ 'permanent-redirect': 'ok.com' });
    assert.equal(parseRedirectAnnotations(anns).kind, 'dropped');
    assert.equal(ingressAnnotationStatus(anns).rejected, false);
    assert.equal(controllerRedirect(anns, req(), false), undefined);
  });
  test('a non-integer code rejects the Ingress', () => {
    assert.equal(ingressAnnotationStatus(a({ 'permanent-redirect': 'https://p.example', 'permanent-redirect-code': 'abc' })).rejected, true);
  });
  test('code 300 is kept but nginx sends no Location', () => {
    const r = controllerRedirect(a({ 'permanent-redirect': 'https://p.example', 'permanent-redirect-code': '300' }), req(), false);
    assert.deepEqual([r?.status, r?.location], [300, '']);
  });
});

describe('from-to-www-redirect', () => {
  const servers = [{ host: 'example.com', ingresses: [a({ 'from-to-www-redirect': 'true' })] }];
  test('www.<host> answers 308 to the host, one trailing slash cut', () => {
    const r = fromToWwwRedirect(req({ host: 'www.example.com', target: '/a/' }), servers);
    assert.deepEqual([r?.status, r?.location], [308, 'http://example.com/a']);
    assert.equal(fromToWwwRedirect(req({ host: 'www.example.com', scheme: 'https', target: '/' }), servers)?.location, 'https://example.com');
  });
  test('the other direction', () => {
    const r = fromToWwwRedirect(req({ host: 'example.com', target: '/x' }), [{ host: 'www.example.com', ingresses: [a({ 'from-to-www-redirect': 'true' })] }]);
    assert.equal(r?.location, 'http://www.example.com/x');
  });
  test('skipped when a server for the other name exists, or without the annotation', () => {
    assert.equal(fromToWwwRedirect(req({ host: 'www.example.com' }), [...servers, { host: 'www.example.com', ingresses: [{}] }]), undefined);
    assert.equal(fromToWwwRedirect(req({ host: 'www.example.com' }), [{ host: 'example.com', ingresses: [{}] }]), undefined);
    assert.equal(fromToWwwRedirect(req({ host: 'example.com' }), servers), undefined);
  });
  test('a non-443 HTTPS port is appended', () => {
    assert.equal(fromToWwwRedirect(req({ host: 'www.example.com', target: '/x' }), servers, { httpsPort: 8443 })?.location, 'http://example.com:8443/x');
  });
});

describe('certificateConfiguredFor', () => {
  test('any Ingress of the host with a TLS section gives it a certificate', () => {
    const ings = [{ ruleHosts: ['a.example.com'], tlsEntries: 1 }, { ruleHosts: ['b.example.com'], tlsEntries: 0 }];
    assert.equal(certificateConfiguredFor('a.example.com', ings), true);
    assert.equal(certificateConfiguredFor('A.example.com:443', ings), true);
    assert.equal(certificateConfiguredFor('b.example.com', ings), false);
  });
  test('wildcard lookup and canary Ingresses', () => {
    assert.equal(certificateConfiguredFor('x.example.com', [{ ruleHosts: ['*.example.com'], tlsEntries: 1 }]), true);
    assert.equal(certificateConfiguredFor('x.y.example.com', [{ ruleHosts: ['*.example.com'], tlsEntries: 1 }]), false);
    assert.equal(certificateConfiguredFor('a.example.com', [{ ruleHosts: ['a.example.com'], tlsEntries: 1, canary: true }]), false);
  });
});

describe('canary', () => {
  const main: Annotations = {};
  const canary = (extra: Record<string, string>, id = 'canary') => ({ id, annotations: a({ canary: 'true', ...extra }) });

  test('no canary: main', () => {
    const d = canaryDecision(main, [], req());
    assert.deepEqual([d.receiver, d.decidedBy], ['main', 'none']);
    assert.deepEqual(d.weights, [{ id: 'main', weight: 100 }]);
  });
  test('by header: always / never / anything else falls to the weight', () => {
    const c = canary({ 'canary-by-header': 'X-Canary', 'canary-weight': '0' });
    assert.deepEqual(pick(canaryDecision(main, [c], req({ headers: { 'x-canary': 'always' } }))), ['canary', 'header']);
    assert.deepEqual(pick(canaryDecision(main, [c], req({ headers: { 'x-canary': 'never' } }))), ['main', 'header']);
    assert.deepEqual(pick(canaryDecision(main, [c], req({ headers: { 'x-canary': 'maybe' } }))), ['main', 'weight']);
    assert.deepEqual(pick(canaryDecision(main, [c], req({ headers: { x_canary: 'always' } }))), ['main', 'weight']);
  });
  test('canary-by-header-value: equal → canary; other value falls through (never is not special)', () => {
    const c = canary({ 'canary-by-header': 'Region', 'canary-by-header-value': 'us-east', 'canary-weight': '100' });
    assert.deepEqual(pick(canaryDecision(main, [c], req({ headers: { region: 'us-east' } }))), ['canary', 'header']);
    assert.deepEqual(pick(canaryDecision(main, [c], req({ headers: { region: 'never' } }))), ['canary', 'weight']);
  });
  test('canary-by-header-pattern (ignored when a value is set)', () => {
    const c = canary({ 'canary-by-header': 'X-Region', 'canary-by-header-pattern': 'eu-.*' });
    assert.deepEqual(pick(canaryDecision(main, [c], req({ headers: { 'x-region': 'eu-west' } }))), ['canary', 'header']);
    assert.deepEqual(pick(canaryDecision(main, [c], req({ headers: { 'x-region': 'us' } }))), ['main', 'weight']);
    const both = canary({ 'canary-by-header': 'X-Region', 'canary-by-header-value': 'x', 'canary-by-header-pattern': 'eu-.*' });
    assert.deepEqual(pick(canaryDecision(main, [both], req({ headers: { 'x-region': 'eu-west' } }))), ['main', 'weight']);
    const broken = canary({ 'canary-by-header': 'X-Region', 'canary-by-header-pattern': '(eu', 'canary-weight': '100' });
    assert.deepEqual(pick(canaryDecision(main, [broken], req({ headers: { 'x-region': 'eu' } }))), ['main', 'header']);
  });
  test('by cookie, after the header', () => {
    const c = canary({ 'canary-by-header': 'X-Canary', 'canary-by-cookie': 'canary' });
    assert.deepEqual(pick(canaryDecision(main, [c], req({ cookies: { canary: 'always' } }))), ['canary', 'cookie']);
    assert.deepEqual(pick(canaryDecision(main, [c], req({ cookies: { Canary: 'never' } }))), ['main', 'cookie']);
    assert.deepEqual(pick(canaryDecision(main, [c], req({ headers: { 'x-canary': 'never' }, cookies: { canary: 'always' } }))), ['main', 'header']);
  });
  test('weight: random split and its weights', () => {
    const d = canaryDecision(main, [canary({ 'canary-weight': '30' })], req());
    assert.equal(d.receiver, null);
    assert.equal(d.decidedBy, 'weight');
    assert.equal(d.canaryProbability, 0.3);
    assert.deepEqual(d.weights.map((w) => [w.id, Math.round(w.weight)]), [['main', 70], ['canary', 30]]);
  });
  test('weight-total counts only above 100', () => {
    assert.equal(canaryDecision(main, [canary({ 'canary-weight': '10', 'canary-weight-total': '1000' })], req()).canaryProbability, 0.01);
    assert.equal(canaryDecision(main, [canary({ 'canary-weight': '10', 'canary-weight-total': '50' })], req()).canaryProbability, 0.1);
  });
  test('weight 100 and 0 decide', () => {
    assert.deepEqual(pick(canaryDecision(main, [canary({ 'canary-weight': '100' })], req())), ['canary', 'weight']);
    assert.deepEqual(pick(canaryDecision(main, [canary({ 'canary-weight': '0' })], req())), ['main', 'weight']);
  });
  test('not a canary without canary: "true"; only the first canary counts; no endpoints → main', () => {
    const notCanary = { id: 'c', annotations: a({ 'canary-weight': '100' }) };
    assert.equal(parseCanaryAnnotations(notCanary.annotations).configuredButNotEnabled, true);
    assert.deepEqual(pick(canaryDecision(main, [notCanary], req())), ['main', 'none']);
    const d = canaryDecision(main, [canary({ 'canary-weight': '0' }, 'first'), canary({ 'canary-weight': '100' }, 'second')], req());
    assert.deepEqual([d.receiver, d.canary], ['main', 'first']);
    assert.deepEqual(pick(canaryDecision(main, [{ ...canary({ 'canary-weight': '100' }), hasEndpoints: false }], req())), ['main', 'none']);
  });
  test('an invalid header value is dropped, so always/never apply again', () => {
    const c = canary({ 'canary-by-header': 'X-Canary', 'canary-by-header-value': 'a@b' });
    assert.equal(parseCanaryAnnotations(c.annotations).headerValue, '');
    assert.deepEqual(pick(canaryDecision(main, [c], req({ headers: { 'x-canary': 'always' } }))), ['canary', 'header']);
  });
  test('mergeAlternativeBackends: same host, exact path and pathType, other backend', () => {
    const m = { host: 'h', path: '/', pathType: 'Prefix', backend: 'ns-main-80' };
    assert.equal(canaryMergeable(m, { ...m, backend: 'ns-canary-80' }).merges, true);
    assert.equal(canaryMergeable(m, { ...m, backend: 'ns-canary-80', path: '/api' }).merges, false);
    assert.equal(canaryMergeable(m, { ...m, backend: 'ns-canary-80', pathType: 'Exact' }).merges, false);
    assert.equal(canaryMergeable(m, { ...m, backend: 'ns-canary-80', host: 'other' }).merges, false);
    assert.equal(canaryMergeable(m, m).merges, false);
    assert.equal(canaryMergeable({ ...m, host: '' }, { ...m, host: '_', backend: 'x' }).merges, true);
  });
});

function pick(d: { receiver: string | null; decidedBy: string }): [string | null, string] {
  return [d.receiver, d.decidedBy];
}

describe('upstream-vhost', () => {
  test('default: Host as sent', () => {
    const h = upstreamHost({}, req({ headers: { host: 'foo.bar.com:8080' } }));
    assert.deepEqual([h.host, h.changed], ['foo.bar.com:8080', false]);
  });
  test('set: proxy_set_header Host', () => {
    const h = upstreamHost(a({ 'upstream-vhost': 'backend.internal' }), req());
    assert.deepEqual([h.host, h.changed], ['backend.internal', true]);
    assert.equal(upstreamHost(a({ 'upstream-vhost': '$service_name.$namespace.svc' }), req()).dynamic, true);
  });
  test('ignored for GRPC backends', () => {
    const h = upstreamHost(a({ 'upstream-vhost': 'backend.internal', 'backend-protocol': 'GRPC' }), req());
    assert.deepEqual([h.host, h.changed], ['foo.bar.com', false]);
  });
  test('an invalid value rejects the Ingress', () => {
    assert.equal(ingressAnnotationStatus(a({ 'upstream-vhost': 'a b' })).rejected, true);
    assert.equal(ingressAnnotationStatus(a({ 'upstream-vhost': ' backend.internal ' })).rejected, false);
    assert.equal(upstreamHost(a({ 'upstream-vhost': ' backend.internal ' }), req()).host, 'backend.internal');
  });
});

describe('backend-protocol', () => {
  test('default HTTP, case-insensitive values', () => {
    assert.equal(backendProtocol({}).protocol, 'HTTP');
    assert.equal(backendProtocol(a({ 'backend-protocol': 'https' })).protocol, 'HTTPS');
    assert.equal(backendProtocol(a({ 'backend-protocol': ' GRPC ' })).directive, 'grpc_pass grpc://');
    assert.equal(backendProtocol(a({ 'backend-protocol': 'GRPCS' })).directive, 'grpc_pass grpcs://');
    assert.equal(backendProtocol(a({ 'backend-protocol': 'FCGI' })).directive, 'fastcgi_pass ');
  });
  test('AUTO_HTTP follows the request scheme', () => {
    assert.equal(backendProtocol(a({ 'backend-protocol': 'AUTO_HTTP' }), req({ scheme: 'https' })).effectiveScheme, 'https');
  });
  test('unknown values fall back to HTTP without rejecting the Ingress', () => {
    const anns = a({ 'backend-protocol': 'AJP' });
    assert.equal(backendProtocol(anns).protocol, 'HTTP');
    assert.equal(backendProtocol(anns).problem?.effect, 'defaulted');
    assert.equal(ingressAnnotationStatus(anns).rejected, false);
  });
});

describe('ssl-passthrough', () => {
  const server = (anns: Annotations, paths = ['/']) => ({ ingresses: [{ id: 'ns/app', annotations: anns, paths }] });
  test('annotation value', () => {
    assert.equal(sslPassthrough(a({ 'ssl-passthrough': 'true' })), true);
    assert.equal(sslPassthrough(a({ 'ssl-passthrough': 'false' })), false);
    assert.equal(sslPassthrough({}), false);
    assert.equal(ingressAnnotationStatus(a({ 'ssl-passthrough': 'yes' })).rejected, true);
  });
  test('needs the flag, a TLS connection and the "/" path', () => {
    const anns = a({ 'ssl-passthrough': 'true' });
    const on = { enableSslPassthrough: true };
    assert.equal(sslPassthroughVerdict(req({ scheme: 'https' }), server(anns)).passthrough, false);
    assert.equal(sslPassthroughVerdict(req({ scheme: 'http' }), server(anns), on).passthrough, false);
    assert.equal(sslPassthroughVerdict(req({ scheme: 'https' }), server(anns, ['/api']), on).passthrough, false);
    const v = sslPassthroughVerdict(req({ scheme: 'https', target: '/api' }), server(anns), on);
    assert.deepEqual([v.passthrough, v.via], [true, 'ns/app']);
    assert.equal(sslPassthroughVerdict(req({ scheme: 'https' }), server({}), on).passthrough, false);
  });
});
