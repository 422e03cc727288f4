/**
 * Hovers on keys over real LSP (issue 12), against the built server on copies of the examples:
 * the markdown says what the field does with the resolved values, the range is the key's, keys
 * with nothing to add answer null, and values keep their own hovers and ranges.
 */
import { strict as assert } from 'node:assert';
import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { HoverRequest } from 'vscode-languageserver-protocol/node';
import type { Hover, MarkupContent, Range } from 'vscode-languageserver-protocol/node';
import { TestClient } from '../helpers/lspClient';

const EXAMPLES = path.resolve(__dirname, '../../examples');

/** A client on a copy of one example folder, and hover helpers that find keys by their text. */
function session(example: string) {
  const state: { client?: TestClient; root?: string } = {};
  const uri = (file: string) => `file://${path.join(state.root!, file)}`;
  const text = (file: string) => readFileSync(path.join(state.root!, file), 'utf8');
  /** The `nth` line-leading `key:` of a text: its line and the columns of the key. */
  const keyIn = (content: string, key: string, nth = 0) => {
    const lines = content.split('\n');
    let seen = 0;
    for (const [line, l] of lines.entries()) {
      const m = new RegExp(`^(\\s*(?:-\\s+)*)${key.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}:(\\s|$)`).exec(l);
      if (m && seen++ === nth) return { line, start: m[1].length, end: m[1].length + key.length };
    }
    throw new Error(`no ${key}: #${nth}`);
  };
  const hover = async (file: string, position: { line: number; character: number }) =>
    (await state.client!.connection.sendRequest(HoverRequest.type, { textDocument: { uri: uri(file) }, position })) as Hover | null;
  /** Hover with the cursor in the middle of the key; asserts the range is exactly the key. */
  const onKey = async (file: string, key: string, nth = 0, content = text(file)) => {
    const at = keyIn(content, key, nth);
    const result = await hover(file, { line: at.line, character: Math.floor((at.start + at.end) / 2) });
    if (!result) return undefined;
    assert.deepEqual(result.range, { start: { line: at.line, character: at.start }, end: { line: at.line, character: at.end } } satisfies Range, `range of the hover on ${key}:`);
    return (result.contents as MarkupContent).value;
  };
  before(async () => {
    state.root = mkdtempSync(path.join(tmpdir(), 'krl-key-hovers-'));
    cpSync(path.join(EXAMPLES, example), state.root, { recursive: true });
    state.client = await TestClient.start({ rootPath: state.root, pull: false });
    // Hovers answer on documents the client holds.
    for (const file of readdirSync(state.root)) await state.client.open(uri(file), text(file));
  });
  after(async () => {
    await state.client?.stop();
    if (state.root) rmSync(state.root, { recursive: true, force: true });
  });
  return { state, uri, text, hover, onKey, keyIn };
}

describe('key hovers over LSP: Services, workloads, Ingress, HPA (seed example)', () => {
  const s = session('seed-routing');

  test('externalTrafficPolicy: the same explanation as its value, on the key; the value keeps its own range', async () => {
    const markdown = await s.onKey('web.yaml', 'externalTrafficPolicy');
    assert.match(markdown ?? '', /\*\*externalTrafficPolicy: Local\*\* on NodePort Service `web-nodeport`/);
    assert.match(markdown ?? '', /with 3 replicas, at most 3 nodes answer/);
    const at = s.keyIn(s.text('web.yaml'), 'externalTrafficPolicy');
    const onValue = await s.hover('web.yaml', { line: at.line, character: at.end + 4 });
    assert.equal((onValue?.contents as MarkupContent).value, markdown);
    assert.deepEqual(onValue?.range, { start: { line: at.line, character: at.end + 2 }, end: { line: at.line, character: at.end + 7 } });
  });

  test('port keys and the Service selector and ports', async () => {
    const chain = /`node:30000` → Service `web-nodeport:8080` → targetPort `http` → containerPort `80` \(httpd\) in 3 pods of Deployment `web`/;
    for (const key of ['targetPort', 'nodePort']) assert.match((await s.onKey('web.yaml', key)) ?? '', chain);
    assert.match((await s.onKey('web.yaml', 'containerPort')) ?? '', /Used by:\n- Service `web-nodeport` \(targetPort `http`\)/);
    assert.match((await s.onKey('web.yaml', 'type')) ?? '', /\*\*type: NodePort\*\*/);
    const selector = (await s.onKey('web.yaml', 'selector', 1)) ?? '';
    assert.match(selector, /^\*\*selector\*\*: the labels a pod must carry/);
    assert.match(selector, /Selector `app=web` selects \*\*3 pods of Deployment `web`\*\*/);
    const ports = (await s.onKey('web.yaml', 'ports', 1)) ?? '';
    assert.match(ports, /^\*\*ports\*\*: what NodePort Service `web-nodeport` listens on/);
    assert.match(ports, chain);
    assert.match((await s.onKey('web.yaml', 'matchLabels')) ?? '', /Deployment selector `app=web` matches its pod template labels/);
  });

  test('Ingress keys: rules, host, path, backend, ingressClassName', async () => {
    const rules = (await s.onKey('ingress.yaml', 'rules')) ?? '';
    assert.match(rules, /^\*\*rules\*\*: a request is matched by host first, then by path/);
    assert.match(rules, /- `www\.test\.pri` `\/abc\(\/\|\$\)\(\.\*\)` ImplementationSpecific → Service `abc-svc:80` → targetPort/);
    assert.match(rules, /- `www\.test\.pri` `\/dfc\(\/\|\$\)\(\.\*\)` ImplementationSpecific → Service `dfc-svc:80` → targetPort/);
    assert.match((await s.onKey('ingress.yaml', 'host')) ?? '', /exactly `www\.test\.pri`/);
    assert.match((await s.onKey('ingress.yaml', 'path')) ?? '', /Example: `\/abc\/index\.html` → backend receives `\/index\.html`/);
    assert.match((await s.onKey('ingress.yaml', 'backend', 1)) ?? '', /^\*\*backend\*\*: the Service \(and its port\)[^]*\*\*Service `dfc-svc`\*\*/);
    assert.match((await s.onKey('ingress.yaml', 'ingressClassName')) ?? '', /IngressClass `nginx`/);
    assert.match((await s.onKey('ingress.yaml', 'nginx.ingress.kubernetes.io/rewrite-target')) ?? '', /\*\*rewrite-target `\/\$2`\*\*/);
  });

  test('scaleTargetRef: the workload it scales and its bounds', async () => {
    const markdown = (await s.onKey('hpa.yaml', 'scaleTargetRef')) ?? '';
    assert.match(markdown, /^\*\*scaleTargetRef\*\*: the workload whose replica count this autoscaler sets/);
    assert.match(markdown, /Scales Deployment `web` between \*\*3–10 replicas\*\* \(the manifest says 3\)/);
  });

  test('keys with nothing to add answer null', async () => {
    for (const [file, key] of [['web.yaml', 'replicas'], ['web.yaml', 'image'], ['web.yaml', 'metadata'], ['hpa.yaml', 'metrics'], ['hpa.yaml', 'averageUtilization']] as const) {
      const at = s.keyIn(s.text(file), key);
      assert.equal(await s.hover(file, { line: at.line, character: at.start + 1 }), null, `${file} ${key}:`);
    }
  });

  test('an unsaved edit is what the key hover reads', async () => {
    const edited = s.text('web.yaml').replace('  replicas: 3', '  # scaled up\n  replicas: 5');
    await s.state.client!.replace(s.uri('web.yaml'), edited);
    assert.match((await s.onKey('web.yaml', 'externalTrafficPolicy', 0, edited)) ?? '', /with 5 replicas, at most 5 nodes answer/);
    await s.state.client!.replace(s.uri('web.yaml'), s.text('web.yaml'));
  });
});

