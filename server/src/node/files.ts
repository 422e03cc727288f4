/**
 * Finding and reading YAML files on disk (the only file-system walking in the project).
 *
 * Only regular files are ever opened: a symbolic link is resolved and the type of its target
 * checked first, and the type is checked again on the open file, so a FIFO, a socket or a device
 * named `*.yaml` can never block or flood a run. Whatever is not read is returned with the
 * reason, worded here once for the CLI and the language server alike.
 */
import { closeSync, constants, fstatSync, lstatSync, openSync, promises as fs, readFileSync, readlinkSync, statSync } from 'node:fs';
import type { Stats } from 'node:fs';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import picomatch from 'picomatch';

/** Directories never worth descending into. */
const SKIPPED_DIRECTORIES = new Set(['node_modules', '.git', '.hg', '.svn']);

export function isYamlPath(file: string): boolean {
  return /\.ya?ml$/i.test(file);
}

/**
 * Why a path was not read: `permission` (EACCES/EPERM), `loop` (ELOOP), `dangling` (a symbolic
 * link to nothing), `special` (a FIFO, socket or device), `name` (not valid UTF-8), `too-large`,
 * `missing` (gone since it was listed, or never there) and `error` (any other IO error).
 */
export type SkipKind = 'permission' | 'loop' | 'dangling' | 'special' | 'name' | 'too-large' | 'missing' | 'error';

export interface SkippedPath {
  /** The path as text: bytes of the name that are not UTF-8 are shown as `\xNN`. */
  readonly path: string;
  /** The exact `file:` URI (percent-encoded bytes, so also right for names that are not UTF-8). */
  readonly uri: string;
  /** True for a directory that could not be listed. */
  readonly directory: boolean;
  readonly kind: SkipKind;
  /** In words, for a note or a diagnostic: `permission denied`, `a FIFO, not a regular file`, … */
  readonly reason: string;
}

export interface CollectOptions {
  /** Glob patterns (files.exclude style) matched against paths relative to each root. */
  readonly exclude?: readonly string[];
  /** Checked between directories; a true value stops the walk early. */
  readonly isCancelled?: () => boolean;
}

export interface CollectResult {
  /** The regular files (or symbolic links to them) to read, sorted. */
  readonly files: string[];
  /** What was found but cannot be read, sorted by path: see `SkipKind`. */
  readonly skipped: SkippedPath[];
}

/**
 * All `.yaml`/`.yml` files under the given files or directories, and the ones that cannot be
 * read with the reason. A root that is a file is taken whatever its name. Symbolic links to
 * directories are not followed (they can form cycles); symbolic links to files are, when the
 * target is a regular file.
 */
export async function collectYamlFiles(roots: readonly string[], options: CollectOptions = {}): Promise<CollectResult> {
  const found = new Set<string>();
  const skipped = new Map<string, SkippedPath>();
  const skip = (entry: SkippedPath) => skipped.set(entry.uri, entry);
  const excluded = excludeMatcher(options.exclude ?? []);
  for (const root of roots) {
    const absolute = path.resolve(root);
    const target = await statTarget(absolute);
    if ('kind' in target) {
      skip(skippedPath(absolute, target.kind, target.reason));
    } else if (target.stat.isDirectory()) {
      await walk(absolute, absolute, excluded, found, skip, options.isCancelled);
    } else if (target.stat.isFile()) {
      found.add(absolute);
    } else {
      skip(skippedPath(absolute, 'special', specialReason(target.stat)));
    }
  }
  return { files: [...found].sort(), skipped: [...skipped.values()].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0)) };
}

function excludeMatcher(patterns: readonly string[]): (relative: string) => boolean {
  if (patterns.length === 0) return () => false;
  const match = picomatch([...patterns], { dot: true });
  return (relative) => match(relative) || match(`${relative}/`);
}

