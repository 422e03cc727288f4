/**
 * Apply scopes: which objects of a workspace are applied together, and how far a reference
 * reaches. A repository is not one cluster: it holds alternatives (per-cloud variants, test
 * steps, quickstart bundles side by side), independent examples, and kustomize builds. So:
 *
 * - Every object belongs to one **apply unit**, the objects that are applied together:
 *   - the objects of one kustomize build (`build:<root kustomization>`);
 *   - the files of a folder the workspace configuration declares an app (`app:<folder>`);
 *   - the files of a folder that compose (`dir:<folder>`): no file of it redefines an object of
 *     another (a Namespace aside, which files often repeat);
 *   - otherwise the file alone (`file:<uri>`): a file that redefines objects of a sibling is an
 *     alternative to it, not a part of the same install, and so is every file of a folder the
 *     configuration declares alternatives;
 *   - every file of a folder where at least half of the files are alternatives is alone too, and
 *     more: such a folder is a collection of independent inputs (test data, snippets), so its
 *     siblings are no evidence either (`solo:<uri>`, see `nearbyReach`).
 *   Conflicts are only between objects applied together for sure: duplicates in one file or one
 *   build; node ports and host + path in one file, build or declared app (`conflictScope`).
 *
 * - A reference is resolved like a name in a program: the nearest candidates win. Reach levels,
 *   nearest first: the same file (of the same build), the same apply unit, the same folder, the
 *   workspace. A reference is broken only when nothing in the workspace satisfies it; did-you-mean
 *   suggestions come only from the file, unit or folder of the reference.
 */
import type { Resource, WorkspaceConfig } from '../model';
import { globToRegExp } from '../text/glob';
import type { PathPattern } from '../text/glob';
import { directoryOf } from '../text/uris';

export const REACH = { file: 0, unit: 1, folder: 2, workspace: 3, never: 4 } as const;
export type Reach = (typeof REACH)[keyof typeof REACH];

/** What scope decisions read from the workspace. */
export interface UnitReader {
  unitOf(resource: Resource): string;
  /** Whether the kustomize build of `root` includes the objects of file `uri`. */
  buildIncludes(root: string, uri: string): boolean;
}

/**
 * How near `to` is to `from` (see REACH). Another build's copy of an object this build includes
 * too (another overlay of the same base) is never a candidate: overlays are alternatives.
 */
export function reachBetween(from: Resource, to: Resource, units: UnitReader): Reach {
  if (from.build && to.build && from.build.root !== to.build.root && units.buildIncludes(from.build.root, to.uri)) return REACH.never;
  if (from.uri === to.uri && from.build?.root === to.build?.root) return REACH.file;
  if (units.unitOf(from) === units.unitOf(to)) return REACH.unit;
  if (directoryOf(from.uri) === directoryOf(to.uri)) return REACH.folder;
  return REACH.workspace;
}

/**
 * The candidates at the nearest reach level that has any (at most `max`). Byte-identical copies
 * of one object count once (the first): they are the same target, and N copies on both ends of
 * a reference would otherwise make N² link targets.
 */
export function nearest<T extends Resource>(from: Resource, candidates: readonly T[], units: UnitReader, max: Reach = REACH.workspace): { reach: Reach; items: T[] } {
  let best: Reach | undefined;
  let items: T[] = [];
  let copies: Set<string> | undefined;
  for (const candidate of candidates) {
    const reach = reachBetween(from, candidate, units);
    if (reach > max) continue;
    if (best === undefined || reach < best) {
      best = reach;
      items = [candidate];
      copies = undefined;
    } else if (reach === best) {
      copies ??= new Set([copyKey(items[0])]);
      const id = copyKey(candidate);
      if (copies.has(id)) continue;
      copies.add(id);
      items.push(candidate);
    }
  }
  return { reach: best ?? REACH.workspace, items };
}

