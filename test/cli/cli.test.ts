/** The `kube-route-lens` command as users run it: the built bundle, a real process, real files. */
import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { describe, test } from 'node:test';
import { expectSnapshot } from '../helpers/expect';

const ROOT = path.resolve(__dirname, '../..');
const CLI = path.join(ROOT, 'server/dist/cli.js');

function run(args: string[], cwd = ROOT) {
  assert.ok(existsSync(CLI), 'server/dist/cli.js is missing: run `npm run build` first');
  const result = spawnSync(process.execPath, [CLI, ...args], { cwd, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

interface JsonFinding {
  file: string;
  range: { start: { line: number; character: number }; end: { line: number; character: number } };
  severity: string;
  rule: string;
  message: string;
}

function json(args: string[]): { code: number | null; findings: JsonFinding[] } {
  const result = run(['check', '--format', 'json', ...args]);
  return { code: result.code, findings: (JSON.parse(result.stdout) as { findings: JsonFinding[] }).findings };
}

describe('kube-route-lens check', () => {
  test('the seed example is clean: exit 0', () => {
    const result = run(['check', 'examples/seed-routing']);
    assert.equal(result.code, 0, result.stderr);
    // Five manifest files and the route test file (check reports failing route tests too).
    assert.match(result.stdout, /^No problems found \(\d+ resources in 6 files checked\)\.\n$/);
  });

  test('text output: file:line:col severity rule message, grouped by file, with a summary; exit 1 on errors', () => {
    const result = run(['check', 'examples/mistakes']);
    assert.equal(result.code, 1);
    const lines = result.stdout.trimEnd().split('\n');
    for (const line of lines.filter((l) => l && !l.includes('problems'))) {
      assert.match(line, /^examples\/mistakes\/[\w.-]+:\d+:\d+ (error|warning|information|hint) [a-z-]+ .+$/);
    }
    assert.match(lines[lines.length - 1], /^\d+ problems \(\d+ errors, \d+ warnings, 0 infos, 0 hints\) in 3 files; \d+ resources in 3 files checked\.$/);
    expectSnapshot(result.stdout, 'cli/mistakes.txt');
  });

  test('JSON output: 0-based LSP ranges and paths relative to the working directory', () => {
    const { code, findings } = json(['examples/mistakes']);
    assert.equal(code, 1);
    const missing = findings.find((f) => f.rule === 'ingress-backend-service-missing');
    assert.ok(missing);
    assert.equal(missing.file, 'examples/mistakes/ingress.yaml');
    assert.deepEqual(missing.range, { start: { line: 27, character: 22 }, end: { line: 27, character: 31 } });
    assert.equal(missing.severity, 'error');
    assert.match(missing.message, /did you mean `shop-admin`\?/);
  });

  test('SARIF 2.1.0 output lists every rule and one result per finding, 1-based', () => {
    const result = run(['check', '--format', 'sarif', 'examples/mistakes']);
    assert.equal(result.code, 1);
    const sarif = JSON.parse(result.stdout);
    assert.equal(sarif.version, '2.1.0');
    const driver = sarif.runs[0].tool.driver;
    assert.equal(driver.name, 'kube-route-lens');
    assert.ok(driver.rules.some((r: { id: string; helpUri: string }) => r.id === 'nodeport-out-of-range' && r.helpUri.endsWith('#nodeport-out-of-range')));
    const { findings } = json(['examples/mistakes']);
    assert.equal(sarif.runs[0].results.length, findings.length);
    const first = sarif.runs[0].results.find((r: { ruleId: string }) => r.ruleId === 'ingress-backend-service-missing');
    assert.deepEqual(first.locations[0].physicalLocation.region, { startLine: 28, startColumn: 23, endLine: 28, endColumn: 32 });
    assert.equal(first.locations[0].physicalLocation.artifactLocation.uri, 'examples/mistakes/ingress.yaml');
  });

  test('--rule changes severities or turns rules off; the exit code follows', () => {
    const off = json(['--rule', 'service-selects-nothing=off', 'examples/mistakes']);
    assert.ok(!off.findings.some((f) => f.rule === 'service-selects-nothing'));
    const raised = json(['--rule=hpa-target-missing=error', 'examples/mistakes']);
    assert.equal(raised.findings.find((f) => f.rule === 'hpa-target-missing')?.severity, 'error');
    const errorRules = [...new Set(json(['examples/mistakes']).findings.filter((f) => f.severity === 'error').map((f) => f.rule))];
    const quiet = run(['check', ...errorRules.flatMap((r) => ['--rule', `${r}=warning`]), 'examples/mistakes']);
    assert.equal(quiet.code, 0);
  });

  test('--exit-zero and --routes (what `npm run demo` prints)', () => {
    const result = run(['check', '--routes', '--exit-zero', 'examples']);
    assert.equal(result.code, 0);
    assert.match(result.stdout, /✓ www\.test\.pri\/abc\(\/\|\$\)\(\.\*\) → Ingress test-ingress \(class nginx\) → Service abc-svc port 80\/TCP \(http\) → targetPort http → containerPort 80 → Deployment abc \(2 replicas\)/);
    assert.match(result.stdout, /✓ node:30000 → Service web-nodeport port 8080\/TCP \(http\), externalTrafficPolicy Local → targetPort http → containerPort 80 → Deployment web \(3 replicas\)/);
    assert.match(result.stdout, /✗ shop\.test\.pri\/admin/);
    assert.match(result.stdout, /✗ node:3000 \(outside 30000-32767\) → .* → targetPort admin \(not declared by the pods\)/);
  });

  test('--default-namespace and --node-port-range change the conclusions', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'krl-cli-'));
    writeFileSync(path.join(dir, 'app.yaml'), [
      'apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\n  namespace: shop\n  labels:\n    app: p\nspec:\n  containers: []\n',
      'apiVersion: v1\nkind: Service\nmetadata:\n  name: s\nspec:\n  type: NodePort\n  selector:\n    app: p\n  ports:\n    - port: 80\n      nodePort: 8080\n',
    ].join('---\n'));
    const defaults = json([dir]).findings.map((f) => f.rule).sort();
    assert.deepEqual(defaults, ['nodeport-out-of-range', 'service-selects-nothing']);
    assert.deepEqual(json(['--default-namespace', 'shop', '--node-port-range', '1-32767', dir]).findings, []);
  });

  test('YAML files are found recursively; node_modules and .git are skipped', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'krl-cli-'));
    const bad = 'apiVersion: v1\nkind: Service\nmetadata:\n  name: s\nspec:\n  ports:\n    - port: 0\n';
    for (const sub of ['a/b', 'node_modules/x', '.git/y']) {
      const full = path.join(dir, sub);
      spawnSync('mkdir', ['-p', full]);
      writeFileSync(path.join(full, 'svc.yml'), bad);
    }
    const findings = json([dir]).findings;
    assert.deepEqual([...new Set(findings.map((f) => path.basename(path.dirname(f.file))))], ['b']);
  });
});

