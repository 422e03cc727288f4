/**
 * `kube-route-lens test` and `trace --save-test` as users run them: the built bundle, a real
 * process, the seed example copied to a temporary folder (so that edits cannot touch examples/).
 */
import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { describe, test } from 'node:test';

const ROOT = path.resolve(__dirname, '../..');
const CLI = path.join(ROOT, 'server/dist/cli.js');
const SEED = path.join(ROOT, 'examples/seed-routing');

function run(args: string[], cwd = ROOT) {
  assert.ok(existsSync(CLI), 'server/dist/cli.js is missing: run `npm run build` first');
  const result = spawnSync(process.execPath, [CLI, ...args], { cwd, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

/** A copy of the seed example's manifests (without its route test file). */
function seedCopy(): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'krl-routes-'));
  for (const file of readdirSync(SEED)) if (!file.includes('.routes.')) copyFileSync(path.join(SEED, file), path.join(dir, file));
  return dir;
}

const PASSING = `tests:
  - name: abc
    url: http://www.test.pri:31085/abc/index.html
    expect:
      backend: default/abc-svc:80
      path: /index.html
  - url: http://www.test.pri:31085/nothing-here
    expect: { status: 404 }
`;

const FAILING = `tests:
  - url: http://www.test.pri:31085/dfc/x
    expect:
      backend: default/abc-svc:80
      path: /y
`;

