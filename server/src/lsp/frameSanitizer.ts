/**
 * Keeps the byte stream a client writes to the server's stdin well framed for vscode-jsonrpc.
 *
 * The library's reader trusts the header: a Content-Length that is not a number (`abc`), a
 * negative or absurd one, a missing header or bytes outside any frame leave its buffer out of
 * step, and from then on no request is ever answered. This Transform, placed between stdin and
 * the reader, passes well-formed frames through byte for byte and drops anything else up to the
 * next `Content-Length:` header, so a bad frame costs that frame only. What it drops it reports
 * as a `malformed` event (a one-line reason), for the server's log.
 *
 * A frame is well formed when
 * - its header (up to the first CRLF CRLF, at most MAX_HEADER_BYTES) is `Name: value` lines with
 *   exactly one Content-Length, written as decimal digits, of at most MAX_CONTENT_LENGTH bytes;
 * - its body, within the declared length, holds no `Content-Length: <digits>` CRLF. Raw CR and LF
 *   cannot occur inside a JSON string, and that header name cannot occur outside one, so no
 *   JSON body contains the sequence: finding it means the declared length ran into the next
 *   frame (a length too large for the body that was sent), and the reader resumes there.
 * Whether the body is JSON is left to the library, which reports such a message and goes on.
 */
import { Transform } from 'node:stream';
import type { TransformCallback } from 'node:stream';

/** Longest body accepted: 512 MiB, about the longest string V8 can build, so no longer message could be read anyway. */
export const MAX_CONTENT_LENGTH = 2 ** 29;
/** Longest header accepted (a real one is a few dozen bytes). */
export const MAX_HEADER_BYTES = 8192;

