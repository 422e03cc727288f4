/**
 * The incremental workspace: per-file summaries, the objects that take part in analysis, a
 * cross-file index of keys, and per-object analysis results with the keys each analysis looked up.
 *
 * Objects come in groups: a plain file (one not part of a kustomize build) provides its own
 * objects; a root kustomization provides the objects `kustomize build` makes of it
 * (kustomize/build.ts). Every object has an apply unit (scopes.ts).
 *
 * An update re-summarises the changed files, rebuilds the groups they affect, works out which
 * index keys now have different contents, and re-analyses exactly the objects of the changed
 * groups plus those whose recorded lookups touched a changed key. The result always equals a
 * from-scratch analysis (tested).
 */
import type { EngineSettings } from '../analysis/settings';
import { DEFAULT_SETTINGS } from '../analysis/settings';
import { analyzeResource } from '../analysis/analyzeResource';
import type { Query } from '../analysis/query';
import type { Finding, Link, ResourceAnalysis } from '../analysis/types';
import type { FileSummary, Resource, WorkspaceConfig } from '../model';
import { summarizeFile } from '../parse/summarizeFile';
import { providedKeys } from './keys';
import { MultiMap } from './multiMap';
import { PlainUnits, describeUnit } from './scopes';
import { buildRoot, findRoots, isKustomizationUri } from '../kustomize/build';
import type { BuildOutput, BuildSource } from '../kustomize/build';
import { directoryOf } from '../text/uris';
import { failureMessage, lensTitle, runRouteTest } from '../routeTests/runRouteTests';
import type { RouteTestResult } from '../routeTests/runRouteTests';

export interface FileChange {
  readonly uri: string;
  /** The new text, or null when the file was deleted. */
  readonly text: string | null;
}

export interface UpdateResult {
  /** Files whose findings or links may have changed (including files other than the edited ones). */
  readonly affectedUris: readonly string[];
  /** How many resources were (re-)analysed: a measure of how incremental the update was. */
  readonly analyzed: number;
}

interface FileEntry {
  readonly text: string;
  readonly summary: FileSummary;
}

const EMPTY: readonly Resource[] = [];

/** Where a batch workspace's lookups go: nowhere (see the constructor). */
const IGNORED_DEPENDENCIES = { add: (_k: string): void => undefined };

/** Group ids: a plain file's objects, a kustomize build's, or a template file's marker. */
const plainGroup = (uri: string) => `f:${uri}`;
const buildGroup = (root: string) => `b:${root}`;
const templateGroup = (uri: string) => `t:${uri}`;

/** The index entry of a template file (OtherResource.templateMarker): never analysed, never listed. */
function templateMarker(uri: string): Resource {
  const range = { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } };
  return {
    type: 'other',
    templateMarker: true,
    id: `${uri}#template`,
    uri,
    apiVersion: '',
    kind: '',
    namespace: '',
    range,
    anchor: range,
    apiVersionRange: range,
    opaqueIdentity: true,
    fingerprint: 0,
    exported: false,
    docIndex: 0,
  };
}

function isMarker(resource: Resource): boolean {
  return resource.type === 'other' && resource.templateMarker === true;
}

function isChartFile(uri: string): boolean {
  return /\/Chart\.ya?ml$/.test(uri);
}

