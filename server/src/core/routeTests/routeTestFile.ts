/**
 * Route test files (`*.routes.yaml`): requests and what they must reach, checked against the
 * manifests with the tracer, with no cluster. The format (README "Route tests"; JSON schema
 * `server/schemas/kube-route-lens-routes.schema.json`) is a public contract: fields are only added.
 *
 * ```yaml
 * tests:
 *   - url: http://shop.test.pri:31085/web/index.html
 *     gateway: infra/prod-web          # optional, as trace --gateway
 *     headers: { X-Canary: "always" }  # optional
 *     method: GET                      # optional
 *     expect:
 *       backend: shop/web-svc:8080     # namespace/name:port of the one Service that receives it
 *       path: /index.html              # optional: what the backend receives
 *       host: shop.internal            # optional: the Host the backend receives
 * ```
 */
import { isMap, isScalar, isSeq, parseDocument, stringify } from 'yaml';
import type { Node, YAMLMap } from 'yaml';
import type { Range } from 'vscode-languageserver-types';
import type { SyntaxProblem } from '../model';
import type { LineIndex } from '../text/lineIndex';
import { Reader } from '../parse/reader';
import { parseTraceUrl } from '../trace/parseUrl';

export function isRouteTestUri(uri: string): boolean {
  return /\.routes\.ya?ml$/i.test(uri);
}

export interface ExpectedBackend {
  /** `namespace/name:port`. */
  readonly backend: string;
  readonly weight?: number;
}

export interface RouteExpectation {
  readonly range: Range;
  readonly backend?: string;
  readonly path?: string;
  readonly host?: string;
  readonly backends?: readonly ExpectedBackend[];
  readonly redirect?: { readonly status?: number; readonly location?: string };
  readonly status?: number;
}

export interface RouteTest {
  /** The list item. */
  readonly range: Range;
  /** Where CodeLens and diagnostics point: the `url` value. */
  readonly anchor: Range;
  /** The position of the test in the file (0-based), for names in reports. */
  readonly index: number;
  readonly name?: string;
  readonly url: string;
  readonly gateway?: string;
  readonly headers: Readonly<Record<string, string>>;
  readonly method?: string;
  readonly expect: RouteExpectation;
}

/** `yaml`: the file is not YAML (reported as `yaml-syntax`); `format`: YAML that is not a route test file (`route-test-invalid`). */
export interface RouteTestProblem extends SyntaxProblem {
  readonly kind: 'yaml' | 'format';
}

export interface RouteTestFile {
  readonly tests: readonly RouteTest[];
  readonly problems: readonly RouteTestProblem[];
}

const TEST_KEYS = new Set(['name', 'url', 'gateway', 'headers', 'method', 'expect']);
const EXPECT_KEYS = new Set(['backend', 'path', 'host', 'backends', 'redirect', 'status']);
const BACKENDS_KEYS = new Set(['backend', 'weight']);
const REDIRECT_KEYS = new Set(['status', 'location']);
/** `namespace/name:port` (a port number or name). */
const BACKEND = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?\/[a-z0-9]([-a-z0-9.]*[a-z0-9])?:([0-9]+|[a-z0-9]([-a-z0-9]*[a-z0-9])?)$/;

