/**
 * The framing sanitizer between stdin and vscode-jsonrpc's reader, fed byte streams directly:
 * well-formed frames pass byte for byte whatever the chunking, anything else is dropped up to the
 * next frame. (protocolEdgeCases.test.ts checks the same over the built server's stdio.)
 */
import { strict as assert } from 'node:assert';
import { describe, test } from 'node:test';
import { FrameSanitizer, MAX_CONTENT_LENGTH } from '../../server/src/lsp/frameSanitizer';

function frame(body: string): string {
  return `Content-Length: ${Buffer.byteLength(body, 'utf8')}\r\n\r\n${body}`;
}

const A = JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'kubeRouteLens/serverInfo' });
const B = JSON.stringify({ jsonrpc: '2.0', id: 2, method: 'workspace/symbol', params: { query: 'café ☕ 𝄞 Content-Length: 5' } });

/** Runs `chunks` through a sanitizer; the frames it let through (as bodies) and what it reported. */
function run(chunks: readonly Buffer[]): { bodies: string[]; output: Buffer; malformed: string[] } {
  const sanitizer = new FrameSanitizer();
  const out: Buffer[] = [];
  const malformed: string[] = [];
  sanitizer.on('data', (chunk: Buffer) => out.push(chunk));
  sanitizer.on('malformed', (reason: string) => malformed.push(reason));
  for (const chunk of chunks) sanitizer.write(chunk);
  const output = Buffer.concat(out);
  // The output must be frames and nothing else: strict Content-Length framing reads it all.
  const bodies: string[] = [];
  let rest = output;
  while (rest.length > 0) {
    const end = rest.indexOf('\r\n\r\n');
    assert.ok(end >= 0, `a header in ${JSON.stringify(rest.toString('latin1').slice(0, 80))}`);
    const length = Number(/^content-length:[ \t]*(\d+)[ \t]*$/im.exec(rest.subarray(0, end).toString('latin1'))?.[1]);
    assert.ok(Number.isInteger(length) && rest.length >= end + 4 + length, 'a whole body');
    bodies.push(rest.subarray(end + 4, end + 4 + length).toString('utf8'));
    rest = rest.subarray(end + 4 + length);
  }
  return { bodies, output, malformed };
}

/** The same bytes whole, split at every point into two, one byte at a time, and in 7-byte pieces. */
function chunkings(bytes: Buffer): { name: string; chunks: Buffer[] }[] {
  const result = [{ name: 'whole', chunks: [bytes] }];
  for (let i = 1; i < bytes.length; i++) result.push({ name: `split at ${i}`, chunks: [bytes.subarray(0, i), bytes.subarray(i)] });
  result.push({ name: 'bytewise', chunks: [...bytes].map((b) => Buffer.from([b])) });
  const sevens: Buffer[] = [];
  for (let i = 0; i < bytes.length; i += 7) sevens.push(bytes.subarray(i, i + 7));
  result.push({ name: '7 bytes at a time', chunks: sevens });
  return result;
}