export class Workspace {
  /** Settings of the face (editor settings, CLI defaults), below the workspace configuration. */
  private faceSettings: Partial<EngineSettings>;
  /** Explicit overrides (CLI flags), above the workspace configuration. */
  private readonly overrides: Partial<EngineSettings>;
  private settings: EngineSettings;
  private readonly files = new Map<string, FileEntry>();
  private readonly units = new PlainUnits();
  private readonly configs = new Map<string, WorkspaceConfig>();
  /** Folders holding a Helm chart (a Chart.yaml): their templates/ are not manifests. */
  private readonly chartDirs = new Set<string>();
  private readonly kustomizations = new Set<string>();
  private readonly builds = new Map<string, BuildOutput>();
  /** File → the roots whose build read it. */
  private readonly readBy = new MultiMap<string>();
  /** File → the roots whose build includes its objects. */
  private readonly memberOf = new MultiMap<string>();
  /** Files a kustomization names as patches (partial objects, never checked as objects). */
  private patchFiles: ReadonlySet<string> = new Set();
  /** The objects of each group as indexed, and the unit they were indexed with. */
  private readonly groups = new Map<string, readonly Resource[]>();
  private readonly unitById = new Map<string, string>();
  /** Active resources by id. */
  private readonly resources = new Map<string, Resource>();
  private readonly byUri = new MultiMap<Resource>();
  /** Built objects of one object as written (kustomize builds that include it). */
  private readonly copiesOf = new MultiMap<string>();
  /** Index key → the resources that provide it. */
  private readonly providers = new MultiMap<Resource>();
  /** Derived from `providers`, per key; dropped when the key's providers change (keyChanged). */
  private readonly sortedProviders = new Map<string, readonly Resource[]>();
  private readonly summaries = new Map<string, Map<string, unknown>>();
  private readonly results = new Map<string, ResourceAnalysis>();
  /** Resource id → the keys its analysis looked up, and the reverse. */
  private readonly depsOf = new Map<string, readonly string[]>();
  private readonly dependents = new MultiMap<string>();
  /** Ids of resources `load` indexed that the next `update` must analyse. */
  private readonly unanalyzed = new Set<string>();
  /** Target resource id → the links that reach it (references, reverse hovers, CodeLens). */
  private readonly incoming = new MultiMap<Link>();
  /** File → resources with findings in it (a finding may be in a patch or a kustomization). */
  private readonly findingOwners = new MultiMap<string>();
  private readonly findingUrisOf = new Map<string, readonly string[]>();
  /** Route test files (`*.routes.yaml`, summary.routeTests) and the results of their tests. */
  private readonly routeTestFiles = new Set<string>();
  private readonly routeResults = new Map<string, { readonly results: readonly RouteTestResult[]; readonly signature: string }>();
  /**
   * What the next recheck of route tests must cover: every test after a change of anything else
   * (a test reads whatever its trace reads: simplest and exact, and cheap, see README), else only
   * the edited test files.
   */
  private routeTestsPending: { all: boolean; files: Set<string> } = { all: false, files: new Set() };

  /**
   * `batch`: analyse once and never edit (the CLI). Dependencies are not recorded, which saves
   * their bookkeeping; an edit after the first analysis then re-analyses everything (still exact).
   */
  constructor(settings: Partial<EngineSettings> = {}, overrides: Partial<EngineSettings> = {}, options: { readonly batch?: boolean } = {}) {
    this.faceSettings = settings;
    this.overrides = overrides;
    this.settings = this.effectiveSettings();
    this.batch = options.batch === true;
  }

  private readonly batch: boolean;
  private analysedOnce = false;

  getSettings(): EngineSettings {
    return this.settings;
  }

  setFile(uri: string, text: string): UpdateResult {
    return this.update([{ uri, text }]);
  }

  removeFile(uri: string): UpdateResult {
    return this.update([{ uri, text: null }]);
  }

  fileCount(): number {
    return this.files.size;
  }

  uris(): string[] {
    return [...this.files.keys()].sort();
  }

  summary(uri: string): FileSummary | undefined {
    return this.files.get(uri)?.summary;
  }

  text(uri: string): string | undefined {
    return this.files.get(uri)?.text;
  }

  /** Applies face settings; re-summarises or re-analyses everything the change can affect. */
  configure(settings: Partial<EngineSettings>): UpdateResult {
    this.faceSettings = { ...this.faceSettings, ...settings };
    return this.refreshSettings();
  }

  /** Settings from defaults, the face, the workspace configuration (shallowest file first) and overrides. */
  private effectiveSettings(): EngineSettings {
    const fromConfig: { -readonly [K in keyof EngineSettings]?: EngineSettings[K] } = {};
    const configs = [...this.configs.entries()].sort((a, b) => b[0].split('/').length - a[0].split('/').length);
    const classes = [];
    for (const [, config] of configs) {
      if (config.cluster.defaultNamespace !== undefined) fromConfig.defaultNamespace = config.cluster.defaultNamespace;
      if (config.cluster.nodePortRange !== undefined) fromConfig.nodePortRange = config.cluster.nodePortRange;
      classes.push(...config.cluster.ingressClasses);
    }
    if (classes.length > 0) fromConfig.ingressClasses = classes;
    return { ...DEFAULT_SETTINGS, ...this.faceSettings, ...fromConfig, ...this.overrides };
  }