async function walk(root: string, dir: string, excluded: (relative: string) => boolean, found: Set<string>, skip: (entry: SkippedPath) => void, isCancelled?: () => boolean): Promise<void> {
  if (isCancelled?.()) return;
  let entries;
  try {
    // Names as bytes: a name that is not UTF-8 would otherwise be decoded into one that does not exist.
    entries = await fs.readdir(dir, { withFileTypes: true, encoding: 'buffer' });
  } catch (error) {
    const { kind, reason } = describeError(error);
    // A folder deleted or replaced while the walk ran is not a loss.
    if (kind !== 'missing' && (error as NodeJS.ErrnoException).code !== 'ENOTDIR') skip({ ...skippedPath(dir, kind, reason), directory: true });
    return;
  }
  for (const entry of entries) {
    const name = entry.name.toString('utf8');
    const full = path.join(dir, name);
    const relative = path.relative(root, full).split(path.sep).join('/');
    if (excluded(relative)) continue;
    const directory = entry.isDirectory();
    if (directory && SKIPPED_DIRECTORIES.has(name)) continue;
    if (!directory && !isYamlPath(name)) continue;
    if (name.includes('\uFFFD') && !Buffer.from(name, 'utf8').equals(entry.name)) {
      skip({ path: path.join(dir, showBytes(entry.name)), uri: `${pathToFileURL(dir).href}/${percentEncode(entry.name)}`, directory, kind: 'name', reason: `${directory ? 'folder' : 'file'} name is not valid UTF-8` });
      continue;
    }
    if (directory) {
      await walk(root, full, excluded, found, skip, isCancelled);
    } else if (entry.isFile()) {
      found.add(full);
    } else if (entry.isSymbolicLink()) {
      // Resolve the link, then look at what it points to: only regular files are read.
      const target = await statTarget(full);
      if ('kind' in target) skip(skippedPath(full, target.kind, target.reason));
      else if (target.stat.isFile()) found.add(full);
      else if (!target.stat.isDirectory()) skip(skippedPath(full, 'special', specialReason(target.stat)));
    } else {
      skip(skippedPath(full, 'special', specialReason(entry)));
    }
  }
}

export type ReadResult = { readonly text: string } | { readonly skipped: SkippedPath };

export interface ReadOptions {
  /**
   * The engine's size limit, in UTF-16 code units. A file of more than three bytes per unit is
   * certainly over it and is not read at all (the engine reports the others after reading).
   */
  readonly maxFileSize?: number;
}

/**
 * Reads a regular file (or a symbolic link to one) as UTF-8 text, or says why it was not read.
 * A FIFO, socket or device is never opened; should the path be swapped for one between the
 * check and the open, the open does not block (O_NONBLOCK) and the open file is checked again.
 */
export async function readText(file: string, options: ReadOptions = {}): Promise<ReadResult> {
  const target = await statTarget(file);
  if ('kind' in target) return { skipped: skippedPath(file, target.kind, target.reason) };
  const checked = checkRegular(file, target.stat, options);
  if (checked) return { skipped: checked };
  let handle: fs.FileHandle | undefined;
  try {
    handle = await fs.open(file, constants.O_RDONLY | (constants.O_NONBLOCK ?? 0));
    const again = checkRegular(file, await handle.stat(), options);
    if (again) return { skipped: again };
    return { text: await handle.readFile('utf8') };
  } catch (error) {
    const { kind, reason } = describeError(error);
    return { skipped: skippedPath(file, kind, reason) };
  } finally {
    await handle?.close().catch(() => undefined);
  }
}

/**
 * `readText` with synchronous calls, for a batch run that reads one file after another anyway
 * (the CLI): five awaited calls per file cost more than the reading on a workspace of small
 * files. The same checks, in the same order.
 */
