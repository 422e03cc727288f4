/** Which files of the workspace folders belong to the analysis, and their contents on disk. */
import * as path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import picomatch from 'picomatch';
import type { FileChange } from '../core';

export interface ServerIO {
  collectYamlFiles(roots: readonly string[], options: { exclude?: readonly string[] }): Promise<string[]>;
  readText(file: string): Promise<string | undefined>;
}

function toPath(uri: string): string | undefined {
  return uri.startsWith('file:') ? fileURLToPath(uri) : undefined;
}

export interface FilePatterns {
  readonly include: readonly string[];
  readonly exclude: readonly string[];
}

export class WorkspaceFiles {
  private readonly isExcluded: (relative: string) => boolean;
  private readonly isIncluded: (relative: string) => boolean;

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

  /** Every YAML file of every folder, as file paths. */
  async listAll(): Promise<string[]> {
    const all: string[] = [];
    for (const folder of this.folderPaths()) {
      const found = await this.io.collectYamlFiles([folder], { exclude: this.patterns.exclude });
      all.push(...found.filter((file) => this.isIncluded(this.relativeTo(folder, file) ?? '')));
    }
    return [...new Set(all)].sort();
  }

  /** Disk contents of the given paths, skipping files that are open in the editor. */
  async readChanges(paths: readonly string[], isOpen: (uri: string) => boolean): Promise<FileChange[]> {
    const changes: FileChange[] = [];
    for (const file of paths) {
      const uri = pathToFileURL(file).href;
      if (isOpen(uri)) continue;
      const text = await this.io.readText(file);
      if (text !== undefined) changes.push({ uri, text });
    }
    return changes;
  }

  /** What the engine should hold for a closed file: its disk text, or nothing. */
  async diskState(uri: string): Promise<FileChange> {
    const file = toPath(uri);
    if (!file || !this.includes(uri)) return { uri, text: null };
    const text = await this.io.readText(file);
    return { uri, text: text ?? null };
  }
}
