import { strict as assert } from 'node:assert';
import { describe, test } from 'node:test';
import {
  buildServerLocations,
  normalizeRequestPath,
  runRegex,
  selectLocation,
  upstreamUri,
  type LocationChoice,
  type NginxIngressInfo,
  type NginxPathInput,
  type ServerLocations,
} from '../../server/src/core/semantics/nginxLocations';

const T0 = '2024-01-01T00:00:00Z';
const T1 = '2024-01-02T00:00:00Z';

function ing(name: string, extra: Partial<NginxIngressInfo> = {}): NginxIngressInfo {
  return { namespace: 'default', name, useRegex: false, ...extra };
}

function p(id: number, path: string, pathType: string, ingress: NginxIngressInfo, host = 'h.example'): NginxPathInput {
  return { id, host, path, pathType, ingress };
}

/** The input id that answers `path`, 'default' for a default backend, '301 <to>' for nginx's redirect. */
function served(server: ServerLocations, path: string): number | string {
  const choice = selectLocation(server, path);
  if (choice.kind === 'path') return choice.sourceId;
  if (choice.kind === 'redirect') return `301 ${choice.to}`;
  return choice.kind === 'default-backend' ? 'default' : choice.location.path;
}

function directives(server: ServerLocations): string[] {
  return server.locations.map((l) => l.directive);
}

/** The URI the backend receives for a raw request target. */
function upstream(server: ServerLocations, raw: string): string {
  const choice: LocationChoice = selectLocation(server, normalizeRequestPath(raw).path);
  const result = upstreamUri(choice.location, raw);
  return result.kind === 'proxied' ? result.uri : result.kind;
}

