/**
 * Runs route tests: each request is traced (trace/traceRequest.ts) and its answer compared with
 * what the test expects. The answer is summarised in the test file's own terms
 * (`namespace/name:port`, the path and Host the backend receives, redirects, statuses), so a
 * failure reads as expected vs actual, and a passing answer can be written back as a test.
 */
import { Document, stringify } from 'yaml';
import type { Range } from 'vscode-languageserver-types';
import type { TraceOptions, TraceResult } from '../trace/types';
import { traceRequest } from '../trace/traceRequest';
import { parseTraceUrl } from '../trace/parseUrl';
import type { Workspace } from '../workspace/workspace';
import type { RouteExpectation, RouteTest } from './routeTestFile';

/** A traced answer in the words of a route test. */
export interface RouteAnswer {
  readonly found: boolean;
  readonly status?: number;
  /** Every Service of the answer with its weight (percent). */
  readonly backends: readonly { readonly backend: string; readonly weight: number }[];
  /** The one Service that receives the request, when exactly one does. */
  readonly backend?: string;
  readonly path?: string;
  readonly host?: string;
  readonly redirect?: { readonly status: number; readonly location: string };
  readonly reason?: string;
  /** Something on the way (upstream-vhost, a URLRewrite hostname) set the Host the backend receives. */
  readonly hostRewritten?: boolean;
}

export interface RouteTestResult {
  readonly test: RouteTest;
  readonly pass: boolean;
  /** One sentence per unmet expectation: expected vs actual. */
  readonly failures: readonly string[];
  readonly answer: RouteAnswer;
  readonly trace: TraceResult;
}

export function traceOptionsOf(test: Pick<RouteTest, 'headers' | 'method' | 'gateway'>): TraceOptions {
  return { headers: test.headers, ...(test.method ? { method: test.method } : {}), ...(test.gateway ? { gateway: test.gateway } : {}) } as TraceOptions;
}

/**
 * `uri`: the test file. Where independent manifests (examples, variants) serve the same host, the
 * ones applied with the test file's folder answer, as `trace --from` does.
 */
export function runRouteTest(workspace: Workspace, test: RouteTest, uri?: string): RouteTestResult {
  const trace = traceRequest(workspace, test.url, { ...traceOptionsOf(test), ...(uri !== undefined ? { from: uri } : {}) });
  const answer = answerOf(trace, test);
  const failures = compare(test.expect, answer);
  return { test, pass: failures.length === 0, failures, answer, trace };
}

export function answerOf(trace: TraceResult, request: Pick<RouteTest, 'url' | 'headers'>): RouteAnswer {
  const backends = (trace.route?.backends ?? []).filter((b) => b.port !== undefined).map((b) => ({ backend: `${b.namespace}/${b.name}:${b.port}`, weight: b.weight }));
  const receiving = backends.filter((b) => b.weight > 0);
  const hostHeader = Object.entries(request.headers).find(([name]) => name.toLowerCase() === 'host')?.[1];
  const host = trace.upstreamHost ?? hostHeader ?? parseTraceUrl(request.url).url?.host;
  const redirect = trace.route?.redirect;
  return {
    found: trace.found,
    ...(trace.status !== undefined ? { status: trace.status } : {}),
    backends,
    ...(trace.found && !redirect && receiving.length === 1 ? { backend: receiving[0].backend } : {}),
    ...(trace.found && !redirect && trace.upstreamPath !== undefined ? { path: trace.upstreamPath } : {}),
    ...(trace.found && !redirect && host !== undefined ? { host } : {}),
    ...(redirect ? { redirect } : {}),
    ...(trace.reason ? { reason: trace.reason } : {}),
    ...(trace.upstreamHost !== undefined ? { hostRewritten: true } : {}),
  };
}