/** Reads a route test file; every problem names its place (the CLI prints file:line for each). */
export function readRouteTests(text: string, lines: LineIndex): RouteTestFile {
  const problems: RouteTestProblem[] = [];
  let doc;
  try {
    doc = parseDocument(text, { prettyErrors: false, uniqueKeys: false });
  } catch (error) {
    // The parser's own limits (pathological nesting): one problem, never a crash.
    return { tests: [], problems: [{ kind: 'yaml', message: `Route tests: cannot be read as YAML (${error instanceof Error ? error.message : String(error)})`, range: lines.range(0, 0) }] };
  }
  for (const error of doc.errors) {
    const [start, end] = error.pos;
    problems.push({ kind: 'yaml', message: `Route tests: ${error.message.split('\n')[0]}`, range: lines.range(start, Math.max(start, end)) });
  }
  if (problems.length > 0) return { tests: [], problems };
  const reader = new Reader(doc, lines);
  const root = reader.map(doc.contents);
  const problem = (node: Node | undefined, message: string) => problems.push({ kind: 'format', message: `Route tests: ${message}`, range: node ? reader.range(node) : lines.range(0, 0) });
  // An empty file (just created) has no tests and nothing wrong.
  if (doc.contents === null || (isScalar(doc.contents) && doc.contents.value === null)) return { tests: [], problems };
  if (!root) {
    problem(doc.contents as Node, 'expected a mapping with `tests`');
    return { tests: [], problems };
  }
  for (const pair of reader.pairs(root)) {
    const key = reader.knownString(pair.key as Node)?.value;
    if (key !== 'tests') problem(pair.key as Node, `unknown key \`${key ?? '?'}\` (known: \`tests\`)`);
  }
  const listNode = reader.get(root, 'tests');
  // `tests:` with nothing under it yet: no tests.
  if (reader.keyNode(root, 'tests') && (listNode === undefined || (isScalar(listNode) && listNode.value === null))) return { tests: [], problems };
  const list = reader.seq(listNode);
  if (!list) {
    problem(reader.keyNode(root, 'tests') ?? (root as Node), '`tests` must be a list of tests');
    return { tests: [], problems };
  }
  const tests: RouteTest[] = [];
  list.items.forEach((item, index) => {
    const before = problems.length;
    const test = readTest(reader, item as Node, index, problem);
    // A test with a problem is not run: its result would say nothing the problem does not.
    if (test && problems.length === before) tests.push(test);
  });
  return { tests, problems };
}

type Report = (node: Node | undefined, message: string) => void;

function readTest(reader: Reader, node: Node, index: number, problem: Report): RouteTest | undefined {
  const map = reader.map(node);
  if (!map) {
    problem(node, `test ${index + 1} must be a mapping with \`url\` and \`expect\``);
    return undefined;
  }
  unknownKeys(reader, map, TEST_KEYS, '', problem);
  for (const key of ['name', 'url', 'gateway', 'method']) {
    const value = reader.get(map, key);
    if (value && !isScalar(value)) problem(value, `\`${key}\` must be a string`);
  }
  const urlNode = reader.get(map, 'url');
  const url = reader.knownString(urlNode);
  if (!url) {
    problem(urlNode ?? node, `test ${index + 1} has no \`url\``);
    return undefined;
  }
  const parsed = parseTraceUrl(url.value);
  if (parsed.error !== undefined) {
    problem(urlNode, parsed.error);
    return undefined;
  }
  const expectNode = reader.get(map, 'expect');
  const expect = reader.map(expectNode);
  if (!expect) {
    problem(expectNode ?? urlNode, `test ${index + 1} has no \`expect\` mapping`);
    return undefined;
  }
  const expectation = readExpectation(reader, expect, expectNode!, problem);
  if (!expectation) return undefined;
  const gateway = reader.knownString(reader.get(map, 'gateway'));
  if (gateway && !/^[^/\s]+\/[^/\s]+$/.test(gateway.value)) problem(reader.get(map, 'gateway'), '`gateway` must be NAMESPACE/NAME');
  const headers: Record<string, string> = {};
  const headersNode = reader.get(map, 'headers');
  if (headersNode) {
    const headerMap = reader.map(headersNode);
    if (!headerMap) problem(headersNode, '`headers` must be a mapping of header names to values');
    for (const pair of headerMap ? reader.pairs(headerMap) : []) {
      const name = reader.knownString(pair.key as Node)?.value;
      const value = reader.knownString(reader.deref(pair.value));
      if (name === undefined || value === undefined) problem(pair.key as Node, 'each header needs a name and a string value');
      else headers[name] = value.value;
    }
  }
  const method = reader.knownString(reader.get(map, 'method'));
  if (method && !/^[A-Za-z]+$/.test(method.value)) problem(reader.get(map, 'method'), '`method` must be a method name such as GET');
  return {
    range: reader.range(node),
    anchor: url.range,
    index,
    name: reader.knownString(reader.get(map, 'name'))?.value,
    url: url.value,
    gateway: gateway?.value,
    headers,
    method: method?.value.toUpperCase(),
    expect: expectation,
  };
}

