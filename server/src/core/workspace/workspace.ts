/**
 * The incremental workspace: per-file summaries, a cross-file index of keys, and per-resource
 * analysis results with the keys each analysis looked up.
 *
 * An update re-summarises the changed files, works out which index keys now have different
 * contents, and re-analyses exactly the resources of the changed files plus those whose recorded
 * lookups touched a changed key. The result always equals a from-scratch analysis (tested).
 */
import type { EngineSettings } from '../analysis/settings';
import { DEFAULT_SETTINGS } from '../analysis/settings';
import { analyzeResource } from '../analysis/analyzeResource';
import type { Query } from '../analysis/query';
import type { Finding, Link, ResourceAnalysis } from '../analysis/types';
import type { FileSummary, Kustomization, Resource } from '../model';
import { summarizeFile } from '../parse/summarizeFile';
import { providedKeys } from './keys';
import { MultiMap } from './multiMap';
import { NO_CONTEXT, applyContext, contextFor } from './kustomize';
import type { FileContext } from './kustomize';

const NO_CONTEXT_KEY = JSON.stringify(NO_CONTEXT);

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

export class Workspace {
  private settings: EngineSettings;
  private readonly files = new Map<string, FileEntry>();
  /** File URI → the kustomization files that name it (as a resource or a patch). */
  private readonly referrers = new Map<string, Set<string>>();
  /** Serialized kustomize context of files that have one, to notice when it changes. */
  private readonly contextKeys = new Map<string, string>();
  /** The resources of each file as indexed (after kustomizations apply). */
  private readonly active = new Map<string, readonly Resource[]>();
  /** Active resources by id (resources of patch files are inactive). */
  private readonly resources = new Map<string, Resource>();
  /** Index key → the resources that provide it. */
  private readonly providers = new MultiMap<Resource>();
  private readonly results = new Map<string, ResourceAnalysis>();
  /** Resource id → the keys its analysis looked up, and the reverse. */
  private readonly depsOf = new Map<string, readonly string[]>();
  /** Ids of resources `load` indexed that the next `update` must analyse. */
  private readonly unanalyzed = new Set<string>();
  private readonly dependents = new MultiMap<string>();
  /** Target resource id → the links that reach it (references, reverse hovers, CodeLens). */
  private readonly incoming = new MultiMap<Link>();

  constructor(settings: Partial<EngineSettings> = {}) {
    this.settings = { ...DEFAULT_SETTINGS, ...settings };
  }

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

