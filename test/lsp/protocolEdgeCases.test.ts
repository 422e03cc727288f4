/**
 * The language server keeps to the protocol at its edges, driven over raw stdio frames: the
 * lifecycle (nothing before `initialize`, nothing but `exit` after `shutdown`), malformed frames
 * (the next valid frame is still answered), and requests whose positions or URIs are null,
 * negative, fractional, past the end, unknown or not `file:` (an empty result, never an
 * internal error, and no error logged).
 */
import { strict as assert } from 'node:assert';
import { spawn } from 'node:child_process';
import type { ChildProcessWithoutNullStreams } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { SERVER } from '../helpers/lspClient';

const EXAMPLES = path.resolve(__dirname, '../../examples/seed-routing');
/** How long any single answer may take; a stalled connection fails the test instead of hanging it. */
const ANSWER_MS = 5000;

interface ResponseMessage {
  readonly id: number | string | null;
  readonly result?: unknown;
  readonly error?: { readonly code: number; readonly message: string };
}

interface Frame {
  readonly id?: number | string | null;
  readonly method?: string;
  readonly params?: unknown;
  readonly result?: unknown;
  readonly error?: { readonly code: number; readonly message: string };
}

function frame(message: unknown): Buffer {
  const body = Buffer.from(JSON.stringify(message), 'utf8');
  return Buffer.concat([Buffer.from(`Content-Length: ${body.length}\r\n\r\n`, 'ascii'), body]);
}

/** The built server over stdio, spoken to frame by frame (no client library in between). */
class RawServer {
  private nextId = 1;
  private buffer = Buffer.alloc(0);
  private readonly waiting = new Map<number | string, (response: ResponseMessage) => void>();
  private listeners: (() => void)[] = [];
  readonly notifications: Frame[] = [];
  readonly stderr: string[] = [];
  readonly exited: Promise<number | null>;
  readonly child: ChildProcessWithoutNullStreams;

  constructor() {
    if (!existsSync(SERVER)) throw new Error('server/dist/server.js is missing: run `node esbuild.mjs` first');
    this.child = spawn(process.execPath, [SERVER, '--stdio'], { stdio: ['pipe', 'pipe', 'pipe'] });
    this.exited = new Promise((resolve) => this.child.once('exit', (code) => resolve(code)));
    this.child.stdout.on('data', (chunk: Buffer) => this.read(chunk));
    this.child.stderr.on('data', (chunk: Buffer) => this.stderr.push(chunk.toString()));
    // Writes after the server exited must not crash the test process.
    this.child.stdin.on('error', () => undefined);
  }

  private read(chunk: Buffer): void {
    this.buffer = Buffer.concat([this.buffer, chunk]);
    for (;;) {
      const end = this.buffer.indexOf('\r\n\r\n');
      if (end < 0) return;
      const length = Number(/Content-Length: (\d+)/i.exec(this.buffer.subarray(0, end).toString('ascii'))?.[1]);
      if (this.buffer.length < end + 4 + length) return;
      const message = JSON.parse(this.buffer.subarray(end + 4, end + 4 + length).toString('utf8')) as Frame;
      this.buffer = this.buffer.subarray(end + 4 + length);
      this.dispatch(message);
    }
  }

  private dispatch(message: Frame): void {
    if (message.method !== undefined && message.id !== undefined) {
      // A request of the server: answer like a plain client would.
      const items = (message.params as { items?: unknown[] } | undefined)?.items;
      this.write(frame({ jsonrpc: '2.0', id: message.id, result: message.method === 'workspace/configuration' ? (items ?? []).map(() => null) : null }));
    } else if (message.method !== undefined) {
      this.notifications.push(message);
    } else if (message.id !== undefined && message.id !== null) {
      this.waiting.get(message.id)?.(message as ResponseMessage);
      this.waiting.delete(message.id);
    }
    for (const listener of [...this.listeners]) listener();
  }

  write(bytes: Buffer | string): void {
    this.child.stdin.write(bytes);
  }

