/** What `check` found, ready for any output format. */
import type { Finding, Severity } from '../core';

export interface ReportEntry {
  /** Path relative to the working directory, with forward slashes. */
  readonly file: string;
  readonly finding: Finding;
  readonly severity: Severity;
}

/** A file (or folder) that was not analysed: it could not be read, or the engine left it out. */
export interface SkippedEntry {
  /** Path relative to the working directory, with forward slashes; a folder ends with `/`; bytes of a name that are not UTF-8 are shown as `\xNN`. */
  readonly file: string;
  /** In words: `permission denied`, `a FIFO, not a regular file`, `larger than the 5.0 MB limit`, … */
  readonly reason: string;
  /** The same path as a URI reference (percent-encoded), relative to the working directory when inside it (SARIF). */
  readonly uri: string;
  readonly folder: boolean;
}

export interface Report {
  readonly entries: readonly ReportEntry[];
  /** Files read and analysed (those skipped are not counted). */
  readonly filesChecked: number;
  readonly resources: number;
  /** Files and folders that were not analysed, with the reason (unreadable, not a regular file, too large, binary). */
  readonly skipped: readonly SkippedEntry[];
}

export function countBySeverity(entries: readonly ReportEntry[]): Record<Severity, number> {
  const counts: Record<Severity, number> = { error: 0, warning: 0, information: 0, hint: 0 };
  for (const entry of entries) counts[entry.severity]++;
  return counts;
}

/** One line per skipped file, as `check` prints them (trace and graph write them to stderr). */
export function skippedNotes(skipped: readonly SkippedEntry[]): string[] {
  return skipped.map((entry) => `note: skipped ${entry.file}: ${entry.reason}`);
}
