/**
 * `kube-route-lens test`: runs route tests (`*.routes.yaml`) against the manifests under the
 * paths, with no cluster. Text for people; JSON and JUnit for CI (README "Route tests", a public
 * contract). Exit codes: 0 every test passes, 1 a test fails, 2 bad usage or an invalid test file.
 */
import { existsSync, statSync } from 'node:fs';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { describeExpectation, describeOutcome, expectationOf, failureMessage } from '../core';
import type { RouteTestProblem, RouteTestResult, Workspace } from '../core';
import { readTextSync } from '../node/files';
import { PRODUCT_VERSION } from '../productInfo';
import { CliError } from './args';
import type { TestCommand } from './args';
import { openWorkspace, relativeFile } from './check';
import { skippedNotes } from './report';
import { painter, safeJsonStringify, visible } from './terminal';

export interface TestOutput {
  readonly stdout: string;
  /** `file:line:column: message` for each problem of a test file (stderr), and skipped-file notes. */
  readonly notes: readonly string[];
  readonly exitCode: 0 | 1 | 2;
}

/** One route test file as run: where it is (relative to the working directory), its problems and results. */
export interface TestFileReport {
  readonly file: string;
  readonly problems: readonly RouteTestProblem[];
  readonly results: readonly RouteTestResult[];
}

export async function runTests(command: TestCommand, cwd: string, color: boolean): Promise<TestOutput> {
  const named = command.files.map((file) => path.resolve(cwd, file));
  const missing = command.files.filter((_, i) => !existsSync(named[i]) || !statSync(named[i]).isFile());
  if (missing.length > 0) throw new CliError(`no such route test file: ${missing.join(', ')}`);
  const { workspace, skipped } = await openWorkspace(command.paths, command.settings, cwd, command.config);
  // Test files named outside the paths join the workspace (they are not manifests, so nothing else changes).
  const namedUris = named.map((file) => pathToFileURL(file).href);
  const extra = [];
  for (let i = 0; i < named.length; i++) {
    if (workspace.text(namedUris[i]) !== undefined) continue;
    const read = readTextSync(named[i], { maxFileSize: workspace.getSettings().maxFileSize });
    if (!('text' in read)) throw new CliError(`cannot read ${command.files[i]}: ${read.skipped.reason}`);
    extra.push({ uri: namedUris[i], text: read.text });
  }
  workspace.update(extra);
  const uris = namedUris.length > 0 ? [...new Set(namedUris)] : workspace.routeTestUris();
  if (uris.length === 0) throw new CliError(`no route test files (*.routes.yaml) under ${command.paths.join(', ')}`);
  const reports = uris.map((uri) => fileReport(workspace, uri, cwd));
  for (let i = 0; i < uris.length; i++) {
    // A named file that holds manifests (a top-level `kind`) is not a route test file.
    if (!workspace.summary(uris[i])?.routeTests) throw new CliError(`${reports[i].file} is not a route test file (it has a top-level apiVersion or kind)`);
  }
  const problems = reports.flatMap((r) => r.problems.map((p) => `${r.file}:${p.range.start.line + 1}:${p.range.start.character + 1}: ${p.message}`));
  const failed = reports.some((r) => r.results.some((t) => !t.pass));
  const stdout = command.format === 'json' ? formatTestJson(reports) : command.format === 'junit' ? formatTestJunit(reports) : formatTestText(reports, color);
  return { stdout, notes: [...problems, ...skippedNotes(skipped)], exitCode: problems.length > 0 ? 2 : failed ? 1 : 0 };
}

function fileReport(workspace: Workspace, uri: string, cwd: string): TestFileReport {
  const summary = workspace.summary(uri);
  return { file: relativeFile(uri, cwd), problems: summary?.routeTests?.problems ?? [], results: workspace.routeTestResults(uri) ?? [] };
}

/** A test's name in reports: its `name`, else its URL (with the method and Gateway when given). */
export function testName(result: RouteTestResult): string {
  const { test } = result;
  if (test.name !== undefined) return test.name;
  return `${test.method && test.method !== 'GET' ? `${test.method} ` : ''}${test.url}${test.gateway ? ` via ${test.gateway}` : ''}`;
}

function counts(reports: readonly TestFileReport[]) {
  const results = reports.flatMap((r) => r.results);
  return { tests: results.length, passed: results.filter((r) => r.pass).length, failed: results.filter((r) => !r.pass).length, invalid: reports.reduce((n, r) => n + r.problems.length, 0) };
}