  notify(method: string, params?: unknown): void {
    this.write(frame({ jsonrpc: '2.0', method, ...(params === undefined ? {} : { params }) }));
  }

  /** Sends a request and resolves with the whole response; rejects if none comes within ANSWER_MS. */
  request(method: string, params?: unknown): Promise<ResponseMessage> {
    const id = this.nextId++;
    const message = { jsonrpc: '2.0', id, method, ...(params === undefined ? {} : { params }) };
    return this.requestFrame(id, frame(message), method);
  }

  /** A request id the caller writes itself (inside hand-made bytes). */
  reserveId(): number {
    return this.nextId++;
  }

  expectResponse(id: number, what: string): Promise<ResponseMessage> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.waiting.delete(id);
        reject(new Error(`no answer to ${what} (id ${id}) within ${ANSWER_MS} ms; stderr: ${this.stderr.join('')}`));
      }, ANSWER_MS);
      this.waiting.set(id, (response) => {
        clearTimeout(timer);
        resolve(response);
      });
    });
  }

  requestFrame(id: number, bytes: Buffer, what: string): Promise<ResponseMessage> {
    const answer = this.expectResponse(id, what);
    this.write(bytes);
    return answer;
  }

  waitFor(predicate: () => boolean, what: string): Promise<void> {
    if (predicate()) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`timed out waiting for ${what}`)), 15000);
      const check = () => {
        if (!predicate()) return;
        clearTimeout(timer);
        this.listeners = this.listeners.filter((l) => l !== check);
        resolve();
      };
      this.listeners.push(check);
    });
  }

  /** initialize + initialized, then waits for the first index. */
  async initialize(rootPath?: string): Promise<ResponseMessage> {
    const rootUri = rootPath ? `file://${rootPath}` : null;
    const response = await this.request('initialize', {
      processId: process.pid,
      rootUri,
      capabilities: {},
      ...(rootUri ? { workspaceFolders: [{ uri: rootUri, name: 'test' }] } : {}),
    });
    this.notify('initialized', {});
    await this.waitFor(() => this.notifications.some((n) => n.method === 'kubeRouteLens/status' && (n.params as { state: string }).state === 'ready'), 'the initial index');
    return response;
  }

  /** Messages the server logged with `error:` (runSafe's report of a handler that threw). */
  loggedErrors(): string[] {
    return this.notifications
      .filter((n) => n.method === 'window/logMessage')
      .map((n) => (n.params as { message: string }).message)
      .filter((m) => /error:/.test(m));
  }

  async exitCode(): Promise<number | null> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<'timeout'>((resolve) => (timer = setTimeout(() => resolve('timeout'), ANSWER_MS)));
    const code = await Promise.race([this.exited, timeout]);
    clearTimeout(timer);
    if (code === 'timeout') {
      this.child.kill();
      throw new Error(`the server did not exit within ${ANSWER_MS} ms`);
    }
    return code;
  }

  kill(): void {
    if (this.child.exitCode === null && this.child.signalCode === null) this.child.kill();
  }
}

const SERVER_NOT_INITIALIZED = -32002;
const INVALID_REQUEST = -32600;

