/** Builds links with one fixed shape (object spread would give each link its own V8 hidden class). */
import type { Link, LinkKind, LinkStatus, LinkTarget, NearMiss } from '../analysis/types';
import type { Range } from 'vscode-languageserver-types';

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
}

export function makeLink(source: LinkSource, outcome: LinkOutcome): Link {
  return {
    kind: source.kind,
    sourceId: source.sourceId,
    uri: source.uri,
    range: source.range,
    status: outcome.status,
    targets: outcome.targets,
    text: outcome.text ?? source.text ?? '',
    nearMisses: outcome.nearMisses,
  };
}
