/** Every Gateway API editor feature over real LSP, against the built server (stdio), on a temp workspace. */
import { strict as assert } from 'node:assert';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { after, before, describe, test } from 'node:test';
import {
  CodeActionRequest,
  CodeLensRequest,
  CompletionItemKind,
  CompletionRequest,
  DefinitionRequest,
  HoverRequest,
  PrepareRenameRequest,
  ReferencesRequest,
  RenameRequest,
} from 'vscode-languageserver-protocol/node';
import type { CodeAction, CompletionItem, Hover, Location, MarkupContent, WorkspaceEdit } from 'vscode-languageserver-protocol/node';
import { TestClient } from '../helpers/lspClient';
import { parseFixture } from '../helpers/fixture';
import { BACKENDS, GATEWAY } from '../core/features/gatewaySeed';

const SEED_FILES: Record<string, string> = Object.fromEntries(parseFixture(`${GATEWAY}${BACKENDS}`).files.map((f) => [f.path.slice(1), f.text]));

const FILES: Record<string, string> = {
  // The Gateway and the Services of the core feature tests' workspace (test/core/features/gatewaySeed.ts);
  // the route here has no redirect rule, and front/route.yaml is only here.
  'infra/gateway.yaml': SEED_FILES['infra/gateway.yaml'],
  'shop/route.yaml': `apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata:
  name: shop
  namespace: shop
spec:
  parentRefs:
    - name: web
      namespace: prod
      sectionName: https
  hostnames:
    - shop.example.com
  rules:
    - matches:
        - path:
            type: PathPrefix
            value: /api
      filters:
        - type: URLRewrite
          urlRewrite:
            path:
              type: ReplacePrefixMatch
              replacePrefixMatch: /
      backendRefs:
        - name: api
          port: 8080
          weight: 3
        - name: api-canary
          port: 8080
          weight: 1
`,
  'shop/api.yaml': SEED_FILES['shop/api.yaml'],
  'front/route.yaml': `apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata:
  name: front
  namespace: front
spec:
  parentRefs:
    - name: web
      namespace: prod
      sectionName: http
  rules:
    - backendRefs:
        - name: api
          namespace: shop
          port: 8080
`,
};

