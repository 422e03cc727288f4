/**
 * The parameters a client sends, checked once at the boundary, so that the engine only ever sees
 * a document the workspace holds and a position inside that document's text. Anything else (a
 * missing or null position, negative or fractional numbers, a line past the end, a URI the
 * workspace does not hold or of a scheme the server does not serve) means "nothing here": the
 * handler answers its empty result (null or []) and logs nothing, as for a position between
 * objects. A character past the end of its line is the end of the line, as LSP specifies.
 */
import type { Position, Range } from 'vscode-languageserver/node';
import type { Workspace } from '../core';
import { record } from './settings';

/** Schemes of the documents the server analyses: files, and unsaved editor buffers (`untitled:`, which the VS Code client sends). */
const SERVED_SCHEME = /^(?:file|untitled):/i;

/** `value` when it is a URI of a scheme the server serves (whether the workspace holds it is for `documentOf` to say). */
export function servedUri(value: unknown): string | undefined {
  return typeof value === 'string' && SERVED_SCHEME.test(value) ? value : undefined;
}

function isIndex(value: unknown): value is number {
  return Number.isSafeInteger(value) && (value as number) >= 0;
}

/** Where each line of a text starts (after `\n`, `\r\n` or `\r`, the line ends LSP knows); the last few texts are kept. */
const lineStartsCache = new Map<string, { text: string; starts: number[] }>();
const LINE_STARTS_CACHED = 8;

function lineStarts(uri: string, text: string): number[] {
  const cached = lineStartsCache.get(uri);
  if (cached && cached.text === text) return cached.starts;
  const starts = [0];
  const lineEnd = /\r\n?|\n/g;
  while (lineEnd.exec(text) !== null) starts.push(lineEnd.lastIndex);
  lineStartsCache.delete(uri);
  lineStartsCache.set(uri, { text, starts });
  if (lineStartsCache.size > LINE_STARTS_CACHED) lineStartsCache.delete(lineStartsCache.keys().next().value as string);
  return starts;
}

/**
 * `value` as a position in the text of `uri`: line and character non-negative integers, the line
 * one the text has; a character past the end of the line becomes the line's length.
 */
export function positionIn(uri: string, text: string, value: unknown): Position | undefined {
  const { line, character } = record(value);
  if (!isIndex(line) || !isIndex(character)) return undefined;
  const starts = lineStarts(uri, text);
  if (line >= starts.length) return undefined;
  let end = line + 1 < starts.length ? starts[line + 1] : text.length;
  if (end > starts[line] && text.charCodeAt(end - 1) === 10) end--;
  if (end > starts[line] && text.charCodeAt(end - 1) === 13) end--;
  return { line, character: Math.min(character, end - starts[line]) };
}

/** `value` as a range in the text of `uri`: both ends positions in it, the start not after the end. */
export function rangeIn(uri: string, text: string, value: unknown): Range | undefined {
  const { start: rawStart, end: rawEnd } = record(value);
  const start = positionIn(uri, text, rawStart);
  const end = positionIn(uri, text, rawEnd);
  if (!start || !end) return undefined;
  if (start.line > end.line || (start.line === end.line && start.character > end.character)) return undefined;
  return { start, end };
}

export interface DocumentTarget {
  readonly ws: Workspace;
  readonly uri: string;
  readonly text: string;
}

/** What the request handlers need to find the document of a request. */
export interface TargetContext {
  readonly ready: Promise<void>;
  /** Applies a pending (debounced) edit of this document now. */
  flush(uri: string): void;
  workspace(): Workspace;
}

/**
 * The document named by `params.textDocument`, after the first index and its pending edit, or
 * undefined when the request names none the server serves and the workspace holds.
 */
export async function documentOf(ctx: TargetContext, params: unknown): Promise<DocumentTarget | undefined> {
  await ctx.ready;
  const uri = servedUri(record(record(params).textDocument).uri);
  if (uri === undefined) return undefined;
  ctx.flush(uri);
  const ws = ctx.workspace();
  const text = ws.text(uri);
  return text === undefined ? undefined : { ws, uri, text };
}

/** The document and `params.position` in it, or undefined (see `documentOf` and `positionIn`). */
export async function positionOf(ctx: TargetContext, params: unknown): Promise<(DocumentTarget & { readonly position: Position }) | undefined> {
  const document = await documentOf(ctx, params);
  const position = document && positionIn(document.uri, document.text, record(params).position);
  return document && position ? { ...document, position } : undefined;
}

/** The document and `params.range` in it, or undefined. */
export async function rangeOf(ctx: TargetContext, params: unknown): Promise<(DocumentTarget & { readonly range: Range }) | undefined> {
  const document = await documentOf(ctx, params);
  const range = document && rangeIn(document.uri, document.text, record(params).range);
  return document && range ? { ...document, range } : undefined;
}