  private refreshSettings(): UpdateResult {
    const previous = this.settings;
    const next = this.effectiveSettings();
    this.settings = next;
    if (next.defaultNamespace !== previous.defaultNamespace || next.maxFileSize !== previous.maxFileSize) {
      return this.update(this.uris().map((uri) => ({ uri, text: this.files.get(uri)!.text })), true);
    }
    if (JSON.stringify(next) !== JSON.stringify(previous)) {
      const result = this.reanalyze([...this.resources.values()]);
      this.routeTestsPending.all = true;
      return this.withRouteTests(result);
    }
    return { affectedUris: [], analyzed: 0 };
  }

  /** Applies a batch of file changes (an initial scan is one big batch). */
  update(changes: readonly FileChange[], resummarize = false): UpdateResult {
    return this.apply(changes, resummarize, true);
  }

  /**
   * Reads files into the index without analysing anything, for loading a workspace in batches:
   * the next `update` analyses all they touched once, where batch after batch of `update` would
   * re-analyse what namespace-wide keys of earlier batches depend on. Until then their findings
   * and links are missing.
   */
  load(changes: readonly FileChange[]): void {
    this.apply(changes, false, false);
  }

  /** Analyses up to `max` of the resources `load` left unanalysed; returns how many remain. */
  analyzeLoaded(max: number): number {
    const batch: Resource[] = [];
    for (const id of this.unanalyzed) {
      if (batch.length >= max) break;
      this.unanalyzed.delete(id);
      const resource = this.resources.get(id);
      if (resource) batch.push(resource);
    }
    this.reanalyze(batch);
    if (this.unanalyzed.size === 0) this.recheckRouteTests();
    return this.unanalyzed.size;
  }

  private apply(changes: readonly FileChange[], resummarize: boolean, analyze: boolean): UpdateResult {
    const result = this.applyChanges(changes, resummarize, analyze);
    if (!analyze) return result;
    return this.withRouteTests(result);
  }

  /** Re-runs the route tests a change may affect; adds the test files whose results changed. */
  private withRouteTests(result: UpdateResult): UpdateResult {
    const changed = this.recheckRouteTests();
    if (changed.length === 0) return result;
    return { affectedUris: [...new Set([...result.affectedUris, ...changed])].sort(), analyzed: result.analyzed };
  }

  private recheckRouteTests(): string[] {
    const pending = this.routeTestsPending;
    if (!pending.all && pending.files.size === 0) return [];
    this.routeTestsPending = { all: false, files: new Set() };
    const changed: string[] = [];
    for (const uri of pending.files) {
      if (!this.routeTestFiles.has(uri) && this.routeResults.delete(uri)) changed.push(uri);
    }
    for (const uri of pending.all ? this.routeTestFiles : pending.files) {
      const tests = this.files.get(uri)?.summary.routeTests?.tests;
      if (!tests) continue;
      const results = tests.map((test) => runRouteTest(this, test, uri));
      // What the editor shows of them: diagnostics and CodeLens titles.
      const signature = JSON.stringify(results.map((r) => [r.pass ? '' : failureMessage(r), lensTitle(r)]));
      if (this.routeResults.get(uri)?.signature !== signature) changed.push(uri);
      this.routeResults.set(uri, { results, signature });
    }
    return changed;
  }

  /** The route test files of the workspace. */
  routeTestUris(): string[] {
    return [...this.routeTestFiles].sort();
  }

  /** The results of the tests of a route test file, in file order (undefined for other files). */
  routeTestResults(uri: string): readonly RouteTestResult[] | undefined {
    if (!this.routeTestFiles.has(uri)) return undefined;
    this.recheckRouteTests();
    return this.routeResults.get(uri)?.results ?? [];
  }

