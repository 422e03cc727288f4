/** The did-you-mean of a reference by name: the one near miss every resolver builds the same way. */
import type { Range } from 'vscode-languageserver-types';
import type { NearMiss } from '../analysis/types';
import type { Resource } from '../model';
import { closestMatch } from '../semantics/names';
import { describe } from './describe';

/**
 * The candidate whose name is closest to `name` (a typo of it), as a near miss whose fix writes
 * that name at `range`; none when no candidate is close. Unnamed candidates are never suggested.
 */
export function closestNameMiss(name: string, range: Range, candidates: readonly Resource[]): NearMiss[] {
  const named = candidates.filter((c) => c.name !== undefined && !c.name.unknown);
  const closest = closestMatch(name, named.map((c) => c.name!.value));
  const near = closest === undefined ? undefined : named.find((c) => c.name!.value === closest);
  return near ? [{ resourceId: near.id, uri: near.uri, range: near.anchor, description: `${describe(near)} exists`, fix: { range, newText: closest! } }] : [];
}
