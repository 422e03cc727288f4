/**
 * The request tracer: URL → entry → IngressClass → host → path → rewrite → Service → port → pods,
 * following k8s-semantics.md §3.2–3.4 and §4.2–4.4. Fixtures are inline YAML; the path-matching
 * functions are tested on their own first.
 */
import { strict as assert } from 'node:assert';
import { describe, test } from 'node:test';
import { Workspace, buildRouteGraph, parseTraceInput, parseTraceUrl, traceRequest } from '../../server/src/core';
import type { TraceResult } from '../../server/src/core';
import { matchesCharacterPrefix, matchesExact, matchesHost, matchesPrefix, matchesRegex, pickPath, regexOrder } from '../../server/src/core/semantics/pathMatching';
import type { PathRule } from '../../server/src/core/semantics/pathMatching';
import { expectSnapshot } from '../helpers/expect';
import { SEED_CONTROLLER, SEED_INGRESS, SEED_SHOP } from '../helpers/seedFixtures';

function workspace(files: Record<string, string>): Workspace {
  const ws = new Workspace();
  ws.update(Object.entries(files).map(([name, text]) => ({ uri: `file:///ws/${name}`, text })));
  return ws;
}

/** The step texts, numbered, with where each points: what the snapshots hold. */
function render(result: TraceResult): string {
  const lines = [`trace ${result.url}`];
  result.steps.forEach((step, i) => {
    const where = step.location ? ` @ ${step.location.uri.replace('file:///ws/', '')}:${step.location.range.start.line + 1}:${step.location.range.start.character + 1}` : '';
    lines.push(`${i + 1}. [${step.kind}] ${step.text}${where}`);
  });
  if (result.found) lines.push(`→ backend receives ${result.upstreamPath ?? '(unknown)'}`);
  else lines.push(`✗ no route: ${result.reason}`, ...(result.closest ? [`  closest: ${result.closest}`] : []));
  return lines.join('\n');
}

function stepText(result: TraceResult, kind: string): string {
  return result.steps.filter((s) => s.kind === kind).map((s) => s.text).join(' | ');
}

// ── the seed example (examples/seed-routing) ────────────────────────────────────────────────


const SEED_WEB = `
apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  labels:
    app: web
spec:
  replicas: 3
  selector:
    matchLabels:
      app: web
  template:
    metadata:
      labels:
        app: web
    spec:
      containers:
        - name: httpd
          image: httpd:2.4
          ports:
            - name: http
              containerPort: 80
---
apiVersion: v1
kind: Service
metadata:
  name: web-nodeport
spec:
  type: NodePort
  externalTrafficPolicy: Local
  selector:
    app: web
  ports:
    - name: http
      nodePort: 30000
      port: 8080
      targetPort: http
`;

const SEED = { 'ingress-nginx-controller.yaml': SEED_CONTROLLER, 'ingress.yaml': SEED_INGRESS, 'shop.yaml': SEED_SHOP, 'web.yaml': SEED_WEB };