describe('Gateway API editor features over LSP', () => {
  let client: TestClient;
  let root: string;
  const uri = (file: string) => `file://${path.join(root, file)}`;
  const text = (file: string) => readFileSync(path.join(root, file), 'utf8');
  /** Position of the `nth` `needle` (plus `offset` characters) in a text. */
  const find = (content: string, needle: string, offset = 0, nth = 0) => {
    let index = -1;
    for (let i = 0; i <= nth; i++) index = content.indexOf(needle, index + 1);
    assert.ok(index >= 0, `${needle} not found`);
    const before = content.slice(0, index + offset);
    return { line: before.split('\n').length - 1, character: before.length - before.lastIndexOf('\n') - 1 };
  };
  const at = (file: string, needle: string, offset = 0, nth = 0) => find(text(file), needle, offset, nth);
  const hoverAt = async (file: string, needle: string, offset: number) => {
    const hover = (await client.connection.sendRequest(HoverRequest.type, { textDocument: { uri: uri(file) }, position: at(file, needle, offset) })) as Hover | null;
    assert.ok(hover, `no hover at ${needle}`);
    return (hover.contents as MarkupContent).value;
  };
  const actionsAt = async (file: string, content: string, needle: string, offset: number) => {
    const position = find(content, needle, offset);
    return (await client.connection.sendRequest(CodeActionRequest.type, { textDocument: { uri: uri(file) }, range: { start: position, end: position }, context: { diagnostics: [] } })) as CodeAction[];
  };

  before(async () => {
    root = mkdtempSync(path.join(tmpdir(), 'krl-gateway-features-'));
    for (const [file, content] of Object.entries(FILES)) {
      mkdirSync(path.dirname(path.join(root, file)), { recursive: true });
      writeFileSync(path.join(root, file), content);
    }
    client = await TestClient.start({ rootPath: root, pull: false });
    for (const file of Object.keys(FILES)) await client.open(uri(file), text(file));
  });
  after(async () => {
    await client.stop();
    rmSync(root, { recursive: true, force: true });
  });

  test('hover on a parentRef: the listener it attaches to and the effective hostnames', async () => {
    const markdown = await hoverAt('shop/route.yaml', 'sectionName: https', 14);
    assert.match(markdown, /\*\*parentRef → Gateway `prod\/web`\*\* · class `nginx` \(controller `gateway\.nginx\.org\/nginx-gateway-controller`\)/);
    assert.match(markdown, /- listener `https` · 443\/HTTPS · hostname `shop\.example\.com` → serves `shop\.example\.com`/);
  });

  test('hover on a backendRef: the port chain to the pods and the weight as a share', async () => {
    const markdown = await hoverAt('shop/route.yaml', '- name: api\n', 9);
    assert.match(markdown, /weight 3 of 4 → \*\*75%\*\* of rule 1's requests/);
    assert.match(markdown, /Service `api:8080` → targetPort `http` → containerPort `80` \(api\) in 2 pods of Deployment `api`/);
  });

  test('hover on a match and on a filter: precedence, and the rewrite worked on real paths', async () => {
    assert.match(await hoverAt('shop/route.yaml', 'value: /api', 9), /On Gateway `prod\/web` listener `https`, host `shop\.example\.com`: \*\*1st of 1\*\*/);
    assert.match(await hoverAt('shop/route.yaml', 'type: URLRewrite', 9), /- `\/api\/products\/42` → upstream path `\/products\/42`/);
  });

  test('hover on gatewayClassName and on a listener', async () => {
    assert.match(await hoverAt('infra/gateway.yaml', 'gatewayClassName: nginx', 20), /GatewayClass `nginx` → controller `gateway\.nginx\.org\/nginx-gateway-controller`/);
    assert.match(await hoverAt('infra/gateway.yaml', '- name: http\n', 9), /\*\*1 route attached:\*\*\n- HTTPRoute `front\/front` → `\*\.example\.com`/);
  });

  test('definition: parentRef → Gateway and listener; sectionName → listener; backendRef port → Service port; class → GatewayClass', async () => {
    const definition = async (file: string, needle: string, offset: number) =>
      ((await client.connection.sendRequest(DefinitionRequest.type, { textDocument: { uri: uri(file) }, position: at(file, needle, offset) })) as Location[]).map((l) => [l.uri, l.range.start.line, l.range.start.character]);
    assert.deepEqual(await definition('shop/route.yaml', '- name: web', 9), [
      [uri('infra/gateway.yaml'), at('infra/gateway.yaml', 'name: web').line, at('infra/gateway.yaml', 'name: web', 6).character],
      [uri('infra/gateway.yaml'), at('infra/gateway.yaml', '- name: https').line, at('infra/gateway.yaml', '- name: https', 8).character],
    ]);
    assert.deepEqual(await definition('shop/route.yaml', 'sectionName: https', 14), [[uri('infra/gateway.yaml'), at('infra/gateway.yaml', '- name: https').line, at('infra/gateway.yaml', '- name: https', 8).character]]);
    assert.deepEqual(await definition('shop/route.yaml', 'port: 8080', 7), [[uri('shop/api.yaml'), at('shop/api.yaml', 'port: 8080').line, at('shop/api.yaml', 'port: 8080', 6).character]]);
    assert.deepEqual(await definition('infra/gateway.yaml', 'gatewayClassName: nginx', 19), [[uri('infra/gateway.yaml'), at('infra/gateway.yaml', 'name: nginx').line, at('infra/gateway.yaml', 'name: nginx', 6).character]]);
  });

  test('references: a Service → the backendRefs sending to it; a listener → the routes attached', async () => {
    const references = async (file: string, needle: string, offset: number) =>
      ((await client.connection.sendRequest(ReferencesRequest.type, { textDocument: { uri: uri(file) }, position: at(file, needle, offset), context: { includeDeclaration: false } })) as Location[]).map((l) => [l.uri, l.range.start.line]).sort();
    assert.deepEqual(await references('shop/api.yaml', 'name: api\n', 7), [
      [uri('front/route.yaml'), at('front/route.yaml', '- name: api').line],
      [uri('shop/route.yaml'), at('shop/route.yaml', '- name: api\n').line],
    ]);
    assert.deepEqual(await references('infra/gateway.yaml', '- name: https', 9), [[uri('shop/route.yaml'), at('shop/route.yaml', 'sectionName: https').line]]);
  });

  test('rename a listener: its name and the sectionNames naming it; a Gateway: its name and the parentRefs', async () => {
    const position = at('infra/gateway.yaml', '- name: https', 9);
    const prepared = await client.connection.sendRequest(PrepareRenameRequest.type, { textDocument: { uri: uri('infra/gateway.yaml') }, position });
    assert.deepEqual(prepared && 'placeholder' in prepared ? prepared.placeholder : undefined, 'https');
    const listener = (await client.connection.sendRequest(RenameRequest.type, { textDocument: { uri: uri('infra/gateway.yaml') }, position, newName: 'secure' })) as WorkspaceEdit;
    assert.deepEqual(Object.entries(listener.changes ?? {}).map(([u, edits]) => [u, edits.length]).sort(), [[uri('infra/gateway.yaml'), 1], [uri('shop/route.yaml'), 1]]);
    const gateway = (await client.connection.sendRequest(RenameRequest.type, { textDocument: { uri: uri('infra/gateway.yaml') }, position: at('infra/gateway.yaml', 'name: web', 7), newName: 'public' })) as WorkspaceEdit;
    assert.deepEqual(Object.entries(gateway.changes ?? {}).map(([u, edits]) => [u, edits.map((e) => e.newText)]).sort(), [[uri('front/route.yaml'), ['public']], [uri('infra/gateway.yaml'), ['public']], [uri('shop/route.yaml'), ['public']]]);
    await assert.rejects(client.connection.sendRequest(PrepareRenameRequest.type, { textDocument: { uri: uri('infra/gateway.yaml') }, position: at('infra/gateway.yaml', 'protocol: HTTPS', 12) }), /Gateway and listener names/);
  });

  test('completion: parentRef names, sectionNames, backendRef Services and ports, gatewayClassName', async () => {
    const complete = async (file: string, content: string, needle: string, offset: number) => {
      await client.replace(uri(file), content);
      const items = (await client.connection.sendRequest(CompletionRequest.type, { textDocument: { uri: uri(file) }, position: find(content, needle, offset) })) as CompletionItem[];
      await client.replace(uri(file), text(file));
      return items;
    };
    const route = text('shop/route.yaml');
    const sections = await complete('shop/route.yaml', route.replace('sectionName: https', 'sectionName: '), 'sectionName: ', 13);
    assert.deepEqual(sections.map((i) => [i.label, i.kind]), [['http', CompletionItemKind.Field], ['https', CompletionItemKind.Field]]);
    const parents = await complete('shop/route.yaml', route.replace('    - name: web\n      namespace: prod', '    - namespace: prod\n      name: '), 'name: \n', 6);
    assert.deepEqual(parents.map((i) => [i.label, i.kind, i.detail]), [['web', CompletionItemKind.Module, 'Gateway · class nginx · http 80/HTTP, https 443/HTTPS']]);
    const services = await complete('shop/route.yaml', route.replace('        - name: api-canary', '        - name: '), '- name: \n', 8);
    assert.deepEqual(services.map((i) => i.label).sort(), ['api', 'api-canary']);
    const ports = await complete('shop/route.yaml', route.replace('          port: 8080\n          weight: 3', '          port: \n          weight: 3'), 'port: \n', 6);
    assert.deepEqual(ports.map((i) => [i.label, i.detail]), [['8080', 'Service api · port 8080/TCP (http) → targetPort http']]);
    const gateway = text('infra/gateway.yaml');
    const classes = await complete('infra/gateway.yaml', gateway.replace('gatewayClassName: nginx', 'gatewayClassName: '), 'gatewayClassName: ', 18);
    assert.deepEqual(classes.map((i) => [i.label, i.detail]), [['nginx', 'GatewayClass · gateway.nginx.org/nginx-gateway-controller']]);
  });

  test('CodeLens: routes attached above listeners; where a Service is routed from', async () => {
    const gateway = await client.connection.sendRequest(CodeLensRequest.type, { textDocument: { uri: uri('infra/gateway.yaml') } });
    assert.deepEqual(gateway?.map((l) => [l.range.start.line, l.command?.title]), [[at('infra/gateway.yaml', '- name: http\n').line, '1 route attached'], [at('infra/gateway.yaml', '- name: https').line, '1 route attached']]);
    assert.equal(gateway?.[0].command?.command, 'kubeRouteLens.showLocations');
    const service = await client.connection.sendRequest(CodeLensRequest.type, { textDocument: { uri: uri('shop/api.yaml') } });
    assert.ok(service?.some((l) => l.command?.title === 'routed from shop.example.com/api via Gateway prod/web and 1 more'), service?.map((l) => l.command?.title).join(' | '));
  });

  test('quick fixes: did-you-mean, the missing port, the ReferenceGrant a cross-namespace backendRef needs', async () => {
    const route = text('shop/route.yaml');
    const typo = route.replace('    - name: web\n', '    - name: webb\n');
    await client.replace(uri('shop/route.yaml'), typo);
    const didYouMean = (await actionsAt('shop/route.yaml', typo, '- name: webb', 9)).find((a) => a.title === 'Change to `web`');
    assert.ok(didYouMean);
    assert.equal(didYouMean.kind, 'quickfix');
    assert.equal(didYouMean.diagnostics?.[0].code, 'route-no-matching-parent');
    const noPort = route.replace('        - name: api\n          port: 8080\n', '        - name: api\n');
    await client.replace(uri('shop/route.yaml'), noPort);
    const addPort = (await actionsAt('shop/route.yaml', noPort, '- name: api\n', 9)).find((a) => a.title.startsWith('Add `port: 8080`'));
    assert.ok(addPort);
    assert.equal(addPort.edit?.changes?.[uri('shop/route.yaml')]?.[0].newText, '\n          port: 8080');
    await client.replace(uri('shop/route.yaml'), route);
    const front = text('front/route.yaml');
    const grant = (await actionsAt('front/route.yaml', front, '- name: api', 9)).find((a) => a.title.startsWith('Create ReferenceGrant'));
    assert.ok(grant, 'no ReferenceGrant fix');
    assert.equal(grant.diagnostics?.[0].code, 'route-ref-not-permitted');
    const inserted = grant.edit?.changes?.[uri('shop/api.yaml')]?.[0].newText ?? '';
    assert.match(inserted, /kind: ReferenceGrant\nmetadata:\n  name: front-httproutes-to-api\n  namespace: shop\nspec:\n  from:\n    - group: gateway\.networking\.k8s\.io\n      kind: HTTPRoute\n      namespace: front\n  to:\n    - group: ""\n      kind: Service\n      name: api/);
  });
});