const EMPTY = Buffer.alloc(0);
const HEADER_END = Buffer.from('\r\n\r\n', 'latin1');
/** An HTTP header line: a token, a colon, a value (RFC 9110 field syntax). */
const HEADER_LINE = /^([!#$%&'*+.^_`|~0-9A-Za-z-]+):[ \t]*(.*?)[ \t]*$/;
/** Where a frame may start again after bytes that are not one. */
const RESYNC = /content-length:/gi;
/** The start of a frame, as it cannot occur inside a JSON body (see above). */
const FRAME_START = /content-length:[ \t]{0,16}\d{1,20}[ \t]{0,16}\r\n/gi;
/** The longest FRAME_START match, less one: how much of the body scanned so far is kept to find a match across chunks. */
const FRAME_START_TAIL = 15 + 16 + 20 + 16 + 1;

interface PendingFrame {
  readonly header: Buffer;
  readonly length: number;
  readonly chunks: Buffer[];
  received: number;
  /** The last bytes of the body scanned so far (latin1), for a FRAME_START split across chunks. */
  tail: string;
}

export class FrameSanitizer extends Transform {
  /** Bytes before the next frame's body: a header being read, or bytes to skip. */
  private pending: Buffer = EMPTY;
  /** The frame whose body is being read. */
  private frame: PendingFrame | undefined;

  override _transform(chunk: Buffer | string, _encoding: BufferEncoding, callback: TransformCallback): void {
    this.accept(typeof chunk === 'string' ? Buffer.from(chunk, 'utf8') : chunk);
    callback();
  }

  override _flush(callback: TransformCallback): void {
    if (this.frame || this.pending.length > 0) this.emit('malformed', 'the input ended inside a frame');
    callback();
  }

  private accept(chunk: Buffer): void {
    let data: Buffer | undefined = chunk;
    while (data !== undefined) {
      if (this.frame) {
        data = this.readBody(this.frame, data);
        if (data === undefined) return;
      }
      this.pending = this.pending.length === 0 ? data : Buffer.concat([this.pending, data]);
      data = this.readHeader();
    }
  }

  /**
   * Reads the header at the start of `pending`: on a well-formed one, starts its frame and returns
   * the bytes after it (the body, so far); skips what cannot be a frame; undefined = wait for more.
   */
  private readHeader(): Buffer | undefined {
    for (;;) {
      if (this.pending.length === 0) return undefined;
      const end = this.pending.indexOf(HEADER_END);
      if (end < 0 || end > MAX_HEADER_BYTES) {
        if (end < 0 && this.pending.length <= MAX_HEADER_BYTES + HEADER_END.length) return undefined;
        if (!this.skip(`a header longer than ${MAX_HEADER_BYTES} bytes`)) return undefined;
        continue;
      }
      const parsed = parseHeader(this.pending.subarray(0, end).toString('latin1'));
      if (typeof parsed === 'string') {
        if (!this.skip(parsed)) return undefined;
        continue;
      }
      this.frame = { header: this.pending.subarray(0, end + HEADER_END.length), length: parsed, chunks: [], received: 0, tail: '' };
      const rest = this.pending.subarray(end + HEADER_END.length);
      this.pending = EMPTY;
      return rest;
    }
  }

  /**
   * Drops the bytes of `pending` before the next `Content-Length:` (past its first byte); false
   * when there is none yet, keeping only what could be the start of one.
   */
  private skip(reason: string): boolean {
    const text = this.pending.toString('latin1');
    RESYNC.lastIndex = 1;
    const match = RESYNC.exec(text);
    const from = match ? match.index : Math.max(1, text.length - ('content-length:'.length - 1));
    this.emit('malformed', `${reason}: skipped ${from} bytes to the next Content-Length header`);
    this.pending = this.pending.subarray(from);
    return match !== null;
  }

  /** Adds `data` to the body of `frame`; returns the bytes after the frame once it is done, or undefined while it is not. */
  private readBody(frame: PendingFrame, data: Buffer): Buffer | undefined {
    const take = data.subarray(0, frame.length - frame.received);
    const next = this.findFrameStart(frame, take);
    if (next >= 0) {
      // The declared length runs into another frame: drop this one, read on from there.
      this.frame = undefined;
      this.emit('malformed', `Content-Length ${frame.length} runs past the end of its body into the next frame: skipped ${frame.header.length + next} bytes`);
      return Buffer.concat([...frame.chunks, data]).subarray(next);
    }
    frame.chunks.push(take);
    frame.received += take.length;
    if (frame.received < frame.length) return undefined;
    this.frame = undefined;
    this.push(Buffer.concat([frame.header, ...frame.chunks]));
    return data.subarray(take.length);
  }

  /** Offset in the body of a FRAME_START that ends inside `take` (the next bytes of the body), or -1. */
  private findFrameStart(frame: PendingFrame, take: Buffer): number {
    let text: string;
    // Every match ends with LF: without one in `take`, none can end there.
    if (take.indexOf(0x0a) < 0) {
      text = frame.tail + take.subarray(Math.max(0, take.length - FRAME_START_TAIL)).toString('latin1');
    } else {
      text = frame.tail + take.toString('latin1');
      FRAME_START.lastIndex = 0;
      const match = FRAME_START.exec(text);
      if (match) return frame.received - frame.tail.length + match.index;
    }
    frame.tail = text.slice(-FRAME_START_TAIL);
    return -1;
  }
}

/** The Content-Length of a well-formed header, or why it is not one. */
function parseHeader(header: string): number | string {
  let length: number | undefined;
  for (const line of header.split('\r\n')) {
    const field = HEADER_LINE.exec(line);
    if (!field) return `a header line that is not "Name: value" (${JSON.stringify(line.slice(0, 40))})`;
    if (field[1].toLowerCase() !== 'content-length') continue;
    if (length !== undefined) return 'two Content-Length headers';
    if (!/^\d{1,16}$/.test(field[2])) return `Content-Length ${JSON.stringify(field[2].slice(0, 40))} is not a number of bytes`;
    length = Number(field[2]);
    if (length > MAX_CONTENT_LENGTH) return `Content-Length ${length} is over the limit of ${MAX_CONTENT_LENGTH} bytes`;
  }
  return length ?? 'a header without Content-Length';
}
