/** Label selector semantics (k8s.io/apimachinery pkg/labels): equality maps and LabelSelectors. */
import type { LabelEntry, LabelMap, LabelSelector, SelectorExpression } from '../model';

export type MatchResult = 'match' | 'no-match' | 'unknown';

function lookup(labels: LabelMap, key: string): string | undefined {
  return labels.entries.find((entry) => entry.key === key)?.value;
}

/**
 * Does an equality selector (Service, ReplicationController) match these labels? Every pair must be
 * present. When the labels are partly templated a missing pair might be there after rendering.
 */
export function matchesEquality(selector: readonly LabelEntry[], labels: LabelMap): MatchResult {
  for (const pair of selector) {
    if (lookup(labels, pair.key) !== pair.value) return labels.partial ? 'unknown' : 'no-match';
  }
  return 'match';
}

function expressionMatches(expression: SelectorExpression, labels: LabelMap): boolean {
  const value = lookup(labels, expression.key);
  switch (expression.operator) {
    case 'In':
      return value !== undefined && expression.values.includes(value);
    case 'NotIn':
      return value === undefined || !expression.values.includes(value);
    case 'Exists':
      return value !== undefined;
    case 'DoesNotExist':
      return value === undefined;
    default:
      // An invalid operator is rejected by the API; it never matches.
      return false;
  }
}

/** Does a LabelSelector (matchLabels AND matchExpressions) match these labels? */
export function matchesSelector(selector: LabelSelector, labels: LabelMap): MatchResult {
  if (selector.partial) return 'unknown';
  const equality = matchesEquality(selector.matchLabels, labels);
  if (equality !== 'match') return equality;
  for (const expression of selector.expressions) {
    if (!expressionMatches(expression, labels)) return labels.partial ? 'unknown' : 'no-match';
  }
  return 'match';
}

export function isEmptySelector(selector: LabelSelector): boolean {
  return selector.matchLabels.length === 0 && selector.expressions.length === 0;
}

export function formatLabels(entries: readonly { key: string; value: string }[]): string {
  return entries.map((entry) => `${entry.key}=${entry.value}`).join(', ');
}

export function formatExpression(expression: SelectorExpression): string {
  const values = expression.values.length > 0 ? ` (${expression.values.join(', ')})` : '';
  return `${expression.key} ${expression.operator}${values}`;
}
