/** `kube-route-lens check`: load files from disk into one workspace and report its findings. */
import { existsSync } from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Workspace, compareFindings, effectiveSeverity, listRoutes } from '../core';
import type { EngineSettings, FileChange } from '../core';
import { collectYamlFiles, readText } from '../node/files';
import { DOCS_BASE_URL, PRODUCT_VERSION } from '../productInfo';
import { UsageError } from './args';
import type { CheckCommand } from './args';
import { formatJson } from './formatJson';
import { formatSarif } from './formatSarif';
import { formatRoutes, formatText } from './formatText';
import type { Report, ReportEntry } from './report';

export interface CheckOutput {
  readonly stdout: string;
  readonly exitCode: 0 | 1;
}

export function relativeFile(uri: string, cwd: string): string {
  const file = uri.startsWith('file:') ? fileURLToPath(uri) : uri;
  return path.relative(cwd, file).split(path.sep).join('/') || path.basename(file);
}

export async function loadWorkspace(paths: readonly string[], workspace: Workspace): Promise<string[]> {
  const files = await collectYamlFiles(paths);
  const changes: FileChange[] = [];
  for (const file of files) {
    const text = await readText(file);
    if (text !== undefined) changes.push({ uri: pathToFileURL(file).href, text });
  }
  workspace.update(changes);
  return changes.map((c) => c.uri);
}

/** The workspace of the manifests under `paths` (relative to `cwd`); a path that does not exist is a usage error. */
export async function openWorkspace(paths: readonly string[], settings: Partial<EngineSettings>, cwd: string): Promise<{ workspace: Workspace; uris: string[] }> {
  const absolute = paths.map((p) => path.resolve(cwd, p));
  const missing = paths.filter((_, i) => !existsSync(absolute[i]));
  if (missing.length > 0) throw new UsageError(`no such file or directory: ${missing.join(', ')}`);
  const workspace = new Workspace(settings);
  const uris = await loadWorkspace(absolute, workspace);
  return { workspace, uris };
}

export async function runCheck(command: CheckCommand, cwd: string, color: boolean): Promise<CheckOutput> {
  const { workspace, uris } = await openWorkspace(command.paths, command.settings, cwd);
  const report = buildReport(workspace, uris, command, cwd);
  const hasErrors = report.entries.some((e) => e.severity === 'error');
  let stdout: string;
  if (command.format === 'json') stdout = formatJson(report);
  else if (command.format === 'sarif') stdout = formatSarif(report, { version: PRODUCT_VERSION, docsBaseUrl: DOCS_BASE_URL, relativePath: (uri) => relativeFile(uri, cwd) });
  else stdout = formatText(report, color) + (command.routes ? `\n${formatRoutes(listRoutes(workspace))}` : '');
  return { stdout, exitCode: hasErrors && !command.exitZero ? 1 : 0 };
}

function buildReport(workspace: Workspace, uris: readonly string[], command: CheckCommand, cwd: string): Report {
  const entries: ReportEntry[] = [];
  const skipped: Report['skipped'][number][] = [];
  let resources = 0;
  for (const uri of uris) {
    const file = relativeFile(uri, cwd);
    const reason = workspace.summary(uri)?.skippedReason;
    if (reason) skipped.push({ file, reason });
    resources += workspace.resourcesOf(uri).length;
    for (const finding of workspace.findings(uri).sort(compareFindings)) {
      const severity = effectiveSeverity(finding, command.rules);
      if (severity) entries.push({ file, finding, severity });
    }
  }
  return { entries, filesChecked: uris.length, resources, skipped };
}