export function readTextSync(file: string, options: ReadOptions = {}): ReadResult {
  let stat: Stats;
  try {
    stat = statSync(file);
  } catch (error) {
    const described = describeError(error);
    if (described.kind !== 'missing') return { skipped: skippedPath(file, described.kind, described.reason) };
    try {
      if (lstatSync(file).isSymbolicLink()) return { skipped: skippedPath(file, 'dangling', `dangling symbolic link (its target ${readlinkOr(file)} does not exist)`) };
    } catch {
      // Not there at all.
    }
    return { skipped: skippedPath(file, described.kind, described.reason) };
  }
  const checked = checkRegular(file, stat, options);
  if (checked) return { skipped: checked };
  let fd: number | undefined;
  try {
    fd = openSync(file, constants.O_RDONLY | (constants.O_NONBLOCK ?? 0));
    const again = checkRegular(file, fstatSync(fd), options);
    if (again) return { skipped: again };
    return { text: readFileSync(fd, 'utf8') };
  } catch (error) {
    const { kind, reason } = describeError(error);
    return { skipped: skippedPath(file, kind, reason) };
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

function readlinkOr(file: string): string {
  try {
    return readlinkSync(file);
  } catch {
    return '?';
  }
}

function checkRegular(file: string, stat: Stats, options: ReadOptions): SkippedPath | undefined {
  if (stat.isDirectory()) return skippedPath(file, 'special', 'a folder, not a file');
  if (!stat.isFile()) return skippedPath(file, 'special', specialReason(stat));
  if (options.maxFileSize !== undefined && stat.size > 3 * options.maxFileSize) return skippedPath(file, 'too-large', sizeLimitReason(options.maxFileSize));
  return undefined;
}

/** The engine's own words for a file over its limit (`summarizeFile`). */
export function sizeLimitReason(maxFileSize: number): string {
  return `larger than the ${(maxFileSize / (1024 * 1024)).toFixed(1)} MB limit`;
}

/** `stat` through symbolic links, with a broken link told apart from a missing path. */
async function statTarget(file: string): Promise<{ stat: Stats } | { kind: SkipKind; reason: string }> {
  try {
    return { stat: await fs.stat(file) };
  } catch (error) {
    const described = describeError(error);
    if (described.kind !== 'missing') return described;
    try {
      if ((await fs.lstat(file)).isSymbolicLink()) return { kind: 'dangling', reason: `dangling symbolic link (its target ${await fs.readlink(file).catch(() => '?')} does not exist)` };
    } catch {
      // Not there at all.
    }
    return described;
  }
}

function describeError(error: unknown): { kind: SkipKind; reason: string } {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  switch (code) {
    case 'EACCES':
    case 'EPERM':
      return { kind: 'permission', reason: 'permission denied' };
    case 'ELOOP':
      return { kind: 'loop', reason: 'symbolic link loop' };
    case 'ENOENT':
      return { kind: 'missing', reason: 'no such file or directory' };
    case 'ERR_FS_FILE_TOO_LARGE':
    case 'ERR_STRING_TOO_LONG':
      return { kind: 'too-large', reason: 'too large to read' };
    default:
      return { kind: 'error', reason: `cannot be read (${code ?? (error instanceof Error ? error.message : String(error))})` };
  }
}

function specialReason(type: { isFIFO(): boolean; isSocket(): boolean; isCharacterDevice(): boolean; isBlockDevice(): boolean }): string {
  const what = type.isFIFO() ? 'a FIFO' : type.isSocket() ? 'a socket' : type.isCharacterDevice() ? 'a character device' : type.isBlockDevice() ? 'a block device' : 'a special file';
  return `${what}, not a regular file`;
}

function skippedPath(file: string, kind: SkipKind, reason: string): SkippedPath {
  return { path: file, uri: pathToFileURL(file).href, directory: false, kind, reason };
}

/** Percent-encodes the bytes of a name as a URI path segment (RFC 3986 unreserved bytes stay). */
function percentEncode(bytes: Buffer): string {
  let out = '';
  for (const byte of bytes) {
    const c = String.fromCharCode(byte);
    out += /[A-Za-z0-9\-._~]/.test(c) ? c : `%${byte.toString(16).toUpperCase().padStart(2, '0')}`;
  }
  return out;
}

/** A name with its valid UTF-8 sequences as text and every other byte as `\xNN`. */
function showBytes(bytes: Buffer): string {
  const decoder = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });
  let out = '';
  for (let i = 0; i < bytes.length; ) {
    let length = 0;
    for (let n = 1; n <= 4 && i + n <= bytes.length && length === 0; n++) {
      try {
        out += decoder.decode(bytes.subarray(i, i + n));
        length = n;
      } catch {
        // Not a complete sequence of n bytes.
      }
    }
    if (length === 0) {
      out += `\\x${bytes[i].toString(16).padStart(2, '0')}`;
      length = 1;
    }
    i += length;
  }
  return out;
}
