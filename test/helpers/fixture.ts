/**
 * Inline test fixtures (after rust-analyzer's): several files in one string, a cursor, and
 * expected ranges written as YAML comments, so a fixture is still valid YAML.
 *
 *   #- /app/service.yaml        starts a new file (URI file:///app/service.yaml)
 *   $0                          the cursor (removed from the text)
 *   # ^^^^ label                marks columns of the line above (the nearest non-annotation line)
 */
import type { Position, Range } from 'vscode-languageserver-types';

export interface FixtureFile {
  readonly uri: string;
  readonly path: string;
  readonly text: string;
}

export interface Annotation {
  readonly uri: string;
  readonly range: Range;
  readonly label: string;
}

export interface Fixture {
  readonly files: readonly FixtureFile[];
  readonly annotations: readonly Annotation[];
  readonly cursor?: { readonly uri: string; readonly position: Position };
}

const FILE_HEADER = /^#-\s+(\S+)\s*$/;
const ANNOTATION = /^(\s*#\s*)(\^+)\s*(.*)$/;

export function fileUri(path: string): string {
  return `file://${path.startsWith('/') ? '' : '/'}${path}`;
}

/** Removes the common leading indentation, so fixtures can be indented inside test code. */
export function dedent(text: string): string {
  const lines = text.replace(/^\n/, '').replace(/\n\s*$/, '\n').split('\n');
  const indents = lines.filter((l) => l.trim()).map((l) => /^ */.exec(l)![0].length);
  const common = indents.length > 0 ? Math.min(...indents) : 0;
  return lines.map((l) => l.slice(common)).join('\n');
}

export function parseFixture(source: string, defaultPath = '/fixture.yaml'): Fixture {
  const files: FixtureFile[] = [];
  const annotations: Annotation[] = [];
  let cursor: Fixture['cursor'];
  let path = defaultPath;
  let lines: string[] = [];
  let lastCodeLine = -1;
  const finish = () => {
    if (lines.length > 0 || files.length === 0) files.push({ uri: fileUri(path), path, text: lines.join('\n') });
    lines = [];
    lastCodeLine = -1;
  };
  for (const raw of dedent(source).split('\n')) {
    const header = FILE_HEADER.exec(raw);
    if (header) {
      if (lines.length > 0) finish();
      path = header[1];
      continue;
    }
    const annotation = ANNOTATION.exec(raw);
    if (annotation && lastCodeLine >= 0) {
      const start = annotation[1].length;
      const range = { start: { line: lastCodeLine, character: start }, end: { line: lastCodeLine, character: start + annotation[2].length } };
      annotations.push({ uri: fileUri(path), range, label: annotation[3].trim() });
      lines.push(raw);
      continue;
    }
    let line = raw;
    const at = line.indexOf('$0');
    if (at >= 0) {
      line = line.slice(0, at) + line.slice(at + 2);
      cursor = { uri: fileUri(path), position: { line: lines.length, character: at } };
    }
    lastCodeLine = lines.length;
    lines.push(line);
  }
  finish();
  return { files, annotations, cursor };
}