describe('lifecycle: nothing before initialize, nothing but exit after shutdown', () => {
  test('requests before initialize answer ServerNotInitialized (-32002) at once; then initialize works', async () => {
    const server = new RawServer();
    try {
      const root = mkdtempSync(path.join(tmpdir(), 'krl-edge-life-'));
      cpSync(EXAMPLES, root, { recursive: true });
      const file = `file://${path.join(root, 'web.yaml')}`;
      const early = await Promise.all([
        server.request('textDocument/hover', { textDocument: { uri: file }, position: { line: 37, character: 14 } }),
        server.request('kubeRouteLens/serverInfo'),
        server.request('kubeRouteLens/routeGraph', { scope: { kind: 'workspace' } }),
        server.request('workspace/symbol', { query: '' }),
        server.request('shutdown'),
      ]);
      assert.deepEqual(early.map((r) => [r.error?.code, 'result' in r]), early.map(() => [SERVER_NOT_INITIALIZED, false]));
      // A notification before initialize is dropped: this buffer is never opened.
      server.notify('textDocument/didOpen', { textDocument: { uri: 'untitled:early', languageId: 'yaml', version: 1, text: 'apiVersion: v1\nkind: Service\nmetadata:\n  name: early\n' } });
      const init = await server.initialize(root);
      assert.equal((init.result as { serverInfo: { name: string } }).serverInfo.name, 'kube-route-lens');
      const symbols = await server.request('textDocument/documentSymbol', { textDocument: { uri: 'untitled:early' } });
      assert.deepEqual(symbols, { jsonrpc: '2.0', id: symbols.id, result: [] });
      const info = await server.request('kubeRouteLens/serverInfo');
      assert.equal((info.result as { pid: number }).pid, server.child.pid);
      const again = await server.request('initialize', { processId: null, rootUri: null, capabilities: {} });
      assert.equal(again.error?.code, INVALID_REQUEST);
    } finally {
      server.kill();
    }
  });

  test('after shutdown every request answers InvalidRequest (-32600), and exit ends the process with 0', async () => {
    const server = new RawServer();
    try {
      const root = mkdtempSync(path.join(tmpdir(), 'krl-edge-life-'));
      cpSync(EXAMPLES, root, { recursive: true });
      await server.initialize(root);
      const shutdown = await server.request('shutdown');
      assert.deepEqual([shutdown.result, shutdown.error], [null, undefined]);
      const file = `file://${path.join(root, 'web.yaml')}`;
      const late = await Promise.all([
        server.request('textDocument/hover', { textDocument: { uri: file }, position: { line: 37, character: 14 } }),
        server.request('kubeRouteLens/serverInfo'),
        server.request('workspace/symbol', { query: '' }),
        server.request('shutdown'),
        server.request('initialize', { processId: null, rootUri: null, capabilities: {} }),
      ]);
      assert.deepEqual(late.map((r) => [r.error?.code, 'result' in r]), late.map(() => [INVALID_REQUEST, false]));
      server.notify('exit');
      assert.equal(await server.exitCode(), 0);
    } finally {
      server.kill();
    }
  });

  test('exit without shutdown ends the process with 1', async () => {
    const server = new RawServer();
    try {
      await server.initialize();
      server.notify('exit');
      assert.equal(await server.exitCode(), 1);
    } finally {
      server.kill();
    }
  });
});

