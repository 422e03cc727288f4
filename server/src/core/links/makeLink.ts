/** Builds links with one fixed shape (object spread would give each link its own V8 hidden class). */
import type { Link, LinkKind, LinkStatus, LinkTarget, NearMiss } from '../analysis/types';
import type { Range } from 'vscode-languageserver-types';
import { uriOf } from '../text/ranges';

export interface LinkSource {
  readonly kind: LinkKind;
  readonly sourceId: string;
  readonly uri: string;
  readonly range: Range;
  readonly text?: string;
}

export interface LinkOutcome {
  readonly status: LinkStatus;
  readonly targets: readonly LinkTarget[];
  readonly text?: string;
  readonly nearMisses?: readonly NearMiss[];
  readonly far?: boolean;
}

/**
 * Near misses kept per link, closest first: enough for a did-you-mean and a few related
 * locations, where a typo in a selector shared by thousands of pod templates would otherwise
 * put thousands of entries into one diagnostic.
 */
const MAX_NEAR_MISSES = 5;

/**
 * Links, their targets and near misses point at ranges of objects; a range a kustomize patch or
 * kustomization set is in that file (ForeignRange), so the location takes its URI.
 */
export function makeLink(source: LinkSource, outcome: LinkOutcome): Link {
  return {
    kind: source.kind,
    sourceId: source.sourceId,
    uri: uriOf(source.range, source.uri),
    range: source.range,
    status: outcome.status,
    targets: outcome.targets.some((t) => uriOf(t.range, t.uri) !== t.uri) ? outcome.targets.map((t) => ({ ...t, uri: uriOf(t.range, t.uri) })) : outcome.targets,
    text: outcome.text ?? source.text ?? '',
    nearMisses: outcome.nearMisses && outcome.nearMisses.length > MAX_NEAR_MISSES ? outcome.nearMisses.slice(0, MAX_NEAR_MISSES) : outcome.nearMisses,
    far: outcome.far ? true : undefined,
  };
}
