/**
 * Where the cursor is in the YAML structure, read from the text line by line so that it works on
 * the half-typed documents completion runs on (`name: ` with nothing after it, a new key on an
 * empty line). Only mapping keys count; list items are transparent.
 */
import type { Position } from 'vscode-languageserver-types';

export interface YamlContext {
  /** Keys from the document root to the key being completed (or its parent, when typing a key). */
  readonly path: readonly string[];
  /** True when the cursor is after `key:` (completing a value); false when typing a key. */
  readonly inValue: boolean;
  /** What is typed before the cursor in the value or key. */
  readonly prefix: string;
}

const KEY_LINE = /^(\s*)((?:-\s+)*)([^\s:#'"-][^:#]*?|"[^"]*"|'[^']*'):(\s|$)/;

interface LineShape {
  readonly keyColumn: number;
  readonly key?: string;
  readonly dashColumn?: number;
}

function shapeOf(line: string): LineShape | undefined {
  if (line.trim() === '' || line.trimStart().startsWith('#')) return undefined;
  const match = KEY_LINE.exec(line);
  const indent = /^\s*/.exec(line)![0].length;
  const dashColumn = /^\s*-(\s|$)/.test(line) ? indent : undefined;
  if (!match) return { keyColumn: indent + (dashColumn !== undefined ? 2 : 0), dashColumn };
  const keyColumn = match[1].length + match[2].length;
  return { keyColumn, key: match[3].replace(/^["']|["']$/g, ''), dashColumn };
}

export function yamlContextAt(text: string, position: Position): YamlContext | undefined {
  const lines = text.split(/\r?\n|\r/);
  const line = lines[position.line];
  if (line === undefined) return undefined;
  const before = line.slice(0, position.character);
  if (before.includes('#')) return undefined;
  const match = KEY_LINE.exec(before);
  const path: string[] = [];
  let column: number;
  let inValue: boolean;
  let prefix: string;
  if (match) {
    path.push(match[3].replace(/^["']|["']$/g, ''));
    column = match[1].length + match[2].length;
    inValue = true;
    prefix = before.slice(match[0].length).trimStart().replace(/^["']/, '');
  } else {
    const indent = /^(\s*)((?:-\s+)*)/.exec(before)!;
    column = indent[1].length + indent[2].length;
    inValue = false;
    prefix = before.slice(column);
  }
  for (let i = position.line - 1; i >= 0 && column > 0; i--) {
    if (/^---/.test(lines[i])) break;
    const shape = shapeOf(lines[i]);
    if (!shape) continue;
    if (shape.dashColumn !== undefined && shape.dashColumn < column && shape.keyColumn >= column) {
      // The list item that holds the cursor's key: its parent is further up.
      column = shape.dashColumn;
      continue;
    }
    if (shape.keyColumn < column && shape.key !== undefined) {
      path.unshift(shape.key);
      column = shape.dashColumn !== undefined ? shape.dashColumn : shape.keyColumn;
    }
  }
  return { path, inValue, prefix };
}

/** True when `path` ends with `suffix`. */
export function endsWith(path: readonly string[], ...suffix: string[]): boolean {
  if (suffix.length > path.length) return false;
  return suffix.every((part, i) => path[path.length - suffix.length + i] === part);
}
