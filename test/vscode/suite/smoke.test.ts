// Throwaway smoke test proving the code-server harness works end to end with
// the fixture extension in test/vscode/fixture-extension (see selftest.mjs).
// It only runs when KRL_SELFTEST=1 (set by selftest.mjs); in runs against the
// real extension its tests are reported as pending.

import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import * as vscode from 'vscode';

const FIXTURE_ID = 'krl-test.krl-fixture';

suite('harness smoke test', function () {
  suiteSetup(function () {
    if (process.env.KRL_SELFTEST !== '1') this.skip();
  });

  test('the workspace folder is open', () => {
    const expected = process.env.KRL_TEST_WORKSPACE;
    assert.ok(expected, 'KRL_TEST_WORKSPACE is not set in the extension host');
    const folders = (vscode.workspace.workspaceFolders ?? []).map((f) => f.uri.fsPath);
    assert.ok(
      folders.includes(path.resolve(expected)),
      `expected ${expected} among the workspace folders ${JSON.stringify(folders)}`,
    );
  });

  test('the fixture extension is present and activates', async () => {
    const ext = vscode.extensions.getExtension<{ hello(): string }>(FIXTURE_ID);
    assert.ok(ext, `extension ${FIXTURE_ID} not found`);
    const api = await ext.activate();
    assert.equal(api.hello(), 'fixture-ok');
  });

  test('a command contributed by the fixture runs', async () => {
    const answer = await vscode.commands.executeCommand<string>('krlFixture.ping');
    assert.equal(answer, 'pong');
  });
});
