/**
 * The one place each editor feature is called from in tests: fixtures with a `$0` cursor, and
 * `# ^^^ label` annotations for the locations the feature must return.
 */
import { strict as assert } from 'node:assert';
import type { Range } from 'vscode-languageserver-types';
import {
  codeActions,
  codeLenses,
  doComplete,
  doHover,
  findDefinition,
  findReferences,
  prepareRename,
  rename,
} from '../../server/src/core';
import type { Workspace } from '../../server/src/core';
import { parseFixture } from './fixture';
import type { Fixture } from './fixture';
import { workspaceOf } from './check';

interface Loaded {
  readonly fixture: Fixture;
  readonly ws: Workspace;
  readonly uri: string;
  readonly position: { line: number; character: number };
}

function load(source: string): Loaded {
  const fixture = parseFixture(source);
  assert.ok(fixture.cursor, 'the fixture has no $0 cursor');
  return { fixture, ws: workspaceOf(fixture), uri: fixture.cursor.uri, position: fixture.cursor.position };
}

/** `file:line:col-line:col`; a range spanning lines is compared by its start (annotations mark one line). */
function render(locations: readonly { uri: string; range: Range }[]): string[] {
  return locations
    .map((l) => {
      const start = `${l.uri.replace('file://', '')}:${l.range.start.line + 1}:${l.range.start.character + 1}`;
      return l.range.start.line === l.range.end.line ? `${start}-${l.range.end.line + 1}:${l.range.end.character + 1}` : `${start}-…`;
    })
    .sort();
}

/** Annotations whose label is `label` (e.g. `target`, `ref`, `edit`); `label …` marks a range that goes on past the line. */
function annotated(fixture: Fixture, label: string): string[] {
  return fixture.annotations
    .filter((a) => a.label === label || a.label === `${label} …`)
    .map((a) => (a.label.endsWith('…') ? `${a.uri.replace('file://', '')}:${a.range.start.line + 1}:${a.range.start.character + 1}-…` : render([a])[0]))
    .sort();
}

export function checkHover(source: string, ...expected: (string | RegExp)[]): string {
  const { ws, uri, position } = load(source);
  const hover = doHover(ws, uri, position);
  assert.ok(hover, 'no hover at the cursor');
  for (const part of expected) {
    if (typeof part === 'string') assert.ok(hover.markdown.includes(part), `hover lacks ${JSON.stringify(part)}:\n${hover.markdown}`);
    else assert.match(hover.markdown, part);
  }
  return hover.markdown;
}

/**
 * A hover on a key: `expected` parts as in checkHover, and the range returned is exactly the key
 * `key` on the cursor's line (not the value, not an enclosing object).
 */
export function checkKeyHover(source: string, key: string, ...expected: (string | RegExp)[]): string {
  const { fixture, ws, uri, position } = load(source);
  const hover = doHover(ws, uri, position);
  assert.ok(hover, `no hover on ${key}:`);
  for (const part of expected) {
    if (typeof part === 'string') assert.ok(hover.markdown.includes(part), `hover lacks ${JSON.stringify(part)}:\n${hover.markdown}`);
    else assert.match(hover.markdown, part);
  }
  const line = fixture.files.find((f) => f.uri === uri)!.text.split('\n')[position.line];
  const start = line.indexOf(`${key}:`);
  assert.ok(start >= 0 && start <= position.character && position.character <= start + key.length, `the cursor is not on ${key}: in ${JSON.stringify(line)}`);
  assert.deepEqual(hover.range, { start: { line: position.line, character: start }, end: { line: position.line, character: start + key.length } });
  return hover.markdown;
}

export function checkNoHover(source: string): void {
  const { ws, uri, position } = load(source);
  assert.equal(doHover(ws, uri, position), undefined);
}

/** Definition targets must be exactly the `# ^^^ target` annotations. */
export function checkDefinition(source: string): void {
  const { fixture, ws, uri, position } = load(source);
  assert.deepEqual(render(findDefinition(ws, uri, position)), annotated(fixture, 'target'));
}

/** References (without the declaration) must be exactly the `# ^^^ ref` annotations. */
export function checkReferences(source: string): void {
  const { fixture, ws, uri, position } = load(source);
  assert.deepEqual(render(findReferences(ws, uri, position, false)), annotated(fixture, 'ref'));
}

/** Rename edits must be exactly the `# ^^^ edit` annotations, all with the new name. */
export function checkRename(source: string, newName: string): void {
  const { fixture, ws, uri, position } = load(source);
  const prepared = prepareRename(ws, uri, position);
  assert.ok(!('error' in prepared), 'error' in prepared ? prepared.error : '');
  const result = rename(ws, uri, position, newName);
  assert.ok(!('error' in result), 'error' in result ? result.error : '');
  assert.deepEqual(render(result.edits), annotated(fixture, 'edit'));
  assert.ok(result.edits.every((e) => e.newText === newName));
}

export function checkRenameRefused(source: string, newName = 'x', message?: RegExp): void {
  const { ws, uri, position } = load(source);
  const prepared = prepareRename(ws, uri, position);
  if ('error' in prepared) {
    if (message) assert.match(prepared.error, message);
    return;
  }
  const result = rename(ws, uri, position, newName);
  assert.ok('error' in result, 'rename should have been refused');
  if (message) assert.match(result.error, message);
}

/** Completion labels (sorted) with their details. */
export function completionsAt(source: string): { label: string; detail: string }[] {
  const { ws, uri, position } = load(source);
  return doComplete(ws, uri, position)
    .map((c) => ({ label: c.label, detail: c.detail }))
    .sort((a, b) => a.label.localeCompare(b.label));
}

export function lensesOf(source: string): { line: number; title: string; locations: string[] }[] {
  const fixture = parseFixture(source);
  const ws = workspaceOf(fixture);
  return codeLenses(ws, fixture.files[0].uri).map((l) => ({ line: l.range.start.line + 1, title: l.title, locations: render(l.locations) }));
}

/** Applies the edits of one file to its text (later edits first, so offsets stay valid). */
export function applyEdits(text: string, edits: readonly { range: Range; newText: string }[]): string {
  const lines = text.split('\n');
  const offset = (p: Range['start']) => lines.slice(0, p.line).reduce((sum, l) => sum + l.length + 1, 0) + p.character;
  const sorted = [...edits].sort((a, b) => offset(b.range.start) - offset(a.range.start));
  let result = text;
  for (const edit of sorted) result = result.slice(0, offset(edit.range.start)) + edit.newText + result.slice(offset(edit.range.end));
  return result;
}

/** The titles of the code actions at the cursor, and a way to apply one to the fixture's files. */
export function actionsAt(source: string): { titles: string[]; apply: (title: string | RegExp) => Map<string, string> } {
  const { fixture, ws, uri, position } = load(source);
  const actions = codeActions(ws, uri, { start: position, end: position });
  return {
    titles: actions.map((a) => a.title),
    apply: (title) => {
      const action = actions.find((a) => (typeof title === 'string' ? a.title === title : title.test(a.title)));
      assert.ok(action, `no action ${title}; have: ${actions.map((a) => a.title).join(' | ')}`);
      const files = new Map<string, string>();
      for (const file of fixture.files) {
        const edits = action.edits.filter((e) => e.uri === file.uri);
        if (edits.length > 0) files.set(file.path, applyEdits(file.text, edits));
      }
      return files;
    },
  };
}
