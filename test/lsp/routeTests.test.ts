/**
 * Route tests over real LSP, against the built server: a route test file on disk is checked at
 * the initial index; an edit of a Service in another (open) file publishes a failure on the test
 * file; CodeLens titles; the "Accept the current answer" edit, applied, clears it; the
 * kubeRouteLens/runRouteTests request.
 */
import { strict as assert } from 'node:assert';
import { cpSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { CodeActionRequest, CodeLensRequest } from 'vscode-languageserver-protocol/node';
import type { CodeAction, CodeLens, TextEdit } from 'vscode-languageserver-protocol/node';
import { TestClient } from '../helpers/lspClient';
import { RUN_ROUTE_TESTS_REQUEST, TRACE_REQUEST_COMMAND } from '../../server/src/protocol';
import type { RunRouteTestsResult } from '../../server/src/protocol';
import { LineIndex } from '../../server/src/core/text/lineIndex';

const SEED = path.resolve(__dirname, '../../examples/seed-routing');

function applyEdits(text: string, edits: readonly TextEdit[]): string {
  const lines = new LineIndex(text);
  const sorted = [...edits].sort((a, b) => lines.offsetAt(b.range.start) - lines.offsetAt(a.range.start));
  let out = text;
  for (const edit of sorted) out = out.slice(0, lines.offsetAt(edit.range.start)) + edit.newText + out.slice(lines.offsetAt(edit.range.end));
  return out;
}

describe('route tests over LSP', () => {
  let client: TestClient;
  let root: string;
  const uri = (file: string) => `file://${path.join(root, file)}`;

  before(async () => {
    root = mkdtempSync(path.join(tmpdir(), 'krl-route-tests-'));
    cpSync(SEED, root, { recursive: true });
    // Push diagnostics (publishDiagnostics), as Neovim and most editors.
    client = await TestClient.start({ rootPath: root, pull: false });
  });
  after(async () => {
    await client.stop();
    rmSync(root, { recursive: true, force: true });
  });

  test('the route test file on disk is checked at the initial index: no findings, a ✓ CodeLens per test', async () => {
    const tests = uri('seed.routes.yaml');
    // Indexed (TestClient.start waits for it) and nothing published for the file: it has no findings.
    assert.deepEqual(client.diagnostics.get(tests) ?? [], []);
    const text = readFileSync(path.join(root, 'seed.routes.yaml'), 'utf8');
    await client.open(tests, text);
    const lenses = (await client.connection.sendRequest(CodeLensRequest.type, { textDocument: { uri: tests } })) as CodeLens[];
    const titles = lenses.map((l) => l.command?.title);
    assert.equal(titles[0], '✓ reaches abc-svc:80 as /index.html');
    assert.equal(titles[1], 'Show route');
    assert.ok(titles.filter((t) => t === 'Show route').length >= 6);
    assert.equal(lenses[1].command?.command, TRACE_REQUEST_COMMAND);
    assert.deepEqual(lenses[1].command?.arguments, [{ url: 'http://www.test.pri:31085/abc/index.html', headers: {}, from: tests }]);
  });

  test('renaming a Service in another open file fails the tests that reach it; accepting the answer clears the diagnostic', async () => {
    const tests = uri('seed.routes.yaml');
    const shop = uri('shop.yaml');
    const shopText = readFileSync(path.join(root, 'shop.yaml'), 'utf8');
    await client.open(shop, shopText);
    await client.replace(shop, shopText.replace('name: dfc-svc', 'name: dfc-service'));
    await client.waitFor(() => client.rules(tests).includes('route-test-failed'), 'a route-test-failed diagnostic on the test file');
    const [diagnostic] = client.diagnostics.get(tests)!;
    assert.equal(diagnostic.code, 'route-test-failed');
    assert.match(diagnostic.message, /^Route test failed: expected default\/dfc-svc:80 as \/api\/items\?page=2, now gets status 503 \(/);
    assert.equal(diagnostic.range.start.line, 14);

    const text = readFileSync(path.join(root, 'seed.routes.yaml'), 'utf8');
    const lenses = (await client.connection.sendRequest(CodeLensRequest.type, { textDocument: { uri: tests } })) as CodeLens[];
    assert.ok(lenses.some((l) => l.command?.title === '✗ gets status 503 (expected default/dfc-svc:80 as /api/items?page=2)'), lenses.map((l) => l.command?.title).join('\n'));

    const actions = (await client.connection.sendRequest(CodeActionRequest.type, { textDocument: { uri: tests }, range: diagnostic.range, context: { diagnostics: [diagnostic] } })) as CodeAction[];
    const accept = actions.find((a) => a.title === 'Accept the current answer');
    assert.ok(accept, actions.map((a) => a.title).join(', '));
    assert.equal(accept.kind, 'quickfix');
    assert.equal(accept.diagnostics?.[0].code, 'route-test-failed');
    const fixed = applyEdits(text, accept.edit!.changes![tests]);
    assert.match(fixed, /\n {2}- url: http:\/\/www\.test\.pri:31085\/dfc\/api\/items\?page=2\n {4}expect:\n {6}status: 503\n/);
    await client.replace(tests, fixed);
    await client.waitFor(() => (client.diagnostics.get(tests) ?? []).length === 0, 'the diagnostic to go away');

    const run = (await client.connection.sendRequest(RUN_ROUTE_TESTS_REQUEST)) as RunRouteTestsResult;
    assert.deepEqual(run.problems, []);
    assert.ok(run.tests.length >= 6 && run.tests.every((t) => t.pass), JSON.stringify(run.tests.filter((t) => !t.pass)));
    const dfc = run.tests.find((t) => t.trace.url.includes('/dfc/'));
    assert.equal(dfc?.title, '✓ gets status 503');
    assert.equal(dfc?.trace.from, tests);

    // Undo the rename: the accepted test now fails the other way round.
    await client.replace(shop, shopText);
    await client.waitFor(() => client.rules(tests).includes('route-test-failed'), 'the accepted test to fail again');
    assert.match(client.diagnostics.get(tests)![0].message, /expected status 503, now reaches default\/dfc-svc:80 as \/api\/items\?page=2\./);
    const again = (await client.connection.sendRequest(RUN_ROUTE_TESTS_REQUEST)) as RunRouteTestsResult;
    assert.deepEqual(again.tests.filter((t) => !t.pass).map((t) => t.name), ['http://www.test.pri:31085/dfc/api/items?page=2']);
  });

  test('an invalid test is a route-test-invalid diagnostic', async () => {
    const tests = uri('seed.routes.yaml');
    await client.replace(tests, 'tests:\n  - url: http://www.test.pri:31085/abc\n    expect: { backend: abc-svc }\n');
    await client.waitFor(() => client.rules(tests).join() === 'route-test-invalid', 'a route-test-invalid diagnostic');
    assert.equal(client.diagnostics.get(tests)![0].range.start.line, 2);
  });
});