function copyKey(r: Resource): string {
  return `${r.kind}\u0000${r.namespace}\u0000${r.name?.value ?? r.id}\u0000${r.fingerprint}\u0000${r.build?.root ?? ''}`;
}

/** The candidates within `max` reach, nearest first (for suggestions, which may come from any of them). */
export function within<T extends Resource>(from: Resource, candidates: readonly T[], units: UnitReader, max: Reach): T[] {
  return candidates
    .map((candidate) => ({ candidate, reach: reachBetween(from, candidate, units) }))
    .filter((c) => c.reach <= max)
    .sort((a, b) => a.reach - b.reach)
    .map((c) => c.candidate);
}

/**
 * How far to look for evidence about an object (did-you-mean suggestions, custom resources whose
 * operators may make its pods): its folder, but only its own file in a folder that is a
 * collection of independent inputs.
 */
export function nearbyReach(from: Resource, units: UnitReader): Reach {
  return units.unitOf(from).startsWith('solo:') ? REACH.file : REACH.folder;
}

/**
 * Where conflicts (node ports, host + path) are looked for: one file, one kustomize build, or
 * one declared app. Two files of a composing folder that claim the same node port or host + path
 * are as often variants of one Service or Ingress (`ingress-annotation.yaml` beside
 * `ingress-app-protocol.yaml`) as a mistake, so only an explicit unit makes them applied together.
 */
export function conflictScope(unit: string, uri: string): string {
  return unit.startsWith('dir:') || unit.startsWith('solo:') ? `file:${uri}` : unit;
}

/** A short description of a unit for messages: `the kustomize build of overlays/prod`. */
export function describeUnit(unit: string): string {
  const [kind, ...rest] = unit.split(':');
  const where = rest.join(':');
  const short = where.replace(/^file:\/\/[^/]*/, '').replace(/\/kustomization\.ya?ml$|\/Kustomization$/, '');
  switch (kind) {
    case 'build':
      return `the kustomize build of \`${short}\``;
    case 'app':
      return `app \`${short}\``;
    case 'dir':
      return `folder \`${short}\``;
    default:
      return `file \`${short}\``;
  }
}

const IDENTITY_SEPARATOR = '\u0000';

/** Objects that make two files alternatives when both define them (Namespaces are repeated on purpose). */
function identityOf(resource: Resource): string | undefined {
  if (!resource.name || resource.opaqueIdentity || resource.kind === 'Namespace') return undefined;
  return [resource.kind, resource.namespace, resource.name.value].join(IDENTITY_SEPARATOR);
}

interface CompiledConfig {
  readonly folder: string;
  readonly apps: readonly PathPattern[];
  readonly alternatives: readonly PathPattern[];
  readonly ignore: readonly PathPattern[];
}

/**
 * The units of plain files (files outside kustomize builds), kept up to date as files change:
 * which folders compose, and what the workspace configuration declares.
 */
export class PlainUnits {
  private readonly configs = new Map<string, CompiledConfig>();
  /** Folder → identity → plain files of the folder defining it. */
  private readonly folders = new Map<string, Map<string, Set<string>>>();
  private readonly identities = new Map<string, readonly string[]>();
  /** Plain files that redefine an object of a sibling. */
  private readonly alternatives = new Set<string>();
  /** Folder → its plain files, and the folders that are collections of independent files. */
  private readonly folderFiles = new Map<string, Set<string>>();
  private readonly collections = new Set<string>();

  /** Replaces the configuration of one configuration file (undefined: removed). */
  setConfig(uri: string, config: WorkspaceConfig | undefined): void {
    if (!config) {
      this.configs.delete(uri);
      return;
    }
    const compile = (globs: readonly string[]) => globs.map(globToRegExp);
    this.configs.set(uri, { folder: directoryOf(uri), apps: compile(config.apps), alternatives: compile(config.alternatives), ignore: compile(config.ignore) });
  }