/** A Deployment `app` and Services `svc-0` … selecting it, for path tables. */
function backends(count: number, namespace = 'default'): string {
  const services = Array.from({ length: count }, (_, i) => `---
apiVersion: v1
kind: Service
metadata:
  name: svc-${i}
  namespace: ${namespace}
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
  namespace: ${namespace}
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

/** One Ingress with the given paths, path i → Service `svc-i`. */
function pathsIngress(paths: readonly (readonly [string, string])[], options: { host?: string; annotations?: string; name?: string; className?: string } = {}): string {
  const host = options.host ?? 'docs.example';
  const rule = host === '' ? '    - http:\n' : `    - host: ${JSON.stringify(host)}\n      http:\n`;
  const items = paths.map(([path, type], i) => `          - path: ${JSON.stringify(path)}
            pathType: ${type}
            backend:
              service:
                name: svc-${i}
                port:
                  number: 80
`).join('');
  return `apiVersion: networking.k8s.io/v1
kind: Ingress
metadata:
  name: ${options.name ?? 'paths'}
${options.annotations ? `  annotations:\n${options.annotations}` : ''}spec:
${options.className ? `  ingressClassName: ${options.className}\n` : ''}  rules:
${rule}        paths:
${items}`;
}

/** Which `svc-N` a request reaches, or undefined. */
function reached(ws: Workspace, url: string): string | undefined {
  const result = traceRequest(ws, url);
  if (!result.found) return undefined;
  return /Service `(svc-\d+)`/.exec(stepText(result, 'service'))?.[1];
}

describe('path matching functions (semantics/pathMatching.ts)', () => {
  test('Exact is exact and case-sensitive', () => {
    assert.ok(matchesExact('/foo', '/foo'));
    assert.ok(!matchesExact('/foo', '/foo/'));
    assert.ok(!matchesExact('/foo/', '/foo'));
    assert.ok(!matchesExact('/foo', '/Foo'));
  });

  test('Prefix is element-wise, ignores a trailing slash on either side; / matches everything', () => {
    const table: [string, string, boolean][] = [
      ['/', '/anything/at/all', true],
      ['/foo', '/foo', true],
      ['/foo', '/foo/', true],
      ['/foo/', '/foo', true],
      ['/foo/bar', '/foo/bar/baz', true],
      ['/foo/bar', '/foo/barbaz', false],
      ['/foo', '/foobar', false],
      ['/aaa/bb', '/aaa/bbb', false],
      ['/aaa/bbb', '/aaa/bbb/', true],
      ['/aaa/bbb/', '/aaa/bbb', true],
      ['/aaa/bbb', '/aaa/bbb/ccc', true],
      ['/aaa/bbb', '/aaa/bbbxyz', false],
      ['/foo', '/Foo', false],
    ];
    for (const [rule, request, expected] of table) assert.equal(matchesPrefix(rule, request), expected, `${rule} vs ${request}`);
  });

  test('ImplementationSpecific in normal mode is nginx\'s character prefix', () => {
    assert.ok(matchesCharacterPrefix('/foo', '/foobar'));
    assert.ok(matchesCharacterPrefix('', '/x'));
    assert.ok(!matchesCharacterPrefix('/foo', '/fo'));
  });

  test('regex mode: case-insensitive, anchored at the start only', () => {
    assert.deepEqual([...(matchesRegex('/something(/|$)(.*)', '/SOMETHING/new') ?? [])], ['/SOMETHING/new', '/', 'new']);
    assert.equal(matchesRegex('/something(/|$)(.*)', '/somethingelse'), undefined);
    assert.equal(matchesRegex('/foo', '/x/foo'), undefined);
    assert.ok(matchesRegex('/foo', '/foo/anything'));
    assert.equal(matchesRegex('/(unclosed', '/(unclosed'), undefined);
  });

  test('regex order: descending length, ties in reverse lexical order', () => {
    const rules = ['/a', '/bb', '/ab', '/c/d/e'].map((path) => ({ path, pathType: 'ImplementationSpecific' }));
    assert.deepEqual(regexOrder(rules).map((i) => rules[i].path), ['/c/d/e', '/bb', '/ab', '/a']);
  });

  test('pickPath: longest wins, Exact beats Prefix on a tie; regex mode takes the first match longest-first', () => {
    const rules: PathRule[] = [
      { path: '/', pathType: 'Prefix' },
      { path: '/foo', pathType: 'Prefix' },
      { path: '/foo', pathType: 'Exact' },
      { path: '/foo/bar', pathType: 'ImplementationSpecific' },
    ];
    assert.equal(pickPath(rules, '/foo', 'normal')?.index, 2);
    assert.equal(pickPath(rules, '/foo/', 'normal')?.index, 1);
    assert.equal(pickPath(rules, '/foo/barbaz', 'normal')?.index, 3);
    assert.equal(pickPath(rules, '/x', 'normal')?.index, 0);
    assert.equal(pickPath([{ path: '/a', pathType: 'Exact' }], '/b', 'normal'), undefined);
    const regex: PathRule[] = [
      { path: '/foo/bar/bar', pathType: 'ImplementationSpecific' },
      { path: '/foo/bar/[A-Z0-9]{3}', pathType: 'ImplementationSpecific' },
    ];
    assert.equal(pickPath(regex, '/foo/bar/bar', 'regex')?.index, 1, 'the longer regex is tried first and wins (ingress-path-matching.md)');
  });

  test('hosts: case-insensitive; a wildcard matches exactly one extra leading label', () => {
    assert.ok(matchesHost('www.test.pri', 'WWW.Test.PRI'));
    assert.ok(matchesHost('*.example.com', 'a.example.com'));
    assert.ok(!matchesHost('*.example.com', 'example.com'));
    assert.ok(!matchesHost('*.example.com', 'a.b.example.com'));
    assert.ok(!matchesHost('*.example.com', '.example.com'));
  });
});

describe('URL parsing', () => {
  test('scheme optional, port kept for entry matching, query and fragment split off', () => {
    assert.deepEqual(parseTraceUrl('www.test.pri:31085/abc/index.html').url, { scheme: undefined, host: 'www.test.pri', port: 31085, effectivePort: 31085, path: '/abc/index.html', query: undefined });
    assert.deepEqual(parseTraceUrl('HTTPS://Shop.Example.com?x=1#top').url, { scheme: 'https', host: 'shop.example.com', port: undefined, effectivePort: 443, path: '/', query: 'x=1' });
    assert.deepEqual(parseTraceUrl('/only/a/path').url, { path: '/only/a/path', query: undefined });
  });

  test('bad URLs are reported, not traced', () => {
    for (const bad of ['', 'http://', 'http://host:99999/', 'http://host:abc/', 'ftp://host/', 'http://ho st/', 'http://bad^host/']) {
      assert.ok(parseTraceUrl(bad).error, bad);
      const result = traceRequest(new Workspace(), bad);
      assert.equal(result.found, false);
      assert.ok(result.reason);
    }
  });
});

describe('trace box input (curl-style)', () => {
  test('a URL alone, with -H and -X, or a pasted curl command with quotes and line continuations', () => {
    assert.deepEqual(parseTraceInput('  www.test.pri/abc ').input, { url: 'www.test.pri/abc', headers: {} });
    assert.deepEqual(parseTraceInput(`http://shop/api -H 'X-Canary: always' --header "X-User:  a b " -X post`).input, {
      url: 'http://shop/api',
      headers: { 'X-Canary': 'always', 'X-User': 'a b' },
      method: 'POST',
    });
    assert.deepEqual(parseTraceInput(`curl -sv -H "Host: www.test.pri" \\\n  'http://10.0.0.5:31085/abc?x=1&y=2'`).input, {
      url: 'http://10.0.0.5:31085/abc?x=1&y=2',
      headers: { Host: 'www.test.pri' },
    });
    assert.deepEqual(parseTraceInput(`curl -H "X-Quote: say \\"hi\\"" http://a/`).input, { url: 'http://a/', headers: { 'X-Quote': 'say "hi"' } });
  });

  test('what it cannot read is an error, never a guess', () => {
    for (const [input, error] of [
      ['', /empty/],
      ['curl', /empty/],
      ['http://a/ http://b/', /only one URL/],
      ['http://a/ -H', /needs 'Name: value'/],
      ['http://a/ -H nocolon', /needs 'Name: value'/],
      ['http://a/ -X', /needs a method/],
      ['http://a/ -d body', /'-d' is not understood/],
      [`http://a/ -H 'X: 1`, /unbalanced single quote/],
      ['ftp://a/', /only http and https/],
    ] as const) {
      assert.match(parseTraceInput(input).error ?? '', error, input);
    }
  });
});