  private applyChanges(changes: readonly FileChange[], resummarize: boolean, analyze: boolean): UpdateResult {
    const touched = this.applyFileChanges(changes, resummarize);
    if (touched.size === 0 && (!analyze || this.unanalyzed.size === 0)) return { affectedUris: [], analyzed: 0 };
    const configChanged = [...touched].some((uri) => this.noteConfig(uri));
    if (configChanged) {
      const previous = this.settings;
      this.settings = this.effectiveSettings();
      if (this.settings.defaultNamespace !== previous.defaultNamespace) {
        return this.applyChanges(this.uris().map((uri) => ({ uri, text: this.files.get(uri)!.text })), true, analyze);
      }
    }
    const chartsChanged = [...touched].filter(isChartFile).map((uri) => this.noteChart(uri));
    const kustomizationsChanged = [...touched].filter((uri) => this.noteKustomization(uri)).length > 0;
    const dirtyGroups = new Set<string>();
    const candidates = new Set(touched);
    if (kustomizationsChanged) this.notePatchFiles(candidates);
    const roots = kustomizationsChanged || configChanged ? this.rebuildAll(candidates) : this.rebuildAffected(touched, candidates);
    for (const root of roots) dirtyGroups.add(buildGroup(root));
    if (configChanged) for (const uri of this.files.keys()) candidates.add(uri);
    for (const dir of chartsChanged) for (const uri of this.files.keys()) if (uri.startsWith(dir)) candidates.add(uri);
    for (const uri of touched) dirtyGroups.add(templateGroup(uri));
    for (const uri of candidates) {
      const plain = this.isPlain(uri);
      for (const file of this.units.setFile(uri, plain ? this.files.get(uri)!.summary.resources : undefined)) dirtyGroups.add(plainGroup(file));
      dirtyGroups.add(plainGroup(uri));
    }
    if (configChanged) for (const group of this.groups.keys()) dirtyGroups.add(group);
    return this.reindex(dirtyGroups, touched, analyze);
  }

  /** Stores new summaries; returns the files whose text changed (same text is no change). */
  private applyFileChanges(changes: readonly FileChange[], resummarize: boolean): Set<string> {
    const changed = new Set<string>();
    for (const change of changes) {
      const old = this.files.get(change.uri);
      if (!resummarize && old !== undefined && change.text !== null && old.text === change.text) continue;
      if (old === undefined && change.text === null) continue;
      changed.add(change.uri);
      if (change.text === null) {
        this.files.delete(change.uri);
      } else {
        this.files.set(change.uri, { text: change.text, summary: summarizeFile(change.uri, change.text, this.settings) });
      }
      const routeTests = this.files.get(change.uri)?.summary.routeTests !== undefined;
      if (routeTests) this.routeTestFiles.add(change.uri);
      if (routeTests || this.routeTestFiles.delete(change.uri)) this.routeTestsPending.files.add(change.uri);
      else this.routeTestsPending.all = true;
    }
    return changed;
  }

  private noteConfig(uri: string): boolean {
    const config = this.files.get(uri)?.summary.config;
    const had = this.configs.has(uri);
    if (config) this.configs.set(uri, config);
    else this.configs.delete(uri);
    this.units.setConfig(uri, config);
    return config !== undefined || had;
  }

  /** Returns the chart folder whose files must be looked at again. */
  private noteChart(uri: string): string {
    const dir = directoryOf(uri);
    if (this.files.has(uri)) this.chartDirs.add(dir);
    else this.chartDirs.delete(dir);
    return dir;
  }

  private noteKustomization(uri: string): boolean {
    const is = this.files.get(uri)?.summary.kustomization !== undefined;
    const was = this.kustomizations.has(uri);
    if (is) this.kustomizations.add(uri);
    else this.kustomizations.delete(uri);
    return is || was || isKustomizationUri(uri);
  }

  private notePatchFiles(candidates: Set<string>): void {
    const next = new Set<string>();
    for (const uri of this.kustomizations) {
      for (const patch of this.files.get(uri)?.summary.kustomization?.patches ?? []) if (patch.uri) next.add(patch.uri);
    }
    for (const uri of next) if (!this.patchFiles.has(uri)) candidates.add(uri);
    for (const uri of this.patchFiles) if (!next.has(uri)) candidates.add(uri);
    this.patchFiles = next;
  }

  /** A file whose objects are checked on their own: a manifest file outside builds, patches, charts and ignored paths. */
  private isPlain(uri: string): boolean {
    const summary = this.files.get(uri)?.summary;
    if (!summary || summary.role !== 'manifests' || summary.resources.length === 0) return false;
    if (this.memberOf.count(uri) > 0 || this.patchFiles.has(uri)) return false;
    return !this.inChartTemplates(uri) && !this.units.isIgnored(uri);
  }

  /** Under `<chart>/templates/` (or a subchart's) of a folder with a Chart.yaml: rendered by Helm, not applied as is. */
  private inChartTemplates(uri: string): boolean {
    for (const dir of this.chartDirs) {
      if (uri.startsWith(`${dir}templates/`)) return true;
    }
    return false;
  }

