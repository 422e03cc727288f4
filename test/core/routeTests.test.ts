/**
 * Route tests (`*.routes.yaml`): reading the format and its problems, running tests against the
 * workspace, re-checking them when any manifest changes, the findings, the "accept" edit and
 * `appendRouteTest` (whose output, run again, passes).
 */
import { strict as assert } from 'node:assert';
import { readFileSync, readdirSync } from 'node:fs';
import * as path from 'node:path';
import { describe, test } from 'node:test';
import { Workspace, acceptEdit, appendRouteTest, codeActions, expectationOf, isRouteTestUri, readRouteTests, routeTestLenses } from '../../server/src/core';
import { LineIndex } from '../../server/src/core/text/lineIndex';

const ROOT = path.resolve(__dirname, '../..');
const SEED = path.join(ROOT, 'examples/seed-routing');

/** The seed example's manifests (not its route test file), as `file:///seed/…`. */
function seedFiles(): { uri: string; text: string }[] {
  return readdirSync(SEED)
    .filter((f) => f.endsWith('.yaml') && !isRouteTestUri(f))
    .map((f) => ({ uri: `file:///seed/${f}`, text: readFileSync(path.join(SEED, f), 'utf8') }));
}

const TESTS_URI = 'file:///seed/app.routes.yaml';

function seedWorkspace(tests: string): Workspace {
  const ws = new Workspace();
  ws.update([...seedFiles(), { uri: TESTS_URI, text: tests }]);
  return ws;
}

function read(text: string) {
  return readRouteTests(text, new LineIndex(text));
}

/** Applies one edit to a text (what a client does with a quick fix). */
function applyEdit(text: string, edit: { range: { start: { line: number; character: number }; end: { line: number; character: number } }; newText: string }): string {
  const lines = new LineIndex(text);
  return text.slice(0, lines.offsetAt(edit.range.start)) + edit.newText + text.slice(lines.offsetAt(edit.range.end));
}

const ABC = `tests:
  - url: http://www.test.pri:31085/abc/index.html
    expect:
      backend: default/abc-svc:80
      path: /index.html
`;

describe('route test files', () => {
  test('only *.routes.yaml / *.routes.yml are route test files', () => {
    assert.ok(isRouteTestUri('file:///a/seed.routes.yaml'));
    assert.ok(isRouteTestUri('file:///a/x.ROUTES.yml'));
    assert.ok(!isRouteTestUri('file:///a/routes.yaml'));
    assert.ok(!isRouteTestUri('file:///a/seed.routes.yaml.bak'));
  });

  test('the format of the issue reads without problems, with every field', () => {
    const text = `tests:
  - url: http://shop.test.pri:31085/web/index.html
    name: web
    gateway: infra/prod-web
    headers: { X-Canary: "always" }
    method: get
    expect:
      backend: shop/web-svc:8080
      path: /index.html
      host: shop.internal
  - url: http://shop.test.pri:31085/api/v1/users
    expect:
      backends: [ { backend: shop/api:9000, weight: 90 }, { backend: shop/api-canary:9000, weight: 10 } ]
  - url: http://shop.test.pri:31085/old
    expect: { redirect: { status: 301, location: https://shop.test.pri/new } }
  - url: http://shop.test.pri:31085/nothing-here
    expect: { status: 404 }
`;
    const file = read(text);
    assert.deepEqual(file.problems, []);
    assert.equal(file.tests.length, 4);
    const [first, split, redirect, missing] = file.tests;
    assert.equal(first.name, 'web');
    assert.equal(first.gateway, 'infra/prod-web');
    assert.deepEqual(first.headers, { 'X-Canary': 'always' });
    assert.equal(first.method, 'GET');
    assert.equal(first.expect.backend, 'shop/web-svc:8080');
    assert.equal(first.expect.host, 'shop.internal');
    assert.deepEqual(first.anchor.start, { line: 1, character: 9 });
    assert.deepEqual(split.expect.backends, [{ backend: 'shop/api:9000', weight: 90 }, { backend: 'shop/api-canary:9000', weight: 10 }]);
    assert.deepEqual(redirect.expect.redirect, { status: 301, location: 'https://shop.test.pri/new' });
    assert.equal(missing.expect.status, 404);
  });

  test('every problem is reported at its line, and a test with a problem is not run', () => {
    const text = `tests:
  - expect: { status: 404 }
  - url: http://a.test/
  - url: http://a.test/
    expect: { backend: web-svc }
  - url: http://a.test/
    expect: { status: "404" }
  - url: http://a.test/
    expct: { status: 404 }
    expect: { status: 404 }
  - url: http://a.test/
    expect: {}
  - url: http://a.test/ok
    expect: { status: 404 }
`;
    const file = read(text);
    const lines = file.problems.map((p) => `${p.range.start.line + 1} ${p.kind} ${p.message}`);
    assert.deepEqual(lines, [
      '2 format Route tests: test 1 has no `url`',
      '3 format Route tests: test 2 has no `expect` mapping',
      '5 format Route tests: `expect.backend` must be NAMESPACE/NAME:PORT (got `web-svc`)',
      '7 format Route tests: `expect.status` must be a number (got `404`)',
      '9 format Route tests: unknown key `expct` (known: `name`, `url`, `gateway`, `headers`, `method`, `expect`)',
      '12 format Route tests: `expect` states nothing to check: give `backend`, `backends`, `redirect` or `status` (and optionally `path`, `host`)',
    ]);
    assert.deepEqual(file.tests.map((t) => t.url), ['http://a.test/ok']);
  });

  test('YAML errors are `yaml` problems; an empty file or a bare `tests:` is no problem', () => {
    const broken = read('tests:\n  - url: [unclosed\n');
    assert.ok(broken.problems.length > 0 && broken.problems.every((p) => p.kind === 'yaml'));
    assert.deepEqual(read(''), { tests: [], problems: [] });
    assert.deepEqual(read('# nothing yet\n'), { tests: [], problems: [] });
    assert.deepEqual(read('tests:\n'), { tests: [], problems: [] });
    assert.deepEqual(read('test:\n  - url: x\n').problems.map((p) => p.message), ['Route tests: unknown key `test` (known: `tests`)', 'Route tests: `tests` must be a list of tests']);
  });
});

