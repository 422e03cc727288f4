/**
 * The one place that calls the engine for diagnostics in tests: builds a workspace from a
 * fixture and compares every finding with the fixture's `# ^^^ severity rule` annotations.
 */
import { strict as assert } from 'node:assert';
import { Workspace, effectiveSeverity } from '../../server/src/core';
import type { EngineSettings, Finding, RuleSeverities } from '../../server/src/core';
import { parseFixture } from './fixture';
import type { Fixture } from './fixture';

export function workspaceOf(fixture: Fixture, settings: Partial<EngineSettings> = {}): Workspace {
  const workspace = new Workspace(settings);
  workspace.update(fixture.files.map((f) => ({ uri: f.uri, text: f.text })));
  return workspace;
}

export function allFindings(workspace: Workspace): Finding[] {
  return workspace.uris().flatMap((uri) => workspace.findings(uri));
}

function render(uri: string, range: Finding['range'], label: string): string {
  const file = uri.replace('file://', '');
  return `${file}:${range.start.line + 1}:${range.start.character + 1}-${range.end.character + 1} ${label}`;
}

export interface CheckOptions {
  readonly settings?: Partial<EngineSettings>;
  readonly rules?: RuleSeverities;
  /** Only compare findings of these rules (others are ignored). */
  readonly only?: readonly string[];
}

/**
 * Asserts that the findings are exactly the annotated ones: `# ^^^ warning rule-id` (and an
 * optional `~ text` that the message must contain). A fixture without annotations asserts that
 * there are no findings at all.
 */
export function checkFindings(source: string, options: CheckOptions = {}): Finding[] {
  const fixture = parseFixture(source);
  const workspace = workspaceOf(fixture, options.settings);
  const findings = allFindings(workspace).filter((f) => !options.only || options.only.includes(f.rule));
  const actual: string[] = [];
  for (const finding of findings) {
    const severity = effectiveSeverity(finding, options.rules ?? {});
    if (!severity) continue;
    // Multi-line findings are annotated on their first line.
    const end = finding.range.end.line === finding.range.start.line ? finding.range.end : { line: finding.range.start.line, character: Number.MAX_SAFE_INTEGER };
    actual.push(render(finding.uri, { start: finding.range.start, end }, `${severity} ${finding.rule}`));
  }
  const expected: string[] = [];
  for (const annotation of fixture.annotations) {
    const [label, contains] = annotation.label.split('~').map((s) => s.trim());
    const match = findings.find((f) => f.uri === annotation.uri && f.range.start.line === annotation.range.start.line && f.range.start.character === annotation.range.start.character && `${effectiveSeverity(f, options.rules ?? {})} ${f.rule}` === label);
    const end = match && match.range.end.line !== match.range.start.line ? { line: annotation.range.start.line, character: Number.MAX_SAFE_INTEGER } : annotation.range.end;
    expected.push(render(annotation.uri, { start: annotation.range.start, end }, label));
    if (contains) {
      assert.ok(match, `no finding for annotation "${annotation.label}"`);
      assert.ok(match.message.includes(contains), `message "${match.message}" does not contain "${contains}"`);
    }
  }
  assert.deepEqual(actual.sort(), expected.sort(), `findings differ.\nMessages:\n${findings.map((f) => `  ${f.rule}: ${f.message}`).join('\n')}`);
  return findings;
}