  private buildSource(): BuildSource {
    return {
      summary: (uri) => this.files.get(uri)?.summary,
      text: (uri) => this.files.get(uri)?.text,
      options: this.settings,
    };
  }

  /** Rebuilds every root; returns the roots that were or are built. Files entering or leaving builds become candidates. */
  private rebuildAll(candidates: Set<string>): string[] {
    const src = this.buildSource();
    const roots = new Set(findRoots([...this.kustomizations].sort(), src).filter((root) => !this.units.isIgnored(root)));
    const all = new Set([...this.builds.keys(), ...roots]);
    for (const root of all) this.rebuild(root, roots.has(root), candidates);
    return [...all];
  }

  private rebuildAffected(touched: ReadonlySet<string>, candidates: Set<string>): string[] {
    const roots = new Set<string>();
    for (const uri of touched) for (const root of this.readBy.get(uri)) roots.add(root);
    for (const root of roots) this.rebuild(root, true, candidates);
    return [...roots];
  }

  private rebuild(root: string, exists: boolean, candidates: Set<string>): void {
    const before = this.builds.get(root);
    for (const uri of before?.deps ?? []) this.readBy.delete(uri, root);
    for (const uri of before?.members ?? []) {
      this.memberOf.delete(uri, root);
      candidates.add(uri);
    }
    if (!exists) {
      this.builds.delete(root);
      return;
    }
    const after = buildRoot(root, this.buildSource());
    this.builds.set(root, after);
    for (const uri of after.deps) this.readBy.add(uri, root);
    for (const uri of after.members) {
      this.memberOf.add(uri, root);
      candidates.add(uri);
    }
  }

  /** The objects a group provides now. */
  private groupResources(group: string): readonly Resource[] {
    if (group.startsWith('b:')) return this.builds.get(group.slice(2))?.resources ?? EMPTY;
    if (group.startsWith('t:')) return this.files.get(group.slice(2))?.summary.role === 'template' ? [templateMarker(group.slice(2))] : EMPTY;
    const uri = group.slice(2);
    return this.isPlain(uri) ? this.files.get(uri)!.summary.resources : EMPTY;
  }

  private unitFor(group: string, resource: Resource): string {
    return group.startsWith('b:') ? `build:${group.slice(2)}` : this.units.unitOf(resource.uri);
  }

  private reindex(dirtyGroups: ReadonlySet<string>, touched: ReadonlySet<string>, analyze: boolean): UpdateResult {
    const changedKeys = new Set<string>();
    const dirty = new Map<string, Resource>();
    const affected = new Set(touched);
    for (const group of dirtyGroups) {
      const before = this.groups.get(group) ?? EMPTY;
      const after = this.groupResources(group);
      const units = after.map((r) => this.unitFor(group, r));
      if (before.length === 0 && after.length === 0) continue;
      if (after.length > 0) this.groups.set(group, after);
      else this.groups.delete(group);
      for (const k of this.replaceResources(before, after, units)) changedKeys.add(k);
      for (const resource of before) affected.add(resource.uri);
      for (const resource of after) if (!isMarker(resource)) dirty.set(resource.id, resource);
    }
    if (this.batch && this.analysedOnce) {
      // No dependencies were recorded: everything may depend on what changed.
      for (const resource of this.resources.values()) dirty.set(resource.id, resource);
    }
    for (const k of changedKeys) {
      for (const id of this.dependents.get(k)) {
        const resource = this.resources.get(id);
        if (resource) dirty.set(id, resource);
      }
    }
    if (!analyze) {
      for (const id of dirty.keys()) this.unanalyzed.add(id);
      return { affectedUris: [...affected].sort(), analyzed: 0 };
    }
    for (const id of this.unanalyzed) {
      const resource = this.resources.get(id);
      if (resource) dirty.set(id, resource);
    }
    this.unanalyzed.clear();
    const result = this.reanalyze([...dirty.values()]);
    for (const uri of result.affectedUris) affected.add(uri);
    return { affectedUris: [...affected].sort(), analyzed: result.analyzed };
  }