describe('traceRequest: the seed example', () => {
  const ws = workspace(SEED);

  test('curl -H "Host: www.test.pri" http://<node IP>:31085/...: the Host header picks the virtual host, the URL the entry', () => {
    const result = traceRequest(ws, 'http://192.168.56.10:31085/abc/index.html', { headers: { host: 'WWW.test.pri' } });
    assert.equal(result.found, true);
    assert.equal(result.upstreamPath, '/index.html');
    assert.match(result.steps[0].text, /The Host header names the virtual host `www.test.pri`; the URL names where the request is sent \(`192.168.56.10:31085`\)/);
    assert.match(stepText(result, 'entry'), /node port 31085/);
    const bare = traceRequest(ws, 'http://192.168.56.10:31085/abc/index.html');
    assert.equal(bare.found, false);
    assert.equal(bare.status, 404);
    const bad = traceRequest(ws, 'http://192.168.56.10:31085/abc', { headers: { Host: 'www.test.pri/abc' } });
    assert.equal(bad.found, false);
    assert.match(bad.reason ?? '', /the Host header `www.test.pri\/abc` is not a host name/);
  });

  test('http://www.test.pri:31085/abc/index.html → abc-svc receives /index.html, containerPort 80, Deployment abc (2 replicas)', () => {
    const result = traceRequest(ws, 'http://www.test.pri:31085/abc/index.html');
    assert.equal(result.found, true);
    assert.equal(result.upstreamPath, '/index.html');
    assert.deepEqual(result.steps.filter((s) => s.kind !== 'note').map((s) => s.kind), ['entry', 'controller', 'host', 'path', 'rewrite', 'service', 'port', 'pods']);
    assert.match(stepText(result, 'entry'), /node port 31085 of the Ingress controller's NodePort Service `ingress-nginx-controller`/);
    assert.match(stepText(result, 'controller'), /IngressClass `nginx`/);
    assert.match(stepText(result, 'service'), /Service `abc-svc`/);
    assert.match(stepText(result, 'port'), /containerPort 80 \(container `nginx`\)/);
    assert.match(stepText(result, 'pods'), /2 pods of Deployment `abc`/);
    assert.match(stepText(result, 'note'), /Regex mode for host `www.test.pri`/);
    expectSnapshot(render(result), 'trace/seed-abc.txt');
  });

  test('every step points at the graph node buildRouteGraph draws for it, and at the model range', () => {
    const graph = new Set(buildRouteGraph(ws).nodes.map((n) => n.id));
    for (const url of ['http://www.test.pri:31085/abc/index.html', 'http://www.test.pri:31085/dfc/', 'http://node:30000/']) {
      const result = traceRequest(ws, url);
      for (const step of result.steps) {
        if (step.nodeId) assert.ok(graph.has(step.nodeId), `${url}: ${step.kind} node ${step.nodeId} is not in the graph`);
        if (step.kind !== 'note') assert.ok(step.nodeId, `${url}: ${step.kind} step has no node`);
      }
    }
    const path = traceRequest(ws, 'http://www.test.pri:31085/abc/x').steps.find((s) => s.kind === 'path')!;
    assert.equal(path.location?.uri, 'file:///ws/ingress.yaml');
    assert.deepEqual({ line: path.location?.range.start.line, character: path.location?.range.start.character }, { line: 13, character: 18 });
  });

  const table: [string, string | undefined, string | undefined][] = [
    // url, upstream path (undefined = not found), Service
    ['http://www.test.pri:31085/ABC/x', '/x', 'abc-svc'],
    ['http://www.test.pri:31085/abc', '/', 'abc-svc'],
    ['http://WWW.TEST.PRI:31085/dfc/a/b', '/a/b', 'dfc-svc'],
    ['www.test.pri:31085/abc/index.html', '/index.html', 'abc-svc'],
    ['http://www.test.pri/abc/x', '/x', 'abc-svc'],
    ['http://www.test.pri:31085/abc/list?page=2&sort=name', '/list?page=2&sort=name', 'abc-svc'],
    ['http://www.test.pri:31085/abc?x=1', '/?x=1', 'abc-svc'],
    ['http://www.test.pri:31085/abcdef', undefined, undefined],
    ['http://www.test.pri:31085/', undefined, undefined],
  ];
  for (const [url, upstream, service] of table) {
    test(`${url} → ${upstream ?? 'not found'}`, () => {
      const result = traceRequest(ws, url);
      assert.equal(result.found, upstream !== undefined, result.reason);
      assert.equal(result.upstreamPath, upstream);
      if (service) assert.match(stepText(result, 'service'), new RegExp(`Service \`${service}\``));
    });
  }

  test('/abcdef does not match /abc(/|$)(.*): the group needs / or the end; reason lists the paths, closest is /abc…', () => {
    const result = traceRequest(ws, 'http://www.test.pri:31085/abcdef');
    assert.equal(result.found, false);
    assert.match(result.reason ?? '', /host `www.test.pri` matched, but no path matches `\/abcdef`; its paths: `\/abc\(\/\|\$\)\(\.\*\)` \(ImplementationSpecific\), `\/dfc\(\/\|\$\)\(\.\*\)`.*the controller's default backend answers 404/);
    assert.equal(result.status, 404);
    assert.match(result.closest ?? '', /^path `\/abc\(\/\|\$\)\(\.\*\)` \(ImplementationSpecific\) of Ingress `test-ingress` shares `\/abc` with the request$/);
    expectSnapshot(render(result), 'trace/seed-no-path.txt');
  });

  test('http://node:30000/ → NodePort Service web-nodeport directly, with the Local note', () => {
    const result = traceRequest(ws, 'http://node:30000/');
    assert.equal(result.found, true);
    assert.equal(result.upstreamPath, '/');
    assert.deepEqual(result.steps.map((s) => s.kind), ['entry', 'note', 'service', 'port', 'pods']);
    assert.match(stepText(result, 'note'), /externalTrafficPolicy `Local`: only nodes running a pod .* answer .* client's source IP/);
    assert.match(stepText(result, 'port'), /8080\/TCP \(http\) → targetPort `http` → containerPort 80/);
    assert.match(stepText(result, 'pods'), /3 pods of Deployment `web`/);
    expectSnapshot(render(result), 'trace/seed-nodeport.txt');
  });

  test('a host typo: no Ingress for the host; closest is the host one edit away', () => {
    const result = traceRequest(ws, 'http://www.tset.pri:31085/abc/');
    assert.equal(result.found, false);
    assert.match(result.reason ?? '', /no Ingress of class `nginx` has a rule for host `www.tset.pri`/);
    assert.equal(result.closest, 'host `www.test.pri` of Ingress `test-ingress` (1 edit away)');
  });

  test('an unknown port: a note, then every Ingress is considered', () => {
    const result = traceRequest(ws, 'http://www.test.pri:8080/abc/x');
    assert.equal(result.found, true);
    assert.match(result.steps[0].text, /Port 8080 is no node port/);
  });

  test('the controller Service has the default policy: the Cluster note', () => {
    assert.match(stepText(traceRequest(ws, 'http://www.test.pri:31085/abc/x'), 'note'), /externalTrafficPolicy `Cluster` \(the default\): every node answers on port 31085 .*extra hop.*SNAT/);
  });
});

describe('traceRequest: rewrite-target (k8s-semantics.md §4.3)', () => {
  const ws = workspace({
    'app.yaml': backends(1),
    'ingress.yaml': pathsIngress([['/something(/|$)(.*)', 'ImplementationSpecific']], { host: 'rewrite.bar.com', annotations: '    nginx.ingress.kubernetes.io/rewrite-target: /$2\n' }),
  });
  const table: [string, string | undefined][] = [
    ['/something', '/'],
    ['/something/', '/'],
    ['/something/new', '/new'],
    ['/SOMETHING/new', '/new'],
    ['/somethingelse', undefined],
  ];
  for (const [path, upstream] of table) {
    test(`${path} → ${upstream ?? 'no match'}`, () => {
      const result = traceRequest(ws, `http://rewrite.bar.com${path}`);
      assert.equal(result.upstreamPath, upstream);
      assert.equal(result.found, upstream !== undefined);
    });
  }

  test('a target without groups replaces the whole path, and the query string is appended', () => {
    const root = workspace({ 'app.yaml': backends(1), 'ingress.yaml': pathsIngress([['/foo', 'Prefix']], { annotations: '    nginx.ingress.kubernetes.io/rewrite-target: /\n' }) });
    assert.equal(traceRequest(root, 'http://docs.example/foo/bar/baz?q=1').upstreamPath, '/?q=1');
  });

  test('a target with `?` fails annotation validation (RegexPathWithCapture): ingress-nginx ignores it, nothing is rewritten', () => {
    // rewrite/main.go: "rewrite-target is invalid, defaulting to empty"; validators.go RegexPathWithCapture
    // is ^/?[-._~a-zA-Z0-9/:$]*$ and --enable-annotation-validation is on by default (k8s-semantics.md §4.3).
    const drop = workspace({ 'app.yaml': backends(1), 'ingress.yaml': pathsIngress([['/foo(/|$)(.*)', 'ImplementationSpecific']], { annotations: '    nginx.ingress.kubernetes.io/rewrite-target: /$2?\n' }) });
    // Without the rewrite nothing puts the host in regex mode: the path is a literal prefix that /foo/bar does not match.
    const result = traceRequest(drop, 'http://docs.example/foo/bar?q=1');
    assert.equal(result.found, false);
    assert.equal(result.status, 404);
    assert.equal(result.upstreamPath, undefined);
    assert.match(stepText(result, 'note'), /ingress-nginx ignores the `rewrite-target` `\/\$2\?` of Ingress `paths`/);
    assert.doesNotMatch(stepText(result, 'note'), /Regex mode/);
  });

  test('without rewrite-target the path and query reach the backend unchanged', () => {
    const plain = workspace({ 'app.yaml': backends(1), 'ingress.yaml': pathsIngress([['/api', 'Prefix']]) });
    const result = traceRequest(plain, 'http://docs.example/api/users?id=7#frag');
    assert.equal(result.upstreamPath, '/api/users?id=7');
    assert.match(stepText(result, 'rewrite'), /No rewrite: the backend receives the request target unchanged, `\/api\/users\?id=7`/);
  });
});

describe('traceRequest: the Kubernetes documentation\'s path-matching table (normal mode)', () => {
  type Row = [string, (readonly [string, string])[], string, number | undefined];
  const rows: Row[] = [
    ['Prefix / matches all paths', [['/', 'Prefix']], '/anything/here', 0],
    ['Exact /foo matches /foo', [['/foo', 'Exact']], '/foo', 0],
    ['Exact /foo does not match /bar', [['/foo', 'Exact']], '/bar', undefined],
    ['Exact /foo does not match /foo/', [['/foo', 'Exact']], '/foo/', undefined],
    ['Exact /foo/ does not match /foo', [['/foo/', 'Exact']], '/foo', undefined],
    ['Prefix /foo matches /foo', [['/foo', 'Prefix']], '/foo', 0],
    ['Prefix /foo matches /foo/', [['/foo', 'Prefix']], '/foo/', 0],
    ['Prefix /foo/ matches /foo', [['/foo/', 'Prefix']], '/foo', 0],
    ['Prefix /foo matches /foo/bar', [['/foo', 'Prefix']], '/foo/bar', 0],
    ['Prefix /foo does not match /foobar', [['/foo', 'Prefix']], '/foobar', undefined],
    ['Prefix /aaa/bb does not match /aaa/bbb', [['/aaa/bb', 'Prefix']], '/aaa/bbb', undefined],
    ['Prefix /aaa/bbb matches /aaa/bbb/', [['/aaa/bbb', 'Prefix']], '/aaa/bbb/', 0],
    ['Prefix /aaa/bbb/ matches /aaa/bbb', [['/aaa/bbb/', 'Prefix']], '/aaa/bbb', 0],
    ['Prefix /aaa/bbb matches /aaa/bbb/ccc', [['/aaa/bbb', 'Prefix']], '/aaa/bbb/ccc', 0],
    ['Prefix /aaa/bbb does not match /aaa/bbbxyz', [['/aaa/bbb', 'Prefix']], '/aaa/bbbxyz', undefined],
    ['Prefix /, /aaa: /aaa/ccc takes /aaa', [['/', 'Prefix'], ['/aaa', 'Prefix']], '/aaa/ccc', 1],
    ['Prefix /, /aaa, /aaa/bbb: /aaa/bbb takes the longest', [['/', 'Prefix'], ['/aaa', 'Prefix'], ['/aaa/bbb', 'Prefix']], '/aaa/bbb', 2],
    ['Prefix /, /aaa, /aaa/bbb: /ccc takes /', [['/', 'Prefix'], ['/aaa', 'Prefix'], ['/aaa/bbb', 'Prefix']], '/ccc', 0],
    ['Prefix /aaa: /ccc matches nothing', [['/aaa', 'Prefix']], '/ccc', undefined],
    ['Prefix /foo and Exact /foo: /foo prefers Exact', [['/foo', 'Prefix'], ['/foo', 'Exact']], '/foo', 1],
    ['Exact /foo and Prefix /foo: /foo/x takes the Prefix', [['/foo', 'Exact'], ['/foo', 'Prefix']], '/foo/x', 1],
    ['Exact is case-sensitive in normal mode', [['/foo', 'Exact']], '/FOO', undefined],
    // ingress-nginx turns ImplementationSpecific into Prefix (internal/k8s/main.go SetDefaultNGINXPathType);
    // an unknown controller's ImplementationSpecific is read as Prefix too, with a note.
    ['ImplementationSpecific /foo does not match /foobar (read as Prefix)', [['/foo', 'ImplementationSpecific']], '/foobar', undefined],
    ['ImplementationSpecific /foo matches /foo/bar (read as Prefix)', [['/foo', 'ImplementationSpecific']], '/foo/bar', 0],
  ];
  for (const [name, paths, request, expected] of rows) {
    test(name, () => {
      const ws = workspace({ 'app.yaml': backends(paths.length), 'ingress.yaml': pathsIngress(paths) });
      assert.equal(reached(ws, `http://docs.example${request}`), expected === undefined ? undefined : `svc-${expected}`);
    });
  }
});

describe('traceRequest: regex mode for the whole host', () => {
  test('use-regex on one Ingress makes the other Ingress\'s Exact path a case-insensitive start-anchored regex', () => {
    const ws = workspace({
      'app.yaml': backends(2),
      'exact.yaml': pathsIngress([['/p', 'Exact']], { name: 'exact' }),
      'regex.yaml': pathsIngress([['/q', 'ImplementationSpecific']], { name: 'regex', annotations: '    nginx.ingress.kubernetes.io/use-regex: "true"\n' }).replace('svc-0', 'svc-1'),
    });
    const result = traceRequest(ws, 'http://docs.example/P/anything');
    assert.equal(result.found, true);
    assert.match(stepText(result, 'service'), /svc-0/);
    assert.match(stepText(result, 'host'), /Ingresses `exact`, `regex` \(ingress-nginx merges their paths\)/);
    assert.match(stepText(result, 'path'), /Exact is not exact in regex mode/);
    assert.match(stepText(result, 'note'), /Regex mode for host `docs.example`: `use-regex: "true"` on Ingress `regex`/);
  });

  test('the longest path is tried first, so a longer regex beats a shorter literal', () => {
    const ws = workspace({
      'app.yaml': backends(2),
      'ingress.yaml': pathsIngress([['/foo/bar/bar', 'ImplementationSpecific'], ['/foo/bar/[A-Z0-9]{3}', 'ImplementationSpecific']], { annotations: '    nginx.ingress.kubernetes.io/use-regex: "true"\n' }),
    });
    assert.equal(reached(ws, 'http://docs.example/foo/bar/bar'), 'svc-1');
    assert.equal(reached(ws, 'http://docs.example/foo/bar/ba'), undefined);
  });
});

describe('traceRequest: hosts', () => {
  const ws = workspace({
    'app.yaml': backends(3),
    'wild.yaml': pathsIngress([['/', 'Prefix']], { host: '*.example.com', name: 'wild' }),
    'exact.yaml': pathsIngress([['/', 'Prefix']], { host: 'www.example.com', name: 'exact' }).replace('svc-0', 'svc-1'),
  });

  const table: [string, string | undefined][] = [
    ['http://a.example.com/', 'svc-0'],
    ['http://A.Example.COM/x', 'svc-0'],
    ['http://www.example.com/', 'svc-1'],
    ['http://example.com/', undefined],
    ['http://a.b.example.com/', undefined],
  ];
  for (const [url, service] of table) {
    test(`${url} → ${service ?? 'not found'}`, () => assert.equal(reached(ws, url), service));
  }

  test('the wildcard host step says so and points at the wildcard host node', () => {
    const result = traceRequest(ws, 'http://a.example.com/');
    assert.match(stepText(result, 'host'), /matches the wildcard rule host `\*\.example\.com` of Ingress `wild` \(exactly one extra leading label\)/);
    assert.equal(result.steps.find((s) => s.kind === 'host')?.nodeId, 'host:*.example.com');
  });

  test('a rule without host catches hosts no rule names, but not a named host whose paths do not match', () => {
    const catchAll = workspace({
      'app.yaml': backends(2),
      'any.yaml': pathsIngress([['/', 'Prefix']], { host: '', name: 'any' }),
      'named.yaml': pathsIngress([['/api', 'Prefix']], { host: 'api.example', name: 'named' }).replace('svc-0', 'svc-1'),
    });
    assert.equal(reached(catchAll, 'http://whatever.example/x'), 'svc-0');
    assert.equal(reached(catchAll, 'http://10.0.0.1:8080/x'), 'svc-0');
    assert.equal(reached(catchAll, 'http://api.example/api/v1'), 'svc-1');
    const result = traceRequest(catchAll, 'http://api.example/other');
    assert.equal(result.found, false);
    assert.match(result.reason ?? '', /host `api.example` matched, but no path matches `\/other`; its paths: `\/api` \(Prefix\); the controller answers itself/);
    assert.match(stepText(traceRequest(catchAll, 'http://whatever.example/x'), 'host'), /the rule without host of Ingress `any` catches every host/);
    assert.equal(traceRequest(catchAll, 'http://whatever.example/x').steps.find((s) => s.kind === 'host')?.nodeId, 'host:*');
  });

  test('no path matches → the defaultBackend of an Ingress of that host', () => {
    const fallback = workspace({
      'app.yaml': backends(2),
      'ingress.yaml': `${pathsIngress([['/api', 'Prefix']])}  defaultBackend:
    service:
      name: svc-1
      port:
        number: 80
`,
    });
    const result = traceRequest(fallback, 'http://docs.example/other?x=1');
    assert.equal(result.found, true);
    assert.equal(result.upstreamPath, '/other?x=1');
    assert.match(stepText(result, 'path'), /No path of host `docs.example` matches `\/other`: the default backend of Ingress `paths` takes it/);
    assert.match(stepText(result, 'service'), /svc-1/);
    assert.ok(result.steps.some((s) => s.nodeId === nodeIdOf(fallback, 'route', ':default')));
  });
});

function nodeIdOf(ws: Workspace, kind: string, suffix: string): string | undefined {
  return buildRouteGraph(ws).nodes.find((n) => n.kind === kind && n.id.endsWith(suffix))?.id;
}

describe('traceRequest: picking the controller by port and class', () => {
  const internal = `
apiVersion: networking.k8s.io/v1
kind: IngressClass
metadata:
  name: internal
spec:
  controller: example.com/ingress-internal
---
apiVersion: v1
kind: Service
metadata:
  name: ingress-internal-controller
  namespace: ingress-internal
spec:
  type: NodePort
  selector:
    app: ingress-internal
  ports:
    - name: http
      port: 80
      nodePort: 32080
---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: ingress-internal-controller
  namespace: ingress-internal
spec:
  selector:
    matchLabels:
      app: ingress-internal
  template:
    metadata:
      labels:
        app: ingress-internal
    spec:
      containers:
        - name: controller
          image: registry.k8s.io/ingress-nginx/controller:v1.15.0
          args: [/nginx-ingress-controller, --controller-class=example.com/ingress-internal, --ingress-class=internal]
`;
  const ws = workspace({
    ...SEED,
    'internal.yaml': internal,
    'app.yaml': backends(1),
    'internal-ingress.yaml': pathsIngress([['/', 'Prefix']], { host: 'www.test.pri', name: 'internal-site', className: 'internal' }),
  });

  test('the port of the nginx controller restricts to class nginx', () => {
    const result = traceRequest(ws, 'http://www.test.pri:31085/abc/x');
    assert.match(stepText(result, 'service'), /abc-svc/);
    assert.equal(result.steps.find((s) => s.kind === 'controller')?.nodeId, 'controller:nginx');
  });

  test('the port of the internal controller restricts to class internal', () => {
    const result = traceRequest(ws, 'http://www.test.pri:32080/abc/x');
    assert.equal(result.found, true);
    assert.match(stepText(result, 'service'), /svc-0/);
    assert.equal(result.steps.find((s) => s.kind === 'controller')?.nodeId, 'controller:internal');
    assert.equal(result.upstreamPath, '/abc/x', 'no rewrite: class internal\'s host is in normal mode');
  });

  test('without a port the default class wins and the other class is mentioned', () => {
    const result = traceRequest(ws, 'http://www.test.pri/abc/x');
    assert.match(stepText(result, 'service'), /abc-svc/);
    assert.match(stepText(result, 'note'), /Ingresses of class `internal` also have this host/);
  });

  test('a host only the other class serves: closest names it', () => {
    const other = workspace({ ...SEED, 'internal.yaml': internal, 'app.yaml': backends(1), 'internal-ingress.yaml': pathsIngress([['/', 'Prefix']], { host: 'intra.test.pri', name: 'intra', className: 'internal' }) });
    const result = traceRequest(other, 'http://intra.test.pri:31085/');
    assert.equal(result.found, false);
    assert.match(result.reason ?? '', /no Ingress of class `nginx` has a rule for host `intra.test.pri`/);
    assert.match(result.closest ?? '', /Ingress `intra` of class `internal` has host `intra.test.pri`, but this port reaches the controller of `nginx`/);
  });

  test('an Ingress without class belongs to the default IngressClass', () => {
    const classless = workspace({ ...SEED, 'app.yaml': backends(1), 'plain.yaml': pathsIngress([['/', 'Prefix']], { host: 'plain.test.pri', name: 'plain' }) });
    const result = traceRequest(classless, 'http://plain.test.pri:31085/');
    assert.equal(result.found, true);
    assert.equal(result.steps.find((s) => s.kind === 'controller')?.nodeId, 'controller:nginx');
  });
});

describe('traceRequest: not found after the path', () => {
  test('a missing Service: reason names it and the namespace; closest is the near miss', () => {
    const ws = workspace({ ...SEED, 'ingress.yaml': SEED_INGRESS.replace('name: abc-svc', 'name: abc-svcc') });
    const result = traceRequest(ws, 'http://www.test.pri:31085/abc/x');
    assert.equal(result.found, false);
    assert.equal(result.reason, 'Service `abc-svcc` does not exist in namespace `default`');
    assert.equal(result.closest, 'Service `abc-svc` exists');
    assert.equal(result.steps.at(-1)?.nodeId, 'missing:svc:default/abc-svcc');
    assert.equal(result.upstreamPath, '/x', 'the rewrite still happened before the Service');
  });

  test('a missing port: reason lists the Service\'s ports', () => {
    const ws = workspace({ ...SEED, 'ingress.yaml': SEED_INGRESS.replace('number: 80', 'number: 8080') });
    const result = traceRequest(ws, 'http://www.test.pri:31085/abc/x');
    assert.equal(result.found, false);
    assert.equal(result.reason, 'Service `abc-svc` has no port 8080; its ports: 80/TCP (http)');
    assert.ok(result.closest);
  });

  test('no pods: "no pod template matches app=…" with the closest pod labels', () => {
    const ws = workspace({ ...SEED, 'shop.yaml': SEED_SHOP.replace('  selector:\n    app: abc', '  selector:\n    app: abd') });
    const result = traceRequest(ws, 'http://www.test.pri:31085/abc/x');
    assert.equal(result.found, false);
    assert.match(result.reason ?? '', /^no pod template matches app=abd/);
    assert.equal(result.closest, 'Deployment `abc` has pod label `app=abc`');
    assert.equal(result.steps.at(-1)?.nodeId, `missing:pods:file:///ws/shop.yaml#Service/default/abc-svc`);
  });

  test('an ExternalName Service is found, and says so', () => {
    const ws = workspace({
      'ingress.yaml': pathsIngress([['/', 'Prefix']]),
      'svc.yaml': 'apiVersion: v1\nkind: Service\nmetadata:\n  name: svc-0\nspec:\n  type: ExternalName\n  externalName: api.example.org\n',
    });
    const result = traceRequest(ws, 'http://docs.example/');
    assert.equal(result.found, true);
    assert.match(stepText(result, 'note'), /ExternalName Service/);
  });

  test('a named targetPort no selected pod declares: no endpoint, so the controller answers 503', () => {
    const ws = workspace({ ...SEED, 'shop.yaml': SEED_SHOP.replace('targetPort: http', 'targetPort: htp') });
    const result = traceRequest(ws, 'http://www.test.pri:31085/abc/x');
    assert.equal(result.found, false);
    assert.equal(result.status, 503);
    assert.match(result.reason ?? '', /no selected pod declares a port named `htp`/);
    assert.match(stepText(result, 'note'), /No selected pod declares a port named `htp`/);
    assert.equal(result.route?.backends[0].name, 'abc-svc');
  });

  test('an empty workspace: no Ingress for the host, nothing closer', () => {
    const result = traceRequest(new Workspace(), 'http://nothing.example/');
    assert.equal(result.found, false);
    assert.equal(result.reason, 'no Ingress has a rule for host `nothing.example`, nor a rule without host');
    assert.equal(result.closest, undefined);
  });
});
