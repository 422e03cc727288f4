/** Machine output: `{ findings: [{ file, range, severity, rule, message }], skipped: [{ file, reason }] }` with 0-based LSP ranges. */
import type { Report } from './report';
import { safeJsonStringify } from './terminal';

export function formatJson(report: Report): string {
  const findings = report.entries.map((entry) => ({
    file: entry.file,
    range: entry.finding.range,
    severity: entry.severity,
    rule: entry.finding.rule,
    message: entry.finding.message,
  }));
  // Files and folders that were not analysed, with the reason (README, "The command line").
  const skipped = report.skipped.map((entry) => ({ file: entry.file, reason: entry.reason }));
  return `${safeJsonStringify({ findings, skipped })}\n`;
}