describe('normal mode: locations and nginx choice (fact 6)', () => {
  test('Exact → "= /p", Prefix → "/p/" plus an exact copy, ImplementationSpecific is Prefix (SetDefaultNGINXPathType)', () => {
    const server = buildServerLocations([p(1, '/exact', 'Exact', ing('a')), p(2, '/pre', 'Prefix', ing('a')), p(3, '/impl', 'ImplementationSpecific', ing('a'))]);
    assert.equal(server.mode, 'normal');
    assert.deepEqual(directives(server), ['location = "/exact"', 'location "/impl/"', 'location = "/impl"', 'location "/pre/"', 'location = "/pre"', 'location "/"']);
    assert.deepEqual(
      server.locations.filter((l) => l.extraExactCopy).map((l) => l.sourceId),
      [3, 2],
    );
    assert.equal(server.locations.find((l) => l.sourceId === 3)?.pathType, 'Prefix');
  });

  test('ImplementationSpecific is element-wise like Prefix, not a character prefix', () => {
    const server = buildServerLocations([p(1, '/foo', 'ImplementationSpecific', ing('a'))]);
    assert.equal(served(server, '/foo'), 1);
    assert.equal(served(server, '/foo/bar'), 1);
    assert.equal(served(server, '/foobar'), 'default');
  });

  test('Prefix "/" takes over the root location and gets no exact copy', () => {
    const server = buildServerLocations([p(1, '/', 'Prefix', ing('a'))]);
    assert.deepEqual(directives(server), ['location "/"']);
    assert.equal(server.root.location.sourceId, 1);
    assert.equal(served(server, '/anything'), 1);
  });

  test('an empty ImplementationSpecific path is "/"', () => {
    const server = buildServerLocations([p(1, '', 'ImplementationSpecific', ing('a'))]);
    assert.deepEqual(directives(server), ['location "/"']);
    assert.equal(served(server, '/x'), 1);
  });

  test('e2e "[PathType] prefix checks": prefix /aaa does not match /aaacccc', () => {
    const server = buildServerLocations([p(1, '/aaa', 'Prefix', ing('exact'))]);
    assert.equal(served(server, '/aaa'), 1);
    assert.equal(served(server, '/aaacccc'), 'default');
    assert.equal(served(server, '/aaa/cccc'), 1);
    assert.equal(served(server, '/aaa/'), 1);
  });

  test('e2e "[PathType] exact": exact location for /exact, prefix for /exact/suffix', () => {
    const exact = p(1, '/exact', 'Exact', ing('exact', { creationTimestamp: T0 }));
    const suffix = p(2, '/exact', 'Prefix', ing('exact-suffix', { creationTimestamp: '2024-01-01T00:00:10Z' }));
    const server = buildServerLocations([exact, suffix]);
    assert.ok(directives(server).includes('location = "/exact"'));
    assert.ok(directives(server).includes('location "/exact/"'));
    assert.equal(served(server, '/exact'), 1);
    assert.equal(served(server, '/exact/suffix'), 2);
    // The e2e then adds "duplicated-prefix" and only checks its header never shows: the duplicate
    // search stops at the Exact location (#10090), so nginx would get a second "/exact/" and refuse it.
    const duplicated = buildServerLocations([exact, suffix, p(3, '/exact', 'Prefix', ing('duplicated-prefix', { creationTimestamp: '2024-01-01T00:00:20Z' }))]);
    assert.deepEqual(duplicated.duplicates, [{ directive: 'location "/exact/"', sourceIds: [2, 3], fatal: true }]);
    assert.equal(served(duplicated, '/exact/suffix'), 2);
  });

  test('e2e "[PathType] mix Exact and Prefix paths": the correct location for each request', () => {
    const server = buildServerLocations([
      p(1, '/', 'Exact', ing('exact-root', { creationTimestamp: T0 })),
      p(2, '/', 'Prefix', ing('prefix-root', { creationTimestamp: '2024-01-01T00:00:01Z' })),
      p(3, '/foo', 'Exact', ing('exact-foo', { creationTimestamp: '2024-01-01T00:00:02Z' })),
      p(4, '/foo', 'Prefix', ing('prefix-foo', { creationTimestamp: '2024-01-01T00:00:03Z' })),
    ]);
    for (const d of ['location = "/"', 'location "/"', 'location = "/foo"', 'location "/foo/"']) assert.ok(directives(server).includes(d), d);
    assert.equal(served(server, '/'), 1);
    assert.equal(served(server, '/bar'), 2);
    assert.equal(served(server, '/foo'), 3);
    assert.equal(served(server, '/foo/bar'), 4);
    assert.equal(served(server, '/foobar'), 2);
  });

  test('exact first, then the longest prefix; matching is case-sensitive', () => {
    const server = buildServerLocations([p(1, '/a', 'Prefix', ing('x')), p(2, '/a/b', 'Prefix', ing('x')), p(3, '/a/b/c', 'Exact', ing('x'))]);
    assert.equal(served(server, '/a/b/c'), 3);
    assert.equal(served(server, '/a/b/c/d'), 2);
    assert.equal(served(server, '/a/bc'), 1);
    assert.equal(served(server, '/A/b'), 'default');
  });
});

