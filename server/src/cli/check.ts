/** `kube-route-lens check`: load files from disk into one workspace and report its findings. */
import { existsSync, statSync } from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { WORKSPACE_CONFIG_NAMES, Workspace, compareFindings, effectiveSeverity, listRoutes } from '../core';
import type { EngineSettings, FileChange } from '../core';
import { collectYamlFiles, readText } from '../node/files';
import { DOCS_BASE_URL, PRODUCT_VERSION } from '../productInfo';
import { CliError } from './args';
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

/**
 * The workspace of the manifests under `paths` (relative to `cwd`), with the workspace
 * configuration: `config` if given, else a `.kube-route-lens.yaml` next to or above the paths.
 * Command-line settings (flags) win over the configuration. A path that does not exist is an
 * error the user fixes (one line, exit 2).
 */
export async function openWorkspace(paths: readonly string[], settings: Partial<EngineSettings>, cwd: string, config?: string): Promise<{ workspace: Workspace; uris: string[] }> {
  const absolute = paths.map((p) => path.resolve(cwd, p));
  const missing = paths.filter((_, i) => !existsSync(absolute[i]));
  if (missing.length > 0) throw new CliError(`no such file or directory: ${missing.join(', ')}`);
  if (config !== undefined && !existsSync(path.resolve(cwd, config))) throw new CliError(`no such configuration file: ${config}`);
  const workspace = new Workspace({}, settings);
  const configs = config !== undefined ? [path.resolve(cwd, config)] : findConfigs(absolute);
  const uris = await loadWorkspace([...absolute, ...configs], workspace);
  return { workspace, uris: uris.filter((uri) => !configs.some((c) => pathToFileURL(c).href === uri) || absolute.some((a) => fileURLToPath(uri).startsWith(a))) };
}

/** `.kube-route-lens.yaml` (or `.yml`) in the folders of the paths and above them, up to a repository root. */
function findConfigs(paths: readonly string[]): string[] {
  const found = new Set<string>();
  for (const start of paths) {
    let dir = existsSync(start) && statSync(start).isDirectory() ? start : path.dirname(start);
    for (;;) {
      const config = WORKSPACE_CONFIG_NAMES.map((name) => path.join(dir, name)).find((file) => existsSync(file));
      if (config) {
        found.add(config);
        break;
      }
      const parent = path.dirname(dir);
      if (parent === dir || existsSync(path.join(dir, '.git'))) break;
      dir = parent;
    }
  }
  return [...found];
}

export async function runCheck(command: CheckCommand, cwd: string, color: boolean): Promise<CheckOutput> {
  const { workspace, uris } = await openWorkspace(command.paths, command.settings, cwd, command.config);
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
