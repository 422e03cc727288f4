/**
 * Which files of the workspace folders belong to the analysis, their contents on disk, and the
 * files that could not be read (with the reason), which the server reports as diagnostics.
 */
import * as path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import picomatch from 'picomatch';
import { DiagnosticSeverity } from 'vscode-languageserver/node';
import type { Diagnostic } from 'vscode-languageserver/node';
import type { FileChange, FileSummary } from '../core';
import type { CollectResult, ReadOptions, ReadResult, SkippedPath } from '../node/files';

export interface ServerIO {
  collectYamlFiles(roots: readonly string[], options: { exclude?: readonly string[] }): Promise<CollectResult>;
  readText(file: string, options?: ReadOptions): Promise<ReadResult>;
}

/** The path of a `file:` URI; undefined for other schemes and for URIs that are not valid (bytes that are not UTF-8). */
function toPath(uri: string): string | undefined {
  if (!uri.startsWith('file:')) return undefined;
  try {
    return fileURLToPath(uri);
  } catch {
    return undefined;
  }
}

export interface FilePatterns {
  readonly include: readonly string[];
  readonly exclude: readonly string[];
  /** The engine's settings: files certainly over its size limit are not read at all. */
  readonly engine?: { readonly maxFileSize: number };
}

/** How many files that could not be read the index log names one by one. */
const LOGGED_SKIPS = 20;

export class WorkspaceFiles {
  private readonly isExcluded: (relative: string) => boolean;
  private readonly isIncluded: (relative: string) => boolean;
  /** Files (and folders) of the workspace that could not be read, by URI, with the reason. */
  private readonly notRead = new Map<string, SkippedPath>();
  /** URIs whose entry in `notRead` changed since `takeSkippedChanges` was last called. */
  private readonly notReadChanged = new Set<string>();

  constructor(
    readonly folders: readonly string[],
    private readonly patterns: FilePatterns,
    private readonly io: ServerIO,
  ) {
    const exclude = patterns.exclude.length > 0 ? picomatch([...patterns.exclude], { dot: true }) : undefined;
    const include = picomatch([...patterns.include], { dot: true });
    this.isExcluded = (relative) => exclude !== undefined && exclude(relative);
    this.isIncluded = (relative) => include(relative);
  }

  withFolders(added: readonly string[], removed: readonly string[]): WorkspaceFiles {
    const folders = [...this.folders.filter((f) => !removed.includes(f)), ...added];
    return new WorkspaceFiles(folders, this.patterns, this.io);
  }

  private relativeTo(folder: string, file: string): string | undefined {
    const relative = path.relative(folder, file);
    if (relative.startsWith('..') || path.isAbsolute(relative)) return undefined;
    return relative.split(path.sep).join('/');
  }

  private folderPaths(): string[] {
    return this.folders.map(toPath).filter((p): p is string => p !== undefined);
  }

  /** True for YAML files inside a workspace folder and not excluded. */
  includes(uri: string): boolean {
    const file = toPath(uri);
    if (!file || !/\.ya?ml$/i.test(file)) return false;
    for (const folder of this.folderPaths()) {
      const relative = this.relativeTo(folder, file);
      if (relative === undefined) continue;
      if (relative.split('/').some((segment) => segment === 'node_modules' || segment === '.git')) return false;
      return this.isIncluded(relative) && !this.isExcluded(relative);
    }
    return false;
  }

  /** Every YAML file of every folder, as file paths; those found but not readable are remembered with the reason. */
  async listAll(): Promise<string[]> {
    const all: string[] = [];
    for (const folder of this.folderPaths()) {
      const { files, skipped } = await this.io.collectYamlFiles([folder], { exclude: this.patterns.exclude });
      all.push(...files.filter((file) => this.isIncluded(this.relativeTo(folder, file) ?? '')));
      for (const entry of skipped) {
        if (entry.directory || this.isIncluded(this.relativeTo(folder, entry.path) ?? '')) this.remember(entry.uri, entry);
      }
    }
    return [...new Set(all)].sort();
  }

  /** Disk contents of the given paths, skipping files that are open in the editor. */
  async readChanges(paths: readonly string[], isOpen: (uri: string) => boolean): Promise<FileChange[]> {
    const changes: FileChange[] = [];
    for (const file of paths) {
      const uri = pathToFileURL(file).href;
      if (isOpen(uri)) continue;
      const text = await this.read(uri, file);
      if (text !== undefined) changes.push({ uri, text });
    }
    return changes;
  }

  /** What the engine should hold for a closed file: its disk text, or nothing. */
  async diskState(uri: string): Promise<FileChange> {
    const file = toPath(uri);
    if (!file || !this.includes(uri)) {
      this.remember(uri, undefined);
      return { uri, text: null };
    }
    const text = await this.read(uri, file);
    return { uri, text: text ?? null };
  }

  /** A file deleted on disk: nothing for the engine, and nothing to report. */
  deleted(uri: string): FileChange {
    this.remember(uri, undefined);
    return { uri, text: null };
  }

  /**
   * The diagnostic of a file that was not checked: not readable (permission, a FIFO or device, a
   * broken or looping link, a name that is not UTF-8), or read and left out by the engine (too
   * large, binary). One information diagnostic at 0:0, or none. `summary` is the engine's, if it
   * holds the file (then it was read, from disk or from an editor).
   */
  skippedDiagnostics(uri: string, summary: Pick<FileSummary, 'skippedReason'> | undefined): Diagnostic[] {
    const reason = summary ? summary.skippedReason : this.notRead.get(uri)?.reason;
    if (reason === undefined) return [];
    const position = { line: 0, character: 0 };
    return [{ range: { start: position, end: position }, severity: DiagnosticSeverity.Information, source: 'kube-route-lens', message: `Not checked: ${reason}.` }];
  }

  /** Every URI that could not be read. */
  skippedUris(): string[] {
    return [...this.notRead.keys()];
  }

  /** The URIs whose not-read state changed since the last call (to publish their diagnostics). */
  takeSkippedChanges(): string[] {
    const changed = [...this.notReadChanged];
    this.notReadChanged.clear();
    return changed;
  }

  /** For the output log: what could not be read, or undefined when everything could. */
  skippedSummary(): string | undefined {
    if (this.notRead.size === 0) return undefined;
    const entries = [...this.notRead.values()];
    const lines = entries.slice(0, LOGGED_SKIPS).map((entry) => `  ${entry.path}${entry.directory ? '/' : ''}: ${entry.reason}`);
    if (entries.length > LOGGED_SKIPS) lines.push(`  … and ${entries.length - LOGGED_SKIPS} more`);
    return `${entries.length === 1 ? '1 file or folder' : `${entries.length} files or folders`} could not be read (each has an information diagnostic):\n${lines.join('\n')}`;
  }

  private async read(uri: string, file: string): Promise<string | undefined> {
    const result = await this.io.readText(file, this.patterns.engine ? { maxFileSize: this.patterns.engine.maxFileSize } : {});
    if ('text' in result) {
      this.remember(uri, undefined);
      return result.text;
    }
    // A file deleted meanwhile is simply gone.
    this.remember(uri, result.skipped.kind === 'missing' ? undefined : result.skipped);
    return undefined;
  }

  private remember(uri: string, entry: SkippedPath | undefined): void {
    const before = this.notRead.get(uri)?.reason;
    if (entry) this.notRead.set(uri, entry);
    else this.notRead.delete(uri);
    if (before !== entry?.reason) this.notReadChanged.add(uri);
  }
}