describe('fact 1: Exact and Prefix on the same path in regex mode', () => {
  const regexOther = p(9, '/other.*', 'ImplementationSpecific', ing('r', { useRegex: true, creationTimestamp: T0 }));

  test('the Prefix is written as ^/foo/ without an exact copy, so /foo reaches the Exact backend', () => {
    const server = buildServerLocations([p(1, '/foo', 'Prefix', ing('prefix', { creationTimestamp: T0 })), p(2, '/foo', 'Exact', ing('exact', { creationTimestamp: T1 })), regexOther]);
    assert.equal(server.mode, 'regex');
    assert.deepEqual(
      server.locations.filter((l) => l.ingressPath === '/foo').map((l) => [l.directive, l.sourceId, l.extraExactCopy]),
      [
        ['location ~* "^/foo/"', 1, false],
        ['location ~* "^/foo"', 2, false],
      ],
    );
    assert.equal(served(server, '/foo'), 2);
    assert.equal(served(server, '/foo/x'), 1);
  });

  test('when the Exact Ingress sorts first, its ^/foo also wins /foo/x (sorted before normalisation)', () => {
    const server = buildServerLocations([p(2, '/foo', 'Exact', ing('exact', { creationTimestamp: T0 })), p(1, '/foo', 'Prefix', ing('prefix', { creationTimestamp: T1 })), regexOther]);
    assert.equal(served(server, '/foo'), 2);
    assert.equal(served(server, '/foo/x'), 2);
    const unknownOrder = buildServerLocations([p(2, '/foo', 'Exact', ing('exact')), p(1, '/foo', 'Prefix', ing('prefix')), regexOther]);
    assert.equal(selectLocation(unknownOrder, '/foo/x').orderDependent, true);
  });

  test('without an Exact /foo the Prefix gets its exact copy ^/foo and keeps /foo', () => {
    const server = buildServerLocations([p(1, '/foo', 'Prefix', ing('prefix')), regexOther]);
    assert.deepEqual(
      server.locations.filter((l) => l.sourceId === 1).map((l) => [l.directive, l.extraExactCopy]),
      [
        ['location ~* "^/foo/"', false],
        ['location ~* "^/foo"', true],
      ],
    );
    assert.equal(served(server, '/foo'), 1);
  });
});

describe('fact 2: the root location of a server', () => {
  test('a path miss on a named host goes to the controller default backend', () => {
    const server = buildServerLocations([p(1, '/api', 'Prefix', ing('a'))]);
    const choice = selectLocation(server, '/nothing');
    assert.equal(choice.kind, 'default-backend');
    assert.equal(choice.location.role, 'controller-default-backend');
  });

  test("the first Ingress of the host (sortIngressSlice) owns the root: its spec.defaultBackend answers misses", () => {
    const withBackend = ing('own', { hasDefaultBackend: true, creationTimestamp: T0 });
    const server = buildServerLocations([p(1, '/api', 'Prefix', withBackend), p(2, '/web', 'Prefix', ing('later', { creationTimestamp: T1 }))]);
    const choice = selectLocation(server, '/nothing');
    assert.equal(choice.kind === 'default-backend' && choice.defaultBackendOf, 'default/own');
    assert.equal(server.root.decidedBy, 'creationTimestamp');
  });

  test('a newer Ingress with spec.defaultBackend does not change the root', () => {
    const server = buildServerLocations([p(1, '/api', 'Prefix', ing('first', { creationTimestamp: T0 })), p(2, '/web', 'Prefix', ing('newer', { hasDefaultBackend: true, creationTimestamp: T1 }))]);
    assert.equal(server.root.location.role, 'controller-default-backend');
    assert.equal(server.root.contested, false);
  });

  test('an Ingress with an http-less rule for the host still owns the root when it is first', () => {
    const owner = ing('hostonly', { hasDefaultBackend: true, creationTimestamp: T0 });
    const server = buildServerLocations([p(1, '/api', 'Prefix', ing('paths', { creationTimestamp: T1 }))], { hostIngresses: [owner] });
    assert.equal(server.root.location.defaultBackendOf, 'default/hostonly');
  });

  test('without timestamps the owner is unknown and the miss answer is flagged when a rival differs', () => {
    const server = buildServerLocations([p(1, '/api', 'Prefix', ing('a')), p(2, '/web', 'Prefix', ing('b', { hasDefaultBackend: true }))]);
    assert.equal(server.root.decidedBy, 'unknown');
    assert.equal(selectLocation(server, '/x').orderDependent, true);
  });

  test('a rule-less Ingress with only spec.defaultBackend configures the catch-all server, not named hosts', () => {
    const catchAll = ing('catch-all', { hasDefaultBackend: true });
    const underscore = buildServerLocations([], { host: '', ruleLessDefaultBackends: [catchAll] });
    assert.equal(underscore.root.location.role, 'ingress-default-backend');
    assert.equal(underscore.root.location.defaultBackendOf, 'default/catch-all');
    const named = buildServerLocations([p(1, '/api', 'Prefix', ing('a'))]);
    assert.equal(named.root.location.role, 'controller-default-backend');
  });

  test('catch-all: a host-less "/" Prefix path loses to the rule-less default backend (set before any path)', () => {
    const server = buildServerLocations([p(1, '/', 'Prefix', ing('hostless'), '')], { ruleLessDefaultBackends: [ing('catch-all', { hasDefaultBackend: true })] });
    assert.deepEqual(server.shadowed, [{ id: 1, keptByDefaultBackendOf: 'default/catch-all', decidedBy: 'server-setup' }]);
    assert.equal(served(server, '/x'), 'default');
  });

  test('catch-all: the controller answers /healthz itself', () => {
    const server = buildServerLocations([p(1, '/api', 'Prefix', ing('a'), '')]);
    assert.equal(selectLocation(server, '/healthz').kind, 'controller-internal');
    assert.equal(served(server, '/api/x'), 1);
    assert.equal(selectLocation(buildServerLocations([p(1, '/api', 'Prefix', ing('a'))]), '/healthz').kind, 'default-backend');
  });
});

