/** The only way analysis reads other resources: lookups by index key, each one recorded. */
import type { Resource } from '../model';
import type { EngineSettings } from './settings';

export interface Query {
  /** Resources providing `key`, in a stable order; the key becomes a dependency of the caller. */
  lookup(key: string): readonly Resource[];
  /** How many resources provide `key`, without listing them; also a dependency. */
  count(key: string): number;
  /**
   * What `build` computes from the providers of `key`, computed once per change of the key and
   * shared by every resource that asks (`name` tells summaries of one key apart; `build` must
   * depend on the providers only). This is what keeps a collision of N objects O(N) overall
   * rather than O(N) per object. The key becomes a dependency of the caller.
   */
  summary<T>(key: string, name: string, build: (providers: readonly Resource[]) => T): T;
  /**
   * A resource by id. Only for ids that came out of `lookup` (or a link built from one): the
   * lookup already recorded the dependency.
   */
  resource(id: string): Resource | undefined;
  /** The apply unit of a resource (workspace/scopes.ts); part of what a change of the resource is. */
  unitOf(resource: Resource): string;
  /** Whether the kustomize build of `root` includes the objects of file `uri` (scopes.ts). */
  buildIncludes(root: string, uri: string): boolean;
  readonly settings: EngineSettings;
}
