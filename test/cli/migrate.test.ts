/**
 * `kube-route-lens migrate` as users run it: the built bundle, a real process, the seed example.
 * Exit codes, standard output vs standard error, the files `--out` writes (the route test file
 * included, run here against the migrated manifests), and the output re-checked with `check`.
 */
import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, test } from 'node:test';
import { parseAllDocuments } from 'yaml';
import { Workspace } from '../../server/src/core';
import { readRouteTests } from '../../server/src/core/routeTests/routeTestFile';
import { runRouteTest } from '../../server/src/core/routeTests/runRouteTests';
import { LineIndex } from '../../server/src/core/text/lineIndex';

const ROOT = path.resolve(__dirname, '../..');
const CLI = path.join(ROOT, 'server/dist/cli.js');
const SEED = 'examples/seed-routing';

function run(args: string[], cwd = ROOT) {
  assert.ok(existsSync(CLI), 'server/dist/cli.js is missing: run `npm run build` first');
  const result = spawnSync(process.execPath, [CLI, ...args], { cwd, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024, env: { ...process.env, NO_COLOR: '1' } });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

describe('kube-route-lens migrate', () => {
  test('the seed: YAML on stdout, the report on stderr, exit 0', () => {
    const r = run(['migrate', SEED, '--gateway-class', 'eg']);
    assert.equal(r.code, 0, r.stderr);
    const docs = parseAllDocuments(r.stdout).map((d) => d.toJS() as { kind: string; spec: any });
    assert.deepEqual(docs.map((d) => d.kind), ['Gateway', 'HTTPRoute']);
    assert.equal(docs[0].spec.gatewayClassName, 'eg');
    assert.deepEqual(docs[1].spec.rules[0].filters[0].urlRewrite.path, { type: 'ReplacePrefixMatch', replacePrefixMatch: '/' });
    assert.match(r.stderr, /^10 of 10 sample requests reach the same Service port with the same upstream path\.$/m);
    assert.match(r.stderr, /The migration is equivalent\./);
  });

  test('--format json without --out: one object with the report, the YAML and the route tests', () => {
    const r = run(['migrate', SEED, '--gateway-class', 'eg', '--format', 'json']);
    assert.equal(r.code, 0, r.stderr);
    const json = JSON.parse(r.stdout);
    assert.equal(json.equivalent, true);
    assert.deepEqual(json.samples, { same: 10, total: 10 });
    assert.deepEqual(json.objects, [{ kind: 'Gateway', namespace: 'default', name: 'nginx' }, { kind: 'HTTPRoute', namespace: 'default', name: 'test-ingress' }]);
    assert.match(json.yaml, /replacePrefixMatch: \//);
    assert.match(json.routeTests, /^tests:/m);
  });

  test('--out writes the files; the route tests pass on the migrated manifests; check finds no errors', () => {
    const out = mkdtempSync(path.join(tmpdir(), 'krl-migrate-'));
    const r = run(['migrate', SEED, '--gateway-class', 'eg', '--out', out]);
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(readdirSync(out).sort(), ['gateways.yaml', 'httproutes.yaml', 'migration-report.txt', 'migration.routes.yaml']);
    assert.match(r.stdout, /10 of 10 sample requests/);
    assert.equal(readFileSync(path.join(out, 'migration-report.txt'), 'utf8'), r.stdout);
    assert.match(r.stderr, /wrote .*migration\.routes\.yaml/);

    const testsText = readFileSync(path.join(out, 'migration.routes.yaml'), 'utf8');
    const file = readRouteTests(testsText, new LineIndex(testsText));
    assert.deepEqual(file.problems, []);
    assert.equal(file.tests.length, 10);
    const ws = new Workspace();
    const dirs = [path.join(ROOT, SEED), out];
    ws.update(dirs.flatMap((dir) => readdirSync(dir).filter((f) => f.endsWith('.yaml') && !f.endsWith('.routes.yaml')).map((f) => ({ uri: pathToFileURL(path.join(dir, f)).href, text: readFileSync(path.join(dir, f), 'utf8') }))));
    const results = file.tests.map((t) => runRouteTest(ws, t));
    assert.deepEqual(results.filter((x) => !x.pass).map((x) => `${x.test.url}: ${x.failures.join('; ')}`), []);
    assert.equal(file.tests[2].expect.backend, 'default/abc-svc:80');
    assert.equal(file.tests[2].expect.path, '/deeper/index.html');

    const check = run(['check', '--format', 'json', SEED, out]);
    const findings = JSON.parse(check.stdout).findings as { severity: string; rule: string; file: string }[];
    assert.deepEqual(findings.filter((f) => f.severity === 'error' || f.severity === 'warning'), []);
    assert.equal(check.code, 0);
  });

  test('exit 1 when the report has differences or untranslatable items, and it lists them', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'krl-migrate-in-'));
    writeFileSync(path.join(dir, 'ingress.yaml'), `apiVersion: networking.k8s.io/v1
kind: Ingress
metadata:
  name: api
  annotations:
    nginx.ingress.kubernetes.io/rewrite-target: /$2/$1
spec:
  ingressClassName: nginx
  rules:
    - host: api.example.com
      http:
        paths:
          - { path: "/api/(v[0-9]+)/(.*)", pathType: ImplementationSpecific, backend: { service: { name: api, port: { number: 80 } } } }
---
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata:
  name: web
spec:
  ingressClassName: nginx
  rules:
    - host: api.example.com
      http:
        paths:
          - { path: /web, pathType: ImplementationSpecific, backend: { service: { name: web, port: { number: 80 } } } }
---
apiVersion: v1
kind: Service
metadata: { name: web }
spec: { selector: { app: web }, ports: [{ port: 80, targetPort: 8080 }] }
---
apiVersion: apps/v1
kind: Deployment
metadata: { name: web }
spec:
  selector: { matchLabels: { app: web } }
  template:
    metadata: { labels: { app: web } }
    spec: { containers: [{ name: web, image: web, ports: [{ containerPort: 8080 }] }] }
`);
    const r = run(['migrate', dir, '--gateway-class', 'eg']);
    assert.equal(r.code, 1, r.stderr);
    assert.match(r.stderr, /^4 of 5 sample requests reach the same Service port with the same upstream path\.$/m);
    assert.match(r.stderr, /Differences:\n {2}http:\/\/api\.example\.com\/webx \(Ingress default\/web, path \/web\): .*by characters/);
    assert.match(r.stderr, /Untranslatable:\n {2}.*ingress\.yaml:13 Ingress default\/api: rewrite-target `\/\$2\/\$1`/);
    assert.match(r.stderr, /NOT equivalent/);
    assert.match(r.stdout, /kind: HTTPRoute/);
  });

  test('exit 2 for bad usage, with one line', () => {
    for (const [args, message] of [
      [['migrate', SEED], /migrate needs --gateway-class NAME/],
      [['migrate', SEED, '--gateway-class', 'eg', '--gateway', 'nonamespace'], /--gateway expects NAMESPACE\/NAME/],
      [['migrate', SEED, '--gateway-class', 'eg', '--format', 'sarif'], /--format must be text or json/],
      [['migrate', 'no/such/dir', '--gateway-class', 'eg'], /no such file or directory/],
      [['migrate', 'examples/seed-routing/web.yaml', '--gateway-class', 'eg'], /no Ingress to migrate/],
    ] as const) {
      const r = run([...args]);
      assert.equal(r.code, 2, `${args.join(' ')}: ${r.stderr}`);
      assert.match(r.stderr, message);
      assert.equal(r.stderr.trim().split('\n').length, 1);
    }
  });

  test('--help documents migrate', () => {
    const r = run(['migrate', '--help']);
    assert.equal(r.code, 0);
    assert.match(r.stdout, /migrate \[PATH \.\.\.\]/);
    assert.match(r.stdout, /--gateway-class NAME/);
  });
});
