/** Findings → LSP diagnostics, applying the user's rule severities. Shared by the server and the CLI. */
import { DiagnosticSeverity } from 'vscode-languageserver-types';
import type { Diagnostic } from 'vscode-languageserver-types';
import type { RuleId, Severity } from '../rules/registry';
import { milder, ruleInfo } from '../rules/registry';
import type { Finding } from './types';

/** Per-rule configuration: a severity, or 'off'. Rules not listed keep their default. */
export type RuleSeverities = Partial<Record<RuleId, Severity | 'off'>>;

export const DIAGNOSTIC_SOURCE = 'kube-route-lens';

/** The severity a finding is shown with, or undefined when its rule is off. */
export function effectiveSeverity(finding: Finding, overrides: RuleSeverities): Severity | undefined {
  const configured = overrides[finding.rule] ?? ruleInfo(finding.rule).defaultSeverity;
  if (configured === 'off') return undefined;
  return finding.severityCap ? milder(configured, finding.severityCap) : configured;
}

const LSP_SEVERITY: Readonly<Record<Severity, DiagnosticSeverity>> = {
  error: DiagnosticSeverity.Error,
  warning: DiagnosticSeverity.Warning,
  information: DiagnosticSeverity.Information,
  hint: DiagnosticSeverity.Hint,
};

/** Where each rule is documented: the README section named after the rule id. */
export function ruleDocUrl(docsBaseUrl: string, rule: RuleId): string {
  return `${docsBaseUrl}#${rule}`;
}

export function toDiagnostic(finding: Finding, severity: Severity, docsBaseUrl: string): Diagnostic {
  return {
    range: finding.range,
    severity: LSP_SEVERITY[severity],
    code: finding.rule,
    codeDescription: { href: ruleDocUrl(docsBaseUrl, finding.rule) },
    source: DIAGNOSTIC_SOURCE,
    message: finding.message,
    relatedInformation: finding.related.map((r) => ({ location: { uri: r.uri, range: r.range }, message: r.message })),
    data: finding.replacements ? { replacements: finding.replacements } : undefined,
  };
}

export function toDiagnostics(findings: readonly Finding[], overrides: RuleSeverities, docsBaseUrl: string): Diagnostic[] {
  const diagnostics: Diagnostic[] = [];
  for (const finding of findings) {
    const severity = effectiveSeverity(finding, overrides);
    if (severity) diagnostics.push(toDiagnostic(finding, severity, docsBaseUrl));
  }
  return diagnostics;
}
