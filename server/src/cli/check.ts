/** `kube-route-lens check`: load files from disk into one workspace and report its findings. */
import { existsSync, lstatSync, statSync } from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { WORKSPACE_CONFIG_NAMES, Workspace, compareFindings, effectiveSeverity, listRoutes } from '../core';
import type { EngineSettings, FileChange } from '../core';
import { collectYamlFiles, readTextSync } from '../node/files';
import type { SkippedPath } from '../node/files';
import { DOCS_BASE_URL, PRODUCT_VERSION } from '../productInfo';
import { CliError } from './args';
import type { CheckCommand } from './args';
import { formatJson } from './formatJson';
import { formatSarif } from './formatSarif';
import { formatRoutes, formatText } from './formatText';
import type { Report, ReportEntry, SkippedEntry } from './report';

export interface CheckOutput {
  readonly stdout: string;
  readonly exitCode: 0 | 1;
}

export function relativeFile(uri: string, cwd: string): string {
  const file = uri.startsWith('file:') ? fileURLToPath(uri) : uri;
  return path.relative(cwd, file).split(path.sep).join('/') || path.basename(file);
}

/** What was loaded: the URIs of the files read, and what could not be read (with the reason). */
export interface Loaded {
  readonly uris: string[];
  readonly skipped: SkippedPath[];
}

export async function loadWorkspace(paths: readonly string[], workspace: Workspace): Promise<Loaded> {
  const { files, skipped } = await collectYamlFiles(paths);
  const maxFileSize = workspace.getSettings().maxFileSize;
  const changes: FileChange[] = [];
  for (const file of files) {
    const read = readTextSync(file, { maxFileSize });
    if ('text' in read) changes.push({ uri: pathToFileURL(file).href, text: read.text });
    else skipped.push(read.skipped);
  }
  workspace.update(changes);
  // A file deleted between listing and reading is not a loss.
  return { uris: changes.map((c) => c.uri), skipped: skipped.filter((s) => s.kind !== 'missing') };
}

/** Nothing at all at this path (a dangling link or an unreadable folder on the way is something, and is reported as such). */
function isMissing(file: string): boolean {
  try {
    lstatSync(file);
    return false;
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    return code === 'ENOENT' || code === 'ENOTDIR';
  }
}

/**
 * The workspace of the manifests under `paths` (relative to `cwd`), with the workspace
 * configuration: `config` if given, else a `.kube-route-lens.yaml` next to or above the paths.
 * Command-line settings (flags) win over the configuration. A path that does not exist, and a
 * file named on the command line (or with `--config`) that cannot be read or checked, is an
 * error the user fixes (one line, exit 2); what cannot be read under a folder is `skipped`.
 */
export async function openWorkspace(paths: readonly string[], settings: Partial<EngineSettings>, cwd: string, config?: string): Promise<{ workspace: Workspace; uris: string[]; skipped: SkippedEntry[] }> {
  const absolute = paths.map((p) => path.resolve(cwd, p));
  const missing = paths.filter((_, i) => isMissing(absolute[i]));
  if (missing.length > 0) throw new CliError(`no such file or directory: ${missing.join(', ')}`);
  if (config !== undefined && isMissing(path.resolve(cwd, config))) throw new CliError(`no such configuration file: ${config}`);
  // A batch run: analysed once, never edited (no dependency bookkeeping).
  const workspace = new Workspace({}, settings, { batch: true });
  const configs = config !== undefined ? [path.resolve(cwd, config)] : findConfigs(absolute);
  const loaded = await loadWorkspace([...absolute, ...configs], workspace);
  // Named on the command line: the user asked for this file, so not checking it is an error.
  const named = new Map(paths.map((p, i) => [absolute[i], p]));
  if (config !== undefined) named.set(path.resolve(cwd, config), config);
  for (const [file, typed] of named) {
    const reason = loaded.skipped.find((s) => s.path === file)?.reason ?? workspace.summary(pathToFileURL(file).href)?.skippedReason;
    if (reason !== undefined) throw new CliError(`cannot check ${typed}: ${reason}`);
  }
  const uris = loaded.uris.filter((uri) => !configs.some((c) => pathToFileURL(c).href === uri) || absolute.some((a) => fileURLToPath(uri).startsWith(a)));
  return { workspace, uris, skipped: skippedEntries(workspace, uris, loaded.skipped, cwd) };
}

/** Files (and folders) not analysed: those that could not be read, and those the engine left out (too large, binary), sorted. */
function skippedEntries(workspace: Workspace, uris: readonly string[], notRead: readonly SkippedPath[], cwd: string): SkippedEntry[] {
  const entries: SkippedEntry[] = notRead.map((s) => ({ file: `${relativeFile(s.path, cwd)}${s.directory ? '/' : ''}`, reason: s.reason, uri: relativeUri(s.uri, cwd), folder: s.directory }));
  for (const uri of uris) {
    const reason = workspace.summary(uri)?.skippedReason;
    if (reason) entries.push({ file: relativeFile(uri, cwd), reason, uri: relativeUri(uri, cwd), folder: false });
  }
  return entries.sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : 0));
}

/** A `file:` URI as a reference relative to the working directory when it is inside it (percent-encoding kept). */
function relativeUri(uri: string, cwd: string): string {
  const base = `${pathToFileURL(cwd).href.replace(/\/$/, '')}/`;
  if (!uri.startsWith(base)) return uri;
  const relative = uri.slice(base.length);
  // `a:b.yaml` would read as a URI with the scheme `a`.
  return relative.split('/')[0].includes(':') ? `./${relative}` : relative;
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
  const { workspace, uris, skipped } = await openWorkspace(command.paths, command.settings, cwd, command.config);
  const report = buildReport(workspace, uris, skipped, command, cwd);
  const hasErrors = report.entries.some((e) => e.severity === 'error');
  let stdout: string;
  if (command.format === 'json') stdout = formatJson(report);
  else if (command.format === 'sarif') stdout = formatSarif(report, { version: PRODUCT_VERSION, docsBaseUrl: DOCS_BASE_URL, relativePath: (uri) => relativeFile(uri, cwd) });
  else stdout = formatText(report, color) + (command.routes ? `\n${formatRoutes(listRoutes(workspace))}` : '');
  return { stdout, exitCode: hasErrors && !command.exitZero ? 1 : 0 };
}

function buildReport(workspace: Workspace, uris: readonly string[], skipped: readonly SkippedEntry[], command: CheckCommand, cwd: string): Report {
  const entries: ReportEntry[] = [];
  let resources = 0;
  let filesChecked = 0;
  for (const uri of uris) {
    const file = relativeFile(uri, cwd);
    if (workspace.summary(uri)?.skippedReason === undefined) filesChecked++;
    resources += workspace.resourcesOf(uri).length;
    for (const finding of workspace.findings(uri).sort(compareFindings)) {
      const severity = effectiveSeverity(finding, command.rules);
      if (severity) entries.push({ file, finding, severity });
    }
  }
  return { entries, filesChecked, resources, skipped };
}