function readExpectation(reader: Reader, map: YAMLMap, node: Node, report: Report): RouteExpectation | undefined {
  let reported = false;
  const problem: Report = (at, message) => {
    reported = true;
    report(at, message);
  };
  unknownKeys(reader, map, EXPECT_KEYS, 'expect.', problem);
  for (const key of ['backend', 'path', 'host']) {
    const value = reader.get(map, key);
    if (value && !isScalar(value)) problem(value, `\`expect.${key}\` must be a string`);
  }
  const integer = (value: Node | undefined, what: string) => {
    const field = reader.int(value);
    if (field?.unknown) problem(value, `\`${what}\` must be a number (got \`${field.wrongType ?? 'a non-number'}\`)`);
  };
  integer(reader.get(map, 'status'), 'expect.status');
  const redirectStatusNode = reader.get(reader.map(reader.get(map, 'redirect')), 'status');
  integer(redirectStatusNode, 'expect.redirect.status');
  const backendNode = reader.get(map, 'backend');
  const backend = reader.knownString(backendNode)?.value;
  if (backend !== undefined && !BACKEND.test(backend)) problem(backendNode, `\`expect.backend\` must be NAMESPACE/NAME:PORT (got \`${backend}\`)`);
  const backendsNode = reader.get(map, 'backends');
  let backends: ExpectedBackend[] | undefined;
  if (backendsNode) {
    const seq = reader.seq(backendsNode);
    if (!seq) problem(backendsNode, '`expect.backends` must be a list of `{ backend, weight }`');
    backends = (seq?.items ?? []).map((item) => {
      const entry = reader.map(item);
      const b = reader.knownString(reader.get(entry, 'backend'))?.value ?? '';
      if (!BACKEND.test(b)) problem(item as Node, `each of \`expect.backends\` needs \`backend: NAMESPACE/NAME:PORT\``);
      if (entry) unknownKeys(reader, entry, BACKENDS_KEYS, 'expect.backends[].', problem);
      integer(reader.get(entry, 'weight'), 'weight');
      const weight = reader.int(reader.get(entry, 'weight'));
      return { backend: b, ...(weight && !weight.unknown ? { weight: weight.value } : {}) };
    });
  }
  const redirectNode = reader.get(map, 'redirect');
  const redirect = reader.map(redirectNode);
  if (redirectNode && !redirect) problem(redirectNode, '`expect.redirect` must be `{ status, location }`');
  if (redirect) unknownKeys(reader, redirect, REDIRECT_KEYS, 'expect.redirect.', problem);
  const status = reader.int(reader.get(map, 'status'));
  const expectation: RouteExpectation = {
    range: reader.range(node),
    ...(backend !== undefined ? { backend } : {}),
    ...(reader.knownString(reader.get(map, 'path')) ? { path: reader.knownString(reader.get(map, 'path'))!.value } : {}),
    ...(reader.knownString(reader.get(map, 'host')) ? { host: reader.knownString(reader.get(map, 'host'))!.value } : {}),
    ...(backends ? { backends } : {}),
    ...(redirect
      ? {
          redirect: {
            ...(reader.int(reader.get(redirect, 'status')) && !reader.int(reader.get(redirect, 'status'))!.unknown ? { status: (reader.int(reader.get(redirect, 'status')) as { value: number }).value } : {}),
            ...(reader.knownString(reader.get(redirect, 'location')) ? { location: reader.knownString(reader.get(redirect, 'location'))!.value } : {}),
          },
        }
      : {}),
    ...(status && !status.unknown ? { status: status.value } : {}),
  };
  const checks = ['backend', 'path', 'host', 'backends', 'redirect', 'status'].filter((k) => k in expectation);
  if (checks.length === 0) {
    // A wrong value already said why (`status: "404"`).
    if (reported) return undefined;
    problem(node, '`expect` states nothing to check: give `backend`, `backends`, `redirect` or `status` (and optionally `path`, `host`)');
    return undefined;
  }
  return expectation;
}

