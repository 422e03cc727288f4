/**
 * `kube-route-lens trace` and `kube-route-lens graph` as users run them: the built bundle, a real
 * process, the example manifests.
 */
import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { describe, test } from 'node:test';
import { Workspace, buildRouteGraph, toMermaid } from '../../server/src/core';
import { embedGraphSource, inlineScript, renderGraphPage } from '../../server/src/cli/graphPage';
import { expectSnapshot } from '../helpers/expect';

const ROOT = path.resolve(__dirname, '../..');
const CLI = path.join(ROOT, 'server/dist/cli.js');
const STANDALONE = path.join(ROOT, 'webview/dist/standalone.js');

function run(args: string[], cwd = ROOT, cli = CLI) {
  assert.ok(existsSync(cli), 'server/dist/cli.js is missing: run `npm run build` first');
  const result = spawnSync(process.execPath, [cli, ...args], { cwd, encoding: 'utf8', maxBuffer: 256 * 1024 * 1024, env: { ...process.env, NO_COLOR: '1' } });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

function assertUsageError(result: ReturnType<typeof run>, message: RegExp): void {
  assert.equal(result.code, 2, result.stderr);
  assert.match(result.stderr, /^kube-route-lens: /);
  assert.match(result.stderr, message);
  assert.doesNotMatch(result.stderr, /\n\s+at /, 'no stack trace');
}

interface JsonStep {
  kind: string;
  text: string;
  location?: { file: string; range: { start: { line: number; character: number } } };
  nodeId?: string;
}

interface JsonTrace {
  url: string;
  found: boolean;
  steps: JsonStep[];
  upstreamPath?: string;
  reason?: string;
  closest?: string;
}

interface JsonGraph {
  nodes: { id: string; kind: string; label: string; namespace?: string; location?: { file: string } }[];
  edges: { from: string; to: string; kind: string }[];
}

describe('kube-route-lens trace', () => {
  test('found: numbered steps, then what the backend receives; exit 0', () => {
    const result = run(['trace', 'http://www.test.pri:31085/abc/index.html', 'examples/seed-routing']);
    assert.equal(result.code, 0, result.stderr);
    const lines = result.stdout.trimEnd().split('\n');
    assert.equal(lines[0], 'Trace http://www.test.pri:31085/abc/index.html');
    assert.match(lines[1], /^ {2}1\. `node:31085` is node port 31085 .* {2}examples\/seed-routing\/ingress-nginx-controller\.yaml:\d+:\d+$/);
    assert.ok(lines.some((l) => /^ {5}note: Regex mode for host `www\.test\.pri`/.test(l)));
    assert.ok(lines.some((l) => /^ {2}\d\. 2 pods of Deployment `abc` serve it/.test(l)));
    assert.equal(lines.at(-1), '→ backend receives /index.html');
    expectSnapshot(result.stdout, 'trace/cli-seed-abc.txt');
  });

  test('the scheme is optional; the default PATH is .', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'krl-trace-'));
    for (const file of ['ingress.yaml', 'shop.yaml', 'ingress-nginx-controller.yaml']) copyFileSync(path.join(ROOT, 'examples/seed-routing', file), path.join(dir, file));
    const result = run(['trace', 'www.test.pri:31085/dfc/a?b=c'], dir);
    assert.equal(result.code, 0, result.stderr);
    assert.match(result.stdout, /Service `dfc-svc`/);
    assert.match(result.stdout, / {2}shop\.yaml:\d+:\d+\n/);
    assert.match(result.stdout, /→ backend receives \/a\?b=c\n$/);
  });

  test('not found: the reason and the closest rule; exit 1', () => {
    const result = run(['trace', 'http://www.test.pri:31085/abcdef', 'examples/seed-routing']);
    assert.equal(result.code, 1, result.stderr);
    const lines = result.stdout.trimEnd().split('\n');
    assert.match(lines.at(-2) ?? '', /^✗ no route: host `www\.test\.pri` matched, but no path matches `\/abcdef`; its paths: /);
    assert.equal(lines.at(-1), '  closest: path `/abc(/|$)(.*)` (ImplementationSpecific) of Ingress `test-ingress` shares `/abc` with the request');
  });

  test('a NodePort Service reached directly, and a broken route in the mistakes example', () => {
    const nodePort = run(['trace', 'node:30000/', 'examples/seed-routing']);
    assert.equal(nodePort.code, 0);
    assert.match(nodePort.stdout, /note: externalTrafficPolicy `Local`/);
    const broken = run(['trace', 'http://shop.test.pri/admin', 'examples/mistakes']);
    assert.equal(broken.code, 1);
    assert.match(broken.stdout, /✗ no route: /);
  });

  test('JSON: the TraceResult, with locations as paths relative to the working directory', () => {
    const result = run(['trace', '--format', 'json', 'http://www.test.pri:31085/abc/index.html', 'examples/seed-routing']);
    assert.equal(result.code, 0, result.stderr);
    const trace = JSON.parse(result.stdout) as JsonTrace;
    assert.equal(trace.url, 'http://www.test.pri:31085/abc/index.html');
    assert.equal(trace.found, true);
    assert.equal(trace.upstreamPath, '/index.html');
    assert.deepEqual(trace.steps.filter((s) => s.kind !== 'note').map((s) => s.kind), ['entry', 'controller', 'host', 'path', 'rewrite', 'service', 'port', 'pods']);
    const path0 = trace.steps.find((s) => s.kind === 'path')!;
    assert.equal(path0.location?.file, 'examples/seed-routing/ingress.yaml');
    assert.deepEqual(path0.location?.range.start, { line: 13, character: 18 });
    for (const step of trace.steps) assert.ok(!step.location || !('uri' in step.location), 'no URIs in locations');
    // The node ids are the graph's.
    const graph = JSON.parse(run(['graph', '--format', 'json', 'examples/seed-routing']).stdout) as JsonGraph;
    const ids = new Set(graph.nodes.map((n) => n.id));
    for (const step of trace.steps) if (step.nodeId) assert.ok(ids.has(step.nodeId), step.nodeId);

    const missing = JSON.parse(run(['trace', '--format=json', 'http://www.tset.pri:31085/', 'examples/seed-routing']).stdout) as JsonTrace;
    assert.equal(missing.found, false);
    assert.match(missing.reason ?? '', /no Ingress of class `nginx` has a rule for host `www\.tset\.pri`/);
    assert.equal(missing.closest, 'host `www.test.pri` of Ingress `test-ingress` (1 edit away)');
    assert.equal(missing.upstreamPath, undefined);
  });

  test('JSON route object: the public contract scripts read (controller, ingress rule, weighted backends)', () => {
    const result = run(['trace', '--format', 'json', 'http://www.test.pri:31085/abc/index.html', 'examples/seed-routing']);
    const trace = JSON.parse(result.stdout) as JsonTrace & { route?: unknown; status?: number };
    assert.equal(trace.status, undefined);
    assert.deepEqual(trace.route, {
      controller: { kind: 'ingress-nginx', class: 'nginx', controller: 'k8s.io/ingress-nginx' },
      ingress: { kind: 'Ingress', namespace: 'default', name: 'test-ingress', rule: { host: 'www.test.pri', path: '/abc(/|$)(.*)', pathType: 'ImplementationSpecific' } },
      backends: [{ kind: 'Service', namespace: 'default', name: 'abc-svc', port: 80, weight: 100, targetPort: 'http', containerPort: 80, workloads: [{ kind: 'Deployment', name: 'abc', replicas: 2 }] }],
    });
  });

  test("-H 'Host: name' (as curl takes it) picks the virtual host; --header NAME=VALUE too; a malformed header is a usage error", () => {
    for (const header of [['-H', 'Host: www.test.pri'], ['--header', 'host=www.test.pri'], ['--header=Host: www.test.pri']]) {
      const result = run(['trace', ...header, 'http://192.168.56.10:31085/abc/index.html', 'examples/seed-routing']);
      assert.equal(result.code, 0, `${header.join(' ')}: ${result.stdout}${result.stderr}`);
      assert.match(result.stdout, /note: The Host header names the virtual host `www\.test\.pri`/);
      assert.match(result.stdout, /→ backend receives \/index\.html\n$/);
    }
    assertUsageError(run(['trace', '--header', 'nonsense', 'http://a/', 'examples/seed-routing']), /--header expects 'Name: value' or NAME=VALUE/);
  });

  test('bad usage: missing URL, bad URL, a path where the URL belongs, bad format; exit 2', () => {
    assertUsageError(run(['trace']), /trace needs a URL/);
    assertUsageError(run(['trace', 'http://host:99999/', 'examples/seed-routing']), /port 99999 is outside 1-65535/);
    assertUsageError(run(['trace', 'ftp://host/', 'examples/seed-routing']), /only http and https/);
    assertUsageError(run(['trace', 'examples/seed-routing']), /trace needs a URL before the paths: 'examples\/seed-routing' is a file or directory/);
    assertUsageError(run(['trace', '--format', 'sarif', 'http://a/']), /--format must be text or json/);
    assertUsageError(run(['trace', 'http://a/', 'does/not/exist']), /no such file or directory: does\/not\/exist/);
  });
});