describe('kube-route-lens output on a terminal', () => {
  test('control characters from manifests are printed as escapes, never raw', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'krl-cli-'));
    writeFileSync(
      path.join(dir, 'svc.yaml'),
      'apiVersion: v1\nkind: Service\nmetadata:\n  name: "evil\\e]0;PWNED\\a\\e[2J\\u202e"\nspec:\n  selector:\n    app: "x\\ry"\n  ports:\n    - port: 80\n',
    );
    for (const args of [['check', '--no-color', dir], ['trace', '--no-color', 'http://evil/', dir]]) {
      const { stdout } = run(args);
      assert.doesNotMatch(stdout, /[\u0007\u001b\r\u202e]/, `${args[0]} printed a raw control character`);
    }
    assert.match(run(['check', '--no-color', dir]).stdout, /evil\\x1b\]0;PWNED\\x07\\x1b\[2J\\u202e/);
  });

  test('a reader that stops early (| head) ends the command quietly with its exit code', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'krl-cli-'));
    // Enough findings to fill the pipe: the CLI is still writing when head exits.
    for (let i = 0; i < 2000; i++) writeFileSync(path.join(dir, `s${i}.yaml`), `apiVersion: v1\nkind: Service\nmetadata:\n  name: s${i}\nspec:\n  ports:\n    - port: 0\n`);
    const result = spawnSync('bash', ['-c', `"${process.execPath}" "${CLI}" check --no-color "${dir}" | head -1; echo "status=\${PIPESTATUS[0]}" >&2`], { encoding: 'utf8' });
    assert.match(result.stdout, /port-invalid/);
    assert.doesNotMatch(result.stderr, /EPIPE|Unhandled|\n\s+at /);
    assert.match(result.stderr, /status=1\n$/);
  });
});

describe('kube-route-lens usage', () => {
  test('bad usage exits 2 with a clear message and no stack trace', () => {
    for (const args of [['check', '--format', 'xml'], ['check', '--bogus'], ['frobnicate'], ['check', '--rule', 'nope=off'], ['check', 'does/not/exist'], ['check', '--node-port-range', 'abc']]) {
      const result = run(args);
      assert.equal(result.code, 2, args.join(' '));
      assert.match(result.stderr, /^kube-route-lens: /, args.join(' '));
      assert.doesNotMatch(result.stderr, /\n\s+at /, 'no stack trace');
    }
  });

  test('help and version', () => {
    assert.match(run(['--help']).stdout, /Usage: kube-route-lens/);
    for (const args of [['check', '--help'], ['trace', '-h'], ['graph', 'examples', '--help']]) {
      const result = run(args);
      assert.equal(result.code, 0, args.join(' '));
      assert.match(result.stdout, /Options for trace/, args.join(' '));
    }
    assert.match(run(['version']).stdout, /^\d+\.\d+\.\d+\n$/);
  });
});
