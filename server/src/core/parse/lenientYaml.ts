/**
 * Parses a YAML stream the way `kubectl apply -f` reads it, with the `yaml` package underneath.
 *
 * kubectl splits the stream at `---` lines (k8s.io/apimachinery `util/yaml.YAMLReader`) and
 * decodes each piece with go-yaml v2 (through sigs.k8s.io/yaml). go-yaml is a port of libyaml and
 * accepts a few things that the `yaml` package, which follows YAML 1.2 to the letter, rejects:
 *
 * - continuation lines of multi-line quoted scalars that are less indented than their key (CRD
 *   `description:` fields written by generators), and, likewise, lines inside flow collections
 *   (`[...]`, `{...}`) less indented than their key: libyaml checks no indentation in either;
 * - a comment right after a closing quote or bracket with no space before the `#` (`'a'#note`);
 * - lone carriage returns (old Mac line ends) as line breaks.
 *
 * A linear scan that follows libyaml's tokenizer finds those spots; a document that has any is
 * read from a copy of its text with them rewritten (continuation lines indented further, such
 * comments blanked, lone CRs made LFs), and from the original if that copy still fails. The
 * rewrite adds spaces only at the start of continuation lines of quoted scalars and flow
 * collections, where leading white space is not part of any value, so values are unchanged and
 * line numbers are kept; the ranges of the returned nodes are mapped back to the original text.
 * Nothing the `yaml` package reads as it is gets rejected, except what kubectl's reader refuses
 * before parsing: `--- text` separator lines and `%YAML`/`%TAG` directives.
 *
 * Each document is parsed on its own, so a broken one never affects its neighbours, and reports
 * one problem: its first error once the tolerated spots are set aside. Duplicate keys are not
 * errors (kubectl keeps the last value); they are listed with their whole key.
 *
 * Linear in the size of the text and never throws. Pure: imports only `yaml`.
 */
import { Document } from 'yaml';
import { isAlias, isMap, isPair, isScalar, isSeq, parseAllDocuments } from './yamlNodes';
import type { Node, YAMLError } from 'yaml';

/** A problem that makes kubectl reject a document; offsets in the original text. */
export interface YamlProblem {
  /** One sentence, without the source excerpt the `yaml` package appends. */
  readonly message: string;
  /**
   * The `yaml` package's error code; or `KUBECTL_DIRECTIVE`, `KUBECTL_SEPARATOR` (what kubectl's
   * reader refuses), `KUBECTL_SYNTAX` (what go-yaml refuses after a tolerated rewrite),
   * `PARSER_FAILED` (the parser threw, e.g. on extreme nesting).
   */
  readonly code: string;
  readonly start: number;
  readonly end: number;
}

/** A key that repeats an earlier key of the same map; kubectl apply keeps the last value. */
export interface DuplicateKey {
  /** The whole key as kubectl sees it (quotes removed, escapes resolved). */
  readonly key: string;
  readonly message: string;
  /** This (repeated) key in the original text. */
  readonly start: number;
  readonly end: number;
  /** The first occurrence of the key in the same map. */
  readonly firstStart: number;
  readonly firstEnd: number;
}

export interface ParsedDocument {
  /**
   * The document to read. Every node's `range`, `doc.range` and the `pos` of `doc.errors` and
   * `doc.warnings` are offsets in the ORIGINAL text, also for documents read from a rewritten copy
   * ('lenient'). For 'broken' documents this is the parser's best-effort reading.
   */
  readonly doc: Document.Parsed | Document;
  /**
   * `ok`: the `yaml` package read it as is. `lenient`: only after rewriting what kubectl tolerates.
   * `broken`: kubectl would reject it too; see `problem`.
   */
  readonly status: 'ok' | 'lenient' | 'broken';
  /** For 'broken' only: the one problem to report, the first real error of the document. */
  readonly problem?: YamlProblem;
  /** For 'ok' and 'lenient': repeated keys, each occurrence after the first, in text order. */
  readonly duplicateKeys: readonly DuplicateKey[];
  /** The part of the original text kubectl hands to its YAML decoder for this document. */
  readonly start: number;
  readonly end: number;
}

export interface ParsedStream {
  readonly documents: ParsedDocument[];
  /**
   * Maps an offset in the text that was parsed for `doc` (the document's own text, padded for
   * 'lenient' ones) to the original text; an offset inside inserted padding maps to where it was
   * inserted. Node ranges and error positions are mapped already: this is for offsets that come
   * from elsewhere, such as CST tokens when parsing with `keepSourceTokens`.
   */
  toOriginalOffset(offset: number, doc: ParsedDocument): number;
}

/** `uniqueKeys: false`: duplicate keys are found here, with whole-key messages, and are not fatal. */
const PARSE_OPTIONS = { prettyErrors: false, merge: true, uniqueKeys: false } as const;

