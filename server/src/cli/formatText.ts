/** Human output: `file:line:col severity rule message`, grouped by file, with a summary line. */
import type { RouteSummary } from '../core';
import type { Report } from './report';
import { painter, visible } from './terminal';
import { countBySeverity, skippedNotes } from './report';

export function formatText(report: Report, color: boolean): string {
  const paint = painter(color);
  const lines: string[] = [];
  let currentFile: string | undefined;
  for (const entry of report.entries) {
    if (entry.file !== currentFile) {
      if (currentFile !== undefined) lines.push('');
      currentFile = entry.file;
    }
    const { line, character } = entry.finding.range.start;
    const where = `${visible(entry.file)}:${line + 1}:${character + 1}`;
    lines.push(`${paint('bold', where)} ${paint(entry.severity, entry.severity)} ${paint('dim', entry.finding.rule)} ${visible(entry.finding.message)}`);
  }
  for (const note of skippedNotes(report.skipped)) lines.push(paint('dim', visible(note)));
  if (lines.length > 0) lines.push('');
  lines.push(summaryLine(report));
  return `${lines.join('\n')}\n`;
}

function plural(count: number, word: string): string {
  return `${count} ${word}${count === 1 ? '' : 's'}`;
}

/**
 * The last line. When files were skipped it says so first, and never "No problems found": what
 * was not read may hold problems.
 */
export function summaryLine(report: Report): string {
  const counts = countBySeverity(report.entries);
  const checked = `${plural(report.resources, 'resource')} in ${plural(report.filesChecked, 'file')} checked`;
  const folders = report.skipped.filter((s) => s.folder).length;
  const files = report.skipped.length - folders;
  const skipped = `${[files > 0 ? plural(files, 'file') : '', folders > 0 ? plural(folders, 'folder') : ''].filter(Boolean).join(' and ')} skipped (see the notes above)`;
  if (report.entries.length === 0) {
    if (report.skipped.length === 0) return `No problems found (${checked}).`;
    if (report.filesChecked === 0) return `${skipped}; no other file to check.`;
    return `${skipped}; the ${plural(report.filesChecked, 'file')} checked (${plural(report.resources, 'resource')}) ${report.filesChecked === 1 ? 'has' : 'have'} no problems.`;
  }
  const parts = [plural(counts.error, 'error'), plural(counts.warning, 'warning'), plural(counts.information, 'info'), plural(counts.hint, 'hint')];
  const withProblems = new Set(report.entries.map((e) => e.file)).size;
  return `${plural(report.entries.length, 'problem')} (${parts.join(', ')}) in ${plural(withProblems, 'file')}; ${checked}${report.skipped.length > 0 ? `; ${skipped}` : ''}.`;
}

export function formatRoutes(routes: readonly RouteSummary[]): string {
  if (routes.length === 0) return 'Routes: none found (no Ingress, NodePort or LoadBalancer Service).\n';
  const lines = ['Routes:'];
  for (const route of routes) {
    lines.push(visible(`  ${route.broken ? '✗' : '✓'} ${route.entry} → ${route.hops.join(' → ')}`));
  }
  return `${lines.join('\n')}\n`;
}
