/**
 * Nothing from a manifest (or echoed from the command line) reaches a terminal as code: every
 * output format of the built CLI, and its error messages, carry control characters and bidi
 * controls only as escapes. JSON and SARIF stay valid and parse back to the original strings.
 */
import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { describe, test } from 'node:test';
import { safeJsonStringify, visible } from '../../server/src/cli/terminal';

const ROOT = path.resolve(__dirname, '../..');
const CLI = path.join(ROOT, 'server/dist/cli.js');

/**
 * What a terminal obeys or a bidi-aware viewer reorders: C0 controls (ESC, BEL, backspace, form
 * feed …), DEL, the C1 controls (U+009B is a one-byte CSI, U+0085 a next line), the bidi marks,
 * embeddings, overrides and isolates. Tab and newline are the only C0 characters an output may
 * hold raw (as layout, never inside a JSON string).
 */
const UNSAFE = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/;
const UNSAFE_CHARS = '\u0001\u0007\u0008\u000b\u000c\u000d\u001b\u001f\u007f\u0080\u0085\u009b\u009f\u061c\u200e\u200f\u2028\u2029\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069';

/** The raw characters of `text` a terminal would obey, as code points (empty when there are none). */
function rawControls(text: string): string[] {
  return [...text].filter((c) => UNSAFE.test(c)).map((c) => `U+${c.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}`);
}

function assertNoRawControls(text: string, what: string): void {
  assert.deepEqual([...new Set(rawControls(text))], [], `${what} contains raw control characters`);
}

/** A YAML double-quoted scalar with every character outside printable ASCII written as an escape. */
function yamlQuote(text: string): string {
  return `"${[...text].map((c) => (c === '"' || c === '\\' ? `\\${c}` : /[ -~]/.test(c) ? c : `\\u${c.codePointAt(0)!.toString(16).padStart(4, '0')}`)).join('')}"`;
}

function run(args: string[], cwd = ROOT) {
  assert.ok(existsSync(CLI), 'server/dist/cli.js is missing: run `npm run build` first');
  const result = spawnSync(process.execPath, [CLI, ...args], { cwd, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024, env: { ...process.env, NO_COLOR: '1' } });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

// Names and values that retitle the terminal (OSC 0 … BEL), clear it (CSI 2J, also as the one-byte
// C1 CSI), move to a new line (NEL) or reverse the text around them (RLO, isolates, marks).
const SERVICE = `svc\u001b]0;PWNED\u0007\u001b[2J\u009b2J\u0085\u202e\u2066\u2067\u2068\u2069\u200e\u200f\u061c\u007f\u0001`;
const MISSING = `miss\u009b31m\u202a\u202b\u202c\u202d\u2028\u2029`;
const INGRESS = `ing\u009b2J\u202e\u0008\u000b\u000c\u001f`;
const CLASS = `ngi\u202enx\u0080\u009f`;
const APP = `web\u009b\u202e\u001b`;
const PORT_NAME = `h\u009b\u001b`;
const REWRITE = `/\u001b]0;PWNED\u0007$1\u009b`;
const DEPLOYMENT = `dep\u009b\u202e\u0085`;
/** The file's own name carries them too (a valid, if unkind, file name). */
const FILE = `evil\u001b]0;x\u0007\u009b\u202e.yaml`;

function hostileWorkspace(): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'krl-escape-'));
  const manifest = `apiVersion: networking.k8s.io/v1
kind: Ingress
metadata:
  name: ${yamlQuote(INGRESS)}
  annotations:
    nginx.ingress.kubernetes.io/rewrite-target: ${yamlQuote(REWRITE)}
spec:
  ingressClassName: ${yamlQuote(CLASS)}
  rules:
    - host: evil.example.com
      http:
        paths:
          - path: /p
            pathType: Prefix
            backend:
              service:
                name: ${yamlQuote(SERVICE)}
                port:
                  number: 80
          - path: /
            pathType: Prefix
            backend:
              service:
                name: ${yamlQuote(MISSING)}
                port:
                  name: ${yamlQuote(PORT_NAME)}
---
apiVersion: v1
kind: Service
metadata:
  name: ${yamlQuote(SERVICE)}
spec:
  selector:
    app: ${yamlQuote(APP)}
  ports:
    - port: 80
      targetPort: ${yamlQuote(PORT_NAME)}
---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: ${yamlQuote(DEPLOYMENT)}
spec:
  selector:
    matchLabels:
      app: ${yamlQuote(APP)}
  template:
    metadata:
      labels:
        app: ${yamlQuote(APP)}
    spec:
      containers:
        - name: c
          image: nginx
          ports:
            - containerPort: 80
`;
  writeFileSync(path.join(dir, FILE), manifest);
  return dir;
}