describe('kube-route-lens test', () => {
  test('the seed example passes: exit 0, each test listed with its line', () => {
    const result = run(['test', 'examples/seed-routing']);
    assert.equal(result.code, 0, result.stdout + result.stderr);
    assert.match(result.stdout, /^examples\/seed-routing\/seed\.routes\.yaml\n/);
    assert.match(result.stdout, /\n {2}✓ abc strips its prefix reaches default\/abc-svc:80 as \/index\.html {2}examples\/seed-routing\/seed\.routes\.yaml:5\n/);
    assert.match(result.stdout, /\n\d+ tests: \d+ passed, 0 failed\n$/);
  });

  test('the Gateway API example passes', () => {
    const result = run(['test', 'examples/gateway-api']);
    assert.equal(result.code, 0, result.stdout + result.stderr);
  });

  test('a failing test: exit 1, expected vs now; named files only', () => {
    const dir = seedCopy();
    writeFileSync(path.join(dir, 'good.routes.yaml'), PASSING);
    writeFileSync(path.join(dir, 'bad.routes.yaml'), FAILING);
    const all = run(['test', '.'], dir);
    assert.equal(all.code, 1, all.stderr);
    assert.match(all.stdout, /\n {2}✗ http:\/\/www\.test\.pri:31085\/dfc\/x {2}bad\.routes\.yaml:2\n {6}expected: default\/abc-svc:80 as \/y\n {6}now: {6}reaches default\/dfc-svc:80 as \/x\n {6}- expected default\/abc-svc:80, got default\/dfc-svc:80\n {6}- expected the backend to receive \/y, got \/x\n/);
    assert.match(all.stdout, /\n3 tests: 2 passed, 1 failed\n$/);
    const named = run(['test', 'good.routes.yaml', '.'], dir);
    assert.equal(named.code, 0, named.stdout);
    assert.doesNotMatch(named.stdout, /bad\.routes/);
  });

  test('--format json: the documented contract', () => {
    const dir = seedCopy();
    writeFileSync(path.join(dir, 'bad.routes.yaml'), FAILING);
    const result = run(['test', '--format', 'json', '.'], dir);
    assert.equal(result.code, 1);
    const json = JSON.parse(result.stdout);
    assert.deepEqual(json.summary, { tests: 1, passed: 0, failed: 1, invalid: 0 });
    assert.equal(json.files[0].file, 'bad.routes.yaml');
    assert.deepEqual(json.files[0].problems, []);
    const [t] = json.files[0].tests;
    assert.deepEqual(
      { name: t.name, line: t.line, url: t.url, pass: t.pass, expected: t.expected, actual: t.actual, outcome: t.outcome },
      {
        name: 'http://www.test.pri:31085/dfc/x',
        line: 2,
        url: 'http://www.test.pri:31085/dfc/x',
        pass: false,
        expected: { backend: 'default/abc-svc:80', path: '/y' },
        actual: { backend: 'default/dfc-svc:80', path: '/x' },
        outcome: 'reaches default/dfc-svc:80 as /x',
      },
    );
    assert.equal(t.failures.length, 2);
    assert.equal(t.message, 'Route test failed: expected default/abc-svc:80 as /y, now reaches default/dfc-svc:80 as /x.');
  });

  test('--format junit: one testsuite per file, a failure with expected vs now, problems as errors', () => {
    const dir = seedCopy();
    writeFileSync(path.join(dir, 'good.routes.yaml'), PASSING);
    writeFileSync(path.join(dir, 'bad.routes.yaml'), `${FAILING}  - url: http://a.test/<&>\n    expect: { backend: nope }\n`);
    const result = run(['test', '--format', 'junit', '.'], dir);
    assert.equal(result.code, 2, 'an invalid test file is exit 2');
    const xml = result.stdout;
    assert.match(xml, /^<\?xml version="1\.0" encoding="UTF-8"\?>\n<testsuites name="kube-route-lens route tests" tests="4" failures="1" errors="1">\n/);
    assert.match(xml, /<testsuite name="bad\.routes\.yaml" tests="2" failures="1" errors="1">/);
    assert.match(xml, /<testcase classname="bad\.routes\.yaml" name="http:\/\/www\.test\.pri:31085\/dfc\/x" file="bad\.routes\.yaml" line="2">\n {6}<failure message="Route test failed: expected default\/abc-svc:80 as \/y, now reaches default\/dfc-svc:80 as \/x\." type="route-test-failed">expected: default\/abc-svc:80 as \/y\nnow: reaches/);
    assert.match(xml, /<error message="Route tests: `expect\.backend` must be NAMESPACE\/NAME:PORT \(got `nope`\)" type="route-test-invalid"\/>/);
    assert.match(xml, /<testcase classname="good\.routes\.yaml" name="abc" file="good\.routes\.yaml" line="2"\/>/);
    assert.doesNotMatch(xml, /<&>/, 'markup is escaped');
  });

  test('an invalid test file: exit 2 with file:line:column on stderr; valid tests still run', () => {
    const dir = seedCopy();
    writeFileSync(path.join(dir, 'x.routes.yaml'), `${PASSING}  - url: http://www.test.pri:31085/abc\n    expect:\n      backnd: default/abc-svc:80\n`);
    const result = run(['test', '.'], dir);
    assert.equal(result.code, 2);
    assert.match(result.stderr, /^x\.routes\.yaml:11:7: Route tests: unknown key `expect\.backnd`/m);
    assert.match(result.stdout, /2 tests: 2 passed, 0 failed, 1 problem in test files/);
    writeFileSync(path.join(dir, 'x.routes.yaml'), 'tests:\n  - url: "unclosed\n');
    const yaml = run(['test', '.'], dir);
    assert.equal(yaml.code, 2);
    assert.match(yaml.stderr, /^x\.routes\.yaml:\d+:\d+: Route tests: /m);
  });

  test('bad usage is exit 2', () => {
    const dir = seedCopy();
    for (const [args, message] of [
      [['test', '--format', 'xml'], /--format must be text, json or junit/],
      [['test', 'missing.routes.yaml'], /no such route test file: missing\.routes\.yaml/],
      [['test', '.'], /no route test files \(\*\.routes\.yaml\) under \./],
      [['test', 'nowhere/'], /no such file or directory: nowhere\//],
    ] as const) {
      const result = run([...args], dir);
      assert.equal(result.code, 2, `${args.join(' ')}: ${result.stderr}`);
      assert.match(result.stderr, message);
    }
  });
});

describe('trace --save-test', () => {
  test('creates the file, appends keeping the text, and `test` then passes', () => {
    const dir = seedCopy();
    const file = path.join(dir, 'saved.routes.yaml');
    const first = run(['trace', 'http://www.test.pri:31085/abc/index.html', '.', '--save-test', 'saved.routes.yaml'], dir);
    assert.equal(first.code, 0, first.stderr);
    assert.match(first.stderr, /saved a test to saved\.routes\.yaml: http:\/\/www\.test\.pri:31085\/abc\/index\.html reaches default\/abc-svc:80 as \/index\.html/);
    assert.equal(readFileSync(file, 'utf8'), 'tests:\n  - url: http://www.test.pri:31085/abc/index.html\n    expect:\n      backend: default/abc-svc:80\n      path: /index.html\n');
    writeFileSync(file, `# reviewed\n${readFileSync(file, 'utf8')}`);
    const second = run(['trace', 'http://192.168.1.10:31085/nothing', '.', '--save-test', 'saved.routes.yaml', '--header', 'Host: www.test.pri', '--method', 'POST'], dir);
    assert.equal(second.code, 1, 'trace keeps its exit code: no route');
    const text = readFileSync(file, 'utf8');
    assert.ok(text.startsWith('# reviewed\ntests:\n  - url: http://www.test.pri:31085/abc/index.html\n'));
    assert.match(text, /\n {2}- url: http:\/\/192\.168\.1\.10:31085\/nothing\n {4}headers:\n {6}Host: www\.test\.pri\n {4}method: POST\n {4}expect:\n {6}status: 404\n$/);
    const tested = run(['test', '.'], dir);
    assert.equal(tested.code, 0, tested.stdout + tested.stderr);
    assert.match(tested.stdout, /2 tests: 2 passed, 0 failed/);
  });

  test('refuses a file that is not a route test file name, or cannot take a test', () => {
    const dir = seedCopy();
    assert.equal(run(['trace', 'http://www.test.pri:31085/abc', '.', '--save-test', 'tests.yaml'], dir).code, 2);
    writeFileSync(path.join(dir, 'flow.routes.yaml'), 'tests: []\n');
    const flow = run(['trace', 'http://www.test.pri:31085/abc', '.', '--save-test', 'flow.routes.yaml'], dir);
    assert.equal(flow.code, 2);
    assert.match(flow.stderr, /cannot add a test to flow\.routes\.yaml: `tests` is not a block list/);
    assert.equal(readFileSync(path.join(dir, 'flow.routes.yaml'), 'utf8'), 'tests: []\n');
  });
});