describe('kube-route-lens graph', () => {
  test('Mermaid (the default) for the seed example', () => {
    const result = run(['graph', 'examples/seed-routing']);
    assert.equal(result.code, 0, result.stderr);
    assert.match(result.stdout, /^flowchart LR\n/);
    expectSnapshot(result.stdout, 'graph/seed-routing.mmd');
  });

  test('JSON: nodes and edges, locations as relative paths', () => {
    const result = run(['graph', '--format', 'json', 'examples/seed-routing']);
    assert.equal(result.code, 0, result.stderr);
    const graph = JSON.parse(result.stdout) as JsonGraph;
    const kinds = new Set(graph.nodes.map((n) => n.kind));
    for (const kind of ['host', 'entry', 'controller', 'route', 'service', 'workload', 'hpa']) assert.ok(kinds.has(kind), kind);
    const service = graph.nodes.find((n) => n.label === 'Service abc-svc');
    assert.equal(service?.location?.file, 'examples/seed-routing/shop.yaml');
    assert.ok(graph.edges.every((e) => graph.nodes.some((n) => n.id === e.from) && graph.nodes.some((n) => n.id === e.to)));
    assert.ok(!result.stdout.includes('"uri"'), 'no URIs in locations');
  });

  test('--host and --namespace keep the routes of that host or namespace', () => {
    const all = JSON.parse(run(['graph', '--format', 'json', 'examples']).stdout) as JsonGraph;
    const host = JSON.parse(run(['graph', '--format', 'json', '--host', 'www.test.pri', 'examples']).stdout) as JsonGraph;
    const labels = (g: JsonGraph) => g.nodes.map((n) => n.label);
    assert.ok(labels(host).includes('www.test.pri'));
    assert.ok(labels(host).includes('Service abc-svc'));
    assert.deepEqual(host.nodes.filter((n) => n.kind === 'host').map((n) => n.label), ['www.test.pri'], 'other hosts are left out');
    assert.ok(!labels(host).includes('Service web-nodeport'), 'routes not through the host are left out');
    assert.ok(host.nodes.length < all.nodes.length);
    const store = JSON.parse(run(['graph', '--format=json', '--namespace', 'store', 'examples']).stdout) as JsonGraph;
    assert.ok(store.nodes.some((n) => n.namespace === 'store'));
    assert.ok(!labels(store).includes('Service abc-svc'), 'Services of other namespaces are left out');
    const mermaid = run(['graph', '--host', 'www.test.pri', 'examples/seed-routing']);
    assert.equal(mermaid.code, 0);
    assert.doesNotMatch(mermaid.stdout, /web-nodeport/);
  });

  test('--out writes the file instead of standard output, creating its folder; an unwritable path is a usage error', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'krl-graph-'));
    const out = path.join(dir, 'graph.mmd');
    const result = run(['graph', '--out', out, 'examples/seed-routing']);
    assert.equal(result.code, 0, result.stderr);
    assert.equal(result.stdout, '');
    assert.equal(readFileSync(out, 'utf8'), run(['graph', 'examples/seed-routing']).stdout);
    const nested = path.join(dir, 'new/folder/graph.mmd');
    assert.equal(run(['graph', '--out', nested, 'examples/seed-routing']).code, 0);
    assert.equal(readFileSync(nested, 'utf8'), readFileSync(out, 'utf8'));
    writeFileSync(path.join(dir, 'a-file'), '');
    assertUsageError(run(['graph', '--out', path.join(dir, 'a-file/graph.mmd'), 'examples/seed-routing']), /cannot write .*(ENOTDIR|EEXIST)/);
  });

  test('bad usage exits 2', () => {
    assertUsageError(run(['graph', '--format', 'svg']), /--format must be mermaid, json or html/);
    assertUsageError(run(['graph', '--host', 'a', '--namespace', 'b']), /--host and --namespace cannot be combined/);
    assertUsageError(run(['graph', '--host']), /--host needs a value/);
    assertUsageError(run(['graph', 'does/not/exist']), /no such file or directory/);
  });

  test('--format html with the real build: the page when webview/dist/standalone.js exists, else a clear exit 2', () => {
    const result = run(['graph', '--format', 'html', 'examples/seed-routing']);
    if (existsSync(STANDALONE)) {
      assert.equal(result.code, 0, result.stderr);
      checkPage(result.stdout, readFileSync(STANDALONE, 'utf8'));
    } else {
      assert.equal(result.code, 2);
      assert.equal(result.stderr, 'kube-route-lens: webview/dist/standalone.js is missing: run npm run build\n');
      assert.equal(result.stdout, '');
    }
  });

  test('--format html from a copy of the CLI next to a stand-in renderer bundle, and without one', () => {
    const root = mkdtempSync(path.join(tmpdir(), 'krl-html-'));
    mkdirSync(path.join(root, 'server/dist'), { recursive: true });
    const cli = path.join(root, 'server/dist/cli.js');
    copyFileSync(CLI, cli);
    const missing = run(['graph', '--format', 'html', 'examples/seed-routing'], ROOT, cli);
    assert.equal(missing.code, 2);
    assert.equal(missing.stderr, 'kube-route-lens: webview/dist/standalone.js is missing: run npm run build\n');
    mkdirSync(path.join(root, 'webview/dist'), { recursive: true });
    const bundle = 'document.getElementById("graph").textContent = "</script><!-- rendered";\n';
    writeFileSync(path.join(root, 'webview/dist/standalone.js'), bundle);
    const out = path.join(root, 'graph.html');
    const result = run(['graph', '--format', 'html', '--out', out, 'examples/seed-routing'], ROOT, cli);
    assert.equal(result.code, 0, result.stderr);
    checkPage(readFileSync(out, 'utf8'), bundle);
  });
});