/** Parses `text` into documents the way kubectl splits and reads them. Never throws. */
export function parseDocumentsLikeKubectl(text: string): ParsedStream {
  const mappings = new WeakMap<ParsedDocument, OffsetMap>();
  const documents: ParsedDocument[] = [];
  for (const chunk of splitLikeKubectl(text)) {
    let results: ChunkResult[];
    try {
      results = parseChunk(text, chunk);
    } catch (error) {
      // Not expected: the parser's own failures are caught in `tryParse`. Never throw all the same.
      const failure = { code: 'PARSER_FAILED', message: `The YAML parser failed on this document: ${error instanceof Error ? error.message.split('\n')[0] : String(error)}`, start: 0, end: 0 };
      results = [brokenAlone(chunk, failure, new OffsetMap(chunk.start, [], []))];
    }
    for (const { parsed, map } of results) {
      mappings.set(parsed, map);
      documents.push(parsed);
    }
  }
  return {
    documents,
    toOriginalOffset(offset: number, doc: ParsedDocument): number {
      const map = mappings.get(doc);
      return map ? map.toOriginal(offset) : offset;
    },
  };
}

// ---------------------------------------------------------------------------------------------
// Splitting the stream like k8s.io/apimachinery/pkg/util/yaml.YAMLReader

/** A piece of the stream between separator lines, as kubectl hands it to its YAML decoder. */
export interface Chunk {
  /** Offsets in the original text. */
  readonly start: number;
  readonly end: number;
  /** The content after a `---` that kubectl refuses (`--- a: 1`), on this chunk's first line. */
  readonly badSeparator?: { readonly start: number; readonly end: number };
}

/**
 * kubectl ends a document at every line that starts with `---`; only white space or a comment may
 * follow on that line (anything else fails the whole apply). The separator line belongs to no
 * document. Lines end at LF, CRLF or a lone CR (the line index of the editor agrees).
 */
export function splitLikeKubectl(text: string): Chunk[] {
  const chunks: Chunk[] = [];
  const n = text.length;
  let chunkStart = 0;
  let badSeparator: Chunk['badSeparator'];
  for (let lineStart = 0; lineStart < n; ) {
    let lineEnd = lineStart;
    for (let c = text.charCodeAt(lineEnd); lineEnd < n && c !== LF && c !== CR; c = text.charCodeAt(++lineEnd));
    const next = text.charCodeAt(lineEnd) === CR && text.charCodeAt(lineEnd + 1) === LF ? lineEnd + 2 : lineEnd + 1;
    if (text.startsWith('---', lineStart)) {
      let restStart = lineStart + 3;
      while (restStart < lineEnd && isSpaceCode(text.charCodeAt(restStart))) restStart++;
      if (chunkStart < lineStart) chunks.push({ start: chunkStart, end: lineStart, badSeparator });
      badSeparator = undefined;
      if (restStart >= lineEnd || text.charCodeAt(restStart) === HASH) {
        chunkStart = Math.min(next, n);
      } else {
        // kubectl fails on `--- text`; the line is read with the document it starts.
        let restEnd = lineEnd;
        while (restEnd > restStart && isSpaceCode(text.charCodeAt(restEnd - 1))) restEnd--;
        chunkStart = lineStart;
        badSeparator = { start: restStart, end: restEnd };
      }
    }
    lineStart = next;
  }
  if (chunkStart < n) chunks.push({ start: chunkStart, end: n, badSeparator });
  return chunks;
}

// ---------------------------------------------------------------------------------------------
// Parsing one chunk

interface ChunkResult {
  readonly parsed: ParsedDocument;
  readonly map: OffsetMap;
}

/**
 * What only the scanner can catch in a text the parser reads without errors: tabs (libyaml
 * refuses them as indentation), carriage returns (line ends the parser may read otherwise) and
 * `%` directive lines. Everything else the scanner rewrites or rejects (under-indented
 * continuation lines, `'a'#note`, keys over two lines, unclosed quotes) is a parser error too.
 */
const SCANNER_ONLY = /[\t\r]|^%/m;