  /**
   * Swaps a group's resources in the index; returns the keys whose contents changed. A key
   * changed when the set of (resource, unit, content) entries provided under it changed.
   */
  private replaceResources(before: readonly Resource[], after: readonly Resource[], afterUnits: readonly string[]): string[] {
    const beforeKeys = before.map((r) => providedKeys(r, this.unitById.get(r.id) ?? ''));
    const beforeUnits = before.map((r) => this.unitById.get(r.id) ?? '');
    for (const resource of before) this.unindex(resource);
    const afterKeys = after.map((resource, i) => this.index(resource, afterUnits[i]));
    // Adding a group or removing one changes every key it provides; no need to compare contents.
    if (before.length === 0) return afterKeys.flat();
    if (after.length === 0) return beforeKeys.flat();
    // Each resource's content is serialised once and interned as a number, so comparing a key's
    // contributors costs the number of contributors, not their size times the keys they provide.
    const interned = new Map<string, number>();
    const contributions = (list: readonly Resource[], keys: string[][], units: readonly string[]) => {
      const byKey = new Map<string, number[]>();
      list.forEach((resource, i) => {
        const entry = `${resource.id}\u0001${units[i]}\u0001${JSON.stringify(resource, withoutFingerprint)}`;
        let id = interned.get(entry);
        if (id === undefined) {
          id = interned.size;
          interned.set(entry, id);
        }
        for (const k of keys[i]) {
          const entries = byKey.get(k);
          if (entries) entries.push(id);
          else byKey.set(k, [id]);
        }
      });
      return byKey;
    };
    const oldKeys = contributions(before, beforeKeys, beforeUnits);
    const newKeys = contributions(after, afterKeys, afterUnits);
    const changed: string[] = [];
    const same = (a: number[] | undefined, b: number[] | undefined) => {
      if (!a || !b || a.length !== b.length) return a === b;
      a.sort((x, y) => x - y);
      b.sort((x, y) => x - y);
      return a.every((v, i) => v === b[i]);
    };
    for (const k of new Set([...oldKeys.keys(), ...newKeys.keys()])) {
      if (!same(oldKeys.get(k), newKeys.get(k))) changed.push(k);
    }
    return changed;
  }

  /** Adds a resource to the index; returns the keys it provides. */
  private index(resource: Resource, unit: string): string[] {
    const keys = providedKeys(resource, unit);
    if (isMarker(resource)) {
      for (const k of keys) this.provide(k, resource);
      return keys;
    }
    this.resources.set(resource.id, resource);
    this.unitById.set(resource.id, unit);
    this.byUri.add(resource.uri, resource);
    if (resource.build) this.copiesOf.add(resource.build.sourceId, resource.id);
    for (const k of keys) this.provide(k, resource);
    return keys;
  }

  private unindex(resource: Resource): void {
    const unit = this.unitById.get(resource.id) ?? '';
    if (this.resources.get(resource.id) === resource) {
      this.resources.delete(resource.id);
      this.unitById.delete(resource.id);
    }
    this.byUri.delete(resource.uri, resource);
    if (resource.build) this.copiesOf.delete(resource.build.sourceId, resource.id);
    for (const k of providedKeys(resource, unit)) {
      this.providers.delete(k, resource);
      this.keyChanged(k);
    }
    this.forgetAnalysis(resource.id);
  }

  private provide(k: string, resource: Resource): void {
    this.providers.add(k, resource);
    this.keyChanged(k);
  }

  /** What was derived from the providers of a key is stale. */
  private keyChanged(k: string): void {
    this.sortedProviders.delete(k);
    this.summaries.delete(k);
  }

  /** The providers of a key in id order, sorted once per change of the key (not per lookup). */
  private sortedLookup(k: string): readonly Resource[] {
    const providers = this.providers.get(k);
    if (providers.length < 2) return providers;
    let sorted = this.sortedProviders.get(k);
    if (!sorted) {
      sorted = [...providers].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
      this.sortedProviders.set(k, sorted);
    }
    return sorted;
  }

  private forgetAnalysis(id: string): void {
    for (const link of this.results.get(id)?.links ?? []) {
      for (const target of link.targets) this.incoming.delete(target.resourceId, link);
    }
    this.results.delete(id);
    for (const uri of this.findingUrisOf.get(id) ?? []) this.findingOwners.delete(uri, id);
    this.findingUrisOf.delete(id);
    for (const k of this.depsOf.get(id) ?? []) this.dependents.delete(k, id);
    this.depsOf.delete(id);
  }