/** What the answer is, in one phrase (for failures and CodeLens). */
export function describeAnswer(answer: RouteAnswer): string {
  if (answer.redirect) return `a ${answer.redirect.status} redirect to ${answer.redirect.location}`;
  if (!answer.found) return `${answer.status !== undefined ? `status ${answer.status}` : 'no route'}${answer.reason ? ` (${answer.reason})` : ''}`;
  const to = answer.backend ?? (answer.backends.length > 0 ? answer.backends.map((b) => `${b.backend} ${b.weight}%`).join(', ') : 'a backend outside the manifests');
  return `${to}${answer.path !== undefined ? ` as ${answer.path}` : ''}`;
}

function compare(expect: RouteExpectation, answer: RouteAnswer): string[] {
  const failures: string[] = [];
  if (expect.status !== undefined && answer.status !== expect.status) {
    failures.push(`expected status ${expect.status}, got ${answer.status !== undefined ? `status ${answer.status}` : describeAnswer(answer)}`);
  }
  if (expect.redirect) {
    const r = answer.redirect;
    if (!r) failures.push(`expected a redirect${expect.redirect.status ? ` (${expect.redirect.status})` : ''}, got ${describeAnswer(answer)}`);
    else {
      if (expect.redirect.status !== undefined && r.status !== expect.redirect.status) failures.push(`expected redirect status ${expect.redirect.status}, got ${r.status}`);
      if (expect.redirect.location !== undefined && r.location !== expect.redirect.location) failures.push(`expected redirect to ${expect.redirect.location}, got ${r.location}`);
    }
  }
  if (expect.backend !== undefined) {
    if (answer.redirect || !answer.found) failures.push(`expected ${expect.backend}, got ${describeAnswer(answer)}`);
    else if (answer.backend === undefined) failures.push(`expected ${expect.backend} alone, got a split: ${answer.backends.map((b) => `${b.backend} ${b.weight}%`).join(', ')} (use \`backends\`)`);
    else if (answer.backend !== expect.backend) failures.push(`expected ${expect.backend}, got ${answer.backend}`);
  }
  const expected = expect.backends;
  if (expected) {
    const weighted = expected.some((e) => e.weight !== undefined);
    const actual = answer.backends.map((b) => `${b.backend}${weighted ? ` ${b.weight}%` : ''}`).sort();
    const wanted = expected.map((b) => `${b.backend}${b.weight !== undefined ? ` ${b.weight}%` : weighted ? ' ?' : ''}`).sort();
    if (actual.join(', ') !== wanted.join(', ')) failures.push(`expected backends ${wanted.join(', ')}, got ${actual.length > 0 ? actual.join(', ') : describeAnswer(answer)}`);
  }
  if (expect.path !== undefined && answer.path !== expect.path) failures.push(`expected the backend to receive ${expect.path}, got ${answer.path ?? describeAnswer(answer)}`);
  if (expect.host !== undefined && answer.host?.toLowerCase() !== expect.host.toLowerCase()) failures.push(`expected the Host ${expect.host}, got ${answer.host ?? describeAnswer(answer)}`);
  return failures;
}

/** The expectation that describes an answer (what `trace --save-test` and the "accept" quick fix write). */
export function expectationOf(answer: RouteAnswer): Record<string, unknown> {
  if (answer.redirect) return { redirect: { status: answer.redirect.status, location: answer.redirect.location } };
  if (!answer.found) return { status: answer.status ?? 404 };
  const out: Record<string, unknown> = {};
  if (answer.backend) out.backend = answer.backend;
  else if (answer.backends.length > 0) out.backends = answer.backends.map((b) => ({ backend: b.backend, weight: b.weight }));
  if (answer.path !== undefined) out.path = answer.path;
  if (answer.hostRewritten && answer.host !== undefined) out.host = answer.host;
  // Found, but no Service of the manifests receives it and the path cannot be known offline
  // (a backend outside the manifests): the one thing to keep checking is that it stays so.
  if (Object.keys(out).length === 0) out.backends = [];
  return out;
}