function parseChunk(text: string, chunk: Chunk): ChunkResult[] {
  const source = text.slice(chunk.start, chunk.end);
  const plainMap = new OffsetMap(chunk.start, [], []);
  // Before the parser sees it: its limit is wherever the stack runs out, which moves as the
  // code warms up (the same file read twice could differ), and an unclosed deep flow collection
  // costs it one error per level.
  const deep = deeperThan(source, MAX_DEPTH);
  if (deep !== undefined) return [brokenAlone(chunk, { code: 'TOO_DEEP', message: TOO_DEEP, start: deep, end: deep + 1 }, plainMap)];
  // Most documents: read once, no scan (see SCANNER_ONLY for why the scan could change nothing).
  let strictFirst: ParseAttempt | undefined;
  if (!chunk.badSeparator && !SCANNER_ONLY.test(source)) {
    strictFirst = tryParse(source);
    if (!strictFirst.failure && !strictFirst.errors) return strictFirst.docs.map((doc) => withStatus(doc, chunk, plainMap, 'ok'));
  }
  // One linear pass first: it tells whether the text needs rewriting, so that each document is
  // parsed once in the usual cases (error recovery makes parsing a broken text several times slower).
  const scan = scanLikeLibyaml(source);
  const chunkProblem = kubectlOnlyProblem(text, chunk, source, scan);
  const rewriting = !chunkProblem && (scan.edits.length > 0 || scan.loneCarriageReturns);

  if (rewriting) {
    const rewritten = applyEdits(source, scan.edits, scan.loneCarriageReturns);
    const lenient = tryParse(rewritten.text);
    if (!lenient.failure && !lenient.errors && !scan.reject) {
      const map = new OffsetMap(chunk.start, rewritten.padAt, rewritten.padLength);
      return lenient.docs.map((doc) => {
        remapDocument(doc, map);
        return { parsed: judged(doc, chunk, 'lenient'), map };
      });
    }
    const strict = strictFirst ?? tryParse(source);
    if (strict.failure) return [brokenAlone(chunk, strict.failure, plainMap)];
    // The scanner found spots to rewrite, yet the text reads well as it is: trust the parser.
    if (!strict.errors) return strict.docs.map((doc) => withStatus(doc, chunk, plainMap, 'ok'));
    if (lenient.failure) return [brokenAlone(chunk, lenient.failure, plainMap)];
    // Broken either way: report the first error that remains once the tolerated spots are set aside.
    const map = new OffsetMap(chunk.start, rewritten.padAt, rewritten.padLength);
    const scannerProblem: YamlProblem | undefined = scan.reject && {
      code: 'KUBECTL_SYNTAX',
      message: scan.reject.message,
      start: chunk.start + scan.reject.start,
      end: chunk.start + scan.reject.end,
    };
    let reported = false;
    return lenient.docs.map((doc) => {
      remapDocument(doc, map);
      let problem = doc.errors.length > 0 ? firstProblem(doc.errors) : undefined;
      const range = doc.range!;
      if (scannerProblem && !reported && scannerProblem.start >= range[0] && scannerProblem.start <= range[2]) {
        reported = true;
        if (!problem || scannerProblem.start < problem.start) problem = scannerProblem;
      }
      return { parsed: problem ? broken(doc, chunk, problem) : judged(doc, chunk, 'lenient'), map };
    });
  }

  const strict = strictFirst ?? tryParse(source);
  if (strict.failure) return [brokenAlone(chunk, strict.failure, plainMap)];
  if (chunkProblem) {
    // What kubectl's reader refuses comes first, whatever the parser thinks of the rest.
    const docs: Document[] = strict.docs.length > 0 ? strict.docs : [emptyDocument()];
    return docs.map((doc, index) => {
      if (index > 0) return withStatus(doc, chunk, plainMap, 'ok');
      remapDocument(doc, plainMap);
      return { parsed: broken(doc, chunk, chunkProblem), map: plainMap };
    });
  }
  return strict.docs.map((doc) => withStatus(doc, chunk, plainMap, 'ok'));
}

/** Remaps a document read from the original text; 'broken' with its first error if it has one. */
function withStatus(doc: Document, chunk: Chunk, map: OffsetMap, status: 'ok' | 'lenient'): ChunkResult {
  remapDocument(doc, map);
  return { parsed: doc.errors.length > 0 ? broken(doc, chunk, firstProblem(doc.errors)) : judged(doc, chunk, status), map };
}

/** What kubectl's reader refuses before any YAML is parsed: `--- text` lines, `%` directives. */
function kubectlOnlyProblem(text: string, chunk: Chunk, source: string, scan: ScanResult | undefined): YamlProblem | undefined {
  if (chunk.badSeparator) {
    const { start, end } = chunk.badSeparator;
    return {
      code: 'KUBECTL_SEPARATOR',
      message: `kubectl allows only a comment after the \`---\` document separator: move \`${clip(text.slice(start, end))}\` to the next line`,
      start,
      end,
    };
  }
  if (scan?.directive) {
    const { start, end } = scan.directive;
    return {
      code: 'KUBECTL_DIRECTIVE',
      message: `kubectl rejects YAML directives such as \`${clip(source.slice(start, end))}\`: it splits files at \`---\` lines, which leaves the directive without its document; remove the line`,
      start: chunk.start + start,
      end: chunk.start + end,
    };
  }
  return undefined;
}

function judged(doc: Document, chunk: Chunk, status: 'ok' | 'lenient'): ParsedDocument {
  return { doc, status, duplicateKeys: duplicateKeys(doc), start: chunk.start, end: chunk.end };
}

function broken(doc: Document, chunk: Chunk, problem: YamlProblem): ParsedDocument {
  // The parser may point one past the end of the text (a missing closing quote at the very end).
  const start = Math.min(Math.max(problem.start, chunk.start), chunk.end);
  const end = Math.min(Math.max(problem.end, start), chunk.end);
  return { doc, status: 'broken', problem: { ...problem, start, end }, duplicateKeys: [], start: chunk.start, end: chunk.end };
}

interface ParseAttempt {
  readonly docs: Document.Parsed[];
  readonly errors: boolean;
  readonly failure?: YamlProblem;
}

function tryParse(source: string): ParseAttempt {
  try {
    const parsed = parseAllDocuments(source, PARSE_OPTIONS);
    const docs = Array.isArray(parsed) ? parsed : [];
    return { docs, errors: docs.some((doc) => doc.errors.length > 0) };
  } catch (error) {
    // The parser recurses per nesting level: pathological nesting exhausts the stack.
    const deep = error instanceof RangeError;
    return {
      docs: [],
      errors: true,
      failure: {
        code: 'PARSER_FAILED',
        message: deep ? TOO_DEEP : `The YAML parser failed on this document: ${error instanceof Error ? error.message.split('\n')[0] : String(error)}`,
        start: 0,
        end: 0,
      },
    };
  }
}