interface Finding {
  file: string;
  message: string;
}

describe('the shared JSON writer', () => {
  test('escapes C0, DEL, C1, bidi and separator characters as \\uXXXX, and parses back to the same value', () => {
    const value = { [`key${UNSAFE_CHARS}`]: [`value${UNSAFE_CHARS}`, { nested: UNSAFE_CHARS }], plain: 'café 日本 🙂 \u00a0 tab\tnewline\n "quoted" \\' };
    const text = safeJsonStringify(value);
    assertNoRawControls(text, 'safeJsonStringify output');
    assert.deepEqual(JSON.parse(text), value);
    for (const code of ['\\u009b', '\\u0085', '\\u202e', '\\u2066', '\\u2069', '\\u200e', '\\u200f', '\\u061c', '\\u007f', '\\u001b', '\\u2028']) assert.ok(text.includes(code), `${code} is written as an escape`);
    // Printable text is kept as it is: only what a terminal obeys is escaped.
    assert.ok(text.includes('café 日本 🙂 \u00a0 tab\\tnewline\\n \\"quoted\\" \\\\'));
    assert.equal(safeJsonStringify({ a: [1, 'b'] }), JSON.stringify({ a: [1, 'b'] }, null, 2));
  });

  test('the text format escapes the same characters', () => {
    assertNoRawControls(visible(`x${UNSAFE_CHARS}y`), 'visible()');
    assert.equal(visible('\u200e\u200f\u061c\u2028'), '\\u200e\\u200f\\u061c\\u2028');
  });

  test('every JSON writer of the CLI goes through it (no bare JSON.stringify in server/src/cli)', () => {
    const dir = path.join(ROOT, 'server/src/cli');
    const bare = readdirSync(dir)
      .filter((f) => f.endsWith('.ts') && f !== 'terminal.ts')
      .flatMap((f) => readFileSync(path.join(dir, f), 'utf8').split('\n').map((line, i) => ({ where: `${f}:${i + 1}`, line })))
      .filter(({ line }) => /JSON\.stringify\(/.test(line))
      .map(({ where }) => where);
    assert.deepEqual(bare, [], 'write JSON with safeJsonStringify (terminal.ts)');
  });
});

describe('machine-readable output of hostile manifests', () => {
  const dir = hostileWorkspace();

  test('check --format json: no raw control characters; messages and file names parse back to the originals', () => {
    const result = run(['check', '--format', 'json', dir]);
    assert.equal(result.code, 1, result.stderr);
    assertNoRawControls(result.stdout, 'check --format json');
    const { findings } = JSON.parse(result.stdout) as { findings: Finding[] };
    assert.ok(findings.length > 0);
    assert.ok(findings.every((f) => f.file.endsWith(FILE)), 'the file name parses back to the original');
    const messages = findings.map((f) => f.message).join('\n');
    for (const name of [SERVICE, MISSING, INGRESS, PORT_NAME]) assert.ok(messages.includes(name), `${JSON.stringify(name)} is in a message, unchanged`);
  });

  test('check --format sarif: no raw control characters; messages and URIs parse back to the originals', () => {
    const result = run(['check', '--format', 'sarif', dir]);
    assert.equal(result.code, 1, result.stderr);
    assertNoRawControls(result.stdout, 'check --format sarif');
    const sarif = JSON.parse(result.stdout) as { runs: { results: { message: { text: string }; locations: { physicalLocation: { artifactLocation: { uri: string } } }[] }[] }[] };
    const results = sarif.runs[0].results;
    assert.ok(results.length > 0);
    assert.ok(results.every((r) => r.locations[0].physicalLocation.artifactLocation.uri.endsWith(FILE)));
    const messages = results.map((r) => r.message.text).join('\n');
    for (const name of [SERVICE, MISSING, INGRESS]) assert.ok(messages.includes(name), `${JSON.stringify(name)} is in a message, unchanged`);
  });

  test('check (text): no raw control characters either', () => {
    const result = run(['check', '--no-color', '--routes', dir]);
    assert.equal(result.code, 1, result.stderr);
    assertNoRawControls(result.stdout, 'check (text)');
    assert.ok(result.stdout.includes('\\x1b]0;PWNED\\x07\\x1b[2J\\x9b2J\\x85\\u202e\\u2066\\u2067\\u2068\\u2069\\u200e\\u200f\\u061c\\x7f\\x01'));
  });

  test('trace --format json: the URL, step texts and locations parse back; nothing raw', () => {
    const url = `http://evil.example.com/p\u009b\u202e`;
    const result = run(['trace', '--format', 'json', url, dir]);
    assertNoRawControls(result.stdout, 'trace --format json');
    const trace = JSON.parse(result.stdout) as { url: string; steps: { text: string; location?: { file: string } }[] };
    assert.equal(trace.url, url);
    const texts = trace.steps.map((s) => s.text).join('\n');
    for (const name of [INGRESS, CLASS, MISSING]) assert.ok(texts.includes(name), `${JSON.stringify(name)} is in a step, unchanged`);
    assert.ok(trace.steps.some((s) => s.location?.file.endsWith(FILE)));
    // To the Service, its pods and their labels; the ignored rewrite-target is quoted on the way.
    const found = run(['trace', '--format', 'json', 'http://evil.example.com/p', dir]);
    assertNoRawControls(found.stdout, 'trace --format json');
    const foundTexts = (JSON.parse(found.stdout) as { steps: { text: string }[] }).steps.map((s) => s.text).join('\n');
    for (const name of [REWRITE, SERVICE, PORT_NAME, DEPLOYMENT, APP]) assert.ok(foundTexts.includes(name), `${JSON.stringify(name)} is in a step, unchanged`);
  });

  test('trace (text): nothing raw', () => {
    const result = run(['trace', '--no-color', `http://evil.example.com/p\u009b\u202e`, dir]);
    assertNoRawControls(result.stdout, 'trace (text)');
  });

  test('graph --format json: labels, details and summaries parse back; nothing raw', () => {
    const result = run(['graph', '--format', 'json', dir]);
    assert.equal(result.code, 0, result.stderr);
    assertNoRawControls(result.stdout, 'graph --format json');
    const graph = JSON.parse(result.stdout) as { nodes: { label: string; summary: string; location?: { file: string } }[]; edges: { label?: string }[] };
    const labels = graph.nodes.map((n) => n.label);
    for (const label of [`Service ${SERVICE}`, `Service ${MISSING}`, `Deployment ${DEPLOYMENT}`]) assert.ok(labels.includes(label), `${JSON.stringify(label)} is a node label, unchanged`);
    assert.ok(graph.nodes.some((n) => n.location?.file.endsWith(FILE)));
  });

  test('graph as Mermaid text and as the HTML page: the manifests\' names are escaped there too', () => {
    const mermaid = run(['graph', dir]);
    assert.equal(mermaid.code, 0, mermaid.stderr);
    assertNoRawControls(mermaid.stdout, 'graph (Mermaid)');
    const page = run(['graph', '--format', 'html', dir]);
    assert.equal(page.code, 0, page.stderr);
    // The inlined renderer bundle is not from the manifests; the graph source and the title are.
    const source = /<script type="text\/plain" id="graph-source">([\s\S]*?)<\/script>/.exec(page.stdout)?.[1];
    assert.ok(source !== undefined, 'the page holds the graph source');
    assert.ok(source.includes('Service svc#27;#93;0#59;PWNED#7;#27;#91;2J#155;2J#133;#8238;'), source);
    assertNoRawControls(source, 'the graph source of the page');
    // The title names the host asked for and the paths; a terminal shows it when the page goes to stdout.
    const html = run(['graph', '--format', 'html', '--host', `evil.example.com\u009b\u202e\u001b`, dir]);
    assert.equal(html.code, 0, html.stderr);
    const title = /<h1>([\s\S]*?)<\/h1>/.exec(html.stdout)?.[1];
    assert.ok(title !== undefined, 'the page has a title');
    assert.ok(title.includes('evil.example.com\\x9b\\u202e\\x1b'), title);
    assertNoRawControls(title, 'the title of the page');
    assertNoRawControls(/<title>([\s\S]*?)<\/title>/.exec(html.stdout)?.[1] ?? '', 'the <title> of the page');
  });
});

describe('error messages that echo what was given', () => {
  const PWNED = '\u001b]0;PWNED\u0007\u009b2J\u202e';
  const SHOWN = '\\x1b]0;PWNED\\x07\\x9b2J\\u202e';

  test('usage and IO errors print control characters as escapes; exit 2', () => {
    const out = path.join(mkdtempSync(path.join(tmpdir(), 'krl-escape-out-')), 'file');
    writeFileSync(out, '');
    const cases = [
      ['trace', `ftp://${PWNED}`, 'examples/seed-routing'],
      ['trace', `http://www.test.pri/${PWNED}`, '--method', `GET${PWNED}`],
      ['trace', '--header', PWNED, 'http://www.test.pri/'],
      ['trace', '--format', PWNED, 'http://www.test.pri/'],
      ['check', `does/not/exist${PWNED}`],
      ['check', '--format', PWNED],
      ['check', `--bogus${PWNED}`],
      ['check', '--rule', `${PWNED}=off`],
      ['check', '--node-port-range', PWNED],
      ['check', '--config', `no-such-config${PWNED}.yaml`, 'examples/seed-routing'],
      ['graph', '--format', PWNED],
      ['graph', `does/not/exist${PWNED}`],
      // A file is in the way of the folder --out asks for: a write error that names the path.
      ['graph', '--out', path.join(out, `${PWNED}.mmd`), 'examples/seed-routing'],
      [`frobnicate${PWNED}`],
    ];
    for (const args of cases) {
      const result = run(args);
      const what = JSON.stringify(args);
      assert.equal(result.code, 2, `${what}: ${result.stderr}`);
      assertNoRawControls(result.stderr, `stderr of ${what}`);
      assert.ok(result.stderr.includes(SHOWN), `${what} shows what was given, escaped: ${result.stderr.split('\n')[0]}`);
    }
  });

  test('what graph --out says on stderr names the file escaped', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'krl-escape-out-'));
    mkdirSync(path.join(dir, 'sub'));
    const result = run(['graph', '--out', `sub/graph${PWNED}.mmd`, path.join(ROOT, 'examples/seed-routing')], dir);
    assert.equal(result.code, 0, result.stderr);
    assertNoRawControls(result.stderr, 'stderr of graph --out');
    assert.ok(result.stderr.includes(`graph${SHOWN}.mmd`), result.stderr);
    assert.ok(existsSync(path.join(dir, 'sub', `graph${PWNED}.mmd`)), 'the file itself has the name given');
  });
});
