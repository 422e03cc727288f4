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

export class WorkspaceFiles {
  private readonly isExcluded: (relative: string) => boolean;

  constructor(
    readonly folders: readonly string[],
    private readonly exclude: readonly string[],
    private readonly io: ServerIO,
  ) {
    const match = exclude.length > 0 ? picomatch([...exclude], { dot: true }) : undefined;
    this.isExcluded = (relative) => match !== undefined && match(relative);
  }

  withFolders(added: readonly string[], removed: readonly string[]): WorkspaceFiles {
    const folders = [...this.folders.filter((f) => !removed.includes(f)), ...added];
    return new WorkspaceFiles(folders, this.exclude, this.io);
  }

  private folderPaths(): string[] {
    return this.folders.map(toPath).filter((p): p is string => p !== undefined);
  }

  /** True for YAML files inside a workspace folder and not excluded. */
  includes(uri: string): boolean {
    const file = toPath(uri);
    if (!file || !/\.ya?ml$/i.test(file)) return false;
    for (const folder of this.folderPaths()) {
      const relative = path.relative(folder, file);
      if (relative.startsWith('..') || path.isAbsolute(relative)) continue;
      const posix = relative.split(path.sep).join('/');
      if (posix.split('/').some((segment) => segment === 'node_modules' || segment === '.git')) return false;
      return !this.isExcluded(posix);
    }
    return false;
  }

  /** Every YAML file of every folder, as file paths. */
  async listAll(): Promise<string[]> {
    const all: string[] = [];
    for (const folder of this.folderPaths()) {
      all.push(...(await this.io.collectYamlFiles([folder], { exclude: this.exclude })));
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