function brokenAlone(chunk: Chunk, failure: YamlProblem, map: OffsetMap): ChunkResult {
  const doc = emptyDocument();
  remapDocument(doc, map);
  return { parsed: broken(doc, chunk, { ...failure, start: chunk.start, end: chunk.start }), map };
}

function emptyDocument(): Document {
  const doc = new Document(null, PARSE_OPTIONS);
  (doc as { range?: [number, number, number] }).range = [0, 0, 0];
  return doc;
}

function clip(s: string): string {
  return s.length > 40 ? `${s.slice(0, 40)}…` : s;
}

// ---------------------------------------------------------------------------------------------
// Problems and messages

/** Nesting levels a document may have; real manifests stay far below (the deepest seen: about 30). */
export const MAX_DEPTH = 500;

const TOO_DEEP = `This document is nested more than ${MAX_DEPTH} levels deep: it is not read (no manifest needs that, and reading it would cost more than it is worth)`;

const DEEP_INDENT = new RegExp(`^[ \\t]{${MAX_DEPTH}}`, 'm');

/**
 * The offset where nesting first exceeds `limit` levels, or undefined: flow collections (`[`
 * and `{` not closed yet) plus block levels (indentation). Cheap on ordinary text: it only
 * scans closely when the text has enough brackets, or lines indented enough, to get there.
 */
function deeperThan(source: string, limit: number): number | undefined {
  const indented = (limit === MAX_DEPTH ? DEEP_INDENT : new RegExp(`^[ \\t]{${limit}}`, 'm')).exec(source);
  if (indented) return indented.index + limit;
  let brackets = 0;
  for (let at = source.indexOf('['); at >= 0 && brackets <= limit; at = source.indexOf('[', at + 1)) brackets++;
  for (let at = source.indexOf('{'); at >= 0 && brackets <= limit; at = source.indexOf('{', at + 1)) brackets++;
  if (brackets <= limit) return undefined;
  let depth = 0;
  let quote = 0;
  for (let i = 0; i < source.length; i++) {
    const c = source.charCodeAt(i);
    if (quote !== 0) {
      if (c === quote) quote = 0;
      else if (c === 92 /* \\ */ && quote === 34) i++;
      continue;
    }
    if (c === 34 || (c === 39 && depth > 0)) quote = c;
    else if (c === 35 /* # */ && (i === 0 || source.charCodeAt(i - 1) === 32 || source.charCodeAt(i - 1) === 10)) {
      const end = source.indexOf('\n', i);
      i = end < 0 ? source.length : end;
    } else if (c === 91 || c === 123) {
      if (++depth > limit) return i;
    } else if ((c === 93 || c === 125) && depth > 0) depth--;
  }
  return undefined;
}

/** Friendlier wording for the `yaml` package's most common messages. */
const FRIENDLIER: readonly [RegExp, string][] = [
  [/^Implicit map keys need to be followed by map values/, 'Expected `key: value` here: add the missing `:`, or check the indentation of this line and the one before'],
  [/^Implicit keys need to be on a single line/, 'A key must be on a single line: check the indentation here, or look for a missing closing quote above'],
  [/^Nested mappings are not allowed in compact mappings/, 'A second `key: value` cannot start on the same line: put it on its own line, or quote a value that contains `: `'],
  [/^Unexpected scalar at node end/, 'Unexpected text after the value on this line'],
  [/^Tabs are not allowed as indentation/, 'Tabs are not allowed as indentation: indent with spaces'],
  [/^All mapping items must start at the same column/, 'All keys of a mapping must start at the same column: check the indentation of this line'],
];

function firstProblem(errors: readonly YAMLError[]): YamlProblem {
  let first = errors[0];
  for (const error of errors) if (error.pos[0] < first.pos[0]) first = error;
  // The parser catches its own stack overflow on extreme nesting and reports it as an error.
  const message = first.code === 'RESOURCE_EXHAUSTION' && /call stack/i.test(first.message) ? TOO_DEEP : plainMessage(first.message);
  return { code: first.code, message, start: first.pos[0], end: Math.max(first.pos[0], first.pos[1]) };
}

/** The first line of a `yaml` error, without the location and source excerpt it may carry. */
function plainMessage(message: string): string {
  let line = message.split('\n')[0].replace(/ at line \d+, column \d+:?\s*$/, '').replace(/:\s*$/, '').trim();
  for (const [pattern, friendly] of FRIENDLIER) {
    if (pattern.test(line)) {
      line = friendly;
      break;
    }
  }
  return line;
}

// ---------------------------------------------------------------------------------------------
// Duplicate keys

function duplicateKeys(doc: Document): DuplicateKey[] {
  const found: DuplicateKey[] = [];
  const stack: unknown[] = [doc.contents];
  while (stack.length > 0) {
    const node = stack.pop();
    if (isMap(node)) {
      const seen = new Map<string, Node>();
      for (const item of node.items) {
        if (!isPair(item)) continue;
        stack.push(item.value, item.key);
        const key = item.key;
        if (!isScalar(key) || isMergeKey(key) || !key.range) continue;
        const id = keyIdentity(key.value, key.source);
        const earlier = seen.get(id);
        if (!earlier) {
          seen.set(id, key);
          continue;
        }
        const name = displayKey(key.value, key.source);
        found.push({
          key: name,
          message: `Duplicate key \`${clip(name)}\`: kubectl apply silently keeps only the last value, and strict YAML parsers reject the document`,
          start: key.range[0],
          end: key.range[1],
          firstStart: earlier.range![0],
          firstEnd: earlier.range![1],
        });
      }
    } else if (isSeq(node)) {
      for (let i = node.items.length - 1; i >= 0; i--) stack.push(node.items[i]);
    }
  }
  return found.sort((a, b) => a.start - b.start);
}