  hasConfig(): boolean {
    return this.configs.size > 0;
  }

  isIgnored(uri: string): boolean {
    return this.matching(uri, (c) => c.ignore, true) !== undefined;
  }

  /**
   * Records the objects of a plain file (undefined when it is no longer plain). Returns the
   * files of its folder whose unit may have changed, itself included.
   */
  setFile(uri: string, resources: readonly Resource[] | undefined): string[] {
    const folder = directoryOf(uri);
    const before = this.identities.get(uri) ?? [];
    const after = [...new Set((resources ?? []).map(identityOf).filter((i): i is string => i !== undefined))];
    let ids = this.folders.get(folder);
    const touched = new Set<string>([uri]);
    for (const id of before) {
      const files = ids?.get(id);
      files?.delete(uri);
      for (const f of files ?? []) touched.add(f);
      if (files && files.size === 0) ids!.delete(id);
    }
    if (resources === undefined) this.identities.delete(uri);
    else this.identities.set(uri, after);
    if (after.length > 0 && !ids) {
      ids = new Map();
      this.folders.set(folder, ids);
    }
    for (const id of after) {
      const files = ids!.get(id) ?? new Set<string>();
      files.add(uri);
      ids!.set(id, files);
      for (const f of files) touched.add(f);
    }
    if (ids && ids.size === 0) this.folders.delete(folder);
    const files = this.folderFiles.get(folder) ?? new Set<string>();
    if (resources === undefined) files.delete(uri);
    else files.add(uri);
    if (files.size > 0) this.folderFiles.set(folder, files);
    else this.folderFiles.delete(folder);
    for (const file of touched) this.refresh(file);
    if (this.refreshCollection(folder)) for (const file of files) touched.add(file);
    return [...touched];
  }

  /** Whether the folder's files are mostly alternatives of each other; true when that changed. */
  private refreshCollection(folder: string): boolean {
    const files = [...(this.folderFiles.get(folder) ?? [])];
    const alternatives = files.filter((f) => this.alternatives.has(f)).length;
    const collection = alternatives >= 3 && alternatives * 2 >= files.length;
    if (collection === this.collections.has(folder)) return false;
    if (collection) this.collections.add(folder);
    else this.collections.delete(folder);
    return true;
  }

  private refresh(uri: string): void {
    const ids = this.folders.get(directoryOf(uri));
    const shared = (this.identities.get(uri) ?? []).some((id) => (ids?.get(id)?.size ?? 0) > 1);
    if (shared) this.alternatives.add(uri);
    else this.alternatives.delete(uri);
  }

  /** The apply unit of a plain file. */
  unitOf(uri: string): string {
    const app = this.matching(uri, (c) => c.apps, false);
    if (app !== undefined) return `app:${app}`;
    if (this.collections.has(directoryOf(uri))) return `solo:${uri}`;
    if (this.alternatives.has(uri) || this.matching(uri, (c) => c.alternatives, false) !== undefined) return `file:${uri}`;
    return `dir:${directoryOf(uri)}`;
  }

  /**
   * The folder (URI ending in `/`) of the shallowest match of a pattern list against the file's
   * folders; with `includeFile`, the file's own path may match too.
   */
  private matching(uri: string, patterns: (c: CompiledConfig) => readonly PathPattern[], includeFile: boolean): string | undefined {
    for (const config of this.configs.values()) {
      if (!uri.startsWith(config.folder)) continue;
      const relative = uri.slice(config.folder.length);
      const parts = relative.split('/');
      const list = patterns(config);
      if (list.length === 0) continue;
      for (let depth = 1; depth <= parts.length; depth++) {
        const isFile = depth === parts.length;
        if (isFile && !includeFile) break;
        const prefix = parts.slice(0, depth).join('/');
        if (list.some((re) => re.test(prefix))) return isFile ? uri : `${config.folder}${prefix}/`;
      }
    }
    return undefined;
  }
}
