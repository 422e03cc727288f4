/** SARIF 2.1.0 for code-scanning tools (GitHub code scanning and others). */
import { RULES, ruleDocUrl } from '../core';
import type { Severity } from '../core';
import type { Range } from 'vscode-languageserver-types';
import type { Report } from './report';
import { safeJsonStringify } from './terminal';

const LEVEL: Record<Severity, 'error' | 'warning' | 'note'> = { error: 'error', warning: 'warning', information: 'note', hint: 'note' };

export interface SarifOptions {
  readonly version: string;
  readonly docsBaseUrl: string;
  /** Maps a finding's related-location URI to a path relative to the working directory. */
  readonly relativePath: (uri: string) => string;
}

function region(range: Range) {
  // SARIF lines and columns are 1-based; columns count UTF-16 code units by default, as LSP does.
  return { startLine: range.start.line + 1, startColumn: range.start.character + 1, endLine: range.end.line + 1, endColumn: range.end.character + 1 };
}

export function formatSarif(report: Report, options: SarifOptions): string {
  const ruleIndex = new Map(RULES.map((rule, index) => [rule.id, index]));
  const results = report.entries.map((entry) => ({
    ruleId: entry.finding.rule,
    ruleIndex: ruleIndex.get(entry.finding.rule),
    level: LEVEL[entry.severity],
    message: { text: entry.finding.message },
    locations: [{ physicalLocation: { artifactLocation: { uri: entry.file, uriBaseId: '%SRCROOT%' }, region: region(entry.finding.range) } }],
    relatedLocations: entry.finding.related.map((related, id) => ({
      id,
      message: { text: related.message },
      physicalLocation: { artifactLocation: { uri: options.relativePath(related.uri), uriBaseId: '%SRCROOT%' }, region: region(related.range) },
    })),
  }));
  const sarif = {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: 'kube-route-lens',
            version: options.version,
            informationUri: options.docsBaseUrl,
            rules: RULES.map((rule) => ({
              id: rule.id,
              shortDescription: { text: rule.description },
              helpUri: ruleDocUrl(options.docsBaseUrl, rule.id),
              defaultConfiguration: { level: LEVEL[rule.defaultSeverity] },
            })),
          },
        },
        results,
        // Files that were not analysed are not findings: SARIF 2.1.0 reports them as notifications
        // of the tool's execution (`toolExecutionNotifications`), each with the file as its location.
        invocations: [
          {
            executionSuccessful: true,
            toolExecutionNotifications: report.skipped.map((entry) => ({
              level: 'warning',
              message: { text: `${entry.folder ? 'Folder' : 'File'} not checked: ${entry.reason}` },
              locations: [{ physicalLocation: { artifactLocation: { uri: entry.uri, ...(entry.uri.startsWith('file:') ? {} : { uriBaseId: '%SRCROOT%' }) } } }],
            })),
          },
        ],
      },
    ],
  };
  return `${safeJsonStringify(sarif)}\n`;
}