describe('key hovers over LSP: Gateway API (gateway-api example)', () => {
  const s = session('gateway-api');

  test('parentRefs and sectionName: the listener attached and the effective hostnames', async () => {
    const parents = (await s.onKey('httproute.yaml', 'parentRefs')) ?? '';
    assert.match(parents, /^\*\*parentRefs\*\*: the Gateways \(or ListenerSets\)/);
    assert.match(parents, /- Gateway `default\/test-gateway` section `http` → listener `http` · 80\/HTTP · hostname `www\.test\.pri` → serves `www\.test\.pri`/);
    assert.match(parents, /Effective hostnames: `www\.test\.pri`\./);
    assert.match((await s.onKey('httproute.yaml', 'sectionName')) ?? '', /\*\*parentRef → Gateway `default\/test-gateway`\*\* · class `nginx`/);
    assert.match((await s.onKey('httproute.yaml', 'hostnames')) ?? '', /- Gateway `default\/test-gateway` listener `http` → `www\.test\.pri`/);
  });

  test('rules, matches, filters, backendRefs', async () => {
    assert.match((await s.onKey('httproute.yaml', 'rules')) ?? '', /- rule 1: `PathPrefix \/abc` → `abc-svc` 100% · `URLRewrite`\n- rule 2: `PathPrefix \/dfc` → `dfc-svc` 100% · `URLRewrite`/);
    assert.match((await s.onKey('httproute.yaml', 'matches', 1)) ?? '', /^\*\*matches\*\*: rule 2 takes a request[^]*- `PathPrefix \/dfc`/);
    assert.match((await s.onKey('httproute.yaml', 'filters')) ?? '', /- `\/abc\/products\/42` → upstream path `\/products\/42`/);
    const backends = (await s.onKey('httproute.yaml', 'backendRefs', 1)) ?? '';
    assert.match(backends, /^\*\*backendRefs\*\*: where the requests of rule 2 go, split by weight\./);
    assert.match(backends, /- \*\*100%\*\* \(weight 1\) → Service `dfc-svc:80` → targetPort `\S+` → containerPort `\d+` \(httpd\) in \d+ pods? of Deployment `dfc`/);
  });

  test('gatewayClassName and listeners of the Gateway; metadata answers null', async () => {
    assert.match((await s.onKey('gateway.yaml', 'gatewayClassName')) ?? '', /GatewayClass `nginx` → controller `gateway\.nginx\.org\/nginx-gateway-controller`/);
    assert.match((await s.onKey('gateway.yaml', 'listeners')) ?? '', /- listener `http` · 80\/HTTP · hostname `www\.test\.pri` · 1 route attached/);
    const at = s.keyIn(s.text('gateway.yaml'), 'metadata', 1);
    assert.equal(await s.hover('gateway.yaml', { line: at.line, character: at.start + 2 }), null);
  });
});