describe('framing: a malformed frame never stalls the connection', { concurrency: 4 }, () => {
  /** A fresh, initialized server per case, so that one stalled case cannot fail the others. */
  async function withServer(run: (server: RawServer) => Promise<void>): Promise<void> {
    const server = new RawServer();
    try {
      await server.initialize();
      await run(server);
      const shutdown = await server.request('shutdown');
      assert.deepEqual([shutdown.result, shutdown.error], [null, undefined]);
      server.notify('exit');
      assert.equal(await server.exitCode(), 0);
    } finally {
      server.kill();
    }
  }

  const body = (id: number) => JSON.stringify({ jsonrpc: '2.0', id, method: 'kubeRouteLens/serverInfo' });
  /** Bytes that are not a well-formed frame; `id` is a request id the bytes may carry (answered or not, it does not matter). */
  const MALFORMED: Record<string, (id: number) => string> = {
    'Content-Length: abc': (id) => `Content-Length: abc\r\n\r\n${body(id)}`,
    'Content-Length: -5': (id) => `Content-Length: -5\r\n\r\n${body(id)}`,
    'Content-Length: 5abc': (id) => `Content-Length: 5abc\r\n\r\n${body(id)}`,
    'Content-Length: 1.5': (id) => `Content-Length: 1.5\r\n\r\n${body(id)}`,
    'Content-Length: +52': (id) => `Content-Length: +52\r\n\r\n${body(id)}`,
    'Content-Length: (empty)': (id) => `Content-Length: \r\n\r\n${body(id)}`,
    'Content-Length: 99999999999999999999 (huge)': (id) => `Content-Length: 99999999999999999999\r\n\r\n${body(id)}`,
    'Content-Length: 9007199254740993 (past 2^53)': (id) => `Content-Length: 9007199254740993\r\n\r\n${body(id)}`,
    'Content-Length: 4294967296 (4 GiB)': (id) => `Content-Length: 4294967296\r\n\r\n${body(id)}`,
    'Content-Length: 1000000 with a short body': (id) => `Content-Length: 1000000\r\n\r\n${body(id)}`,
    'Content-Length: 5 with a longer body': (id) => `Content-Length: 5\r\n\r\n${body(id)}`,
    'Content-Length: 0 with a body': (id) => `Content-Length: 0\r\n\r\n${body(id)}`,
    'two Content-Length headers': (id) => `Content-Length: 3\r\nContent-Length: ${body(id).length}\r\n\r\n${body(id)}`,
    'missing Content-Length (only Content-Type)': (id) => `Content-Type: application/vscode-jsonrpc; charset=utf-8\r\n\r\n${body(id)}`,
    'no header at all': (id) => body(id),
    'a header line without a colon': (id) => `garbage\r\nContent-Length: ${body(id).length}\r\n\r\n${body(id)}`,
    'header lines ended by LF only': (id) => `Content-Length: ${body(id).length}\n\n${body(id)}`,
    'binary garbage': () => '\u0000\u0001\u00ff\r\n\r\n\u0007',
    'non-JSON body': () => 'Content-Length: 8\r\n\r\nnot json',
    'truncated JSON body': () => 'Content-Length: 12\r\n\r\n{"jsonrpc":"',
    'a JSON array body': () => 'Content-Length: 2\r\n\r\n[]',
    'a JSON body that is not a message': () => 'Content-Length: 4\r\n\r\nnull',
  };

  for (const [name, bytes] of Object.entries(MALFORMED)) {
    for (const split of [false, true]) {
      test(`${name}${split ? ' (written 7 bytes at a time)' : ''}: the next valid requests are answered`, () =>
        withServer(async (server) => {
          const next = [server.reserveId(), server.reserveId()];
          const bad = Buffer.from(bytes(server.reserveId()), 'latin1');
          const good = next.map((id) => frame({ jsonrpc: '2.0', id, method: 'kubeRouteLens/serverInfo' }));
          const answers = next.map((id) => server.expectResponse(id, `the request after "${name}"`));
          const all = Buffer.concat([bad, ...good]);
          if (split) {
            for (let i = 0; i < all.length; i += 7) {
              server.write(all.subarray(i, i + 7));
              await new Promise((resolve) => setImmediate(resolve));
            }
          } else {
            server.write(all);
          }
          const responses = await Promise.all(answers);
          const version = (responses[0].result as { version?: string } | undefined)?.version;
          assert.deepEqual(responses, next.map((id) => ({ jsonrpc: '2.0', id, result: { version, pid: server.child.pid } })));
        }));
    }
  }

  test('a frame with a Content-Type header and a non-ASCII body is read whole', () =>
    withServer(async (server) => {
      const id = server.reserveId();
      const json = Buffer.from(JSON.stringify({ jsonrpc: '2.0', id, method: 'workspace/symbol', params: { query: 'café ☕ 𝄞' } }), 'utf8');
      const bytes = Buffer.concat([Buffer.from(`Content-Type: application/vscode-jsonrpc; charset=utf-8\r\nContent-Length: ${json.length}\r\n\r\n`, 'ascii'), json]);
      assert.deepEqual(await server.requestFrame(id, bytes, 'workspace/symbol'), { jsonrpc: '2.0', id, result: [] });
    }));

  test('a large frame written in chunks is read whole', () =>
    withServer(async (server) => {
      const id = server.reserveId();
      // The query names no object; it is large only so that the frame arrives in many chunks.
      const bytes = frame({ jsonrpc: '2.0', id, method: 'workspace/symbol', params: { query: `Content-Length: 5 ${'x'.repeat(300_000)}` } });
      const answer = server.expectResponse(id, 'a large workspace/symbol');
      for (let i = 0; i < bytes.length; i += 65_531) server.write(bytes.subarray(i, i + 65_531));
      assert.deepEqual(await answer, { jsonrpc: '2.0', id, result: [] });
    }));
});