describe('fact 3: Prefix /app/ next to ImplementationSpecific /app', () => {
  test('regex mode: the Prefix location never matches /app', () => {
    const server = buildServerLocations([p(1, '/app/', 'Prefix', ing('prefix')), p(2, '/app', 'ImplementationSpecific', ing('impl', { useRegex: true }))]);
    assert.equal(served(server, '/app'), 2);
    assert.equal(served(server, '/app/x'), 1);
    assert.equal(served(server, '/apple'), 2);
  });

  test('normal mode: both normalise to location "/app/" and nginx rejects the duplicate', () => {
    const server = buildServerLocations([p(1, '/app/', 'Prefix', ing('prefix')), p(2, '/app', 'ImplementationSpecific', ing('impl'))]);
    assert.deepEqual(server.duplicates, [{ directive: 'location "/app/"', sourceIds: [1, 2], fatal: true }]);
    assert.equal(server.nginxRejects, true);
  });

  test('normal mode, Prefix /app/ alone: /app gets nginx\'s 301 to /app/, unless a "= /app" exists', () => {
    const alone = buildServerLocations([p(1, '/app/', 'Prefix', ing('prefix'))]);
    assert.equal(served(alone, '/app'), '301 /app/');
    assert.equal(served(alone, '/app/'), 1);
    const withExact = buildServerLocations([p(1, '/app/', 'Prefix', ing('prefix')), p(2, '/app', 'Exact', ing('exact'))]);
    assert.equal(served(withExact, '/app'), 2);
  });
});

describe('fact 4: the same host, path and pathType in two Ingresses', () => {
  test('the oldest creationTimestamp wins', () => {
    const server = buildServerLocations([p(1, '/api', 'Prefix', ing('newer', { creationTimestamp: T1 })), p(2, '/api', 'Prefix', ing('older', { creationTimestamp: T0 }))]);
    assert.deepEqual(server.shadowed, [{ id: 1, keptId: 2, decidedBy: 'creationTimestamp' }]);
    assert.equal(served(server, '/api/x'), 2);
  });

  test('equal timestamps: namespace/name in descending order wins (sortIngressSlice "in > jn")', () => {
    const server = buildServerLocations([p(1, '/api', 'Prefix', ing('alpha', { creationTimestamp: T0 })), p(2, '/api', 'Prefix', ing('beta', { creationTimestamp: T0 }))]);
    assert.deepEqual(server.shadowed, [{ id: 1, keptId: 2, decidedBy: 'name' }]);
  });

  test('ImplementationSpecific and Prefix are the same type for this check', () => {
    const server = buildServerLocations([p(1, '/api', 'Prefix', ing('a', { creationTimestamp: T0 })), p(2, '/api', 'ImplementationSpecific', ing('b', { creationTimestamp: T1 }))]);
    assert.deepEqual(server.shadowed, [{ id: 2, keptId: 1, decidedBy: 'creationTimestamp' }]);
  });

  test('without timestamps the winner cannot be known', () => {
    const server = buildServerLocations([p(1, '/api', 'Prefix', ing('a')), p(2, '/api', 'Prefix', ing('b'))]);
    assert.equal(server.shadowed[0].decidedBy, 'unknown');
    assert.equal(server.orderKnown, false);
    assert.equal(selectLocation(server, '/api').orderDependent, true);
  });

  test('different pathTypes on the same path are both kept', () => {
    const server = buildServerLocations([p(1, '/api', 'Prefix', ing('a')), p(2, '/api', 'Exact', ing('b'))]);
    assert.deepEqual(server.shadowed, []);
  });

  test('the duplicate search stops at the first same-path location (#10090): Exact, Prefix, Prefix → duplicate "/a/"', () => {
    const server = buildServerLocations([
      p(1, '/a', 'Exact', ing('x', { creationTimestamp: T0 })),
      p(2, '/a', 'Prefix', ing('y', { creationTimestamp: '2024-01-01T00:00:01Z' })),
      p(3, '/a', 'Prefix', ing('z', { creationTimestamp: '2024-01-01T00:00:02Z' })),
    ]);
    assert.deepEqual(server.shadowed, []);
    assert.deepEqual(server.duplicates, [{ directive: 'location "/a/"', sourceIds: [2, 3], fatal: true }]);
  });
});

