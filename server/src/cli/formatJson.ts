/** Machine output: `{ findings: [{ file, range, severity, rule, message }] }` with 0-based LSP ranges. */
import type { Report } from './report';

export function formatJson(report: Report): string {
  const findings = report.entries.map((entry) => ({
    file: entry.file,
    range: entry.finding.range,
    severity: entry.severity,
    rule: entry.finding.rule,
    message: entry.finding.message,
  }));
  return `${JSON.stringify({ findings }, null, 2)}\n`;
}