/** Keys as the JSON object kubectl builds sees them: `1` and `"1"`, `true` and `"true"` collide. */
function keyIdentity(value: unknown, source: string | undefined): string {
  if (typeof value === 'string') return value;
  if (value === null || value === undefined) return 'null';
  if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint') return String(value);
  return source ?? String(value);
}

function displayKey(value: unknown, source: string | undefined): string {
  if (typeof value === 'string') return value;
  return source ?? keyIdentity(value, source);
}

function isMergeKey(key: { value: unknown; source?: string }): boolean {
  return key.value === '<<' || (typeof key.value === 'symbol' && key.source === '<<');
}

// ---------------------------------------------------------------------------------------------
// Mapping offsets of a rewritten copy back to the original

class OffsetMap {
  /** Offsets in the rewritten text where each padding starts. */
  private readonly paddedAt: number[];
  /** Padding inserted up to and including each padding. */
  private readonly insertedThrough: number[];

  /**
   * @param base where the parsed text starts in the original
   * @param padAt ascending offsets (in the parsed chunk before rewriting) where spaces were inserted
   * @param padLength how many spaces were inserted there
   */
  constructor(
    private readonly base: number,
    private readonly padAt: readonly number[],
    padLength: readonly number[],
  ) {
    this.paddedAt = [];
    this.insertedThrough = [];
    let inserted = 0;
    for (let i = 0; i < padAt.length; i++) {
      this.paddedAt.push(padAt[i] + inserted);
      inserted += padLength[i];
      this.insertedThrough.push(inserted);
    }
  }

  /** The constant shift when nothing was padded (every offset moves by it), else undefined. */
  shiftOnly(): number | undefined {
    return this.paddedAt.length === 0 ? this.base : undefined;
  }

  toOriginal(offset: number): number {
    const at = this.paddedAt;
    if (at.length === 0 || offset < at[0]) return this.base + offset;
    let low = 0;
    let high = at.length - 1;
    while (low < high) {
      const mid = (low + high + 1) >> 1;
      if (at[mid] <= offset) low = mid;
      else high = mid - 1;
    }
    const padLength = this.insertedThrough[low] - (low > 0 ? this.insertedThrough[low - 1] : 0);
    // Inside inserted spaces: the place they were inserted at.
    if (offset < at[low] + padLength) return this.base + this.padAt[low];
    return this.base + offset - this.insertedThrough[low];
  }
}

type Range3 = [number, number, number];

/**
 * Rewrites every offset of a parsed document in place; iterative, so deep nesting is no risk.
 * Most chunks need no padding: their offsets only shift by where the chunk starts (and not at all
 * for a file's first document), which is done on the ranges the parser made, without copies.
 */
function remapDocument(doc: Document, map: OffsetMap): void {
  const shiftOnly = map.shiftOnly();
  if (shiftOnly === 0 && doc.range) return;
  const holder = doc as { range?: Range3 };
  holder.range = holder.range ? remapRange(holder.range, map, shiftOnly) : [map.toOriginal(0), map.toOriginal(0), map.toOriginal(0)];
  for (const error of [...doc.errors, ...doc.warnings]) {
    const pos = error.pos;
    error.pos = [map.toOriginal(pos[0]), map.toOriginal(pos[1])];
    error.linePos = undefined;
  }
  const stack: unknown[] = [doc.contents];
  while (stack.length > 0) {
    const node = stack.pop();
    if (isPair(node)) {
      stack.push(node.key, node.value);
      continue;
    }
    if (!isScalar(node) && !isMap(node) && !isSeq(node) && !isAlias(node)) continue;
    const parsed = node as { range?: Range3 | null };
    if (parsed.range) parsed.range = remapRange(parsed.range, map, shiftOnly);
    if (isMap(node) || isSeq(node)) for (const item of node.items) stack.push(item);
  }
}

function remapRange(range: number[], map: OffsetMap, shiftOnly: number | undefined): Range3 {
  if (range.length === 3 && shiftOnly !== undefined) {
    range[0] += shiftOnly;
    range[1] += shiftOnly;
    range[2] += shiftOnly;
    return range as Range3;
  }
  return [map.toOriginal(range[0]), map.toOriginal(range[1]), map.toOriginal(range[2] ?? range[1])];
}

// ---------------------------------------------------------------------------------------------
// Finding what libyaml tolerates: a scanner that follows libyaml's rules for token starts, block
// indentation, plain, quoted and block scalars and flow collections (go-yaml v2 `scannerc.go`),
// just enough to know which lines continue a quoted scalar or a flow collection.

interface Edit {
  readonly at: number;
  /** Spaces to insert at `at`. */
  readonly pad: number;
  /** Characters to replace with spaces from `at` (same length, so no offset moves). */
  readonly blank: number;
}

