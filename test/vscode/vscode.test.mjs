// Runs the extension's test suite (test/vscode/suite) inside real VS Code: code-server 4.100.3
// with Debian's Chromium (see README.md here). Needs the extension built (`npm run build`).
import { strict as assert } from 'node:assert';
import { cpSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { buildSuite } from './build-suite.mjs';
import { runSuiteInCodeServer } from './harness.mjs';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

test('the extension test suite passes in real VS Code (code-server)', { timeout: 600_000 }, async () => {
  assert.ok(existsSync(path.join(ROOT, 'client/dist/extension.js')), 'client/dist/extension.js is missing: run `npm run build` first');
  const { indexFile } = await buildSuite();
  const workspaceFolder = mkdtempSync(path.join(tmpdir(), 'krl-vscode-ws-'));
  cpSync(path.join(ROOT, 'examples'), workspaceFolder, { recursive: true });
  // Fixtures only this suite needs (never examples/, whose objects other tests count): fixture-workspace/<folder> → <workspace>/<folder>.
  cpSync(path.join(ROOT, 'test/vscode/fixture-workspace'), workspaceFolder, { recursive: true });
  let result;
  try {
    result = await runSuiteInCodeServer({ extensionDevelopmentPath: ROOT, extensionTestsPath: indexFile, workspaceFolder, log: (line) => console.log(line) });
  } finally {
    rmSync(workspaceFolder, { recursive: true, force: true });
  }
  for (const line of result.lines) console.log(`  ${line}`);
  assert.deepEqual(result.failures, [], 'failing VS Code tests');
  assert.ok(result.passed > 0 && result.failed === 0 && result.pending === 0, `passed ${result.passed}, failed ${result.failed}, pending ${result.pending}`);
});

test('the harness fails when the suite does not run at all', { timeout: 300_000 }, async () => {
  const workspaceFolder = mkdtempSync(path.join(tmpdir(), 'krl-vscode-ws-'));
  try {
    await assert.rejects(
      runSuiteInCodeServer({ extensionDevelopmentPath: ROOT, extensionTestsPath: path.join(workspaceFolder, 'no-such-suite.js'), workspaceFolder, timeoutMs: 60_000, artifactsDir: path.join(ROOT, 'test/artifacts/vscode-negative'), log: () => undefined }),
      /did not run|without writing a result|timed out/,
    );
  } finally {
    rmSync(workspaceFolder, { recursive: true, force: true });
  }
});