  private reanalyze(resources: readonly Resource[]): UpdateResult {
    const affected = new Set<string>();
    if (resources.length > 0) this.analysedOnce = true;
    const shared = this.batch ? this.trackingQuery(IGNORED_DEPENDENCIES) : undefined;
    for (const resource of resources) {
      for (const uri of this.findingUrisOf.get(resource.id) ?? []) affected.add(uri);
      this.forgetAnalysis(resource.id);
      const deps = new Set<string>();
      const analysis = analyzeResource(resource, shared ?? this.trackingQuery(deps));
      this.results.set(resource.id, analysis);
      for (const link of analysis.links) {
        for (const target of link.targets) this.incoming.add(target.resourceId, link);
      }
      const findingUris = [...new Set(analysis.findings.map((f) => f.uri))];
      for (const uri of findingUris) {
        this.findingOwners.add(uri, resource.id);
        affected.add(uri);
      }
      if (findingUris.length > 0) this.findingUrisOf.set(resource.id, findingUris);
      this.depsOf.set(resource.id, [...deps]);
      for (const k of deps) this.dependents.add(k, resource.id);
      affected.add(resource.uri);
    }
    return { affectedUris: [...affected].sort(), analyzed: resources.length };
  }

  private trackingQuery(deps: { add(k: string): unknown }): Query {
    return {
      settings: this.settings,
      lookup: (k: string) => {
        deps.add(k);
        return this.sortedLookup(k);
      },
      summary: <T>(k: string, name: string, build: (providers: readonly Resource[]) => T): T => {
        deps.add(k);
        let byName = this.summaries.get(k);
        if (!byName) {
          byName = new Map();
          this.summaries.set(k, byName);
        }
        if (!byName.has(name)) byName.set(name, build(this.sortedLookup(k)));
        return byName.get(name) as T;
      },
      count: (k: string) => {
        deps.add(k);
        return this.providers.count(k);
      },
      resource: (id: string) => this.resources.get(id),
      unitOf: (resource: Resource) => this.unitOf(resource),
      buildIncludes: (root: string, uri: string) => this.builds.get(root)?.members.has(uri) ?? false,
    };
  }

  /** The apply unit of an active resource (scopes.ts). */
  unitOf(resource: Resource): string {
    return this.unitById.get(resource.id) ?? (resource.build ? `build:${resource.build.root}` : this.units.unitOf(resource.uri));
  }

  /** The apply unit a plain manifest at `uri` has (scopes.ts): for files without objects, such as route test files. */
  unitOfFile(uri: string): string {
    return this.units.unitOf(uri);
  }

  /** Findings in a file: its syntax problems, then the findings of the objects that point into it, in text order. */
  findings(uri: string): Finding[] {
    const entry = this.files.get(uri);
    if (!entry) return [];
    const findings: Finding[] = this.suppressed(uri) ? [] : entry.summary.syntaxProblems.map((p) => ({
      rule: 'yaml-syntax' as const,
      uri,
      range: p.range,
      message: p.message,
      severityCap: p.severity,
      related: [],
    }));
    findings.push(...this.objectFindings(uri));
    if (entry.summary.routeTests && !this.suppressed(uri)) findings.push(...this.routeTestFindings(uri, entry.summary.routeTests.problems));
    return findings.sort(compareFindings);
  }

  /** A route test file's format problems, and one finding per failing test (on its `url`). */
  private routeTestFindings(uri: string, problems: NonNullable<FileSummary['routeTests']>['problems']): Finding[] {
    const findings: Finding[] = problems
      .filter((p) => p.kind === 'format')
      .map((p) => ({ rule: 'route-test-invalid' as const, uri, range: p.range, message: p.message, related: [] }));
    for (const result of this.routeTestResults(uri) ?? []) {
      if (result.pass) continue;
      findings.push({
        rule: 'route-test-failed',
        uri,
        range: result.test.anchor,
        message: failureMessage(result),
        // Where the request goes now: the rule that matched, the Service (when they are in the workspace).
        related: result.trace.steps
          .filter((step) => step.location !== undefined && (step.kind === 'path' || step.kind === 'service' || step.kind === 'host'))
          .map((step) => ({ uri: step.location!.uri, range: step.location!.range, message: step.text })),
      });
    }
    return findings;
  }

  private suppressed(uri: string): boolean {
    return this.inChartTemplates(uri) || this.units.isIgnored(uri);
  }