interface ScanResult {
  readonly edits: readonly Edit[];
  readonly loneCarriageReturns: boolean;
  /** Something go-yaml rejects although the rewritten copy may read well: never 'lenient' then. */
  readonly reject?: { readonly message: string; readonly start: number; readonly end: number };
  /** A `%` directive line (chunk offsets): kubectl never accepts one, see the message. */
  readonly directive?: { readonly start: number; readonly end: number };
}

const LF = 10;
const CR = 13;
const SPACE = 32;
const TAB = 9;
const HASH = 35;

function isSpaceCode(c: number): boolean {
  return c === SPACE || c === TAB;
}

function isFlowIndicator(c: number): boolean {
  return c === 44 /* , */ || c === 91 /* [ */ || c === 93 /* ] */ || c === 123 /* { */ || c === 125 /* } */;
}

/** Characters that continue a plain scalar whatever follows them, in block and in flow context. */
const BLOCK_PLAIN_RUN = /[^ \t\r\n:]*/y;
const FLOW_PLAIN_RUN = /[^ \t\r\n:,[\]{}?]*/y;
const LINE_BREAK = /[\r\n]/g;

/** Linear, iterative scan of one chunk (the text between `---` lines). */
function scanLikeLibyaml(s: string): ScanResult {
  const n = s.length;
  const edits: Edit[] = [];
  let reject: ScanResult['reject'];
  let directive: ScanResult['directive'];
  let loneCarriageReturns = false;

  let i = 0;
  let line = 0;
  let lineStart = 0;
  /** Whether a token (or scalar content) already started on the current line. */
  let lineHasToken = false;
  /** libyaml's `parser.indent`: the column of the innermost block collection, -1 outside any. */
  let indent = -1;
  const indents: number[] = [];
  let flowLevel = 0;
  const flowStartLines: number[] = [];
  let simpleKeyAllowed = true;
  /** Where an implicit key could start (libyaml's saved simple key), one per flow level. */
  const savedKeyColumn: number[] = [-1];
  const savedKeyLine: number[] = [-1];
  /** The node token just before the current token: where it started and ended. */
  let lastNodeStartLine = -1;
  let lastNodeStart = -1;
  let lastNodeEnd = -1;
  /** The line already padded, so that a line is padded once. */
  let paddedLine = -1;

  const code = (at: number): number => (at < n ? s.charCodeAt(at) : -1);
  const isBreakAt = (at: number): boolean => {
    const c = code(at);
    return c === LF || c === CR;
  };
  const isBlankzAt = (at: number): boolean => {
    const c = code(at);
    return c === -1 || c === SPACE || c === TAB || c === LF || c === CR;
  };
  const column = (): number => i - lineStart;
  const consumeBreak = (): void => {
    if (code(i) === CR && code(i + 1) !== LF) loneCarriageReturns = true;
    i += code(i) === CR && code(i + 1) === LF ? 2 : 1;
    line++;
    lineStart = i;
    lineHasToken = false;
  };
  const atDocumentIndicator = (at: number): boolean => at === lineStart && (s.startsWith('---', at) || s.startsWith('...', at)) && isBlankzAt(at + 3);
  const rollIndent = (col: number): void => {
    if (indent < col) {
      indents.push(indent);
      indent = col;
    }
  };
  const unrollIndent = (col: number): void => {
    while (indent > col) indent = indents.pop() ?? -1;
  };
  const saveKey = (): void => {
    if (!simpleKeyAllowed) return;
    savedKeyColumn[flowLevel] = column();
    savedKeyLine[flowLevel] = line;
  };
  const removeKey = (): void => {
    savedKeyLine[flowLevel] = -1;
  };
  const endOfLine = (from: number): number => {
    LINE_BREAK.lastIndex = from;
    return LINE_BREAK.test(s) ? LINE_BREAK.lastIndex - 1 : n;
  };
  /**
   * A line inside a quoted scalar or a flow collection, `first` being its first non-blank
   * character: libyaml checks no indentation there; the `yaml` package wants the line deeper than
   * the enclosing block collection, so pad it to that.
   */
  const continuationLine = (first: number, blankWithTab = false): void => {
    lineHasToken = true;
    if (line === paddedLine || first >= n || (isBreakAt(first) && !blankWithTab)) return;
    let spaces = 0;
    while (code(lineStart + spaces) === SPACE) spaces++;
    const target = indent + 1;
    if (spaces >= target) return;
    // The `yaml` package lets the closing bracket of a flow collection sit one column further out.
    if (spaces === target - 1 && flowLevel === 1 && (code(first) === 93 || code(first) === 125) && first === lineStart + spaces) return;
    // A document marker at column 0 ends the document for libyaml too: leave that error alone.
    if (atDocumentIndicator(lineStart)) return;
    edits.push({ at: lineStart, pad: target - spaces, blank: 0 });
    paddedLine = line;
  };

  const scanQuoted = (double: boolean): boolean => {
    const quote = double ? 34 : 39;
    i++;
    while (i < n) {
      const ch = code(i);
      if (ch === quote) {
        if (!double && code(i + 1) === 39) {
          i += 2;
          continue;
        }
        i++;
        return true;
      }
      if (double && ch === 92 /* \ */ && !isBreakAt(i + 1)) {
        i += 2;
        continue;
      }
      if (!isBreakAt(i)) {
        i++;
        continue;
      }
      consumeBreak();
      // libyaml: a document marker inside a quoted scalar is an error.
      if (atDocumentIndicator(i)) return false;
      let first = i;
      let tabs = false;
      while (isSpaceCode(code(first))) tabs = code(first++) === TAB || tabs;
      // The `yaml` package also wants a blank line that holds a tab indented.
      if (first < n && (!isBreakAt(first) || tabs)) continuationLine(first, tabs);
      i = first;
    }
    return false;
  };

  const scanPlain = (): void => {
    saveKey();
    const start = i;
    const startLine = line;
    const minColumn = indent + 1;
    let end = i;
    let leadingBlanks = false;
    for (;;) {
      if (atDocumentIndicator(i) || code(i) === HASH) break;
      // Runs of characters that cannot end a plain scalar are skipped natively (most of a file).
      const run = flowLevel > 0 ? FLOW_PLAIN_RUN : BLOCK_PLAIN_RUN;
      for (;;) {
        run.lastIndex = i;
        run.test(s);
        if (run.lastIndex > i) {
          i = run.lastIndex;
          leadingBlanks = false;
        }
        if (i >= n || isBlankzAt(i)) break;
        const ch = code(i);
        if (ch === 58 /* : */ && isBlankzAt(i + 1)) break;
        if (flowLevel > 0 && (isFlowIndicator(ch) || ch === 63 /* ? */)) break;
        i++;
        leadingBlanks = false;
      }
      if (i > end) end = i;
      if (!(i < n && (isSpaceCode(code(i)) || isBreakAt(i)))) break;
      let violatesWithTab = false;
      while (i < n && (isSpaceCode(code(i)) || isBreakAt(i))) {
        if (isBreakAt(i)) {
          consumeBreak();
          leadingBlanks = true;
        } else {
          if (leadingBlanks && code(i) === TAB && column() < minColumn && !violatesWithTab) {
            violatesWithTab = true;
            reject ??= { message: 'Tabs are not allowed as indentation: indent with spaces', start: i, end: i + 1 };
          }
          i++;
        }
      }
      if (violatesWithTab || (flowLevel === 0 && leadingBlanks && column() < minColumn)) break;
      if (leadingBlanks && i < n) {
        if (flowLevel > 0) continuationLine(i);
        else lineHasToken = true;
      }
      if (i >= n) break;
    }
    // Stray characters that start no token (libyaml fails on them): step over one.
    if (i === start) i++;
    simpleKeyAllowed = leadingBlanks;
    lastNodeStartLine = startLine;
    lastNodeStart = start;
    lastNodeEnd = end;
  };

  const scanBlockScalar = (): void => {
    removeKey();
    i++;
    let increment = 0;
    for (let k = 0; k < 2; k++) {
      const ch = code(i);
      if (ch === 43 /* + */ || ch === 45 /* - */) i++;
      else if (ch >= 49 && ch <= 57) {
        increment = ch - 48;
        i++;
      }
    }
    // The rest of the header line: blanks and a comment.
    i = endOfLine(i);
    simpleKeyAllowed = true;
    if (i >= n) return;
    consumeBreak();
    let contentIndent: number;
    if (increment > 0) {
      contentIndent = indent >= 0 ? indent + increment : increment;
    } else {
      // Auto-detected from the leading empty lines and the first non-empty line.
      let probe = i;
      let maxLeading = 0;
      for (;;) {
        let spaces = 0;
        while (code(probe + spaces) === SPACE) spaces++;
        maxLeading = Math.max(maxLeading, spaces);
        const after = probe + spaces;
        if (after >= n || !isBreakAt(after)) break;
        probe = after + (code(after) === CR && code(after + 1) === LF ? 2 : 1);
      }
      contentIndent = Math.max(maxLeading, indent + 1, 1);
    }
    while (i < n) {
      let spaces = 0;
      while (code(i + spaces) === SPACE) spaces++;
      let rest = i + spaces;
      while (isSpaceCode(code(rest))) rest++;
      const blankLine = rest >= n || isBreakAt(rest);
      if (!blankLine && spaces < contentIndent) break;
      i = endOfLine(rest);
      if (i >= n) break;
      consumeBreak();
    }
  };

  while (i < n) {
    // To the next token: blanks, comments and line breaks (libyaml's scan_to_next_token).
    for (;;) {
      while (code(i) === SPACE || (code(i) === TAB && (flowLevel > 0 || !simpleKeyAllowed))) i++;
      if (code(i) === HASH) {
        const end = endOfLine(i);
        // `'a'#note`, `[a]#note`: a comment for libyaml, an error for the `yaml` package.
        if (i > lineStart && !isBlankzAt(i - 1)) edits.push({ at: i, pad: 0, blank: end - i });
        i = end;
      }
      if (i < n && isBreakAt(i)) {
        consumeBreak();
        if (flowLevel === 0) simpleKeyAllowed = true;
        continue;
      }
      break;
    }
    if (i >= n) break;
    const col = column();
    const c = s[i];
    if (!lineHasToken && flowLevel > 0) continuationLine(i);
    lineHasToken = true;
    if (c === '\t') {
      // Only where libyaml does not skip tabs (block context, where a key may start): it fails.
      reject ??= { message: 'Tabs are not allowed as indentation: indent with spaces', start: i, end: i + 1 };
      while (isSpaceCode(code(i))) i++;
      continue;
    }
    if (flowLevel === 0) unrollIndent(col);
    const previousNodeEnd = lastNodeEnd;
    lastNodeEnd = -1;

    if (col === 0 && c === '%') {
      // A directive: libyaml reads one only before a `---`, which kubectl has cut off.
      const end = endOfLine(i);
      let trimmed = end;
      while (trimmed > i && isSpaceCode(code(trimmed - 1))) trimmed--;
      directive ??= { start: i, end: trimmed };
      i = end;
      continue;
    }
    if (atDocumentIndicator(i)) {
      unrollIndent(-1);
      flowLevel = 0;
      flowStartLines.length = 0;
      savedKeyLine.length = 1;
      savedKeyColumn.length = 1;
      removeKey();
      simpleKeyAllowed = false;
      i += 3;
      continue;
    }
    switch (c) {
      case '[':
      case '{':
        saveKey();
        flowStartLines.push(line);
        flowLevel++;
        savedKeyLine[flowLevel] = -1;
        simpleKeyAllowed = true;
        i++;
        continue;
      case ']':
      case '}':
        removeKey();
        if (flowLevel > 0) flowLevel--;
        lastNodeStartLine = flowStartLines.pop() ?? line;
        lastNodeStart = i;
        simpleKeyAllowed = false;
        i++;
        lastNodeEnd = i;
        continue;
      case ',':
        removeKey();
        simpleKeyAllowed = true;
        i++;
        continue;
      case '-':
        if (isBlankzAt(i + 1)) {
          if (flowLevel === 0) rollIndent(col);
          simpleKeyAllowed = true;
          removeKey();
          i++;
          continue;
        }
        break;
      case '?':
        if (flowLevel > 0 || isBlankzAt(i + 1)) {
          if (flowLevel === 0) rollIndent(col);
          simpleKeyAllowed = flowLevel === 0;
          removeKey();
          i++;
          continue;
        }
        break;
      case ':':
        if (flowLevel > 0 || isBlankzAt(i + 1)) {
          // A key that spans lines: go-yaml drops it as a key candidate and fails on the `:`.
          if (previousNodeEnd >= 0 && lastNodeStartLine < line && onlyBlanksBetween(s, previousNodeEnd, i)) {
            reject ??= { message: 'A key must be on a single line', start: lastNodeStart, end: i };
          }
          const keyed = savedKeyLine[flowLevel] === line;
          if (keyed && flowLevel === 0) rollIndent(savedKeyColumn[flowLevel]);
          removeKey();
          // libyaml: a simple key cannot follow another simple key.
          simpleKeyAllowed = !keyed && flowLevel === 0;
          i++;
          continue;
        }
        break;
      case '*':
      case '&':
      case '!': {
        saveKey();
        const start = i;
        i++;
        while (i < n && !isBlankzAt(i) && (flowLevel === 0 || !isFlowIndicator(code(i)))) i++;
        simpleKeyAllowed = false;
        if (c === '*') {
          lastNodeStartLine = line;
          lastNodeStart = start;
          lastNodeEnd = i;
        }
        continue;
      }
      case '|':
      case '>':
        if (flowLevel === 0) {
          scanBlockScalar();
          continue;
        }
        break;
      case "'":
      case '"': {
        saveKey();
        const start = i;
        const startLine = line;
        if (!scanQuoted(c === '"')) {
          // Unterminated, or cut by a document marker: go-yaml fails too; nothing after it counts.
          reject ??= { message: `Missing closing ${c} quote`, start, end: start + 1 };
          return { edits, loneCarriageReturns, reject, directive };
        }
        simpleKeyAllowed = false;
        lastNodeStartLine = startLine;
        lastNodeStart = start;
        lastNodeEnd = i;
        continue;
      }
      default:
        break;
    }
    scanPlain();
  }
  return { edits, loneCarriageReturns, reject, directive };
}

function onlyBlanksBetween(s: string, from: number, to: number): boolean {
  for (let k = from; k < to; k++) if (!isSpaceCode(s.charCodeAt(k))) return false;
  return true;
}

interface Rewritten {
  readonly text: string;
  readonly padAt: number[];
  readonly padLength: number[];
}

function applyEdits(source: string, edits: readonly Edit[], loneCarriageReturns: boolean): Rewritten {
  const sorted = [...edits].sort((a, b) => a.at - b.at);
  const parts: string[] = [];
  const padAt: number[] = [];
  const padLength: number[] = [];
  let from = 0;
  for (const edit of sorted) {
    if (edit.at < from) continue;
    parts.push(source.slice(from, edit.at));
    if (edit.pad > 0) {
      parts.push(' '.repeat(edit.pad));
      padAt.push(edit.at);
      padLength.push(edit.pad);
      from = edit.at;
    } else {
      parts.push(' '.repeat(edit.blank));
      from = edit.at + edit.blank;
    }
  }
  parts.push(source.slice(from));
  let text = parts.join('');
  if (loneCarriageReturns) text = text.replace(/\r(?!\n)/g, '\n');
  return { text, padAt, padLength };
}