describe('fact 5: regex mode', () => {
  test('use-regex on one Ingress makes every location of the host a case-insensitive ^ regex', () => {
    const server = buildServerLocations([p(1, '/exact', 'Exact', ing('plain')), p(2, '/api/v[0-9]+', 'ImplementationSpecific', ing('re', { useRegex: true }))]);
    assert.equal(server.mode, 'regex');
    assert.deepEqual(server.regexCause, { id: 2, ingress: 'default/re', why: 'use-regex', templated: false });
    assert.ok(server.locations.every((l) => l.modifier === '~*'));
    assert.equal(served(server, '/exact/more'), 1);
    assert.equal(served(server, '/EXACT'), 1);
    assert.equal(served(server, '/api/v2/x'), 2);
  });

  test('a rewrite-target that differs from the path switches the host; one equal to the path does not', () => {
    const rewriting = buildServerLocations([p(1, '/a', 'Prefix', ing('plain')), p(2, '/b', 'Prefix', ing('rw', { rewriteTarget: { value: '/' } }))]);
    assert.equal(rewriting.regexCause?.why, 'rewrite-target');
    const equal = buildServerLocations([p(1, '/', 'Prefix', ing('same', { rewriteTarget: { value: '/' } }))]);
    assert.equal(equal.mode, 'normal');
  });

  test("the root location carries the first Ingress's rewrite-target, so a target equal to an Exact path still switches the host", () => {
    const server = buildServerLocations([p(1, '/foo', 'Exact', ing('a', { rewriteTarget: { value: '/foo' } }))]);
    assert.equal(server.mode, 'regex');
    assert.deepEqual(server.regexCause, { id: undefined, ingress: 'default/a', why: 'rewrite-target', templated: false });
    assert.equal(server.root.location.rewrite?.directive, 'rewrite "(?i)/" /foo break;');
    assert.equal(server.locations[0].rewrite, undefined);
  });

  test('a Prefix path equal to its rewrite-target is normalised to /p/ first, which then differs and rewrites', () => {
    const server = buildServerLocations([p(1, '/foo', 'Prefix', ing('a', { rewriteTarget: { value: '/foo' } }))]);
    assert.deepEqual(server.regexCause, { id: 1, ingress: 'default/a', why: 'rewrite-target', templated: false });
    assert.equal(server.locations[0].rewrite?.directive, 'rewrite "(?i)/foo/" /foo break;');
    assert.equal(upstream(server, '/foo/bar'), '/foo');
    assert.equal(upstream(server, '/foo'), '/foo');
  });

  test('a templated rewrite-target is assumed to differ', () => {
    const server = buildServerLocations([p(1, '/foo', 'Prefix', ing('a', { rewriteTarget: { templated: true } }))]);
    assert.equal(server.regexCause?.templated, true);
  });

  test('order: descending length, equal lengths in reverse lexical order; the first matching regex wins', () => {
    const server = buildServerLocations([p(1, '/a', 'ImplementationSpecific', ing('r', { useRegex: true })), p(2, '/ccc', 'ImplementationSpecific', ing('r', { useRegex: true })), p(3, '/b', 'ImplementationSpecific', ing('r', { useRegex: true }))]);
    assert.deepEqual(directives(server), ['location ~* "^/ccc"', 'location ~* "^/b"', 'location ~* "^/a"', 'location ~* "^/"']);
  });

  test('^ binds to the first alternative only, as in PCRE', () => {
    const server = buildServerLocations([p(1, '/foo|/bar', 'ImplementationSpecific', ing('r', { useRegex: true }))]);
    assert.equal(served(server, '/x/bar'), 1);
    assert.equal(served(server, '/x/baz'), 'default');
  });

  test('docs "Path Priority": /foo/bar/1 → service3, /foo/bar/ → service2, /foo/bar → service1', () => {
    const server = buildServerLocations([
      p(1, '/foo/bar', 'Prefix', ing('test-ingress-1')),
      p(2, '/foo/bar/', 'Prefix', ing('test-ingress-1')),
      p(3, '/foo/bar/(.+)', 'ImplementationSpecific', ing('test-ingress-2', { rewriteTarget: { value: '/$1' } })),
    ]);
    assert.equal(server.locations[0].directive, 'location ~* "^/foo/bar/(.+)"');
    assert.equal(served(server, '/foo/bar/1'), 3);
    assert.equal(served(server, '/foo/bar/'), 2);
    assert.equal(served(server, '/foo/bar'), 1);
  });

  test('docs "Warning" and e2e "should fail to use longest match for documented warning"', () => {
    const docs = buildServerLocations([p(1, '/foo/bar/bar', 'ImplementationSpecific', ing('t3', { useRegex: true })), p(2, '/foo/bar/[A-Z0-9]{3}', 'ImplementationSpecific', ing('t3', { useRegex: true }))]);
    assert.deepEqual(directives(docs).slice(0, 2), ['location ~* "^/foo/bar/[A-Z0-9]{3}"', 'location ~* "^/foo/bar/bar"']);
    assert.equal(served(docs, '/foo/bar/bar'), 2);
    const e2e = buildServerLocations([p(1, '/foo/bar/bar', 'Prefix', ing('foo')), p(2, '/foo/bar/[a-z]{3}', 'Prefix', ing('regex', { useRegex: true, rewriteTarget: { value: '/new/backend' } }))]);
    assert.equal(upstream(e2e, '/foo/bar/bar'), '/new/backend');
  });

  test('e2e "should use ~* location modifier if regex annotation is present"', () => {
    const server = buildServerLocations([p(1, '/foo', 'Prefix', ing('foo', { creationTimestamp: T0 })), p(2, '/foo.+', 'Prefix', ing('regex', { creationTimestamp: T1, useRegex: true, rewriteTarget: { value: '/new/backend' } }))]);
    assert.ok(directives(server).includes('location ~* "^/foo"'));
    assert.ok(directives(server).includes('location ~* "^/foo.+"'));
    assert.equal(upstream(server, '/foo'), '/foo');
    assert.equal(upstream(server, '/foo/bar'), '/new/backend');
    assert.equal(buildServerLocations([p(1, '/foo', 'Prefix', ing('foo'))]).locations[0].directive, 'location "/foo/"');
  });

  test('e2e "should use correct longest path match": a rewrite on "/" does not steal the longer path', () => {
    const server = buildServerLocations([
      p(1, '/.well-known/acme/challenge', 'Prefix', ing('kube-lego', { creationTimestamp: T0 })),
      p(2, '/', 'Prefix', ing('rewrite-index', { creationTimestamp: T1, rewriteTarget: { value: '/new/backend' } })),
    ]);
    assert.ok(directives(server).includes('location ~* "^/"'));
    assert.ok(directives(server).includes('location ~* "^/.well-known/acme/challenge"'));
    assert.equal(upstream(server, '/.well-known/acme/challenge'), '/.well-known/acme/challenge');
    assert.equal(upstream(server, '/index.html'), '/new/backend');
  });

  test('two identical regex locations (#7231) are not fatal; the first wins', () => {
    const server = buildServerLocations([p(1, '/finance/', 'Prefix', ing('a', { creationTimestamp: T0 })), p(2, '/x.*', 'ImplementationSpecific', ing('b', { useRegex: true }))]);
    assert.equal(directives(server).filter((d) => d === 'location ~* "^/finance/"').length, 2);
    assert.equal(server.nginxRejects, false);
    assert.equal(served(server, '/finance/q'), 1);
    assert.equal(served(server, '/finance'), 'default');
  });
});