  /**
   * Findings of objects in a file. An object of a base is checked once per kustomize build that
   * includes it; the same finding from every build is shown once, one from only some builds
   * says which.
   */
  private objectFindings(uri: string): Finding[] {
    const groups = new Map<string, { finding: Finding; sources: Set<string>; roots: string[] }>();
    const out: Finding[] = [];
    for (const id of [...this.findingOwners.get(uri)].sort()) {
      const resource = this.resources.get(id);
      for (const finding of this.results.get(id)?.findings ?? []) {
        if (finding.uri !== uri) continue;
        if (!resource?.build) {
          out.push(finding);
          continue;
        }
        const key = `${finding.rule}\u0000${JSON.stringify(finding.range)}\u0000${resource.build.sourceId}`;
        const group = groups.get(key) ?? { finding, sources: new Set<string>(), roots: [] };
        group.sources.add(id);
        group.roots.push(resource.build.root);
        groups.set(key, group);
      }
    }
    for (const [key, group] of groups) {
      const sourceId = key.slice(key.lastIndexOf('\u0000') + 1);
      const copies = this.copiesOf.count(sourceId);
      if (group.sources.size >= copies) {
        out.push(this.asWritten(group.finding, [...group.sources][0], sourceId));
        continue;
      }
      const roots = [...new Set(group.roots)].sort().map((root) => describeUnit(`build:${root}`));
      out.push({ ...group.finding, message: `${group.finding.message} (in ${roots.join(', ')})` });
    }
    return out;
  }

  /**
   * A finding every build of an object has, told with the object's name as written rather than
   * one build's (`web`, not `dev-web`).
   */
  private asWritten(finding: Finding, instanceId: string, sourceId: string): Finding {
    const built = this.resources.get(instanceId)?.name?.value;
    const source = this.resources.get(instanceId);
    const written = source ? this.files.get(source.uri)?.summary.resources.find((r) => r.id === sourceId)?.name?.value : undefined;
    if (!built || !written || built === written) return finding;
    return { ...finding, message: finding.message.split(`\`${built}\``).join(`\`${written}\``) };
  }

  /** Links that reach a resource, from any file. */
  linksTo(resourceId: string): readonly Link[] {
    return this.incoming.get(resourceId);
  }

  /** Links that start at a resource. */
  linksFrom(resourceId: string): readonly Link[] {
    return this.results.get(resourceId)?.links ?? [];
  }

  links(uri: string): Link[] {
    return this.resourcesOf(uri).flatMap((r) => this.results.get(r.id)?.links ?? []);
  }

  /** The objects written in a file as they take part in analysis (one per kustomize build including it), in text order. */
  resourcesOf(uri: string): readonly Resource[] {
    const list = this.byUri.get(uri);
    if (list.length < 2) return list;
    return [...list].sort((a, b) => a.range.start.line - b.range.start.line || a.range.start.character - b.range.start.character || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  }

  resource(id: string): Resource | undefined {
    return this.resources.get(id);
  }

  resourceCount(): number {
    return this.resources.size;
  }

  allResources(): Resource[] {
    return [...this.resources.values()].sort((a, b) => (a.id < b.id ? -1 : 1));
  }

  /** Dependency-free read of index contents, for features (hover, graph) that show, not check. */
  lookup(k: string): readonly Resource[] {
    return this.trackingQuery(new Set()).lookup(k);
  }

  /** A dependency-free Query, for features that read the index as analysis does (controllerOf, nearest). */
  query(): Query {
    return this.trackingQuery(new Set());
  }

  /** The kustomize builds of the workspace: root kustomization → the files whose objects it includes. */
  kustomizeBuilds(): ReadonlyMap<string, ReadonlySet<string>> {
    return new Map([...this.builds].map(([root, build]) => [root, build.members]));
  }
}

/**
 * The fingerprint only tells copies in one file apart, and a file's objects are re-analysed
 * together whenever it changes: leaving it out of the comparison keeps an edit of an image tag
 * from re-checking everything that depends on the object.
 */
function withoutFingerprint(key: string, value: unknown): unknown {
  return key === 'fingerprint' ? undefined : value;
}

export function compareFindings(a: Finding, b: Finding): number {
  return (
    a.range.start.line - b.range.start.line ||
    a.range.start.character - b.range.start.character ||
    a.range.end.line - b.range.end.line ||
    a.range.end.character - b.range.end.character ||
    (a.rule < b.rule ? -1 : a.rule > b.rule ? 1 : 0) ||
    (a.message < b.message ? -1 : a.message > b.message ? 1 : 0)
  );
}
