/**
 * Editor features of route test files (`*.routes.yaml`): a CodeLens per test saying what the
 * request reaches now (✓ as expected, ✗ not), and the quick fix that accepts the current answer.
 */
import type { Range } from 'vscode-languageserver-types';
import type { Workspace } from '../workspace/workspace';
import { acceptEdit, lensTitle } from '../routeTests/runRouteTests';
import type { RouteTestResult } from '../routeTests/runRouteTests';
import { sameRange } from '../text/ranges';
import type { CodeActionResult } from './codeActions';

export interface RouteTestLens {
  readonly range: Range;
  readonly title: string;
  readonly result: RouteTestResult;
}

/** One lens per test that was run, on its `url`. */
export function routeTestLenses(ws: Workspace, uri: string): RouteTestLens[] {
  return (ws.routeTestResults(uri) ?? []).map((result) => ({ range: result.test.anchor, title: lensTitle(result), result }));
}

function overlaps(a: Range, b: Range): boolean {
  const before = (p: Range['start'], q: Range['start']) => p.line < q.line || (p.line === q.line && p.character <= q.character);
  return before(a.start, b.end) && before(b.start, a.end);
}

/** "Accept the current answer" for each failing test the range touches: its `expect` rewritten to what the request reaches now. */
export function routeTestActions(ws: Workspace, uri: string, range: Range): CodeActionResult[] {
  const text = ws.text(uri);
  const results = ws.routeTestResults(uri);
  if (text === undefined || !results) return [];
  const lines = text.split('\n');
  const offsetOf = (p: Range['start']) => lines.slice(0, p.line).reduce((n, line) => n + line.length + 1, 0) + p.character;
  const findings = ws.findings(uri).filter((f) => f.rule === 'route-test-failed');
  return results
    .filter((result) => !result.pass && overlaps(result.test.range, range))
    .map((result) => ({
      title: 'Accept the current answer',
      kind: 'quickfix' as const,
      edits: [{ uri, ...acceptEdit(text, offsetOf, result.test, result.answer) }],
      fixes: findings.find((f) => sameRange(f.range, result.test.anchor)),
      isPreferred: true,
    }));
}