describe('fact 7: rewrite and what the backend receives', () => {
  const docsTable = buildServerLocations([p(1, '/something(/|$)(.*)', 'ImplementationSpecific', ing('rewrite', { useRegex: true, rewriteTarget: { value: '/$2' } }), 'rewrite.bar.com')]);

  test('docs/examples/rewrite table: /something(/|$)(.*) with /$2', () => {
    assert.equal(docsTable.locations[0].rewrite?.directive, 'rewrite "(?i)/something(/|$)(.*)" /$2 break;');
    assert.equal(upstream(docsTable, '/something'), '/');
    assert.equal(upstream(docsTable, '/something/'), '/');
    assert.equal(upstream(docsTable, '/something/new'), '/new');
    assert.equal(upstream(docsTable, '/SOMETHING/new'), '/new');
    assert.equal(served(docsTable, '/somethingelse'), 'default');
  });

  test('the older example /something/?(.*) with /$1', () => {
    const server = buildServerLocations([p(1, '/something/?(.*)', 'ImplementationSpecific', ing('rewrite', { rewriteTarget: { value: '/$1' } }))]);
    assert.equal(upstream(server, '/something'), '/');
    assert.equal(upstream(server, '/something/'), '/');
    assert.equal(upstream(server, '/something/new'), '/new');
  });

  test('the query string is appended to the rewritten URI', () => {
    assert.equal(upstream(docsTable, '/something/new?a=1&b=2'), '/new?a=1&b=2');
  });

  test('e2e "should allow for custom rewrite parameters" and "should write rewrite logs"', () => {
    const custom = buildServerLocations([p(1, '/foo/bar/(.+)', 'ImplementationSpecific', ing('regex', { useRegex: true, rewriteTarget: { value: '/new/backend/$1' } }))]);
    assert.equal(upstream(custom, '/foo/bar/bar'), '/new/backend/bar');
    const logs = buildServerLocations([p(1, '/something', 'Prefix', ing('rw', { rewriteTarget: { value: '/' } }))]);
    assert.equal(upstream(logs, '/something'), '/');
  });

  test('a target without groups replaces the whole URI: /foo with "/" sends every /foo… request to "/"', () => {
    const server = buildServerLocations([p(1, '/foo', 'Prefix', ing('rw', { rewriteTarget: { value: '/' } }))]);
    assert.equal(upstream(server, '/foo/bar/baz'), '/');
    assert.equal(upstream(server, '/foobar'), '/');
  });

  test('without a rewrite the backend gets the request URI exactly as sent', () => {
    const server = buildServerLocations([p(1, '/api', 'Prefix', ing('a'))]);
    assert.equal(upstream(server, '/api/users'), '/api/users');
    assert.equal(upstream(server, '/api//x/../y?q=%41'), '/api//x/../y?q=%41');
  });

  test('a rewritten URI is the decoded path re-escaped with NGX_ESCAPE_URI', () => {
    assert.equal(upstream(docsTable, '/something/a%20b'), '/a%20b');
    assert.equal(upstream(docsTable, '/something/a%2Fb'), '/a/b');
    assert.equal(upstream(docsTable, '/something/x/../caf%C3%A9'), '/caf%C3%A9');
  });

  test('templated targets, nginx variables, absolute URLs and bad requests', () => {
    const templated = buildServerLocations([p(1, '/a', 'Prefix', ing('t', { rewriteTarget: { templated: true } }))]);
    assert.deepEqual(upstreamUri(templated.locations[0], '/a/x'), { kind: 'unknown', why: 'templated-rewrite-target' });
    const variable = buildServerLocations([p(1, '/a', 'Prefix', ing('v', { rewriteTarget: { value: '/$host/x' } }))]);
    assert.deepEqual(upstreamUri(selectLocation(variable, '/a').location, '/a'), { kind: 'unknown', why: 'nginx-variable' });
    const absolute = buildServerLocations([p(1, '/a(.*)', 'ImplementationSpecific', ing('abs', { rewriteTarget: { value: 'https://example.com$1' } }))]);
    assert.deepEqual(upstreamUri(selectLocation(absolute, '/a/b').location, '/a/b?x=1'), { kind: 'redirect', status: 302, location: 'https://example.com/b?x=1' });
    assert.equal(upstreamUri(docsTable.locations[0], '/something/%zz').kind, 'bad-request');
  });

  test('a rewrite-target equal to the path rewrites nothing', () => {
    const server = buildServerLocations([p(1, '/', 'Prefix', ing('same', { rewriteTarget: { value: '/' } }))]);
    assert.equal(server.locations[0].rewrite, undefined);
    assert.equal(upstream(server, '/x?y=1'), '/x?y=1');
  });
});