/** The page: doctype, strict CSP with a nonce, the nonce'd inlined bundle, the escaped Mermaid source, a title. */
function checkPage(html: string, bundle: string): void {
  assert.ok(html.startsWith('<!doctype html>\n'));
  const csp = /<meta http-equiv="Content-Security-Policy" content="default-src 'none'; script-src 'nonce-([A-Za-z0-9+/=]{16,})'; style-src 'unsafe-inline'; img-src data:; font-src data:">/.exec(html);
  assert.ok(csp, 'strict CSP');
  const nonce = csp[1];
  const scripts = [...html.matchAll(/<script\b([^>]*)>([\s\S]*?)<\/script>/g)];
  assert.equal(scripts.length, 2, 'the source and the bundle, nothing else');
  assert.equal(scripts[0][1], ' type="text/plain" id="graph-source"');
  assert.equal(scripts[1][1], ` nonce="${nonce}"`);
  assert.equal(scripts[1][2], inlineScript(bundle));
  assert.doesNotMatch(scripts[0][2], /<[/!]/, 'nothing can close the source element');
  assert.equal(scripts[0][2], run(['graph', 'examples/seed-routing']).stdout, 'the source element\'s text (what textContent returns) is the Mermaid text');
  assert.ok(!/sourceMappingURL=/.test(html), 'no source map to fetch');
  assert.ok(html.includes('<h1>Route graph of examples/seed-routing</h1>'), 'the title');
  assert.ok(html.includes('<div id="graph"></div>'), 'where the renderer draws');
  const markup = html.replace(/(<script\b[^>]*>)[\s\S]*?<\/script>/g, '$1</script>');
  assert.ok(!/\b(src|href)=/.test(markup), 'the markup loads nothing from anywhere');
}