describe('route tests in the workspace', () => {
  test('the seed example: its route test file passes, and is not read as manifests', () => {
    const ws = new Workspace();
    ws.update(readdirSync(SEED).filter((f) => f.endsWith('.yaml')).map((f) => ({ uri: `file:///seed/${f}`, text: readFileSync(path.join(SEED, f), 'utf8') })));
    const uri = 'file:///seed/seed.routes.yaml';
    assert.deepEqual(ws.routeTestUris(), [uri]);
    assert.equal(ws.resourcesOf(uri).length, 0);
    const results = ws.routeTestResults(uri)!;
    assert.ok(results.length >= 6);
    assert.deepEqual(results.filter((r) => !r.pass).map((r) => r.failures), []);
    assert.deepEqual(ws.findings(uri), []);
  });

  test('a Service edit in another file fails a test, with expected vs now; the edit undone passes it again', () => {
    const ws = seedWorkspace(ABC);
    assert.deepEqual(ws.findings(TESTS_URI), []);
    const shop = 'file:///seed/shop.yaml';
    const original = ws.text(shop)!;
    const result = ws.setFile(shop, original.replace('name: abc-svc', 'name: abc-service'));
    assert.ok(result.affectedUris.includes(TESTS_URI), 'the test file is affected by the edit');
    const findings = ws.findings(TESTS_URI);
    assert.equal(findings.length, 1);
    assert.equal(findings[0].rule, 'route-test-failed');
    assert.deepEqual(findings[0].range.start, { line: 1, character: 9 });
    assert.match(findings[0].message, /^Route test failed: expected default\/abc-svc:80 as \/index\.html, now gets status 503 \(/);
    assert.ok(findings[0].related.some((r) => r.uri === 'file:///seed/ingress.yaml'), 'related: the Ingress rule that takes it');
    assert.ok(ws.setFile(shop, original).affectedUris.includes(TESTS_URI));
    assert.deepEqual(ws.findings(TESTS_URI), []);
  });

  test('a changed rewrite is reported with the path the backend receives now', () => {
    const ws = seedWorkspace(ABC);
    const ingress = 'file:///seed/ingress.yaml';
    ws.setFile(ingress, ws.text(ingress)!.replace('rewrite-target: /$2', 'rewrite-target: /v1/$2'));
    assert.deepEqual(ws.findings(TESTS_URI).map((f) => f.message), ['Route test failed: expected default/abc-svc:80 as /index.html, now reaches default/abc-svc:80 as /v1/index.html.']);
    const [result] = ws.routeTestResults(TESTS_URI)!;
    assert.deepEqual(result.failures, ['expected the backend to receive /index.html, got /v1/index.html']);
  });

  test('an edit that changes nothing a test sees leaves the test file unaffected', () => {
    const ws = seedWorkspace(ABC);
    const web = 'file:///seed/web.yaml';
    const result = ws.setFile(web, ws.text(web)!.replace('image: httpd', 'image: httpd2'));
    assert.ok(!result.affectedUris.includes(TESTS_URI));
  });

  test('format problems are route-test-invalid findings; YAML errors are yaml-syntax', () => {
    const ws = seedWorkspace('tests:\n  - url: http://www.test.pri:31085/abc\n    expect: { backend: abc-svc }\n');
    assert.deepEqual(ws.findings(TESTS_URI).map((f) => `${f.rule} ${f.range.start.line}`), ['route-test-invalid 2']);
    ws.setFile(TESTS_URI, 'tests:\n  - url: "unclosed\n');
    assert.deepEqual([...new Set(ws.findings(TESTS_URI).map((f) => f.rule))], ['yaml-syntax']);
  });

  test('a *.routes.yaml with a top-level kind is a manifest, not a route test file', () => {
    const ws = new Workspace();
    ws.update([{ uri: 'file:///x/app.routes.yaml', text: 'apiVersion: v1\nkind: Service\nmetadata:\n  name: s\nspec:\n  ports:\n    - port: 80\n' }]);
    assert.deepEqual(ws.routeTestUris(), []);
    assert.equal(ws.resourcesOf('file:///x/app.routes.yaml').length, 1);
  });

  test('removing a test file forgets it', () => {
    const ws = seedWorkspace(ABC);
    ws.removeFile(TESTS_URI);
    assert.deepEqual(ws.routeTestUris(), []);
    assert.equal(ws.routeTestResults(TESTS_URI), undefined);
  });

  test('a workspace loaded in batches (as the server indexes) runs its tests once analysed', () => {
    const ws = new Workspace();
    ws.load([...seedFiles(), { uri: TESTS_URI, text: ABC.replace('/index.html\n', '/other\n') }]);
    while (ws.analyzeLoaded(2) > 0);
    assert.deepEqual(ws.findings(TESTS_URI).map((f) => f.rule), ['route-test-failed']);
  });
});

describe('accepting the current answer', () => {
  for (const [name, expect] of [
    ['block', '    expect:\n      backend: default/dfc-svc:80\n      path: /wrong\n'],
    ['flow', '    expect: { status: 404 }\n'],
  ] as const) {
    test(`the quick fix rewrites a ${name} expect; the test then passes`, () => {
      const text = `# comment kept\ntests:\n  - url: http://www.test.pri:31085/abc/deeper/x.html?q=1\n${expect}  - url: http://www.test.pri:31085/nothing\n    expect: { status: 404 }\n`;
      const ws = seedWorkspace(text);
      const finding = ws.findings(TESTS_URI)[0];
      assert.equal(finding.rule, 'route-test-failed');
      const actions = codeActions(ws, TESTS_URI, finding.range).filter((a) => a.title === 'Accept the current answer');
      assert.equal(actions.length, 1);
      assert.equal(actions[0].fixes?.rule, 'route-test-failed');
      const fixed = applyEdit(text, actions[0].edits[0]);
      assert.ok(fixed.startsWith('# comment kept\n'));
      if (name === 'flow') assert.match(fixed, /expect: \{ backend: default\/abc-svc:80, path: \/deeper\/x\.html\?q=1 \}\n/);
      else assert.match(fixed, /\n {4}expect:\n {6}backend: default\/abc-svc:80\n {6}path: \/deeper\/x\.html\?q=1\n/);
      ws.setFile(TESTS_URI, fixed);
      assert.deepEqual(ws.findings(TESTS_URI), []);
      assert.equal(ws.routeTestResults(TESTS_URI)!.length, 2);
    });
  }

  test('expectationOf round trip: each kind of answer, accepted, passes', () => {
    const urls = ['http://www.test.pri:31085/abc', 'http://www.test.pri:31085/nope', 'http://192.168.1.10:30000/x?y=1', 'http://other.test:31085/'];
    let text = 'tests:\n';
    for (const url of urls) text += `  - url: ${url}\n    expect: { status: 599 }\n`;
    const ws = seedWorkspace(text);
    const results = ws.routeTestResults(TESTS_URI)!;
    assert.ok(results.every((r) => !r.pass));
    const lines = new LineIndex(text);
    let fixed = text;
    // From the last test up, so that earlier ranges stay valid.
    for (const result of [...results].reverse()) fixed = applyEdit(fixed, acceptEdit(text, (p) => lines.offsetAt(p), result.test, result.answer));
    ws.setFile(TESTS_URI, fixed);
    assert.deepEqual(ws.routeTestResults(TESTS_URI)!.map((r) => r.pass), [true, true, true, true]);
    assert.deepEqual(results.map((r) => expectationOf(r.answer)), [
      { backend: 'default/abc-svc:80', path: '/' },
      { status: 404 },
      { backend: 'default/web-nodeport:8080', path: '/x?y=1' },
      { status: 404 },
    ]);
  });

  test('CodeLens titles say what the request reaches, ✓ or ✗', () => {
    const ws = seedWorkspace(`${ABC}  - url: http://www.test.pri:31085/nothing\n    expect: { backend: default/abc-svc:80 }\n  - url: http://www.test.pri:31085/nothing\n    expect: { status: 404 }\n`);
    assert.deepEqual(routeTestLenses(ws, TESTS_URI).map((l) => l.title), [
      '✓ reaches abc-svc:80 as /index.html',
      '✗ gets status 404 (expected default/abc-svc:80)',
      '✓ gets status 404',
    ]);
  });
});

describe('appendRouteTest', () => {
  const entry = { url: 'http://www.test.pri:31085/dfc/a', headers: { 'X-Canary': 'always' }, expect: { backend: 'default/dfc-svc:80', path: '/a' } };

  test('creates a file, appends at the list indentation keeping comments, and what it writes passes', () => {
    const created = appendRouteTest(undefined, entry);
    assert.ok('text' in created);
    assert.equal(created.text, 'tests:\n  - url: http://www.test.pri:31085/dfc/a\n    headers:\n      X-Canary: always\n    expect:\n      backend: default/dfc-svc:80\n      path: /a\n');
    const existing = `# my tests\ntests:\n    - url: http://www.test.pri:31085/abc   # the first\n      expect: { status: 503 }\n# trailing comment`;
    const appended = appendRouteTest(existing, entry);
    assert.ok('text' in appended);
    assert.ok(appended.text.startsWith(`${existing}\n    - url: http://www.test.pri:31085/dfc/a\n`));
    const file = read(appended.text);
    assert.deepEqual(file.problems, []);
    assert.equal(file.tests.length, 2);
    const ws = seedWorkspace(appended.text);
    assert.deepEqual(ws.routeTestResults(TESTS_URI)!.map((r) => r.pass), [false, true]);
  });

  test('refuses what it cannot append to', () => {
    for (const text of ['tests: []\n', 'tests: [\n', 'apiVersion: v1\nkind: Service\n', 'tests:\n  - url: x\n    expect: { status: 404 }\nother: 1\n']) {
      assert.ok('error' in appendRouteTest(text, entry), text);
    }
  });
});

describe('route test schema', () => {
  const schema = JSON.parse(readFileSync(path.join(ROOT, 'server/schemas/kube-route-lens-routes.schema.json'), 'utf8'));

  test('the package contributes it to Red Hat YAML for *.routes.yaml and *.routes.yml', () => {
    const manifest = JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8'));
    const contribution = manifest.contributes.yamlValidation.find((v: { url: string }) => v.url.endsWith('kube-route-lens-routes.schema.json'));
    assert.deepEqual(contribution.fileMatch, ['*.routes.yaml', '*.routes.yml']);
  });

  test('the schema and the reader know the same keys, and the same backend syntax', () => {
    const testKeys = Object.keys(schema.definitions.test.properties).sort();
    const expectKeys = Object.keys(schema.definitions.test.properties.expect.properties).sort();
    assert.deepEqual(Object.keys(schema.properties), ['tests']);
    const text = `tests:\n  - ${testKeys.map((k) => `${k}: ${k === 'headers' ? '{ A: b }' : k === 'expect' ? `{ ${expectKeys.map((e) => `${e}: ${e === 'backends' ? '[ { backend: a/b:1, weight: 100 } ]' : e === 'redirect' ? '{ status: 301, location: x }' : e === 'status' ? '404' : e === 'backend' ? 'a/b:1' : '/x'}`).join(', ')} }` : k === 'gateway' ? 'a/b' : k === 'method' ? 'GET' : k === 'url' ? 'http://a/' : 'x'}`).join('\n    ')}\n`;
    assert.deepEqual(read(text).problems, []);
    const pattern = new RegExp(schema.definitions.backend.pattern);
    for (const backend of ['shop/web-svc:8080', 'a/b.c:http', 'shop/web', 'Shop/web:80', 'shop/web:', '/web:80']) {
      const reader = read(`tests:\n  - url: http://a/\n    expect: { backend: "${backend}" }\n`).problems.length === 0;
      assert.equal(pattern.test(backend), reader, backend);
    }
  });
});