describe('fact 8: normalizeRequestPath (ngx_http_parse_complex_uri)', () => {
  const cases: [string, string, boolean][] = [
    ['/abc/../dfc/index.html', '/dfc/index.html', true],
    ['/%61bc/x', '/abc/x', true],
    ['//abc/x', '/abc/x', true],
    ['/a/./b', '/a/b', true],
    ['/a%2Fb', '/a/b', true],
    ['/a%2F%2Fb', '/a/b', true],
    ['/a/%2e%2e/b', '/b', true],
    ['/a/b/..', '/a/', true],
    ['/a/.', '/a/', true],
    ['/%25', '/%', true],
    ['/caf%C3%A9', '/café', true],
    ['/plain/path', '/plain/path', false],
  ];
  for (const [raw, path, changed] of cases) {
    test(`${raw} → ${path}`, () => {
      assert.deepEqual(normalizeRequestPath(raw), { path, args: undefined, changed });
    });
  }

  test('a decoded ? is part of the path; the query string stays raw and stops at #', () => {
    assert.deepEqual(normalizeRequestPath('/a%3Fb?x=%41#frag'), { path: '/a?b', args: 'x=%41', changed: true });
    assert.deepEqual(normalizeRequestPath('/a/..?q'), { path: '/', args: 'q', changed: true });
  });

  test('400 Bad Request: .. above the root, bad escapes, %00, spaces, no leading slash', () => {
    for (const raw of ['/..', '/../x', '//..', '/a/../..', '/%zz', '/%2', '/%00', '/a b', 'a/b']) {
      assert.ok(normalizeRequestPath(raw).error, raw);
    }
    assert.equal(normalizeRequestPath('/a/..').error, undefined);
  });
});

describe('runRegex', () => {
  test('caseless with (?i), unset groups are empty, (?P<name>) is accepted, invalid patterns are reported', () => {
    assert.deepEqual(runRegex('(?i)^/A(x)?', '/a'), { kind: 'match', groups: [''] });
    assert.equal(runRegex('^/A', '/a').kind, 'no-match');
    assert.deepEqual(runRegex('(?P<id>[0-9]+)', '/u/42'), { kind: 'match', groups: ['42'] });
    assert.equal(runRegex('(', '/').kind, 'invalid');
  });
});