  /** Applies settings; re-summarises or re-analyses everything the change can affect. */
  configure(settings: Partial<EngineSettings>): UpdateResult {
    const next = { ...this.settings, ...settings };
    const previous = this.settings;
    this.settings = next;
    if (next.defaultNamespace !== previous.defaultNamespace || next.maxFileSize !== previous.maxFileSize) {
      return this.update(this.uris().map((uri) => ({ uri, text: this.files.get(uri)!.text })), true);
    }
    if (next.nodePortRange.min !== previous.nodePortRange.min || next.nodePortRange.max !== previous.nodePortRange.max) {
      return this.reanalyze([...this.resources.values()]);
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
    return this.unanalyzed.size;
  }

  private apply(changes: readonly FileChange[], resummarize: boolean, analyze: boolean): UpdateResult {
    const touched = this.applyFileChanges(changes, resummarize);
    const changedKeys = new Set<string>();
    const dirty = new Map<string, Resource>();
    for (const uri of touched) {
      const before = this.active.get(uri) ?? EMPTY;
      const after = this.computeActive(uri);
      if (after.length > 0) this.active.set(uri, after);
      else this.active.delete(uri);
      for (const k of this.replaceResources(before, after)) changedKeys.add(k);
      for (const resource of after) dirty.set(resource.id, resource);
    }
    for (const k of changedKeys) {
      for (const id of this.dependents.get(k)) {
        const resource = this.resources.get(id);
        if (resource) dirty.set(id, resource);
      }
    }
    if (!analyze) {
      for (const id of dirty.keys()) this.unanalyzed.add(id);
      return { affectedUris: [...touched].sort(), analyzed: 0 };
    }
    for (const id of this.unanalyzed) {
      const resource = this.resources.get(id);
      if (resource) dirty.set(id, resource);
    }
    this.unanalyzed.clear();
    const result = this.reanalyze([...dirty.values()]);
    const affected = new Set([...touched, ...result.affectedUris]);
    return { affectedUris: [...affected].sort(), analyzed: result.analyzed };
  }

  /**
   * Stores new summaries. Returns the files whose reading changed: those whose text changed, and
   * those a changed kustomization names (patch status, namespace, labels). Same text is no change.
   */
  private applyFileChanges(changes: readonly FileChange[], resummarize: boolean): Set<string> {
    const candidates = new Set<string>();
    const changed = new Set<string>();
    for (const change of changes) {
      const old = this.files.get(change.uri);
      if (!resummarize && old !== undefined && change.text !== null && old.text === change.text) continue;
      if (old === undefined && change.text === null) continue;
      changed.add(change.uri);
      this.noteReferences(change.uri, old?.summary.kustomization, false, candidates);
      if (change.text === null) {
        this.files.delete(change.uri);
        continue;
      }
      const summary = summarizeFile(change.uri, change.text, this.settings);
      this.files.set(change.uri, { text: change.text, summary });
      this.noteReferences(change.uri, summary.kustomization, true, candidates);
    }
    for (const uri of candidates) {
      const key = JSON.stringify(this.contextOf(uri));
      if ((this.contextKeys.get(uri) ?? NO_CONTEXT_KEY) === key) continue;
      changed.add(uri);
      if (key === NO_CONTEXT_KEY) this.contextKeys.delete(uri);
      else this.contextKeys.set(uri, key);
    }
    return changed;
  }

  private noteReferences(owner: string, kustomization: Kustomization | undefined, add: boolean, candidates: Set<string>): void {
    for (const uri of [...(kustomization?.patchUris ?? []), ...(kustomization?.resourceUris ?? [])]) {
      candidates.add(uri);
      const owners = this.referrers.get(uri) ?? new Set<string>();
      if (add) owners.add(owner);
      else owners.delete(owner);
      if (owners.size > 0) this.referrers.set(uri, owners);
      else this.referrers.delete(uri);
    }
  }

  /** What the kustomizations naming a file do to it. */
  private contextOf(uri: string): FileContext {
    const owners = [...(this.referrers.get(uri) ?? [])].sort();
    const kustomizations = owners.map((o) => this.files.get(o)?.summary.kustomization).filter((k): k is Kustomization => k !== undefined);
    return contextFor(uri, kustomizations);
  }

  /** The resources of a file as they take part in analysis (after kustomizations apply). */
  private computeActive(uri: string): readonly Resource[] {
    const summary = this.files.get(uri)?.summary;
    if (!summary) return EMPTY;
    return applyContext(summary.resources, this.contextOf(uri));
  }

  private activeResources(uri: string): readonly Resource[] {
    return this.active.get(uri) ?? EMPTY;
  }

  /**
   * Swaps a file's resources in the index; returns the keys whose contents changed. A key
   * changed when the set of (resource, content) pairs this file provides under it changed.
   */
  private replaceResources(before: readonly Resource[], after: readonly Resource[]): string[] {
    for (const resource of before) this.unindex(resource);
    const afterKeys = after.map((resource) => this.index(resource));
    // Adding a file or removing one changes every key it provides; no need to compare contents.
    if (before.length === 0) return afterKeys.flat();
    const beforeKeys = before.map(providedKeys);
    if (after.length === 0) return beforeKeys.flat();
    const contributions = (list: readonly Resource[], keys: string[][]) => {
      const byKey = new Map<string, string[]>();
      list.forEach((resource, i) => {
        const entry = `${resource.id}\u0001${JSON.stringify(resource)}`;
        for (const k of keys[i]) {
          const entries = byKey.get(k) ?? [];
          entries.push(entry);
          byKey.set(k, entries);
        }
      });
      return byKey;
    };
    const oldKeys = contributions(before, beforeKeys);
    const newKeys = contributions(after, afterKeys);
    const changed: string[] = [];
    for (const k of new Set([...oldKeys.keys(), ...newKeys.keys()])) {
      const a = (oldKeys.get(k) ?? []).sort().join('\u0002');
      const b = (newKeys.get(k) ?? []).sort().join('\u0002');
      if (a !== b) changed.push(k);
    }
    return changed;
  }

  /** Adds a resource to the index; returns the keys it provides. */
  private index(resource: Resource): string[] {
    this.resources.set(resource.id, resource);
    const keys = providedKeys(resource);
    for (const k of keys) this.providers.add(k, resource);
    return keys;
  }

  private unindex(resource: Resource): void {
    if (this.resources.get(resource.id) === resource) this.resources.delete(resource.id);
    for (const k of providedKeys(resource)) this.providers.delete(k, resource);
    this.forgetAnalysis(resource.id);
  }

  private forgetAnalysis(id: string): void {
    for (const link of this.results.get(id)?.links ?? []) {
      for (const target of link.targets) this.incoming.delete(target.resourceId, link);
    }
    this.results.delete(id);
    for (const k of this.depsOf.get(id) ?? []) this.dependents.delete(k, id);
    this.depsOf.delete(id);
  }

  private reanalyze(resources: readonly Resource[]): UpdateResult {
    const affected = new Set<string>();
    for (const resource of resources) {
      this.forgetAnalysis(resource.id);
      const deps = new Set<string>();
      const analysis = analyzeResource(resource, this.trackingQuery(deps));
      this.results.set(resource.id, analysis);
      for (const link of analysis.links) {
        for (const target of link.targets) this.incoming.add(target.resourceId, link);
      }
      this.depsOf.set(resource.id, [...deps]);
      for (const k of deps) this.dependents.add(k, resource.id);
      affected.add(resource.uri);
    }
    return { affectedUris: [...affected].sort(), analyzed: resources.length };
  }

  private trackingQuery(deps: Set<string>): Query {
    return {
      settings: this.settings,
      lookup: (k: string) => {
        deps.add(k);
        const providers = this.providers.get(k);
        if (providers.length < 2) return providers;
        return [...providers].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
      },
      count: (k: string) => {
        deps.add(k);
        return this.providers.count(k);
      },
      resource: (id: string) => this.resources.get(id),
    };
  }

  /** Findings of a file: its syntax problems, then the findings of its resources, in text order. */
  findings(uri: string): Finding[] {
    const entry = this.files.get(uri);
    if (!entry) return [];
    const findings: Finding[] = entry.summary.syntaxProblems.map((p) => ({
      rule: 'yaml-syntax' as const,
      uri,
      range: p.range,
      message: p.message,
      related: [],
    }));
    for (const resource of this.activeResources(uri)) findings.push(...(this.results.get(resource.id)?.findings ?? []));
    return findings.sort(compareFindings);
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
    return this.activeResources(uri).flatMap((r) => this.results.get(r.id)?.links ?? []);
  }

  resourcesOf(uri: string): readonly Resource[] {
    return this.activeResources(uri);
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