describe('graph page embedding (server/src/cli/graphPage.ts)', () => {
  test('hostile manifest names and bundle text cannot close the script elements', () => {
    const ws = new Workspace();
    ws.update([{ uri: 'file:///x/ing.yaml', text: 'apiVersion: networking.k8s.io/v1\nkind: Ingress\nmetadata:\n  name: evil\nspec:\n  rules:\n    - host: "a.example"\n      http:\n        paths:\n          - path: "/</script><script>alert(1)</script>"\n            pathType: ImplementationSpecific\n            backend:\n              service:\n                name: s\n                port:\n                  number: 80\n' }]);
    const mermaid = toMermaid(buildRouteGraph(ws)).text;
    assert.doesNotMatch(mermaid, /<\/script/i, 'escapeLabel already escapes names');
    assert.equal(embedGraphSource(mermaid), mermaid, 'Mermaid text passes through unchanged');
    const raw = `${mermaid}  n99["</SCRIPT> & <!-- as if escapeLabel had failed"]\n`;
    const page = renderGraphPage({ mermaid: raw, title: '<b>"t"</b>', bundle: 'var s = "</script>"; /<!--/.test(s);', nonce: 'abc123==' });
    assert.equal((page.match(/<\/script/gi) ?? []).length, 2);
    assert.equal((page.match(/<script/gi) ?? []).length, 2);
    assert.match(page, /n99\["#60;\/SCRIPT> & #60;!-- as if/, 'Mermaid\'s own entity, which a label shows as <');
    assert.match(page, /<h1>&lt;b&gt;&quot;t&quot;&lt;\/b&gt;<\/h1>/);
    assert.match(page, /var s = "\\x3C\/script>"; \/\\x3C!--\/\.test\(s\);/);
    assert.throws(() => renderGraphPage({ mermaid, title: 't', bundle: '', nonce: '"><script>' }), /base64/);
  });
});
