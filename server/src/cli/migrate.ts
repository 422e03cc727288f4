/**
 * `kube-route-lens migrate`: Ingresses → Gateway API, with the proof (core/migrate). Without
 * `--out` the generated YAML goes to standard output and the report to standard error, so
 * `migrate k8s/ --gateway-class eg > gateway.yaml` works; with `--out DIR` the files are written
 * and the report is printed on standard output. `--format json` prints the report as JSON.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { MIGRATED_URI, formatMigrationReport, migrateAndProve, migrationReportJson } from '../core';
import type { MigrationReport } from '../core';
import { CliError } from './args';
import type { MigrateCommand } from './args';
import { openWorkspace, relativeFile } from './check';
import { skippedNotes } from './report';
import { safeJsonStringify } from './terminal';

export interface MigrateOutput {
  readonly stdout: string;
  /** The report (without --out), then notes. */
  readonly stderr: string;
  readonly exitCode: 0 | 1;
  readonly notes: readonly string[];
  /** Files written (with --out), relative to the working directory. */
  readonly written: readonly string[];
}

/** The files `--out DIR` writes. */
export const OUT_FILES = { gateways: 'gateways.yaml', routes: 'httproutes.yaml', tests: 'migration.routes.yaml', report: 'migration-report.txt', json: 'migration-report.json' } as const;

export async function runMigrate(command: MigrateCommand, cwd: string): Promise<MigrateOutput> {
  const { workspace, skipped } = await openWorkspace(command.paths, command.settings, cwd, command.config);
  const report = migrateAndProve(workspace, { gatewayClass: command.gatewayClass, ...(command.gateway ? { gateway: command.gateway } : {}) });
  if (report.ingresses.length === 0) throw new CliError(`no Ingress to migrate under ${command.paths.join(', ')}`);
  const where = (uri: string, line: number) => (uri === MIGRATED_URI ? `(generated):${line}` : `${relativeFile(uri, cwd)}:${line}`);
  const text = formatMigrationReport(report, where);
  const json = `${safeJsonStringify(migrationReportJson(report, (uri) => (uri === MIGRATED_URI ? '(generated)' : relativeFile(uri, cwd))))}\n`;
  const exitCode = report.equivalent ? 0 : 1;
  const notes = skippedNotes(skipped);
  if (command.out === undefined) {
    if (command.format === 'json') return { stdout: `${safeJsonStringify({ ...migrationReportJson(report, (uri) => (uri === MIGRATED_URI ? '(generated)' : relativeFile(uri, cwd))), yaml: report.result.yaml, routeTests: report.routeTests })}\n`, stderr: '', exitCode, notes, written: [] };
    return { stdout: report.result.yaml, stderr: text, exitCode, notes, written: [] };
  }
  const written = writeOut(report, path.resolve(cwd, command.out), text, json, command.format === 'json');
  return { stdout: command.format === 'json' ? json : text, stderr: '', exitCode, notes, written: written.map((f) => relativeFile(pathToFileURL(f).href, cwd)) };
}

function writeOut(report: MigrationReport, dir: string, text: string, json: string, asJson: boolean): string[] {
  const byKind = (kinds: readonly string[]) => report.result.yaml.split(/^---\n/m).filter((doc) => kinds.some((k) => new RegExp(`^kind: ${k}$`, 'm').test(doc)));
  const files: [string, string][] = [
    [OUT_FILES.gateways, byKind(['Gateway', 'ReferenceGrant']).join('---\n')],
    [OUT_FILES.routes, byKind(['HTTPRoute']).join('---\n')],
    [OUT_FILES.tests, report.routeTests],
    [asJson ? OUT_FILES.json : OUT_FILES.report, asJson ? json : text],
  ];
  const written: string[] = [];
  try {
    mkdirSync(dir, { recursive: true });
    for (const [name, content] of files) {
      if (content === '') continue;
      const file = path.join(dir, name);
      writeFileSync(file, content);
      written.push(file);
    }
  } catch (error) {
    throw new CliError(`cannot write to ${dir}: ${error instanceof Error && 'code' in error ? String(error.code) : String(error)}`);
  }
  return written;
}
