import type { Position, Range } from 'vscode-languageserver-types';
import { ForeignRange } from './lineIndex';

export function samePosition(a: Position, b: Position): boolean {
  return a.line === b.line && a.character === b.character;
}

export function sameRange(a: Range, b: Range): boolean {
  return samePosition(a.start, b.start) && samePosition(a.end, b.end);
}

/** True when `position` lies within `range` (ends inclusive, as cursors at a word's end expect). */
export function rangeContains(range: Range, position: Position): boolean {
  const afterStart = position.line > range.start.line || (position.line === range.start.line && position.character >= range.start.character);
  const beforeEnd = position.line < range.end.line || (position.line === range.end.line && position.character <= range.end.character);
  return afterStart && beforeEnd;
}

/** The file a range is in: its own (a ForeignRange from a patch or kustomization), else `home`, the file of the object it belongs to. */
export function uriOf(range: Range, home: string): string {
  return range instanceof ForeignRange ? range.uri : home;
}

/** A location for a range of an object: in the object's file unless the range says otherwise. */
export function locate(home: string, range: Range): { uri: string; range: Range } {
  return { uri: uriOf(range, home), range };
}