function unknownKeys(reader: Reader, map: YAMLMap, known: ReadonlySet<string>, prefix: string, problem: Report): void {
  for (const pair of reader.pairs(map)) {
    const key = reader.knownString(pair.key as Node)?.value;
    if (key !== undefined && !known.has(key)) problem(pair.key as Node, `unknown key \`${prefix}${key}\` (known: ${[...known].map((k) => `\`${k}\``).join(', ')})`);
  }
}

/** A test to write: what `trace --save-test` records (the expectation comes from runRouteTests.ts expectationOf). */
export interface NewRouteTest {
  readonly name?: string;
  readonly url: string;
  readonly gateway?: string;
  readonly headers?: Readonly<Record<string, string>>;
  readonly method?: string;
  readonly expect: Record<string, unknown>;
}

/**
 * The text of a route test file with one more test at the end, the existing text (comments
 * included) kept byte for byte: a new file is `tests:` and the test; otherwise the test is
 * appended to the block list `tests`, at the indentation of its first item. `error` when the file
 * cannot take it (not YAML, a flow list, not a route test file).
 */
export function appendRouteTest(text: string | undefined, test: NewRouteTest): { readonly text: string } | { readonly error: string } {
  const entry = {
    ...(test.name !== undefined ? { name: test.name } : {}),
    url: test.url,
    ...(test.gateway !== undefined ? { gateway: test.gateway } : {}),
    ...(test.headers && Object.keys(test.headers).length > 0 ? { headers: { ...test.headers } } : {}),
    ...(test.method !== undefined ? { method: test.method } : {}),
    expect: test.expect,
  };
  // `- url: …` at column 0; indented below as the file's list is.
  const item = stringify([entry], { lineWidth: 0 }).trimEnd().split('\n');
  const indented = (dash: number) => `${item.map((line) => `${' '.repeat(dash)}${line}`).join('\n')}\n`;
  const base = text ?? '';
  const separator = base.length === 0 || base.endsWith('\n') ? '' : '\n';
  let doc;
  try {
    doc = parseDocument(base, { prettyErrors: false, uniqueKeys: false });
  } catch {
    return { error: 'the file cannot be read as YAML' };
  }
  if (doc.errors.length > 0) return { error: `the file is not valid YAML (${doc.errors[0].message.split('\n')[0]})` };
  const root = doc.contents;
  if (root === null || (isScalar(root) && root.value === null)) return { text: `${base}${separator}tests:\n${indented(2)}` };
  if (!isMap(root) || !root.has('tests')) return { error: 'the file is not a route test file (no `tests:` list)' };
  const list = root.get('tests', true);
  if (list === null || list === undefined || (isScalar(list) && list.value === null)) {
    // `tests:` with nothing under it: the list must follow it, so it must be the last key.
    const last = root.items[root.items.length - 1];
    if ((last.key as Node | null) !== null && isScalar(last.key) && last.key.value === 'tests') return { text: `${base}${separator}${indented(2)}` };
    return { error: '`tests:` is empty and not the last key; add the test by hand' };
  }
  if (!isSeq(list) || list.flow) return { error: '`tests` is not a block list (`- url: …` items); rewrite it as one to append to it' };
  const first = list.items[0] as Node | undefined;
  if (!first?.range) return { error: '`tests` is an empty list; write `tests:` alone to append to it' };
  // The column of the first item's `-`.
  const lineStart = base.lastIndexOf('\n', first.range[0] - 1) + 1;
  const dash = base.slice(lineStart, first.range[0]).lastIndexOf('-');
  if (dash < 0) return { error: 'cannot find where the items of `tests` start' };
  // Anything after the list at a smaller indentation would capture the new item: only a list that ends the file is appended to.
  if (root.items[root.items.length - 1].value !== list) return { error: '`tests` is not the last key of the file; move it last to append to it' };
  return { text: `${base}${separator}${indented(dash)}` };
}
