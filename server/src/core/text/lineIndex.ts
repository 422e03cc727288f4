import type { Position, Range } from 'vscode-languageserver-types';

/**
 * Maps UTF-16 offsets (what the `yaml` package and JavaScript strings use) to LSP positions.
 * LSP positions count UTF-16 code units by default, so no re-encoding is needed.
 */
export class LineIndex {
  private readonly lineStarts: number[];

  /** The line of the last lookup: ranges are mostly asked for in text order. */
  private lastLine = 0;

  constructor(private readonly text: string) {
    const starts = [0];
    const hasCarriageReturns = text.includes('\r');
    if (!hasCarriageReturns) {
      for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) starts.push(i + 1);
    } else {
      for (let i = 0; i < text.length; i++) {
        const ch = text.charCodeAt(i);
        if (ch === 10 /* \n */ || (ch === 13 /* \r */ && text.charCodeAt(i + 1) !== 10)) starts.push(i + 1);
      }
    }
    this.lineStarts = starts;
  }

  /** The text this index was built for. */
  get source(): string {
    return this.text;
  }

  get lineCount(): number {
    return this.lineStarts.length;
  }

  positionAt(offset: number): Position {
    const clamped = Math.max(0, Math.min(offset, this.text.length));
    const starts = this.lineStarts;
    const last = this.lastLine;
    if (starts[last] <= clamped && (last + 1 >= starts.length || clamped < starts[last + 1])) {
      return { line: last, character: clamped - starts[last] };
    }
    let low = 0;
    let high = this.lineStarts.length - 1;
    while (low < high) {
      const mid = (low + high + 1) >> 1;
      if (this.lineStarts[mid] <= clamped) low = mid;
      else high = mid - 1;
    }
    this.lastLine = low;
    return { line: low, character: clamped - this.lineStarts[low] };
  }

  offsetAt(position: Position): number {
    if (position.line >= this.lineStarts.length) return this.text.length;
    const lineStart = this.lineStarts[Math.max(0, position.line)];
    return Math.min(lineStart + position.character, this.text.length);
  }

  /** Moves `end` back over trailing whitespace and line breaks (never before `start`). */
  trimEnd(start: number, end: number): number {
    let at = Math.min(end, this.text.length);
    while (at > start && /\s/.test(this.text[at - 1])) at--;
    return at;
  }

  range(start: number, end: number): Range {
    const from = this.positionAt(start);
    const to = this.positionAt(end);
    return new SourceRange(from.line, from.character, to.line, to.character);
  }

  /** A range in this text, which is not the text of the resource it is attached to (a patch, a kustomization). */
  foreignRange(start: number, end: number, uri: string): Range {
    const from = this.positionAt(start);
    const to = this.positionAt(end);
    return new ForeignRange(from.line, from.character, to.line, to.character, uri);
  }
}

/**
 * An LSP `Range` stored as four numbers in one object instead of three objects: a 10k-app
 * workspace keeps hundreds of thousands of ranges. Reads build the positions on demand, and
 * `toJSON` gives the plain LSP shape to anything that serialises it (the protocol, snapshots).
 * Never spread it; read `start` and `end`.
 */
export class SourceRange implements Range {
  constructor(
    private readonly startLine: number,
    private readonly startCharacter: number,
    private readonly endLine: number,
    private readonly endCharacter: number,
  ) {}

  get start(): Position {
    return { line: this.startLine, character: this.startCharacter };
  }

  get end(): Position {
    return { line: this.endLine, character: this.endCharacter };
  }

  toJSON(): Range {
    return { start: this.start, end: this.end };
  }
}

/**
 * A range in another file than the object it belongs to: a value a kustomize patch or a
 * kustomization set on an object of a base. Findings and links take their URI from it
 * (`locate` in text/ranges.ts).
 */
export class ForeignRange extends SourceRange {
  constructor(startLine: number, startCharacter: number, endLine: number, endCharacter: number, readonly uri: string) {
    super(startLine, startCharacter, endLine, endCharacter);
  }
}