/** Per file: `✓`/`✗` per test with its line; under a failure, what was expected and what happens now. */
export function formatTestText(reports: readonly TestFileReport[], color: boolean): string {
  const paint = painter(color);
  const lines: string[] = [];
  for (const report of reports) {
    lines.push(paint('bold', visible(report.file)));
    for (const result of report.results) {
      const at = paint('dim', `${report.file}:${result.test.range.start.line + 1}`);
      if (result.pass) {
        lines.push(`  ${paint('good', '✓')} ${visible(testName(result))} ${visible(describeOutcome(result.answer))}  ${at}`);
        continue;
      }
      lines.push(`  ${paint('bad', '✗')} ${visible(testName(result))}  ${at}`);
      lines.push(`      expected: ${visible(describeExpectation(result.test.expect))}`);
      lines.push(`      now:      ${visible(describeOutcome(result.answer))}`);
      for (const failure of result.failures) lines.push(`      - ${visible(failure)}`);
    }
    if (report.problems.length > 0) lines.push(paint('error', `  ${report.problems.length} problem${report.problems.length === 1 ? '' : 's'} in the file (on standard error); invalid tests were not run`));
  }
  const c = counts(reports);
  const summary = `${c.tests} test${c.tests === 1 ? '' : 's'}: ${c.passed} passed, ${c.failed} failed${c.invalid > 0 ? `, ${c.invalid} problem${c.invalid === 1 ? '' : 's'} in test files` : ''}`;
  lines.push('', paint(c.failed > 0 || c.invalid > 0 ? 'bad' : 'good', summary));
  return `${lines.join('\n')}\n`;
}

/** The `expect` of a test as written (without ranges). */
function expected(result: RouteTestResult): Record<string, unknown> {
  const { range: _range, ...rest } = result.test.expect;
  return rest;
}

/** README "Route tests", `--format json`: a public contract (fields are only added). */
export function formatTestJson(reports: readonly TestFileReport[]): string {
  return `${safeJsonStringify({
    version: PRODUCT_VERSION,
    summary: counts(reports),
    files: reports.map((report) => ({
      file: report.file,
      problems: report.problems.map((p) => ({ line: p.range.start.line + 1, column: p.range.start.character + 1, rule: p.kind === 'yaml' ? 'yaml-syntax' : 'route-test-invalid', message: p.message })),
      tests: report.results.map((result) => ({
        name: testName(result),
        line: result.test.range.start.line + 1,
        url: result.test.url,
        ...(result.test.gateway ? { gateway: result.test.gateway } : {}),
        ...(Object.keys(result.test.headers).length > 0 ? { headers: result.test.headers } : {}),
        ...(result.test.method ? { method: result.test.method } : {}),
        pass: result.pass,
        expected: expected(result),
        actual: expectationOf(result.answer),
        outcome: describeOutcome(result.answer),
        failures: result.failures,
        ...(result.pass ? {} : { message: failureMessage(result) }),
      })),
    })),
  })}\n`;
}

/** XML 1.0 text: markup escaped; characters XML cannot hold (and terminal controls) shown as escapes. */
function xml(text: string): string {
  return visible(text)
    .replace(/[\uD800-\uDFFF\uFFFE\uFFFF]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`)
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;');
}

/**
 * JUnit XML as CI systems read it (GitLab, Jenkins, GitHub test reporters): one `<testsuite>` per
 * file, one `<testcase>` per test (`<failure>` with expected vs now); each problem of the file is
 * a `<testcase>` with an `<error>`.
 */
export function formatTestJunit(reports: readonly TestFileReport[]): string {
  const c = counts(reports);
  const out = ['<?xml version="1.0" encoding="UTF-8"?>', `<testsuites name="kube-route-lens route tests" tests="${c.tests + c.invalid}" failures="${c.failed}" errors="${c.invalid}">`];
  for (const report of reports) {
    const failures = report.results.filter((r) => !r.pass).length;
    out.push(`  <testsuite name="${xml(report.file)}" tests="${report.results.length + report.problems.length}" failures="${failures}" errors="${report.problems.length}">`);
    for (const result of report.results) {
      const attributes = `classname="${xml(report.file)}" name="${xml(testName(result))}" file="${xml(report.file)}" line="${result.test.range.start.line + 1}"`;
      if (result.pass) {
        out.push(`    <testcase ${attributes}/>`);
        continue;
      }
      out.push(`    <testcase ${attributes}>`);
      out.push(`      <failure message="${xml(failureMessage(result))}" type="route-test-failed">${[`expected: ${describeExpectation(result.test.expect)}`, `now: ${describeOutcome(result.answer)}`, ...result.failures].map(xml).join('\n')}</failure>`);
      out.push('    </testcase>');
    }
    for (const problem of report.problems) {
      const line = problem.range.start.line + 1;
      out.push(`    <testcase classname="${xml(report.file)}" name="${xml(`${report.file}:${line}`)}" file="${xml(report.file)}" line="${line}">`);
      out.push(`      <error message="${xml(problem.message)}" type="${problem.kind === 'yaml' ? 'yaml-syntax' : 'route-test-invalid'}"/>`);
      out.push('    </testcase>');
    }
    out.push('  </testsuite>');
  }
  out.push('</testsuites>');
  return `${out.join('\n')}\n`;
}
