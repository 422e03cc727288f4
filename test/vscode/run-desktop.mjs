// `npm run test:vscode-desktop`: the same VS Code suite, run the standard way with
// @vscode/test-electron, for contributors whose machine can download VS Code. (CI machines
// cannot; `npm test` runs the suite in code-server instead, see README.md here.)
import { cpSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { runTests } from '@vscode/test-electron';
import { buildSuite } from './build-suite.mjs';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const { indexFile } = await buildSuite();
const workspace = mkdtempSync(path.join(tmpdir(), 'krl-vscode-desktop-'));
cpSync(path.join(ROOT, 'examples'), workspace, { recursive: true });
try {
  await runTests({
    // 1.100 is the oldest VS Code the extension is tested with (the one code-server 4.100.3 carries).
    version: process.env.KRL_VSCODE_VERSION ?? '1.100.3',
    extensionDevelopmentPath: ROOT,
    extensionTestsPath: indexFile,
    launchArgs: [workspace, '--disable-extensions', '--disable-workspace-trust'],
  });
} catch (error) {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
}