describe('positions and URIs a client may send: an empty result, never an internal error', () => {
  let server: RawServer;
  let root: string;
  const uri = (file: string) => `file://${path.join(root, file)}`;
  const lineCount = (file: string) => readFileSync(path.join(root, file), 'utf8').split('\n').length;

  before(async () => {
    root = mkdtempSync(path.join(tmpdir(), 'krl-edge-params-'));
    cpSync(EXAMPLES, root, { recursive: true });
    server = new RawServer();
    await server.initialize(root);
    // web.yaml is open in the editor; shop.yaml is only on disk.
    server.notify('textDocument/didOpen', { textDocument: { uri: uri('web.yaml'), languageId: 'yaml', version: 1, text: readFileSync(path.join(root, 'web.yaml'), 'utf8') } });
  });
  after(async () => {
    await server.request('shutdown').catch(() => undefined);
    server.notify('exit');
    await server.exitCode().catch(() => undefined);
    server.kill();
  });

  /** Files the server knows, with a position on a Service name in each (a site every feature answers at). */
  const KNOWN = [
    { file: 'web.yaml', site: { line: 28, character: 10 } },
    { file: 'shop.yaml', site: { line: 25, character: 9 } },
  ];
  const BAD_POSITIONS = (file: string): Record<string, unknown> => ({
    'missing': undefined,
    'null': null,
    '{}': {},
    'line -1': { line: -1, character: 0 },
    'character -1': { line: 3, character: -1 },
    'line 1.5': { line: 1.5, character: 0 },
    'character 2.5': { line: 3, character: 2.5 },
    'line and character as strings': { line: '3', character: '2' },
    'line and character null': { line: null, character: null },
    'line only': { line: 3 },
    'line past the end': { line: lineCount(file), character: 0 },
    'line far past the end': { line: 2 ** 31, character: 0 },
    'line 1e300': { line: 1e300, character: 1e300 },
    'an array': [3, 2],
    'a string': '3:2',
  });
  const BAD_DOCUMENTS: Record<string, unknown> = {
    'missing': undefined,
    'null': null,
    '{}': {},
    'uri null': { uri: null },
    'uri 42': { uri: 42 },
    'uri ""': { uri: '' },
    'uri "not a uri"': { uri: 'not a uri' },
    'unknown file: URI': { uri: 'file:///no/such/dir/web.yaml' },
    'untitled: URI never opened': { uri: 'untitled:Untitled-1' },
    'http: URI': { uri: 'http://example.com/web.yaml' },
    'https: URI': { uri: 'https://example.com/web.yaml' },
    'data: URI': { uri: 'data:text/plain,apiVersion: v1' },
  };

  interface Case {
    readonly name: string;
    readonly method: string;
    readonly params: unknown;
    /** The result, or (for params that are not an object at all) the JSON-RPC error code. */
    readonly expected: unknown;
    readonly error?: number;
  }
  /** JSON-RPC 2.0: params, when present, are an object or an array; LSP's requests take an object. */
  const NOT_PARAMS: Record<string, unknown> = { 'no params': undefined, 'params null': null, 'params 42': 42, 'params "x"': 'x', 'params []': [] };
  const INVALID_PARAMS = -32602;

  /** Methods that take (textDocument, position), with what "nothing here" is for each. */
  const POSITION_METHODS: { method: string; expected: unknown; extra?: Record<string, unknown> }[] = [
    { method: 'textDocument/hover', expected: null },
    { method: 'textDocument/definition', expected: [] },
    { method: 'textDocument/references', expected: [], extra: { context: { includeDeclaration: true } } },
    { method: 'textDocument/completion', expected: [] },
    { method: 'textDocument/prepareRename', expected: null },
    { method: 'textDocument/rename', expected: null, extra: { newName: 'renamed' } },
  ];

  function cases(): Case[] {
    const all: Case[] = [];
    const withParams = (params: Record<string, unknown>) => JSON.parse(JSON.stringify(params)) as unknown;
    for (const { method, expected, extra } of POSITION_METHODS) {
      for (const [name, params] of Object.entries(NOT_PARAMS)) all.push({ name, method, params, expected: undefined, error: INVALID_PARAMS });
      for (const { file, site } of KNOWN) {
        for (const [name, position] of Object.entries(BAD_POSITIONS(file))) {
          all.push({ name: `${file}, position ${name}`, method, params: withParams({ textDocument: { uri: uri(file) }, position, ...extra }), expected });
        }
        for (const [name, textDocument] of Object.entries(BAD_DOCUMENTS)) {
          all.push({ name: `document ${name}, position of ${file}`, method, params: withParams({ textDocument, position: site, ...extra }), expected });
        }
      }
    }
    // rename: a valid site but a new name that is not a string.
    for (const newName of [null, 42, {}, undefined]) {
      for (const { file, site } of KNOWN) {
        all.push({ name: `${file}, newName ${JSON.stringify(newName)}`, method: 'textDocument/rename', params: withParams({ textDocument: { uri: uri(file) }, position: site, newName }), expected: null });
      }
    }
    // Methods that take only the document.
    for (const method of ['textDocument/codeLens', 'textDocument/documentSymbol']) {
      for (const [name, params] of Object.entries(NOT_PARAMS)) all.push({ name, method, params, expected: undefined, error: INVALID_PARAMS });
      for (const [name, textDocument] of Object.entries(BAD_DOCUMENTS)) all.push({ name: `document ${name}`, method, params: withParams({ textDocument }), expected: [] });
    }
    // codeAction: a range made of bad positions, or a bad document.
    const method = 'textDocument/codeAction';
    for (const [name, params] of Object.entries(NOT_PARAMS)) all.push({ name, method, params, expected: undefined, error: INVALID_PARAMS });
    for (const { file, site } of KNOWN) {
      const context = { diagnostics: [] };
      for (const [name, position] of Object.entries(BAD_POSITIONS(file))) {
        all.push({ name: `${file}, range start ${name}`, method, params: withParams({ textDocument: { uri: uri(file) }, range: { start: position, end: site }, context }), expected: [] });
        all.push({ name: `${file}, range end ${name}`, method, params: withParams({ textDocument: { uri: uri(file) }, range: { start: site, end: position }, context }), expected: [] });
        all.push({ name: `${file}, range ${name}`, method, params: withParams({ textDocument: { uri: uri(file) }, range: position, context }), expected: [] });
      }
      all.push({ name: `${file}, range end before start`, method, params: withParams({ textDocument: { uri: uri(file) }, range: { start: site, end: { line: 0, character: 0 } }, context }), expected: [] });
      for (const [name, textDocument] of Object.entries(BAD_DOCUMENTS)) {
        all.push({ name: `document ${name}, range of ${file}`, method, params: withParams({ textDocument, range: { start: site, end: site }, context }), expected: [] });
      }
    }
    // The route graph of the object under a cursor.
    const graph = 'kubeRouteLens/routeGraph';
    // A method of the server's own, so the library does not check its params: the server does.
    all.push({ name: 'no params', method: graph, params: undefined, expected: null });
    for (const [name, params] of Object.entries(NOT_PARAMS)) if (params !== undefined && !Array.isArray(params)) all.push({ name, method: graph, params, expected: undefined, error: INVALID_PARAMS });
    all.push({ name: 'params []', method: graph, params: [], expected: null });
    all.push({ name: 'scope missing', method: graph, params: {}, expected: null });
    all.push({ name: 'scope null', method: graph, params: { scope: null }, expected: null });
    all.push({ name: 'scope of an unknown kind', method: graph, params: { scope: { kind: 'galaxy' } }, expected: null });
    for (const { file, site } of KNOWN) {
      for (const [name, position] of Object.entries(BAD_POSITIONS(file))) {
        all.push({ name: `cursor in ${file}, position ${name}`, method: graph, params: withParams({ scope: { kind: 'cursor', uri: uri(file), position } }), expected: null });
      }
      for (const [name, textDocument] of Object.entries(BAD_DOCUMENTS)) {
        const documentUri = (textDocument as { uri?: unknown } | null | undefined)?.uri;
        all.push({ name: `cursor in document ${name}`, method: graph, params: withParams({ scope: { kind: 'cursor', uri: documentUri, position: site } }), expected: null });
      }
    }
    // Workspace symbols take no document, only a query string.
    for (const query of [null, 42, {}, undefined]) all.push({ name: `query ${JSON.stringify(query)}`, method: 'workspace/symbol', params: withParams({ query }), expected: [] });
    return all;
  }

  test('every case answers its empty result, and nothing is logged as an error', async () => {
    const table = cases();
    assert.ok(table.length > 350, `${table.length} cases`);
    const errorsBefore = server.loggedErrors().length;
    const responses = await Promise.all(table.map((c) => server.request(c.method, c.params)));
    const wrong = table
      .map((c, i) => ({ c, response: responses[i] }))
      .filter(({ c, response }) =>
        c.error !== undefined
          ? response.error?.code !== c.error || 'result' in response
          : response.error !== undefined || !('result' in response) || JSON.stringify(response.result) !== JSON.stringify(c.expected))
      .map(({ c, response }) => `${c.method} ${c.name}: ${response.error ? `error ${response.error.code} ${response.error.message.split('\n')[0]}` : JSON.stringify(response.result)?.slice(0, 120)}`);
    assert.deepEqual(wrong, [], `${wrong.length} of ${table.length} requests did not answer their empty result`);
    const logged = server.loggedErrors().slice(errorsBefore);
    assert.deepEqual(logged.map((m) => m.split('\n')[0]), [], `${logged.length} requests logged an error`);
  });

  test('a character past the end of its line counts as the end of the line (LSP: it defaults back to the line length)', async () => {
    const line = readFileSync(path.join(root, 'web.yaml'), 'utf8').split('\n')[37];
    assert.equal(line, '      nodePort: 30000');
    const atEnd = await server.request('textDocument/hover', { textDocument: { uri: uri('web.yaml') }, position: { line: 37, character: line.length } });
    const pastEnd = await server.request('textDocument/hover', { textDocument: { uri: uri('web.yaml') }, position: { line: 37, character: 10_000 } });
    assert.match((atEnd.result as { contents: { value: string } }).contents.value, /node:30000/);
    assert.deepEqual(pastEnd.result, atEnd.result);
  });

  test('the server keeps working afterwards: the same requests with good parameters answer', async () => {
    const { site } = KNOWN[1];
    const hover = await server.request('textDocument/hover', { textDocument: { uri: uri('shop.yaml') }, position: site });
    assert.match((hover.result as { contents: { value: string } }).contents.value, /abc-svc/);
    const prepared = await server.request('textDocument/prepareRename', { textDocument: { uri: uri('shop.yaml') }, position: site });
    assert.equal((prepared.result as { placeholder: string }).placeholder, 'abc-svc');
    const refused = await server.request('textDocument/prepareRename', { textDocument: { uri: uri('web.yaml') }, position: { line: 20, character: 20 } });
    assert.equal(refused.error?.code, INVALID_REQUEST);
    assert.match(refused.error?.message ?? '', /renames Service names/);
    const graph = await server.request('kubeRouteLens/routeGraph', { scope: { kind: 'cursor', uri: uri('web.yaml'), position: { line: 30, character: 4 } } });
    assert.deepEqual((graph.result as { graph: { nodes: { label: string }[] } }).graph.nodes.map((n) => n.label).sort(), ['Deployment web', 'Service web-nodeport', 'node:30000']);
    const symbols = await server.request('textDocument/documentSymbol', { textDocument: { uri: uri('web.yaml') } });
    assert.deepEqual((symbols.result as { name: string }[]).map((s) => s.name), ['web', 'web-nodeport']);
    const actions = await server.request('textDocument/codeAction', { textDocument: { uri: uri('web.yaml') }, range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, context: { diagnostics: [] } });
    assert.deepEqual(actions.result, []);
  });
});