describe('FrameSanitizer', () => {
  /** Input, the bodies that must come out (in order), and whether something is reported as dropped. */
  const CASES: { name: string; input: string; bodies: string[]; dropped: boolean }[] = [
    { name: 'well-formed frames', input: frame(A) + frame(B), bodies: [A, B], dropped: false },
    { name: 'a Content-Type header, lower-case names, spaces', input: `Content-Type: application/vscode-jsonrpc; charset=utf-8\r\ncontent-length:  ${A.length} \r\n\r\n${A}${frame(B)}`, bodies: [A, B], dropped: false },
    { name: 'a pretty-printed body with CRLF between tokens', input: frame(JSON.stringify(JSON.parse(B), null, 2).replace(/\n/g, '\r\n')) + frame(A), bodies: [JSON.stringify(JSON.parse(B), null, 2).replace(/\n/g, '\r\n'), A], dropped: false },
    { name: 'an empty body (Content-Length: 0)', input: `Content-Length: 0\r\n\r\n${frame(A)}`, bodies: ['', A], dropped: false },
    { name: 'Content-Length: abc', input: `Content-Length: abc\r\n\r\n${A}${frame(B)}`, bodies: [B], dropped: true },
    { name: 'Content-Length: -5', input: `Content-Length: -5\r\n\r\n${A}${frame(B)}`, bodies: [B], dropped: true },
    { name: 'Content-Length: 5abc', input: `Content-Length: 5abc\r\n\r\n${A}${frame(B)}`, bodies: [B], dropped: true },
    { name: 'Content-Length: +52', input: `Content-Length: +52\r\n\r\n${A}${frame(B)}`, bodies: [B], dropped: true },
    { name: 'Content-Length: (empty)', input: `Content-Length:\r\n\r\n${A}${frame(B)}`, bodies: [B], dropped: true },
    { name: 'Content-Length over the limit', input: `Content-Length: ${MAX_CONTENT_LENGTH + 1}\r\n\r\n${A}${frame(B)}`, bodies: [B], dropped: true },
    { name: 'Content-Length: 99999999999999999999', input: `Content-Length: 99999999999999999999\r\n\r\n${A}${frame(B)}`, bodies: [B], dropped: true },
    { name: 'a Content-Length longer than the body', input: `Content-Length: 1000000\r\n\r\n${A}${frame(B)}`, bodies: [B], dropped: true },
    { name: 'a Content-Length shorter than the body', input: `Content-Length: 5\r\n\r\n${A}${frame(B)}`, bodies: [A.slice(0, 5), B], dropped: true },
    { name: 'two Content-Length headers', input: `Content-Length: 3\r\nContent-Length: ${A.length}\r\n\r\n${A}${frame(B)}`, bodies: [A, B], dropped: true },
    { name: 'no Content-Length', input: `Content-Type: application/vscode-jsonrpc\r\n\r\n${A}${frame(B)}`, bodies: [B], dropped: true },
    { name: 'no header', input: `${A}${frame(B)}`, bodies: [B], dropped: true },
    { name: 'a header line without a colon', input: `garbage\r\n${frame(A)}${frame(B)}`, bodies: [A, B], dropped: true },
    { name: 'LF-only header lines', input: `Content-Length: ${A.length}\n\n${A}${frame(B)}`, bodies: [B], dropped: true },
    { name: 'an extra CRLF between frames', input: `${frame(A)}\r\n${frame(B)}`, bodies: [A, B], dropped: true },
    { name: 'binary garbage', input: `\u0000\u0001\u00ff\r\n\r\n\u0007${frame(A)}`, bodies: [A], dropped: true },
    { name: 'a header longer than the limit', input: `X-Pad: ${'x'.repeat(9000)}\r\n${frame(A)}`, bodies: [A], dropped: true },
  ];

  for (const { name, input, bodies, dropped } of CASES) {
    test(`${name}: ${dropped ? 'dropped up to the next frame' : 'passed through'}, however it is chunked`, () => {
      const bytes = Buffer.from(input, /[^\u0000-\u00ff]/.test(input) ? 'utf8' : 'latin1');
      for (const { name: how, chunks } of chunkings(bytes)) {
        const result = run(chunks);
        assert.deepEqual(result.bodies, bodies, how);
        assert.equal(result.malformed.length > 0, dropped, `${how}: ${result.malformed.join('; ')}`);
        if (!dropped) assert.ok(result.output.equals(bytes), `${how}: byte for byte`);
      }
    });
  }

  test('a 1 MB body in 64 KiB chunks passes whole, with a frame after it', () => {
    const big = JSON.stringify({ jsonrpc: '2.0', id: 3, method: 'textDocument/didOpen', params: { text: 'Content-Length: 5\\r\\n'.repeat(60_000) } });
    const bytes = Buffer.from(frame(big) + frame(A), 'utf8');
    const chunks: Buffer[] = [];
    for (let i = 0; i < bytes.length; i += 65_536) chunks.push(bytes.subarray(i, i + 65_536));
    const result = run(chunks);
    assert.deepEqual(result.bodies.map((b) => b.length), [big.length, A.length]);
    assert.deepEqual(result.malformed, []);
  });

  test('garbage with no frame after it is kept only as far as it could start one', () => {
    const result = run([Buffer.from(`Content-Length: abc\r\n\r\n${'x'.repeat(100_000)}content-len`, 'latin1')]);
    assert.deepEqual(result.bodies, []);
    // The tail that may still become a header is kept: completing it yields the frame.
    const sanitizer = new FrameSanitizer();
    const out: Buffer[] = [];
    sanitizer.on('data', (chunk: Buffer) => out.push(chunk));
    sanitizer.write(Buffer.from(`Content-Length: abc\r\n\r\n${'x'.repeat(100_000)}Content-Len`, 'latin1'));
    sanitizer.write(Buffer.from(`gth: ${A.length}\r\n\r\n${A}`, 'latin1'));
    assert.equal(Buffer.concat(out).toString('latin1'), frame(A));
  });
});
