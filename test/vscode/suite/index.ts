// Entry point of the VS Code extension test suite, loaded inside the extension
// host (the `extensionTestsPath` module). Same contract as @vscode/test-electron:
// VS Code calls `run()`; resolving means success, rejecting means failure.
//
// Compiled by test/vscode/build-suite.mjs to test/out/vscode/index.js, next to
// the compiled `*.test.js` files it runs.
//
// Result channel for the code-server harness (test/vscode/harness.mjs): when the
// environment variable KRL_TEST_RESULT holds a file path, the result is also
// written there as JSON { passed, failed, pending, total, failures: [{ title, error }], lines }.
// The file is written atomically (temporary file + rename) so a watcher never
// reads half of it.

import * as fs from 'node:fs';
import * as path from 'node:path';
import Mocha from 'mocha';

/** Name of the environment variable holding the result file path. */
export const RESULT_ENV = 'KRL_TEST_RESULT';

export interface SuiteFailure {
  title: string;
  error: string;
}

export interface SuiteResult {
  passed: number;
  failed: number;
  pending: number;
  total: number;
  failures: SuiteFailure[];
  /** One line per finished test ("✓ title" / "✗ title" / "- title"), for the harness to print. */
  lines: string[];
  durationMs: number;
}

export async function run(): Promise<void> {
  const mocha = new Mocha({ ui: 'tdd', color: false, timeout: Number(process.env.KRL_MOCHA_TIMEOUT ?? 60_000) });
  for (const file of findTestFiles(__dirname)) {
    mocha.addFile(file);
  }
  let result: SuiteResult;
  try {
    result = await runMocha(mocha);
  } catch (err) {
    // Loading a test file can throw (syntax error, failing import): report it as a failure.
    result = emptyResult();
    result.failed = 1;
    result.total = 1;
    result.failures.push({ title: 'loading the test files', error: describeError(err) });
  }
  writeResultFile(result);
  if (result.failed > 0) {
    throw new Error(`${result.failed} of ${result.total} VS Code tests failed:\n` + result.failures.map((f) => `  ${f.title}: ${firstLine(f.error)}`).join('\n'));
  }
  if (result.total === 0) {
    throw new Error(`no VS Code tests found next to ${__dirname}`);
  }
}

/** Compiled test files next to this module, sorted for a stable order. */
function findTestFiles(dir: string): string[] {
  return fs
    .readdirSync(dir)
    .filter((name) => name.endsWith('.test.js'))
    .sort()
    .map((name) => path.join(dir, name));
}

function emptyResult(): SuiteResult {
  return { passed: 0, failed: 0, pending: 0, total: 0, failures: [], lines: [], durationMs: 0 };
}

/** Runs mocha and collects a SuiteResult from the runner's events. */
function runMocha(mocha: Mocha): Promise<SuiteResult> {
  const result = emptyResult();
  const started = Date.now();
  return new Promise((resolve) => {
    const runner = mocha.run(() => {
      result.total = result.passed + result.failed + result.pending;
      result.durationMs = Date.now() - started;
      resolve(result);
    });
    runner.on('pass', (test: Mocha.Test) => {
      result.passed++;
      result.lines.push(`✓ ${test.fullTitle()} (${test.duration ?? 0} ms)`);
    });
    // 'fail' also fires for failing hooks ("before all" hook …), which count as failures.
    runner.on('fail', (test: Mocha.Runnable, err: unknown) => {
      result.failed++;
      result.failures.push({ title: test.fullTitle(), error: describeError(err) });
      result.lines.push(`✗ ${test.fullTitle()}`);
    });
    runner.on('pending', (test: Mocha.Test) => {
      result.pending++;
      result.lines.push(`- ${test.fullTitle()} (pending)`);
    });
  });
}

function describeError(err: unknown): string {
  if (err instanceof Error) return err.stack || `${err.name}: ${err.message}`;
  return String(err);
}

function firstLine(text: string): string {
  return text.split('\n', 1)[0];
}

/** Writes the result where the harness asked for it (no-op under @vscode/test-electron). */
function writeResultFile(result: SuiteResult): void {
  const target = process.env[RESULT_ENV];
  if (!target) return;
  fs.mkdirSync(path.dirname(target), { recursive: true });
  const tmp = `${target}.${process.pid}.tmp`;
  fs.writeFileSync(tmp, JSON.stringify(result, null, 2));
  fs.renameSync(tmp, target);
}