/** What a test expects, in one phrase: `shop/web-svc:8080 as /index.html`, `status 404`, `a 301 redirect to …`. */
export function describeExpectation(expect: Omit<RouteExpectation, 'range'>): string {
  const parts: string[] = [];
  if (expect.status !== undefined) parts.push(`status ${expect.status}`);
  if (expect.redirect) parts.push(`a ${expect.redirect.status !== undefined ? `${expect.redirect.status} ` : ''}redirect${expect.redirect.location !== undefined ? ` to ${expect.redirect.location}` : ''}`);
  if (expect.backend !== undefined) parts.push(expect.backend);
  if (expect.backends) parts.push(expect.backends.length === 0 ? 'no Service of the manifests' : expect.backends.map((b) => `${b.backend}${b.weight !== undefined ? ` ${b.weight}%` : ''}`).join(', '));
  let text = parts.join(', ');
  if (expect.path !== undefined) text += `${text ? ' ' : ''}as ${expect.path}`;
  if (expect.host !== undefined) text += `${text ? ' ' : ''}with Host ${expect.host}`;
  return text;
}

/**
 * What happens to the request now, as a verb phrase: `reaches shop/api:9000 as /v1`,
 * `gets status 404 (…)`, `is redirected (301) to …`. `short`: Services without their namespace
 * (CodeLens titles), and no reason.
 */
export function describeOutcome(answer: RouteAnswer, short = false): string {
  if (answer.redirect) return `is redirected (${answer.redirect.status}) to ${answer.redirect.location}`;
  if (!answer.found) return `gets ${answer.status !== undefined ? `status ${answer.status}` : 'no route'}${!short && answer.reason ? ` (${answer.reason})` : ''}`;
  const name = (backend: string) => (short ? backend.slice(backend.indexOf('/') + 1) : backend);
  const to = answer.backend !== undefined ? name(answer.backend) : answer.backends.length > 0 ? answer.backends.map((b) => `${name(b.backend)} ${b.weight}%`).join(', ') : 'a backend outside the manifests';
  return `reaches ${to}${answer.path !== undefined ? ` as ${answer.path}` : ''}${answer.hostRewritten && answer.host !== undefined ? ` with Host ${answer.host}` : ''}`;
}

/** The diagnostic message of a failing test: what it expected, and what happens now. */
export function failureMessage(result: RouteTestResult): string {
  return `Route test failed: expected ${describeExpectation(result.test.expect)}, now ${describeOutcome(result.answer)}.`;
}

/** CodeLens title: `✓ reaches web-svc:8080 as /index.html`, `✗ gets status 404 (expected abc-svc:80 as /)`. */
export function lensTitle(result: RouteTestResult): string {
  return result.pass ? `✓ ${describeOutcome(result.answer, true)}` : `✗ ${describeOutcome(result.answer, true)} (expected ${describeExpectation(result.test.expect)})`;
}

/**
 * The `expect` value as YAML text to put where the old one was written: a flow mapping when the
 * old one was (`{ status: 404 }`), else a block mapping whose lines after the first are indented
 * to `column` (the column of the old value's first key).
 */
export function expectationYaml(expectation: Record<string, unknown>, column: number, flow: boolean): string {
  if (flow) return new Document(expectation).toString({ collectionStyle: 'flow', lineWidth: 0 }).trimEnd();
  const lines = stringify(expectation, { lineWidth: 0 }).trimEnd().split('\n');
  return lines.map((line, i) => (i === 0 ? line : `${' '.repeat(column)}${line}`)).join('\n');
}

/** The edit that replaces a test's `expect` value with the expectation of an answer (the "accept" quick fix). */
export function acceptEdit(text: string, offsetOf: (position: Range['start']) => number, test: RouteTest, answer: RouteAnswer): { readonly range: Range; readonly newText: string } {
  const range = test.expect.range;
  const flow = text.charAt(offsetOf(range.start)) === '{';
  return { range, newText: expectationYaml(expectationOf(answer), range.start.character, flow) };
}
