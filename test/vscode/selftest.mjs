#!/usr/bin/env node
// Self-test of the code-server harness: builds test/vscode/suite, then runs it in
// real VS Code (code-server + Chromium) against the throwaway fixture extension
// and workspace. Exits 0 when every test passed, 1 otherwise.
//
//   node test/vscode/selftest.mjs                      # expect: passes
//   node test/vscode/selftest.mjs --tests-path /nope/index.js --timeout 30000
//                                                      # expect: clear "suite did not run" error, exit 1
//
// Env: KRL_CACHE_DIR (code-server install cache), KRL_KEEP_TMP=1 (keep temp profile folders).

import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { buildSuite } from './build-suite.mjs';
import { runSuiteOrFail } from './harness.mjs';

const HERE = path.dirname(fileURLToPath(import.meta.url));

const { values } = parseArgs({
  options: {
    'tests-path': { type: 'string' },
    timeout: { type: 'string', default: '180000' },
  },
});

const t0 = Date.now();
const { indexFile } = await buildSuite();
console.log(`suite built in ${Date.now() - t0} ms`);

const result = await runSuiteOrFail(
  {
    extensionDevelopmentPath: path.join(HERE, 'fixture-extension'),
    extensionTestsPath: values['tests-path'] ? path.resolve(values['tests-path']) : indexFile,
    workspaceFolder: path.join(HERE, 'fixture-workspace'),
    timeoutMs: Number(values.timeout),
    env: { KRL_SELFTEST: '1' },
  },
  { exitOnFailure: true },
);
console.log(`self-test passed; timings (ms): ${JSON.stringify(result.timings)}`);
