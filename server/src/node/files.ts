/** Finding YAML files on disk (the only file-system walking in the project). */
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import picomatch from 'picomatch';

/** Directories never worth descending into. */
const SKIPPED_DIRECTORIES = new Set(['node_modules', '.git', '.hg', '.svn']);

export function isYamlPath(file: string): boolean {
  return /\.ya?ml$/i.test(file);
}

export interface CollectOptions {
  /** Glob patterns (files.exclude style) matched against paths relative to each root. */
  readonly exclude?: readonly string[];
  /** Checked between directories; a true value stops the walk early. */
  readonly isCancelled?: () => boolean;
}

/**
 * All `.yaml`/`.yml` files under the given files or directories, sorted. Symbolic links to
 * directories are not followed (they can form cycles).
 */
export async function collectYamlFiles(roots: readonly string[], options: CollectOptions = {}): Promise<string[]> {
  const found = new Set<string>();
  for (const root of roots) {
    const absolute = path.resolve(root);
    const stat = await fs.stat(absolute);
    if (stat.isFile()) {
      found.add(absolute);
      continue;
    }
    const excluded = excludeMatcher(options.exclude ?? []);
    await walk(absolute, absolute, excluded, found, options.isCancelled);
  }
  return [...found].sort();
}

function excludeMatcher(patterns: readonly string[]): (relative: string) => boolean {
  if (patterns.length === 0) return () => false;
  const match = picomatch([...patterns], { dot: true });
  return (relative) => match(relative) || match(`${relative}/`);
}

async function walk(root: string, dir: string, excluded: (relative: string) => boolean, found: Set<string>, isCancelled?: () => boolean): Promise<void> {
  if (isCancelled?.()) return;
  let entries;
  try {
    entries = await fs.readdir(dir, { withFileTypes: true });
  } catch {
    return;
  }
  for (const entry of entries) {
    const full = path.join(dir, entry.name);
    const relative = path.relative(root, full).split(path.sep).join('/');
    if (excluded(relative)) continue;
    if (entry.isDirectory()) {
      if (!SKIPPED_DIRECTORIES.has(entry.name)) await walk(root, full, excluded, found, isCancelled);
    } else if ((entry.isFile() || entry.isSymbolicLink()) && isYamlPath(entry.name)) {
      found.add(full);
    }
  }
}

/** Reads a file as UTF-8 text, or undefined when it cannot be read (deleted, permissions). */
export async function readText(file: string): Promise<string | undefined> {
  try {
    return await fs.readFile(file, 'utf8');
  } catch {
    return undefined;
  }
}
