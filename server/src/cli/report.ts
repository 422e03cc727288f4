/** What `check` found, ready for any output format. */
import type { Finding, Severity } from '../core';

export interface ReportEntry {
  /** Path relative to the working directory, with forward slashes. */
  readonly file: string;
  readonly finding: Finding;
  readonly severity: Severity;
}

export interface Report {
  readonly entries: readonly ReportEntry[];
  readonly filesChecked: number;
  readonly resources: number;
  /** Files that were not analysed, with the reason (too large, unreadable). */
  readonly skipped: readonly { readonly file: string; readonly reason: string }[];
}

export function countBySeverity(entries: readonly ReportEntry[]): Record<Severity, number> {
  const counts: Record<Severity, number> = { error: 0, warning: 0, information: 0, hint: 0 };
  for (const entry of entries) counts[entry.severity]++;
  return counts;
}
